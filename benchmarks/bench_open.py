"""Opening a case of 10,000 and of 30,000 items in the real window: the time from "key derived"
to the first screen of thumbnails, and the peak memory of the whole process after the key
(goals: 0.3 s; under 300 MiB). Then `safekeep list`, `check` and `search` at 1,000, 10,000
and 30,000 items (bench_commands.py), so growth shows.

    python benchmarks/bench_open.py [ITEMS ...]

Each opening runs in a fresh process (benchmarks/open_probe.py): a `SafekeepSession` shows
the unlock dialog, the passphrase is typed and Unlock pressed, and the clock stops when every
evidence tile visible in the maximised window (1920x1080 screen) holds its thumbnail. The floor
is the same data read with no window (the grid's first page of rows and the visible thumbnails
read and decoded in one thread), in its own fresh process, interleaved with the window runs.
The case is written straight through the models (benchmarks/big_case.py): the importer would
take minutes to make 30,000 screenshots, and opening is what is measured.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import bench_commands
from benchmarks.big_case import PASSPHRASE, build_case
from benchmarks.common import Row, print_table

ROOT = Path(__file__).resolve().parent.parent
PROBE = Path(__file__).with_name("open_probe.py")
ROUNDS = 3
GOAL_SECONDS = 0.3
GOAL_PEAK_MIB = 300.0
SCREEN = {
    "synchronousWindowSystemEvents": False,
    "windowFrameMargins": True,
    "screens": [{"name": "Screen", "x": 0, "y": 0, "width": 1920, "height": 1080,
                 "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}],
}


def probe(mode: str, case: Path, extra: str, screen: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": f"offscreen:configfile={screen}"}
    done = subprocess.run([sys.executable, str(PROBE), mode, str(case), PASSPHRASE, extra],
                          capture_output=True, text=True, check=True, env=env, cwd=ROOT,
                          timeout=300)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(count: int, work: Path) -> tuple[list[dict[str, float]], list[dict[str, float]]]:
    """Window runs and floor runs, interleaved (window, floor, window, floor...)."""
    case, screen = work / f"case-{count}.skcase", work / "screen.json"
    screen.write_text(json.dumps(SCREEN))
    build_case(case, count)
    windows: list[dict[str, float]] = []
    floors: list[dict[str, float]] = []
    for _ in range(ROUNDS):
        settings = work / f"settings-{count}-{len(windows)}"
        windows.append(probe("window", case, str(settings), screen))
        floors.append(probe("functions", case, str(int(windows[-1]["visible"])), screen))
    return windows, floors


def rows_for(count: int, windows: list[dict[str, float]],
             floors: list[dict[str, float]]) -> list[Row]:
    seconds = [w["first_screen"] for w in windows]
    floor = [f["seconds"] for f in floors]
    median, floor_median = statistics.median(seconds), statistics.median(floor)
    peak = max(w["peak_mib"] for w in windows)
    return [
        Row(f"Open a {count:,}-item case: first screen of thumbnails", f"{median:.2f} s",
            f"<= {GOAL_SECONDS} s", median <= GOAL_SECONDS,
            f"after the key, in the real window (min-max {min(seconds):.2f}-{max(seconds):.2f}"
            f" s); {int(windows[0]['visible'])} tiles on screen, "
            f"{max(int(w['requested_at_first_screen']) for w in windows)} thumbnails and "
            f"{int(windows[0]['items'])} rows read; floor (the same data, no window) "
            f"{floor_median:.2f} s, {median / floor_median:.1f}x; longest the window could "
            f"not answer {statistics.median(w['stall_ms'] for w in windows):.0f} ms; then each "
            f"other tab first shown: {statistics.median(w['tab_stall_ms'] for w in windows):.0f}"
            " ms at most"),
        Row(f"Open a {count:,}-item case: peak memory", f"{peak:.0f} MiB",
            f"< {GOAL_PEAK_MIB:.0f} MiB", peak < GOAL_PEAK_MIB,
            "whole process with Qt, after the key, until every tab has been shown and loaded "
            "(unlocking "
            f"itself peaks at {max(w['kdf_peak_mib'] for w in windows):.0f} MiB: Argon2id is "
            "memory-hard on purpose)"),
    ]


def rows(sizes: tuple[int, ...] = (10_000, 30_000),
         scale: tuple[int, ...] = (1_000, 10_000, 30_000)) -> list[Row]:
    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-open-"))
    out: list[Row] = []
    try:
        for count in sizes:
            out += rows_for(count, *measure(count, work))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    out += bench_commands.rows(scale)
    return [*out, Row("Opening and commands: load average", f"{load:.1f} -> "
                      f"{os.getloadavg()[0]:.1f}", "-", None, "2 cores; shared machine")]


if __name__ == "__main__":
    chosen = tuple(int(a) for a in sys.argv[1:]) or (10_000, 30_000)
    print_table(rows(chosen))
