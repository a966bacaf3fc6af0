"""Import of 1080p screenshots, as whole commands, against the honest floor on two cores.

    python benchmarks/bench_import.py [COUNT] [RUNS]
    python benchmarks/bench_import.py --folder DIR [RUNS]

With --folder, the whole-command row only, over the PNG and JPEG pictures in DIR: realistic
screenshots rendered by Chromium (`python -m benchmarks.ocr_realistic.render DIR --seeds 7 8
9 10 11` makes 210: phone and desktop sizes up to 2560 x 1600, PNG and JPEG), which the drawn
screenshots below flatter (they compress 150:1 and are all 1920 x 1080 PNGs).

- The floor, in words: one Python command that starts two processes and has them decode and
  thumbnail every screenshot with Pillow, half each (a two-core machine, used fully, doing
  nothing but the decoding every import must do). Its whole run is timed, start-up included.
- Safekeep: the whole `safekeep add-evidence CASE FOLDER` command, less the whole
  `safekeep info CASE` command on the same case (interpreter start, imports and the Argon2id key
  derivation, which do not depend on how much is imported: shown on their own row). So the
  preview workers' start, the hashing, the reading pictures, the encryption, every fsync and
  closing the case are all counted. Goal (issue 18): at most 1.0x.
- The same pipeline on an encrypted case against a plain SQLite one, in this process
  (encryption at most +10%).
Runs are interleaved (floor, Safekeep, unlock, floor, ...); medians with the least and most.
Python may keep compiled bytecode (PYTHONDONTWRITEBYTECODE is dropped), as an installed app
does (a pip install compiles it; so does the first run of a source install), for every
command: a machine that sets it (this one does) would otherwise have each `safekeep` command
and each of its workers compile every module of the app it imports, each time.
Each command starts once what the commands before it wrote is on the disk (common.settled).
"""

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path

import sqlcipher3
from PIL import Image
from sqlalchemy import create_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import QueuePool

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.intake.ingest import import_paths
from app.core.pictures.preview_pool import PreviewPool
from app.models import CaseInfo, FileMeta
from app.models.casefile import CaseFile
from app.models.connection import CONNECTION_PRAGMAS, FORMAT_MARKER
from app.models.filelock import CaseFileLock
from app.models.migrations import create_schema
from benchmarks.common import (
    Row,
    interleaved,
    make_screenshots,
    print_table,
    settled,
    spread,
    timed,
)

ROOT = Path(__file__).resolve().parent.parent
PASSPHRASE = "bench passphrase"
GOAL = 1.0

# The floor as a whole command: argv[1:] are the screenshots.
FLOOR_COMMAND = """
import sys
from concurrent.futures import ProcessPoolExecutor
from PIL import Image
def loop(paths):
    for path in paths:
        with Image.open(path) as image:
            image.thumbnail((320, 320))
            image.convert("RGB").tobytes()
if __name__ == "__main__":
    paths = sys.argv[1:]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(loop, [paths[0::2], paths[1::2]]))
"""


def pillow_loop(paths: list[Path]) -> None:
    """The yardstick: what a plain script would do, one file after another."""
    for path in paths:
        with Image.open(path) as image:
            image.thumbnail((320, 320))
            image.convert("RGB").tobytes()


def pillow_two_processes(paths: list[Path]) -> float:
    """The fairer floor (docs/DESIGN.md): the same loop in two processes, as the app uses both
    cores. The processes are started before the clock starts."""
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(pillow_loop, [[paths[0]], [paths[1]]]))  # started and warm

        def run() -> None:
            list(pool.map(pillow_loop, [paths[0::2], paths[1::2]]))

        return timed(run)


def plain_case(path: Path) -> CaseFile:
    """The same schema and pipeline on an unencrypted SQLite file (benchmark only)."""

    def connect() -> object:
        conn = sqlcipher3.connect(str(path), check_same_thread=False, isolation_level=None)
        for pragma in CONNECTION_PRAGMAS:
            conn.execute(pragma)
        return conn

    raw = connect()
    raw.execute("PRAGMA journal_mode = WAL")  # type: ignore[attr-defined]
    raw.close()  # type: ignore[attr-defined]
    engine = create_engine("sqlite://", creator=connect, module=sqlcipher3.dbapi2,
                           poolclass=QueuePool)
    from sqlalchemy import event

    @event.listens_for(engine, "begin")
    def _begin(conn: object) -> None:
        write = conn.get_execution_options().get("safekeep_write", False)  # type: ignore[attr-defined]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")  # type: ignore[attr-defined]

    with Session(engine.execution_options(safekeep_write=True)) as session, session.begin():
        create_schema(session.connection())
        session.add_all([FileMeta(key="format", value=FORMAT_MARKER),
                         CaseInfo(id=1, display_name="plain")])
    lock = CaseFileLock(path)
    lock.acquire()
    return CaseFile(path, engine, lock, "bench")


