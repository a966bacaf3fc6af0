"""Import of 1080p screenshots: Safekeep's real pipeline against a bare single-process Pillow
decode-and-thumbnail loop over the same files, and the same pipeline on an encrypted case
against a plain SQLite one (docs/DESIGN.md: faster than the Pillow loop; encryption at most +10%).

    python benchmarks/bench_import.py [COUNT]
"""

import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
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
from app.models.casefile import _CONNECTION_PRAGMAS, FORMAT_MARKER, CaseFile
from app.models.filelock import CaseFileLock
from app.models.migrations import create_schema
from benchmarks.common import Row, make_screenshots, print_table, timed


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
        for pragma in _CONNECTION_PRAGMAS:
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


def rows(count: int = 200) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-import-"))
    try:
        shots = make_screenshots(work / "shots", count)
        pillow_loop(shots[:5])  # warm the file cache and Pillow's plugins for everyone
        pillow = timed(lambda: pillow_loop(shots))
        pillow2 = pillow_two_processes(shots)
        with PreviewPool() as pool:
            pool.submit(shots[0]).result()  # workers started and warm: the app keeps one warm

            def run(case: CaseFile) -> None:
                outcomes = import_paths(case, shots, pool=pool)
                assert all(o.status == "added" for o in outcomes)
                case.close()

            # Key derivation is left out: it is the same half second however much is imported.
            encrypted_case = CaseFile.create(work / "enc.skcase", "bench passphrase",
                                             display_name="b", actor="bench")
            encrypted = timed(lambda: run(encrypted_case))
            plain_file = plain_case(work / "plain.sqlite")
            plain = timed(lambda: run(plain_file))
        ratio = encrypted / pillow
        overhead = encrypted / plain - 1
        return [
            Row(f"Import {count} 1080p screenshots vs Pillow loop", f"{ratio:.2f}x", "< 1.0x",
                ratio < 1.0, f"{encrypted:.2f} s vs {pillow:.2f} s ({count / encrypted:.0f}/s)"),
            Row(f"Import {count} 1080p screenshots vs two-process Pillow loop",
                f"{encrypted / pillow2:.2f}x", "-", None,
                f"{encrypted:.2f} s vs {pillow2:.2f} s"),
            Row("Encryption overhead on import", f"{overhead:+.1%}", "<= +10%", overhead <= 0.10,
                f"encrypted {encrypted:.2f} s, plain SQLite {plain:.2f} s"),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
