"""Found in evidence: the background reader, the tab of every detail found, the section in the
evidence details, search over the text read, and the lock pausing the reading."""

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.intake.ingest import import_bytes
from app.core.reading.stored import unread_ids
from app.core.records.identifiers import list_identifiers
from app.models import EvidenceItem, EvidenceSource, TextSuggestion
from app.models.casefile import CaseFile
from app.ui.evidence.view import EvidenceView
from app.ui.kit.controller import CaseController, DataArea
from app.ui.reading.found_view import FoundView
from app.ui.records.search_view import search_case
from app.ui.shell.main_window import MainWindow
from tests.conftest import PASSPHRASE
from tests.test_text_reading import CHAT, picture
from tests.ui.keys import put_focus, show_active
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401

READ_TIMEOUT = 60_000


def add_picture(qtbot: QtBot, controller: CaseController, lines: list[str], name: str) -> int:
    outcome = run_in_case(qtbot, controller, lambda case: import_bytes(
        case, picture(lines), name, source=EvidenceSource.CLIPBOARD))
    return outcome.evidence_id  # type: ignore[attr-defined, no-any-return]


def read_everything(qtbot: QtBot, controller: CaseController) -> FoundView:
    """A Found in evidence tab that has read every picture in the case."""
    view = FoundView(controller)
    qtbot.addWidget(view)
    view.reader.start()
    qtbot.waitUntil(lambda: not view.reader.is_running(), timeout=READ_TIMEOUT)
    settle(qtbot)
    return view


def test_details_found_in_pictures_are_listed_added_and_dismissed(
    qtbot: QtBot, controller: CaseController
) -> None:
    first = add_picture(qtbot, controller, CHAT, "chat.png")
    view = read_everything(qtbot, controller)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0, timeout=5000)
    kinds = {group.kind for group in view._groups}
    assert {"email", "skype-id", "mtcn", "date-time"} <= kinds

    assert view.select_group("email", "jess.taylor58@example.com")
    # Where it was seen, by exhibit reference, as an officer asks about it ("1 picture").
    assert view.tree.currentItem().text(1) == "TC/1"
    assert view.add_button.isEnabled()
    view.add_selected()
    settle(qtbot)
    (identifier,) = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert identifier.value == "jess.taylor58@example.com"
    assert identifier.evidence_ids == (first,)
    def marked() -> bool:  # the row added says so; the one below it is chosen now
        return any(row.text(0).startswith("jess.taylor58@example.com")
                   and "in your details" in row.text(0)
                   for row in view.tree.findItems("", Qt.MatchFlag.MatchContains
                                                  | Qt.MatchFlag.MatchRecursive))

    qtbot.waitUntil(marked, timeout=5000)
    assert not view.tree.currentItem().text(0).startswith("jess.taylor58@example.com")

    assert view.select_group("mtcn", "8305216473")
    view.dismiss_selected()
    settle(qtbot)
    qtbot.waitUntil(lambda: all(g.kind != "mtcn" for g in view._groups), timeout=5000)

    went: list[tuple[str, int]] = []
    view.navigate_requested.connect(lambda area, item: went.append((area, item)))
    assert view.select_group("skype-id", "live:.cid.5a3f0c2e9d4b7a61")
    view.picture_button.click()
    assert went == [("evidence", first)]


def test_the_evidence_details_show_what_was_found_on_the_picture(
    qtbot: QtBot, controller: CaseController
) -> None:
    item = add_picture(qtbot, controller, CHAT, "chat.png")
    read_everything(qtbot, controller)
    view = EvidenceView(controller)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    assert view.select_evidence(item)
    assert view.details.fields["pixels"].isVisible()  # a picture's own facts are shown
    found = view.details.found
    assert found is not None
    qtbot.waitUntil(lambda: found.found.count() >= 3, timeout=10_000)
    qtbot.waitUntil(lambda: found.picture.pixmap() is not None
                    and not found.picture.pixmap().isNull(), timeout=10_000)
    rows = [found.found.item(i).text() for i in range(found.found.count())]
    assert any("live:.cid.5a3f0c2e9d4b7a61" in row for row in rows)
    # Choosing one marks it and shows it enlarged.
    row = next(i for i, text in enumerate(rows) if "Skype" in text)
    found.found.setCurrentRow(row)
    assert not found.zoom.pixmap().isNull()
    assert found.add_button.isEnabled()
    found.add_button.click()
    settle(qtbot)
    identifiers = run_in_case(qtbot, controller, list_identifiers)
    assert [i.value for i in identifiers] == ["live:.cid.5a3f0c2e9d4b7a61"]  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: "in your details" in found.found.item(row).text(), timeout=5000)
    assert found.show_text.isVisible() or not found.isVisible()
    assert "MTCN" in found.text.toPlainText()


