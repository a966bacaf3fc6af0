"""Start-up time: from process start to the first window shown, Safekeep vs a bare PySide6 window.

    python benchmarks/bench_startup.py [--runs 7] [--platform offscreen]

Both programs are started as fresh processes the same way, and each prints a line as soon as
its first window has been shown (Safekeep: the SAFEKEEP_BENCH_FIRST_SHOW hook in
app/ui/shell/launch.py, which then quits). We time from spawning the process to reading that line,
so interpreter start-up and imports count for both. The budget (docs/DESIGN.md) is 1.5x.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.common import Row  # noqa: E402

BUDGET = 1.5

BARE = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QLabel
app = QApplication(sys.argv[:1])
window = QLabel("hello")
window.resize(640, 600)
window.show()
def done():
    print("first-window-shown", flush=True)
    app.quit()
QTimer.singleShot(0, done)
app.exec()
"""


def time_to_first_window(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            env=env, cwd=ROOT)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("first-window-shown"):
            elapsed = time.perf_counter() - started
            break
    else:
        proc.wait()
        raise RuntimeError(f"{args[:3]} exited without showing a window")
    proc.wait(timeout=30)
    return elapsed


def measure(runs: int, qpa_platform: str) -> dict[str, list[float]]:
    """Seconds to the first window for each program, over `runs` interleaved runs."""
    with tempfile.TemporaryDirectory(prefix="safekeep-bench-home-") as home:
        env = {**os.environ, "QT_QPA_PLATFORM": qpa_platform, "HOME": home,
               "XDG_CONFIG_HOME": str(Path(home) / ".config"),
               "SAFEKEEP_BENCH_FIRST_SHOW": "1", "PYTHONPATH": str(ROOT)}
        programs = {
            "bare PySide6 window": [sys.executable, "-c", BARE],
            "safekeep (welcome)": [sys.executable, "-m", "app", "gui"],
        }
        # One untimed run each: the first start also warms the OS file cache.
        for args in programs.values():
            time_to_first_window(args, env)
        results: dict[str, list[float]] = {name: [] for name in programs}
        for _ in range(runs):
            for name, args in programs.items():  # interleaved: drift hits both alike
                results[name].append(time_to_first_window(args, env))
    return results


def rows(runs: int = 7) -> list[Row]:
    results = measure(runs, os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    bare = statistics.median(results["bare PySide6 window"])
    mine = statistics.median(results["safekeep (welcome)"])
    return [Row("Start to first window vs bare PySide6 window", f"{mine / bare:.2f}x",
                f"<= {BUDGET}x", mine / bare <= BUDGET,
                f"median of {runs}: {mine:.3f} s vs {bare:.3f} s (offscreen)")]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--platform", default=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    options = parser.parse_args()
    results = measure(options.runs, options.platform)
    bare = statistics.median(results["bare PySide6 window"])
    print(f"{'program':24} {'median s':>9} {'min s':>7} {'max s':>7} {'ratio':>6}")
    for name, times in results.items():
        median = statistics.median(times)
        print(f"{name:24} {median:9.3f} {min(times):7.3f} {max(times):7.3f} {median / bare:6.2f}")
    ratio = statistics.median(results["safekeep (welcome)"]) / bare
    verdict = "within" if ratio <= BUDGET else "OVER"
    print(f"\nSafekeep / bare = {ratio:.2f} ({verdict} the {BUDGET}x budget, "
          f"{options.runs} runs, platform {options.platform})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
