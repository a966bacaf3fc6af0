"""Fake money details for the OCR test corpus: MTCNs, MoneyGram references, UK bank details,
IBANs and crypto addresses, each random but with correct check digits, computed here, and the
chat sentences that carry them. See `ocr_values` for the rest of the corpus's values.
"""

from __future__ import annotations

import hashlib
import random

from benchmarks.ocr_values_base import Message, label


def _digits(rng: random.Random, count: int) -> str:
    return str(rng.randrange(1, 10)) + "".join(str(rng.randrange(10)) for _ in range(count - 1))


def mtcn_message(rng: random.Random) -> Message:
    digits = _digits(rng, 10)
    mtcn = rng.choice(
        [
            digits,
            f"{digits[:3]}-{digits[3:6]}-{digits[6:]}",
            f"{digits[:3]} {digits[3:6]} {digits[6:]}",
        ]
    )
    text = rng.choice(
        [
            "MTCN {}",
            "the MTCN is {}",
            "Western Union MTCN: {}",
            "sent by Western Union, MTCN {}",
            "here is the Western Union control number {}",
        ]
    ).format(mtcn)
    return Message(text, frozenset({label("mtcn", mtcn)}))


def moneygram_message(rng: random.Random) -> Message:
    reference = _digits(rng, 8)
    text = rng.choice(["MoneyGram reference {}", "sent with MoneyGram, ref number {}"])
    return Message(text.format(reference), frozenset({label("moneygram", reference)}))


def bank_message(rng: random.Random) -> Message:
    sort_code = "-".join(f"{rng.randrange(100):02d}" for _ in range(3))
    account = _digits(rng, 8)
    text = rng.choice(
        [
            "sort code {s} account {a}",
            "pay into sort code {s} acc {a}",
            "account number {a} sort code {s}",
        ]
    ).format(s=sort_code, a=account)
    return Message(text, frozenset({label("bank-account", f"{sort_code} {account}")}))


def iban(country: str, bban: str) -> str:
    """An IBAN with correct check digits (ISO 13616: mod 97 of the rearranged digits)."""
    number = int("".join(str(int(char, 36)) for char in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


def iban_message(rng: random.Random) -> Message:
    country, bban = rng.choice(
        [
            ("GB", rng.choice(["NWBK", "BARC", "LOYD", "MIDL"]) + _digits(rng, 14)),
            ("DE", _digits(rng, 18)),
            ("NL", "ABNA" + _digits(rng, 10)),
            ("IE", "AIBK" + _digits(rng, 14)),
        ]
    )
    compact = iban(country, bban)
    written = (
        compact
        if rng.random() < 0.4
        else " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))
    )
    text = rng.choice(["IBAN {}", "pay to this IBAN: {}", "my IBAN is {}"]).format(written)
    return Message(text, frozenset({label("iban", written)}))


_BASE58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def bitcoin_legacy(rng: random.Random) -> str:
    payload = bytes([rng.choice([0x00, 0x05])]) + rng.randbytes(20)
    raw = payload + hashlib.sha256(hashlib.sha256(payload).digest()).digest()[:4]
    number, text = int.from_bytes(raw, "big"), ""
    while number:
        number, digit = divmod(number, 58)
        text = _BASE58[digit] + text
    return "1" * (len(raw) - len(raw.lstrip(b"\0"))) + text


def bitcoin_bech32(rng: random.Random) -> str:
    program = rng.randbytes(20)
    bits = "".join(f"{byte:08b}" for byte in program)
    data = [0] + [int(bits[i : i + 5].ljust(5, "0"), 2) for i in range(0, len(bits), 5)]
    checksum = 1
    for value in [3, 3, 0, 2, 3, *data, 0, 0, 0, 0, 0, 0]:
        top = checksum >> 25
        checksum = (checksum & 0x1FFFFFF) << 5 ^ value
        for bit, gen in enumerate((0x3B6A57B2, 0x26508E6D, 0x1EA119FA, 0x3D4233DD, 0x2A1462B3)):
            checksum ^= gen if top >> bit & 1 else 0
    checksum ^= 1
    tail = [(checksum >> 5 * (5 - i)) & 31 for i in range(6)]
    return "bc1" + "".join(_BECH32[value] for value in data + tail)


def ethereum(rng: random.Random) -> str:
    digits = rng.randbytes(20).hex()
    if rng.random() < 0.5:
        return "0x" + digits
    from Cryptodome.Hash import keccak

    key = keccak.new(digest_bits=256, data=digits.encode()).hexdigest()
    return "0x" + "".join(
        c.upper() if int(k, 16) >= 8 else c for c, k in zip(digits, key[:40], strict=True)
    )


def crypto_message(rng: random.Random) -> Message:
    address = rng.choice([bitcoin_legacy, bitcoin_bech32, ethereum])(rng)
    text = rng.choice(
        [
            "send the bitcoin to {}",
            "BTC wallet: {}",
            "pay in crypto to {}",
            "wallet {} and be quick",
        ]
    )
    return Message(text.format(address), frozenset({label("crypto-wallet", address)}))
