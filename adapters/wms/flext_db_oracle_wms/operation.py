"""An Integration API operation, as the generated catalogue describes it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Operation:
    """A form-encoded POST of the WMS Integration API (`.../wms/api/<path>`)."""

    path: str
    summary: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
