"""Text files read into a case (notes of calls, messages saved as text): `safekeep ocr` over
notes of about 30 lines each, as a whole command less `safekeep info` on the same case
(unlocking and start-up, which `info` also pays), against a floor that reads the same files
and finds one kind of detail: GNU grep printing every e-mail address in them. Then the
longest stall of the window while its background reader reads them (the reading is done in
the app's own process, in a thread: see app/core/reading/documents.py). Medians of
interleaved runs.

    python benchmarks/bench_text_documents.py [NOTES] [NOTES_IN_THE_WINDOW]
"""

import random
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_ocr import STALL_GOAL_MS, stall_reading
from benchmarks.bench_pdf_text import PASSPHRASE, ocr_less_info, seconds
from benchmarks.common import Row, interleaved, print_table, spread

RUNS = 3
_EMAIL = r"[[:alnum:]._%+-]+@[[:alnum:].-]+\.[[:alpha:]]{2,}"


def notes(folder: Path, count: int, seed: int = 5) -> list[Path]:
    """Notes as a caseworker types them after a call: times, amounts, what was said, and
    here and there the offender's e-mail, phone number or an MTCN."""
    rng = random.Random(seed)
    said = ["He said he would send the video to my family", "I did not pay",
            "They asked again for money", "I blocked the account on Instagram",
            "My friend saw the message too", "I kept the screenshots", "Call back tomorrow"]
    paths = []
    for number in range(count):
        lines = []
        for line in range(30):
            day, pounds = rng.randint(1, 28), rng.randint(50, 900)
            text = f"{day:02d}/03/2024 21:{line:02d} {rng.choice(said)}, about £{pounds}."
            if line == 7:
                text += f" E-mail: collector{number}@example.com"
            if line == 15 and number % 3 == 0:
                text += f" Phone +44 7911 {number % 1000000:06d}"
            if line == 22 and number % 5 == 0:
                text += f" MTCN {rng.randint(10**9, 10**10 - 1)}"
            lines.append(text)
        path = folder / f"note-{number:04d}.txt"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def rows(count: int = 2_000, in_window: int = 500) -> list[Row]:
    from app.core.intake import import_paths
    from app.core.reading import recognised_texts, suggestion_groups
    from app.models.casefile import CaseFile

    with tempfile.TemporaryDirectory() as folder_name:
        work = Path(folder_name)
        folder = work / "notes"
        folder.mkdir()
        paths = notes(folder, count)
        template = work / "template.skcase"
        with CaseFile.create(template, PASSPHRASE, display_name="b", actor="bench") as case:
            import_paths(case, paths)
        made: list[Path] = []
        grep = shutil.which("grep")
        programs = {"safekeep": lambda: ocr_less_info(template, made)}
        if grep:
            programs["grep"] = lambda: seconds([grep, "-E", "-o", "-h", "-r", _EMAIL,
                                                 str(folder)])
        got = interleaved(RUNS, programs)
        with CaseFile.open(made[-1], PASSPHRASE, actor="bench") as read:
            texts, details = len(recognised_texts(read)), len(suggestion_groups(read))
        if texts != count:
            raise RuntimeError(f"{texts} of {count} notes were read")
        stall, took, left = stall_reading(paths[:in_window], work)
    ours = statistics.median(got["safekeep"])
    result = [Row(
        f"Read {count} text notes: safekeep ocr, after unlocking",
        f"{ours:.2f} s", "-", None,
        f"safekeep ocr less info {spread(got['safekeep'])}, {count / ours:.0f} notes/s, "
        f"{details} details found; median of {RUNS} interleaved runs")]
    if "grep" in got:
        floor = statistics.median(got["grep"])
        result.append(Row(
            "  the same vs GNU grep printing the e-mail addresses in them",
            f"{ours / floor:.1f}x", "-", None,
            f"grep -E -o -r {spread(got['grep'])}: one kind of detail, nothing kept; Safekeep "
            f"looks for every kind, checks each, and stores the words and what it found"))
    result.append(Row(
        f"Longest GUI stall reading {in_window} text notes", f"{stall:.0f} ms",
        f"<= {STALL_GOAL_MS:.0f} ms", stall <= STALL_GOAL_MS and left == 0,
        f"the real background reader took {took:.1f} s in the window's process; "
        f"{left} left unread"))
    return result


if __name__ == "__main__":
    from PySide6.QtWidgets import QApplication

    APP = QApplication(sys.argv[:1])

    from app.ui.kit.collector import GuiThreadCollector

    GuiThreadCollector(APP).start()  # collection on the GUI thread only, as in the app
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 2_000,
                     int(sys.argv[2]) if len(sys.argv) > 2 else 500))
