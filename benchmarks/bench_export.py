"""Export of 1,000 1080p screenshots vs `zip -0 -q -r` + `sha256sum` of the same files.

    python benchmarks/bench_export.py [--items 1000] [--keep DIR] [--runs 3]

Goal (issue 15): export at most 2.0 x the floor, which is `zip -0` (store only, as Safekeep
stores PNGs) plus `sha256sum`. The old goal, 1.5 x deflating `zip`, is printed for reference:
against a zip that spends its time deflating PNGs for nothing, the ratio flatters. Both sides
read warm files: the screenshots from a folder, the case from its encrypted file. Each timed
run starts once what earlier runs wrote is on the disk (`settled`), so no run pays for
another's writing; the export's own `fsync` of its bundle is counted, as a person waits for
it, and zip does not make one. The export
does more than the floor (decrypts every page, re-hashes every original, writes CSV, manifest
and a PDF report with a page per picture, embedding the reading-size JPEG made at import), so
the table also shows where its time goes. `--before-v5` stores no reading-size pictures, as a
case imported before schema v5: the report then decodes every picture again in the sandboxed
preview workers.

Screenshots are generated (flat UI, text, and a noisy "photo" region so PNG cannot squeeze
them to nothing: ~0.8 MB each, like real ones) with 2 processes, and stored in the case as
intake stores them (hash, 1 MiB chunks, JPEG thumbnail and reading-size JPEG, made by the
same function as intake's workers run, audit event).
"""

import argparse
import hashlib
import io
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from PIL import Image, ImageDraw

from app.core.pictures.preview import READING_SIDE, make_preview_inline
from app.core.records.audited import audit
from app.export import export_bundle
from app.models import EvidenceItem, EvidenceReadingImage, EvidenceThumbnail
from app.models.casefile import CaseFile
from app.models.content import store_bytes
from benchmarks.common import Row, TogetherPeak, print_table, settled, spread

GOAL = 2.0  # x zip -0 + sha256sum
OLD_GOAL = 1.5  # x deflating zip + sha256sum
RUNS = 3  # interleaved runs of the export and of its floor


Made = tuple[str, str, int, bytes, int, int, bytes | None, int, int]


def make_screenshot(args: tuple[Path, int]) -> Made:
    folder, number = args
    image = Image.new("RGB", (1920, 1080), (245, 246, 248))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 1920, 64), fill=(59, 89, 152))
    draw.text((24, 24), f"Messenger - conversation {number}", fill="white")
    for row in range(22):
        y = 100 + row * 42
        draw.rounded_rectangle((60, y, 1100, y + 32), radius=10,
                               fill=(255, 255, 255) if row % 2 else (208, 228, 255))
        draw.text((76, y + 10), f"{number}:{row} you have 24 hours to pay or everyone sees it",
                  fill=(20, 20, 20))
    image.paste(Image.frombytes("RGB", (640, 360), os.urandom(640 * 360 * 3)), (1200, 300))
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    data = out.getvalue()
    name = f"Screenshot {number:04d}.png"
    (folder / name).write_bytes(data)
    preview = make_preview_inline(data=data, reading_side=READING_SIDE)  # as intake's workers
    assert preview.thumbnail is not None and preview.reading is not None
    return (name, hashlib.sha256(data).hexdigest(), len(data), preview.thumbnail,
            preview.thumb_width or 0, preview.thumb_height or 0, preview.reading,
            preview.reading_width or 0, preview.reading_height or 0)


def store(case: CaseFile, folder: Path, made: list[Made], *, before_v5: bool = False) -> None:
    for start in range(0, len(made), 50):
        with case.write() as session:
            for name, sha, size, thumb, tw, th, reading, rw, rh in made[start:start + 50]:
                row = EvidenceItem(sha256=sha, size=size, original_name=name, kind="screenshot",
                                   detected_type="image/png", width=1920, height=1080,
                                   preview_status="ok")
                session.add(row)
                session.flush()
                data = (folder / name).read_bytes()
                store_bytes(session, row.id, data)
                session.add(EvidenceThumbnail(evidence_id=row.id, width=tw, height=th, jpeg=thumb))
                if reading is not None and not before_v5:
                    session.add(EvidenceReadingImage(evidence_id=row.id, width=rw, height=rh,
                                                     jpeg=reading))
                audit(session, case.actor, "evidence.add", f"evidence:{row.id}",
                      {"sha256": sha, "name": name, "size": size})


