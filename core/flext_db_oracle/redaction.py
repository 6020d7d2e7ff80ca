"""Keeps secrets out of every string the framework prints, logs or raises.

Secrets are found by structure first: the password field of a URL
(`scheme://user:secret@host`, up to the last `@` of the authority), query
parameters named like secrets (`?password=...`, `token`, `secret`, `key`), and
every value settings hold as secret, which they register here. `redact` masks
those registered values as whole tokens only, so the password `test` leaves
`relation "x_test"` alone. Process-wide on purpose: a secret seen once must
never leak through any later path, whichever object the message passes through.
"""

from __future__ import annotations

import re
import threading

MASK = "***"

# The userinfo's password: everything between `user:` and the LAST `@` before the host
# (a password may itself contain `@`).
_URL_PASSWORD = re.compile(
    r"(?P<prefix>[a-zA-Z][a-zA-Z0-9+.\-]*://[^:/@\s]*:)(?P<secret>[^\s/?#]*)@(?=[^@\s]*(?:[/?#\s]|$))"
)
# Query parameters and `key=value` pairs whose name says they hold a secret.
SECRET_NAMES = ("password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "key")
_NAMED_SECRET = re.compile(
    r"(?P<name>(?<![A-Za-z0-9])(?:[A-Za-z0-9_]*_)?(?:" + "|".join(SECRET_NAMES) + r"))"
    r"(?P<sep>=)(?P<secret>[^&\s;'\"]+)",
    re.IGNORECASE,
)


class _Secrets:
    """Every registered secret, and one pattern matching any of them as a whole token
    (not inside a longer word), longest first; rebuilt when a secret is added."""

    def __init__(self) -> None:
        self._values: set[str] = set()
        self._pattern: re.Pattern[str] | None = None
        self._lock = threading.Lock()

    def add(self, secret: str) -> None:
        with self._lock:
            if secret not in self._values:
                self._values.add(secret)
                self._pattern = None

    def pattern(self) -> re.Pattern[str] | None:
        with self._lock:
            if self._pattern is None and self._values:
                ordered = sorted(self._values, key=len, reverse=True)
                alternatives = "|".join(re.escape(s) for s in ordered)
                self._pattern = re.compile(rf"(?<![A-Za-z0-9_])(?:{alternatives})(?![A-Za-z0-9_])")
            return self._pattern


_secrets = _Secrets()


def is_secret_name(name: str) -> bool:
    """Whether a parameter or field named `name` holds a secret, by how its name ends
    (`password`, `sslpassword`, `client_secret`, `?password`): masking a harmless value
    now and then is the cheaper mistake."""
    lowered = name.lower()
    return any(lowered.endswith(s) for s in SECRET_NAMES)


def register_secret(secret: str | None) -> None:
    """Remember a secret so that `redact` hides it from now on."""
    if secret and len(secret) >= 3:  # masking 1-2 characters would garble ordinary text
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
    """`text` with URL passwords, secret-named parameters and every registered secret
    replaced by `***`."""
    text = _URL_PASSWORD.sub(lambda m: f"{m['prefix']}{MASK}@", text)
    text = _NAMED_SECRET.sub(lambda m: f"{m['name']}{m['sep']}{MASK}", text)
    pattern = _secrets.pattern()
    return pattern.sub(MASK, text) if pattern is not None else text
