"""Export of many small items: time against `zip -0 -r` plus `sha256sum` of the same files, and
the export's peak memory at 1,000, 10,000 and 30,000 items (how it grows per item).

    python benchmarks/bench_export_scale.py [--items 1000 10000 30000] [--keep DIR]
        [--runs 3] [--all-described]

Goals (issue 15): 10,000 small items exported in at most 10 x the floor, peak memory under
300 MiB, and flat growth. "Small items" are what a case with thousands of items mostly holds
besides screenshots: chat logs, notes and receipts of 1-6 kB (text, HTML, JSON, PDF), a few
described and linked to an identifier, each with its audit event and its file's modified time,
as intake stores them. The file times are spread over two months, a few minutes apart, as a
person's saved logs are (items with one time to the minute would share a chronology row, which
would flatter the figure). One item in five is described, and so has a row of its own in the
chronology; the others of each day share one there, as the report shows a day's undescribed
items. `--all-described` describes every item, the report's worst case: every item has a row
of its own in the chronology as well as in the table of exhibits. Each item gets a short entry
in the report, not a page (pictures are measured by bench_export.py).

The floor is `zip -0 -q -r` (store only, as Safekeep stores) plus `sha256sum` of the same files
in a folder. Both run three times per size (`--runs`), interleaved (floor, export, floor...),
and the medians are compared (each run started once what the runs before it wrote is on
the disk: common.settled); the least and the most are printed beside them (a single run
of each, or the best floor against one export, moved the ratio by a fifth on this shared
machine). Each export runs in a fresh process, so its peak memory is its own: the peak is
the whole process (Python, SQLAlchemy, ReportLab and the case's pages), reset after the case is
opened so the key derivation's 64 MiB does not count. The report is drawn in a second process
(app/export/report_process.py); one more run per size, not timed, samples the two together
every 5 ms from a process of its own (proportional set sizes, so the pages they share count
once), and the peak row takes whichever is more.
"""

import argparse
import hashlib
import json
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import PSS_SAMPLER, Row, machine, print_table, settled, spread

GOAL_RATIO = 10.0
GOAL_PEAK_MIB = 300.0
RUNS = 3  # interleaved runs of the export and of the floor, per size
PASSPHRASE = "bench passphrase"
_KINDS = (
    ("chat-{n}.txt", "text", "text/plain"),
    ("messages-{n}.html", "document", "text/html"),
    ("export-{n}.json", "document", "application/json"),
    ("receipt-{n}.pdf", "document", "application/pdf"),
)


def small_file(number: int, rng: random.Random) -> tuple[str, str, str, bytes]:
    name, kind, mime = _KINDS[number % len(_KINDS)]
    lines = [f"[{rng.randrange(10, 23)}:{rng.randrange(10, 59)}] {rng.choice(['me', 'them'])}: "
             + " ".join(rng.choice(("pay", "now", "or", "everyone", "sees", "the", "video",
                                    "please", "stop", "24", "hours", "£500", "western", "union"))
                        for _ in range(rng.randrange(4, 14)))
             for _ in range(rng.randrange(15, 70))]
    body = "\n".join(lines).encode()
    if mime == "application/pdf":
        body = b"%PDF-1.4\n% " + body[:3000] + b"\n%%EOF\n"
    return name.format(n=number), kind, mime, body


def build_case(path: Path, folder: Path, items: int, all_described: bool = False) -> None:
    """A case of `items` small files, stored as intake stores them; the same files in `folder`
    for the floor."""
    from app.core.records import add_identifier
    from app.core.records.audited import audit
    from app.models import EvidenceItem
    from app.models.casefile import CaseFile
    from app.models.content import store_bytes

    rng = random.Random(items)
    folder.mkdir(parents=True, exist_ok=True)
    saved = datetime(2024, 1, 5, 9, 0, tzinfo=UTC)
    case = CaseFile.create(path, PASSPHRASE, display_name="Many small items", actor="bench",
                           kdf_profile=1)
    with case:
        for start in range(0, items, 500):
            with case.write() as session:
                for number in range(start, min(start + 500, items)):
                    name, kind, mime, data = small_file(number, rng)
                    (folder / name).write_bytes(data)
                    sha = hashlib.sha256(data).hexdigest()
                    saved += timedelta(minutes=rng.randrange(2, 12), seconds=rng.randrange(60))
                    row = EvidenceItem(sha256=sha, size=len(data), original_name=name, kind=kind,
                                       detected_type=mime, preview_status="none",
                                       file_modified_at=saved,
                                       description=f"Chat log part {number}"
                                       if all_described or number % 5 == 0
                                       else "")
                    session.add(row)
                    session.flush()
                    store_bytes(session, row.id, data)
                    audit(session, case.actor, "evidence.add", f"evidence:{row.id}",
                          {"sha256": sha, "name": name, "size": len(data)})
        for number in range(20):
            add_identifier(case, "email", f"anna.smith.love{number}@example.com",
                           evidence_ids=list(range(1 + number, items + 1, 997)))


