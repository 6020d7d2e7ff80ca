"""`OicSettings`: `FLEXT_DB_ORACLE_OIC_*` variables or `[profiles.NAME.oic]`.

`BASE_URL` is the whole API base, through `/ic/api/integration/v1/`
(`http://127.0.0.1:8080/ic/api/integration/v1/` works for a local gateway). Auth is
the HTTP kit's: `CLIENT_ID` + `CLIENT_SECRET` + `TOKEN_URL` (+ `SCOPE`) for OAuth2
client credentials, else `USERNAME` + `PASSWORD` for basic.
"""

from __future__ import annotations

from flext_db_oracle.settings import adapter_settings_config
from flext_db_oracle_http.settings import HttpSettings
from pydantic import Field


class OicSettings(HttpSettings):
    """One Oracle Integration instance."""

    model_config = adapter_settings_config("oic")

    # Unset on an install that does not use OIC, so that `flext-db-oracle config` (which
    # loads every adapter's settings) still works there; building the adapter refuses it.
    # A value given is checked by the kit's validator (defaults are not validated).
    base_url: str | None = Field(  # type: ignore[assignment]
        default=None,
        description="the whole API base, e.g. https://HOST/ic/api/integration/v1/",
    )
    page_size: int = Field(default=100, ge=1, description="items asked per page (limit)")
    integration_instance: str | None = Field(
        default=None,
        description="Gen3 service instance name, sent as ?integrationInstance= on every call",
    )
