"""The advice behind the checklist: the advice pack and its schema, the checklist in a case, what
the case's records show about each step, and the ready-to-paste texts. This module is the
package's public face: code outside it imports from here. This module is the package's public
face: code outside it imports from here.
"""

from app.core.guidance.advice import AdvicePack, ChecklistContext, applicable_contacts
from app.core.guidance.checklist import (
    ChecklistEntry,
    ChecklistState,
    checklist_state,
    checklist_state_in,
    mark_item,
    shipped_pack,
)
from app.core.guidance.copy_facts import copy_text_for
from app.core.guidance.schema import ChecklistAction

__all__ = [
    "AdvicePack",
    "ChecklistAction",
    "ChecklistContext",
    "ChecklistEntry",
    "ChecklistState",
    "applicable_contacts",
    "checklist_state",
    "checklist_state_in",
    "copy_text_for",
    "mark_item",
    "shipped_pack",
]
