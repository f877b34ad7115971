"""The one-time login link of single-user mode.

``balancedue serve`` issues a random token when it starts and prints it as a link; the first
request that presents it logs the local user in, and the token is gone.  Only its hash is kept,
in this process's memory.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading

_lock = threading.Lock()
_digest: bytes | None = None


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).digest()


def issue() -> str:
    """A new token; any earlier one stops working."""
    global _digest
    token = secrets.token_urlsafe(32)
    with _lock:
        _digest = _hash(token)
    return token


def redeem(token: str) -> bool:
    """True once for the token last issued; every later use (or any other token) is False."""
    global _digest
    with _lock:
        if _digest is None or not hmac.compare_digest(_digest, _hash(token)):
            return False
        _digest = None
        return True