def baseline(folder: Path, work: Path, *, store_only: bool = False) -> float:
    target = work / "baseline.zip"
    target.unlink(missing_ok=True)
    settled()
    started = time.perf_counter()
    level = ["-0"] if store_only else []
    subprocess.run(["zip", "-q", *level, "-r", str(target), folder.name], cwd=folder.parent,
                   check=True)
    with (work / "baseline.sums").open("wb") as sums:
        subprocess.run("sha256sum -- *", shell=True, cwd=folder, check=True, stdout=sums)
    return time.perf_counter() - started


def baseline_side_by_side(folder: Path, work: Path) -> float:
    """`zip -0` and `sha256sum` at the same time: the two-process floor. The export reads
    the originals in one thread while another hashes and writes them, so on two cores it is
    also compared with both tools running at once."""
    target = work / "baseline.zip"
    target.unlink(missing_ok=True)
    settled()
    started = time.perf_counter()
    with (work / "baseline.sums").open("wb") as sums:
        zipping = subprocess.Popen(["zip", "-q", "-0", "-r", str(target), folder.name],
                                   cwd=folder.parent)
        subprocess.run("sha256sum -- *", shell=True, cwd=folder, check=True, stdout=sums)
        if zipping.wait() != 0:
            raise RuntimeError("zip failed")
    return time.perf_counter() - started


def measure(items: int, keep: Path | None = None, *, verbose: bool = True,
            before_v5: bool = False, runs: int = RUNS) -> dict[str, Any]:
    """Seconds for the export and the baselines, plus the export's phases (of its last run).
    The export and `zip -0` + `sha256sum` run `runs` times, interleaved; their medians are
    compared."""
    for tool in ("zip", "sha256sum"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not installed; the baseline needs it")
    work = keep or Path(tempfile.mkdtemp(prefix="bench-export-"))
    work.mkdir(parents=True, exist_ok=True)
    folder = work / "screenshots"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    try:
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            made = list(pool.map(make_screenshot, [(folder, i) for i in range(items)],
                                 chunksize=20))
        total_bytes = sum(m[2] for m in made)
        if verbose:
            print(f"generated {len(made)} screenshots, {total_bytes / 1e6:.0f} MB, "
                  f"in {time.perf_counter() - started:.1f} s", flush=True)
        case_path = work / "bench.skcase"
        case_path.unlink(missing_ok=True)
        case = CaseFile.create(case_path, "bench passphrase", display_name="Benchmark",
                               actor="bench", kdf_profile=1)
        with case:
            store(case, folder, made, before_v5=before_v5)
        base = baseline(folder, work)
        base_two = baseline_side_by_side(folder, work)
        # zip deflates PNGs by default, for almost no gain; Safekeep stores them. The goal's
        # floor is zip told to store (-0): timed `runs` times, interleaved with the export.
        stored: list[float] = []
        exports: list[float] = []
        peaks: list[float] = []
        for _ in range(max(runs, 1)):
            stored.append(baseline(folder, work, store_only=True))
            export, peak, before, phases, written = _export_copy(case_path, work)
            exports.append(export)
            peaks.append(peak)
        # One more, not timed: the two processes' memory together (the report's is forked).
        together = _export_copy(case_path, work, sampled=True)[1]
        return {"export": statistics.median(exports), "exports": exports,
                "zip": base, "zip_stored": statistics.median(stored), "stored": stored,
                "zip_two": base_two, "bytes": float(written), "peak": max(peaks),
                "together": together,
                "before": before, **{f"phase: {k}": v for k, v in phases.items()
                                     if k and v >= 0.01}}
    finally:
        if keep is None:
            shutil.rmtree(work, ignore_errors=True)


def _export_copy(case_path: Path, work: Path, sampled: bool = False) -> tuple[
        float, float, float, dict[str, float], int]:
    """Export a fresh copy of the case (each export adds an audit event listing every file of
    its bundle: a case exported before is not the same case): seconds, peak and starting
    memory (MiB), the time of each phase, and the bundle's size. `sampled`: the peak is this
    process and the report's together (TogetherPeak), and the seconds are not a timing."""
    copy = work / "export-copy.skcase"
    shutil.copyfile(case_path, copy)
    phases: dict[str, float] = {}
    last_at = [time.perf_counter()]
    last_label = [""]

    def progress(done: int, total: int, label: str) -> None:
        if label != last_label[0]:  # a new phase: the time since then was the old one
            now = time.perf_counter()
            old = last_label[0]
            key = "copying originals" if old.startswith("Copying") else old
            phases[key] = phases.get(key, 0.0) + now - last_at[0]
            last_at[0], last_label[0] = now, label

    try:
        with CaseFile.open(copy, "bench passphrase", actor="bench") as case:
            out = work / "bundle.zip"
            out.unlink(missing_ok=True)
            before = _reset_peak()
            settled()
            started = last_at[0] = time.perf_counter()
            if sampled:
                with TogetherPeak() as together:
                    result = export_bundle(case, out, progress=progress)
            else:
                result = export_bundle(case, out, progress=progress)
            seconds = time.perf_counter() - started
            peak = together.mib if sampled else _peak()
    finally:
        copy.unlink(missing_ok=True)
    return seconds, peak, before, phases, result.bytes_written


def _peak() -> float:
    """This process's peak resident memory (MiB) since the last reset (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _reset_peak() -> float:
    """Start the peak afresh (the screenshots and case made before the export do not count);
    returns the memory in use now."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        pass
    return _peak()


def rows(items: int = 1000, runs: int = RUNS) -> list[Row]:
    return rows_from(items, measure(items, verbose=False, runs=runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=1000)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--runs", type=int, default=RUNS,
                        help="interleaved runs of the export and of zip -0 + sha256sum")
    parser.add_argument("--before-v5", action="store_true",
                        help="no reading-size pictures kept: the report decodes every picture")
    args = parser.parse_args()
    r = measure(args.items, args.keep, before_v5=args.before_v5, runs=args.runs)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"{'measure':<44}{'seconds':>10}")
    print(f"{'zip -q -r + sha256sum (baseline)':<44}{r['zip']:>10.2f}")
    print(f"{'zip -0 -q -r + sha256sum (store only)':<44}{r['zip_stored']:>10.2f}")
    print(f"{'zip -0 and sha256sum side by side':<44}{r['zip_two']:>10.2f}")
    print(f"{'export_bundle (whole)':<44}{r['export']:>10.2f}")
    for name, seconds in r.items():
        if name.startswith("phase: "):
            print(f"{'  of which: ' + name[7:].lower():<44}{seconds:>10.2f}")
    print(f"{'bundle size (MB)':<44}{r['bytes'] / 1e6:>10.0f}")
    print_table(rows_from(args.items, r))


