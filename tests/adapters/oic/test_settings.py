"""OicSettings from FLEXT_DB_ORACLE_OIC_* variables and from a profile's [oic] table."""

from __future__ import annotations

from pathlib import Path

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle.settings import DatabaseSettings, load_adapter_settings, load_settings
from flext_db_oracle_oic.plugin import create_oic
from flext_db_oracle_oic.settings import OicSettings


def test_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    env = {
        "BASE_URL": "http://127.0.0.1:8080/ic/api/integration/v1",
        "CLIENT_ID": "cid",
        "CLIENT_SECRET": "env-client-secret",
        "TOKEN_URL": "http://127.0.0.1:8081/oauth2/v1/token",
        "SCOPE": "urn:opc:resource:consumer:all",
        "TIMEOUT_S": "12.5",
        "PAGE_SIZE": "25",
        "INTEGRATION_INSTANCE": "oic-gen3",
    }
    for name, value in env.items():
        monkeypatch.setenv(f"FLEXT_DB_ORACLE_OIC_{name}", value)
    settings = load_adapter_settings(OicSettings, load_settings())
    assert settings.base_url == "http://127.0.0.1:8080/ic/api/integration/v1/"
    assert settings.auth_scheme == "oauth2"
    assert (settings.timeout_s, settings.page_size) == (12.5, 25)
    assert settings.integration_instance == "oic-gen3"
    assert settings.client_secret is not None
    assert settings.client_secret.get_secret_value() == "env-client-secret"


def test_from_a_profile(tmp_path: Path) -> None:
    profiles = tmp_path / "profiles.toml"
    profiles.write_text(
        "[profiles.ops.oic]\n"
        'base_url = "http://127.0.0.1:9000/ic/api/integration/v1/"\n'
        'username = "ops"\n'
        'password = "profile-password"\n',
        encoding="utf-8",
    )
    settings = load_adapter_settings(
        OicSettings, load_settings(profile="ops", profiles_file=profiles)
    )
    assert settings.auth_scheme == "basic"
    assert settings.page_size == 100


def test_incomplete_oauth_is_a_configuration_error_without_the_secret(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_BASE_URL", "http://127.0.0.1:1/")
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_CLIENT_ID", "cid")
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_CLIENT_SECRET", "lonely-client-secret")
    with pytest.raises(DbError) as raised:
        load_adapter_settings(OicSettings, load_settings())
    assert raised.value.kind is ErrorKind.CONFIGURATION
    assert "FLEXT_DB_ORACLE_OIC_" in raised.value.message
    assert "lonely-client-secret" not in str(raised.value)


def test_unconfigured_loads_and_the_factory_refuses_it() -> None:
    settings = load_adapter_settings(OicSettings, load_settings())
    assert settings.base_url is None
    with pytest.raises(DbError, match="FLEXT_DB_ORACLE_OIC_BASE_URL") as raised:
        create_oic(DatabaseSettings(), settings)
    assert raised.value.kind is ErrorKind.CONFIGURATION


@pytest.mark.parametrize("url", ["ftp://oic.example.com/", "https://user:pw@oic/x/"])
def test_a_bad_base_url_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("FLEXT_DB_ORACLE_OIC_BASE_URL", url)
    with pytest.raises(DbError, match="BASE_URL") as raised:
        load_adapter_settings(OicSettings, load_settings())
    assert raised.value.kind is ErrorKind.CONFIGURATION
