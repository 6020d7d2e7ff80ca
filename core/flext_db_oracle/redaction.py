"""Keeps secrets out of every string the framework prints, logs or raises.

Settings register each password they hold; `redact` replaces any registered
secret, and any password written into a URL (`scheme://user:secret@host`),
with `***`. Process-wide on purpose: a secret seen once must never leak
through any later path, whichever object the message passes through.
"""

from __future__ import annotations

import re
import threading

MASK = "***"

_URL_PASSWORD = re.compile(r"(?P<prefix>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)(?P<secret>[^@\s]+)@")
_secrets: set[str] = set()
_lock = threading.Lock()


def register_secret(secret: str | None) -> None:
    """Remember a secret so that `redact` hides it from now on."""
    if secret and len(secret) >= 3:  # masking 1-2 characters would garble ordinary text
        with _lock:
            _secrets.add(secret)


def mask_credentials(text: str) -> str:
    """`text` as an unparsable connection string may be shown: whatever stands before
    its last `@` (user and password, in any notation) becomes `***`."""
    if "@" not in text:
        return redact(text)
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "", text
    _credentials, _, location = rest.rpartition("@")
    return f"{scheme}{sep}{MASK}@{redact(location)}"


def redact(text: str) -> str:
    """`text` with URL passwords and every registered secret replaced by `***`."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['prefix']}{MASK}@", text)
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
    return text
