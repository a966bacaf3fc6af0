"""Every performance goal from docs/DESIGN.md, measured in one run on this machine, as one table.

    python benchmarks/run_all.py [--quick] [--only=GROUP,GROUP]

Each row is a ratio or a figure measured here and now against its goal; nothing is a timed
test. Run it on a quiet machine: other work on the same cores skews every ratio.
`--quick` uses smaller workloads (for checking the scripts, not for the README).
Each group's rows are printed as they finish ("row | ..."), so a crash keeps what was measured;
a group that raises gives a "failed" row and the run goes on; the load average at the start
and the end is printed with the table.
"""

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import (
    bench_big_file,
    bench_case_copy,
    bench_chat_html,
    bench_chat_view,
    bench_chats,
    bench_export,
    bench_export_scale,
    bench_frozen_startup,
    bench_import,
    bench_import_small,
    bench_ocr,
    bench_ocr_cli,
    bench_ocr_realistic,
    bench_open,
    bench_pdf_text,
    bench_stall,
    bench_startup,
    bench_text_documents,
)
from benchmarks.common import Row, machine, print_table
from benchmarks.ocr_realistic import HELD_OUT_SEEDS

MiB = 1024 * 1024
Group = tuple[str, Callable[[], list[Row]]]


def groups(quick: bool) -> list[Group]:
    """Each benchmark module's rows, made when called, in the order they run."""
    return [
        ("start-up", lambda: bench_startup.rows(runs=3 if quick else 7)),
        # The program scripts/build_app.sh built; one row saying so when there is none.
        ("built program start-up", lambda: bench_frozen_startup.rows(runs=3 if quick else 5)),
        ("import", lambda: bench_import.rows(40 if quick else 200)),
        ("big file", lambda: bench_big_file.rows(
            (256 * MiB,) if quick else (1024 * MiB, 3072 * MiB))),
        ("small files", lambda: bench_import_small.rows(1_000 if quick else 10_000)),
        ("spare copy", lambda: bench_case_copy.rows((64 if quick else 1024) * MiB)),
        ("open", lambda: bench_open.rows(
            (1_000, 3_000) if quick else (10_000, 30_000),
            (200, 1_000, 3_000) if quick else (1_000, 10_000, 30_000))),
        ("export", lambda: bench_export.rows(50 if quick else 1_000)),
        ("export at scale", lambda: bench_export_scale.rows(
            (200, 1_000, 3_000) if quick else (1_000, 10_000, 30_000))),
        ("stalls", lambda: bench_stall.rows(40 if quick else 200)),
        ("text recognition", lambda: bench_ocr.rows(30 if quick else 150, 10 if quick else 50)),
        ("text recognition vs tesseract", lambda: bench_ocr_cli.rows(3 if quick else 9,
                                                                     1 if quick else 3)),
        # Rendered by headless Chromium; one row saying so when chromium is not installed.
        ("realistic screenshots", lambda: bench_ocr_realistic.rows(
            HELD_OUT_SEEDS[:1] if quick else HELD_OUT_SEEDS)),
        ("chat exports", lambda: bench_chats.rows(20_000 if quick else 200_000)),
        ("chat exports in HTML", lambda: bench_chat_html.rows(10_000 if quick else 50_000)),
        ("chat view", lambda: bench_chat_view.rows(3_000 if quick else 20_000)),
        ("PDF text", lambda: bench_pdf_text.rows(30 if quick else 100)),
        ("text files", lambda: bench_text_documents.rows(300 if quick else 2_000,
                                                          100 if quick else 500)),
    ]


def run_group(name: str, make: Callable[[], list[Row]]) -> list[Row]:
    """A group's rows, each printed as soon as the group ends (a later crash of the whole
    process must not lose them); a group that fails gives one row saying so, and the run
    goes on."""
    try:
        rows = make()
    except Exception as error:  # a benchmark's own bug must not lose the others' figures
        said = (str(error).splitlines() or [""])[0][:160]
        rows = [Row(f"{name}: did not finish", "failed", "-", False,
                    f"{type(error).__name__}: {said}")]
    for row in rows:
        print("row | " + " | ".join(row.cells()), flush=True)
    return rows


def chosen(all_groups: list[Group], argv: list[str]) -> list[Group]:
    """`--only start-up,import` runs those groups (names as in groups()), in their order."""
    for arg in argv:
        if arg.startswith("--only="):
            wanted = {name.strip() for name in arg.split("=", 1)[1].split(",")}
            unknown = wanted - {name for name, _ in all_groups}
            if unknown:
                raise SystemExit(f"no such group: {', '.join(sorted(unknown))}")
            return [group for group in all_groups if group[0] in wanted]
    return all_groups


def main() -> int:
    quick = "--quick" in sys.argv
    from PySide6.QtWidgets import QApplication

    app = QApplication(sys.argv[:1])  # for the stall benchmark; outlives what it makes
    from app.ui.kit.collector import GuiThreadCollector

    collector = GuiThreadCollector(app)  # collection on the GUI thread only, as in the app
    collector.start()
    load_before = os.getloadavg()
    started = time.perf_counter()
    rows: list[Row] = []
    for name, make in chosen(groups(quick), sys.argv[1:]):
        rows += run_group(name, make)
    took = time.perf_counter() - started
    load_after = os.getloadavg()
    print(f"\nSafekeep benchmarks on {machine()}, on {time.strftime('%Y-%m-%d')}"
          f"{' (quick)' if quick else ''} (the whole run took {took:.0f} s; load average "
          f"{load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end)\n")
    print_table(rows)
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