def floor_seconds(folder: Path, work: Path) -> float:
    """One run of `zip -0 -q -r` plus `sha256sum` of the files (warm cache)."""
    target = work / "floor.zip"
    target.unlink(missing_ok=True)
    settled()
    started = time.perf_counter()
    subprocess.run(["zip", "-q", "-0", "-r", str(target), folder.name], cwd=folder.parent,
                   check=True)
    with (work / "floor.sums").open("wb") as sums:
        subprocess.run(["find", ".", "-type", "f", "-exec", "sha256sum", "--", "{}", "+"],
                       cwd=folder, check=True, stdout=sums)
    return time.perf_counter() - started


def _zip_peak_mib(folder: Path, target: Path) -> float:
    """zip's own high-water mark, read from /proc every 2 ms while it runs (in a run that is
    not timed). The kernel's figure for a finished child counts the memory of the process it
    was started from (this one, larger than zip), which hid zip's growth."""
    target.unlink(missing_ok=True)
    zipping = subprocess.Popen(["zip", "-q", "-0", "-r", str(target), folder.name],
                               cwd=folder.parent)
    peak_kib = 0
    status = Path(f"/proc/{zipping.pid}/status")
    while zipping.poll() is None:
        try:
            for line in status.read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak_kib = max(peak_kib, int(line.split()[1]))
        except (OSError, ValueError):  # it ended between the check and the read
            break
        time.sleep(0.002)
    if zipping.wait() != 0:
        raise RuntimeError("zip failed")
    return peak_kib / 1024


_CHILD = """
import json, os, subprocess, sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from app.export import export_bundle
from app.models.casefile import CaseFile

def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0

case = CaseFile.open(Path({case!r}), {passphrase!r}, actor="bench")
import reportlab.platypus  # as the app would have it loaded once a bundle was made
os.sync()  # the copy of the case made for this export on the disk first (common.settled)
with open("/proc/self/clear_refs", "w") as handle:
    handle.write("5")  # the peak from here on: the export's, not the key derivation's
before = hwm()
sampler = None
if {sampled!r}:  # a process of its own: a thread here waits for the export's lock
    sampler = subprocess.Popen([sys.executable, "-c", {sampler!r}, str(os.getpid())],
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    sampler.stdout.readline()  # it has begun
started = time.perf_counter()
result = export_bundle(case, Path({out!r}))
seconds = time.perf_counter() - started
together = 0.0
if sampler is not None:
    together = float(sampler.communicate("")[0].strip() or 0) / 1024
case.close()
print(json.dumps({{"seconds": seconds, "peak": hwm(), "before": before,
                  "together": together, "bytes": result.bytes_written}}))
"""


