"""Text recognition end to end with real parts: pictures rendered here, imported into a real
SQLCipher case, read by Tesseract in real worker processes, suggestions stored, added as
identifiers or dismissed, and the `safekeep ocr` command."""

import io
import json
import multiprocessing
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select, update

from app.core.identifiers.types import IdentifierType
from app.core.intake.ingest import import_bytes
from app.core.pictures.text_page import OcrPage, OcrWord
from app.core.pictures.text_pool import OcrPool, OcrResult, OcrStatus, parse_answer
from app.core.reading.kinds import DetailKind
from app.core.reading.stored import (
    forget_reading,
    read_unread,
    reading_of,
    recognised_texts,
    store_reading,
    unread_ids,
)
from app.core.reading.suggestions import (
    add_suggestions,
    dismiss_suggestions,
    screenshot_tip,
    suggestion_groups,
    suggestions_for,
)
from app.core.records.identifiers import list_identifiers
from app.errors import InvalidInput
from app.models import AuditEvent, EvidenceSource, SuggestionState, TextSuggestion
from app.models.casefile import CaseFile
from tests.conftest import CliResult
from tests.waiting import cpu_seconds, wait_until

FONT = Path(__file__).resolve().parent.parent / "resources" / "fonts" / "DejaVuSans.ttf"


def picture(lines: list[str], *, dark: bool = False, size: tuple[int, int] = (900, 420)) -> bytes:
    """A plain chat-like picture with `lines` of 22 px text, as PNG bytes."""
    background, ink = ((24, 26, 31), (235, 235, 235)) if dark else ((250, 250, 250), (20, 20, 20))
    image = Image.new("RGB", size, background)
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(str(FONT), 22)
    for n, line in enumerate(lines):
        draw.text((30, 30 + n * 44), line, font=font, fill=ink)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


CHAT = [
    "Jess 21:14",
    "add me on skype live:.cid.5a3f0c2e9d4b7a61",
    "or email jess.taylor58@example.com",
    "Send it by Western Union MTCN 830-521-6473",
]


@pytest.fixture(scope="module")
def ocr_pool() -> Iterator[OcrPool]:
    with OcrPool(workers=2) as pool:
        yield pool


def add_picture(case: CaseFile, data: bytes, name: str) -> int:
    outcome = import_bytes(case, data, name, source=EvidenceSource.CLIPBOARD)
    assert outcome.evidence_id is not None
    return outcome.evidence_id


def test_a_picture_is_read_and_its_details_suggested(case: CaseFile, ocr_pool: OcrPool) -> None:
    item = add_picture(case, picture(CHAT), "chat.png")
    assert unread_ids(case) == [item]
    seen: list[int] = []
    progress = read_unread(case, ocr_pool, on_progress=lambda p: seen.append(p.done))
    assert (progress.done, progress.total) == (1, 1) and seen == [1]
    assert unread_ids(case) == []
    reading = reading_of(case, item)
    assert reading is not None and reading.status is OcrStatus.OK
    assert "jess.taylor58@example.com" in reading.text
    assert reading.engine.startswith("tesseract ")
    assert reading.page is not None and reading.page.width == 900
    found = {(s.kind, s.normalised) for s in suggestions_for(case, item)}
    assert ("email", "jess.taylor58@example.com") in found
    assert ("skype-id", "live:.cid.5a3f0c2e9d4b7a61") in found
    assert ("mtcn", "8305216473") in found
    # Every suggestion points at words on the picture, inside it.
    for suggestion in suggestions_for(case, item):
        assert suggestion.boxes
        for left, top, width, height in suggestion.boxes:
            assert 0 <= left and left + width <= 900 and 0 <= top and top + height <= 420
    assert progress.found == len(suggestions_for(case, item))
    # Nothing became an identifier by itself.
    assert list_identifiers(case) == []
    assert recognised_texts(case)[item] == reading.text
    # A second run has nothing to do.
    assert read_unread(case, ocr_pool).total == 0


