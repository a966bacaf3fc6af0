"""The advice pack behind the checklist: load it, check it, and pick the steps that apply.

A pack is a TOML file (`resources/advice/uk.toml` ships with Safekeep). It is data, not code,
so a charity or another country can adapt the words without touching the program. Because
people other than programmers edit it, every mistake is reported as one `InvalidInput`
naming the file, the item and the field.

The pack's own texts are the translation unit (another language is another pack), so they
are never passed through `tr()`; the messages written here are.

Nothing here touches the database or Qt: checklist progress is passed in as a set of ids.
"""

from __future__ import annotations

import importlib.resources
import re
import tomllib
from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, fields
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from app.core.guidance.schema import (
    REFERENCE_FILLS,
    SCHEMA_VERSION,
    ChecklistAction,
    PackTable,
    check_unique,
    not_one_of,
)
from app.errors import InvalidInput
from app.i18n import tr

__all__ = [
    "AdviceItem",
    "AdvicePack",
    "ChecklistContext",
    "Contact",
    "Progress",
    "Source",
    "applicable_contacts",
    "applicable_items",
    "applies",
    "condition_holds",
    "default_pack_path",
    "load_pack",
    "parse_pack",
    "progress_summary",
]

# Numbers are shown for people to dial or read out, never as links.
_PHONE_NUMBER = re.compile(r"[0-9](?:[0-9 ]*[0-9])?")


@dataclass(frozen=True)
class Source:
    """Where a piece of advice comes from (a police force or agency)."""

    id: str
    name: str
    description: str


@dataclass(frozen=True)
class AdviceItem:
    """One checklist step: what to do, why, and when it applies."""

    id: str
    title: str
    body: str
    sources: tuple[str, ...]
    when: tuple[str, ...] = ()
    action: ChecklistAction | None = None
    takes_reference: bool = False
    reference_label: str | None = None
    topics: tuple[str, ...] = ()
    # A reference that also belongs to the case itself, e.g. the police crime reference number.
    reference_fills: str | None = None
    # Facts from the case's records (RECORD_FACTS): any one holding means the records show the
    # step done (the app offers to tick it), or show it is not needed.
    done_when: tuple[str, ...] = ()
    not_needed_when: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    """A line on the offline help page. `audience` is the pack's `for` field."""

    id: str
    name: str
    how: str
    audience: str
    number: str | None = None
    when: tuple[str, ...] = ()


@dataclass(frozen=True)
class AdvicePack:
    schema_version: int
    id: str
    title: str
    language: str
    sources: tuple[Source, ...]
    items: tuple[AdviceItem, ...]
    contacts: tuple[Contact, ...]

    def item(self, item_id: str) -> AdviceItem | None:
        return next((item for item in self.items if item.id == item_id), None)

    def source(self, source_id: str) -> Source | None:
        return next((source for source in self.sources if source.id == source_id), None)


@dataclass(frozen=True)
class ChecklistContext:
    """The facts about a case that change which steps are shown."""

    paid: bool = False
    under_18: bool = False
    in_danger: bool = False


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    next_item_id: str | None

    @property
    def text(self) -> str:
        return tr("{done} of {total} done").format(done=self.done, total=self.total)


# The TOML keys are the dataclass fields, so the two cannot drift apart.
_PACK_KEYS = frozenset(f.name for f in fields(AdvicePack))
_SOURCE_KEYS = frozenset(f.name for f in fields(Source))
_ITEM_KEYS = frozenset(f.name for f in fields(AdviceItem))
# `for` is a Python keyword, so the field is called `audience`.
_CONTACT_KEYS = frozenset(f.name for f in fields(Contact)) - {"audience"} | {"for"}


# ----- loading ------------------------------------------------------------------------------


def _shipped_pack() -> Traversable:
    # `resources/` is installed as the package `app.resources` (see pyproject.toml); going
    # through importlib.resources also works from a wheel or a frozen app, not only a checkout.
    return importlib.resources.files("app.resources").joinpath("advice", "uk.toml")


def default_pack_path() -> Path:
    """Where the shipped UK pack is on disk (for showing or copying it)."""
    return Path(str(_shipped_pack()))


def load_pack(path: Path | None = None) -> AdvicePack:
    """Read and check an advice pack; `None` loads the shipped UK pack."""
    pack_file: Path | Traversable = _shipped_pack() if path is None else path
    name = pack_file.name
    try:
        raw = pack_file.read_bytes()
    except OSError as error:
        raise InvalidInput(
            tr('Could not read the advice pack "{name}": {reason}').format(
                name=name, reason=error.strerror or error
            )
        ) from error
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise InvalidInput(
            tr('The advice pack "{name}" is not valid TOML: {reason}').format(
                name=name, reason=error
            )
        ) from error
    return parse_pack(data, name)


def parse_pack(data: dict[str, Any], name: str = "advice pack") -> AdvicePack:
    """Check already-parsed TOML and build the pack. `name` appears in error messages."""
    top = PackTable(data, name, tr("top level"))
    top.check_keys(_PACK_KEYS)
    version = data.get("schema_version")
    # bool is an int in Python; `true` is not a version.
    if type(version) is not int:
        raise top.error("schema_version", tr("is missing or is not a whole number"))
    if version != SCHEMA_VERSION:
        raise top.error(
            "schema_version",
            tr("is {found}, but this version of Safekeep reads {expected}").format(
                found=version, expected=SCHEMA_VERSION
            ),
        )
    pack_id = top.identifier("id")
    title = top.text("title")
    language = top.text("language")
    sources = tuple(
        _parse_source(table, index)
        for index, table in enumerate(top.tables("sources", required=True), 1)
    )
    check_unique((source.id for source in sources), name, tr("source"))
    source_ids = {source.id for source in sources}
    items = tuple(
        _parse_item(table, index, source_ids)
        for index, table in enumerate(top.tables("items", required=True), 1)
    )
    check_unique((item.id for item in items), name, tr("item"))
    contacts = tuple(
        _parse_contact(table, index)
        for index, table in enumerate(top.tables("contacts", required=False), 1)
    )
    check_unique((contact.id for contact in contacts), name, tr("contact"))
    return AdvicePack(
        schema_version=version,
        id=pack_id,
        title=title,
        language=language,
        sources=sources,
        items=items,
        contacts=contacts,
    )


