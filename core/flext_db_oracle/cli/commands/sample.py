"""`sample`: a small, deterministic HR-style schema to try things on, and a tour of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

import click
from returns.result import Failure, Result

from flext_db_oracle.api import FlextDbOracleApi
from flext_db_oracle.cli.commands.schema import show_table_metadata
from flext_db_oracle.cli.context import CliContext, pass_cli
from flext_db_oracle.cli.output import print_heading, to_jsonable, write_document, write_rows
from flext_db_oracle.errors import DbError, ErrorKind

_T = TypeVar("_T")

# Portable DDL: the same text runs on SQLite, PostgreSQL, MySQL/MariaDB and Oracle.
TABLES: dict[str, str] = {
    "regions": """create table regions (
        region_id integer not null primary key,
        region_name varchar(25) not null)""",
    "countries": """create table countries (
        country_id char(2) not null primary key,
        country_name varchar(40) not null,
        region_id integer not null references regions (region_id))""",
    "departments": """create table departments (
        department_id integer not null primary key,
        department_name varchar(30) not null,
        country_id char(2) not null references countries (country_id))""",
    "jobs": """create table jobs (
        job_id varchar(10) not null primary key,
        job_title varchar(35) not null,
        min_salary numeric(8, 2),
        max_salary numeric(8, 2))""",
    "employees": """create table employees (
        employee_id integer not null primary key,
        first_name varchar(20),
        last_name varchar(25) not null,
        email varchar(40) not null unique,
        hire_date date not null,
        job_id varchar(10) not null references jobs (job_id),
        salary numeric(8, 2),
        manager_id integer references employees (employee_id),
        department_id integer references departments (department_id))""",
}

REGIONS = [(1, "Europe"), (2, "Americas"), (3, "Asia"), (4, "Middle East and Africa")]
COUNTRIES = [
    ("BR", "Brazil", 2),
    ("CA", "Canada", 2),
    ("DE", "Germany", 1),
    ("EG", "Egypt", 4),
    ("IN", "India", 3),
    ("JP", "Japan", 3),
    ("UK", "United Kingdom", 1),
    ("US", "United States of America", 2),
]
DEPARTMENTS = [
    (10, "Administration", "US"),
    (20, "Marketing", "CA"),
    (50, "Shipping", "US"),
    (60, "IT", "IN"),
    (80, "Sales", "UK"),
    (90, "Executive", "US"),
]
JOBS = [
    ("AD_PRES", "President", "20080.00", "40000.00"),
    ("AD_VP", "Administration Vice President", "15000.00", "30000.00"),
    ("AD_ASST", "Administration Assistant", "3000.00", "6000.00"),
    ("MK_MAN", "Marketing Manager", "9000.00", "15000.00"),
    ("IT_PROG", "Programmer", "4000.00", "10000.00"),
    ("SA_MAN", "Sales Manager", "10000.00", "20080.00"),
    ("SA_REP", "Sales Representative", "6000.00", "12008.00"),
    ("ST_CLERK", "Stock Clerk", "2008.00", "5000.00"),
]
EMPLOYEES = [
    (100, "Steven", "King", "SKING", date(2013, 6, 17), "AD_PRES", "24000.00", None, 90),
    (101, "Neena", "Yang", "NYANG", date(2015, 9, 21), "AD_VP", "17000.00", 100, 90),
    (102, "Lex", "Garcia", "LGARCIA", date(2011, 1, 13), "AD_VP", "17000.00", 100, 90),
    (103, "Alexander", "James", "AJAMES", date(2016, 1, 3), "IT_PROG", "9000.00", 102, 60),
    (104, "Bruce", "Miller", "BMILLER", date(2017, 5, 21), "IT_PROG", "6000.00", 103, 60),
    (105, "David", "Williams", "DWILLIAMS", date(2015, 6, 25), "IT_PROG", "4800.00", 103, 60),
    (106, "Valli", "Jackson", "VJACKSON", date(2016, 2, 5), "IT_PROG", "4800.00", 103, 60),
    (107, "Diana", "Nguyen", "DNGUYEN", date(2017, 2, 7), "IT_PROG", "4200.00", 103, 60),
    (114, "Den", "Li", "DLI", date(2012, 12, 7), "ST_CLERK", "3100.00", 100, 50),
    (115, "Alexander", "Khoo", "AKHOO", date(2013, 5, 18), "ST_CLERK", "2900.00", 114, 50),
    (116, "Shelli", "Baida", "SBAIDA", date(2015, 12, 24), "ST_CLERK", "2800.00", 114, 50),
    (145, "John", "Singh", "JSINGH", date(2014, 10, 1), "SA_MAN", "14000.00", 100, 80),
    (146, "Karen", "Partners", "KPARTNER", date(2015, 1, 5), "SA_REP", "9500.00", 145, 80),
    (147, "Alberto", "Errazuriz", "AERRAZUR", date(2015, 3, 10), "SA_REP", "9000.00", 145, 80),
    (148, "Gerald", "Cambrault", "GCAMBRAU", date(2017, 10, 15), "SA_REP", "8000.00", 145, 80),
    (149, "Eleni", "Zlotkey", "EZLOTKEY", date(2018, 1, 29), "SA_REP", "7500.00", 145, 80),
    (200, "Jennifer", "Whalen", "JWHALEN", date(2013, 9, 17), "AD_ASST", "4400.00", 101, 10),
    (201, "Michael", "Martinez", "MMARTINE", date(2014, 2, 17), "MK_MAN", "13000.00", 100, 20),
    (202, "Pat", "Davis", "PDAVIS", date(2015, 8, 17), "SA_REP", "6000.00", 201, 20),
    (178, "Kimberely", "Grant", "KGRANT", date(2017, 5, 24), "SA_REP", "7000.00", 145, None),
]

INSERTS: list[tuple[str, list[dict[str, Any]]]] = [
    (
        "insert into regions values (:region_id, :region_name)",
        [{"region_id": i, "region_name": n} for i, n in REGIONS],
    ),
    (
        "insert into countries values (:country_id, :country_name, :region_id)",
        [{"country_id": c, "country_name": n, "region_id": r} for c, n, r in COUNTRIES],
    ),
    (
        "insert into departments values (:department_id, :department_name, :country_id)",
        [{"department_id": i, "department_name": n, "country_id": c} for i, n, c in DEPARTMENTS],
    ),
    (
        "insert into jobs values (:job_id, :job_title, :min_salary, :max_salary)",
        [
            {"job_id": j, "job_title": t, "min_salary": Decimal(lo), "max_salary": Decimal(hi)}
            for j, t, lo, hi in JOBS
        ],
    ),
    (
        "insert into employees values (:employee_id, :first_name, :last_name, :email, :hire_date,"
        " :job_id, :salary, :manager_id, :department_id)",
        [
            {
                "employee_id": e,
                "first_name": f,
                "last_name": la,
                "email": m,
                "hire_date": h,
                "job_id": j,
                "salary": Decimal(s),
                "manager_id": mg,
                "department_id": d,
            }
            for e, f, la, m, h, j, s, mg, d in EMPLOYEES
        ],
    ),
]

TOUR_QUERY = """select e.employee_id, e.first_name, e.last_name, j.job_title,
       d.department_name, c.country_name, r.region_name, e.salary, e.hire_date
