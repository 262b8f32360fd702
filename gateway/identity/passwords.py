"""Password hashes for the built-in login (argon2id).

Parameters: OWASP's minimum for argon2id (19 MiB, 2 passes, 1 lane), about 20 ms a check on the
development machine. The library default (64 MiB, 3 passes, 4 lanes) costs over 100 ms and 64 MiB
per concurrent attempt on the gateway, which a burst of logins (or an attacker) would turn into
memory pressure. A hash records its parameters, so raising them later re-hashes each password at
its owner's next successful login (`needs_rehash`).
"""
from __future__ import annotations

from functools import lru_cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify(stored: str | None, password: str) -> bool:
    """Whether `password` matches `stored`; a user without a password takes as long to refuse, so
    the time of an answer does not tell which users have one."""
    if not stored:
        burn(password)
        return False
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)


def burn(password: str) -> None:
    """Spend the time of one check (for unknown usernames, so they answer no faster than a wrong password)."""
    try:
        _HASHER.verify(_dummy_hash(), password)
    except VerificationError:
        pass


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _HASHER.hash("courtflow: no such user")
