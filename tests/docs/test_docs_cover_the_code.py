"""Documentation tests: every hook, settings field and built-in command is documented.

In the manner of datasette's documentation tests: each item is its own test case,
so a missing one names itself.
"""

from __future__ import annotations

import inspect
import re
from functools import cache
from pathlib import Path

import pytest
from flext_db_oracle import hookspecs
from flext_db_oracle.cli.builtin import BUILTIN_COMMANDS
from flext_db_oracle.settings import DatabaseSettings
from pydantic import BaseModel

DOCS = Path(__file__).resolve().parents[2] / "docs"


@cache
def page(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


@cache
def all_pages() -> str:
    return "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.rglob("*.md")))


def mentions(text: str, name: str) -> bool:
    """`name` appears as a whole word (so `port` is not found inside `pool.pre_ping`)."""
    return re.search(rf"(?<![\w.]){re.escape(name)}(?![\w])", text) is not None


def hook_specs() -> list[str]:
    return sorted(
        name
        for name, function in inspect.getmembers(hookspecs, inspect.isfunction)
        if hookspecs.hookspec.project_name + "_spec" in vars(function)
    )


def settings_fields(model: type[BaseModel] = DatabaseSettings, prefix: str = "") -> list[str]:
    names: list[str] = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            names.extend(settings_fields(annotation, f"{prefix}{name}."))
        else:
            names.append(f"{prefix}{name}")
    return names


def test_the_collections_are_not_empty() -> None:
    assert "register_adapters" in hook_specs()
    assert "pool.size" in settings_fields()
    assert BUILTIN_COMMANDS


@pytest.mark.parametrize("hook", hook_specs())
def test_every_hook_spec_is_in_the_plugin_guide(hook: str) -> None:
    assert mentions(page("writing-a-plugin.md"), hook), f"{hook} is not in writing-a-plugin.md"


@pytest.mark.parametrize("field", settings_fields())
def test_every_settings_field_is_in_the_configuration_page(field: str) -> None:
    assert mentions(page("configuration.md"), f"`{field}`"), f"{field} is not in configuration.md"


@pytest.mark.parametrize("command", [name for name, _, _ in BUILTIN_COMMANDS])
def test_every_builtin_command_is_documented(command: str) -> None:
    assert mentions(all_pages(), f"`{command}"), f"command {command} is in no page under docs/"
