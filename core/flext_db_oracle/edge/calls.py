"""Running a driver call at the edge: any exception becomes `Failure(DbError)`."""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from returns.result import Failure, Result, Success

from flext_db_oracle.errors import DbError, ErrorKind

_T = TypeVar("_T")
_P = ParamSpec("_P")

# Maps a driver exception to the core taxonomy. It must not raise; if it does, the
# failure is still typed (kind `internal`).
ErrorMapper = Callable[[BaseException], DbError]


def map_safely(map_error: ErrorMapper, exc: BaseException, adapter: str | None = None) -> DbError:
    """`map_error(exc)`, or an `internal` error if the mapper itself fails."""
    try:
        return map_error(exc)
    except Exception as mapper_bug:  # the mapper's own bug must not escape either
        return DbError(
            ErrorKind.INTERNAL,
            f"{type(exc).__name__}: {exc} (and the error mapper failed: {mapper_bug!r})",
            adapter=adapter,
        )


def guarded(map_error: ErrorMapper, call: Callable[[], _T]) -> Result[_T, DbError]:
    """`Success(call())`; a `DbError` raised inside passes as it is, any other
    exception goes through `map_error`. Nothing raises out of it."""
    try:
        return Success(call())
    except DbError as error:
        return Failure(error)
    except Exception as exc:
        return Failure(map_safely(map_error, exc))


def guarded_call(
    map_error: ErrorMapper,
) -> Callable[[Callable[_P, _T]], Callable[_P, Result[_T, DbError]]]:
    """Decorator form of `guarded`, for port methods whose body is one driver call."""

    def decorate(function: Callable[_P, _T]) -> Callable[_P, Result[_T, DbError]]:
        def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> Result[_T, DbError]:
            try:
                return Success(function(*args, **kwargs))
            except DbError as error:
                return Failure(error)
            except Exception as exc:
                return Failure(map_safely(map_error, exc))

        wrapper.__name__ = function.__name__
        wrapper.__doc__ = function.__doc__
        return wrapper

    return decorate
