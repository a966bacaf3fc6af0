"""Every tile of the evidence grid has its whole square and its name under it, whatever shape
the pictures around it are.

A grid with uniform item sizes sizes every tile like one sample row, and Qt samples the last:
a landscape screenshot there once made every tile as short as it was, so the square "No
preview" and "Hidden" tiles were cut in half and their names were not drawn at all (seen in
the README's own screenshot of the evidence tab)."""

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QModelIndex, QRect, Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QListView
from pytestqt.qtbot import QtBot

from app.ui.evidence.grid import make_evidence_grid
from app.ui.evidence.model import EvidenceModel
from app.ui.evidence.thumbnails import THUMB_SIZE
from app.ui.kit.controller import CaseController
from tests.ui.test_views_evidence_model import Reader, _row
from tests.ui.views_support import controller_fixture, settle  # noqa: F401


def _has_text(image: QImage, area: QRect) -> bool:
    """Some pixel in `area` much darker than the grid's white: a name drawn there."""
    for y in range(area.top(), area.bottom() + 1):
        for x in range(area.left(), area.right() + 1):
            if QImage.pixelColor(image, x, y).lightness() < 140:
                return True
    return False


def _grid_with_a_landscape_picture_last(qtbot: QtBot,
                                        controller: CaseController) -> tuple[QListView,
                                                                             EvidenceModel]:
    model = EvidenceModel(controller, reader=Reader())  # its thumbnails are 2:1 landscape
    grid = make_evidence_grid(model)
    qtbot.addWidget(grid)
    grid.resize(800, 600)
    grid.show()
    model.set_rows([_row(2, status="none"), _row(3, sensitive=True), _row(1)])
    last = model.index(2, 0)
    qtbot.waitUntil(lambda: model.data(last, Qt.ItemDataRole.DecorationRole).height()
                    < THUMB_SIZE, timeout=5000)
    grid.reset()  # laid out again, sampling the last row as it is now: a landscape picture
    QApplication.processEvents()
    return grid, model


def test_every_tile_keeps_its_square_and_its_name(qtbot: QtBot,
                                                  controller: CaseController) -> None:
    grid, model = _grid_with_a_landscape_picture_last(qtbot, controller)
    name_height = grid.fontMetrics().height()
    rects = [grid.visualRect(model.index(row, 0)) for row in range(3)]
    assert len({(r.width(), r.height()) for r in rects}) == 1
    assert all(r.height() >= THUMB_SIZE + name_height for r in rects), rects
    shot = grid.viewport().grab().toImage()
    for row, rect in enumerate(rects):
        name_band = QRect(rect.left(), rect.top() + THUMB_SIZE + 2, rect.width(),
                          rect.height() - THUMB_SIZE - 2)
        assert _has_text(shot, name_band), f"no name drawn under tile {row}"
    settle(qtbot)


def test_a_landscape_picture_sits_in_the_middle_of_its_square(qtbot: QtBot,
                                                              controller: CaseController) -> None:
    grid, model = _grid_with_a_landscape_picture_last(qtbot, controller)
    rect = grid.visualRect(model.index(2, 0))
    shot = grid.viewport().grab().toImage()
    centre = rect.center().x()
    # The picture is a flat blue: above and below it, inside the square, the grid's white.
    picture_top = next(y for y in range(rect.top(), rect.top() + THUMB_SIZE)
                       if QImage.pixelColor(shot, centre, y).blue()
                       > QImage.pixelColor(shot, centre, y).red() + 60)
    assert THUMB_SIZE // 4 - 4 <= picture_top - rect.top() <= THUMB_SIZE // 4 + 6
    settle(qtbot)


