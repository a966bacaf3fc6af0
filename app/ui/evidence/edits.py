"""Changes to an evidence item made in its details pane (description, platform, sensitive),
saved in the worker as they are made, and a description typed and left, saved as the case
locks."""

import logging

from app.core.records import edit_evidence
from app.models.casefile import CaseFile
from app.ui.evidence.details import EvidenceDetails
from app.ui.kit.controller import CaseController, DataArea

log = logging.getLogger(__name__)


def save_edit(controller: CaseController, evidence_id: int, fields: dict[str, object]) -> None:
    """What the pane asked for (`EvidenceDetails.edit_requested`), in the worker."""
    case = controller.case
    if case is None:
        return
    description, platform, sensitive = (fields.get(key) for key in
                                        ("description", "platform", "sensitive"))
    controller.run(
        lambda ctx: edit_evidence(
            case, evidence_id,
            description=description if isinstance(description, str) else None,
            platform=platform if isinstance(platform, str) else None,
            sensitive=sensitive if isinstance(sensitive, bool) else None),
        changes=DataArea.EVIDENCE)


def keep_typed_description(details: EvidenceDetails, case: CaseFile) -> None:
    """At a lock (by hand, after a while unused, Quick exit; `CaseController.locking`), with
    the case still open and its work done: a description typed and not saved is saved, as
    moving to another item does. It was lost when the case locked."""
    if (pending := details.pending_description()) is None:
        return
    try:
        edit_evidence(case, pending[0], description=pending[1])
    except Exception:  # a full disk, a damaged file: the lock itself must still happen
        log.warning("A description typed and not saved could not be kept as the case locked")
