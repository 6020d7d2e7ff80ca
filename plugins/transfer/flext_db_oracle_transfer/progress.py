"""Rows and rows per second on a terminal; nothing when standard error is piped."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

Progress = Callable[[int], None]


def no_progress(_rows: int) -> None:
    """The progress callback that shows nothing."""


@contextmanager
def terminal_progress(description: str) -> Iterator[Progress]:
    """A callback taking the rows done so far, drawing a rich progress line on a terminal."""
    if not sys.stderr.isatty():
        yield no_progress
        return
    from rich.console import Console
    from rich.progress import Progress as RichProgress
    from rich.progress import SpinnerColumn, TextColumn, TimeElapsedColumn

    bar = RichProgress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TextColumn("{task.completed:,} rows"),
        TextColumn("{task.fields[rate]:,.0f} rows/s"),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    with bar:
        task = bar.add_task(description, total=None, rate=0.0)

        def update(rows: int) -> None:
            elapsed = bar.tasks[task].elapsed or 0.0
            bar.update(task, completed=rows, rate=rows / elapsed if elapsed else 0.0)

        yield update
