"""Helpers for tests/test_built_program.py (no tests here): run the built program as a person
would, copy it to a stick in portable mode, drive its window with real key presses under Xvfb,
and put a FAT32 file system on a loop file.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[1]
# Typed into the window by xdotool, which goes through the X keyboard map: plain ASCII, so the
# keys typed are surely the ones meant (PASSPHRASE has an emoji no keyboard map holds).
TYPED_PASSPHRASE = "a stick of my own 2024"
FOLDERS = ("home", "config", "cache", "data", "state", "runtime", "tmp")
PORTABLE_MARKER, PORTABLE_INI = "safekeep-portable.txt", "safekeep-settings.ini"


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """What a person's shell would give the program, and nothing of the test's Python."""
    return {"PATH": "/usr/bin:/bin", "HOME": str(home), "LANG": "C.UTF-8",
            "SAFEKEEP_PASSPHRASE": PASSPHRASE, **extra}


def run(program: Path, *args: str, env: dict[str, str], cwd: Path,
        timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(program), *args], env=env, cwd=cwd, capture_output=True,
                          text=True, timeout=timeout)
    assert proc.returncode == 0, (args, proc.stdout[-2000:], proc.stderr[-2000:])
    return proc


def screenshot(path: Path, lines: list[str]) -> Path:
    font = ImageFont.truetype(str(ROOT / "resources" / "fonts" / "DejaVuSans.ttf"), 26)
    image = Image.new("RGB", (900, 60 + 50 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((30, 30 + 50 * i), line, fill="black", font=font)
    image.save(path)
    return path


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


@dataclass(frozen=True)
class Profile:
    """A person's profile made of fresh, empty folders: HOME, every XDG folder and TMPDIR."""

    root: Path  # holds these folders and nothing else

    @classmethod
    def make(cls, root: Path) -> Profile:
        for name in FOLDERS:
            (root / name).mkdir(parents=True, mode=0o700)  # a runtime dir must be 0700
        return cls(root)

    def env(self, **extra: str) -> dict[str, str]:
        r = self.root
        return clean_env(r / "home", XDG_CONFIG_HOME=str(r / "config"),
                         XDG_CACHE_HOME=str(r / "cache"), XDG_DATA_HOME=str(r / "data"),
                         XDG_STATE_HOME=str(r / "state"), XDG_RUNTIME_DIR=str(r / "runtime"),
                         TMPDIR=str(r / "tmp"), **extra)

    def leftovers(self) -> list[str]:
        """Everything left in any of the folders (walked to the bottom)."""
        return [f"{folder.name}/{name}" for folder in sorted(self.root.iterdir())
                for name in files_under(folder)]


def portable_copy(program: Path, where: Path) -> Path:
    """The folder as a person puts it on a USB stick, switched to portable mode by the file
    beside the program (app/ui/shell/settings.py). FAT32 holds no symbolic links, so they
    are followed in the copy (`cp -rL`)."""
    folder = where / "Safekeep"
    subprocess.run(["cp", "-rL", str(program.parent), str(folder)], check=True)
    (folder / PORTABLE_MARKER).write_text("portable\n")
    return folder / "safekeep"


