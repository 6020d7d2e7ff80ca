"""Optional libraries, imported when first used."""

from __future__ import annotations

import importlib
from types import ModuleType

from flext_db_oracle.errors import DbError, ErrorKind

_EXTRAS = {"polars": "polars", "pandas": "pandas"}


def require(module: str) -> ModuleType:
    """`module`, or a `configuration` error saying which extra installs it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        extra = _EXTRAS.get(module, module)
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"{module} is not installed: pip install 'flext-db-oracle-dataframes[{extra}]'",
        ) from None
