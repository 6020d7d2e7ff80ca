"""structlog set-up for hosts that have none: console for people, JSON for machines.

Whatever the format, `redact_secrets` runs last before rendering, so no
registered password reaches a log line.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import MutableMapping
from functools import cache
from typing import Any, Literal

import structlog

from flext_db_oracle.redaction import redact


def redact_secrets(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask passwords in every string value of the event."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = redact(value)
    return event_dict


def get_logger(name: str) -> Any:
    """structlog's logger when the host configured structlog; otherwise one that goes
    through the standard library's `logging`, so an unconfigured embedding prints
    only warnings (to stderr), as libraries should."""
    return _logger(name, structlog.is_configured())


def debug_enabled(name: str) -> bool:
    """Whether a debug event of `name` can be shown: checked before building one,
    since statements are logged at debug on the hot path."""
    if structlog.is_configured():
        return True  # the host's structlog filters by level itself, cheaply
    return _stdlib_logger(name).isEnabledFor(logging.DEBUG)


@cache
def _stdlib_logger(name: str) -> logging.Logger:
    """`logging.getLogger` takes a lock per call; loggers live as long as the process."""
    return logging.getLogger(name)


@cache
def _logger(name: str, structlog_configured: bool) -> Any:
    if structlog_configured:
        return structlog.get_logger(name)  # a lazy proxy: follows later reconfiguration
    return structlog.wrap_logger(
        logging.getLogger(name),
        processors=[
            structlog.stdlib.filter_by_level,
            redact_secrets,
            structlog.processors.KeyValueRenderer(key_order=["event"]),
        ],
        wrapper_class=structlog.stdlib.BoundLogger,
    )


def configure_logging(level: str = "WARNING", fmt: Literal["console", "json"] = "console") -> None:
    """Configure structlog for the process. Hosts with their own set-up skip this
    and add `redact_secrets` to their processor chain instead."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            redact_secrets,
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelNamesMapping()[level]),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=False,
    )
