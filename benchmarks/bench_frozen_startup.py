"""Start-up of the built program (issue 19) against the source install, each a fresh process.

    python benchmarks/bench_frozen_startup.py [--runs 5] [--program dist/safekeep/safekeep]

Row: start to the first window, `dist/safekeep/safekeep gui` (PyInstaller's one folder, made
by scripts/build_app.sh) vs `python -m app gui` from the source install. The floor is the
source install: the built program carries the same code, and should not start slower than
1.5x it. Both print the line of the SAFEKEEP_BENCH_FIRST_SHOW hook (app/ui/shell/launch.py)
and quit; we time from spawning to reading it, offscreen. Runs are interleaved (source,
built, source, built...), medians with min and max; one untimed run of each first warms the
disk cache. Without a build, one row says so.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_startup import Runs, time_to_first_window  # noqa: E402
from benchmarks.common import Row, print_table  # noqa: E402

BUDGET = 1.5
PROGRAM = ROOT / "dist" / "safekeep" / "safekeep"
NAME = "Start to first window, built program vs source install"


def rows(runs: int = 5, program: Path = PROGRAM) -> list[Row]:
    if not program.is_file():
        return [Row(NAME, "not built", f"<= {BUDGET}x", None,
                    "run scripts/build_app.sh first")]
    results = Runs()
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": home,
               "SAFEKEEP_BENCH_FIRST_SHOW": "1"}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        # The built program gets what a person's shell gives it, nothing of this Python.
        built_env = {key: env[key] for key in ("PATH", "HOME", "LANG", "QT_QPA_PLATFORM",
                                               "SAFEKEEP_BENCH_FIRST_SHOW") if key in env}
        source = [sys.executable, "-m", "app", "gui"]
        built = [str(program), "gui"]
        time_to_first_window(source, env)  # warm the disk cache, untimed
        time_to_first_window(built, built_env)
        for _ in range(runs):
            results.add("source", time_to_first_window(source, env))
            results.add("built", time_to_first_window(built, built_env))
    ratio = results.median("built") / results.median("source")
    detail = (f"built {results.spread('built')}; source {results.spread('source')}; "
              f"{runs} interleaved runs, offscreen, load {os.getloadavg()[0]:.1f}")
    return [Row(NAME, f"{ratio:.2f}x", f"<= {BUDGET}x", ratio <= BUDGET, detail)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--program", type=Path, default=PROGRAM)
    args = parser.parse_args()
    print_table(rows(args.runs, args.program))
    return 0


if __name__ == "__main__":
    sys.exit(main())
