"""URLs, Easy Connect strings, descriptors and discrete settings to one DSN."""

from __future__ import annotations

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.settings import load_settings
from flext_db_oracle.urls import is_oracle_dsn
from flext_db_oracle_oracledb.connect import build_dsn, build_spec
from flext_db_oracle_oracledb.settings import OracleDbSettings

DESCRIPTOR = (
    "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521))"
    "(CONNECT_DATA=(SERVICE_NAME=FREEPDB1)))"
)


def dsn(own: OracleDbSettings | None = None, **settings: object) -> str:
    return build_dsn(load_settings(**settings), own or OracleDbSettings())


@pytest.mark.parametrize(
    ("text", "native"),
    [
        ("db:1521/FREEPDB1", True),
        ("db/FREEPDB1", True),
        ("//db.example.com:1521/sales.example.com:dedicated/inst1", True),
        ("db:1521", True),
        ("tcps://adb.example.com:1522/x_high.adb.oraclecloud.com?retry_count=3", True),
        ("h1:1521,h2:1522/svc", True),
        ("[::1]:1521/svc", True),
        (DESCRIPTOR, True),
        ("myalias", False),
        ("postgresql://u@h/db", False),
        ("sqlite:///x.db", False),
        ("scott/tiger@db:1521/svc", False),
    ],
)
def test_native_dsn_is_told_from_urls_and_aliases(text: str, native: bool) -> None:
    assert is_oracle_dsn(text) is native


def test_easy_connect_url_setting_routes_to_oracle_with_discrete_credentials() -> None:
    settings = load_settings(url="db:1521/FREEPDB1", user="scott", password="tiger-secret")
    assert settings.url_alias() is None
    url = settings.database_url()
    assert url.backend == "oracle"
    assert url.username == "scott"
    assert "tiger-secret" not in url.render()
    assert build_dsn(settings, OracleDbSettings()) == "db:1521/FREEPDB1"


def test_descriptor_passes_through_unchanged() -> None:
    assert dsn(url=DESCRIPTOR) == DESCRIPTOR


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"url": "oracle://scott:pw@db:1521/FREEPDB1"}, "db:1521/FREEPDB1"),
        ({"url": "oracle://scott:pw@db:1521/?service_name=FREEPDB1"}, "db:1521/FREEPDB1"),
        ({"url": "oracle+thin://scott@db/FREEPDB1"}, "db:1521/FREEPDB1"),
        ({"url": "oracle+thick://scott@[::1]:1522/svc"}, "[::1]:1522/svc"),
        ({"url": "oracle://scott@mydb_high"}, "mydb_high"),
        ({"url": "oracle://scott@?dsn=db%3A1521%2FX"}, "db:1521/X"),
        (
            {"driver": "oracle", "host": "db", "port": 1521, "database": "FREEPDB1"},
            "db:1521/FREEPDB1",
        ),
        ({"driver": "oracle", "host": "db", "database": "FREEPDB1"}, "db:1521/FREEPDB1"),
        ({"driver": "oracle", "database": "mydb_high"}, "mydb_high"),
    ],
)
def test_urls_and_discrete_settings_reach_a_service_name(
    settings: dict[str, object], expected: str
) -> None:
    assert dsn(**settings) == expected


def test_url_and_discrete_settings_build_the_same_dsn() -> None:
    from_url = dsn(url="oracle://scott:pw@db.example.com:1521/FREEPDB1")
    discrete = dsn(
        driver="oracle", host="db.example.com", port=1521, database="FREEPDB1", user="scott"
    )
    assert from_url == discrete


def test_sid_only_when_asked_gives_a_descriptor() -> None:
    own = OracleDbSettings(sid="ORCL")
    assert dsn(own, driver="oracle", host="db", port=1521) == (
        "(DESCRIPTION=(ADDRESS=(PROTOCOL=TCP)(HOST=db)(PORT=1521))(CONNECT_DATA=(SID=ORCL)))"
    )
    assert "SID=XE" in dsn(url="oracle://u@db:1521?sid=XE")