def test_dark_theme_pictures_are_read(case: CaseFile, ocr_pool: OcrPool) -> None:
    item = add_picture(case, picture(CHAT, dark=True), "dark.png")
    read_unread(case, ocr_pool)
    found = {(s.kind, s.normalised) for s in suggestions_for(case, item)}
    assert ("email", "jess.taylor58@example.com") in found


def test_adding_a_detail_links_every_picture_that_shows_it(
    case: CaseFile, ocr_pool: OcrPool
) -> None:
    first = add_picture(case, picture(CHAT), "one.png")
    second = add_picture(case, picture(["again:", CHAT[2]], size=(900, 200)), "two.png")
    read_unread(case, ocr_pool)
    group = next(g for g in suggestion_groups(case) if g.kind == "email")
    assert group.evidence_ids == (first, second) and group.can_add
    result = add_suggestions(case, group.suggestion_ids)
    assert not result.merged
    (identifier,) = list_identifiers(case)
    assert identifier.value == "jess.taylor58@example.com"
    assert set(identifier.evidence_ids) == {first, second}
    assert identifier.note == "Found by text recognition in a picture, and added from there."
    group = next(g for g in suggestion_groups(case) if g.kind == "email")
    assert group.state is SuggestionState.ADDED and group.saved and not group.can_add
    # Adding it again merges, as typing it again would.
    assert add_suggestions(case, group.suggestion_ids[:1]).merged
    assert len(list_identifiers(case)) == 1


def test_dismissed_details_stay_dismissed_even_when_read_again(
    case: CaseFile, ocr_pool: OcrPool
) -> None:
    item = add_picture(case, picture(CHAT), "chat.png")
    read_unread(case, ocr_pool)
    mtcn = next(s for s in suggestions_for(case, item) if s.kind == "mtcn")
    dismiss_suggestions(case, [mtcn.id])
    assert all(g.kind != "mtcn" for g in suggestion_groups(case))
    assert any(g.kind == "mtcn" for g in suggestion_groups(case, dismissed=True))
    forget_reading(case, item)
    assert reading_of(case, item) is None and unread_ids(case) == [item]
    read_unread(case, ocr_pool)
    mtcns = [s for s in suggestions_for(case, item) if s.kind == "mtcn"]
    assert [s.state for s in mtcns] == [SuggestionState.DISMISSED]


def test_amounts_and_times_are_shown_but_never_added_as_identifiers(case: CaseFile) -> None:
    item = add_picture(case, picture(["x"], size=(50, 50)), "x.png")
    words = ("Pay", "£250", "by", "21:14")
    page = OcrPage(
        400, 100, tuple(OcrWord(w, 10 + 60 * i, 10, 50, 20, 90.0, 0) for i, w in enumerate(words))
    )
    store_reading(case, item, OcrResult(OcrStatus.OK, page))
    kinds = {s.kind: s for s in suggestions_for(case, item)}
    assert {"amount", "date-time"} <= set(kinds)
    assert not kinds["amount"].can_add
    with pytest.raises(InvalidInput):
        add_suggestions(case, [kinds["amount"].id])
    with pytest.raises(InvalidInput):  # two different details are not one identifier
        add_suggestions(case, [kinds["amount"].id, kinds["date-time"].id])


def test_kinds_are_members_and_an_unknown_stored_kind_is_left_out(case: CaseFile) -> None:
    item = add_picture(case, picture(["x"], size=(50, 50)), "x.png")
    words = ("Pay", "£250", "to", "jess.taylor58@example.com")
    page = OcrPage(
        400, 100, tuple(OcrWord(w, 10 + 90 * i, 10, 80, 20, 90.0, 0) for i, w in enumerate(words))
    )
    store_reading(case, item, OcrResult(OcrStatus.OK, page))
    kinds = [s.kind for s in suggestions_for(case, item)]
    assert kinds == [IdentifierType.EMAIL, DetailKind.AMOUNT]
    assert kinds[0] is IdentifierType.EMAIL and kinds[1] is DetailKind.AMOUNT
    with case.write() as session:  # as a damaged or hand-edited file might hold
        session.execute(update(TextSuggestion).where(TextSuggestion.kind == "email")
                        .values(kind="e-mail"))
    assert [s.kind for s in suggestions_for(case, item)] == [DetailKind.AMOUNT]
    assert [g.kind for g in suggestion_groups(case)] == [DetailKind.AMOUNT]


