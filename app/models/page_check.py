"""Telling a wrong passphrase from a damaged first page.

SQLCipher reads page 1 first, and a wrong key and a damaged page 1 fail there alike ("file is
not a database"). But a wrong key fails on every page, and a damaged first page leaves the
others whole. So when the case will not open, the pages after the first are checked here
against their HMACs with the key from the passphrase: if one verifies, the passphrase is
right and the person is told the file is damaged instead of being asked for it again.

SQLCipher 4's page layout (its defaults, which Safekeep uses): each page ends with a reserve
of 16 bytes of IV and a 64-byte HMAC-SHA512 over the encrypted bytes, the IV and the page
number (4 bytes, little-endian). The HMAC key is PBKDF2-HMAC-SHA512 of the encryption key
with the salt XOR 0x3a, 2 iterations. Page 1 starts with the 16-byte salt, outside the HMAC.
Nothing here decrypts anything: a page's HMAC is checked, no more.
"""

import hashlib
import hmac
from pathlib import Path

PAGE_SIZE = 4096  # SQLCipher 4's default, which Safekeep uses (casefile takes it from here)
_SALT = 16
_IV = 16
_HMAC = 64
_RESERVE = _IV + _HMAC
_HMAC_SALT_MASK = 0x3A
_HMAC_KEY_ITERATIONS = 2
_PAGES_TRIED = 16


def hmac_key_for(key: bytes, salt: bytes) -> bytes:
    masked = bytes(b ^ _HMAC_SALT_MASK for b in salt)
    return hashlib.pbkdf2_hmac("sha512", key, masked, _HMAC_KEY_ITERATIONS, len(key))


def page_verifies(page: bytes, number: int, hmac_key: bytes) -> bool:
    if len(page) != PAGE_SIZE:
        return False
    start = _SALT if number == 1 else 0  # page 1 starts with the salt, in the clear
    signed = page[start : PAGE_SIZE - _HMAC] + number.to_bytes(4, "little")
    expected = hmac.new(hmac_key, signed, hashlib.sha512).digest()
    return hmac.compare_digest(expected, page[PAGE_SIZE - _HMAC :])


def key_reads_later_pages(path: Path, key: bytes, salt: bytes) -> bool:
    """True when some page after the first verifies with `key`: the key is right."""
    hmac_key = hmac_key_for(key, salt)
    try:
        with path.open("rb") as handle:
            handle.seek(PAGE_SIZE)
            for number in range(2, 2 + _PAGES_TRIED):
                page = handle.read(PAGE_SIZE)
                if len(page) < PAGE_SIZE:
                    return False
                if page_verifies(page, number, hmac_key):
                    return True
    except OSError:
        return False
    return False
