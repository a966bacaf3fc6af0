"""A spare copy of an open case (Settings' "Save a copy", `safekeep copy`) against copying the
case file with the standard tools: `cp CASE COPY && sync && sha256sum COPY`.

The floor flatters itself, said here and in the table: `cp` copies the encrypted bytes as they
are, while Safekeep decrypts every page and encrypts it again for the new file (the copy is of
one moment of an open case, which `cp` of an open case is not: part of it is in its -wal
file), then reads the copy back whole (every page's HMAC and every b-tree) before it gets its
name; `sha256sum` stands for that reading back. No goal: shown so the time a person waits is
known. The case holds one video of the given size (random bytes); medians of interleaved runs
(floor, Safekeep, again...) with min and max, each run started once what the runs before it
wrote is on the disk (common.settled).

    python benchmarks/bench_case_copy.py [MiB]
"""

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.intake import import_paths
from app.models.case_copy import save_copy
from app.models.casefile import CaseFile
from benchmarks.common import Row, print_table, settled

MiB = 1024 * 1024
PASSPHRASE = "bench passphrase"
RUNS = 3


def _floor(case_path: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run(["cp", str(case_path), str(out)], check=True)
    subprocess.run(["sync"], check=True)
    subprocess.run(["sha256sum", str(out)], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s ({min(values):.2f}-{max(values):.2f})"


def rows(size: int = 512 * MiB) -> list[Row]:
    with tempfile.TemporaryDirectory(prefix="safekeep-bench-copy-") as tmp:
        folder = Path(tmp)
        video = folder / "call.mp4"
        with video.open("wb") as handle:
            handle.write(b"\x00\x00\x00\x18ftypmp42")
            for _ in range(size // MiB):
                handle.write(os.urandom(MiB))
        case_path = folder / "case.skcase"
        CaseFile.create(case_path, PASSPHRASE, display_name="Copy bench", actor="bench",
                        kdf_profile=1).close()
        mine: list[float] = []
        floor: list[float] = []
        with CaseFile.open(case_path, PASSPHRASE, actor="bench", record_open=False) as case:
            import_paths(case, [video])
            video.unlink()
            case_size = case_path.stat().st_size
            for run in range(RUNS):
                settled()
                floor.append(_floor(case_path, folder / f"cp-{run}"))
                (folder / f"cp-{run}").unlink()
                settled()
                started = time.perf_counter()
                save_copy(case, folder / f"copy-{run}.skcase")
                mine.append(time.perf_counter() - started)
                (folder / f"copy-{run}.skcase").unlink()
    ratio = statistics.median(mine) / statistics.median(floor)
    return [Row(f"Save a spare copy of a {case_size / MiB:,.0f} MiB case vs cp + sync + "
                f"sha256sum", f"{ratio:.1f}x", "-", None,
                f"median of {RUNS} interleaved runs: {_spread(mine)} vs {_spread(floor)}; the "
                "copy decrypts and encrypts every page again and reads the copy back whole; "
                "cp copies the bytes as they are")]


if __name__ == "__main__":
    print_table(rows(int(sys.argv[1]) * MiB if len(sys.argv) > 1 else 512 * MiB))
