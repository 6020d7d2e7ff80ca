"""Secret redaction and the `DbError` type."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator

import pytest
import structlog
from flext_db_oracle import DbError, ErrorKind
from flext_db_oracle.logs import configure_logging, get_logger, redact_secrets
from flext_db_oracle.redaction import MASK, redact, register_secret


def _secret() -> str:
    return f"s3cr3t-{uuid.uuid4().hex[:10]}"


# --- redaction ---------------------------------------------------------------------------


def test_a_password_inside_any_url_is_masked_without_registration() -> None:
    secret = _secret()

    text = redact(
        f"cannot reach oracle://scott:{secret}@db:1521/orcl (twice: mysql://u:{secret}@h)"
    )

    assert secret not in text
    assert "oracle://scott:***@db:1521/orcl" in text
    assert "mysql://u:***@h" in text


def test_a_registered_secret_is_masked_anywhere() -> None:
    secret = _secret()
    assert redact(f"the password is {secret}.") == f"the password is {secret}."

    register_secret(secret)

    assert redact(f"the password is {secret}.") == f"the password is {MASK}."
    assert redact(f"{secret},{secret}") == f"{MASK},{MASK}"


def test_a_registered_secret_is_masked_as_a_whole_token_only() -> None:
    register_secret("test")

    assert redact('relation "x_test" does not exist') == 'relation "x_test" does not exist'
    assert redact("password test refused") == f"password {MASK} refused"


def test_structure_finds_secrets_nobody_registered() -> None:
    assert redact("postgresql://u:p@ss@h/db") == f"postgresql://u:{MASK}@h/db"
    assert redact("postgresql://u@h/db?password=hunter22&sslmode=require") == (
        f"postgresql://u@h/db?password={MASK}&sslmode=require"
    )
    assert redact("client_secret=abc token=xyz") == f"client_secret={MASK} token={MASK}"


def test_very_short_secrets_are_not_registered() -> None:
    register_secret("ab")
    register_secret("")
    register_secret(None)

    assert redact("a cab, a tab") == "a cab, a tab"


def test_the_longest_secret_is_masked_first() -> None:
    short = _secret()
    longer = short + "-and-more"
    register_secret(short)
    register_secret(longer)

    assert redact(f"x {longer} y") == f"x {MASK} y"


def test_text_without_secrets_is_unchanged() -> None:
    text = "select a:b from t where x = :name -- https://example.org/a:b"

    assert redact(text) == text


def test_the_log_processor_masks_every_string_value() -> None:
    secret = _secret()
    register_secret(secret)

    event = redact_secrets(
        None, "info", {"event": f"login {secret}", "url": f"pg://u:{secret}@h", "n": 3}
    )

    assert event == {"event": f"login {MASK}", "url": f"pg://u:{MASK}@h", "n": 3}


@pytest.fixture
def restore_structlog() -> Iterator[None]:
    """structlog and the framework's stdlib loggers as they were, after the test."""
    was_configured = structlog.is_configured()
    previous = structlog.get_config()
    framework = logging.getLogger("flext_db_oracle")
    saved = (framework.level, list(framework.handlers), framework.propagate)
    yield
    structlog.reset_defaults()
    if was_configured:
        structlog.configure(**previous)
    framework.setLevel(saved[0])
    framework.handlers[:] = saved[1]
    framework.propagate = saved[2]


@pytest.mark.usefixtures("restore_structlog")
@pytest.mark.parametrize("fmt", ["console", "json"])
def test_configured_logging_never_prints_a_registered_secret(
    fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    secret = _secret()
    register_secret(secret)
    configure_logging("INFO", fmt)  # type: ignore[arg-type]

    get_logger("flext_db_oracle.test").warning("connecting", url=f"x://u:{secret}@h", note=secret)

    err = capsys.readouterr().err
    assert "connecting" in err
    assert secret not in err
    if fmt == "json":
        assert json.loads(err.strip().splitlines()[-1])["note"] == MASK


@pytest.mark.usefixtures("restore_structlog")
def test_unconfigured_logging_goes_through_stdlib_and_is_redacted(
    caplog: pytest.LogCaptureFixture,
) -> None:
    structlog.reset_defaults()
    secret = _secret()
    register_secret(secret)
    caplog.set_level(logging.DEBUG, logger="flext_db_oracle.test")

    get_logger("flext_db_oracle.test").info("hello", secret=secret)

    assert "hello" in caplog.text
    assert secret not in caplog.text


# --- DbError -------------------------------------------------------------------------------


def test_str_shows_kind_code_and_message() -> None:
    with_code = DbError(ErrorKind.NOT_FOUND, "no such table: t", code="SQLITE_ERROR")
    without = DbError(ErrorKind.QUERY, "bad")

    assert str(with_code) == "not_found error [SQLITE_ERROR]: no such table: t"
    assert str(without) == "query error: bad"
    assert "kind='not_found'" in repr(with_code)
    assert "code='SQLITE_ERROR'" in repr(with_code)


def test_as_dict_is_json_ready() -> None:
    error = DbError(
        ErrorKind.INTEGRITY,
        "duplicate",
        code="23505",
        adapter="sqlalchemy",
        detail={"row_index": 7},
    )

    data = error.as_dict()

    assert data == {
        "kind": "integrity",
        "code": "23505",
        "message": "duplicate",
        "retryable": False,
        "adapter": "sqlalchemy",
        "detail": {"row_index": 7},
    }
    assert json.loads(json.dumps(data)) == data


@pytest.mark.parametrize(
    ("kind", "retryable"),
    [(kind, kind in {ErrorKind.CONNECTION, ErrorKind.TIMEOUT}) for kind in ErrorKind],
    ids=[kind.value for kind in ErrorKind],
)
def test_retryable_defaults_by_kind(kind: ErrorKind, retryable: bool) -> None:
    assert DbError(kind, "x").retryable is retryable


def test_retryable_can_be_set_either_way() -> None:
    assert DbError(ErrorKind.QUERY, "deadlock", retryable=True).retryable is True
    assert DbError(ErrorKind.CONNECTION, "bad host name", retryable=False).retryable is False


def test_the_message_is_one_line_and_redacted() -> None:
    secret = _secret()

    error = DbError(ErrorKind.CONNECTION, f"cannot reach\n  pg://u:{secret}@h\tnow")

    assert error.message == "cannot reach pg://u:***@h now"
    assert secret not in str(error)
    assert secret not in repr(error)
    assert secret not in json.dumps(error.as_dict())


def test_detail_cannot_be_changed_afterwards() -> None:
    given = {"row_index": 1}
    error = DbError(ErrorKind.INTEGRITY, "x", detail=given)
    given["row_index"] = 2

    assert error.detail["row_index"] == 1
    with pytest.raises(TypeError):
        error.detail["row_index"] = 3  # type: ignore[index]


def test_errors_compare_by_value_and_can_be_raised() -> None:
    one = DbError(ErrorKind.QUERY, "bad", code="42601")
    same = DbError(ErrorKind.QUERY, "bad", code="42601")
    other = DbError(ErrorKind.QUERY, "bad", code="42P01")

    assert one == same
    assert hash(one) == hash(same)
    assert one != other
    assert isinstance(one, Exception)
    with pytest.raises(DbError) as raised:
        raise one
    assert raised.value is one
