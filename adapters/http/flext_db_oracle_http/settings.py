"""`HttpSettings`: the fields every HTTP connector shares, to subclass with its own section.

    class WmsSettings(HttpSettings):
        model_config = adapter_settings_config("wms")   # FLEXT_DB_ORACLE_WMS_*

Authentication follows what is set: `CLIENT_ID` (with `CLIENT_SECRET` and `TOKEN_URL`)
means OAuth2 client credentials, else `USERNAME` (with `PASSWORD`) means HTTP basic,
else no authentication (a local gateway). This module imports no HTTP library, so a
plugin can name its settings model without loading httpx.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from flext_db_oracle.redaction import register_secret
from flext_db_oracle.retry import RetryPolicy
from flext_db_oracle.settings import AdapterSettings
from pydantic import Field, SecretStr, field_validator, model_validator

AuthScheme = Literal["oauth2", "basic", "none"]


def _http_url(value: str | None, name: str) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ValueError(f"{name} must be an http:// or https:// URL with a host")
    if parts.username or parts.password:
        raise ValueError(f"{name} must not carry credentials; use the USERNAME/PASSWORD fields")
    return value.strip()


class HttpSettings(AdapterSettings):
    """Base URL, authentication, timeouts, page size and retries of one HTTP service."""

    # Empty means "not configured": the model still loads (for `flext-db-oracle config`),
    # the clients refuse to start without it.
    base_url: str = Field(
        default="", description="the whole base URL of the API, e.g. https://h/env/wms/lgfapi/v10/"
    )
    username: str | None = Field(default=None, description="HTTP basic user")
    password: SecretStr | None = Field(default=None, description="HTTP basic password")
    client_id: str | None = Field(default=None, description="OAuth2 client id")
    client_secret: SecretStr | None = Field(default=None, description="OAuth2 client secret")
    token_url: str | None = Field(
        default=None, description="OAuth2 token endpoint, e.g. https://idcs-x/oauth2/v1/token"
    )
    scope: str | None = Field(
        default=None, description="OAuth2 scope, e.g. urn:opc:resource:consumer:all"
    )
    timeout_s: float = Field(default=30.0, gt=0, description="read timeout of one request")
    connect_timeout_s: float = Field(default=10.0, gt=0, description="TCP/TLS connect timeout")
    page_size: int = Field(default=500, ge=1, description="records per page")
    ca_file: str | None = Field(default=None, description="CA bundle for TLS verification")
    retry: RetryPolicy = Field(
        default_factory=RetryPolicy,
        description="retries of idempotent requests (RETRY__ATTEMPTS, RETRY__BUDGET_S...)",
    )

    @field_validator("base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None:  # a subclass may declare the field optional
            return None
        if not value.strip():
            return ""
        checked = _http_url(value, "BASE_URL") or value
        return checked if checked.endswith("/") else checked + "/"

    @field_validator("token_url")
    @classmethod
    def _token_url(cls, value: str | None) -> str | None:
        return _http_url(value, "TOKEN_URL")

    @model_validator(mode="after")
    def _complete_auth(self) -> HttpSettings:
        for secret in (self.password, self.client_secret):
            if secret is not None:
                register_secret(secret.get_secret_value())
        if self.client_id is not None and (self.client_secret is None or self.token_url is None):
            raise ValueError("OAuth2 needs CLIENT_ID, CLIENT_SECRET and TOKEN_URL together")
        if self.username is not None and self.password is None:
            raise ValueError("HTTP basic authentication needs USERNAME and PASSWORD together")
        return self

    @property
    def auth_scheme(self) -> AuthScheme:
        if self.client_id is not None:
            return "oauth2"
        return "basic" if self.username is not None else "none"
