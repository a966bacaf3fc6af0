"""What a person met in the shell's dialogs and the checklist, typed and pressed as a person
does, with what reached the case file checked afterwards."""

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot

from app.core.guidance.checklist import checklist_state
from app.core.records.payments import add_payment
from app.core.records.summary import case_summary
from app.models.casefile import CaseFile
from app.ui.checklist.panel import ChecklistPanel
from app.ui.kit.controller import CaseController, DataArea
from app.ui.shell.case_details_dialog import CaseDetailsDialog
from app.ui.shell.export_dialog import ExportDialog
from app.ui.shell.new_case_dialog import NewCaseDialog
from tests.conftest import PASSPHRASE, TEST_KDF_PROFILE
from tests.ui.keys import (
    clear_and_type,
    closed,
    focused,
    press,
    press_enter,
    put_focus,
    show_active,
    type_keys,
)
from tests.ui.views_support import controller_fixture, run_in_case, settle  # noqa: F401


def _panel(qtbot: QtBot, controller: CaseController) -> ChecklistPanel:
    panel = ChecklistPanel(controller)
    qtbot.addWidget(panel)
    panel.resize(420, 900)
    show_active(qtbot, panel)
    panel.reload()
    qtbot.waitUntil(lambda: panel.state() is not None, timeout=5000)
    return panel


def _change(qtbot: QtBot, controller: CaseController, area: DataArea,
            fn: Callable[[CaseFile], object]) -> None:
    """A change finishing in the worker, as a task does, announcing the area it changed."""
    case = controller.require_case()
    done: list[object] = []
    controller.run(lambda ctx: fn(case), changes=area, on_result=done.append)
    qtbot.waitUntil(lambda: bool(done), timeout=15000)


# ----- the checklist --------------------------------------------------------------------------


def test_a_payment_saved_while_a_reference_is_typed_keeps_the_typing(
        qtbot: QtBot, controller: CaseController) -> None:
    """A person was typing the crime reference beside "Report it to the police" when a payment
    was saved (which switches the "if you paid" steps on): every step was built anew, and the
    number half typed, and the cursor with it, were gone."""
    panel = _panel(qtbot, controller)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    assert step.reference_edit is not None and "tell-bank" not in panel.items
    put_focus(qtbot, step.reference_edit)
    type_keys("CR/12")
    _change(qtbot, controller, DataArea.PAYMENTS,
            lambda case: add_payment(case, amount="20", method="card"))
    qtbot.waitUntil(lambda: "tell-bank" in panel.items and panel.state() is not None,
                    timeout=5000)
    settle(qtbot)
    type_keys("3/24")
    press_enter(focused())
    settle(qtbot)
    rebuilt = panel.items["report-to-police"].reference_edit
    assert rebuilt is not None and rebuilt.text() == "CR/123/24"
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.crime_reference == "CR/123/24"  # type: ignore[attr-defined]


# ----- case details ---------------------------------------------------------------------------


def _details(qtbot: QtBot, controller: CaseController) -> CaseDetailsDialog:
    dialog = CaseDetailsDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=5000)
    return dialog


