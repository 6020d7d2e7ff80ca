"""`DatabaseUrl`: parsing, rendering, masking, and errors that never show a password."""

from __future__ import annotations

import uuid

import pytest
from flext_db_oracle import DatabaseUrl, DbError, ErrorKind


def _secret() -> str:
    # Fresh per test: redaction remembers every password it has seen, process-wide, so a
    # reused one would be masked by memory rather than by the code under test.
    return f"pw-{uuid.uuid4().hex[:10]}"


@pytest.mark.parametrize(
    ("text", "database"),
    [
        ("sqlite:///relative.db", "relative.db"),
        ("sqlite:///dir/relative.db", "dir/relative.db"),
        ("sqlite:////abs/path/file.db", "/abs/path/file.db"),
        ("sqlite:///:memory:", ":memory:"),
        ("sqlite://", None),
    ],
)
def test_sqlite_urls_keep_their_path_and_render_back_unchanged(
    text: str, database: str | None
) -> None:
    url = DatabaseUrl.parse(text)

    assert url.scheme == "sqlite"
    assert url.backend == "sqlite"
    assert url.host is None
    assert url.database == database
    assert url.render() == text
    assert DatabaseUrl.parse(url.render()) == url


def test_full_url_is_parsed_into_fields() -> None:
    secret = _secret()

    url = DatabaseUrl.parse(
        f"postgresql+psycopg://scott:{secret}@db.example:5433/sales?sslmode=require&x=1"
    )

    assert url.scheme == "postgresql+psycopg"
    assert url.backend == "postgresql"
    assert url.username == "scott"
    assert url.password is not None
    assert url.password.get_secret_value() == secret
    assert url.host == "db.example"
    assert url.port == 5433
    assert url.database == "sales"
    assert url.query == (("sslmode", "require"), ("x", "1"))


def test_render_masks_the_password_unless_asked_not_to() -> None:
    secret = _secret()
    text = f"mysql://root:{secret}@127.0.0.1:3306/test"
    url = DatabaseUrl.parse(text)

    assert url.render() == "mysql://root:***@127.0.0.1:3306/test"
    assert str(url) == url.render()
    assert secret not in repr(url)
    assert url.render(hide_password=False) == text


def test_percent_encoded_credentials_are_decoded_and_encoded_back() -> None:
    url = DatabaseUrl.parse("oracle://sc%40tt:p%40ss%3Aw%2Frd@host:1521/orcl")

    assert url.username == "sc@tt"
    assert url.password is not None
    assert url.password.get_secret_value() == "p@ss:w/rd"
    assert url.render() == "oracle://sc%40tt:***@host:1521/orcl"
    assert url.render(hide_password=False) == "oracle://sc%40tt:p%40ss%3Aw%2Frd@host:1521/orcl"


def test_ipv6_host_keeps_its_brackets() -> None:
    url = DatabaseUrl.parse("oracle://scott@[::1]:1521/orcl")

    assert url.host == "::1"
    assert url.render() == "oracle://scott@[::1]:1521/orcl"


def test_user_without_password_and_no_credentials() -> None:
    assert DatabaseUrl.parse("mysql://root@h/db").render() == "mysql://root@h/db"
    assert DatabaseUrl.parse("postgresql://h/db").render() == "postgresql://h/db"
    assert DatabaseUrl.parse("postgresql://h/db").username is None


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("postgresql://scott:{secret}@host:notaport/db", id="port-not-a-number"),
        pytest.param("postgresql://scott:{secret}@host:99999/db", id="port-out-of-range"),
        pytest.param("1pg://scott:{secret}@host/db", id="scheme-starts-with-digit"),
        pytest.param("no url at all", id="no-scheme-no-secret"),
    ],
)
def test_malformed_urls_are_configuration_errors_without_the_password(template: str) -> None:
    secret = _secret()
    text = template.format(secret=secret)

    with pytest.raises(DbError) as raised:
        DatabaseUrl.parse(text)

    error = raised.value
    assert error.kind is ErrorKind.CONFIGURATION
    assert "malformed database URL" in error.message
    for shown in (str(error), repr(error), str(error.as_dict())):
        assert secret not in shown


@pytest.mark.parametrize(
    "template",
    [
        pytest.param("scott/{secret}@host:1521/orcl", id="ezconnect-style"),
        pytest.param("scott:{secret}@host/db", id="forgot-the-scheme"),
        pytest.param("://scott:{secret}@host/db", id="empty-scheme"),
    ],
)
def test_scheme_less_urls_do_not_echo_the_password(template: str) -> None:
    secret = _secret()

    with pytest.raises(DbError) as raised:
        DatabaseUrl.parse(template.format(secret=secret))

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert secret not in str(raised.value)


def test_the_port_error_says_what_is_wrong() -> None:
    with pytest.raises(DbError, match="port"):
        DatabaseUrl.parse("postgresql://h:abc/db")
