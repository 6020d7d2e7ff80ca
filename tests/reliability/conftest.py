"""Hypothesis profiles of the reliability suite.

`default` (the normal run, CI included): 50 examples per property, the same ones every
run (derandomized), so a run's verdict does not depend on luck; new cases are the
`thorough` profile's job (tox -e properties): 10,000 random examples per property.
Choose with HYPOTHESIS_PROFILE.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "print_blob": True,
}
settings.register_profile("default", max_examples=50, derandomize=True, database=None, **_COMMON)
settings.register_profile("thorough", max_examples=10_000, derandomize=False, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
