"""File formats by extension, and writing a file so that a failure leaves none."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from flext_db_oracle.errors import DbError, ErrorKind

FileFormat = Literal["csv", "jsonl", "parquet"]
FILE_FORMATS: tuple[FileFormat, ...] = ("csv", "jsonl", "parquet")
_BY_SUFFIX: dict[str, FileFormat] = {
    ".csv": "csv",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".parquet": "parquet",
    ".pq": "parquet",
}
STDIO = "-"


def file_format_for(path: str, explicit: FileFormat | None) -> FileFormat:
    """`explicit`, else the format `path`'s extension names; a `configuration` error
    when neither says (standard input/output needs `explicit` or means CSV)."""
    if explicit is not None:
        return explicit
    if path == STDIO:
        return "csv"
    found = _BY_SUFFIX.get(Path(path).suffix.lower())
    if found is None:
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"cannot tell the file format of {path!r} from its extension;"
            " give --file-format csv|jsonl|parquet",
        )
    return found


@contextmanager
def atomic_output(path: Path) -> Iterator[Path]:
    """A temporary path beside `path`, renamed to `path` when the block ends normally and
    removed when it raises (an interrupt too), so a failed export leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
        temporary.replace(path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