def test_search_covers_the_text_read_in_pictures(
    qtbot: QtBot, controller: CaseController
) -> None:
    item = add_picture(qtbot, controller, CHAT, "chat.png")
    read_everything(qtbot, controller)
    hits = run_in_case(qtbot, controller, lambda case: search_case(case, "western union"))
    assert [(h.area, h.item_id) for h in hits] == [("evidence", item)]  # type: ignore[attr-defined]
    assert hits[0].snippet_note == "Read in the picture:"  # type: ignore[index]
    assert "Western Union" in hits[0].snippet  # type: ignore[index]
    # A name match is not labelled as read in the picture.
    by_name = run_in_case(qtbot, controller, lambda case: search_case(case, "chat.png"))
    assert by_name[0].snippet_note == ""  # type: ignore[index]


def test_locking_pauses_the_reading_and_unlocking_resumes_it(
    qtbot: QtBot, controller: CaseController, tmp_path: Path
) -> None:
    for n in range(8):
        add_picture(qtbot, controller, [*CHAT, f"picture {n}"], f"{n}.png")
    view = FoundView(controller)
    qtbot.addWidget(view)
    progress: list[int] = []
    view.reader.progressed.connect(lambda done, total: progress.append(done))
    view.reader.start()
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 1, timeout=READ_TIMEOUT)
    controller.lock()
    assert not view.reader.is_running()
    assert view.tree.topLevelItemCount() == 0  # the lock empties the view
    opened: list[bool] = []
    controller.unlock(tmp_path / "views.skcase", PASSPHRASE, on_done=lambda: opened.append(True))
    qtbot.waitUntil(lambda: bool(opened), timeout=15_000)
    left = run_in_case(qtbot, controller, unread_ids)
    assert 0 < len(left) < 8  # type: ignore[arg-type]  # some read, the rest waiting
    # Unlocking carried on by itself with the pictures not read yet.
    qtbot.waitUntil(lambda: not run_in_case(qtbot, controller, unread_ids), timeout=READ_TIMEOUT)
    qtbot.waitUntil(lambda: not view.reader.is_running(), timeout=READ_TIMEOUT)
    settle(qtbot)


def test_the_main_window_jumps_to_a_picture(qtbot: QtBot, controller: CaseController) -> None:
    first = add_picture(qtbot, controller, ["one"], "one.png")
    second = add_picture(qtbot, controller, ["two"], "two.png")
    window = MainWindow(controller)
    qtbot.addWidget(window)
    evidence = window.views["evidence"]
    assert isinstance(evidence, EvidenceView)
    evidence.reload()
    qtbot.waitUntil(lambda: evidence.model.rowCount() == 2, timeout=5000)
    window.tabs.setCurrentIndex(window.tabs.indexOf(window.views["search"]))
    assert window.navigate("evidence", second)
    assert window.tabs.currentWidget() is evidence
    assert evidence.selected_ids() == [second]
    assert window.navigate("evidence", first) and evidence.selected_ids() == [first]
    assert not window.navigate("nowhere", 1)
    settle(qtbot)


