"""The advice pack (content and checks), which steps apply, progress, and the copy texts."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest

from app.core.guidance.advice import (
    AdviceItem,
    AdvicePack,
    ChecklistContext,
    Contact,
    applicable_contacts,
    applicable_items,
    default_pack_path,
    load_pack,
    progress_summary,
)
from app.core.guidance.copy_texts import (
    CaseFacts,
    IdentifierFact,
    PaymentFact,
    bank_call_script,
    one_line,
    platform_report,
    police_summary,
)
from app.core.guidance.schema import RECORD_FACTS, ChecklistAction
from app.errors import InvalidInput

# Every piece of advice in shared/seeds/, as a topic tag some item must carry.
SEED_TOPICS = [
    "dont-panic",
    "not-your-fault",
    "police-wont-judge",
    "support-available",
    "call-999-if-now",
    "call-101-or-online",
    "textphone",
    "dont-pay",
    "report-even-if-paid",
    "stop-contact",
    "dont-delete",
    "screenshots-before-blocking",
    "note-all-details",
    "facebook-url",
    "skype-id",
    "skype-name",
    "mtcn",
    "usernames-emails-phones",
    "bank-details",
    "image-urls",
    "check-collected",
    "collected-where",
    "cancel-payment",
    "tell-bank",
    "deactivate-facebook",
    "report-to-platforms",
    "sites-remove-content",
    "alert-administrator",
    "report-isp",
    "watch-linked-accounts",
    "privacy-settings",
    "camera-off",
    "under-18-trusted-adult",
    "ceop",
    "report-remove",
    "no-intimate-images-under-18",
    "keep-media-adult",
    "prepare-bundle",
]

ALL_CONTEXTS = [
    ChecklistContext(paid=paid, under_18=under_18, in_danger=in_danger)
    for paid in (False, True)
    for under_18 in (False, True)
    for in_danger in (False, True)
]


@pytest.fixture(scope="module")
def pack() -> AdvicePack:
    return load_pack()


def ids(items: Sequence[AdviceItem] | Sequence[Contact]) -> list[str]:
    return [item.id for item in items]


def pack_texts(pack: AdvicePack) -> list[str]:
    texts = [pack.title]
    for item in pack.items:
        texts += [item.title, item.body, item.reference_label or ""]
    for contact in pack.contacts:
        texts += [contact.name, contact.how, contact.audience, contact.number or ""]
    return texts


# ----- the shipped pack ---------------------------------------------------------------------


def test_shipped_pack_loads_and_is_the_uk_pack(pack: AdvicePack) -> None:
    assert pack.schema_version == 1
    assert pack.id == "uk"
    assert pack.language == "en-GB"
    assert len(pack.items) >= 20
    assert default_pack_path().is_file()
    assert load_pack(default_pack_path()) == pack


def test_every_seed_topic_is_covered(pack: AdvicePack) -> None:
    covered = {topic for item in pack.items for topic in item.topics}
    missing = [topic for topic in SEED_TOPICS if topic not in covered]
    assert not missing, f"advice in the seeds with no checklist item: {missing}"


def test_every_source_is_used_and_the_seed_sources_are_named(pack: AdvicePack) -> None:
    used = {source for item in pack.items for source in item.sources}
    assert used == {source.id for source in pack.sources}
    names = {source.name for source in pack.sources}
    for expected in (
        "Lancashire Constabulary",
        "National Crime Agency and National Police Chiefs' Council",
        "West Mercia Police",
        "a UK police force's advice page",
        "West Midlands Police / NCA via Express & Star",
    ):
        assert expected in names


def test_the_first_steps_are_what_a_frightened_person_needs_first(pack: AdvicePack) -> None:
    order = ids(applicable_items(pack, ChecklistContext(in_danger=True)))
    # Happening now: 999 first, as both police texts put it (it had come after "Take a
    # breath", which the panel then showed as the next step); otherwise, calm first.
    assert order[:2] == ["call-999-now", "dont-panic"]
    assert ids(applicable_items(pack, ChecklistContext()))[0] == "dont-panic"
    position = {item_id: n for n, item_id in enumerate(order)}
    assert (
        position["dont-pay"]
        < position["stop-contact"]
        < position["take-screenshots"]
        < position["note-their-accounts"]
        < position["report-to-police"]
        < position["prepare-bundle"]
    )
    # Screenshots come before anything that blocks, reports or hides the chat.
    for later in ("report-to-platforms", "deactivate-facebook", "report-to-police"):
        assert position["take-screenshots"] < position[later]


def test_actions_are_known_and_reference_steps_are_labelled(pack: AdvicePack) -> None:
    for item in pack.items:
        # Parsed once, by the loader: the app only ever sees members.
        assert item.action is None or isinstance(item.action, ChecklistAction), item.id
        assert item.takes_reference == (item.reference_label is not None), item.id
    labels = {item.id: item.reference_label for item in pack.items if item.takes_reference}
    assert labels == {
        "report-to-police": "Crime reference number",
        "report-to-platforms": "Platform report ID",
        "tell-bank": "Bank case number",
    }


def test_no_links_anywhere_in_the_pack() -> None:
    raw = default_pack_path().read_text(encoding="utf-8")
    assert "http" not in raw.lower()
    assert "://" not in raw
    assert "www." not in raw.lower()


def test_contacts_have_numbers_or_a_way_to_reach_them(pack: AdvicePack) -> None:
    by_id = {contact.id: contact for contact in pack.contacts}
    expected_numbers = {
        "police-emergency": "999",
        "police-non-emergency": "101",
        "police-textphone": "18001 101",
        "childline": "0800 1111",
        "revenge-porn-helpline": "0345 6000 459",
        "samaritans": "116 123",
        "victim-support": "08 08 16 89 111",
    }
    for contact_id, number in expected_numbers.items():
        assert by_id[contact_id].number == number
    assert "CEOP Safety Centre" in by_id["ceop"].how
    assert "Report Remove" in by_id["report-remove"].how
    for contact in pack.contacts:
        assert contact.how and contact.audience
        assert contact.number is None or re.fullmatch(r"[0-9 ]+", contact.number)


def test_under_18_contacts_and_adult_contacts(pack: AdvicePack) -> None:
    child = ids(applicable_contacts(pack, ChecklistContext(under_18=True)))
    adult = ids(applicable_contacts(pack, ChecklistContext()))
    for contact_id in ("ceop", "childline", "report-remove"):
        assert contact_id in child and contact_id not in adult
    assert "revenge-porn-helpline" in adult and "revenge-porn-helpline" not in child
    for always in ("police-emergency", "police-non-emergency", "samaritans", "victim-support"):
        assert always in child and always in adult
    # For an under-18, the emergency line, then what is for under-18s, then the rest in the
    # pack's order: CEOP had come fourth, after three police lines for adults. An adult's
    # stay in the pack's order, the police lines before the helplines.
    assert child[:4] == ["police-emergency", "ceop", "childline", "report-remove"]
    assert child[4:] == [c for c in ids(pack.contacts) if c in child[4:]]
    assert adult == [c for c in ids(pack.contacts) if c in adult]
    assert adult[:2] == ["police-emergency", "police-non-emergency"]


# ----- conditions ---------------------------------------------------------------------------


def test_payment_steps_only_when_paid(pack: AdvicePack) -> None:
    not_paid = ids(applicable_items(pack, ChecklistContext(paid=False)))
    paid = ids(applicable_items(pack, ChecklistContext(paid=True)))
    for item_id in ("check-payment-collected", "cancel-payment", "tell-bank", "dont-pay-more"):
        assert item_id in paid and item_id not in not_paid
    assert "dont-pay" in not_paid and "dont-pay" not in paid
    # Bank details they asked for are worth saving whether or not anyone paid.
    assert "note-bank-details" in paid and "note-bank-details" in not_paid


def test_under_18_steps_only_for_under_18(pack: AdvicePack) -> None:
    child = ids(applicable_items(pack, ChecklistContext(under_18=True)))
    adult = ids(applicable_items(pack, ChecklistContext(under_18=False)))
    for item_id in ("tell-trusted-adult", "report-to-ceop", "use-report-remove"):
        assert item_id in child and item_id not in adult
    assert "no-intimate-images" in child and "no-intimate-images" not in adult
    assert "keep-media" in adult and "keep-media" not in child


def test_999_step_only_when_happening_now(pack: AdvicePack) -> None:
    assert "call-999-now" in ids(applicable_items(pack, ChecklistContext(in_danger=True)))
    assert "call-999-now" not in ids(applicable_items(pack, ChecklistContext()))
    # 999 is still on the police step and the help page for everyone.
    police = pack.item("report-to-police")
    assert police is not None and "999" in police.body


def test_conditions_are_anded(tmp_path: Path) -> None:
    path = write_pack(tmp_path, item_extra='when = ["paid", "under-18"]')
    pack = load_pack(path)
    assert ids(applicable_items(pack, ChecklistContext(paid=True, under_18=True))) == ["step"]
    assert applicable_items(pack, ChecklistContext(paid=True)) == []
    assert applicable_items(pack, ChecklistContext(under_18=True)) == []


@pytest.mark.parametrize("context", ALL_CONTEXTS)
def test_under_18_never_invited_to_keep_intimate_images(
    pack: AdvicePack, context: ChecklistContext
) -> None:
    items = applicable_items(pack, context)
    if not context.under_18:
        assert "keep-media-adult" in {t for item in items for t in item.topics}
        return
    for item in items:
        assert "keep-media-adult" not in item.topics, item.id
        assert item.action != "add-evidence", item.id
        text = f"{item.title} {item.body}".lower()
        for invitation in (
            "keep the photos",
            "keep the pictures",
            "keep the videos",
            "mark them as sensitive",
            "add them here and",
        ):
            assert invitation not in text, item.id
    assert "no-intimate-images-under-18" in {t for item in items for t in item.topics}


def test_every_context_has_the_core_steps(pack: AdvicePack) -> None:
    for context in ALL_CONTEXTS:
        shown = ids(applicable_items(pack, context))
        for item_id in ("dont-panic", "stop-contact", "take-screenshots", "report-to-police"):
            assert item_id in shown
        assert ("dont-pay" in shown) != ("dont-pay-more" in shown)


def test_the_words_are_kind(pack: AdvicePack) -> None:
    # The reader is frightened and ashamed: nothing that blames, shouts or scolds.
    for text in pack_texts(pack):
        lowered = text.lower()
        for word in ("stupid", "should have", "shouldn't have", "your own fault", "foolish"):
            assert word not in lowered, text
        assert "!" not in text, text


# ----- progress -----------------------------------------------------------------------------


def test_progress_counts_only_the_steps_shown(pack: AdvicePack) -> None:
    items = applicable_items(pack, ChecklistContext())
    progress = progress_summary(items, {"dont-panic", "dont-pay", "use-report-remove"})
    assert progress.done == 2  # use-report-remove is not shown to an adult
    assert progress.total == len(items)
    assert progress.next_item_id == "stop-contact"
    assert progress.text == f"2 of {len(items)} done"


def test_progress_when_everything_is_done(pack: AdvicePack) -> None:
    items = applicable_items(pack, ChecklistContext(paid=True))
    progress = progress_summary(items, {item.id for item in items})
    assert progress.done == progress.total
    assert progress.next_item_id is None
    assert progress_summary([], set()).text == "0 of 0 done"


# ----- checks on broken packs ----------------------------------------------------------------

GOOD_PACK = """\
schema_version = 1
id = "test"
title = "Test pack"
language = "en-GB"

