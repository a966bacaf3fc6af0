"""Every performance goal from docs/DESIGN.md, measured in one run on this machine, as one table.

    python benchmarks/run_all.py [--quick]

Each row is a ratio or a figure measured here and now against its goal; nothing is a timed
test. Run it on a quiet machine: other work on the same cores skews every ratio.
`--quick` uses smaller workloads (for checking the scripts, not for the README).
"""

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    bench_chat_view,
    bench_chats,
    bench_export,
    bench_export_scale,
    bench_import,
    bench_ocr,
    bench_ocr_realistic,
    bench_open,
    bench_stall,
    bench_startup,
)
from benchmarks.common import Row, machine, print_table
from benchmarks.ocr_realistic import HELD_OUT_SEEDS


def main() -> int:
    quick = "--quick" in sys.argv
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])  # for the stall benchmark; outlives what it makes
    started = time.perf_counter()
    rows: list[Row] = []
    rows += bench_startup.rows(runs=3 if quick else 7)
    rows += bench_import.rows(40 if quick else 200)
    rows += bench_open.rows(1_000 if quick else 10_000)
    rows += bench_export.rows(50 if quick else 1_000)
    rows += bench_export_scale.rows((200, 1_000, 3_000) if quick else (1_000, 10_000, 30_000))
    rows += bench_stall.rows(40 if quick else 200)
    rows += bench_ocr.rows(30 if quick else 150, 10 if quick else 50)
    # Rendered by headless Chromium; one row saying so when chromium is not installed.
    rows += bench_ocr_realistic.rows(HELD_OUT_SEEDS[:1] if quick else HELD_OUT_SEEDS)
    rows += bench_chats.rows(20_000 if quick else 200_000)
    rows += bench_chat_view.rows(3_000 if quick else 20_000)
    took = time.perf_counter() - started
    print(f"Safekeep benchmarks on {machine()}, on {time.strftime('%Y-%m-%d')}"
          f"{' (quick)' if quick else ''} (the whole run took {took:.0f} s)\n")
    print_table(rows)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
