"""Import of many small files (issue 18: at least 1,000 items/s, while every item reported as
added survives a SIGKILL).

The mix, one folder of COUNT files, each with its own content (no duplicates):
- 80% small documents, 150 bytes to 6 KB: chat notes (.txt), message exports (.json), call
  logs (.csv) and tiny PDFs, in turn;
- 20% small pictures, 48 to 200 pixels a side (stickers, avatars, icons): PNG and JPEG in turn.
  These go to the preview pool like any image; the documents do not.

Safekeep's real pipeline (`import_paths` into an encrypted case, the key already derived, the
preview pool started inside the clock as the command line does) against two floors over the
same files:
- "plain script": one process that reads every file, hashes it, makes a Pillow thumbnail of
  each picture and inserts both into an unencrypted SQLite file (WAL, synchronous FULL), one
  transaction per 100 ms: what any crash-safe store of these files and thumbnails must do,
  without encryption, sandboxed decoding, the audit chain or chat recognition;
- "read + sha256": a plain loop that reads every file and hashes it (no storage at all).
Runs are interleaved (floor, floor, app, ...); medians of RUNS with min and max.

    python benchmarks/bench_import_small.py [COUNT]
"""

import hashlib
import io
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core.intake import import_paths
from app.models.casefile import CaseFile
from benchmarks.common import Row, print_table

RUNS = 3
GOAL_PER_SECOND = 1_000
_WORDS = ("meet", "tonight", "send", "money", "now", "ok", "where", "are", "you", "why",
          "did", "block", "me", "call", "back", "please", "stop", "photo", "account", "paid")