def export_in_child(case: Path, out: Path, sampled: bool = False) -> dict[str, float]:
    """Export a fresh copy of `case` (each export adds an event to the case's audit log that
    lists every file of its bundle: a case exported before is not the same case). `sampled`:
    the memory of the export's process and of the report's (its child) together, as their
    proportional set sizes (shared pages counted once) every 5 ms: a run not timed, since
    reading them takes time."""
    out.unlink(missing_ok=True)
    copy = case.with_name(f"export-copy-{case.name}")
    shutil.copyfile(case, copy)
    try:
        code = _CHILD.format(root=str(Path(__file__).resolve().parents[1]), case=str(copy),
                             passphrase=PASSPHRASE, out=str(out), sampled=sampled,
                             sampler=PSS_SAMPLER)
        done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                              text=True)
    finally:
        copy.unlink(missing_ok=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def measure(sizes: list[int], keep: Path | None = None, verbose: bool = True,
            all_described: bool = False, runs: int = RUNS) -> dict[int, dict[str, Any]]:
    """Per size: the export and the floor, `runs` times each, interleaved (floor, export,
    floor, export...) so that drift on the machine hits both alike; zip's own peak once."""
    work = keep or Path(tempfile.mkdtemp(prefix="bench-export-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[int, dict[str, Any]] = {}
    try:
        for items in sizes:
            shape = "-described" if all_described else ""
            folder = work / f"files-{items}{shape}"
            case = work / f"case-{items}{shape}.skcase"
            if not case.exists():
                shutil.rmtree(folder, ignore_errors=True)
                started = time.perf_counter()
                build_case(case, folder, items, all_described)
                if verbose:
                    print(f"built a case of {items} items in "
                          f"{time.perf_counter() - started:.0f} s", flush=True)
            floors: list[float] = []
            exports: list[dict[str, float]] = []
            for _ in range(max(runs, 1)):
                floors.append(floor_seconds(folder, work))
                exports.append(export_in_child(case, work / f"bundle-{items}.zip"))
            zip_peak = _zip_peak_mib(folder, work / "floor.zip")
            together = export_in_child(case, work / f"bundle-{items}.zip", sampled=True)
            results[items] = {
                "seconds": [e["seconds"] for e in exports], "floor": floors,
                # The most any run reached: the goal is a ceiling. The export's process alone
                # peaks at its end (the audit event), when the report's process is gone; the
                # two together, while both work.
                "peak": max([e["peak"] for e in exports] + [together["together"]]),
                "own_peak": max(e["peak"] for e in exports),
                "together": together["together"], "before": exports[0]["before"],
                "zip_peak": zip_peak, "all_described": all_described}
            if verbose:
                print(f"{items} items: export {spread(results[items]['seconds'])}, floor "
                      f"{spread(floors)}, peak {results[items]['own_peak']:.0f} MiB, with "
                      f"the report's process {together['together']:.0f} MiB (before "
                      f"{exports[0]['before']:.0f} MiB), zip's peak {zip_peak:.1f} MiB",
                      flush=True)
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)
    return results


def rows_from(results: dict[int, dict[str, Any]]) -> list[Row]:
    rows: list[Row] = []
    for items, r in sorted(results.items()):
        ratio = statistics.median(r["seconds"]) / statistics.median(r["floor"])
        goal = items == 10_000
        shape = ", every one described" if r.get("all_described") else ""
        rows.append(Row(f"Export {items:,} small items{shape} vs zip -0 + sha256sum",
                        f"{ratio:.1f}x",
                        f"<= {GOAL_RATIO:.0f}x" if goal else "-",
                        ratio <= GOAL_RATIO if goal else None,
                        f"median of {len(r['seconds'])} interleaved runs: "
                        f"{spread(r['seconds'])} vs {spread(r['floor'])}; each export of a "
                        "fresh copy of the case, in a fresh process"))
    for items, r in sorted(results.items()):
        rows.append(Row(f"Export {items:,} small items: peak memory", f"{r['peak']:.0f} MiB",
                        f"< {GOAL_PEAK_MIB:.0f} MiB", r["peak"] < GOAL_PEAK_MIB,
                        f"the export's process ({r.get('own_peak', r['peak']):.0f} MiB, the "
                        f"most of {len(r['seconds'])} runs) or it and the report's process "
                        f"together ({r.get('together', 0):.0f} MiB, proportional set sizes "
                        f"sampled every 5 ms), whichever is more; {r['before']:.0f} MiB "
                        "before the export"))
    sizes = sorted(results)
    if len(sizes) >= 2:
        low, high = sizes[0], sizes[-1]
        per_item = (results[high]["peak"] - results[low]["peak"]) * 1024 / (high - low)
        zip_grew = results[high]["zip_peak"] - results[low]["zip_peak"]
        zip_per_item = zip_grew * 1024 / (high - low)
        rows.append(Row(f"  growth of the peak from {low:,} to {high:,} items",
                        f"{per_item:.1f} KiB/item", "flat", None,
                        f"{results[low]['peak']:.0f} -> {results[high]['peak']:.0f} MiB"))
        rows.append(Row("  (zip -0's own growth: a ZIP lists every file at its end)",
                        f"{zip_per_item:.2f} KiB/item", "-", None,
                        f"zip's peak grew {zip_grew:.1f} MiB; the export's growth is "
                        f"{per_item / zip_per_item:.1f}x zip's"
                        if zip_per_item > 0 else "no growth measured"))
    return rows


def rows(sizes: tuple[int, ...] = (1_000, 10_000, 30_000), runs: int = RUNS) -> list[Row]:
    return rows_from(measure(list(sizes), verbose=False, runs=runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, nargs="+", default=[1_000, 10_000, 30_000])
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (and reuse "
                        "the cases built there)")
    parser.add_argument("--runs", type=int, default=RUNS,
                        help="interleaved runs of the export and of the floor, per size")
    parser.add_argument("--all-described", action="store_true",
                        help="describe every item: each has its own chronology row")
    args = parser.parse_args()
    results = measure(args.items, args.keep, all_described=args.all_described, runs=args.runs)
    print(f"machine: {machine()}")
    print_table(rows_from(results))


if __name__ == "__main__":
    main()