def differing_files(original: Path, copy: Path) -> list[str]:
    """Files of `original` (links followed) whose bytes differ in `copy`, or are missing."""
    def digest(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "missing"

    return [str(p.relative_to(original)) for p in sorted(original.rglob("*"))
            if p.is_file() and digest(p) != digest(copy / p.relative_to(original))]


def xdotool(display: str, *args: str) -> str:
    proc = subprocess.run(["xdotool", *args], env={"PATH": "/usr/bin:/bin", "DISPLAY": display},
                          capture_output=True, text=True, timeout=30)
    return proc.stdout.strip()


def shown_window(display: str, title: str, timeout: float = 60) -> str:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = xdotool(display, "search", "--onlyvisible", "--name", f"^{title}$").split()
        if found:
            return found[0]
        time.sleep(0.3)
    raise AssertionError(f"no window {title!r} showed")


def change_a_setting_in_the_window(program: Path, case: Path, env: dict[str, str],
                                   display: str) -> None:
    """With real key presses, as a person: unlock the case, open Settings (Ctrl+,), make the
    auto-lock a minute longer (Up: the first field), see it saved, and leave by Quick exit
    (Esc twice). Settings are only written when one changes: starting the window writes none."""
    env = {**{k: v for k, v in env.items() if k != "SAFEKEEP_PASSPHRASE"},  # typed, not given
           "DISPLAY": display, "QT_QPA_PLATFORM": "xcb"}
    ini = program.parent / PORTABLE_INI
    app = subprocess.Popen([str(program), "gui", str(case)], env=env, cwd=case.parent,
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        xdotool(display, "windowfocus", "--sync", shown_window(display, "Safekeep"))
        xdotool(display, "type", "--delay", "20", TYPED_PASSPHRASE)
        xdotool(display, "key", "Return")
        # The main window shows once the case is open; Ctrl+, works from then on.
        end, settings = time.monotonic() + 90, ""
        while not settings and time.monotonic() < end:
            xdotool(display, "key", "ctrl+comma")
            try:
                settings = shown_window(display, "Settings", timeout=2)
            except AssertionError:
                continue
        assert settings, "the Settings window did not open"
        xdotool(display, "windowfocus", "--sync", settings)
        xdotool(display, "key", "Up")
        end = time.monotonic() + 30
        while "auto_lock_minutes=6" not in saved(ini) and time.monotonic() < end:
            time.sleep(0.3)
        xdotool(display, "key", "Escape", "Escape")
        out, err = app.communicate(timeout=60)
    finally:
        if app.poll() is None:
            app.kill()
            app.communicate()
    assert app.returncode == 0, (out[-2000:], err[-2000:])


def saved(path: Path) -> str:
    return path.read_text() if path.is_file() else ""


def use_portably(program: Path, profile: Profile, cases: Path, pictures: Path,
                 display: str) -> None:
    """Keep a case in `cases`, add and read a picture, export and check a bundle, change a
    setting in the window: the settings go beside the program, and nothing into the profile."""
    env = profile.env(SAFEKEEP_PASSPHRASE=TYPED_PASSPHRASE)
    shot = screenshot(pictures / "threat.png", ["Pay 500 pounds by Friday", "or everyone sees"])
    run(program, "new", "case.skcase", "--kdf-profile", "1", env=env, cwd=cases)
    run(program, "add-evidence", "case.skcase", str(shot), env=env, cwd=cases)
    assert "500 pounds" in run(program, "ocr", "case.skcase", env=env, cwd=cases).stdout
    run(program, "export", "case.skcase", "bundle.zip", env=env, cwd=cases)
    assert "match" in run(program, "verify", "bundle.zip", env=env, cwd=cases).stdout
    change_a_setting_in_the_window(program, cases / "case.skcase", env, display)
    written = profile.leftovers()
    assert written == [], f"the portable program wrote into the person's profile: {written}"
    assert "auto_lock_minutes=6" in saved(program.parent / PORTABLE_INI), \
        "the setting was not kept beside the program"


@dataclass
class Stick:
    """A FAT32 file system on a loop file, mounted at `root`."""

    image: Path
    root: Path
    driver: str  # "kernel" (vfat) or "fusefat"
    daemon: subprocess.Popen[bytes] | None = None

    def unmount(self) -> None:
        if not os.path.ismount(self.root):
            return
        if self.daemon is None:
            subprocess.run(["umount", str(self.root)], check=True)
        else:
            subprocess.run(["fusermount", "-u", str(self.root)], check=True)
            self.daemon.wait(timeout=60)  # it has written everything to the image once gone


def fat32_stick(image: Path, mount_point: Path) -> Stick | str:
    """Make a FAT32 file system in `image` and mount it, with the kernel's driver where there
    is one, else with fusefat (FUSE). Returns why not when neither can."""
    with image.open("wb") as f:
        f.truncate(700 << 20)
    subprocess.run(["mkfs.vfat", "-F", "32", "-n", "STICK", str(image)], check=True,
                   capture_output=True)
    tried = []
    if os.geteuid() == 0:
        kernel = subprocess.run(["mount", "-o", "loop", str(image), str(mount_point)],
                                capture_output=True, text=True)
        if kernel.returncode == 0:
            return Stick(image, mount_point, "kernel")
        tried.append(f"the kernel's driver: {kernel.stderr.strip()}")
    if not os.path.exists("/dev/fuse") or shutil.which("fusefat") is None:
        return "; ".join([*tried, "no FUSE (/dev/fuse) or no fusefat for a FAT32 in user space"])
    # -s: one thread. kernel_cache: fusefat returns wrong bytes when processes read through it
    # at the same time (seen here, even with -s: three `sha256sum -c` at once disagreed on a
    # few files, one alone never did). The test reads every file once, alone, to check the
    # copy; the kernel keeps those pages, and the program's processes then read them there.
    # rw+: writing is "experimental" in fusefat; it writes files and renames, but has no
    # truncate (EPERM), which SQLite needs: cases cannot live on a stick mounted this way.
    daemon = subprocess.Popen(["fusefat", "-f", "-s", "-o", "rw+,kernel_cache", str(image),
                               str(mount_point)], stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    end = time.monotonic() + 20
    while not os.path.ismount(mount_point) and daemon.poll() is None and time.monotonic() < end:
        time.sleep(0.1)
    if os.path.ismount(mount_point):
        return Stick(image, mount_point, "fusefat", daemon)
    daemon.kill()
    daemon.wait()
    return "; ".join([*tried, f"fusefat did not mount it (exit {daemon.returncode})"])


def read_from_image(image: Path, path: str) -> str:
    """A file as mtools reads it straight from the FAT32 image, with no mount in between."""
    return subprocess.run(["mtype", "-i", str(image), f"::{path}"], capture_output=True,
                          text=True, check=True, env={**os.environ, "MTOOLS_SKIP_CHECK": "1"}
                          ).stdout
