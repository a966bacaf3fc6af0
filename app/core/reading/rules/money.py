"""Rules that find where money went in OCR text: IBANs, crypto wallets, UK bank accounts,
Western Union MTCNs, MoneyGram references and amounts of money.

Runs of digits are everywhere in a chat (times, order numbers, prices), so a bare 10-digit
number is not an MTCN and a bare 8-digit number is not an account: these rules take a number
only when a word nearby (on its line or the one above or below) says what it is. Codes that
carry their own check digits (IBANs, Bitcoin addresses) are taken only when the check adds
up, which also catches most OCR misreadings.
"""

from __future__ import annotations

import hashlib
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
    tail = _IBAN_TAIL_RE.match(below)
    if tail is None:
        return
    # Longest first: the groups of the next line, dropping one at a time from the end.
    ends = [m.end() for m in re.finditer(r"[A-Z0-9]+", tail[0])][::-1]
    for end in ends:
        value = f"{head[0]} {below[:end]}"
        try:
            IBAN(value.replace(" ", ""))
        except SchwiftyException:
            continue
        spans = ((index, head.start(), head.end()), (index + 1, 0, end))
        yield identifier_found(IdentifierType.IBAN, value, spans)
        return


def _group_ends(text: str, start: int, end: int) -> Iterator[int]:
    """Possible ends of a code in text[start:end], longest first: the end itself, then each
    character position that leaves at least 15 characters (the shortest IBAN)."""
    for stop in range(end, start + 14, -1):
        if text[stop - 1] != " ":
            yield stop


# --- crypto wallets --------------------------------------------------------------------------

_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32_CHARS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
# The shapes as OCR may read them: "Ox" for "0x", "bcl" for "bc1", and in a Bitcoin
# address the characters Base58 leaves out because they look alike (0, O, I, l).
_ETHEREUM_RE = re.compile(r"[0O]x[0-9a-fA-FoOlI]{40}")
_BECH32_RE = re.compile(r"bc[1l][02-9ac-hj-np-zO]{8,87}")
_BTC_LEGACY_RE = re.compile(r"[13][0-9A-Za-z]{25,34}")
_TOKEN_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z0-9]{4,90}(?![A-Za-z0-9])")
_WALLET_START_RE = re.compile(
    r"[0O]x[0-9a-fA-FoOlI]{2,39}|bc[1l][0-9a-zO]{2,86}|[13][0-9A-Za-z]{6,33}"
)
# Hex has no o, l or I, and bech32 no O: each is a misread of the digit it looks like.
_HEX_SLIPS = str.maketrans("oOlI", "0011")
# Each of these is not in Base58; what the address most likely had there.
_BASE58_SLIPS = {"0": "o", "O": "o", "I": "1i", "l": "1i"}


def find_crypto_wallets(lines: list[Line], index: int) -> Iterator[Found]:
    line = lines[index]
    tokens = list(_TOKEN_RE.finditer(line.text))
    for number, token in enumerate(tokens):
        address = wallet_address(token[0])
        if address is not None:
            span = (index, *token.span())
            yield identifier_found(IdentifierType.CRYPTO_WALLET, address, (span,))
        elif _WALLET_START_RE.fullmatch(token[0]):
            found = _split_wallet(lines, index, tokens[number:])
            if found is not None:
                yield found


def wallet_address(text: str) -> str | None:
    """The address `text` is, with OCR slips mended, if its check digits add up."""
    if _ETHEREUM_RE.fullmatch(text):
        address = "0x" + text[2:].translate(_HEX_SLIPS)
        return address if _ethereum_ok(address) else None
    if _BECH32_RE.fullmatch(text):
        address = "bc1" + text[3:].replace("O", "0")
        return address if _bech32_ok(address) else None
    if _BTC_LEGACY_RE.fullmatch(text):
        return next((v for v in _base58_readings(text) if _base58check_ok(v)), None)
    return None