def test_case_details_saved_after_the_checklist_changed_the_case_keeps_those_changes(
        qtbot: QtBot, controller: CaseController) -> None:
    """Case details stays open beside the window. A person began typing the caseworker's name
    there, then saved the crime reference in the checklist and ticked "I am under 18" there,
    then went back, finished the name and pressed Enter: the dialog wrote back the empty
    reference and "not under 18" it had read when it opened, and both were lost."""
    dialog = _details(qtbot, controller)
    put_focus(qtbot, dialog.caseworker_edit)
    type_keys("Sam at ")
    panel = _panel(qtbot, controller)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    assert step.reference_edit is not None
    put_focus(qtbot, step.reference_edit)
    type_keys("CR/55/24")
    press_enter(focused())
    settle(qtbot)
    QTest.mouseClick(panel.under_18_box, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, panel.under_18_box.height() // 2))
    settle(qtbot)
    stored = run_in_case(qtbot, controller, case_summary)
    assert stored.crime_reference == "CR/55/24" and stored.under_18  # type: ignore[attr-defined]
    # The dialog shows the case as it is now, and keeps what was typed in it.
    assert dialog.reference_edit.text() == "CR/55/24" and dialog.under_18_box.isChecked()
    assert dialog.caseworker_edit.text() == "Sam at "

    show_active(qtbot, dialog)
    put_focus(qtbot, dialog.caseworker_edit)
    press(Qt.Key.Key_End)
    type_keys("Victim Support")
    press_enter(focused())
    qtbot.waitUntil(lambda: closed(dialog), timeout=15000)
    settle(qtbot)
    summary = run_in_case(qtbot, controller, case_summary)
    assert summary.caseworker == "Sam at Victim Support"  # type: ignore[attr-defined]
    assert summary.crime_reference == "CR/55/24"  # type: ignore[attr-defined]
    assert summary.under_18  # type: ignore[attr-defined]


# ----- the export dialog ----------------------------------------------------------------------


def _export(qtbot: QtBot, controller: CaseController) -> ExportDialog:
    dialog = ExportDialog(controller)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    settle(qtbot)
    return dialog


def test_a_name_alone_saves_the_bundle_in_the_folder_shown(
        qtbot: QtBot, controller: CaseController, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The "Save as" field showed a whole path beside the case. A person cleared it, typed just
    a name and pressed Enter: the bundle went to whatever folder Safekeep was started from
    (on Windows often the program's own folder), where nobody would find it."""
    elsewhere = tmp_path / "started-from"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    dialog = _export(qtbot, controller)
    folder = Path(dialog.path_edit.text()).parent
    put_focus(qtbot, dialog.path_edit)
    clear_and_type("for police")
    press_enter(focused())
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    assert (folder / "for police.zip").is_file()
    assert list(elsewhere.iterdir()) == []
    assert dialog.path_edit.text() == str(folder / "for police.zip")  # where it went, in full


def test_a_folder_typed_where_the_bundle_goes_keeps_it_inside_with_a_name(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person typed the folder to save in, ending with a slash as a file manager shows it,
    and pressed Enter: the bundle was saved as a file called ".zip", hidden in that folder."""
    folder = tmp_path / "for officers"
    folder.mkdir()
    dialog = _export(qtbot, controller)
    suggested = Path(dialog.path_edit.text()).name
    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(folder) + "/")
    press_enter(focused())
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    assert [p.name for p in folder.iterdir()] == [suggested]


def test_after_a_name_already_there_the_next_name_is_typed_where_it_goes(
        qtbot: QtBot, controller: CaseController, tmp_path: Path) -> None:
    """A person typed a name that was already taken and pressed Enter. Safekeep said so, but the
    cursor had left the "Save as" field (it was switched off while the bundle was prepared):
    the other name they then typed went nowhere, and Enter did nothing."""
    taken = tmp_path / "bundle.zip"
    taken.write_bytes(b"an earlier bundle")
    dialog = _export(qtbot, controller)
    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(taken))
    press_enter(focused())
    qtbot.waitUntil(lambda: "already there" in dialog.status.text(), timeout=15000)
    settle(qtbot)
    assert focused() is dialog.path_edit
    clear_and_type(str(tmp_path / "bundle two.zip"))
    press_enter(focused())
    qtbot.waitUntil(lambda: dialog.result_info() is not None, timeout=30000)
    settle(qtbot)
    assert (tmp_path / "bundle two.zip").is_file()
    assert taken.read_bytes() == b"an earlier bundle"


# ----- the new-case dialog --------------------------------------------------------------------


def test_when_the_case_cannot_be_made_the_cursor_goes_back_to_the_place(
        qtbot: QtBot, tmp_path: Path) -> None:
    """A person typed where to keep the case (a folder that is not there: a USB stick pulled
    out), filled in the passphrase and pressed Enter. Safekeep said the case could not be
    made, but the cursor was nowhere in the form (it had waited on the busy bar, which went):
    the corrected place they typed went nowhere."""
    controller = CaseController(actor="tester", kdf_profile=TEST_KDF_PROFILE)
    dialog = NewCaseDialog(controller, folder=tmp_path)
    qtbot.addWidget(dialog)
    show_active(qtbot, dialog)
    put_focus(qtbot, dialog.name_edit)
    type_keys("Alex")
    put_focus(qtbot, dialog.path_edit)
    clear_and_type(str(tmp_path / "pulled out" / "case.skcase"))
    for edit in (dialog.pass1.edit, dialog.pass2.edit):
        put_focus(qtbot, edit)
        type_keys(PASSPHRASE)
    press_enter(focused())
    qtbot.waitUntil(dialog.message_bar.isVisible, timeout=15000)
    settle(qtbot)
    assert not controller.is_open() and dialog.isVisible()
    assert focused() is dialog.path_edit
    clear_and_type(str(tmp_path / "case.skcase"))
    press_enter(focused())
    qtbot.waitUntil(controller.is_open, timeout=15000)
    settle(qtbot)
    assert controller.require_case().path == tmp_path / "case.skcase"
    controller.lock()


def test_enter_in_an_empty_reference_field_ticks_nothing(
        qtbot: QtBot, controller: CaseController) -> None:
    """A person put the cursor in the empty crime reference field of "Report it to the police"
    (they have not reported yet) and pressed Enter: the step was recorded as done, with the
    time, and the panel said "Saved the number." when there was none."""
    panel = _panel(qtbot, controller)
    step = panel.items["report-to-police"]
    step.set_expanded(True)
    assert step.reference_edit is not None and not step.check.isChecked()
    put_focus(qtbot, step.reference_edit)
    press_enter(focused())
    settle(qtbot)
    entry = next(e for e in run_in_case(qtbot, controller, checklist_state).entries  # type: ignore[attr-defined]
                 if e.item.id == "report-to-police")
    assert not entry.done and entry.done_at is None
    assert "Saved" not in panel.message.text()
    assert not panel.items["report-to-police"].check.isChecked()
