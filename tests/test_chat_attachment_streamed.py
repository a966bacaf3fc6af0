"""A chat export's attachment too big to hold in memory is streamed from the ZIP into the case
(never unpacked to disk), hashed exactly; and one the case's disk certainly cannot hold is
refused before a byte of it is written, the conversation still read. The video here is mostly
zeros (one byte in a hundred random): deflated about 50 times, under the 200 times that makes
a ZIP look like a bomb, so the export itself fits where its video cannot."""

import hashlib
import random
import re
from pathlib import Path

import pytest

from app.core.intake.ingest import import_paths
from app.core.records.evidence import list_evidence
from app.models.casefile import CaseFile
from tests.chats.test_json_exports import make_zip
from tests.chats.test_whatsapp import LRM, NNBSP
from tests.conftest import PASSPHRASE

MIB = 1 << 20
VIDEO_NAME = "00000014-VIDEO-2024-01-13-14-09-00.mp4"


def sparse_bytes(size: int, seed: int = 7) -> bytes:
    rng = random.Random(seed)
    data = bytearray(size)
    for _ in range(size // 100):
        data[rng.randrange(size)] = rng.randrange(1, 256)
    return bytes(data)


def export_with_a_video(folder: Path, size: int) -> tuple[Path, bytes]:
    video = b"\x00\x00\x00\x18ftypmp42" + sparse_bytes(size)
    path = make_zip(folder / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": (f"[13/01/2024, 2:09:00{NNBSP}PM] Sam: {LRM}<attached: {VIDEO_NAME}>\n"
                      f"[13/01/2024, 2:10:00{NNBSP}PM] Sam: pay or everyone sees it\n"),
        VIDEO_NAME: video,
    })
    return path, video


@pytest.fixture(autouse=True)
def _small_memory_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Attachments over 1 MiB are streamed (64 MiB in the app: the same path, quicker here)."""
    monkeypatch.setattr("app.core.intake.chat_reading.PREVIEW_MAX_BYTES", MIB)


def test_a_large_attachment_is_streamed_from_the_zip(case: CaseFile, tmp_path: Path) -> None:
    path, video = export_with_a_video(tmp_path, 3 * MIB)
    outcomes = import_paths(case, [path])
    assert [o.status for o in outcomes] == ["added", "added"], outcomes
    stored = {e.original_name: e for e in list_evidence(case)}[VIDEO_NAME]
    assert stored.size == len(video)
    assert stored.sha256 == hashlib.sha256(video).hexdigest()


def test_an_attachment_the_disk_cannot_hold_is_refused_and_the_chat_read(
        small_disk: object, tmp_path: Path) -> None:
    disk = small_disk(3 * MIB)  # type: ignore[operator]
    case_path = disk / "case.skcase"
    CaseFile.create(case_path, PASSPHRASE, display_name="x", actor="t", kdf_profile=1).close()
    path, _video = export_with_a_video(tmp_path, 20 * MIB)
    assert path.stat().st_size < 1 * MIB
    with CaseFile.open(case_path, PASSPHRASE, actor="t") as case:
        outcomes = import_paths(case, [path])
        assert [o.status for o in outcomes] == ["added", "refused"], outcomes
        assert re.match(r"This file is 21\.0 MB and needs at least 4\d\.\d MB free on the disk "
                        r"that holds the case while it is stored; that disk has \d\.\d MB free\.",
                        outcomes[1].reason or ""), outcomes[1].reason
        assert [e.original_name for e in list_evidence(case)] == ["WhatsApp Chat - Sam.zip"]
