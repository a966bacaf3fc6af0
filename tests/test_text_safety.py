"""The one set of hidden characters (app/text_safety.py) and its renderings, and the channels
that used to keep some of them: copy texts, CSV cells, bundle file names, CLI lines and
JSON, the identifier hint. The same property over every channel at once, read back from a
real bundle, the CLI and the window, is in tests/ui/test_hidden_characters_everywhere.py."""

import json
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli.common import print_json, safe_line
from app.core.guidance.copy_texts import (
    CaseFacts,
    IdentifierFact,
    PaymentFact,
    bank_call_script,
    platform_report,
    police_summary,
)
from app.core.identifiers import IdentifierType, normalise
from app.export.csv_export import neutralise_cell
from app.export.formatting import one_line
from app.export.manifest import manifest_bytes
from app.export.names import bundle_file_name, evidence_file_name, sanitise_name
from app.text_safety import (
    drop_hidden,
    escape_hidden,
    flatten,
    has_hidden,
    is_hidden,
    pasteable_line,
    visible_line,
)

# The brief's list, one of each kind: C0, DEL, C1, bidi embeddings, overrides, isolates and
# marks, zero-width ones, word joiner and invisible operators, BOM, Mongolian vowel separator,
# soft hyphen, line and paragraph separators, tags, variation selectors, Hangul fillers,
# combining grapheme joiner, private use, a lone surrogate, noncharacters, unassigned.
HIDDEN = (
    "\x00\x07\x1b\x7f\x85\x9b"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
    "\u200b\u200c\u200d\u2060\u2061\u2062\u2063\u2064\ufeff\u180e\u00ad"
    "\u2028\u2029\U000e0001\U000e0041\U000e007f\ufe00\ufe0d\U000e0100\U000e01ef"
    "\u3164\uffa0\u115f\u1160\u034f\u17b4\u180b\u180f"
    "\ue000\U000f0000\udcff\ufffe\uffff\ufdd0\u0378\U000e0fff"
)
SHOWN = "a Z 0 é Ж ω 王 😀 \u00a0\u2003\u3000 \ufe0e\ufe0f \u2764\ufe0f ـ ‐ – ‘ ’ € ١"
NEWLINES = "\t\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"

hostile_text = st.text(
    alphabet=st.one_of(st.sampled_from(HIDDEN + NEWLINES), st.characters()), max_size=40
)


def _nothing_hidden(text: str, keep: str = "") -> bool:
    return not any(is_hidden(ch) and ch not in keep for ch in text)


