"""Hypothesis profiles of the reliability suite.

`default` (the normal run): 50 examples per property. `thorough` (tox -e properties):
10,000 per property. Choose with HYPOTHESIS_PROFILE.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    "derandomize": False,
    "print_blob": True,
}
settings.register_profile("default", max_examples=50, **_COMMON)
settings.register_profile("thorough", max_examples=10_000, **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