from employees e
join jobs j on j.job_id = e.job_id
join departments d on d.department_id = e.department_id
join countries c on c.country_id = d.country_id
join regions r on r.region_id = c.region_id
where e.salary >= :min_salary
order by e.salary desc, e.employee_id"""


def _value(result: Result[_T, DbError]) -> _T:
    if isinstance(result, Failure):
        raise result.failure()
    return result.unwrap()


def existing_sample_tables(api: FlextDbOracleApi) -> list[str]:
    present = {ref.name.casefold(): ref.name for ref in _value(api.get_tables())}
    return [present[name] for name in TABLES if name in present]


def create_sample(api: FlextDbOracleApi, *, replace: bool) -> bool:
    """Create and fill the sample tables; False when they were all there already."""
    existing = existing_sample_tables(api)
    if existing and not replace:
        if len(existing) == len(TABLES):
            return False
        raise DbError(
            ErrorKind.CONFIGURATION,
            f"some sample tables exist already ({', '.join(existing)}); "
            "run `flext-db-oracle sample --replace` to recreate them all",
        )
    for name in reversed(list(TABLES)):
        if name in {t.casefold() for t in existing}:
            _value(api.execute(f"drop table {name}"))
    # One transaction where the database allows DDL in one (SQLite, PostgreSQL);
    # MySQL and Oracle commit each DDL, and --replace recovers from a partial run.
    with api.transaction():
        for ddl in TABLES.values():
            api.execute(ddl)
        for sql, rows in INSERTS:
            api.execute_many(sql, rows)
    return True


@click.command()
@click.option("--replace", is_flag=True, help="Drop and recreate the sample tables if they exist.")
@click.option(
    "--tour", is_flag=True, help="Then list the tables, describe each and run a join query."
)
@click.option(
    "--min-salary",
    type=int,
    default=9000,
    show_default=True,
    help="Bind value for the tour's join query.",
)
@pass_cli
def sample(cli: CliContext, replace: bool, tour: bool, min_salary: int) -> None:
    """Create a small HR sample schema: regions, countries, departments, jobs, employees.

    Deterministic data with foreign keys, in the configured database (the
    embedded SQLite file by default). Running it again leaves a complete
    sample as it is.

    \b
    Example:
      flext-db-oracle sample --tour
    """
    api = cli.api()
    created = create_sample(api, replace=replace)
    message = "created" if created else "already present; left as it is"
    click.echo(
        f"sample schema {message}: {', '.join(TABLES)} ({cli.shown_url()})",
        err=True,
    )
    if tour:
        run_tour(cli, api, min_salary)


def run_tour(cli: CliContext, api: FlextDbOracleApi, min_salary: int) -> None:
    refs = [ref for ref in _value(api.get_tables()) if ref.name.casefold() in TABLES]
    descriptions = [_value(api.get_table_metadata(ref.name)) for ref in refs]
    result = _value(api.query(TOUR_QUERY, {"min_salary": min_salary}))
    if cli.format != "table":
        write_document(
            "json" if cli.format == "json" else "jsonl",
            {
                "tables": [ref.name for ref in refs],
                "describe": {
                    m.name: to_jsonable(m.model_dump(by_alias=True)) for m in descriptions
                },
                "query": {
                    "sql": TOUR_QUERY,
                    "params": {"min_salary": min_salary},
                    "rows": to_jsonable(result.dicts()),
                },
            },
        )
        return
    print_heading("tables")
    write_rows("table", ["name", "kind"], [(ref.name, ref.kind.value) for ref in refs])
    for metadata in descriptions:
        show_table_metadata(cli, metadata)
    print_heading(f"employees earning at least {min_salary}, with job, department, country, region")
    click.echo(TOUR_QUERY)
    write_rows("table", list(result.columns), result.rows)
