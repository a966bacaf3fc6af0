"""Passphrase -> raw SQLCipher key, with Argon2id.

Where the parameters live: SQLCipher writes our 16-byte salt, in the clear, as the first 16
bytes of the file, and nothing else there is readable before the key is known. So the salt
carries the KDF profile id in its low 4 bits (the other 124 bits are random). That lets a
later Safekeep raise the cost for new files and still open old ones with a single derivation,
and the file still looks like random bytes. The profile is also recorded inside the file
(`file_meta`), for anyone inspecting an unlocked case.
"""

import secrets
import unicodedata
from dataclasses import dataclass

from argon2.low_level import Type, hash_secret_raw

SALT_BYTES = 16
KEY_BYTES = 32


@dataclass(frozen=True)
class KdfProfile:
    id: int
    memory_kib: int
    time_cost: int
    parallelism: int

    def describe(self) -> str:
        return (
            f"argon2id m={self.memory_kib}KiB t={self.time_cost} p={self.parallelism} "
            f"profile={self.id}"
        )


# Never change a published profile: files made with it could no longer be opened.
# Add a new id instead and point DEFAULT_PROFILE at it.
PROFILES: dict[int, KdfProfile] = {
    # The floor the project accepts (64 MiB). Quick to derive (~0.1 s here); the tests use it
    # so that hundreds of open/close cycles stay fast.
    1: KdfProfile(1, memory_kib=64 * 1024, time_cost=3, parallelism=2),
    # The default for new cases: 256 MiB makes each guess four times costlier for an attacker
    # with a GPU, and still unlocks in well under a second on a modest 2-core machine.
    2: KdfProfile(2, memory_kib=256 * 1024, time_cost=3, parallelism=2),
}
DEFAULT_PROFILE = 2


def new_salt(profile: KdfProfile) -> bytes:
    salt = bytearray(secrets.token_bytes(SALT_BYTES))
    salt[0] = (salt[0] & 0xF0) | profile.id
    return bytes(salt)


def profile_for_salt(salt: bytes) -> KdfProfile | None:
    """The profile a file was made with, or None if this Safekeep does not know it."""
    return PROFILES.get(salt[0] & 0x0F)


def normalise_passphrase(passphrase: str) -> bytes:
    # NFC: "é" typed as one code point or as e + accent must open the same case.
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


def derive_key(passphrase: str, salt: bytes, profile: KdfProfile) -> bytes:
    return hash_secret_raw(
        secret=normalise_passphrase(passphrase),
        salt=salt,
        time_cost=profile.time_cost,
        memory_cost=profile.memory_kib,
        parallelism=profile.parallelism,
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def sqlcipher_raw_key(key: bytes, salt: bytes) -> str:
    """The key literal for PRAGMA key / ATTACH ... KEY: x'<key hex><salt hex>'.

    Only hex digits we made ever go into SQL text; the passphrase never does.
    """
    return f"x'{key.hex()}{salt.hex()}'"