def test_the_screenshot_tip_asks_kindly_for_who_and_when(case: CaseFile) -> None:
    def read_words(words: list[str]) -> int:
        item = add_picture(case, picture([" ".join(words)], size=(60 + len(words), 40)), "p.png")
        page = OcrPage(
            2000, 100,
            tuple(OcrWord(w, 10 + 80 * i, 10, 70, 20, 90.0, 0) for i, w in enumerate(words)),
        )
        store_reading(case, item, OcrResult(OcrStatus.OK, page))
        return item

    chat = "you know what you did and now everyone will see".split()
    nothing = read_words(chat)
    tip = screenshot_tip(case, nothing)
    assert tip is not None and "who sent" in tip and "date and time" in tip
    only_time = read_words([*chat, "21:14"])
    tip = screenshot_tip(case, only_time)
    assert tip is not None and "username or profile link" in tip
    both = read_words([*chat, "@jess_t58", "21:14"])
    assert screenshot_tip(case, both) is None
    short = read_words(["a", "photo"])  # a photo with a word or two is not a chat
    assert screenshot_tip(case, short) is None


def test_unreadable_outcomes_are_kept_and_not_retried(case: CaseFile) -> None:
    item = add_picture(case, picture(["hello"]), "p.png")
    store_reading(case, item, OcrResult(OcrStatus.TIMED_OUT))
    reading = reading_of(case, item)
    assert reading is not None and reading.status is OcrStatus.TIMED_OUT and reading.page is None
    assert unread_ids(case) == []
    assert suggestions_for(case, item) == []
    # Storing twice (two readers racing) keeps the first and adds nothing.
    assert store_reading(case, item, OcrResult(OcrStatus.OK, OcrPage(1, 1, ()))) == 0
    with case.read() as session:
        actions = list(session.scalars(select(AuditEvent.action)))
    assert actions.count("evidence.read-text") == 1


def test_a_picture_removed_while_being_read_is_skipped(case: CaseFile) -> None:
    from app.core.records.evidence import remove_evidence

    item = add_picture(case, picture(["hello"]), "p.png")
    remove_evidence(case, item, "mistake")
    assert store_reading(case, item, OcrResult(OcrStatus.OK, OcrPage(1, 1, ()))) == 0
    assert reading_of(case, item) is None


def test_stopping_leaves_the_rest_unread(case: CaseFile, ocr_pool: OcrPool) -> None:
    items = [add_picture(case, picture([f"{CHAT[2]} {n}"]), f"{n}.png") for n in range(6)]
    progress = read_unread(case, ocr_pool, should_stop=lambda: True)
    assert progress.done <= 1
    assert len(unread_ids(case)) >= len(items) - 1


def test_pictures_that_are_not_images_are_never_queued(case: CaseFile) -> None:
    import_bytes(case, b"\x89PNG\r\n\x1a\n broken", "broken.png", source=EvidenceSource.CLIPBOARD)
    import_bytes(case, b"PK\x03\x04 not a picture", "photos.zip", source=EvidenceSource.CLIPBOARD)
    assert unread_ids(case) == []
    # A PDF is queued (its text is read by PDFium: tests/test_pdf_reading.py), even a broken one.
    pdf = add_picture(case, b"%PDF-1.4 not a picture", "doc.pdf")
    assert unread_ids(case) == [pdf]


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"ok",
        b"ok\n",
        b"ok\n{}",
        b"ok\n" + json.dumps({"w": 1, "h": 1, "words": [["x", -1, 0, 1, 1, 50, 0]]}).encode(),
        b"ok\n" + json.dumps({"w": 1, "h": 1, "words": [["", 0, 0, 1, 1, 50, 0]]}).encode(),
        b"ok\n" + json.dumps({"w": 1, "h": 1, "words": [["x", 0, 0, 1, 1, 500, 0]]}).encode(),
        b"ok\n" + json.dumps({"w": True, "h": 1, "words": []}).encode(),
        b"ok\n" + json.dumps({"w": 1, "h": 1, "words": [["x"] * 7] * 3}).encode(),
        b"ok\n" + json.dumps({"w": 1, "h": 1, "words": [["x", 0, 0, 1, 1, 5, 0]] * 20_001})
        .encode(),
        b"failed\nextra",
        b"ok\n\xff\xfe",
        "\u00e9t\u00e9\n".encode(),
    ],
)
def test_malformed_worker_answers_are_refused(data: bytes) -> None:
    assert parse_answer(data) is None


