"""The q expression and the monitoring time window."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from flext_db_oracle.errors import DbError, ErrorKind
from flext_db_oracle_oic.filters import instance_window, render_q, utc_text
from flext_db_oracle_oic.resources import INSTANCES, INTEGRATIONS


def test_q_is_rendered_in_the_documented_syntax() -> None:
    q = render_q(INTEGRATIONS, [("name", "Order Sync 0004"), ("status", "ACTIVATED")])
    assert q == "{name:'Order Sync 0004', status:'ACTIVATED'}"
    assert render_q(INTEGRATIONS, []) is None


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ([("colour", "red")], "cannot be filtered by 'colour'"),
        ([("name", "O'Brien")], "no escape"),
        ([("name", "a}, status:'x")], "no escape"),
        ([("name", "")], "non-empty"),
        ([("status", "ACTIVATED"), ("status", "CONFIGURED")], "given twice"),
    ],
)
def test_bad_filters_are_query_errors(filters: list[tuple[str, str]], message: str) -> None:
    with pytest.raises(DbError, match=message) as raised:
        render_q(INTEGRATIONS, filters)
    assert raised.value.kind is ErrorKind.QUERY


def test_utc_text_converts_and_treats_naive_as_utc() -> None:
    plus_two = timezone(timedelta(hours=2))
    assert utc_text(datetime(2026, 3, 1, 12, 30, 5, tzinfo=plus_two)) == "2026-03-01 10:30:05"
    assert utc_text(datetime(2026, 3, 1, 12, 30, 5)) == "2026-03-01 12:30:05"


def test_window_from_since_until_and_overlap() -> None:
    since = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    terms = instance_window(
        since=since, until=since + timedelta(hours=1), overlap=timedelta(minutes=5)
    )
    assert terms == [("startdate", "2026-03-01 11:55:00"), ("enddate", "2026-03-01 13:00:00")]
    assert render_q(INSTANCES, terms) == (
        "{startdate:'2026-03-01 11:55:00', enddate:'2026-03-01 13:00:00'}"
    )


def test_named_window_or_range_not_both() -> None:
    assert instance_window(since=None, window="1d") == [("timewindow", "1d")]
    assert instance_window(since=None) == []
    with pytest.raises(DbError, match="not both"):
        instance_window(since=datetime(2026, 1, 1, tzinfo=UTC), window="1d")
