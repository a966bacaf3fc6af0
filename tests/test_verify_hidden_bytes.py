"""Bytes a ZIP holds outside its files are reported (verify_span.py).

The ZIP library reads a ZIP from its end, so a bundle with a program stuck in front of it, data
slipped between two files, bytes after the end or a comment opened and verified "All N files
match" without a word. Safekeep writes none of these; each is now a problem, and the files are
still checked. A file whose bytes are stored under another name than the ZIP's list gives is
named as such, not blamed on the ZIP's checksum.
"""

import shutil
import zipfile
from pathlib import Path

import pytest

from app.export import verify_bundle
from app.export.portal import part_file_name
from tests.conftest import run_cli
from tests.verify_support import make_bundle


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_bundle(tmp_path_factory.mktemp("hidden"))


def rezipped(bundle: Path, out: Path, between: bytes = b"", comment: bytes = b"") -> Path:
    """The bundle's entries copied byte for byte into a new ZIP, with `between` written after
    the first entry's bytes (the library writes each entry where its
    last one ended, unless told otherwise)."""
    with zipfile.ZipFile(bundle) as source, open(out, "wb") as handle:
        with zipfile.ZipFile(handle, "w") as target:
            for index, info in enumerate(source.infolist()):
                target.writestr(info, source.read(info), compress_type=info.compress_type)
                if index == 0 and between:
                    handle.write(between)
                    target.start_dir = handle.tell()  # the next entry starts after them
            target.comment = comment
    return out


def test_a_genuine_bundle_has_no_hidden_bytes(bundle: Path) -> None:
    report = verify_bundle(bundle)
    assert report.ok, report.problems


def test_a_program_stuck_in_front_is_reported(bundle: Path, tmp_path: Path) -> None:
    genuine = verify_bundle(bundle)
    stuck = tmp_path / "stuck.zip"
    stuck.write_bytes(b"MZ" + b"\x90" * 4094 + bundle.read_bytes())
    report = verify_bundle(stuck)
    assert not report.ok
    [problem] = report.problems
    assert "4,096 bytes of this ZIP belong to none of its files (4,096 before the first" in problem
    assert report.checked == genuine.checked  # the files are checked all the same
    assert report.manifest_sha256 == genuine.manifest_sha256


def test_bytes_between_files_are_reported(bundle: Path, tmp_path: Path) -> None:
    plain = verify_bundle(rezipped(bundle, tmp_path / "plain.zip"))
    assert plain.ok, plain.problems  # re-zipping alone hides nothing
    report = verify_bundle(rezipped(bundle, tmp_path / "gap.zip", between=b"secret" * 100))
    assert not report.ok
    assert any("600 bytes" in p and "600 between them" in p for p in report.problems)


def test_bytes_after_the_end_are_reported(bundle: Path, tmp_path: Path) -> None:
    tailed = tmp_path / "tailed.zip"
    tailed.write_bytes(bundle.read_bytes() + b"tail" * 25)
    report = verify_bundle(tailed)
    assert not report.ok
    assert any("100 after the end" in p for p in report.problems)


def test_a_comment_is_reported(bundle: Path, tmp_path: Path) -> None:
    report = verify_bundle(rezipped(bundle, tmp_path / "comment.zip",
                                    comment=b"Checked by the police: genuine"))
    assert not report.ok
    assert any("This ZIP carries a comment (30 bytes)" in p for p in report.problems)


def test_the_command_says_so_and_exits_with_a_problem(bundle: Path, tmp_path: Path) -> None:
    stuck = tmp_path / "stuck.zip"
    stuck.write_bytes(b"x" * 10 + bundle.read_bytes())
    result = run_cli("verify", str(stuck))
    assert result.code == 1
    assert "10 bytes of this ZIP belong to none of its files" in result.err
    assert "Traceback" not in result.err


def test_a_part_of_a_portal_pack_is_checked_too(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    bundle = make_bundle(tmp_path)
    folder.mkdir()
    # A pack of one part is the bundle's own ZIP under the part's name.
    part = folder / part_file_name("Safekeep-Alex", 1, 1)
    shutil.copyfile(bundle, part)
    part.write_bytes(part.read_bytes() + b"!" * 7)
    report = verify_bundle(folder)
    assert any(p.startswith(part.name) and "7 after the end" in p for p in report.problems)


def overlapping_zip(path: Path) -> Path:
    """Two list entries pointing at one file's bytes, under two names."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("Safekeep-Alex-2026-11-30/a.txt", b"hello")
    data = bytearray(path.read_bytes())
    start = data.index(b"PK\x01\x02")
    end = data.index(b"PK\x05\x06")
    entry = bytes(data[start:end])
    second = entry.replace(b"/a.txt", b"/b.txt")
    record = bytearray(data[end:])
    record[8:10] = (2).to_bytes(2, "little")  # entries on this disk
    record[10:12] = (2).to_bytes(2, "little")  # entries in all
    record[12:16] = (2 * len(entry)).to_bytes(4, "little")  # size of the list
    path.write_bytes(bytes(data[:start]) + entry + second + bytes(record))
    return path


def test_files_sharing_bytes_are_reported(tmp_path: Path) -> None:
    report = verify_bundle(overlapping_zip(tmp_path / "overlap.zip"))
    assert not report.ok
    assert any("share their stored bytes" in p for p in report.problems)
    # b.txt's bytes are stored under a.txt: named as such, not as a bad checksum.
    assert any(p.startswith("b.txt: not checked: the name stored beside its bytes is another")
               for p in report.problems), report.problems
