"""Where the main window takes a person: to one record (a search hit, a timeline link, a
picture with a found detail, a message in its conversation), and to what a checklist step's
button is for ("Add evidence", "Prepare the bundle"...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, assert_never

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.core.guidance import ChecklistAction
from app.ui.kit.controller import DataArea

if TYPE_CHECKING:
    from app.ui.shell.main_window import MainWindow


def go_to_record(window: MainWindow, area: DataArea, item_id: int) -> bool:
    """Show the record's page with the record selected; False when it is not there."""
    if area is DataArea.CASE:
        return window.open_case_details() is not None
    # With the page, where the keyboard goes: the record found, not the page's first field
    # (an empty "Add a payment" form took the next keys). A conversation puts it on the
    # message itself once it is open.
    places: dict[DataArea, tuple[QWidget, Callable[[int], bool], QWidget | None]] = {
        DataArea.EVIDENCE: (window.evidence, window.evidence.select_evidence,
                            window.evidence.grid),
        DataArea.IDENTIFIERS: (window.identifiers, window.identifiers.select_identifier,
                               window.identifiers.table),
        DataArea.PAYMENTS: (window.payments, window.payments.select_payment,
                            window.payments.table),
        DataArea.TIMELINE: (window.timeline, window.timeline.select_event,
                            window.timeline.table),
        DataArea.MESSAGES: (window.conversations, window.conversations.show_message, None),
    }
    place = places.get(area)
    if place is None:
        return False
    page, select, record_view = place
    window.show_page(page)
    found = bool(select(item_id))
    if found and record_view is not None:
        record_view.setFocus(Qt.FocusReason.OtherFocusReason)
    return found


def take_drops_anywhere(window: MainWindow) -> None:
    """Files or a picture dropped anywhere in the main window go to the Evidence page, as if
    dropped on it: a person dragging screenshots onto the window while reading the checklist,
    or on the Payments page, met a "no" cursor. Fields that take text keep their own drops."""
    from app.models import EvidenceSource
    from app.ui.evidence.drops import DropTarget

    evidence = window.evidence

    def on_evidence_page(act: Callable[..., object]) -> Callable[..., None]:
        def run(*args: object) -> None:
            window.show_page(evidence)
            act(*args)
        return run

    DropTarget(window, accepting=window.controller.is_open,
               on_paths=on_evidence_page(evidence.import_paths),
               on_image=on_evidence_page(
                   lambda image: evidence.import_image(image, EvidenceSource.FILE)),
               on_web_address=on_evidence_page(evidence.say_web_address))


def go_to_chat_export(window: MainWindow, evidence_id: int) -> None:
    """A chat export's messages on the Chats tab, from its details on the Evidence page."""
    window.show_page(window.conversations)
    window.conversations.show_export(evidence_id)


def run_step_action(window: MainWindow, action: ChecklistAction) -> None:
    """Open what a checklist step's button names; copy actions are the panel's own."""
    match action:
        case ChecklistAction.EXPORT_BUNDLE:
            window.open_export_dialog()
        case ChecklistAction.SHOW_HELP:
            window.help_requested.emit()
        case ChecklistAction.ADD_EVIDENCE:
            window.show_page(window.evidence)
            window.evidence.add_files()
        case ChecklistAction.CAPTURE_SCREENSHOT:
            window.show_page(window.evidence)
            window.evidence.take_screenshot()
        case ChecklistAction.ADD_IDENTIFIER:
            window.show_page(window.identifiers)
        case ChecklistAction.ADD_PAYMENT:
            window.show_page(window.payments)
        case (ChecklistAction.COPY_POLICE_SUMMARY | ChecklistAction.COPY_PLATFORM_REPORT
              | ChecklistAction.COPY_BANK_SCRIPT):
            window.checklist.run_action(action)  # the panel copies, and says so
        case _:
            assert_never(action)