@pytest.mark.parametrize("ch", HIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_every_kind_in_the_brief_is_hidden(ch: str) -> None:
    assert is_hidden(ch)
    assert has_hidden(f"x{ch}y")
    assert ch not in drop_hidden(f"x{ch}y") and ch not in escape_hidden(f"x{ch}y")


@pytest.mark.parametrize("ch", SHOWN, ids=lambda c: f"U+{ord(c):04X}")
def test_visible_letters_spaces_and_emoji_styles_are_not(ch: str) -> None:
    assert not is_hidden(ch)
    assert escape_hidden(ch) == drop_hidden(ch) == ch


def test_the_set_is_the_categories_plus_the_default_ignorable_marks() -> None:
    marks = {0x34F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180F, 0x3164,
             0xFFA0, *range(0xFE00, 0xFE0E), *range(0xE0100, 0xE01F0)}
    for code in range(0x110000):
        ch = chr(code)
        expected = unicodedata.category(ch) in ("Cc", "Cf", "Cn", "Co", "Cs", "Zl", "Zp")
        assert is_hidden(ch) == (expected or code in marks), hex(code)


def test_renderings() -> None:
    assert escape_hidden("gpj\u202e.exe\U000e0041") == "gpj\\u202e.exe\\U000e0041"
    assert escape_hidden("tab\there\n", keep="\t\n") == "tab\there\n"
    assert drop_hidden("pay\u200bpal\u2060") == "paypal"
    assert flatten("one\r\ntwo\nthree\u2028four\tfive") == "one two three four five"
    assert pasteable_line("  a\nCrime reference: FAKE\u202e  ") == "a Crime reference: FAKE"
    assert visible_line("a\nb\u200bc") == "a b\\u200bc"


@settings(max_examples=300, deadline=None)
@given(hostile_text)
def test_each_rendering_leaves_nothing_hidden(text: str) -> None:
    assert has_hidden(text) == any(is_hidden(ch) for ch in text)
    assert _nothing_hidden(escape_hidden(text)) and _nothing_hidden(drop_hidden(text))
    assert _nothing_hidden(visible_line(text)) and _nothing_hidden(pasteable_line(text))
    assert _nothing_hidden(escape_hidden(text, keep="\n"), keep="\n")
    assert len(flatten(text).splitlines()) <= 1
    assert drop_hidden(text) == "".join(ch for ch in text if not is_hidden(ch))


# --- the channels that kept some of them ---------------------------------------------------


def _facts(value: str) -> CaseFacts:
    return CaseFacts(
        display_name=value,
        identifiers=[IdentifierFact("username", value, value)],
        payments=[PaymentFact(value, value, value, "card", value, "sent", value)],
        crime_reference=value,
        first_contact=value,
    )


@pytest.mark.parametrize("value", ["pay\u200bpal", "pay\u2060pal", "a\u00adb", "x\U000e0041y",
                                   "\u3164", "z\ufe00"])
def test_copy_texts_keep_no_zero_width_or_invisible_characters(value: str) -> None:
    facts = _facts(value)
    for text in (police_summary(facts), platform_report(facts, value), bank_call_script(facts)):
        assert _nothing_hidden(text, keep="\n"), [hex(ord(c)) for c in text if is_hidden(c)]


@pytest.mark.parametrize("value", ["a\u2028b", "soft\u00adhyphen", "tag\U000e0041", "vs\ufe00",
                                   "filler\u3164", "private\ue000"])
def test_csv_cells_and_readme_lines_escape_every_hidden_character(value: str) -> None:
    for shown in (neutralise_cell(value), one_line(value)):
        assert _nothing_hidden(shown, keep="\t\n\r") and "\\u" in shown.lower()


@pytest.mark.parametrize("value", ["vs\ufe00.png", "filler\u3164.png", "tag\U000e0041.png",
                                   "cgj\u034f.png", "hangul\uffa0\u115f.png"])
def test_bundle_file_names_drop_invisible_marks(value: str) -> None:
    for name in (sanitise_name(value), evidence_file_name("AB-1", "ab" * 32, value),
                 bundle_file_name(value, __import__("datetime").date(2026, 1, 2))):
        assert _nothing_hidden(name), name


@pytest.mark.parametrize("value", ["vs\ufe00", "filler\u3164", "cgj\u034f", "\U000e0100"])
def test_cli_lines_escape_invisible_marks(value: str) -> None:
    assert _nothing_hidden(safe_line(value)) and "\\" in safe_line(value)


def test_cli_json_escapes_hidden_characters_and_still_reads_back_exactly(
    capsys: pytest.CaptureFixture[str],
) -> None:
    value = {"value": "gpj\u202e.exe \u200b\U000e0041 \u2028 \ufe0f \x00 ok", "n": 1}
    print_json([value])
    out = capsys.readouterr().out
    assert _nothing_hidden(out, keep="\n"), out
    assert json.loads(out) == [value]


def test_manifest_escapes_hidden_characters_and_still_reads_back_exactly() -> None:
    manifest = {"items": [{"original_name": "gpj\u202e.exe\u200b\U000e0041\x7f", "n": 1}]}
    text = manifest_bytes(manifest).decode("utf-8")
    assert _nothing_hidden(text, keep="\n"), text
    assert json.loads(text) == manifest and "\\u202e" in text


@pytest.mark.parametrize("value", ["pay\u00adpal", "a\u200cb", "line\u2028break", "\u3164",
                                   "x\U000e0041", "x\ufe00"])
def test_identifiers_with_any_hidden_character_get_the_hint(value: str) -> None:
    result = normalise(IdentifierType.NAME, value)
    assert any("hidden characters" in w for w in result.warnings)


@pytest.mark.parametrize("value", ["two\nlines", "tab\tbed", "plain \u00a0 spaces", "❤\ufe0f"])
def test_line_breaks_tabs_and_emoji_styles_get_no_hint(value: str) -> None:
    result = normalise(IdentifierType.NAME, value)
    assert not any("hidden characters" in w for w in result.warnings)
