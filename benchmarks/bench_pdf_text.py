"""The text of PDF documents read into a case: `safekeep ocr` over bank statements (three pages
of 45 lines each, as ReportLab writes them), as a whole command less `safekeep info` on the
same case (unlocking and start-up, which `info` also pays), against two floors that read the
same files on both cores and keep nothing: PDFium's own text extraction (the library Safekeep
uses) in two fresh processes, and Poppler's `pdftotext` program run two at a time. Medians of
interleaved runs.

    python benchmarks/bench_pdf_text.py [DOCUMENTS]
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, interleaved, print_table, settled, spread

ROOT = Path(__file__).resolve().parent.parent

PASSPHRASE = "bench passphrase for pdf text"
RUNS = 3

# The floor: every page's text taken by PDFium, in two processes started as a command is.
FLOOR = r"""
import sys
from multiprocessing import Pool

def text_of(path):
    import pypdfium2 as pdfium
    document = pdfium.PdfDocument(path)
    try:
        return sum(len(page.get_textpage().get_text_range()) for page in document)
    finally:
        document.close()

if __name__ == "__main__":
    with Pool(2) as pool:
        print(sum(pool.map(text_of, sys.argv[1:], chunksize=4)))
"""


def statements(folder: Path, count: int) -> list[Path]:
    from tests.pdf_files import text_pdf

    paths = []
    for number in range(count):
        pages = [[f"{day:02d}/03/2024  Card payment {number}-{page}-{day}  GBP {day * 7}.50  "
                  f"balance {1000 - day}.00" for day in range(1, 43)]
                 + ["Transfer to IBAN GB82 WEST 1234 5698 7654 32",
                    "Western Union MTCN 830-521-6473",
                    f"Questions: statements{number}@example.com"]
                 for page in range(3)]
        path = folder / f"statement-{number:03d}.pdf"
        path.write_bytes(text_pdf(pages))
        paths.append(path)
    return paths


def seconds(args: list[str]) -> float:
    """A command's wall time, run settled, with the passphrase given, its output dropped."""
    import time

    env = {**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    settled()
    started = time.perf_counter()
    subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def ocr_less_info(template: Path, made: list[Path]) -> float:
    """`safekeep ocr` on a fresh copy of `template` (added to `made`), less `safekeep info`
    on it: the reading, without the start-up and unlocking both pay."""
    path = template.with_name(f"run{len(made)}.skcase")
    shutil.copyfile(template, path)
    made.append(path)
    safekeep = [sys.executable, "-m", "app"]
    info = seconds([*safekeep, "info", str(path)])
    return seconds([*safekeep, "ocr", str(path)]) - info


def rows(count: int = 100) -> list[Row]:
    from app.core.intake import import_paths
    from app.models.casefile import CaseFile

    with tempfile.TemporaryDirectory() as folder_name:
        work = Path(folder_name)
        docs = work / "docs"
        docs.mkdir()
        paths = statements(docs, count)
        template = work / "template.skcase"
        case = CaseFile.create(template, PASSPHRASE, display_name="b", actor="bench")
        import_paths(case, paths)
        case.close()
        (work / "floor.py").write_text(FLOOR)
        made: list[Path] = []
        programs = {
            "pdfium": lambda: seconds([sys.executable, str(work / "floor.py"), *map(str, paths)]),
            "safekeep": lambda: ocr_less_info(template, made),
        }
        poppler = shutil.which("pdftotext")
        if poppler:
            programs["pdftotext"] = lambda: seconds(
                ["sh", "-c", 'printf "%s\\0" "$@" | xargs -0 -P 2 -I{} pdftotext -q {} /dev/null',
                 "sh", *map(str, paths)])
        got = interleaved(RUNS, programs)
        read = CaseFile.open(made[-1], PASSPHRASE, actor="bench")
        try:
            from app.core.reading import recognised_texts, suggestion_groups
            texts, details = len(recognised_texts(read)), len(suggestion_groups(read))
        finally:
            read.close()
    if texts != count:
        raise RuntimeError(f"{texts} of {count} documents were read")
    ours = statistics.median(got["safekeep"])
    result = [Row(
        f"Read the text of {count} three-page PDF statements vs PDFium alone on two processes",
        f"{ours / statistics.median(got['pdfium']):.2f}x", "-", None,
        f"safekeep ocr less info {spread(got['safekeep'])}, {count / ours:.0f} documents/s, "
        f"{details} details found; PDFium taking every page's text in two fresh processes, "
        f"keeping nothing, {spread(got['pdfium'])}; median of {RUNS} interleaved runs")]
    if "pdftotext" in got:
        result.append(Row(
            "  the same vs Poppler's pdftotext, two at a time",
            f"{ours / statistics.median(got['pdftotext']):.2f}x", "-", None,
            f"pdftotext {spread(got['pdftotext'])}, one process a document, text thrown away"))
    return result


if __name__ == "__main__":
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
