"""Database URLs (`scheme[+driver]://user:password@host:port/database?key=value`).

Parsed here, without any driver, so that settings can validate and redact them
and the registry can choose an adapter from the scheme.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit

from pydantic import BaseModel, ConfigDict, SecretStr

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.redaction import MASK, is_secret_name, mask_credentials, register_secret

# Oracle's native connect strings, given where a URL is expected: Easy Connect
# (`[tcp[s]://]host[:port][/service_name[:server][/instance]][?params]`, hosts
# comma-separated) needs a port or a service to tell it from an alias; a connect
# descriptor starts with `(`.
_EASY_CONNECT = re.compile(
    r"^(?:tcps?://)?(?://)?"
    r"(?P<hosts>(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][\w.\-]*)(?::\d{1,5})?"
    r"(?:,(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9][\w.\-]*)(?::\d{1,5})?)*)"
    r"(?P<path>/[\w.$#\-]*(?::[A-Za-z]+)?(?:/[\w.$#\-]+)?)?"
    r"(?:\?\S*)?$",
    re.IGNORECASE,
)
ORACLE_SCHEME = "oracle"
# The query key that carries a native Oracle connect string inside an `oracle://` URL.
ORACLE_DSN_KEY = "dsn"


def is_oracle_dsn(text: str) -> bool:
    """Whether `text` is an Oracle Easy Connect string or connect descriptor (not a URL
    of another scheme, not a bare alias)."""
    text = text.strip()
    if text.startswith("("):
        return True
    match = _EASY_CONNECT.match(text)
    if match is None:
        return False
    has_port = re.search(r":\d", match["hosts"]) is not None
    return has_port or match["path"] is not None or text.lower().startswith(("tcp://", "tcps://"))


class DatabaseUrl(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    scheme: str
    username: str | None = None
    password: SecretStr | None = None
    host: str | None = None
    port: int | None = None
    database: str | None = None
    query: tuple[tuple[str, str], ...] = ()

    @property
    def backend(self) -> str:
        """The scheme without its driver: `postgresql+psycopg` gives `postgresql`."""
        return self.scheme.split("+", 1)[0].lower()

    @classmethod
    def from_oracle_dsn(
        cls, dsn: str, *, username: str | None = None, password: SecretStr | None = None
    ) -> DatabaseUrl:
        """An `oracle://` URL carrying a native connect string in its `dsn` query key."""
        return cls(
            scheme=ORACLE_SCHEME,
            username=username,
            password=password,
            query=((ORACLE_DSN_KEY, dsn.strip()),),
        )

    @classmethod
    def parse(cls, text: str) -> DatabaseUrl:
        """Parse `text`, or fail with a `configuration` error that never echoes a password."""
        shown = mask_credentials(text)
        if "://" not in text:
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"malformed database URL {shown!r}: expected one like postgresql://user@host:5432/dbname",
            )
        try:
            parts = urlsplit(text)
            hostname = parts.hostname
        except ValueError as exc:
            problem = str(exc)
        else:
            problem = ""
        if problem:  # raised outside the handler: no exception text rides along
            raise DbError(ErrorKind.CONFIGURATION, f"malformed database URL {shown!r}: {problem}")
        if not parts.scheme or not parts.scheme[0].isalpha():
            raise DbError(
                ErrorKind.CONFIGURATION, f"malformed database URL {shown!r}: missing scheme"
            )
        try:
            port = parts.port
        except ValueError:
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"malformed database URL {shown!r}: the port must be a number from 0 to 65535",
            ) from None
        if "@" not in parts.netloc and "@" in text.split("://", 1)[1]:
            raise DbError(
                ErrorKind.CONFIGURATION,
                f"malformed database URL {shown!r}: an '@' after the host (user and password "
                "belong before it)",
            )
        password = unquote(parts.password) if parts.password is not None else None
        register_secret(password)
        query = tuple(parse_qsl(parts.query, keep_blank_values=True))
        for name, value in query:
            if is_secret_name(name):  # `?password=...` is a password too
                register_secret(value)
        database = unquote(parts.path[1:]) if parts.path.startswith("/") else unquote(parts.path)
        return cls(
            scheme=parts.scheme,
            username=unquote(parts.username) if parts.username else None,
            password=SecretStr(password) if password is not None else None,
            host=hostname,
            port=port,
            database=database or None,
            query=query,
        )

    def render(self, *, hide_password: bool = True) -> str:
        """The URL as text; the password is `***` unless `hide_password=False`."""
        auth = ""
        if self.username is not None:
            auth = quote(self.username, safe="")
            if self.password is not None:
                secret = MASK if hide_password else quote(self.password.get_secret_value(), safe="")
                auth += f":{secret}"
            auth += "@"
        host = self.host or ""
        if host and ":" in host:  # IPv6 literal
            host = f"[{host}]"
        port = f":{self.port}" if self.port is not None else ""
        path = f"/{self.database}" if self.database is not None else ""
        shown = [
            (name, MASK if hide_password and is_secret_name(name) else value)
            for name, value in self.query
        ]
        query = f"?{urlencode(shown, safe='*')}" if shown else ""
        return f"{self.scheme}://{auth}{host}{port}{path}{query}"

    def __str__(self) -> str:
        return self.render()

    def __repr__(self) -> str:
        return f"DatabaseUrl({self.render()!r})"
