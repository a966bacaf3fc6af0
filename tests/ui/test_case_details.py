"""The case details dialog: reads the case, saves every field in one change, refuses an empty
name kindly, and closes when the case locks."""

from pytestqt.qtbot import QtBot

from app.core.records.summary import case_summary
from app.ui.kit.controller import CaseController
from app.ui.shell.case_details_dialog import CaseDetailsDialog
from tests.ui.keys import closed
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
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
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
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)


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
    qtbot.waitUntil(lambda: closed(dialog), timeout=15000)
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
    qtbot.waitUntil(lambda: closed(dialog), timeout=15000)
    settle(qtbot)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.producer_initials == "MAJ"  # type: ignore[attr-defined]


def _details_dialog(qtbot: QtBot, controller: CaseController) -> CaseDetailsDialog:
    from tests.ui.keys import show_active

    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(lambda: dialog.save_button.isEnabled(), timeout=5000)
    settle(qtbot)
    return dialog


def test_escape_with_notes_typed_asks_before_they_are_lost(
        qtbot: QtBot, controller: CaseController) -> None:
    """Notes typed for minutes were lost to one reflex press of Escape."""
    from PySide6.QtCore import Qt

    from tests.ui.keys import focused, press, put_focus, type_keys

    dialog = _details_dialog(qtbot, controller)
    put_focus(qtbot, dialog.notes_edit)
    type_keys("He said he would send it to my mum at 9pm")
    press(Qt.Key.Key_Escape)
    assert dialog.isVisible() and dialog.unsaved.isVisible()  # asked, nothing lost
    assert focused() is dialog.save_button
    press(Qt.Key.Key_Escape)  # Escape again: back to the details, still there
    assert dialog.isVisible() and not dialog.unsaved.isVisible()
    assert dialog.notes_edit.toPlainText() == "He said he would send it to my mum at 9pm"

    press(Qt.Key.Key_Escape)
    press(Qt.Key.Key_Return)  # Enter on the question saves (Save has the focus)
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.notes == "He said he would send it to my mum at 9pm"  # type: ignore[attr-defined]
    settle(qtbot)


def test_close_without_saving_takes_space_and_leaves_the_case_as_it_was(
        qtbot: QtBot, controller: CaseController) -> None:
    from PySide6.QtCore import Qt

    from tests.ui.keys import press, put_focus, type_keys

    dialog = _details_dialog(qtbot, controller)
    put_focus(qtbot, dialog.caseworker_edit)
    type_keys("Sam at Victim Support")
    dialog.cancel_button.click()
    assert dialog.isVisible() and dialog.unsaved.isVisible()
    put_focus(qtbot, dialog.discard_button)
    press(Qt.Key.Key_Return)  # Enter never presses "Close without saving"...
    assert dialog.isVisible()
    press(Qt.Key.Key_Space)  # ...Space does
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.caseworker in (None, "")  # type: ignore[attr-defined]

    # Nothing changed: Escape closes at once, without asking.
    dialog = _details_dialog(qtbot, controller)
    press(Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_a_lock_closes_without_asking_and_keeps_what_was_typed(
        qtbot: QtBot, controller: CaseController) -> None:
    from app.models.casefile import CaseFile
    from tests.conftest import PASSPHRASE
    from tests.ui.keys import put_focus, type_keys

    path = controller.require_case().path
    dialog = _details_dialog(qtbot, controller)
    put_focus(qtbot, dialog.reference_edit)
    type_keys("LC-2025-0042")
    controller.lock()  # Quick exit, or the case locking after a while unused
    qtbot.waitUntil(lambda: closed(dialog), timeout=5000)
    with CaseFile.open(path, PASSPHRASE, actor="tester", record_open=False) as case:
        assert case_summary(case).crime_reference == "LC-2025-0042"


def test_the_marks_are_said_as_typed_and_a_change_after_a_bundle_is_questioned(
        qtbot: QtBot, controller: CaseController, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Initials changed after a bundle went to police changed every exhibit's mark (TC/1
    became JS/1 in the next bundle) without a word: an officer holding the first bundle would
    know the same picture by two marks."""
    from app.core.intake import import_paths
    from app.export import export_bundle
    from app.models.casefile import CaseFile
    from tests.ui.keys import clear_and_type, put_focus, show_active, type_keys
    from tests.ui.views_support import png_file

    def details() -> CaseDetailsDialog:
        dialog = CaseDetailsDialog(controller)
        qtbot.addWidget(dialog)
        show_active(qtbot, dialog)
        settle(qtbot)
        return dialog

    dialog = details()  # no bundle yet: what the marks will be, nothing more
    assert dialog.initials_hint.text() == "Exhibits will be marked TC/1, TC/2…"
    put_focus(qtbot, dialog.initials_edit)
    type_keys("Jo Smith")
    assert dialog.initials_hint.text() == "Exhibits will be marked JS/1, JS/2…"
    dialog.reject()
    dialog.discard_button.click()

    def make_bundle(case: CaseFile) -> None:
        import_paths(case, [png_file(tmp_path / "threat.png")])
        export_bundle(case, tmp_path / "bundle.zip")

    run_in_case(qtbot, controller, make_bundle)
    dialog = details()
    assert dialog.initials_hint.text() == "Exhibits will be marked TC/1, TC/2…"  # as the bundle
    put_focus(qtbot, dialog.initials_edit)
    type_keys("js")
    words = dialog.initials_hint.text()
    assert words.startswith("Exhibits will be marked JS/1, JS/2… The bundle made on ")
    assert "marked them TC/1, TC/2…: if police have it, keep TC" in words
    dialog.reject()  # "Save them before you close?": the dialog grows, the words stay snug
    qtbot.wait(20)
    hint = dialog.initials_hint
    assert hint.height() == hint.heightForWidth(hint.width())  # no gap around them
    dialog.reject()  # a second Escape goes back to the details
    put_focus(qtbot, dialog.initials_edit)
    clear_and_type("t.c.")  # back to the bundle's marks: nothing to question
    assert dialog.initials_hint.text() == "Exhibits will be marked TC/1, TC/2…"
