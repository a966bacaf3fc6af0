"""Rules that find where money went in OCR text: IBANs, UK bank accounts,
Western Union MTCNs, MoneyGram references and amounts of money.

Runs of digits are everywhere in a chat (times, order numbers, prices), so a bare 10-digit
number is not an MTCN and a bare 8-digit number is not an account: these rules take a number
only when a word nearby (on its line or the one above or below) says what it is. Codes that
carry their own check digits (IBANs, Bitcoin addresses) are taken only when the check adds
up, which also catches most OCR misreadings.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from app.core.identifiers import IdentifierType, ascii_digits
from app.core.reading.kinds import DetailKind
from app.core.reading.lines import Found, Line, identifier_found, near_text

# --- IBAN ---------------------------------------------------------------------------------

# Two letters, two check digits, then 11-30 letters and digits, perhaps in groups of four.
# Each repetition takes one character with at most one space before it, so the split is
# unique and the match linear.
_IBAN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){11,30}", re.ASCII)


def find_ibans(lines: list[Line], index: int) -> Iterator[Found]:
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    line = lines[index]
    for match in _IBAN_RE.finditer(line.text):
        # The greedy match may run on into the next word ("... 7654 32 THANKS"), so try the
        # longest prefix first and stop at the first one whose check digits add up.
        for end in _group_ends(line.text, match.start(), match.end()):
            value = line.text[match.start() : end]
            try:
                IBAN(value.replace(" ", ""))  # validates offline, with the registry it ships
            except SchwiftyException:
                continue
            yield identifier_found(IdentifierType.IBAN, value, ((index, match.start(), end),))
            break
    yield from _wrapped_iban(lines, index)


# The start of an IBAN at the end of a line ("... IBAN GB34" or "GB33 BARC"), and the groups
# that may go on at the start of the next one ("LOYD 8515 1837 0098 60 name on it").
_IBAN_HEAD_RE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{2}[0-9]{2}(?: ?[A-Z0-9]){0,26}$", re.ASCII)
_IBAN_TAIL_RE = re.compile(r"[A-Z0-9]{1,4}(?: [A-Z0-9]{1,4}){0,7}", re.ASCII)
_BUBBLE_EDGE_RE = re.compile(r"[|/\\(\[{]{1,2} ")


def _wrapped_iban(lines: list[Line], index: int) -> Iterator[Found]:
    """An IBAN the chat app wrapped onto the next line of the same bubble. Taken only when
    the joined groups have check digits that add up: that is what makes joining safe."""
    from schwifty import IBAN
    from schwifty.exceptions import SchwiftyException

    line = lines[index]
    text = line.text.rstrip()
    head = _IBAN_HEAD_RE.search(text)
    if head is None or index + 1 >= len(lines) or not line.continued_by(lines[index + 1]):
        return
    below = lines[index + 1].text
    skip = _BUBBLE_EDGE_RE.match(below)  # "| 6598 06": the bubble's edge read as a mark
    first = skip.end() if skip else 0
    tail = _IBAN_TAIL_RE.match(below, first)
    if tail is None:
        return
    # Longest first: the groups of the next line, dropping one at a time from the end.
    ends = [first + m.end() for m in re.finditer(r"[A-Z0-9]+", tail[0])][::-1]
    for end in ends:
        value = f"{head[0]} {below[first:end]}"
        try:
            IBAN(value.replace(" ", ""))
        except SchwiftyException:
            continue
        spans = ((index, head.start(), head.end()), (index + 1, first, end))
        yield identifier_found(IdentifierType.IBAN, value, spans)
        return


def _group_ends(text: str, start: int, end: int) -> Iterator[int]:
    """Possible ends of a code in text[start:end], longest first: the end itself, then each
    character position that leaves at least 15 characters (the shortest IBAN)."""
    for stop in range(end, start + 14, -1):
        if text[stop - 1] != " ":
            yield stop


# --- UK bank accounts, MTCN, MoneyGram -------------------------------------------------------

_SORT_CODE_RE = re.compile(r"(?<![\d\-])\d{2}[\-–]\d{2}[\-–]\d{2}(?![\d\-])")
_SPACED_SORT_CODE_RE = re.compile(r"(?<![\d\-])\d{2} \d{2} \d{2}(?![\d\-])")
_ACCOUNT_RE = re.compile(r"(?<![\d\-])(?:\d{8}|\d{4} \d{4})(?![\d\-])")
_BANK_WORDS_RE = re.compile(r"sort ?code|account|\bacc\b|\bacct\b|\ba/c\b|\bbank\b")
_ACCOUNT_LABEL_RE = re.compile(r"\W*account (?:number|no\.?)\W*")
# Ten digits, grouped any way (OCR and people group them oddly: "820057 9544").
_MTCN_RE = re.compile(r"(?<![\d\-])\d(?:[ \-]?\d){9}(?![\d\-])")
# "Westermn Union", "Western Unien": OCR garbles these words often enough to allow for it.
# Western Union's own pages call the MTCN the "tracking number", and so do offenders.
_MTCN_WORDS_RE = re.compile(
    r"\bmtcn\b|\bwest[a-z]{2,5} ?un[a-z]{2,3}\b|\bwu\b|control number|tracking (?:number|no)"
)
_DIGITS_END_RE = re.compile(r"(?<!\S)\d[\d \-]{1,10}\d$")
_DIGITS_START_RE = re.compile(r"\d[\d \-]{1,10}\d(?!\S)")
_MONEYGRAM_RE = re.compile(r"(?<![\d\-])(?:\d{8}|\d{4}[ \-]\d{4})(?![\d\-])")
_MONEYGRAM_WORDS_RE = re.compile(r"money ?gram")
_REFERENCE_RE = re.compile(r"\bref(?:erence)?\b")


def find_bank_accounts(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    if not _BANK_WORDS_RE.search(near_text(lines, index)):
        return
    sort_codes = list(_SORT_CODE_RE.finditer(line.text))
    if "sort" in line.lower:  # "sort code 12 34 56": spaces are fine after the words
        sort_codes += _SPACED_SORT_CODE_RE.finditer(line.text)
    for sort_code in sort_codes:
        account = _account_near(lines, index, sort_code.end())
        if account is None:
            continue
        where, start, end = account
        value = f"{sort_code[0]} {lines[where].text[start:end]}"
        spans = ((index, *sort_code.span()), (where, start, end))
        yield identifier_found(IdentifierType.BANK_ACCOUNT, value, spans)


def _account_near(lines: list[Line], index: int, after: int) -> tuple[int, int, int] | None:
    """The account number that goes with a sort code: later on its line, else the next
    line, else earlier on its line, else the line above."""
    line = lines[index]
    later = _ACCOUNT_RE.search(line.text, after)
    if later:
        return index, *later.span()
    if index + 1 < len(lines) and (below := _ACCOUNT_RE.search(lines[index + 1].text)):
        return index + 1, *below.span()
    # A bank app's labels on lines of their own: "Sort code", "40-14-15", "Account number",
    # "37468515".
    if index + 2 < len(lines) and _ACCOUNT_LABEL_RE.fullmatch(lines[index + 1].lower) \
            and (under := _ACCOUNT_RE.fullmatch(lines[index + 2].text.strip())):
        return index + 2, *under.span()
    earlier = _ACCOUNT_RE.search(line.text, 0, after)
    if earlier:
        return index, *earlier.span()
    if index > 0 and (above := _ACCOUNT_RE.search(lines[index - 1].text)):
        return index - 1, *above.span()
    return None


def find_mtcns(lines: list[Line], index: int) -> Iterator[Found]:
    if not _MTCN_WORDS_RE.search(near_text(lines, index)):
        return
    line = lines[index]
    labelled = "mtcn" in line.lower
    for match in _MTCN_RE.finditer(line.text):
        # "Western Union" in a message does not make every number near it an MTCN: a phone
        # number ("+1 202-555-0143", "0161 496 0123") stays a phone number unless the line
        # itself says MTCN.
        if not labelled and _reads_as_phone(line.text, match.start(), match[0]):
            continue
        yield identifier_found(IdentifierType.MTCN, match[0], ((index, *match.span()),))
    yield from _wrapped_mtcn(lines, index)


def _wrapped_mtcn(lines: list[Line], index: int) -> Iterator[Found]:
    """An MTCN the chat app wrapped at a space: "MTCN: 253 548" then "5694" below."""
    if index + 1 >= len(lines) or not lines[index].continued_by(lines[index + 1]):
        return
    head = _DIGITS_END_RE.search(lines[index].text.rstrip())
    tail = _DIGITS_START_RE.match(lines[index + 1].text)
    if head is None or tail is None:
        return
    start, end = head.span()
    rest = tail[0]
    # Each piece is a group of at least three digits, as the app wrapped it at a space.
    first, second = len(ascii_digits(head[0])), len(ascii_digits(rest))
    if first >= 3 and second >= 3 and first + second == 10:
        value = f"{lines[index].text[start:end]} {rest}"
        spans = ((index, start, end), (index + 1, 0, len(rest)))
        yield identifier_found(IdentifierType.MTCN, value, spans)


# "+44 " just before, or "+44 (0)" as UK numbers are often written: "+44 (0)20 7946 0492".
_COUNTRY_CODE_BEFORE_RE = re.compile(r"\+\d{1,3}[ \-]?(?:\(0\)[ \-]?)?$")


def _reads_as_phone(text: str, start: int, digits: str) -> bool:
    if _COUNTRY_CODE_BEFORE_RE.search(text[max(0, start - 10) : start]):
        return True
    if not digits.startswith("0"):
        return False
    import phonenumbers

    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(digits, "GB"))
    except phonenumbers.NumberParseException:
        return False


def find_moneygram_references(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    # "MoneyGram" on the line or next to it; or "reference" on the line with MoneyGram a
    # little further away (a receipt puts the company name at the top).
    if not (
        _MONEYGRAM_WORDS_RE.search(near_text(lines, index))
        or (
            _REFERENCE_RE.search(line.lower)
            and _MONEYGRAM_WORDS_RE.search(near_text(lines, index, before=3, after=0))
        )
    ):
        return
    for match in _MONEYGRAM_RE.finditer(line.text):
        yield identifier_found(IdentifierType.MONEYGRAM, match[0], ((index, *match.span()),))


# --- amounts -----------------------------------------------------------------------------------

_CURRENCY_BY_WORD = {
    "£": "GBP",
    "$": "USD",
    "us$": "USD",
    "€": "EUR",
    "gbp": "GBP",
    "usd": "USD",
    "eur": "EUR",
    "pound": "GBP",
    "pounds": "GBP",
    "quid": "GBP",
    "dollar": "USD",
    "dollars": "USD",
    "euro": "EUR",
    "euros": "EUR",
}
_NUMBER = r"(?P<number>\d{1,3}(?:,\d{3}){1,4}|\d{1,12})(?:\.(?P<cents>\d{2}))?(?P<k>k\b)?"
_AMOUNT_BEFORE_RE = re.compile(
    rf"(?<![\w$£€])(?P<currency>US\$|[£$€]|(?:GBP|USD|EUR)(?![A-Za-z])) ?{_NUMBER}(?![\d]|[,.]\d)",
    re.IGNORECASE,
)
_AMOUNT_AFTER_RE = re.compile(
    rf"(?<![\w$£€.,]){_NUMBER} ?(?P<currency>GBP|USD|EUR|pounds?|quid|dollars?|euros?|€)(?!\w)",
    re.IGNORECASE,
)
AMOUNT_CURRENCIES = frozenset(_CURRENCY_BY_WORD.values())


def amount_key(currency: str, amount: Decimal) -> str:
    """The matching key of an amount: the ISO currency code and two decimals, "GBP 250.00"."""
    return f"{currency} {amount.quantize(Decimal('0.01'))}"


def find_amounts(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    for regex in (_AMOUNT_BEFORE_RE, _AMOUNT_AFTER_RE):
        for match in regex.finditer(line.text):
            try:
                amount = Decimal(match["number"].replace(",", ""))
            except InvalidOperation:  # pragma: no cover - the regex only lets digits through
                continue
            if match["cents"]:
                amount += Decimal(match["cents"]) / 100
            if match["k"]:
                amount *= 1000
            currency = _CURRENCY_BY_WORD[match["currency"].lower()]
            span = (index, match.start(), match.end())
            yield Found(DetailKind.AMOUNT, match[0], amount_key(currency, amount), None, (span,))