[[sources]]
id = "force"
name = "A police force"
description = "Advice."

[[items]]
id = "step"
title = "Do a thing"
body = "Because it helps."
sources = ["force"]
{item_extra}

[[contacts]]
id = "police"
name = "Police"
number = "101"
how = "Call 101."
for = "Anyone."
{contact_extra}
"""


def write_pack(
    tmp_path: Path, text: str | None = None, item_extra: str = "", contact_extra: str = ""
) -> Path:
    path = tmp_path / "pack.toml"
    if text is None:
        text = GOOD_PACK.format(item_extra=item_extra, contact_extra=contact_extra)
    path.write_text(text, encoding="utf-8")
    return path


def load_error(path: Path) -> str:
    with pytest.raises(InvalidInput) as caught:
        load_pack(path)
    return caught.value.message


def test_the_pack_header_lists_exactly_the_actions_the_app_has() -> None:
    """A charity editing the pack reads the action list at its top: no more, no fewer."""
    header = default_pack_path().read_text(encoding="utf-8").split("schema_version")[0]
    listed = header.split("#   action", 1)[1].split("#   takes_reference", 1)[0]
    words = set(re.findall(r"[a-z]+(?:-[a-z]+)+", listed))
    assert words == {action.value for action in ChecklistAction}


def test_an_action_is_parsed_once_and_a_near_miss_is_refused(tmp_path: Path) -> None:
    """The pack's action becomes a ChecklistAction at loading; a spelling the app has no code
    for ("add_evidence", "Add-Evidence") stops the pack with a calm sentence naming the item,
    rather than a button that does nothing."""
    pack = load_pack(write_pack(tmp_path, item_extra='action = "add-evidence"'))
    assert pack.items[0].action is ChecklistAction.ADD_EVIDENCE
    for near_miss in ("add_evidence", "Add-Evidence", "add-evidence ", "export"):
        message = load_error(write_pack(tmp_path, item_extra=f'action = "{near_miss}"'))
        assert 'item "step"' in message and 'field "action"' in message, message
        assert f'"{near_miss}"' in message and "capture-screenshot" in message, message
        assert "\n" not in message and "Traceback" not in message


def test_the_test_pack_itself_is_good(tmp_path: Path) -> None:
    pack = load_pack(write_pack(tmp_path))
    assert ids(list(pack.items)) == ["step"]
    assert pack.items[0].done_when == () and pack.items[0].not_needed_when == ()


def test_record_facts_load_and_the_pack_header_names_each(pack: AdvicePack) -> None:
    """A charity editing the pack reads the field list at its top: every fact is there."""
    header = default_pack_path().read_text(encoding="utf-8").split("schema_version")[0]
    for fact in RECORD_FACTS:
        assert fact in header, fact
    shows = {item.id: item.done_when for item in pack.items if item.done_when}
    assert shows["find-skype-id"] == ("skype-id-saved",)
    assert shows["report-to-police"] == ("crime-reference-saved",)
    assert shows["tell-bank"] == ("bank-told",)
    assert shows["take-screenshots"] == ("screenshot-added",)
    assert pack.item("cancel-payment").not_needed_when == ("payments-settled",)  # type: ignore[union-attr]
    # A step shown only to adults may use media-added; no under-18 step ever does.
    for item in pack.items:
        if "media-added" in item.done_when:
            assert "adult" in item.when


@pytest.mark.parametrize(
    ("item_extra", "expected"),
    [
        ('colour = "red"', ['item "step"', 'field "colour"', "not a known field"]),
        ('action = "fly"', ['item "step"', 'field "action"', '"fly"', "add-evidence"]),
        ('when = ["rich"]', ['item "step"', 'field "when"', '"rich"', "under-18"]),
        ('when = ["paid", "not-paid"]', ['item "step"', 'field "when"', "never apply"]),
        (
            'reference_label = "Crime reference number"',
            ['item "step"', 'field "reference_label"', "takes_reference"],
        ),
        ("takes_reference = true", ['item "step"', 'field "reference_label"', "missing"]),
        ('takes_reference = "yes"', ['item "step"', 'field "takes_reference"', "true or false"]),
        ('topics = ["Not Kebab"]', ['item "step"', 'field "topics"', "hyphens"]),
        ('action = "show-help"\naction2 = 1', ['field "action2"']),
        ('done_when = ["paid"]', ['item "step"', 'field "done_when"', '"paid"', "skype-id-saved"]),
        ('done_when = "bank-told"', ['item "step"', 'field "done_when"', "must be a list"]),
        ('not_needed_when = ["rich"]', ['item "step"', 'field "not_needed_when"', '"rich"',
                                        "payments-settled"]),
        ('not_needed_when = ["bank-told", "bank-told"]',
         ['item "step"', 'field "not_needed_when"', "same value twice"]),
    ],
)
def test_broken_items_name_the_item_and_field(
    tmp_path: Path, item_extra: str, expected: list[str]
) -> None:
    message = load_error(write_pack(tmp_path, item_extra=item_extra))
    assert message.startswith('Advice pack "pack.toml"')
    for part in expected:
        assert part in message, message


def test_unknown_source_is_named(tmp_path: Path) -> None:
    text = GOOD_PACK.format(item_extra="", contact_extra="").replace(
        'sources = ["force"]', 'sources = ["force", "nowhere"]'
    )
    message = load_error(write_pack(tmp_path, text))
    assert 'item "step"' in message and 'field "sources"' in message and '"nowhere"' in message


@pytest.mark.parametrize("field", ["title", "body", "sources"])
def test_missing_item_field_is_named(tmp_path: Path, field: str) -> None:
    # Remove the field from the item only: the pack and the source have a title too.
    head, _, tail = GOOD_PACK.format(item_extra="", contact_extra="").partition("[[items]]")
    tail = re.sub(rf"(?m)^{field} = .*\n", "", tail, count=1)
    message = load_error(write_pack(tmp_path, head + "[[items]]" + tail))
    assert 'item "step"' in message and f'field "{field}"' in message and "missing" in message


def test_item_without_id_is_named_by_position(tmp_path: Path) -> None:
    text = GOOD_PACK.format(item_extra="", contact_extra="").replace('id = "step"\n', "")
    message = load_error(write_pack(tmp_path, text))
    assert "item number 1" in message and 'field "id"' in message


def test_duplicate_item_ids(tmp_path: Path) -> None:
    good = GOOD_PACK.format(item_extra="", contact_extra="")
    head, _, tail = good.partition("[[contacts]]")
    item = head[head.index("[[items]]") :]
    message = load_error(write_pack(tmp_path, head + item + "[[contacts]]" + tail))
    assert 'item id "step"' in message and "more than once" in message


@pytest.mark.parametrize(
    ("replace", "by", "expected"),
    [
        ("schema_version = 1", "schema_version = 2", ['"schema_version"', "2", "reads 1"]),
        ("schema_version = 1", "schema_version = true", ['"schema_version"', "whole number"]),
        ("schema_version = 1\n", "", ['"schema_version"', "missing"]),
        ('language = "en-GB"', 'language = "en-GB"\nextra = 1', ['field "extra"', "top level"]),
        ('number = "101"', 'number = "call 101"', ['contact "police"', 'field "number"']),
        ('for = "Anyone."', 'for = "Anyone."\nurl = "x"', ['contact "police"', 'field "url"']),
        ('how = "Call 101."', 'how = "See https://example.org"', ['field "how"', "web link"]),
        ('body = "Because it helps."', 'body = ""', ['item "step"', 'field "body"', "empty"]),
        ('body = "Because it helps."', "body = 3", ['field "body"', "text"]),
        ('name = "A police force"\n', "", ['source "force"', 'field "name"', "missing"]),
    ],
)
def test_other_broken_packs(tmp_path: Path, replace: str, by: str, expected: list[str]) -> None:
    text = GOOD_PACK.format(item_extra="", contact_extra="")
    assert replace in text
    message = load_error(write_pack(tmp_path, text.replace(replace, by, 1)))
    for part in expected:
        assert part in message, message


def test_not_toml_and_missing_file(tmp_path: Path) -> None:
    message = load_error(write_pack(tmp_path, "this is = = not toml"))
    assert "pack.toml" in message and "not valid TOML" in message
    message = load_error(tmp_path / "absent.toml")
    assert "absent.toml" in message


def test_contact_conditions_are_checked(tmp_path: Path) -> None:
    message = load_error(write_pack(tmp_path, contact_extra='when = ["teenager"]'))
    assert 'contact "police"' in message and 'field "when"' in message


# ----- copy-ready texts ----------------------------------------------------------------------

HOSTILE = [
    "<b>bold</b><script>alert(1)</script>",
    '=HYPERLINK("x","click")',
    "+1 (555) 0100",
    "-2+3",
    "@SUM(A1)",
    "';DROP TABLE case;--",
    "{display_name}{0}",
    "%s %d",
]


def sample_case(**changes: object) -> CaseFacts:
    values: dict[str, object] = {
        "display_name": "Sam",
        "under_18": False,
        "first_contact": "2024-05-01",
        "identifiers": [
            IdentifierFact("skype-id", "live:abc123", "Skype"),
            IdentifierFact("Facebook profile", "facebook.com/fake.girl.99", "Facebook"),
            IdentifierFact("bank-account", "12-34-56 12345678", None),
            IdentifierFact("email", "sweetgirl@example.com", None),
        ],
        "payments": [
            PaymentFact("2024-05-02", "250.00", "GBP", "western-union", "1234567890", "collected"),
            PaymentFact(None, "100", "GBP", "bank-transfer", None, "unknown", "J Smith"),
        ],
        "evidence_count": 14,
        "crime_reference": "WM/2024/0001",
    }
    values.update(changes)
    return CaseFacts(**values)  # type: ignore[arg-type]


def test_police_summary_has_the_facts() -> None:
    text = police_summary(sample_case())
    for part in (
        "Sam",
        "2024-05-01",
        "WM/2024/0001",
        "Skype ID: live:abc123 (on Skype)",
        "facebook.com/fake.girl.99",
        "12-34-56 12345678",
        "sweetgirl@example.com",
        "250.00 GBP by Western Union",
        "1234567890",
        "status: collected",
        "to J Smith",
        "14 items",
        "SHA-256",
    ):
        assert part in text, part
    assert "under 18" not in text
    assert "I am under 18." in police_summary(sample_case(under_18=True))


def test_police_summary_with_nothing_yet() -> None:
    text = police_summary(CaseFacts(display_name=""))
    assert "None saved yet" in text and "No payments recorded" in text
    assert "No evidence files" in text
    assert "1 item (" in police_summary(CaseFacts(display_name="A", evidence_count=1))


def test_platform_report_puts_the_platforms_accounts_first() -> None:
    text = platform_report(sample_case(), "facebook")
    assert "Their account on facebook:" in text
    on_platform = text.index("facebook.com/fake.girl.99")
    assert on_platform < text.index("Other details they used:") < text.index("live:abc123")
    assert "without my consent" in text and "WM/2024/0001" in text
    general = platform_report(sample_case(crime_reference=None))
    assert "Details they used:" in general and "live:abc123" in general
    assert "also reporting this to the police" in general
    assert "I am under 18." in platform_report(sample_case(under_18=True), "Skype")


def test_bank_script_has_the_payments_and_bank_details() -> None:
    case = sample_case()
    text = bank_call_script(case)
    for part in ("250.00 GBP", "1234567890", "100 GBP by bank transfer", "12-34-56 12345678"):
        assert part in text, part
    assert "case number" in text and "WM/2024/0001" in text
    one = bank_call_script(case, [case.payments[1]])
    assert "100 GBP" in one and "250.00" not in one
    assert "add the payments" in bank_call_script(CaseFacts(display_name="A"))


def test_plain_tuples_are_accepted() -> None:
    case = CaseFacts(
        display_name="A",
        identifiers=[("username", "bad_actor", "Instagram")],  # type: ignore[list-item]
        payments=[("2024-01-01", "50", "EUR", "paypal", None, "sent", None)],  # type: ignore[list-item]
    )
    assert "Username: bad_actor (on Instagram)" in police_summary(case)
    assert "50 EUR by PayPal" in bank_call_script(case)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_values_pass_through_as_plain_text(hostile: str) -> None:
    case = CaseFacts(
        display_name=hostile,
        first_contact=hostile,
        identifiers=[IdentifierFact(hostile, hostile, hostile)],
        payments=[PaymentFact(hostile, hostile, hostile, hostile, hostile, hostile, hostile)],
        crime_reference=hostile,
    )
    for text in (
        police_summary(case),
        platform_report(case, hostile),
        bank_call_script(case),
    ):
        assert hostile in text  # data, never markup or formula: kept exactly as typed


@pytest.mark.parametrize(
    "nasty",
    [
        "line one\nCrime reference: FAKE",
        "tab\there\r\nand\x00nul",
        "\x1b[31mred\x1b[0m",
        "abc\u202edcba",
        "para\u2029graph\u2028line\x85next",
        "\x7f\x9b",
    ],
)
def test_control_characters_cannot_make_new_lines(nasty: str) -> None:
    case = CaseFacts(
        display_name=nasty,
        identifiers=[IdentifierFact("username", nasty, nasty)],
        payments=[PaymentFact(nasty, nasty, "GBP", "card", nasty, "sent", nasty)],
        crime_reference=nasty,
    )
    for text in (police_summary(case), platform_report(case, nasty), bank_call_script(case)):
        assert not any(line.startswith("Crime reference: FAKE") for line in text.splitlines())
        for char in text:
            assert char == "\n" or (ord(char) >= 32 and not 0x7F <= ord(char) <= 0x9F), repr(char)
        assert "\u202e" not in text and "\u2028" not in text and "\u2029" not in text
    assert one_line(nasty).isprintable()


# Each app's way to save a conversation, in the words the step must use (a few key words per
# app, so the wording can change but not lose a step).
SAVE_CHAT_STEPS = {
    "WhatsApp on Android": ["three dots", "Export chat", "with or without media",
                            "without, if intimate pictures of you are in the chat"],
    "WhatsApp on iPhone": ["name at the top", "Export chat", "without media", "Files"],
    "Instagram and Facebook Messenger": ["Accounts Centre", "Download your information",
                                         "JSON"],
    "end-to-end encrypted chats": ["not in that download", "Privacy and safety"],
    "Telegram": ["Telegram Desktop", "Export chat history", "HTML or JSON",
                 "add the whole folder"],
    "Discord": ["Data and Privacy", "only the messages you sent"],
    "Snapchat": ["My Data", "only chats that were saved"],
}


def test_the_step_on_saving_conversations_says_how_in_each_app(pack: AdvicePack) -> None:
    item = pack.item("save-whole-chats")
    assert item is not None
    lines = item.body.splitlines()
    for app, words in SAVE_CHAT_STEPS.items():
        line = next((line for line in lines if app in line), None)
        assert line is not None, app
        for word in words:
            assert word in line, (app, word)
    assert "Add the file, ZIP or folder to Safekeep as it is: don't unpack or edit it." in \
        item.body
    assert "before you block or report" in item.body
    assert "app-help-pages" in item.sources and "nca-npcc" in item.sources
    assert item.done_when == ("chat-export-added",)
    # Shown to under-18s too, so it invites adding nothing (see the test above).
    assert item.action is None
    # Right after the screenshots, for everyone, under 18 or not.
    for context in ALL_CONTEXTS:
        order = ids(applicable_items(pack, context))
        assert order.index("save-whole-chats") == order.index("take-screenshots") + 1
