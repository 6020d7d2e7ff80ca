"""Writes: the Integration API operations of the catalogue, as form-encoded POSTs.

Values are checked against the operation's documented fields before anything is sent
(an unknown field or a missing required one is a `query` error); `company_code` and
`facility_code` come from the settings when the operation takes them and the caller
gave none. The API answers XML (`<root><success>True|False</success><response>
<message>...`): `success` False is a `query` error carrying the server's message.
A POST is never retried (see the HTTP kit); a 401 with OAuth2 is resent once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle_http.client import HttpClient
from pydantic import BaseModel, ConfigDict
from returns.result import Failure, Result, Success

from flext_db_oracle_wms.catalogue import OPERATIONS
from flext_db_oracle_wms.describe import ADAPTER
from flext_db_oracle_wms.settings import WmsSettings

# The answer's two facts, read without an XML parser: the body is never evaluated.
_SUCCESS = re.compile(r"<success>\s*(true|false)\s*</success>", re.IGNORECASE)
_MESSAGE = re.compile(r"<message>(.*?)</message>", re.IGNORECASE | re.DOTALL)


class OperationOutcome(BaseModel):
    """What the server answered to an Integration API operation."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    operation: str
    status: int
    success: bool | None
    message: str | None
    body: str


def _query_error(message: str) -> DbError:
    return DbError(ErrorKind.QUERY, message, adapter=ADAPTER)


def _form(settings: WmsSettings, operation: str, values: Mapping[str, Any]) -> dict[str, str]:
    spec = OPERATIONS.get(operation)
    if spec is None:
        raise _query_error(
            f"unknown WMS operation {operation!r}; known: {', '.join(sorted(OPERATIONS))}"
        )
    form = {key: str(value) for key, value in values.items()}
    for key, default in (
        ("company_code", settings.company_code),
        ("facility_code", settings.facility_code),
    ):
        if key in spec.fields and key not in form and default is not None:
            form[key] = default
    unknown = sorted(set(form) - set(spec.fields))
    if unknown:
        raise _query_error(f"{operation} takes no field {', '.join(unknown)}")
    missing = [key for key in spec.required if key not in form]
    if missing:
        raise _query_error(f"{operation} needs {', '.join(missing)}")
    return form


def run_operation(
    client: HttpClient, settings: WmsSettings, operation: str, values: Mapping[str, Any]
) -> Result[OperationOutcome, DbError]:
    try:
        form = _form(settings, operation, values)
    except DbError as error:
        return Failure(error)
    url = settings.integration_base() + OPERATIONS[operation].path
    sent = client.request("POST", url, data=form)
    if isinstance(sent, Failure):
        return Failure(sent.failure())
    response = sent.unwrap()
    body = response.text
    success = _SUCCESS.search(body)
    message = _MESSAGE.search(body)
    outcome = OperationOutcome(
        operation=operation,
        status=response.status_code,
        success=None if success is None else success.group(1).lower() == "true",
        message=None if message is None else " ".join(message.group(1).split()),
        body=body,
    )
    if outcome.success is False:
        return Failure(
            DbError(
                ErrorKind.QUERY,
                f"{operation} refused: {outcome.message or 'no message'}",
                code=str(response.status_code),
                adapter=ADAPTER,
                detail={"operation": operation},
            )
        )
    return Success(outcome)
