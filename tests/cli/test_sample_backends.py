"""The sample schema's portable DDL and data on every backend the machine runs."""

from __future__ import annotations

from tests.support.cli import CliRunner


def test_sample_tour_on_each_backend(cli: CliRunner, backend_url: str) -> None:
    done = cli("--url", backend_url, "sample", "--replace", "--tour", "--format", "json")
    assert done.code == 0, done.err
    tour = done.json()
    assert tour["tables"] == ["countries", "departments", "employees", "jobs", "regions"]
    rows = tour["query"]["rows"]
    assert len(rows) == 8  # employees earning at least 9000
    assert rows[0]["last_name"] == "King"
    assert rows[0]["region_name"] == "Americas"
    fks = tour["describe"]["employees"]["foreign_keys"]
    assert sorted(fk["referred_table"] for fk in fks) == ["departments", "employees", "jobs"]
    again = cli("--url", backend_url, "sample")
    assert again.code == 0
    assert "already present" in again.err
