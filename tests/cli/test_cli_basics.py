"""The CLI host: common options anywhere, output formats, exit codes, one-line errors."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.support.cli import CliRunner


@pytest.fixture
def sample_db(cli: CliRunner) -> CliRunner:
    assert cli("sample").code == 0
    return cli


@pytest.mark.parametrize(
    "args",
    [("tables", "--format", "json"), ("--format", "json", "tables")],
    ids=["on-command", "on-root"],
)
def test_common_options_work_on_root_and_command(
    sample_db: CliRunner, args: tuple[str, ...]
) -> None:
    done = sample_db(*args)
    assert done.code == 0, done.err
    assert [t["name"] for t in done.json()] == [
        "countries",
        "departments",
        "employees",
        "jobs",
        "regions",
    ]


def test_command_level_option_wins_over_root(sample_db: CliRunner, tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    done = sample_db(
        "--url",
        "sqlite:///nowhere-used.db",
        "tables",
        "--url",
        f"sqlite:///{other}",
        "--format",
        "json",
    )
    assert done.code == 0, done.err
    assert done.json() == []  # the command's --url (an empty new file) was used


def test_query_with_binds_in_every_format(sample_db: CliRunner) -> None:
    sql = (
        "select employee_id, last_name, salary, hire_date from employees"
        " where salary > :s order by employee_id"
    )
    as_json = sample_db("query", sql, "--param", "s=16000", "--format", "json").json()
    assert as_json == [
        {"employee_id": 100, "last_name": "King", "salary": 24000, "hire_date": "2013-06-17"},
        {"employee_id": 101, "last_name": "Yang", "salary": 17000, "hire_date": "2015-09-21"},
        {"employee_id": 102, "last_name": "Garcia", "salary": 17000, "hire_date": "2011-01-13"},
    ]
    lines = sample_db("query", sql, "-p", "s=16000", "--format", "jsonl").out.splitlines()
    assert [json.loads(line)["employee_id"] for line in lines] == [100, 101, 102]
    rows = list(
        csv.reader(io.StringIO(sample_db("query", sql, "-p", "s=16000", "--format", "csv").out))
    )
    assert rows[0] == ["employee_id", "last_name", "salary", "hire_date"]
    assert [r[0] for r in rows[1:]] == ["100", "101", "102"]
    table = sample_db("query", sql, "-p", "s=16000").out
    assert "King" in table and "Garcia" in table


def test_query_limit_stops_early(sample_db: CliRunner) -> None:
    done = sample_db(
        "query", "select * from employees order by employee_id", "--limit", "2", "--format", "jsonl"
    )
    assert [json.loads(line)["employee_id"] for line in done.out.splitlines()] == [100, 101]


def test_param_values_are_json_when_they_parse(sample_db: CliRunner) -> None:
    done = sample_db(
        "query",
        "select :a as a, :b as b, :c as c",
        "-p",
        "a=5",
        "-p",
        "b=ABC",
        "-p",
        'c="007"',
        "--format",
        "json",
    )
    assert done.json() == [{"a": 5, "b": "ABC", "c": "007"}]


def test_execute_commits_and_reports_rowcount(sample_db: CliRunner) -> None:
    done = sample_db(
        "execute",
        "update jobs set max_salary = :m where job_id = :j",
        "-p",
        "m=41000",
        "-p",
        "j=AD_PRES",
        "--format",
        "json",
    )
    assert done.json() == {"rowcount": 1}
    check = sample_db(
        "query", "select max_salary from jobs where job_id = 'AD_PRES'", "--format", "json"
    )
    assert check.json() == [{"max_salary": 41000}]


def test_describe_shows_keys_and_matches_case_insensitively(sample_db: CliRunner) -> None:
    meta = sample_db("describe", "EMPLOYEES", "--format", "json").json()
    assert meta["name"] == "employees"
    assert meta["primary_key"]["columns"] == ["employee_id"]
    assert {fk["referred_table"] for fk in meta["foreign_keys"]} == {
        "departments",
        "employees",
        "jobs",
    }
    assert any(ix["unique"] and ix["columns"] == ["email"] for ix in meta["indexes"])
    text = sample_db("describe", "employees").out
    assert "primary key: employee_id" in text and "departments(department_id)" in text


def test_schemas_health_config_plugins(sample_db: CliRunner) -> None:
    assert "main" in [row["schema"] for row in sample_db("schemas", "--format", "json").json()]
    health = sample_db("health", "--format", "json").json()
    assert health["status"] == "ok" and health["product"] == "SQLite"
    config = sample_db("config", "--format", "json").json()
    assert config["url"] == "sqlite:///flext_db_oracle.db"
    plugins = {p["name"]: p for p in sample_db("plugins", "--format", "json").json()}
    assert plugins["sqlalchemy"]["distribution"] == "flext-db-oracle-sqlalchemy"
    assert "query" in plugins["builtin-commands"]["commands"]


def test_sample_is_idempotent_and_refuses_a_partial_schema(cli: CliRunner) -> None:
    assert cli("sample").code == 0
    again = cli("sample")
    assert again.code == 0 and "already present" in again.err
    assert cli("execute", "drop table employees").code == 0
    partial = cli("sample")
    assert partial.code == 1
    assert partial.err.count("\n") == 1 and "--replace" in partial.err
    assert cli("sample", "--replace").code == 0
    count = cli("query", "select count(*) as n from employees", "--format", "json").json()
    assert count == [{"n": 20}]


def test_sample_tour_lists_describes_and_joins(cli: CliRunner) -> None:
    done = cli("sample", "--tour", "--format", "json")
    assert done.code == 0, done.err
    tour = done.json()
    assert tour["tables"] == ["countries", "departments", "employees", "jobs", "regions"]
    assert tour["describe"]["employees"]["primary_key"]["columns"] == ["employee_id"]
    assert [row["last_name"] for row in tour["query"]["rows"]][:3] == ["King", "Yang", "Garcia"]
    assert {"job_title", "department_name", "country_name", "region_name"} <= set(
        tour["query"]["rows"][0]
    )


def test_usage_errors_exit_2(cli: CliRunner) -> None:
    assert cli("query").code == 2
    assert cli("no-such-command").code == 2
    assert cli("tables", "--format", "xml").code == 2
    assert cli("query", "select 1", "--param", "novalue").code == 2


def test_help_teaches(cli: CliRunner) -> None:
    root = cli("--help")
    assert root.code == 0
    for command in (
        "health",
        "query",
        "execute",
        "schemas",
        "tables",
        "describe",
        "plugins",
        "config",
        "sample",
    ):
        assert command in root.out
    query_help = cli("query", "--help").out
    assert "--param" in query_help and "--limit" in query_help and "--format" in query_help


def test_python_dash_m_entry_point(tmp_path: Path) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "flext_db_oracle", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0 and "Usage: flext-db-oracle" in done.stdout


def test_profiles_from_the_toml_file(cli: CliRunner, tmp_path: Path) -> None:
    (tmp_path / "flext-db-oracle.toml").write_text(
        '[profiles.dev]\nurl = "sqlite:///dev.db"\nslow_statement_ms = 50\n\n'
        "[profiles.dev.pool]\nsize = 2\n",
        encoding="utf-8",
    )
    config = cli("config", "--profile", "dev", "--format", "json").json()
    assert config["url"] == "sqlite:///dev.db"
    assert config["pool"]["size"] == 2
    assert config["profile"] == "dev"
    assert cli("--profile", "dev", "sample").code == 0
    assert (tmp_path / "dev.db").is_file()
    unknown = cli("--profile", "prod", "tables")
    assert unknown.code == 1
    assert "no profile 'prod'" in unknown.err
    assert "dev" in unknown.err  # names the profiles that exist