def test_pausing_by_hand_says_how_to_carry_on(qtbot: QtBot, controller: CaseController) -> None:
    for n in range(8):
        add_picture(qtbot, controller, [*CHAT, f"picture {n}"], f"{n}.png")
    view = FoundView(controller)
    qtbot.addWidget(view)
    view.show()
    progress: list[int] = []
    view.reader.progressed.connect(lambda done, total: progress.append(done))
    view.reader.start()
    assert view.stop_button.isVisible() and not view.read_button.isVisible()
    qtbot.waitUntil(lambda: bool(progress) and progress[-1] >= 1, timeout=READ_TIMEOUT)
    view.stop_button.click()
    qtbot.waitUntil(lambda: not view.reader.is_running(), timeout=READ_TIMEOUT)
    assert "Read pictures now" in view.progress.text()
    assert view.read_button.isVisible()
    assert run_in_case(qtbot, controller, unread_ids)
    settle(qtbot)


def test_many_dates_are_folded_and_made_only_when_unfolded(
        qtbot: QtBot, controller: CaseController) -> None:
    def fill(case: CaseFile) -> None:
        with case.write() as session:
            item = EvidenceItem(sha256="0" * 64, size=1, original_name="shot.png",
                                kind="screenshot", detected_type="image/png")
            session.add(item)
            session.flush()
            session.add_all(TextSuggestion(evidence_id=item.id, kind="date-time", value=at,
                                           normalised=at)
                            for at in (f"2024-03-{d:02d}T{h:02d}:{m:02d}" for d in range(1, 3)
                                       for h in range(24) for m in range(0, 60, 2)))
            session.add(TextSuggestion(evidence_id=item.id, kind="amount", value="£250",
                                       normalised="GBP 250.00"))

    run_in_case(qtbot, controller, fill)
    view = FoundView(controller)
    qtbot.addWidget(view)
    view.reload()
    settle(qtbot)
    tops = {view.tree.topLevelItem(i).text(0): view.tree.topLevelItem(i)  # type: ignore[union-attr]
            for i in range(view.tree.topLevelItemCount())}
    dates, amounts = tops["Date or time"], tops["Amount of money"]
    assert amounts.childCount() == 1 and amounts.isExpanded()
    assert dates.childCount() == 0 and not dates.isExpanded()  # 1,440 rows not made yet
    assert "1440" in dates.text(1).replace(",", "")

    dates.setExpanded(True)  # unfolded by the person: now they are made
    assert dates.childCount() == 1440
    assert view.select_group("date-time", "2024-03-02T23:58")

    view.reload()  # folded again; the chosen one is made and stays chosen
    settle(qtbot)
    chosen = view.selected_group()
    assert chosen is not None and chosen.normalised == "2024-03-02T23:58"


def test_reading_waits_for_the_views_to_reload_after_an_import(
    qtbot: QtBot, controller: CaseController, tmp_path: Path
) -> None:
    # As an import ends, the evidence view reloads its rows and thumbnails. Starting to read
    # in that same turn (the reading's first queries, the check that Tesseract is installed,
    # the reading pool's start) shared the interpreter with it and held the window up.
    found = FoundView(controller)
    qtbot.addWidget(found)
    evidence = EvidenceView(controller)
    qtbot.addWidget(evidence)
    reading_as_announced: list[bool] = []
    controller.data_changed.connect(
        lambda area: reading_as_announced.append(found.reader.is_running())
        if area is DataArea.EVIDENCE else None)
    shot = tmp_path / "chat.png"
    shot.write_bytes(picture(CHAT))
    evidence.import_paths([str(shot)])
    qtbot.waitUntil(lambda: bool(reading_as_announced), timeout=15_000)
    assert reading_as_announced == [False]
    # Once the views are quiet it starts by itself, and reads the picture.
    qtbot.waitUntil(lambda: not run_in_case(qtbot, controller, unread_ids), timeout=READ_TIMEOUT)
    qtbot.waitUntil(lambda: not found.reader.is_running(), timeout=READ_TIMEOUT)
    settle(qtbot)


