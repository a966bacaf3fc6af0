"""Documents deflated once: a plain ZIP takes their packed bytes as they are, and what comes out
of the ZIP is the document, byte for byte, with the CRC and size ZIP tools check."""

import hashlib
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from app.export.bundle_contents import Document, Documents, write_documents
from app.export.bundle_zip import BundleZip

_WHEN = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _text(lines: int) -> bytes:
    return "".join(f"{n},AB/{n},=HYPERLINK(\"x\"),chat-{n}.txt,£500\r\n"
                   for n in range(lines)).encode()


def test_packed_documents_come_out_of_the_zip_whole(tmp_path: Path) -> None:
    big = _text(60_000)  # several inflate chunks of a mebibyte
    pieces = [big[i:i + 300_000] for i in range(0, len(big), 300_000)]
    documents = [Document.streamed("csv/audit.csv", iter(pieces)),
                 Document.of("README.txt", b"read me\n"), Document.of("empty.csv", b""),
                 Document.of("report.pdf", b"%PDF-1.4 stored\n", pack=False)]
    target = tmp_path / "bundle.zip"
    with target.open("wb") as handle:
        sink = BundleZip(handle, None, _WHEN, "Folder")
        write_documents(sink, Documents(documents, "", ""))
        sink.finish()
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
    assert documents[0].data() == big  # the inflated copy, for the sinks that need it


def test_an_encrypted_zip_deflates_as_it_encrypts(tmp_path: Path) -> None:
    document = Document.of("csv/evidence.csv", _text(2_000))
    target = tmp_path / "locked.zip"
    with target.open("wb") as handle:
        sink = BundleZip(handle, "a long passphrase", _WHEN)
        assert sink.add_deflated(document.path, document.packed, size=document.size,
                                 crc=document.crc, sha256=document.sha256) is None
        write_documents(sink, Documents([document], "", ""))
        sink.finish()
    import pyzipper

    with pyzipper.AESZipFile(target) as archive:
        archive.setpassword(b"a long passphrase")
        assert archive.read("csv/evidence.csv") == _text(2_000)
