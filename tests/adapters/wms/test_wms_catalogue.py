"""The shipped catalogue is what the generator makes of the spec (kept outside the repo)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest
from flext_db_oracle_wms import catalogue

REPOSITORY = Path(__file__).resolve().parents[3]
SCRIPT = REPOSITORY / "adapters/wms/scripts/generate_catalogue.py"
SPEC_DIR = REPOSITORY.parent / "shared/specs/oracle-wms-cloud"


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    if not SPEC_DIR.is_dir():
        pytest.skip(f"the WMS spec is not at {SPEC_DIR} (the shared checkout beside the repo)")
    spec = importlib.util.spec_from_file_location("generate_catalogue", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_module_is_up_to_date(generator: ModuleType) -> None:
    assert generator.render(SPEC_DIR) == Path(catalogue.__file__).read_text(encoding="utf-8")


def test_the_catalogue_holds_the_specs_entities_and_operations() -> None:
    assert len(catalogue.ENTITIES) == 178
    assert {"item", "order_hdr", "inventory", "location"} <= set(catalogue.ENTITIES)
    assert "appointment{id}" not in catalogue.ENTITIES  # a typo in the spec, dropped
    tracking = catalogue.OPERATIONS["update_oblpn_tracing_nbr"]
    assert tracking.path == "update_oblpn_tracing_nbr/"
    assert set(tracking.required) == {"company_code", "facility_code", "oblpn_nbr", "tracking_nbr"}
    assert len(catalogue.OPERATIONS) == 20
