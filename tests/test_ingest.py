"""Evidence intake with real files: byte-for-byte storage, hashes on arrival, duplicates,
refusals with reasons, odd names, hostile images, bounded memory for big files."""

import hashlib
import io
import json
import os
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import event, update

from app.core.intake.ingest import import_bytes, import_paths
from app.core.pictures.preview import PreviewStatus as CorePreviewStatus
from app.core.pictures.preview_pool import PreviewPool
from app.core.records.check import check_case
from app.core.records.evidence import (
    edit_evidence,
    iter_content,
    list_evidence,
    read_thumbnail,
    remove_evidence,
)
from app.models import EvidenceChunk, EvidenceSource
from app.models import PreviewStatus as StoredPreviewStatus
from app.models.casefile import CaseFile
from tests.conftest import PASSPHRASE, CliResult


@pytest.fixture(scope="module")
def pool() -> Iterator[PreviewPool]:
    with PreviewPool(workers=2) as shared:
        yield shared


def screenshot(
    path: Path, text: str = "hello", size: tuple[int, int] = (640, 360), fmt: str = "PNG"
) -> Path:
    image = Image.new("RGB", size, (245, 245, 250))
    draw = ImageDraw.Draw(image)
    for y in range(0, size[1], 20):
        draw.text((10, y), f"{text} {y}", fill=(20, 20, 20))
    image.save(path, fmt)
    return path


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_preview_status_values_match_the_stored_ones() -> None:
    assert {s.value for s in CorePreviewStatus} <= {s.value for s in StoredPreviewStatus}


