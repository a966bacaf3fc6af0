"""Cases with real damage in them: real SQLCipher files, changed on disk as a failing disk
would change them (one byte flipped inside one page)."""

import os
from pathlib import Path

from app.core.intake import import_paths
from app.models.casefile import PAGE_SIZE, CaseFile
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE


def case_with(tmp_path: Path, files: dict[str, bytes], display_name: str = "x") -> Path:
    """A case holding `files` (name -> bytes), imported through the real importer in name
    order: evidence ids 1, 2, 3... follow the sorted names."""
    path = tmp_path / "case.skcase"
    folder = tmp_path / "in"
    folder.mkdir()
    for name, data in files.items():
        (folder / name).write_bytes(data)
    with CaseFile.create(path, PASSPHRASE, display_name=display_name, actor="t",
                         kdf_profile=TEST_KDF_PROFILE) as case:
        outcomes = import_paths(case, sorted(folder.iterdir()))
        assert all(o.status == "added" for o in outcomes), outcomes
    return path


def flip_a_byte(path: Path, offset: int) -> None:
    with path.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)
        handle.seek(-1, os.SEEK_CUR)
        handle.write(bytes([byte[0] ^ 0x5A]))


def flip_a_byte_mid_file(path: Path) -> None:
    """One byte in the middle of a page, mid-file: inside whichever item fills most of it.
    A page cannot be found by its content (each is encrypted), so a test builds its case so
    that one item fills most of the file, and checks where the damage landed."""
    flip_a_byte(path, (path.stat().st_size // 2 // PAGE_SIZE) * PAGE_SIZE + 1000)
