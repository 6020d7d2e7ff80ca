"""Log events, through the host's structlog when it has configured one, otherwise
through the standard library's `logging`.

An embedding that configured structlog gets every event there (add
`redact_secrets` to its processor chain). Otherwise events go to stdlib loggers
under `flext_db_oracle`, rendered `event key=value ...` with every registered
secret masked; unconfigured, only warnings show, as a library's should. The CLI
sets those loggers up with `configure_logging` (console lines for people, JSON
lines for machines) without importing structlog at all, which keeps its start-up
short.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections.abc import Mapping, MutableMapping
from functools import cache
from typing import Any, Literal

from flext_db_oracle.redaction import redact

ROOT_LOGGER = "flext_db_oracle"


def redact_secrets(
    _logger: object, _method: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: mask passwords in every string value of the event."""
    for key, value in event_dict.items():
        if isinstance(value, str):
            event_dict[key] = redact(value)
    return event_dict


def _structlog_configured() -> bool:
    """Whether the host configured structlog (never imports it to find out)."""
    structlog: Any = sys.modules.get("structlog")
    return structlog is not None and bool(structlog.is_configured())


def get_logger(name: str) -> Any:
    """A logger with `debug/info/warning/error(event, **fields)`: structlog's lazy
    proxy when the host configured structlog, else one over stdlib `logging`."""
    if _structlog_configured():
        import structlog

        return structlog.get_logger(name)
    return _events(name)


def debug_enabled(name: str) -> bool:
    """Whether a debug event of `name` can be shown: checked before building one,
    since statements are logged at debug on the hot path."""
    if _structlog_configured():
        return True  # the host's structlog filters by level itself, cheaply
    return _stdlib_logger(name).isEnabledFor(logging.DEBUG)


@cache
def _stdlib_logger(name: str) -> logging.Logger:
    """`logging.getLogger` takes a lock per call; loggers live as long as the process."""
    return logging.getLogger(name)


class _Events:
    """Structured events onto one stdlib logger: the fields travel in `extra`, and the
    message reads `event key=value ...` (values as `repr`), secrets masked."""

    def __init__(self, logger: logging.Logger) -> None:
        self._logger = logger

    def _emit(self, level: int, event: str, fields: Mapping[str, Any]) -> None:
        if not self._logger.isEnabledFor(level):
            return
        shown = {key: _masked(value) for key, value in fields.items()}
        text = " ".join([redact(event), *(f"{key}={value!r}" for key, value in shown.items())])
        self._logger.log(level, "%s", text, extra={"event_fields": {"event": event, **shown}})

    def debug(self, event: str, **fields: Any) -> None:
        self._emit(logging.DEBUG, event, fields)

    def info(self, event: str, **fields: Any) -> None:
        self._emit(logging.INFO, event, fields)

    def warning(self, event: str, **fields: Any) -> None:
        self._emit(logging.WARNING, event, fields)

    def error(self, event: str, **fields: Any) -> None:
        self._emit(logging.ERROR, event, fields)


@cache
def _events(name: str) -> _Events:
    return _Events(_stdlib_logger(name))


def _masked(value: Any) -> Any:
    return redact(value) if isinstance(value, str) else value


def _stamp(record: logging.LogRecord) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created))


class _ConsoleFormatter(logging.Formatter):
    """`2026-11-26T10:00:00Z [warning] slow statement adapter='sqlite' ...`"""

    def format(self, record: logging.LogRecord) -> str:
        return redact(f"{_stamp(record)} [{record.levelname.lower():<7}] {record.getMessage()}")


class _JsonFormatter(logging.Formatter):
    """One JSON object per line: timestamp, level, event and the event's fields."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "event_fields", None) or {"event": record.getMessage()}
        document = {
            "timestamp": _stamp(record),
            "level": record.levelname.lower(),
            **{key: _masked(value) for key, value in fields.items()},
        }
        return redact(json.dumps(document, default=str, ensure_ascii=False))


def configure_logging(level: str = "WARNING", fmt: Literal["console", "json"] = "console") -> None:
    """Send the framework's events (the `flext_db_oracle` loggers) to stderr at `level`,
    as console lines or JSON lines. The CLI calls it; hosts with their own logging set-up
    skip it (and add `redact_secrets` to a structlog chain)."""
    logger = logging.getLogger(ROOT_LOGGER)
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_JsonFormatter() if fmt == "json" else _ConsoleFormatter())
    logger.handlers[:] = [handler]
    logger.setLevel(logging.getLevelNamesMapping()[level])
    logger.propagate = False