def rows_from(items: int, r: dict[str, Any]) -> list[Row]:
    ratio = r["export"] / r["zip_stored"]
    report = next((v for k, v in r.items() if k.lower() == "phase: writing the report"), 0.0)
    peak = max(r["peak"], r["together"])
    return [
        Row(f"Export {items} screenshots vs zip -0 + sha256sum", f"{ratio:.2f}x",
            f"<= {GOAL}x", ratio <= GOAL,
            f"median of {len(r['exports'])} interleaved runs: {spread(r['exports'])} vs "
            f"{spread(r['stored'])}; the report (a page per picture, the pictures kept at "
            "import embedded) is drawn in a second process while the originals are copied: "
            f"{report:.1f} s beyond them (what it reads from the case first, the wait for it "
            "after)"),
        Row("  (the same vs zip -0 and sha256sum side by side)",
            f"{r['export'] / r['zip_two']:.2f}x", "-", None,
            f"both at once, {r['zip_two']:.1f} s: the two-core floor (the export reads "
            "in one thread while another hashes and writes)"),
        Row("  (the same vs deflating zip: the old goal)", f"{r['export'] / r['zip']:.2f}x",
            f"<= {OLD_GOAL}x", r["export"] / r["zip"] <= OLD_GOAL, f"zip took {r['zip']:.1f} s"),
        Row(f"Export {items} screenshots: peak memory", f"{peak:.0f} MiB", "-", None,
            f"the export's process ({r['peak']:.0f} MiB, the most of {len(r['exports'])} "
            f"runs) or it and the report's process together ({r['together']:.0f} MiB, "
            "proportional set sizes sampled every 5 ms in one more run), whichever is more; "
            f"{r['before']:.0f} MiB before the export; the bundle "
            f"{r['bytes'] / 1e6:.0f} MB (its report is written to disk as it is made)"),
    ]


if __name__ == "__main__":
    main()
