"""Offender details through the view: add by form, edit through the model and its delegate,
hints that never block, help for the chosen type, linking to evidence, lock clears."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QStyleOptionViewItem
from pytestqt.qtbot import QtBot

from app.core.identifiers import IdentifierType
from app.core.records.identifiers import add_identifier, list_identifiers
from app.core.records.summary import edit_case
from app.ui.kit.controller import CaseController, DataArea
from app.ui.records.identifiers_model import PLATFORM, TYPE, UNSURE, VALUE, IdentifiersModel
from app.ui.records.identifiers_view import IdentifiersView
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _stored(qtbot: QtBot, controller: CaseController) -> list:
    return run_in_case(qtbot, controller, list_identifiers)  # type: ignore[return-value]


def test_add_from_the_form_with_a_gentle_hint(qtbot: QtBot, controller: CaseController) -> None:
    view = IdentifiersView(controller)
    qtbot.addWidget(view)
    view.type_combo.setCurrentIndex(view.type_combo.findData("skype-id"))
    assert "blue" in view.help_text.text()  # how to find a Skype ID
    view.value_edit.setText("john smith")  # a Skype *name*, typed as an ID: hinted, not refused
    qtbot.waitUntil(lambda: "Skype name" in view.value_hint.text(), timeout=5000)
    view.add_from_form()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    settle(qtbot)
    rows = _stored(qtbot, controller)
    assert [(r.type, r.value) for r in rows] == [(IdentifierType.SKYPE_ID, "john smith")]
    assert "Skype name" in view.model.index(0, 6).data()  # the hint column
    assert view.value_edit.text() == ""


def test_edit_through_model_and_delegate(qtbot: QtBot, controller: CaseController) -> None:
    run_in_case(qtbot, controller,
                lambda case: add_identifier(case, "username", "ann", platform="Instagram"))
    view = IdentifiersView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)

    assert view.model.setData(view.model.index(0, VALUE), "ann_again")
    settle(qtbot)
    assert _stored(qtbot, controller)[0].value == "ann_again"

    # The type column's delegate: a real combo editor, committed through setModelData.
    index = view.model.index(0, TYPE)
    delegate = view.table.itemDelegateForColumn(TYPE)
    editor = delegate.createEditor(view.table.viewport(), QStyleOptionViewItem(), index)
    assert isinstance(editor, QComboBox)
    delegate.setEditorData(editor, index)
    assert editor.currentData() == "username"
    editor.setCurrentIndex(editor.findData("telegram") if editor.findData("telegram") >= 0
                           else editor.findData("name"))
    delegate.setModelData(editor, view.model, index)
    editor.deleteLater()
    settle(qtbot)
    assert _stored(qtbot, controller)[0].type == IdentifierType.NAME

    platform = view.model.index(0, PLATFORM)
    assert view.model.setData(platform, "Snapchat")
    assert view.model.setData(view.model.index(0, UNSURE), Qt.CheckState.Checked,
                              Qt.ItemDataRole.CheckStateRole)
    settle(qtbot)
    stored = _stored(qtbot, controller)[0]
    assert stored.platform == "Snapchat" and stored.unsure


def test_model_passes_modeltester(qtbot: QtBot, qtmodeltester, controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "email", "x@example.com"))
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "mtcn", "12345"))
    view = IdentifiersView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    qtmodeltester.check(view.model)
    qtmodeltester.check(IdentifiersModel())  # empty


def test_link_to_selected_evidence_and_remove_and_lock(qtbot: QtBot,
                                                       controller: CaseController) -> None:
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "phone", "+447700900123"))
    view = IdentifiersView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.select_identifier(view.model.row_at(0).identifier.id)  # type: ignore[union-attr]
    assert not view.link_button.isEnabled()  # nothing selected on the Evidence screen
    view.set_selected_evidence([])
    view.remove_button.click()
    assert view.confirm_remove.isVisibleTo(view)
    view.confirm_remove.click()
    qtbot.waitUntil(lambda: view.model.rowCount() == 0, timeout=5000)
    settle(qtbot)
    assert _stored(qtbot, controller) == []

    run_in_case(qtbot, controller, lambda case: add_identifier(case, "name", "Sam"))
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.value_edit.setText("half typed")
    settle(qtbot)
    controller.lock()
    assert view.model.rowCount() == 0
    assert view.value_edit.text() == "" and view.message.text() == ""


def test_link_a_detail_to_selected_evidence(qtbot: QtBot, controller: CaseController) -> None:
    from app.core.intake.ingest import import_bytes
    from app.models import EvidenceSource

    outcome = run_in_case(qtbot, controller, lambda case: import_bytes(
        case, b"he said pay or else", "chat.txt", source=EvidenceSource.CLIPBOARD))
    evidence_id = outcome.evidence_id  # type: ignore[attr-defined]
    run_in_case(qtbot, controller, lambda case: add_identifier(case, "skype-id", "live:abc"))
    view = IdentifiersView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 1, timeout=5000)
    view.select_identifier(view.model.row_at(0).identifier.id)  # type: ignore[union-attr]
    view.set_selected_evidence([evidence_id])  # as the main window passes it on
    assert view.link_button.isEnabled() and view.link_box.isVisibleTo(view)
    view.link_button.click()
    settle(qtbot)
    assert _stored(qtbot, controller)[0].evidence_ids == (evidence_id,)
    # Named by its exhibit reference, as the report's column names it ("1 item" said nothing).
    qtbot.waitUntil(lambda: view.model.index(0, 5).data() == "TC/1", timeout=5000)
    assert view.message.text() == "Saved. It is now linked to 1 evidence item."
    assert not view.link_button.isEnabled() and view.unlink_button.isEnabled()
    view.unlink_button.click()  # linked by mistake: taken off again
    qtbot.waitUntil(lambda: not view.model.index(0, 5).data(), timeout=5000)
    assert _stored(qtbot, controller)[0].evidence_ids == ()
    assert view.link_button.isEnabled() and not view.unlink_button.isEnabled()

    view.value_edit.setText("someone@example.com")
    view.type_combo.setCurrentIndex(view.type_combo.findData("email"))
    view.link_box.setChecked(True)
    view.add_from_form()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    settle(qtbot)
    email = next(r for r in _stored(qtbot, controller) if r.value == "someone@example.com")
    assert email.evidence_ids == (evidence_id,)


def test_the_evidence_column_names_exhibits_in_order_then_counts_many(
        qtbot: QtBot, controller: CaseController) -> None:
    from app.core.intake.ingest import import_bytes
    from app.models import EvidenceSource

    ids = [run_in_case(qtbot, controller, lambda case, n=n: import_bytes(
        case, f"note {n}".encode(), f"note{n}.txt", source=EvidenceSource.CLIPBOARD)
    ).evidence_id for n in range(12)]  # type: ignore[attr-defined]
    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "skype-id", "live:few", evidence_ids=[ids[9], ids[1]]))
    run_in_case(qtbot, controller, lambda case: add_identifier(
        case, "skype-id", "live:many", evidence_ids=ids[:5]))
    view = IdentifiersView(controller)
    qtbot.addWidget(view)
    view.reload()
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    shown = {view.model.index(r, 1).data(): view.model.index(r, 5).data() for r in range(2)}
    assert shown == {"live:few": "TC/2, TC/10", "live:many": "5 items"}
    case = controller.require_case()  # new initials in Case details: the references follow
    controller.run(lambda ctx: edit_case(case, producer_initials="JS"), changes=DataArea.CASE)
    qtbot.waitUntil(lambda: "JS/2, JS/10" in [view.model.index(r, 5).data() for r in range(2)],
                    timeout=5000)