def test_long_file_names_keep_their_ends_and_descriptions_their_beginnings(
        qtbot: QtBot, controller: CaseController) -> None:
    """Cut at the end, "WhatsApp Chat with Jessica Taylor (work).txt" and "... (gym).txt" were
    one name on screen; cut in the middle they stay two. A description reads from its start."""
    model = EvidenceModel(controller, reader=Reader())
    grid = make_evidence_grid(model)
    qtbot.addWidget(grid)
    grid.resize(800, 600)
    grid.show()
    chat = "WhatsApp Chat with Jessica Taylor and her friends ({}).txt"
    said = "The first message they sent, asking for money ({})"
    model.set_rows([replace(_row(1, status="none"), original_name=chat.format("work")),
                    replace(_row(2, status="none"), original_name=chat.format("gym")),
                    replace(_row(3, status="none"), description=said.format("work")),
                    replace(_row(4, status="none"), description=said.format("gym"))])
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)
    grid.setCurrentIndex(QModelIndex())  # no tile marked as the current one
    grid.clearSelection()
    QApplication.processEvents()
    shot = grid.viewport().grab().toImage()

    def name_band(row: int) -> QImage:
        rect = grid.visualRect(model.index(row, 0))
        return shot.copy(QRect(rect.left(), rect.top() + THUMB_SIZE + 2, rect.width(),
                               rect.height() - THUMB_SIZE - 2))

    assert _has_text(shot, grid.visualRect(model.index(0, 0)))
    assert name_band(0) != name_band(1), "two file names drawn as one"
    assert name_band(2) == name_band(3), "a description is cut at its end, as read"
    settle(qtbot)


def test_photos_kept_from_a_chat_export_are_named_by_their_files(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """Captioned by intake's note, every photo of a WhatsApp ZIP read "From the chat …" on
    its tile; a note the person wrote, or a description they gave it, still comes first."""
    from app.core.intake import import_paths
    from app.core.records import edit_evidence, list_evidence
    from tests.chats.test_json_exports import make_zip
    from tests.test_chat_import import jpeg
    from tests.ui.views_support import run_in_case

    chat = ("[13/01/2024, 14:05:10] Sam: <attached: 00000012-PHOTO-2024-01-13-14-05-10.jpg>\n"
            "[13/01/2024, 14:06:00] Sam: <attached: 00000013-PHOTO-2024-01-13-14-06-00.jpg>\n")
    export = make_zip(tmp_path / "WhatsApp Chat - Sam.zip", {
        "_chat.txt": chat, "00000012-PHOTO-2024-01-13-14-05-10.jpg": jpeg("red"),
        "00000013-PHOTO-2024-01-13-14-06-00.jpg": jpeg("blue")})
    run_in_case(qtbot, controller, lambda case: import_paths(case, [export]))
    rows = run_in_case(qtbot, controller, list_evidence)
    photos = [r for r in rows if r.source == "chat-export"]  # type: ignore[union-attr]
    assert len(photos) == 2 and all(p.description.startswith("From the chat export")
                                    for p in photos)
    first = photos[0]
    run_in_case(qtbot, controller, lambda case: edit_evidence(
        case, first.id, description="The photo they sent first"))
    rows = run_in_case(qtbot, controller, list_evidence)
    model = EvidenceModel(controller, reader=Reader())
    grid = make_evidence_grid(model)
    qtbot.addWidget(grid)
    model.set_rows(rows)  # type: ignore[arg-type]
    captions = [model.index(i, 0).data() for i in range(model.rowCount())]
    assert captions == ["WhatsApp Chat - Sam.zip", "The photo they sent first",
                        "00000013-PHOTO-2024-01-13-14-06-00.jpg"]
    qtbot.waitUntil(lambda: not model.is_loading(), timeout=5000)


def test_each_way_into_the_case_has_its_own_words() -> None:
    """A photo kept from a chat export said only "Added" under How."""
    from app.models import EvidenceSource
    from app.ui.evidence.detail_words import source_words

    words = [source_words(source) for source in EvidenceSource]
    assert len(set(words)) == len(words) and "Added" not in words
    assert source_words(EvidenceSource.CHAT_EXPORT) == "Kept from a chat export that held it"
