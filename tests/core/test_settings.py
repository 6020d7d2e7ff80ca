"""Settings: environment, nesting, defaults, TOML profiles and their precedence, redaction."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import pytest
from flext_db_oracle import DatabaseSettings, DbError, ErrorKind, PoolSettings, load_settings


def _secret() -> str:
    return f"pw-{uuid.uuid4().hex[:10]}"


PROFILES = """
[profiles.dev]
url = "postgresql://dev@profile-host/devdb"
stream_batch_size = 70

[profiles.prod]
url = "oracle://app@prod-host:1521/orcl"
slow_statement_ms = 250.0

[profiles.prod.pool]
size = 20
"""


@pytest.fixture
def profiles_file(tmp_path: Path) -> Path:
    path = tmp_path / "profiles.toml"
    path.write_text(PROFILES, encoding="utf-8")
    return path


def test_with_nothing_configured_the_default_is_a_sqlite_file_here() -> None:
    settings = load_settings()

    url = settings.database_url()
    assert url.backend == "sqlite"
    assert url.database == "flext_db_oracle.db"
    assert url.render() == "sqlite:///flext_db_oracle.db"
    assert settings.pool == PoolSettings()
    assert settings.stream_batch_size == 1000


def test_environment_variables_use_the_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_URL", "postgresql://env-user@env-host:5432/envdb")
    monkeypatch.setenv("FLEXT_DB_ORACLE_STREAM_BATCH_SIZE", "250")
    monkeypatch.setenv("FLEXT_DB_ORACLE_LOG_LEVEL", "DEBUG")

    settings = load_settings()

    assert settings.database_url().host == "env-host"
    assert settings.database_url().database == "envdb"
    assert settings.stream_batch_size == 250
    assert settings.log_level == "DEBUG"


def test_double_underscore_nests_into_the_pool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_POOL__SIZE", "3")
    monkeypatch.setenv("FLEXT_DB_ORACLE_POOL__PRE_PING", "false")
    monkeypatch.setenv("FLEXT_DB_ORACLE_POOL__TIMEOUT_S", "2.5")

    pool = load_settings().pool

    assert pool.size == 3
    assert pool.pre_ping is False
    assert pool.timeout_s == 2.5
    assert pool.max_overflow == PoolSettings().max_overflow


def test_an_invalid_value_is_a_configuration_error_naming_the_field(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_POOL__SIZE", "0")

    with pytest.raises(DbError) as raised:
        load_settings()

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "pool.size" in raised.value.message


def test_discrete_fields_build_the_url(monkeypatch: pytest.MonkeyPatch) -> None:
    secret = _secret()
    monkeypatch.setenv("FLEXT_DB_ORACLE_DRIVER", "postgresql")
    monkeypatch.setenv("FLEXT_DB_ORACLE_HOST", "db.example")
    monkeypatch.setenv("FLEXT_DB_ORACLE_PORT", "6543")
    monkeypatch.setenv("FLEXT_DB_ORACLE_USER", "scott")
    monkeypatch.setenv("FLEXT_DB_ORACLE_PASSWORD", secret)
    monkeypatch.setenv("FLEXT_DB_ORACLE_DATABASE", "sales")

    url = load_settings().database_url()

    assert url.render() == "postgresql://scott:***@db.example:6543/sales"
    assert url.password is not None
    assert url.password.get_secret_value() == secret


def test_discrete_fields_without_a_driver_are_refused() -> None:
    settings = load_settings(host="db.example", database="sales")

    with pytest.raises(DbError) as raised:
        settings.database_url()

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "FLEXT_DB_ORACLE_DRIVER" in raised.value.message


def test_a_password_field_fills_a_url_without_one() -> None:
    secret = _secret()

    url = load_settings(url="postgresql://scott@h/db", password=secret).database_url()

    assert url.password is not None
    assert url.password.get_secret_value() == secret


def test_a_bad_url_fails_early_as_configuration() -> None:
    with pytest.raises(DbError) as raised:
        load_settings(url="postgresql://h:port/db")

    assert raised.value.kind is ErrorKind.CONFIGURATION


def test_precedence_is_overrides_then_profile_then_environment(
    monkeypatch: pytest.MonkeyPatch, profiles_file: Path
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_URL", "postgresql://env@env-host/envdb")
    monkeypatch.setenv("FLEXT_DB_ORACLE_STREAM_BATCH_SIZE", "50")
    monkeypatch.setenv("FLEXT_DB_ORACLE_SLOW_STATEMENT_MS", "5")
    monkeypatch.setenv("FLEXT_DB_ORACLE_POOL__SIZE", "9")

    settings = load_settings(
        profile="dev", profiles_file=profiles_file, stream_batch_size=90, url=None
    )

    assert settings.database_url().host == "profile-host"  # profile beats environment
    assert settings.stream_batch_size == 90  # override beats profile and environment
    assert settings.slow_statement_ms == 5  # environment where nothing else says
    assert settings.pool.size == 9


def test_a_profile_can_nest_pool_settings(profiles_file: Path) -> None:
    settings = load_settings(profile="prod", profiles_file=profiles_file)

    assert settings.database_url().backend == "oracle"
    assert settings.pool.size == 20
    assert settings.slow_statement_ms == 250.0


def test_the_profiles_file_can_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, profiles_file: Path
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_PROFILES", str(profiles_file))

    assert load_settings(profile="dev").database_url().database == "devdb"


def test_a_profiles_file_in_the_current_directory_is_found(
    clean_environment: Path, profiles_file: Path
) -> None:
    (clean_environment / "flext-db-oracle.toml").write_text(
        profiles_file.read_text(encoding="utf-8"), encoding="utf-8"
    )

    assert load_settings(profile="prod").pool.size == 20


def test_a_missing_profile_lists_the_known_ones(profiles_file: Path) -> None:
    with pytest.raises(DbError) as raised:
        load_settings(profile="staging", profiles_file=profiles_file)

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "'staging'" in raised.value.message
    assert "dev, prod" in raised.value.message


def test_a_missing_profiles_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"

    with pytest.raises(DbError) as raised:
        load_settings(profile="dev", profiles_file=missing)

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert str(missing) in raised.value.message
    assert "FLEXT_DB_ORACLE_PROFILES" in raised.value.message


def test_an_unreadable_profiles_file_is_a_configuration_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[profiles.dev\nurl = ", encoding="utf-8")

    with pytest.raises(DbError) as raised:
        load_settings(profile="dev", profiles_file=broken)

    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert str(broken) in raised.value.message


def test_redacted_settings_hold_no_password() -> None:
    in_url, in_field = _secret(), _secret()
    settings = load_settings(url=f"postgresql://scott:{in_url}@h:5432/db", password=in_field)

    shown = settings.redacted()
    text = json.dumps(shown)

    assert shown["url"] == "postgresql://scott:***@h:5432/db"
    assert shown["password"] == "***"
    assert shown["pool"]["size"] == 5
    for secret in (in_url, in_field):
        assert secret not in text
        assert secret not in repr(settings)
        assert secret not in str(settings)


def test_settings_are_frozen() -> None:
    settings = DatabaseSettings()

    with pytest.raises(ValueError, match="frozen"):
        settings.stream_batch_size = 5  # type: ignore[misc]
