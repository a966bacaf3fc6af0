"""One big file (a video) added as evidence, against copying it and hashing the copy with the
standard tools: `cp FILE COPY && sha256sum COPY`, on the same disk (issue 18: at most 2.0x, and
memory flat, under 150 MiB beyond the key derivation, at 1 GiB and at 3 GiB).

The floor flatters itself in one way, said here and in the table: `cp` does not fsync, so its
copy may still be in the page cache when it "finishes", while Safekeep fsyncs every part it
commits (an item reported as added survives a power cut). So `cp` + `sync` + `sha256sum` is
shown too. Safekeep is measured in a fresh process like `safekeep add-evidence` (open the case,
import, close): the ratio counts from the moment the key is derived (unlocking is the same
second or two whatever is added, and is shown on its own), the whole process is shown too.
Medians of interleaved runs (floor, floor + sync, Safekeep, again...), with min and max; each
run starts once what the runs before it wrote is on the disk (common.settled).

    python benchmarks/bench_big_file.py [MiB ...]
"""

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.models.casefile import CaseFile
from benchmarks.common import Row, print_table, settled

MiB = 1024 * 1024
GiB = 1024 * MiB
PASSPHRASE = "bench passphrase"
RUNS = 3

MEASURE = """
import json, os, sys, time

def vm(field):
    for line in open("/proc/self/status"):
        if line.startswith(field):
            return int(line.split()[1]) / 1024

if __name__ == "__main__":  # the preview pool starts its workers by spawning
    from app.core.intake import import_paths
    from app.models.casefile import CaseFile
    case = CaseFile.open(sys.argv[1], sys.argv[2], actor="bench")
    kdf_peak = vm("VmHWM")  # Argon2id's memory is in this peak, by design, and freed after
    with open("/proc/self/clear_refs", "w") as refs:
        refs.write("5")  # reset the peak: from here on it measures the import
    start = time.perf_counter()  # the key is derived: the clock starts here
    cpu = os.times()
    [outcome] = import_paths(case, [sys.argv[3]])
    case.close()  # the last connection closes: the write-ahead log is folded into the file
    elapsed = time.perf_counter() - start
    end = os.times()  # this process's threads, and the preview workers it started and reaped
    cpu_seconds = sum(end[:4]) - sum(cpu[:4])
    assert outcome.status == "added", outcome
    print(json.dumps({"seconds": elapsed, "cpu": cpu_seconds, "peak_mib": vm("VmHWM"),
                      "kdf_peak_mib": kdf_peak}))
"""


def write_random(path: Path, size: int) -> None:
    """Bytes that do not compress, as a video's do."""
    with path.open("wb") as handle:
        left = size
        while left:
            piece = min(left, 64 * MiB)
            handle.write(os.urandom(piece))
            left -= piece


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor_run(source: Path, work: Path, *, sync: bool) -> tuple[float, float]:
    """Seconds and CPU seconds of the floor."""
    copy = work / "copy.bin"
    cpu = _children_cpu()
    settled()
    start = time.perf_counter()
    subprocess.run(["cp", str(source), str(copy)], check=True)
    if sync:
        subprocess.run(["sync", str(copy)], check=True)  # fsync of the copy
    subprocess.run(["sha256sum", str(copy)], check=True, capture_output=True)
    elapsed = time.perf_counter() - start
    copy.unlink()
    return elapsed, _children_cpu() - cpu


def safekeep_run(source: Path, empty_case: Path, work: Path) -> dict[str, float]:
    case = work / "run.skcase"
    shutil.copyfile(empty_case, case)
    settled()
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", MEASURE, str(case), PASSPHRASE, str(source)],
        capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)},
    )
    whole = time.perf_counter() - start
    case.unlink()
    return {**json.loads(proc.stdout.strip().splitlines()[-1]), "whole": whole}


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def _size_name(size: int) -> str:
    return f"{size // GiB} GiB" if size % GiB == 0 else f"{size // MiB} MiB"


def rows_for(size: int, work: Path, empty_case: Path) -> list[Row]:
    source = work / "video.bin"
    write_random(source, size)
    load_before = os.getloadavg()[0]
    floors: list[float] = []
    floor_cpu: list[float] = []
    synced: list[float] = []
    runs: list[dict[str, float]] = []
    try:
        for _ in range(RUNS):  # interleaved, so a busy moment on the machine hits all three
            seconds, cpu = floor_run(source, work, sync=False)
            floors.append(seconds)
            floor_cpu.append(cpu)
            synced.append(floor_run(source, work, sync=True)[0])
            runs.append(safekeep_run(source, empty_case, work))
    finally:
        source.unlink()
    load = f"load {load_before:.1f} to {os.getloadavg()[0]:.1f}"
    app = [r["seconds"] for r in runs]
    whole = [r["whole"] for r in runs]
    ratios = [a / f for a, f in zip(app, floors, strict=True)]
    ratio = statistics.median(app) / statistics.median(floors)
    name = _size_name(size)
    peak = max(r["peak_mib"] for r in runs)
    kdf_peak = max(r["kdf_peak_mib"] for r in runs)
    return [
        Row(f"Add a {name} file vs cp + sha256sum", f"{ratio:.2f}x", "<= 2.0x", ratio <= 2.0,
            f"after the key is derived, to the case closed: {_spread(app)} vs `cp` to the same "
            f"disk (no fsync) then `sha256sum` of the copy {_spread(floors)}; per-run ratios "
            f"{min(ratios):.2f}-{max(ratios):.2f}x; median of {RUNS} interleaved; {load}"),
        Row(f"Add a {name} file vs cp + sync + sha256sum; whole process",
            f"{statistics.median(app) / statistics.median(synced):.2f}x", "-", None,
            f"floor with the copy fsynced: {_spread(synced)}; the whole process (start, "
            f"unlock, import, close) {_spread(whole)} = "
            f"{statistics.median(whole) / statistics.median(floors):.2f}x cp + sha256sum; "
            f"CPU time after the key {statistics.median(r['cpu'] for r in runs):.2f} s vs the "
            f"floor's {statistics.median(floor_cpu):.2f} s (less swayed by a busy machine)"),
        Row(f"Add a {name} file: peak memory beyond unlocking", f"{peak:.0f} MiB", "< 150 MiB",
            peak < 150,
            f"whole process after the key is derived (unlocking itself peaks at "
            f"{kdf_peak:.0f} MiB: Argon2id is memory-hard on purpose)"),
    ]


def rows(sizes: tuple[int, ...] = (GiB, 3 * GiB)) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-big-"))
    try:
        empty_case = work / "empty.skcase"
        CaseFile.create(empty_case, PASSPHRASE, display_name="big file", actor="bench").close()
        result: list[Row] = []
        for size in sizes:
            result += rows_for(size, work, empty_case)
        return result
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    chosen = tuple(int(arg) * MiB for arg in sys.argv[1:]) or (GiB, 3 * GiB)
    print_table(rows(chosen))
