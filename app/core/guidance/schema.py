"""Checks for advice packs: each failure is one `InvalidInput` naming file, entry and field.

Advice packs are edited by people who are not programmers (a charity adapting the words, a
translator), so a mistake must say exactly where it is and what would be right. The loader
in `app.core.guidance.advice` builds the pack; this module only checks values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from app.errors import InvalidInput
from app.i18n import tr

SCHEMA_VERSION = 1

CONDITIONS = frozenset({"paid", "not-paid", "under-18", "adult", "in-danger"})

# Facts read from the case's own records (payments, details saved, evidence, case details, the
# audit log), for the item fields `done_when` (the records show the step done: the app offers
# to tick it) and `not_needed_when` (the records show it is not needed). Each is evaluated in
# app/core/checklist_facts.py; a test checks the two lists match.
RECORD_FACTS = frozenset(
    "skype-id-saved their-accounts-saved money-details-saved screenshot-added media-added "
    "crime-reference-saved bank-told payments-checked payments-settled bundle-exported "
    "chat-export-added".split()
)

# Pairs that can never hold together: an entry asking for both would never be shown,
# which is always a mistake in the pack.
_CONTRADICTIONS = (("paid", "not-paid"), ("under-18", "adult"))



class ChecklistAction(StrEnum):
    """What a step's button does in the app: the advice pack's `action`, spelled only here.

    The pack loader turns the pack's text into one of these (or refuses the pack), so the
    checklist and the main window only ever see members, and the type checker sees every
    place that must handle a new one.
    """

    CAPTURE_SCREENSHOT = "capture-screenshot"
    ADD_EVIDENCE = "add-evidence"
    ADD_IDENTIFIER = "add-identifier"
    ADD_PAYMENT = "add-payment"
    EXPORT_BUNDLE = "export-bundle"
    SHOW_HELP = "show-help"
    COPY_POLICE_SUMMARY = "copy-police-summary"
    COPY_PLATFORM_REPORT = "copy-platform-report"
    COPY_BANK_SCRIPT = "copy-bank-script"

    @property
    def copies_text(self) -> bool:
        """A copy action puts a ready-made text on the clipboard; the others open a part of
        the app."""
        return self in _COPY_ACTIONS


_COPY_ACTIONS = frozenset({ChecklistAction.COPY_POLICE_SUMMARY,
                           ChecklistAction.COPY_PLATFORM_REPORT,
                           ChecklistAction.COPY_BANK_SCRIPT})

# Case fields a step's reference number may also fill (the crime reference from the police).
REFERENCE_FILLS = frozenset({"crime-reference"})

# Ids are saved in checklist progress rows, so they must stay simple and stable.
KEBAB = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_unique(ids: Iterable[str], pack: str, kind: str) -> None:
    seen: set[str] = set()
    for entry_id in ids:
        if entry_id in seen:
            raise InvalidInput(
                tr('Advice pack "{pack}": {kind} id "{id}" is used more than once.').format(
                    pack=pack, kind=kind, id=entry_id
                )
            )
        seen.add(entry_id)


def not_one_of(value: str, allowed: Iterable[str]) -> str:
    return tr('is "{value}", which is not one of: {allowed}').format(
        value=value, allowed=", ".join(sorted(allowed))
    )


def not_kebab(value: str) -> str:
    return tr('"{value}" must be lower-case words joined by hyphens, like "dont-pay"').format(
        value=value
    )


class PackTable:
    """One TOML table being checked; knows where it is, so every error can say so."""

    def __init__(self, data: object, pack: str, where: str) -> None:
        self.pack = pack
        self.where = where
        if not isinstance(data, dict):
            raise InvalidInput(
                tr('Advice pack "{pack}": {where} must be a table.').format(pack=pack, where=where)
            )
        self.data: dict[str, Any] = data

    def named(self, kind: str, index: int) -> PackTable:
        """Call the table by its id once it has a usable one, else by its position."""
        entry_id = self.data.get("id")
        if isinstance(entry_id, str) and KEBAB.fullmatch(entry_id):
            where = tr('{kind} "{id}"').format(kind=kind, id=entry_id)
        else:
            where = tr("{kind} number {index}").format(kind=kind, index=index)
        return PackTable(self.data, self.pack, where)

    def error(self, field: str, problem: str) -> InvalidInput:
        return InvalidInput(
            tr('Advice pack "{pack}", {where}, field "{field}": {problem}.').format(
                pack=self.pack, where=self.where, field=field, problem=problem
            )
        )

    def check_keys(self, allowed: frozenset[str]) -> None:
        for key in self.data:
            if key not in allowed:
                raise self.error(
                    key,
                    tr("is not a known field (known fields: {known})").format(
                        known=", ".join(sorted(allowed))
                    ),
                )

    def _checked_text(self, field: str, value: object) -> str:
        if not isinstance(value, str):
            raise self.error(field, tr("must be text in quotes"))
        if not value.strip():
            raise self.error(field, tr("is empty"))
        # Safekeep is offline and shows no clickable links; a pack must not invite a click.
        if "://" in value:
            raise self.error(
                field, tr("contains a web link; write the site's name in words instead")
            )
        return value

    def text(self, field: str) -> str:
        if field not in self.data:
            raise self.error(field, tr("is missing"))
        return self._checked_text(field, self.data[field])

    def optional_text(self, field: str) -> str | None:
        if field not in self.data:
            return None
        return self._checked_text(field, self.data[field])

    def identifier(self, field: str) -> str:
        value = self.text(field)
        if not KEBAB.fullmatch(value):
            raise self.error(field, not_kebab(value))
        return value

    def boolean(self, field: str) -> bool:
        value = self.data.get(field, False)
        if not isinstance(value, bool):
            raise self.error(field, tr("must be true or false"))
        return value

    def text_list(self, field: str, *, required: bool) -> tuple[str, ...]:
        if field not in self.data:
            if required:
                raise self.error(field, tr("is missing"))
            return ()
        values = self.data[field]
        if not isinstance(values, list):
            raise self.error(field, tr('must be a list, like ["a", "b"]'))
        if required and not values:
            raise self.error(field, tr("is empty"))
        checked = tuple(self._checked_text(field, value) for value in values)
        if len(set(checked)) != len(checked):
            raise self.error(field, tr("lists the same value twice"))
        return checked

    def identifier_list(self, field: str) -> tuple[str, ...]:
        values = self.text_list(field, required=False)
        for value in values:
            if not KEBAB.fullmatch(value):
                raise self.error(field, not_kebab(value))
        return values

    def conditions(self, field: str) -> tuple[str, ...]:
        when = self.text_list(field, required=False)
        for condition in when:
            if condition not in CONDITIONS:
                raise self.error(field, not_one_of(condition, CONDITIONS))
        for first, second in _CONTRADICTIONS:
            if first in when and second in when:
                raise self.error(
                    field,
                    tr('asks for both "{first}" and "{second}", so it would never apply').format(
                        first=first, second=second
                    ),
                )
        return when

    def record_facts(self, field: str) -> tuple[str, ...]:
        facts = self.text_list(field, required=False)
        for fact in facts:
            if fact not in RECORD_FACTS:
                raise self.error(field, not_one_of(fact, RECORD_FACTS))
        return facts

    def tables(self, field: str, *, required: bool) -> list[PackTable]:
        if field not in self.data:
            if required:
                raise self.error(field, tr("is missing"))
            return []
        entries = self.data[field]
        if not isinstance(entries, list) or (required and not entries):
            raise self.error(
                field, tr("must be one or more [[{field}]] tables").format(field=field)
            )
        return [PackTable(entry, self.pack, field) for entry in entries]