def test_worker_answers_round_trip() -> None:
    page = OcrPage(10, 20, (OcrWord("live:.cid.ab", 1, 2, 3, 4, 95.5, 0),))
    assert parse_answer(b"ok\n" + page.to_json().encode()) == OcrResult(OcrStatus.OK, page)
    assert parse_answer(b"timed-out") == OcrResult(OcrStatus.TIMED_OUT)


def test_the_pool_reads_bytes_and_refuses_what_is_not_a_picture(ocr_pool: OcrPool) -> None:
    good = ocr_pool.submit(picture(CHAT)).result(timeout=60)
    assert good.status is OcrStatus.OK and good.page is not None
    assert "MTCN" in good.page.text
    assert ocr_pool.submit(b"RIFF\0\0\0\0AVI ").result(timeout=60).status is OcrStatus.NONE
    # A PDF is read by PDFium, not as a picture; a broken one fails as a broken picture does.
    assert ocr_pool.submit(b"%PDF-1.4").result(timeout=60).status is OcrStatus.FAILED
    broken = picture(CHAT)[:300]
    assert ocr_pool.submit(broken).result(timeout=60).status is OcrStatus.FAILED


def test_closing_for_a_lock_ends_a_reading_at_once() -> None:
    big = picture([CHAT[1]] * 60, size=(3000, 2800))  # about 2 s of CPU, all but 0.4 in Tesseract
    others = set(multiprocessing.active_children())
    pool = OcrPool(workers=1)
    (worker,) = set(multiprocessing.active_children()) - others
    running = pool.submit(big)
    wait_until(running.running, what="the worker to take the picture")
    pid = worker.pid
    assert pid is not None
    start = cpu_seconds(pid)  # the model is loaded before a worker takes any picture
    if start is not None:  # where the platform tells: once decoding and preparing are behind
        wait_until(lambda: (cpu_seconds(pid) or 0) - start >= 0.6, timeout=120,
                   what="the worker to be inside Tesseract")
    started = time.monotonic()
    pool.close(cancel_pending=True, kill_running=True)
    assert time.monotonic() - started < 3
    assert running.result(timeout=5).status is OcrStatus.FAILED


def test_cli_ocr_reads_and_prints_suggestions(
    cli: Callable[..., CliResult], tmp_path: Path
) -> None:
    case_path = tmp_path / "c.skcase"
    assert cli("new", str(case_path), "--kdf-profile", "1").code == 0
    chat = tmp_path / "chat.png"
    chat.write_bytes(picture(CHAT))
    assert cli("add-evidence", str(case_path), str(chat)).code == 0
    result = cli("ocr", str(case_path))
    assert result.code == 0, result
    assert "Read 1 new picture or document;" in result.out
    assert "jess.taylor58@example.com" in result.out and "seen in: #1 chat.png" in result.out
    again = cli("ocr", str(case_path), "--json")
    assert again.code == 0, again
    data = json.loads(again.out)
    assert data["read_now"] == 0
    kinds = {d["kind"]: d for d in data["details"]}
    assert kinds["skype-id"]["value"] == "live:.cid.5a3f0c2e9d4b7a61"
    assert kinds["mtcn"]["evidence"] == [{"id": 1, "name": "chat.png"}]
    # The CLI suggests; it never adds.
    listed = cli("list", str(case_path), "identifiers", "--json")
    assert json.loads(listed.out) == {"items": []}