def _parse_source(table: PackTable, index: int) -> Source:
    table = table.named(tr("source"), index)
    table.check_keys(_SOURCE_KEYS)
    return Source(
        id=table.identifier("id"),
        name=table.text("name"),
        description=table.text("description"),
    )


def _parse_item(table: PackTable, index: int, source_ids: set[str]) -> AdviceItem:
    table = table.named(tr("item"), index)
    table.check_keys(_ITEM_KEYS)
    # Read in the order a person reads the entry, so the first mistake is reported first.
    item_id = table.identifier("id")
    title = table.text("title")
    body = table.text("body")
    sources = table.text_list("sources", required=True)
    for source_id in sources:
        if source_id not in source_ids:
            raise table.error(
                "sources",
                tr('names "{value}", which is not one of the pack\'s [[sources]]').format(
                    value=source_id
                ),
            )
    when = table.conditions("when")
    action = _action(table)
    takes_reference = table.boolean("takes_reference")
    reference_label = table.optional_text("reference_label")
    if reference_label is not None and not takes_reference:
        raise table.error("reference_label", tr("is given, but takes_reference is not true"))
    if takes_reference and reference_label is None:
        raise table.error(
            "reference_label",
            tr('is missing: say what the number is called, e.g. "Crime reference number"'),
        )
    reference_fills = table.optional_text("reference_fills")
    if reference_fills is not None:
        if reference_fills not in REFERENCE_FILLS:
            raise table.error("reference_fills", not_one_of(reference_fills, REFERENCE_FILLS))
        if not takes_reference:
            raise table.error("reference_fills", tr("is given, but takes_reference is not true"))
    return AdviceItem(
        id=item_id,
        reference_fills=reference_fills,
        title=title,
        body=body,
        sources=sources,
        when=when,
        action=action,
        takes_reference=takes_reference,
        reference_label=reference_label,
        topics=table.identifier_list("topics"),
        done_when=table.record_facts("done_when"),
        not_needed_when=table.record_facts("not_needed_when"),
    )


def _action(table: PackTable) -> ChecklistAction | None:
    """The step's button, parsed here once: the app never sees an action it has no code for."""
    text = table.optional_text("action")
    if text is None:
        return None
    try:
        return ChecklistAction(text)
    except ValueError:
        raise table.error("action", not_one_of(text, ChecklistAction)) from None


def _parse_contact(table: PackTable, index: int) -> Contact:
    table = table.named(tr("contact"), index)
    table.check_keys(_CONTACT_KEYS)
    contact_id = table.identifier("id")
    name = table.text("name")
    number = table.optional_text("number")
    if number is not None and not _PHONE_NUMBER.fullmatch(number):
        raise table.error(
            "number",
            tr('is "{value}": write only digits and spaces; put other ways in "how"').format(
                value=number
            ),
        )
    return Contact(
        id=contact_id,
        name=name,
        how=table.text("how"),
        audience=table.text("for"),
        number=number,
        when=table.conditions("when"),
    )


# ----- which steps apply, and how far along the person is -----------------------------------


def condition_holds(condition: str, context: ChecklistContext) -> bool:
    if condition == "paid":
        return context.paid
    if condition == "not-paid":
        return not context.paid
    if condition == "under-18":
        return context.under_18
    if condition == "adult":
        return not context.under_18
    if condition == "in-danger":
        return context.in_danger
    # The loader rejects unknown conditions; this only guards hand-built items.
    raise ValueError(f"unknown condition {condition!r}")


def applies(when: Sequence[str], context: ChecklistContext) -> bool:
    """All conditions must hold (AND); no conditions means always."""
    return all(condition_holds(condition, context) for condition in when)


def applicable_items(pack: AdvicePack, context: ChecklistContext) -> list[AdviceItem]:
    """The steps for this case, in the pack's order."""
    return [item for item in pack.items if applies(item.when, context)]


def applicable_contacts(pack: AdvicePack, context: ChecklistContext) -> list[Contact]:
    """The help page's contacts for this case, in the pack's order, except that for an
    under-18 those meant for under-18s come straight after the first (the emergency line):
    CEOP is where the police advice tells them to report, so it is their way to the police,
    and it had followed three police lines meant for adults. For an adult the police lines
    stay next, before the helplines: reporting is what the advice asks."""
    shown = [contact for contact in pack.contacts if applies(contact.when, context)]
    first, rest = shown[:1], shown[1:]
    if not context.under_18:
        return shown
    return first + sorted(rest, key=lambda contact: "under-18" not in contact.when)


def progress_summary(items: Sequence[AdviceItem], done_ids: AbstractSet[str]) -> Progress:
    """Count only the steps shown: a step done earlier that no longer applies (say, the
    case was marked under 18 later) must not make the count exceed the total."""
    done = sum(1 for item in items if item.id in done_ids)
    next_item = next((item.id for item in items if item.id not in done_ids), None)
    return Progress(done=done, total=len(items), next_item_id=next_item)