def test_sid_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_ORACLEDB_SID", "LEGACY")
    assert OracleDbSettings().sid == "LEGACY"


@pytest.mark.parametrize(
    ("own", "settings", "names"),
    [
        (
            OracleDbSettings(sid="ORCL"),
            {"driver": "oracle", "host": "db", "database": "FREEPDB1"},
            ("FLEXT_DB_ORACLE_DATABASE", "FLEXT_DB_ORACLE_ORACLEDB_SID"),
        ),
        (
            OracleDbSettings(sid="ORCL"),
            {"url": "db:1521/FREEPDB1"},
            ("FLEXT_DB_ORACLE_ORACLEDB_SID",),
        ),
        (OracleDbSettings(), {"url": "oracle://u@db/A?service_name=B"}, ("service_name",)),
        (OracleDbSettings(), {"url": "oracle://u@db/A?encoding=UTF-8"}, ("encoding",)),
        (OracleDbSettings(), {"driver": "oracle", "port": 1521}, ("FLEXT_DB_ORACLE_URL",)),
        (OracleDbSettings(), {"url": "oracle://u@db:1521/svc)(x"}, ("service name",)),
    ],
)
def test_contradictions_are_configuration_errors_naming_the_fields(
    own: OracleDbSettings, settings: dict[str, object], names: tuple[str, ...]
) -> None:
    with pytest.raises(DbError) as caught:
        dsn(own, **settings)
    assert caught.value.kind is ErrorKind.CONFIGURATION
    for name in names:
        assert name in caught.value.message


def test_own_settings_validate_up_front_naming_the_field() -> None:
    with pytest.raises(ValueError, match="FLEXT_DB_ORACLE_ORACLEDB_CCLASS"):
        OracleDbSettings(pool_boundary="statement")
    with pytest.raises(ValueError, match="time zone"):
        OracleDbSettings(session_time_zone="Nowhere/Land'; DROP")


def test_wallet_password_and_password_never_shown() -> None:
    own = OracleDbSettings(wallet_location="/w", wallet_password="wallet-secret-9")
    settings = load_settings(url="oracle://scott:db-secret-7@db:1521/svc")
    spec = build_spec(settings, own, thick=False)
    assert spec.wallet_password is not None
    assert spec.wallet_password.get_secret_value() == "wallet-secret-9"
    for shown in (repr(spec), spec.described(), repr(own), str(settings.redacted())):
        assert "wallet-secret-9" not in shown
        assert "db-secret-7" not in shown
    assert spec.described() == "scott@db:1521/svc"


def test_proxy_user_passes_through() -> None:
    spec = build_spec(
        load_settings(url="oracle://app%5BHR%5D:pw@db/svc"), OracleDbSettings(), thick=False
    )
    assert spec.user == "app[HR]"
    discrete = build_spec(
        load_settings(url="db/svc", user="app[HR]"), OracleDbSettings(), thick=False
    )
    assert discrete.user == "app[HR]"


def test_external_auth_needs_thick_mode_and_no_password() -> None:
    own = OracleDbSettings(externalauth=True)
    with pytest.raises(DbError, match="thick"):
        build_spec(load_settings(url="oracle://db/svc"), own, thick=False)
    with pytest.raises(DbError, match="takes no password"):
        build_spec(load_settings(url="oracle://u:pw@db/svc"), own, thick=True)
    spec = build_spec(load_settings(url="oracle+thick://db/svc"), own, thick=True)
    assert spec.options["externalauth"] is True
    assert spec.user is None


def test_timeouts_map_to_the_driver() -> None:
    spec = build_spec(
        load_settings(url="oracle://u@db/svc", connect_timeout_s=3.5),
        OracleDbSettings(),
        thick=False,
    )
    assert spec.options["tcp_connect_timeout"] == 3.5