def test_cli_ocr_on_a_case_with_no_pictures(cli: Callable[..., CliResult], tmp_path: Path) -> None:
    case_path = tmp_path / "c.skcase"
    assert cli("new", str(case_path), "--kdf-profile", "1").code == 0
    result = cli("ocr", str(case_path))
    assert result.code == 0
    assert "Read 0 new pictures or documents; found 0 new details." in result.out


def test_hostile_pictures_never_reach_tesseract(ocr_pool: OcrPool) -> None:
    from tests.test_ingest import _bomb_png, _corrupt

    good = picture(CHAT)
    answers = {
        "bomb": ocr_pool.submit(_bomb_png()).result(timeout=60).status,
        "truncated": ocr_pool.submit(good[: len(good) // 2]).result(timeout=60).status,
        "flipped": ocr_pool.submit(_corrupt(good)).result(timeout=60).status,
        "eps": ocr_pool.submit(b"%!PS-Adobe-3.0 EPSF-3.0\nshowpage\n").result(timeout=60).status,
    }
    assert answers["bomb"] is OcrStatus.TOO_LARGE
    assert answers["eps"] is OcrStatus.NONE
    assert answers["truncated"] in (OcrStatus.FAILED, OcrStatus.OK)  # Pillow may read a part
    assert answers["flipped"] in (OcrStatus.FAILED, OcrStatus.OK)
    # The pool is still serving after all that.
    assert ocr_pool.submit(good).result(timeout=60).status is OcrStatus.OK


def test_boxes_follow_the_picture_as_shown_when_exif_rotates_it(ocr_pool: OcrPool) -> None:
    upright = Image.open(io.BytesIO(picture(CHAT)))
    # Stored on its side with an EXIF note "rotate 90° clockwise to show" (orientation 6),
    # as phones save photos of screens.
    sideways = upright.transpose(Image.Transpose.ROTATE_90)
    exif = Image.Exif()
    exif[0x0112] = 6
    out = io.BytesIO()
    sideways.save(out, "JPEG", quality=95, exif=exif.tobytes())
    result = ocr_pool.submit(out.getvalue()).result(timeout=60)
    assert result.status is OcrStatus.OK and result.page is not None
    assert (result.page.width, result.page.height) == upright.size
    assert "MTCN" in result.page.text


def test_a_missing_model_is_one_calm_sentence(monkeypatch: pytest.MonkeyPatch,
                                               tmp_path: Path) -> None:
    from app.core.pictures import text_engine as ocr_engine
    from app.core.reading.stored import require_engine
    from app.errors import TextRecognitionMissing

    require_engine()  # installed here
    monkeypatch.setattr(ocr_engine, "model_folder", lambda: tmp_path / "no-model-here")
    with pytest.raises(TextRecognitionMissing) as caught:
        require_engine()
    assert "Everything else works" in caught.value.message


def test_details_tesseract_was_unsure_of_are_marked_hard_to_read(case: CaseFile) -> None:
    item = add_picture(case, picture(["x"], size=(50, 50)), "x.png")
    words = (
        OcrWord("email", 10, 10, 50, 20, 95.0, 0),
        OcrWord("ann.lee9l@example.com", 70, 10, 200, 20, 41.5, 0),  # unsure
        OcrWord("and", 10, 40, 50, 20, 95.0, 1),
        OcrWord("@jess_t58", 70, 40, 100, 20, 92.0, 1),  # sure
    )
    store_reading(case, item, OcrResult(OcrStatus.OK, OcrPage(400, 100, words)))
    by_kind = {s.kind: s for s in suggestions_for(case, item)}
    assert by_kind["email"].confidence == 41.5 and by_kind["email"].hard_to_read
    assert by_kind["username"].confidence == 92.0 and not by_kind["username"].hard_to_read
    group = next(g for g in suggestion_groups(case) if g.kind == "email")
    assert group.hard_to_read
