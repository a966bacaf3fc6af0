"""Documents deflated once: a plain ZIP takes their packed bytes as they are, and what comes out
of the ZIP is the document, byte for byte, with the CRC and size ZIP tools check."""

import hashlib
import zipfile
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.export.bundle_contents import write_documents
from app.export.bundle_zip import BundleZip
from app.export.documents import Document, SpooledDocument

_WHEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _text(lines: int) -> bytes:
    return "".join(f"{n},AB/{n},=HYPERLINK(\"x\"),chat-{n}.txt,£500\r\n"
                   for n in range(lines)).encode()


def test_packed_documents_come_out_of_the_zip_whole(tmp_path: Path) -> None:
    big = _text(60_000)  # several inflate chunks of a mebibyte
    pieces = [big[i:i + 300_000] for i in range(0, len(big), 300_000)]
    documents: list[Document | SpooledDocument] = [
                 SpooledDocument.streamed("csv/audit.csv", iter(pieces), tmp_path),
                 Document.of("README.txt", b"read me\n"), Document.of("empty.csv", b""),
                 Document.of("report.pdf", b"%PDF-1.4 stored\n", pack=False)]
    assert documents[0].data() == big  # the inflated copy, for the sinks that need it
    assert not list(tmp_path.iterdir())  # the packed CSV's file has no name
    target = tmp_path / "bundle.zip"
    with target.open("wb") as handle:
        sink = BundleZip(handle, None, _WHEN, "Folder")
        given = list(documents)
        write_documents(sink, given)
        sink.finish()
    assert given == []  # each let go once written: the originals come next
    expected = {"csv/audit.csv": big, "README.txt": b"read me\n", "empty.csv": b"",
                "report.pdf": b"%PDF-1.4 stored\n"}
    assert [e.path for e in sink.entries] == list(expected)
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None  # every member's CRC matches its content
        for path, data in expected.items():
            info = archive.getinfo(f"Folder/{path}")
            assert archive.read(info) == data
            assert info.file_size == len(data)
            assert info.compress_type == (zipfile.ZIP_STORED if path == "report.pdf"
                                          else zipfile.ZIP_DEFLATED)
    for entry in sink.entries:
        assert entry.sha256 == hashlib.sha256(expected[entry.path]).hexdigest()
        assert entry.size == len(expected[entry.path])
    with pytest.raises(ValueError):  # its unnamed file is closed once it is written
        documents[0].data()


def test_an_encrypted_zip_deflates_as_it_encrypts(tmp_path: Path) -> None:
    document = Document.of("csv/evidence.csv", _text(2_000))
    target = tmp_path / "locked.zip"
    with target.open("wb") as handle:
        sink = BundleZip(handle, "a long passphrase", _WHEN)
        assert sink.add_deflated(document.path, document.packed_pieces(), size=document.size,
                                 crc=document.crc, sha256=document.sha256) is None
        write_documents(sink, [document])
        sink.finish()
    import pyzipper

    with pyzipper.AESZipFile(target) as archive:
        archive.setpassword(b"a long passphrase")
        assert archive.read("csv/evidence.csv") == _text(2_000)


def test_this_python_takes_the_shortcut() -> None:
    """The quick path is proven on the Python the tests run on, so the test above checks it
    and not only the ordinary writes."""
    from app.export import bundle_zip

    assert bundle_zip._shortcut_proven()


def _written_the_ordinary_way(tmp_path: Path) -> None:
    document = Document.of("csv/evidence.csv", _text(3_000))
    target = tmp_path / "plain.zip"
    with target.open("wb") as handle:
        sink = BundleZip(handle, None, _WHEN)
        entry = sink.add_deflated(document.path, document.packed_pieces(), size=document.size,
                                  crc=document.crc, sha256=document.sha256)
        sink.finish()
    assert entry is not None and entry.sha256 == hashlib.sha256(_text(3_000)).hexdigest()
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert archive.read("csv/evidence.csv") == _text(3_000)


@pytest.fixture
def fresh_proof() -> Iterator[ModuleType]:
    """The once-per-process proof made again for this test, and again after it (requested
    after monkeypatch, so it is forgotten before the patches are undone)."""
    from app.export import bundle_zip

    bundle_zip._shortcut_proven.cache_clear()
    yield bundle_zip
    bundle_zip._shortcut_proven.cache_clear()


def test_a_zip_writer_that_keeps_other_state_gets_the_ordinary_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_proof: ModuleType) -> None:
    """Another Python's zipfile may name its writer's state otherwise: then nothing is poked
    into it, and the document is inflated and written as any other."""
    monkeypatch.setattr(fresh_proof, "_WRITER_STATE",
                        fresh_proof._WRITER_STATE | {"_state_of_another_python"})
    assert not fresh_proof._shortcut_proven()
    _written_the_ordinary_way(tmp_path)


def test_a_shortcut_that_reads_back_wrong_is_never_used(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fresh_proof: ModuleType) -> None:
    """Same names, other meaning: the check writes a member in memory and reads it back, so a
    zipfile that ends up with a wrong CRC or size turns the shortcut off before any bundle."""
    real = fresh_proof._write_packed

    def off_by_one(writer: Any, packed: Iterable[bytes], size: int, crc: int) -> bool:
        return real(writer, packed, size, crc ^ 1)

    monkeypatch.setattr(fresh_proof, "_write_packed", off_by_one)
    assert not fresh_proof._shortcut_proven()
    _written_the_ordinary_way(tmp_path)


def test_an_original_written_as_expected_keeps_its_entry_and_one_that_differs_does_not(
        tmp_path: Path) -> None:
    # Every original's entry exists before it is copied; the writer keeps that very object
    # when the bytes match (no second copy of a 64-character hash per exhibit), and gives a
    # new entry, with the hash of what was really written, when they do not.
    from app.export.manifest import FileEntry

    data = b"an original, byte for byte\n"
    right = FileEntry("evidence/AB-1_x.txt", hashlib.sha256(data).hexdigest(), len(data))
    wrong = FileEntry("evidence/AB-2_y.txt", "0" * 64, len(data))
    with (tmp_path / "b.zip").open("wb") as handle:
        bundle = BundleZip(handle, None, datetime(2026, 1, 1, tzinfo=UTC))
        kept = bundle.add_stream(right.path, (data,), size=len(data), compress=False,
                                 known=right)
        other = bundle.add_stream(wrong.path, (data,), size=len(data), compress=False,
                                  known=wrong)
        bundle.finish()
    assert kept is right
    assert other is not wrong and other.sha256 == right.sha256
    assert bundle.entries == [right, other]