def test_images_are_kept_byte_for_byte_with_thumbnails(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    shots = [screenshot(tmp_path / f"Screenshot {i}.png", f"chat {i}") for i in range(5)]
    photo = screenshot(tmp_path / "photo.jpg", "photo", fmt="JPEG")
    outcomes = import_paths(case, [*shots, photo], pool=pool, note="from Instagram")
    assert [o.status for o in outcomes] == ["added"] * 6
    items = {e.original_name: e for e in list_evidence(case)}
    for path in [*shots, photo]:
        item = items[path.name]
        assert item.sha256 == sha(path) and item.size == path.stat().st_size
        assert b"".join(iter_content(case, item.id)) == path.read_bytes()
        assert item.preview_status == "ok" and item.width == 640
        assert item.description == "from Instagram"
        thumb = read_thumbnail(case, item.id)
        assert thumb is not None and Image.open(io.BytesIO(thumb)).format == "JPEG"
        assert item.file_modified_at is not None
    assert items["Screenshot 0.png"].kind == "screenshot"
    assert items["photo.jpg"].kind == "image"
    assert check_case(case).ok


def test_duplicates_are_kept_once(case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    first = screenshot(tmp_path / "a.png")
    copy = tmp_path / "copy-of-a.png"
    copy.write_bytes(first.read_bytes())
    big = tmp_path / "video.mp4"
    big.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(3 * 1024 * 1024))
    outcomes = import_paths(case, [first, copy, big, big], pool=pool)
    assert [o.status for o in outcomes] == ["added", "already-there", "added", "already-there"]
    assert outcomes[1].evidence_id == outcomes[0].evidence_id
    again = import_paths(case, [copy, big], pool=pool)
    assert [o.status for o in again] == ["already-there", "already-there"]
    assert len(list_evidence(case)) == 2


def test_refusals_have_reasons_and_the_batch_carries_on(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    good = screenshot(tmp_path / "good.png")
    outcomes = import_paths(case, [empty, tmp_path / "missing.png", fifo, good], pool=pool)
    assert [o.status for o in outcomes] == ["refused", "refused", "refused", "added"]
    assert all(o.reason for o in outcomes[:3])
    assert "empty" in (outcomes[0].reason or "")


def test_a_folder_adds_everything_under_it(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    folder = tmp_path / "chats"
    (folder / "deeper").mkdir(parents=True)
    screenshot(folder / "1.png")
    screenshot(folder / "deeper" / "2.png", "two")
    (folder / "chat-export.txt").write_text("them: pay now\n", encoding="utf-8")
    (folder / "loop").symlink_to(folder)  # a folder link must not trap the walk
    outcomes = import_paths(case, [folder], pool=pool)
    assert sorted(Path(o.path).name for o in outcomes if o.status == "added") == [
        "1.png",
        "2.png",
        "chat-export.txt",
    ]
    sources = {e.source for e in list_evidence(case)}
    assert sources == {EvidenceSource.FOLDER.value}


ODD_NAMES = [
    "a" * 240 + ".png",
    "con.png",
    "LPT1",
    "evil\u202egnp.exe",
    "tab\there.png",
    "new\nline.png",
    "..dots..png",
    "ünïcödé 名前 😀.png",
]


@pytest.mark.parametrize("name", ODD_NAMES)
def test_odd_file_names_are_kept_as_they_are(
    case: CaseFile, tmp_path: Path, name: str, pool: PreviewPool
) -> None:
    path = screenshot(tmp_path / name)
    [outcome] = import_paths(case, [path], pool=pool)
    assert outcome.status == "added"
    [item] = list_evidence(case)
    assert item.original_name == name


def test_content_decides_the_type_and_a_mismatch_is_noted(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    fake = screenshot(tmp_path / "really-a-jpeg.png", fmt="JPEG")
    [outcome] = import_paths(case, [fake], pool=pool)
    [item] = list_evidence(case)
    assert item.detected_type == "image/jpeg" and item.type_note
    assert outcome.reason == item.type_note


def _corrupt(data: bytes) -> bytes:
    flipped = bytearray(data)
    for i in range(100, len(flipped), 97):
        flipped[i] ^= 0xFF
    return bytes(flipped)


def _bomb_png() -> bytes:
    # A real PNG whose header claims 40000 x 40000 pixels (1.6 gigapixels).
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", 40000, 40000, 8, 2, 0, 0, 0)
    rows = zlib.compress(b"\x00" + b"\x00" * 3 * 40000, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def test_hostile_images_are_kept_with_no_preview(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    good = screenshot(tmp_path / "good.png").read_bytes()
    files = {
        "truncated.png": good[: len(good) // 2],
        "flipped.png": _corrupt(good),
        "bomb.png": _bomb_png(),
        "not-an-image.png": b"MZ\x90\x00 this is not a picture" * 50,
        "eps.eps": b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n",
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    outcomes = import_paths(case, [tmp_path / n for n in files], pool=pool)
    assert [o.status for o in outcomes] == ["added"] * len(files)
    items = {e.original_name: e for e in list_evidence(case)}
    for name, data in files.items():
        assert items[name].sha256 == hashlib.sha256(data).hexdigest()
        assert items[name].preview_status != "ok", name
        assert read_thumbnail(case, items[name].id) is None
    assert items["bomb.png"].preview_status == "too-large"
    assert check_case(case).ok


def test_pasted_and_captured_images(case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    data = screenshot(tmp_path / "x.png").read_bytes()
    outcome = import_bytes(
        case, data, "Pasted image.png", source=EvidenceSource.CLIPBOARD, pool=pool
    )
    assert outcome.status == "added"
    again = import_bytes(
        case, data, "Screen capture.png", source=EvidenceSource.SCREEN_CAPTURE, pool=pool
    )
    assert again.status == "already-there"
    [item] = list_evidence(case)
    assert item.kind == "screenshot" and item.source == "clipboard"
    assert (
        import_bytes(case, b"", "empty", source=EvidenceSource.CLIPBOARD, pool=pool).status
        == "refused"
    )


def test_sensitive_flag_edit_and_removal_keep_the_trail(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    [outcome] = import_paths(case, [screenshot(tmp_path / "x.png")], sensitive=True, pool=pool)
    assert outcome.evidence_id is not None
    [item] = list_evidence(case)
    assert item.sensitive
    edit_evidence(case, item.id, description="the threat", platform="Snapchat", sensitive=False)
    [item] = list_evidence(case)
    assert (item.description, item.platform, item.sensitive) == ("the threat", "Snapchat", False)
    remove_evidence(case, item.id, reason="added by mistake")
    assert list_evidence(case) == []
    from app.cli.lists import LISTERS

    audit, _ = LISTERS["audit"](case)
    removal = json.loads(audit[-1]["details"])
    assert audit[-1]["action"] == "evidence.remove" and removal["sha256"] == item.sha256


def test_listing_never_touches_content_or_thumbnails(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    import_paths(case, [screenshot(tmp_path / f"{i}.png", str(i)) for i in range(3)], pool=pool)
    statements: list[str] = []

    def record(_c: object, _cur: object, statement: str, *_: object) -> None:
        statements.append(statement)

    event.listen(case.engine, "before_cursor_execute", record)
    try:
        assert len(list_evidence(case)) == 3
    finally:
        event.remove(case.engine, "before_cursor_execute", record)
    listed = " ".join(s for s in statements if "evidence" in s)
    assert "evidence_chunk" not in listed and "evidence_thumbnail" not in listed


def test_check_finds_a_changed_evidence_blob(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    [outcome] = import_paths(case, [screenshot(tmp_path / "x.png")], pool=pool)
    with case.write() as s:
        s.execute(
            update(EvidenceChunk)
            .where(EvidenceChunk.evidence_id == outcome.evidence_id)
            .values(data=b"changed")
        )
    report = check_case(case)
    assert not report.ok and "x.png" in report.problems[0]


def test_cancel_keeps_finished_items_complete(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    shots = [screenshot(tmp_path / f"{i}.png", str(i)) for i in range(8)]
    calls = {"n": 0}

    def cancelled() -> bool:
        calls["n"] += 1
        return calls["n"] > 3

    outcomes = import_paths(case, shots, is_cancelled=cancelled, pool=pool)
    assert len(outcomes) == 3
    assert len(list_evidence(case)) == 3
    assert check_case(case).ok


def test_progress_is_reported(case: CaseFile, tmp_path: Path, pool: PreviewPool) -> None:
    seen: list[tuple[int, int]] = []
    import_paths(
        case,
        [screenshot(tmp_path / f"{i}.png", str(i)) for i in range(3)],
        progress=lambda done, total, _label: seen.append((done, total)),
        pool=pool,
    )
    assert seen[0] == (0, 3) and seen[-1] == (3, 3)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform != "linux", reason="reads the peak from /proc/self/status")
def test_a_400_mb_file_goes_in_with_bounded_memory(tmp_path: Path) -> None:
    video = tmp_path / "recording.mp4"
    with video.open("wb") as handle:  # a real MP4 header, then 400 MiB
        handle.write(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom")
        block = os.urandom(1024 * 1024)
        for _ in range(400):
            handle.write(block)
    path = tmp_path / "big.skcase"
    CaseFile.create(path, PASSPHRASE, display_name="big", actor="t", kdf_profile=1).close()
    script = textwrap.dedent(f"""
        import sys
        from app.models.casefile import CaseFile
        from app.core.intake.ingest import import_paths
        from app.core.records.check import hash_stored_content
        if __name__ == "__main__":
            case = CaseFile.open({str(path)!r}, {PASSPHRASE!r}, actor="t")
            [o] = import_paths(case, [{str(video)!r}])
            assert o.status == "added", o
            assert hash_stored_content(case, o.evidence_id)[0] == o.sha256
            case.close()
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss over exec from the forked parent
            # (pytest itself), which would measure the test runner, not the import.
            with open("/proc/self/status") as status:
                print(next(int(l.split()[1]) // 1024 for l in status if l.startswith("VmHWM")))
    """)
    runner = tmp_path / "run_big.py"
    runner.write_text(script, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(runner)], capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    peak_mib = int(proc.stdout.strip().splitlines()[-1])
    assert peak_mib < 300, f"peak RSS {peak_mib} MiB"


def test_cli_add_evidence_lines_json_and_exit_codes(
    tmp_path: Path, cli: Callable[..., CliResult]
) -> None:
    case_path = tmp_path / "c.skcase"
    assert cli("new", str(case_path), "--kdf-profile", "1").code == 0
    good = screenshot(tmp_path / "good.png")
    result = cli("add-evidence", str(case_path), str(good))
    assert result.code == 0 and "added" in result.out, result
    result = cli("add-evidence", str(case_path), str(good), "--json")
    doc = json.loads(result.out)
    assert (
        result.code == 0
        and doc["already_there"] == 1
        and doc["items"][0]["status"] == "already-there"
    )
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    result = cli(
        "add-evidence", str(case_path), str(empty), str(tmp_path / "nope.png"), "--sensitive"
    )
    assert result.code == 1 and result.out.count("refused") == 2, result
    assert "Traceback" not in result.err
    listed = json.loads(cli("list", str(case_path), "evidence", "--json").out)["items"]
    assert [i["original_name"] for i in listed] == ["good.png"]


def _hostile_corpus() -> dict[str, bytes]:
    """Every kind of broken image the tests know how to make, in every allowed format."""
    from tests.test_preview import encode, flip_bits, png_chunk, png_declaring, screenshot

    image = screenshot(640, 360, seed=3)
    corpus: dict[str, bytes] = {}
    for fmt, ext in (
        ("PNG", "png"),
        ("JPEG", "jpg"),
        ("GIF", "gif"),
        ("TIFF", "tif"),
        ("WEBP", "webp"),
    ):
        good = encode(image, fmt)
        corpus[f"truncated.{ext}"] = good[: len(good) // 3]
        corpus[f"flipped.{ext}"] = flip_bits(good, seed=len(good))
    corpus["absurd-1x100000000.png"] = png_declaring(1, 100_000_000)
    corpus["bomb-30000x30000.png"] = png_declaring(30_000, 30_000)
    good_png = encode(image, "PNG")
    corpus["huge-text-chunk.png"] = (
        good_png[:33] + png_chunk(b"tEXt", b"k\x00" + b"A" * 8_000_000) + good_png[33:]
    )
    corpus["really-a-zip.png"] = b"PK\x03\x04" + bytes(200)
    return corpus


def test_a_hostile_corpus_goes_through_import(
    case: CaseFile, tmp_path: Path, pool: PreviewPool
) -> None:
    corpus = _hostile_corpus()
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name, data in corpus.items():
        (folder / name).write_bytes(data)
    (folder / "zero-size.png").write_bytes(b"")
    outcomes = import_paths(case, sorted(folder.iterdir()), pool=pool)
    by_name = {Path(o.path).name: o for o in outcomes}
    assert by_name.pop("zero-size.png").status == "refused"
    assert {n: o.status for n, o in by_name.items()} == {n: "added" for n in corpus}
    stored = {e.original_name: e for e in list_evidence(case)}
    for name, data in corpus.items():
        assert stored[name].sha256 == hashlib.sha256(data).hexdigest()
    assert stored["bomb-30000x30000.png"].preview_status == "too-large"
    assert stored["absurd-1x100000000.png"].preview_status == "too-large"
    assert check_case(case).ok


def test_the_case_file_cannot_be_added_to_itself(case: CaseFile, pool: PreviewPool) -> None:
    own = [p for p in case.path.parent.iterdir() if p.name.startswith(case.path.name)]
    assert any(p.name.endswith("-wal") for p in own)
    outcomes = import_paths(case, [case.path.parent], pool=pool)
    assert {o.status for o in outcomes} == {"refused"}
    assert all("case file itself" in (o.reason or "") for o in outcomes)
    assert list_evidence(case) == []


def _children_during(work: Callable[[], object]) -> tuple[object, set[int]]:
    """`work()`'s result and the child processes this process started at any moment during it
    (those of other tests' pools, there before, are left out)."""
    import threading

    def children() -> set[int]:
        found: set[int] = set()
        for task in Path("/proc/self/task").iterdir():
            try:
                found.update(int(pid) for pid in (task / "children").read_text().split())
            except OSError:  # the thread ended between the listing and the look
                pass
        return found

    before = children()
    seen: set[int] = set()
    running = threading.Event()
    running.set()

    def watch() -> None:
        while running.is_set():
            seen.update(children())

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        return work(), seen
    finally:
        running.clear()
        watcher.join()
        seen -= before


@pytest.mark.skipif(sys.platform != "linux", reason="watches child processes in /proc")
def test_a_batch_without_pictures_starts_no_preview_worker(
    case: CaseFile, tmp_path: Path
) -> None:
    """The command line's own pool starts with the first picture: a video or documents alone
    never pay for two workers importing Pillow (about 1.5 s of CPU, on the core a big file's
    reading and folding use)."""
    video = tmp_path / "clip.mp4"
    video.write_bytes(b"\x00\x00\x00\x18ftypmp42" + os.urandom(12 * 1024 * 1024))
    note = tmp_path / "note.txt"
    note.write_text("a document")
    outcomes, children = _children_during(lambda: import_paths(case, [video, note]))
    assert [o.status for o in outcomes] == ["added", "added"]  # type: ignore[attr-defined]
    assert children == set()
    picture = tmp_path / "shot.png"
    Image.new("RGB", (300, 200), "navy").save(picture)
    outcomes, children = _children_during(lambda: import_paths(case, [picture]))
    assert [o.status for o in outcomes] == ["added"]  # type: ignore[attr-defined]
    assert children  # a picture still gets its preview from a worker
    [shot] = [item for item in list_evidence(case) if item.original_name == "shot.png"]
    assert read_thumbnail(case, shot.id) is not None