def _split_wallet(lines: list[Line], index: int, tokens: list[re.Match[str]]) -> Found | None:
    """An address OCR read in pieces: with spaces inside ("0xB5f4 B020..."), or broken over
    two lines where the chat app wrapped it. Taken only if the joined pieces check out."""
    line = lines[index]
    text, spans = tokens[0][0], [(index, *tokens[0].span())]
    for token in tokens[1:4]:
        if line.text[spans[-1][2] : token.start()] != " ":
            break
        text += token[0]
        spans.append((index, *token.span()))
        if (address := wallet_address(text)) is not None:
            return identifier_found(IdentifierType.CRYPTO_WALLET, address, _merged(spans))
    at_end = not line.text[tokens[0].end() :].strip()
    if at_end and index + 1 < len(lines):
        following = _TOKEN_RE.match(lines[index + 1].text)
        if following is not None:
            address = wallet_address(tokens[0][0] + following[0])
            if address is not None:
                spans = [(index, *tokens[0].span()), (index + 1, *following.span())]
                return identifier_found(IdentifierType.CRYPTO_WALLET, address, tuple(spans))
    return None


def _merged(spans: list[tuple[int, int, int]]) -> tuple[tuple[int, int, int], ...]:
    return ((spans[0][0], spans[0][1], spans[-1][2]),)


def _base58_readings(text: str) -> Iterator[str]:
    """`text` itself, then each way of reading its non-Base58 characters (at most 16)."""
    slips = [i for i, char in enumerate(text) if char in _BASE58_SLIPS]
    if not slips:
        yield text
        return
    if len(slips) > 4:
        return
    readings = [""]
    for char in text:
        options = _BASE58_SLIPS.get(char, char)
        readings = [reading + option for reading in readings for option in options]
    yield from readings


def _base58check_ok(address: str) -> bool:
    """A Bitcoin address whose last four bytes are the double SHA-256 of the rest."""
    number = 0
    for char in address:
        number = number * 58 + _BASE58.index(char)
    if number >= 1 << 200:
        return False
    raw = number.to_bytes(25, "big")
    # Each leading "1" stands for one zero byte; any other count is a different address.
    ones = len(address) - len(address.lstrip("1"))
    zeros = len(raw) - len(raw.lstrip(b"\0"))
    if ones != zeros or raw[0] not in (0x00, 0x05):  # mainnet pay-to-key or pay-to-script
        return False
    digest = hashlib.sha256(hashlib.sha256(raw[:21]).digest()).digest()
    return digest[:4] == raw[21:]


def _bech32_ok(address: str) -> bool:
    """BIP 173 / BIP 350 checksum of a "bc1" address (bech32 for v0, bech32m after)."""
    values = [_BECH32_CHARS.index(char) for char in address[3:]]
    checksum = 1
    for value in [3, 3, 0, 2, 3, *values]:  # "bc" expanded as BIP 173 describes
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, generator in enumerate(
            (0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)
        ):
            if top >> bit & 1:
                checksum ^= generator
    witness_version = values[0] if values else -1
    return checksum == (1 if witness_version == 0 else 0x2BC830A3)


def _ethereum_ok(address: str) -> bool:
    """Any 0x address in one case; a mixed-case one only if its EIP-55 checksum is right,
    because a wrong mix means OCR changed a character."""
    digits = address[2:]
    if digits == digits.lower() or digits == digits.upper():
        return True
    try:
        from Cryptodome.Hash import keccak  # comes with pyzipper, which Safekeep needs
    except ImportError:  # pragma: no cover - only without pyzipper
        return True
    key = keccak.new(digest_bits=256, data=digits.lower().encode("ascii")).hexdigest()
    return all(
        char.isdigit() or char.isupper() == (int(nibble, 16) >= 8)
        for char, nibble in zip(digits, key, strict=False)
    )


# --- UK bank accounts, MTCN, MoneyGram -------------------------------------------------------

_SORT_CODE_RE = re.compile(r"(?<![\d\-])\d{2}[\-–]\d{2}[\-–]\d{2}(?![\d\-])")
_SPACED_SORT_CODE_RE = re.compile(r"(?<![\d\-])\d{2} \d{2} \d{2}(?![\d\-])")
_ACCOUNT_RE = re.compile(r"(?<![\d\-])(?:\d{8}|\d{4} \d{4})(?![\d\-])")
_BANK_WORDS_RE = re.compile(r"sort ?code|account|\bacc\b|\bacct\b|\ba/c\b|\bbank\b")
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


_COUNTRY_CODE_BEFORE_RE = re.compile(r"\+\d{1,3}[ \-]?$")


def _reads_as_phone(text: str, start: int, digits: str) -> bool:
    if _COUNTRY_CODE_BEFORE_RE.search(text[max(0, start - 6) : start]):
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
