"""The kind of detail, way of paying or kind of event meant by letters typed into a list box
(core/identifiers/type_lookup.py, core/records/typed_words.py)."""

import pytest

from app.core.identifiers import PLATFORMS, IdentifierType, type_for_typed
from app.core.records import kind_for_typed, kind_label, method_for_typed, method_label
from app.models import PaymentMethod, TimelineKind

K = IdentifierType


@pytest.mark.parametrize(("typed", "meant"), [
    ("i", (K.IBAN, None)),  # the start of a kind's words comes first...
    ("Inst", (K.USERNAME, "Instagram")),  # ...then a platform: "Inst" had chosen IBAN
    ("insta", (K.USERNAME, "Instagram")),
    ("snap", (K.USERNAME, "Snapchat")),
    ("TikTok", (K.USERNAME, "TikTok")),
    ("twitter", (K.USERNAME, "X (Twitter)")),
    ("whatsapp", (K.PHONE, "WhatsApp")),  # a WhatsApp account is its number
    ("messenger", (K.FACEBOOK, "Facebook")),
    ("email", (K.EMAIL, None)),  # punctuation and case do not matter
    ("E-MAIL", (K.EMAIL, None)),
    ("western union", (K.MTCN, None)),
    ("skype id", (K.SKYPE_ID, None)),
    ("u", (K.USERNAME, None)),
    ("uk", (K.BANK_ACCOUNT, None)),
    ("bank", (K.BANK_ACCOUNT, None)),  # any word of a kind
    ("wallet", (K.CRYPTO_WALLET, None)),
    ("mobile", (K.PHONE, None)),  # everyday words
    ("bitcoin", (K.CRYPTO_WALLET, None)),
])
def test_letters_find_the_kind_a_person_means(typed: str, meant: tuple[K, str | None]) -> None:
    assert type_for_typed(typed) == meant


@pytest.mark.parametrize("typed", ["", " ", "-", "zzz", "instagramm", "=cmd|' /C calc'!A0",
                                   "\u202eoll", "../../etc"])
def test_letters_that_find_nothing_choose_nothing(typed: str) -> None:
    assert type_for_typed(typed) is None


def test_every_kind_and_every_named_platform_can_be_reached_by_its_own_name() -> None:
    for kind in K:
        assert type_for_typed(kind.label) == (kind, None)
    for platform in PLATFORMS:
        found = type_for_typed(platform)
        assert found is not None
        # A platform whose name is also a kind's ("Facebook profile") gives that kind.
        assert found[1] in (platform, None), platform


@pytest.mark.parametrize(("typed", "meant"), [
    ("b", PaymentMethod.BANK_TRANSFER),
    ("bitcoin", PaymentMethod.CRYPTO),  # had chosen Bank transfer
    ("steam", PaymentMethod.GIFT_CARD),  # had chosen nothing
    ("Apple", PaymentMethod.GIFT_CARD),
    ("ca", PaymentMethod.CARD),
    ("cash app", PaymentMethod.OTHER),  # had chosen Card
    ("wu", PaymentMethod.WESTERN_UNION),
    ("western union", PaymentMethod.WESTERN_UNION),
    ("Money", PaymentMethod.MONEYGRAM),
    ("revolut", PaymentMethod.BANK_TRANSFER),
    ("transfer", PaymentMethod.BANK_TRANSFER),  # any word of a method
])
def test_letters_find_the_way_of_paying_a_person_means(typed: str, meant: PaymentMethod) -> None:
    assert method_for_typed(typed) is meant


@pytest.mark.parametrize("typed", ["", "  ", "zzz", "=1+1", "\x00"])
def test_letters_that_name_no_way_of_paying_choose_nothing(typed: str) -> None:
    assert method_for_typed(typed) is None


def test_every_way_of_paying_can_be_reached_by_its_own_name() -> None:
    for method in PaymentMethod:
        assert method_for_typed(method_label(method)) is method


@pytest.mark.parametrize(("typed", "meant"), [
    ("f", TimelineKind.FIRST_CONTACT),
    ("mo", TimelineKind.MOVED_PLATFORM),
    ("money", TimelineKind.DEMAND),  # had chosen "Moved to another app or site"
    ("blackmail", TimelineKind.THREAT),  # had chosen nothing
    ("paid", TimelineKind.PAYMENT),
    ("police", TimelineKind.REPORT),
    ("report", TimelineKind.REPORT),
])
def test_letters_find_the_kind_of_event_a_person_means(typed: str, meant: TimelineKind) -> None:
    assert kind_for_typed(typed) is meant


def test_every_kind_of_event_can_be_reached_by_its_own_name() -> None:
    for kind in TimelineKind:
        assert kind_for_typed(kind_label(kind)) is kind
    assert kind_for_typed("zzz") is None and kind_for_typed("") is None


def test_every_way_of_paying_says_what_to_do_next() -> None:
    from app.core.records import method_advice

    for method in PaymentMethod:
        words = method_advice(method)
        if method in (PaymentMethod.WESTERN_UNION, PaymentMethod.MONEYGRAM,
                      PaymentMethod.OTHER):
            assert words == ""  # the MTCN's own help, or nothing known to say
        else:
            assert "as soon as you can" in words or "quickly" in words, method
