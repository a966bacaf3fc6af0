"""Safe names for originals inside the bundle."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.export.names import (
    MAX_NAME_BYTES,
    MAX_NAME_CHARS,
    evidence_file_name,
    is_reserved_windows_name,
    sanitise_name,
)
from app.text_safety import has_hidden

SHA = "3fa9c2d1" + "0" * 56


def assert_safe(name: str) -> None:
    assert name
    assert "/" not in name and "\\" not in name
    assert ".." not in name
    assert not has_hidden(name), name
    assert not any(ch in ':*?"<>|' for ch in name)
    assert len(name) <= MAX_NAME_CHARS
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert not name.endswith((".", " "))
    assert not is_reserved_windows_name(name)


def test_a_plain_name_is_kept_after_exhibit_and_hash() -> None:
    assert evidence_file_name("AB-12", SHA, "Screenshot 2024-03-01.png") == \
        "AB-12_3fa9c2d1_Screenshot 2024-03-01.png"


@pytest.mark.parametrize("hostile", [
    "../../etc/passwd", "..\\..\\windows\\system32\\cmd.exe", "/absolute/path.png",
    "C:\\Users\\victim\\photo.jpg", "a..b...c.png", "name.png.", "name.png   ",
    "photo\u202egnp.exe", "\u2066hidden\u2069.jpg", "tab\there\nnewline\x00nul.png",
    "zero\u200bwidth.png", "CON", "con.txt", "AUX.tar.gz", "Nul", "COM1.png", "lpt9", "COM¹.txt",
    "", "...", "   ", "\x07\x1b[31m", "a" * 500 + ".jpeg", "王" * 300 + ".png", "😀" * 200,
    "x/" * 80, "what?*:<>|\".png", "fullwidth\uff0fslash.png",
])
def test_hostile_names_become_safe(hostile: str) -> None:
    name = evidence_file_name("AB-7", SHA, hostile)
    assert name.startswith("AB-7_3fa9c2d1_")
    assert_safe(name)


def test_the_extension_survives_shortening() -> None:
    name = evidence_file_name("AB-1", SHA, "b" * 300 + ".jpeg")
    assert name.endswith(".jpeg") and len(name) == MAX_NAME_CHARS
    wide = evidence_file_name("AB-1", SHA, "王" * 300 + ".png")
    assert wide.endswith(".png") and len(wide.encode()) <= MAX_NAME_BYTES


def test_bidi_override_cannot_disguise_the_extension() -> None:
    assert sanitise_name("invoice\u202egnp.exe") == "invoicegnp.exe"


@pytest.mark.parametrize("name", ["CON", "con.txt", "Aux.tar.gz", "NUL ", "com3.log", "LPT¹",
                                  "conin$", "CONOUT$.x"])
def test_reserved_windows_names_are_recognised(name: str) -> None:
    assert is_reserved_windows_name(name)
    assert not is_reserved_windows_name(sanitise_name(name))


@pytest.mark.parametrize("name", ["CONSOLE.txt", "comx.png", "nullable", "LPT10", "0001_CON"])
def test_names_that_only_look_reserved_are_left_alone(name: str) -> None:
    assert not is_reserved_windows_name(name)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400), st.integers(min_value=1, max_value=99_999))
def test_any_text_gives_a_safe_unique_name(original: str, number: int) -> None:
    name = evidence_file_name(f"ÉB-{number}", SHA, original)
    assert name.startswith(f"ÉB-{number}_3fa9c2d1_")
    assert_safe(name)
