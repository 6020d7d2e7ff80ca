"""`WmsSettings`: `FLEXT_DB_ORACLE_WMS_*` variables or a `[profiles.NAME.wms]` table."""

from __future__ import annotations

from typing import Literal

from flext_db_oracle.settings import adapter_settings_config
from flext_db_oracle_http.settings import HttpSettings
from pydantic import Field, field_validator

PageMode = Literal["paged", "sequenced"]

_REST_SUFFIX = "/lgfapi/v10/"
_INTEGRATION_SUFFIX = "/api/"


class WmsSettings(HttpSettings):
    """The HTTP kit's fields (BASE_URL through `/wms/lgfapi/v10/`, USERNAME/PASSWORD or
    CLIENT_ID/CLIENT_SECRET/TOKEN_URL/SCOPE, TIMEOUT_S, PAGE_SIZE, RETRY__*) plus WMS's own."""

    model_config = adapter_settings_config("wms")

    page_mode: PageMode = Field(
        default="paged",
        description="paged (page_nbr/page_count) or sequenced (a server cursor; large extracts)",
    )
    company_code: str | None = Field(
        default=None, description="company context: reads filter company_id__code, writes send it"
    )
    facility_code: str | None = Field(
        default=None,
        description="facility context: reads filter facility_id__code, writes send it",
    )
    overlap_s: float = Field(
        default=300.0, ge=0, description="incremental reads re-read this much before the mark"
    )
    integration_url: str | None = Field(
        default=None,
        description="Integration API base on BASE_URL's origin; default: BASE_URL with "
        "/lgfapi/v10/ -> /api/",
    )

    @field_validator("integration_url")
    @classmethod
    def _slash(cls, value: str | None) -> str | None:
        return None if value is None else value.rstrip("/") + "/"

    def integration_base(self) -> str:
        """The Integration API base URL (`https://host/env/wms/api/`)."""
        if self.integration_url is not None:
            return self.integration_url
        if self.base_url.endswith(_REST_SUFFIX):
            return self.base_url.removesuffix(_REST_SUFFIX) + _INTEGRATION_SUFFIX
        return self.base_url