def _text(rng: random.Random, size: int) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(size // 5))


def _document(rng: random.Random, i: int) -> tuple[str, bytes]:
    size = rng.randrange(150, 6_000)
    kind = i % 4
    if kind == 0:
        return f"note-{i:05d}.txt", f"note {i}\n{_text(rng, size)}\n".encode()
    if kind == 1:
        lines = ",".join(f'{{"from":"+4477009{rng.randrange(10**5):05d}","text":"'
                         f'{_text(rng, 80)}"}}' for _ in range(max(1, size // 120)))
        return f"messages-{i:05d}.json", f'{{"export":{i},"messages":[{lines}]}}'.encode()
    if kind == 2:
        rows = "\n".join(f"2024-0{rng.randrange(1, 9)}-1{rng.randrange(10)},"
                         f"+4477009{rng.randrange(10**5):05d},{rng.randrange(600)}"
                         for _ in range(max(1, size // 40)))
        return f"calls-{i:05d}.csv", f"date,number,seconds\n{rows}\n".encode()
    body = f"BT /F1 12 Tf ({_text(rng, size)}) Tj ET"
    return f"letter-{i:05d}.pdf", (f"%PDF-1.4\n1 0 obj <</Length {len(body)}>> stream\n{body}\n"
                                   "endstream endobj\ntrailer <<>>\n%%EOF\n").encode()


def _picture(rng: random.Random, i: int) -> tuple[str, bytes]:
    side = rng.randrange(48, 200)
    image = Image.new("RGB", (side, side), (rng.randrange(256), rng.randrange(256), 200))
    image.putpixel((rng.randrange(side), rng.randrange(side)), (i % 256, 0, 0))  # unique
    out = io.BytesIO()
    if i % 2:
        image.save(out, "JPEG", quality=85)
        return f"avatar-{i:05d}.jpg", out.getvalue()
    image.save(out, "PNG")
    return f"sticker-{i:05d}.png", out.getvalue()


def make_small_files(folder: Path, count: int, seed: int = 18) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        name, data = _picture(rng, i) if i % 5 == 4 else _document(rng, i)
        data += f"\n{i}".encode() if not name.endswith((".png", ".jpg")) else b""
        path = folder / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def read_and_hash(paths: list[Path]) -> None:
    for path in paths:
        hashlib.sha256(path.read_bytes()).hexdigest()


def _thumbnail(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as image:
        image.thumbnail((320, 320))
        out = io.BytesIO()
        image.convert("RGB").save(out, "JPEG", quality=80)
        return out.getvalue()


def plain_sqlite_grouped(paths: list[Path], db: Path, group_seconds: float = 0.1) -> None:
    """Read, hash and store each file in a plain SQLite file, with a thumbnail for each
    picture (Pillow, in this one process), committing every 100 ms."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("CREATE TABLE item (id INTEGER PRIMARY KEY, sha256 TEXT UNIQUE, name TEXT, "
                 "data BLOB, thumbnail BLOB)")
    conn.execute("BEGIN IMMEDIATE")
    began = time.perf_counter()
    for path in paths:
        data = path.read_bytes()
        thumbnail = _thumbnail(data) if path.suffix in (".png", ".jpg") else None
        conn.execute("INSERT INTO item (sha256, name, data, thumbnail) VALUES (?, ?, ?, ?)",
                     (hashlib.sha256(data).hexdigest(), path.name, data, thumbnail))
        if time.perf_counter() - began >= group_seconds:
            conn.execute("COMMIT")
            conn.execute("BEGIN IMMEDIATE")
            began = time.perf_counter()
    conn.execute("COMMIT")
    conn.close()


def safekeep_import(folder: Path, case_path: Path) -> float:
    """Seconds for `import_paths` of the folder into a new encrypted case; the key is derived
    before the clock starts (it costs the same however much is imported)."""
    case = CaseFile.create(case_path, "bench passphrase", display_name="b", actor="bench")
    try:
        started = time.perf_counter()
        outcomes = import_paths(case, [folder])
        took = time.perf_counter() - started
    finally:
        case.close()
    added = sum(o.status == "added" for o in outcomes)
    assert added == len(outcomes), f"only {added} of {len(outcomes)} added"
    return took


def _spread(values: list[float]) -> str:
    return f"median of {len(values)}, min {min(values):.2f} s, max {max(values):.2f} s"


def rows(count: int = 10_000) -> list[Row]:
    work = Path(tempfile.mkdtemp(prefix="safekeep-bench-small-"))
    try:
        folder = work / "files"
        paths = make_small_files(folder, count)
        read_and_hash(paths)  # warm the file cache for everyone
        hashed: list[float] = []
        plain: list[float] = []
        app: list[float] = []
        load = os.getloadavg()[0]
        for run in range(RUNS):  # interleaved, so a busy moment on the machine hits all three
            started = time.perf_counter()
            read_and_hash(paths)
            hashed.append(time.perf_counter() - started)
            started = time.perf_counter()
            plain_sqlite_grouped(paths, work / f"plain-{run}.sqlite")
            plain.append(time.perf_counter() - started)
            app.append(safekeep_import(folder, work / f"case-{run}.skcase"))
        load = max(load, os.getloadavg()[0])
        took = statistics.median(app)
        floor_hash = statistics.median(hashed)
        floor_plain = statistics.median(plain)
        rate = count / took
        return [
            Row(f"Import {count:,} small files (80% documents, 20% small pictures)",
                f"{rate:,.0f} items/s", f">= {GOAL_PER_SECOND:,} items/s",
                rate >= GOAL_PER_SECOND,
                f"{took:.2f} s, {_spread(app)}; encrypted case, key derived before the clock, "
                f"load average up to {load:.1f}"),
            Row(f"Import {count:,} small files vs plain script into SQLite",
                f"{took / floor_plain:.2f}x", "-", None,
                f"floor: one process reads, hashes and thumbnails (pictures) each file into "
                f"unencrypted SQLite (WAL, synchronous FULL), a commit per 100 ms, "
                f"{count / floor_plain:,.0f} items/s, {_spread(plain)}"),
            Row(f"Import {count:,} small files vs read + sha256 loop",
                f"{took / floor_hash:.2f}x", "-", None,
                f"floor: read and hash each file, nothing stored, {count / floor_hash:,.0f} "
                f"items/s, {_spread(hashed)}"),
        ]
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    print_table(rows(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000))