def test_reached_with_tab_the_list_chooses_its_first_detail_not_the_heading(
        qtbot: QtBot, controller: CaseController) -> None:
    """Tab into the list put its cursor on the first heading ("Skype ID"), where "Add to
    details" stays grey: the person had to find Down first. The first detail is chosen, so
    Tab and Space add it."""
    from PySide6.QtCore import Qt

    from tests.ui.keys import focused, press, put_focus, show_active

    first = add_picture(qtbot, controller, CHAT, "chat.png")
    view = read_everything(qtbot, controller)
    show_active(qtbot, view)
    qtbot.waitUntil(lambda: view.tree.topLevelItemCount() > 0, timeout=5000)
    put_focus(qtbot, view.tree)
    group = view.selected_group()
    assert group is not None and view.add_button.isEnabled()
    assert view.tree.currentItem().parent() is view.tree.topLevelItem(0)
    press(Qt.Key.Key_Tab)
    assert focused() is view.add_button
    press(Qt.Key.Key_Space)
    settle(qtbot)
    (identifier,) = run_in_case(qtbot, controller, list_identifiers)  # type: ignore[misc]
    assert identifier.evidence_ids == (first,)


def test_read_pictures_now_says_how_it_ended_even_with_nothing_to_read(
        qtbot: QtBot, controller: CaseController) -> None:
    """Pressed in a case of a chat export and no picture, "Read pictures now" did nothing a
    person could see; after pictures with nothing in them, it said nothing either."""
    from PySide6.QtTest import QTest

    from tests.ui.keys import show_active

    view = FoundView(controller)
    view.reader.automatic = False  # as if it had run already: only the person starts it
    qtbot.addWidget(view)
    show_active(qtbot, view)
    QTest.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Nothing is waiting" in view.progress.text(), timeout=20_000)

    add_picture(qtbot, controller, ["Thanks, see you soon"], "plain.png")
    add_picture(qtbot, controller, ["Have a nice day"], "plain2.png")
    QTest.mouseClick(view.read_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not view.reader.is_running()
                    and view.progress.text().startswith("Finished"), timeout=READ_TIMEOUT)
    assert view.progress.text() == "Finished reading 2 files. No new details in them."
    settle(qtbot)  # the list read again after the reading: in before the view goes


def test_an_amount_or_a_time_says_where_it_goes(qtbot: QtBot, controller: CaseController) -> None:
    # "Add to details" stayed grey on "£250" with no word of why, or where a payment goes.
    def fill(case: CaseFile) -> None:
        with case.write() as session:
            item = EvidenceItem(sha256="1" * 64, size=1, original_name="shot.png",
                                kind="screenshot", detected_type="image/png")
            session.add(item)
            session.flush()
            session.add_all([
                TextSuggestion(evidence_id=item.id, kind="amount", value="£250",
                               normalised="GBP 250.00"),
                TextSuggestion(evidence_id=item.id, kind="date-time", value="4 Dec 21:00",
                               normalised="2026-12-04T21:00"),
                TextSuggestion(evidence_id=item.id, kind="email", value="kwame@example.com",
                               normalised="kwame@example.com")])

    run_in_case(qtbot, controller, fill)
    view = FoundView(controller)
    qtbot.addWidget(view)
    view.resize(900, 600)
    show_active(qtbot, view)
    view.reload()
    settle(qtbot)
    put_focus(qtbot, view.tree)
    assert view.select_group("amount", "GBP 250.00")
    assert not view.add_button.isEnabled()
    assert "note it on the Payments tab" in view.message.text()
    assert view.select_group("date-time", "2026-12-04T21:00")
    assert "note it on the Timeline tab" in view.message.text()
    assert view.select_group("email", "kwame@example.com")
    assert view.add_button.isEnabled() and view.message.text() == ""


def test_a_pictures_amount_row_says_where_it_goes() -> None:
    from app.core.reading import DetailKind, Suggestion
    from app.models import SuggestionState
    from app.ui.reading.found_words import sighting_words

    def row(kind: DetailKind, value: str) -> str:
        return sighting_words(Suggestion(
            id=1, evidence_id=1, kind=kind, value=value, normalised=value, platform=None,
            boxes=(), state=SuggestionState.NEW, saved=False, confidence=90.0))

    assert row(DetailKind.AMOUNT, "£250") == \
        "Amount of money: £250  · if paid, note it on the Payments tab"
    assert row(DetailKind.DATE_TIME, "4 Dec 21:00").endswith(
        "· to keep it, note it on the Timeline tab")