def _command_seconds(args: list[str]) -> float:
    env = {**os.environ, "SAFEKEEP_PASSPHRASE": PASSPHRASE, "PYTHONPATH": str(ROOT)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled bytecode kept, as an installed app has
    settled()
    started = time.perf_counter()
    subprocess.run(args, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def whole_command_rows(shots: list[Path], work: Path, runs: int) -> list[Row]:
    """add-evidence less info, against the two-process floor command, interleaved."""
    floor_script = work / "floor.py"
    floor_script.write_text(FLOOR_COMMAND)
    floor = [sys.executable, str(floor_script), *map(str, shots)]
    cases: list[Path] = []
    info_case = work / "info.skcase"
    CaseFile.create(info_case, PASSPHRASE, display_name="b", actor="bench").close()
    safekeep = [sys.executable, "-m", "app"]

    def add_evidence() -> float:
        case = work / f"run{len(cases)}.skcase"
        CaseFile.create(case, PASSPHRASE, display_name="b", actor="bench").close()
        cases.append(case)
        return _command_seconds([*safekeep, "add-evidence", str(case), str(shots[0].parent)])

    _command_seconds(floor)  # the file cache is warm for everyone
    times = interleaved(runs, {
        "floor": lambda: _command_seconds(floor),
        "add-evidence": add_evidence,
        "info": lambda: _command_seconds([*safekeep, "info", str(info_case)]),
    })
    after_key = [add - info for add, info in zip(times["add-evidence"], times["info"],
                                                 strict=True)]
    ratio = statistics.median(after_key) / statistics.median(times["floor"])
    count = len(shots)
    return [
        Row(f"Import {count} 1080p screenshots, whole command after the key is derived",
            f"{ratio:.2f}x", f"<= {GOAL}x two-process Pillow floor", ratio <= GOAL,
            f"median of {runs} interleaved runs: add-evidence less info {spread(after_key)}, "
            f"floor command {spread(times['floor'])} "
            f"({count / statistics.median(after_key):.0f} screenshots/s)"),
        Row("Unlock: start, imports and key derivation (safekeep info)",
            f"{statistics.median(times['info']):.2f} s", "-", None,
            f"{spread(times['info'])}; Argon2id, the same whatever is imported"),
    ]


def rows(count: int = 200, runs: int = 3) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-import-"))
    try:
        shots = make_screenshots(work / "shots", count)
        pillow_loop(shots[:5])  # warm the file cache and Pillow's plugins for everyone
        result = whole_command_rows(shots, work, runs)
        with PreviewPool() as pool:
            pool.submit(shots[0]).result()  # workers started and warm: the app keeps one warm
            made: list[Path] = []

            def run(case: CaseFile) -> float:
                started = time.perf_counter()
                outcomes = import_paths(case, shots, pool=pool)
                case.close()
                assert all(o.status == "added" for o in outcomes)
                return time.perf_counter() - started

            def encrypted() -> float:
                # Key derivation is left out: it is the same however much is imported.
                made.append(work / f"enc{len(made)}.skcase")
                return run(CaseFile.create(made[-1], PASSPHRASE, display_name="b",
                                           actor="bench"))

            def plain() -> float:
                made.append(work / f"plain{len(made)}.sqlite")
                return run(plain_case(made[-1]))

            times = interleaved(runs, {
                "one process": lambda: timed(lambda: pillow_loop(shots)),
                "two processes": lambda: pillow_two_processes(shots),
                "encrypted": encrypted,
                "plain": plain,
            })
        mine = statistics.median(times["encrypted"])
        overhead = mine / statistics.median(times["plain"]) - 1
        return [
            *result,
            Row(f"Import {count} screenshots in this process, warm pool, vs Pillow loops",
                f"{mine / statistics.median(times['two processes']):.2f}x", "-", None,
                f"median of {runs} interleaved runs: {spread(times['encrypted'])}; two-process "
                f"loop {spread(times['two processes'])}, one process "
                f"{spread(times['one process'])}"),
            Row("Encryption overhead on import", f"{overhead:+.1%}", "<= +10%", overhead <= 0.10,
                f"median of {runs} interleaved runs: encrypted {spread(times['encrypted'])}, "
                f"plain SQLite {spread(times['plain'])}"),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def folder_rows(folder: Path, runs: int = 3) -> list[Row]:
    """The whole-command row over the pictures in `folder` (copied, so nothing else there is
    imported)."""
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-import-"))
    try:
        (work / "shots").mkdir()
        pictures = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".png", ".jpg"))
        shots = [Path(shutil.copy(p, work / "shots")) for p in pictures]
        result = whole_command_rows(shots, work, runs)
        return [replace(result[0], name=f"Import {len(shots)} realistic screenshots "
                        "(Chromium-rendered, PNG and JPEG), whole command after the key")]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--folder"]:
        print_table(folder_rows(Path(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 3))
    else:
        print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 200,
                         int(sys.argv[2]) if len(sys.argv) > 2 else 3))
