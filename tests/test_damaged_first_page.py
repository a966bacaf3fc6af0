"""A damaged first page is not a wrong passphrase (issue 20, item 11): SQLCipher fails on page 1
alike for both, but with the right key the later pages still verify, so Safekeep can say which
it is, and the person does not keep retyping a passphrase that was right all along."""

import os
from pathlib import Path

import pytest

from app.errors import NotACaseFile, WrongPassphrase
from app.models import kdf
from app.models.casefile import PAGE_SIZE, CaseFile
from app.models.page_check import hmac_key_for, key_reads_later_pages, page_verifies
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE, run_cli


@pytest.fixture
def made(tmp_path: Path) -> Path:
    path = tmp_path / "case.skcase"
    CaseFile.create(path, PASSPHRASE, display_name="x", actor="t",
                    kdf_profile=TEST_KDF_PROFILE).close()
    return path


def _flip(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(offset)
        handle.write(bytes([byte[0] ^ 0x41]))


def test_every_page_of_a_sound_case_verifies_with_the_right_key_and_none_with_a_wrong(
        made: Path) -> None:
    data = made.read_bytes()
    salt = data[:16]
    profile = kdf.profile_for_salt(salt)
    assert profile is not None
    right = hmac_key_for(kdf.derive_key(PASSPHRASE, salt, profile), salt)
    wrong = hmac_key_for(kdf.derive_key("not it", salt, profile), salt)
    pages = [data[i:i + PAGE_SIZE] for i in range(0, len(data), PAGE_SIZE)]
    assert len(pages) > 2
    assert all(page_verifies(page, n, right) for n, page in enumerate(pages, start=1))
    assert not any(page_verifies(page, n, wrong) for n, page in enumerate(pages, start=1))


def test_a_damaged_first_page_says_damaged_when_the_passphrase_is_right(made: Path) -> None:
    _flip(made, 300)
    with pytest.raises(NotACaseFile) as told:
        CaseFile.open(made, PASSPHRASE, actor="t")
    assert "passphrase is right" in told.value.message
    with pytest.raises(WrongPassphrase):
        CaseFile.open(made, "not the passphrase", actor="t")
    result = run_cli("info", str(made))
    assert result.code != 0 and "passphrase is right" in result.err
    assert "Traceback" not in result.err


def test_a_wrong_passphrase_on_a_sound_case_is_still_a_wrong_passphrase(made: Path) -> None:
    with pytest.raises(WrongPassphrase):
        CaseFile.open(made, "not the passphrase", actor="t")
    CaseFile.open(made, PASSPHRASE, actor="t").close()


def test_a_file_damaged_everywhere_cannot_be_told_and_asks_again(made: Path) -> None:
    for offset in range(100, made.stat().st_size, PAGE_SIZE):
        _flip(made, offset)
    salt = made.read_bytes()[:16]
    profile = kdf.profile_for_salt(salt)
    assert profile is not None
    assert not key_reads_later_pages(made, kdf.derive_key(PASSPHRASE, salt, profile), salt)
    with pytest.raises(WrongPassphrase):
        CaseFile.open(made, PASSPHRASE, actor="t")
    assert os.path.getsize(made) % PAGE_SIZE == 0


@pytest.mark.parametrize("cut", ["one page", "mid-page"])
def test_a_case_cut_short_says_so_and_what_to_do(tmp_path: Path, cut: str) -> None:
    # A copy to a USB stick that stopped early was told "not a Safekeep case file": frightening
    # to a person who knows it is their case, and no help.
    from app.core.intake import import_paths

    path = tmp_path / "case.skcase"
    (tmp_path / "a.txt").write_bytes(b"pay or else " * 2000)
    with CaseFile.create(path, PASSPHRASE, display_name="x", actor="t",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        import_paths(case, [tmp_path / "a.txt"])
    data = path.read_bytes()
    copy = tmp_path / "copy.skcase"
    copy.write_bytes(data[:-PAGE_SIZE] if cut == "one page" else data[: len(data) * 9 // 10])
    with pytest.raises(NotACaseFile) as info:
        CaseFile.open(copy, PASSPHRASE, actor="t").close()
    assert "shorter than it should be" in info.value.message
    assert "spare copy of the case, if one was saved" in info.value.message
    # Noise of a case's length whose first byte names no key profile is no case file. (One
    # whose first byte names a profile, as random bytes do one time in eight, cannot be told
    # from a case opened with the wrong passphrase: an encrypted case looks like noise. With
    # os.urandom alone this test failed that often.)
    noise = tmp_path / "noise.skcase"
    noise.write_bytes(bytes([0xA0]) + os.urandom(len(data) - 1))
    assert kdf.profile_for_salt(noise.read_bytes()[:16]) is None
    with pytest.raises(NotACaseFile) as info:
        CaseFile.open(noise, PASSPHRASE, actor="t").close()
    assert "not a Safekeep case file" in info.value.message
    noise.write_bytes(bytes([0xA1]) + os.urandom(len(data) - 1))
    with pytest.raises(WrongPassphrase):
        CaseFile.open(noise, PASSPHRASE, actor="t").close()
