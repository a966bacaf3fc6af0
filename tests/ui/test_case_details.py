"""The case details dialog: reads the case, saves every field in one change, refuses an empty
name kindly, and closes when the case locks."""

from pytestqt.qtbot import QtBot

from app.core.records.summary import case_summary
from app.ui.kit.controller import CaseController
from app.ui.shell.case_details_dialog import CaseDetailsDialog
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def test_fill_edit_and_save(qtbot: QtBot, controller: CaseController) -> None:
    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
    assert dialog.name_edit.text()
    dialog.name_edit.setText("")
    dialog.save_button.click()
    assert "name" in dialog.message.text() and dialog.isVisible()
    dialog.name_edit.setText("Jordan")
    dialog.reference_edit.setText("  LC-2024-000147 ")
    dialog.caseworker_edit.setText("Sam")
    dialog.notes_edit.setPlainText("Moved to Skype.\nThreatened family.")
    dialog.under_18_box.setChecked(True)
    with qtbot.waitSignal(controller.data_changed, timeout=5000):
        dialog.save_button.click()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.display_name == "Jordan"  # type: ignore[attr-defined]
    assert summary.crime_reference == "LC-2024-000147"  # type: ignore[attr-defined]
    assert summary.caseworker == "Sam" and summary.under_18  # type: ignore[attr-defined]
    assert summary.notes == "Moved to Skype.\nThreatened family."  # type: ignore[attr-defined]
    settle(qtbot)


def test_closes_on_lock(qtbot: QtBot, controller: CaseController) -> None:
    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
    controller.lock()
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=5000)


def test_initials_for_exhibits_are_typed_once(qtbot: QtBot, controller: CaseController) -> None:
    from app.core.records import case_summary
    from app.ui.shell.case_details_dialog import CaseDetailsDialog
    from tests.ui.keys import press_enter, put_focus, show_active, type_keys

    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    assert dialog.initials_edit.text() == ""  # not chosen yet: the name's initials meanwhile
    assert dialog.initials_edit.placeholderText().startswith("TC, from the name")
    put_focus(qtbot, dialog.initials_edit)
    type_keys("j.s.")
    press_enter(dialog.initials_edit)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.producer_initials == "JS"  # type: ignore[attr-defined]


def test_initials_typed_as_a_full_name_are_taken_from_every_word(
        qtbot: QtBot, controller: CaseController) -> None:
    """The field stopped at 8 characters, so "Mary Ann Jones" was cut to "Mary Ann" and the
    exhibits became MA/1, though initials are read from a name typed in full."""
    from app.core.records import case_summary
    from app.ui.shell.case_details_dialog import CaseDetailsDialog
    from tests.ui.keys import press_enter, put_focus, show_active, type_keys

    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    put_focus(qtbot, dialog.initials_edit)
    type_keys("Mary Ann Jones")
    press_enter(dialog.initials_edit)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=15000)
    settle(qtbot)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.producer_initials == "MAJ"  # type: ignore[attr-defined]
