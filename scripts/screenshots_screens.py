"""Screenshots of the whole screen with the main window on small screens and at 200% scaling.

    python scripts/screenshots_screens.py [OUT_DIR]      (default: docs/screenshots)

Needs Xvfb (`apt-get install xvfb`): for each screen below it starts a real X server of that
size with `xvfb-run`, runs itself inside it on Qt's xcb platform (QT_SCALE_FACTOR for 200%),
opens the demo case of scripts/screenshots.py the way a person does (typing the passphrase),
lets the window size itself, and saves a picture of the whole screen, so the edges show.
With IceWM installed (`apt-get install --no-install-recommends icewm`) it runs in the X
server too, so the screen has a task bar and the window a title bar, as on a desktop;
without it there is no window manager and the window has no frame.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SCREENS = [  # file name, X screen size, scale factor
    ("60-main-1024x600", "1024x600", "1"),
    ("61-main-1366x768", "1366x768", "1"),
    ("62-main-1920x1080-at-200pct", "1920x1080", "2"),
]


# Starts IceWM (its settings in a temporary folder), waits for it, then runs the command.
WITH_WM = 'HOME="$WM_HOME" icewm >/dev/null 2>&1 & sleep 2; "$@"; code=$?; kill $!; exit $code'


def run_all(out: Path) -> int:
    for name, size, scale in SCREENS:
        with tempfile.TemporaryDirectory(prefix="safekeep-wm-") as wm_home:
            env = {k: v for k, v in os.environ.items() if not k.startswith("QT_")}
            env.update(QT_QPA_PLATFORM="xcb", QT_SCALE_FACTOR=scale, WM_HOME=wm_home)
            command = [sys.executable, __file__, "--one", name, str(out)]
            if shutil.which("icewm"):
                command = ["sh", "-c", WITH_WM, "sh", *command]
            command = ["xvfb-run", "-a", "-s", f"-screen 0 {size}x24", *command]
            code = subprocess.run(command, env=env, cwd=ROOT, timeout=600).returncode
        if code != 0:
            return code
    return 0


def shoot_one(name: str, out: Path) -> int:
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "scripts"))
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtGui import QFont, QGuiApplication
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication
    from screenshots import PASSPHRASE, Shooter, build_demo_case, wait_until

    with tempfile.TemporaryDirectory(prefix="safekeep-shots-") as folder:
        tmp = Path(folder)
        from app.i18n import set_translator
        from app.ui.shell.settings import AppSettings, locate_settings, redirect_qt_settings

        location = locate_settings(override_dir=tmp / "settings")
        redirect_qt_settings(location)
        app = QApplication(sys.argv[:1])
        app.setFont(QFont("DejaVu Sans", 10))
        app.setQuitOnLastWindowClosed(False)
        set_translator(lambda ctx, text: QCoreApplication.translate(ctx, text))
        from app.ui.kit.controller import CaseController
        from app.ui.shell.session import SafekeepSession

        case_path = build_demo_case(tmp)
        controller = CaseController(actor="alex", kdf_profile=1)
        session = SafekeepSession(app, AppSettings(location), controller=controller,
                                  quit_on_quick_exit=False, watch_platform=False)
        shooter = Shooter(out)
        unlock = session.show_unlock(case_path)
        QTest.keyClicks(unlock.passphrase_edit, PASSPHRASE)  # type: ignore[attr-defined]
        unlock.unlock_button.click()  # type: ignore[attr-defined]
        wait_until(controller.is_open)
        window = session.main_window
        assert window is not None
        found_view = getattr(window, "views", {}).get("found")
        if found_view is not None:  # let text recognition finish reading the demo pictures
            wait_until(lambda: not found_view.reader.is_running(), timeout=120)
        evidence = window.views.get("evidence")  # type: ignore[attr-defined]
        if evidence is not None and window.navigate("evidence", 5):  # type: ignore[attr-defined]
            shooter.settle(2.0)  # whatsapp.png, with what was found in it
        shooter.settle(1.0)
        screen = QGuiApplication.primaryScreen()
        screen.grabWindow(0).save(str(out / f"{name}.png"))  # the whole screen
        print(f"saved {name}.png ({screen.geometry().width()}x{screen.geometry().height()}"
              f" at {screen.devicePixelRatio():g}x)")
        session.dispose()
        shooter.settle(0.2)
    return 0


def main() -> int:
    args = sys.argv[1:]
    if args[:1] == ["--one"]:
        return shoot_one(args[1], Path(args[2]))
    out = Path(args[0]) if args else ROOT / "docs" / "screenshots"
    return run_all(out.resolve())


if __name__ == "__main__":
    sys.exit(main())
