"""The rule that finds crypto wallet addresses in OCR text: Bitcoin (legacy and bech32) and
Ethereum, taken only when their check digits add up, which also catches most misreadings.
Split from `money` (IBANs, bank accounts, MTCNs, amounts) to keep each module small.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator

from app.core.identifiers import IdentifierType
from app.core.reading.lines import Found, Line, identifier_found

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
