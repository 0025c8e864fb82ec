"""Shared fixtures for the quotaflow Python tests.

Run from a build tree:
    PYTHONPATH=<build>/python QUOTAFLOW_C_LIBRARY=<build>/lib/libquotaflow_c.so python3 -m pytest -q tests/python
(ctest runs the same as the test `python_tests`.)
"""

from __future__ import annotations

import ctypes
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import quotaflow

import capi_types  # tests/python/capi_types.py: the C ABI's ctypes prototypes

# Property tests: no per-example deadline (first calls pay for imports and CI machines are busy),
# and few enough examples that the whole suite stays well under 20 seconds.
settings.register_profile(
    "quotaflow",
    deadline=None,
    max_examples=60,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("quotaflow-thorough", parent=settings.get_profile("quotaflow"), max_examples=1000)
settings.load_profile(os.environ.get("QUOTAFLOW_HYPOTHESIS_PROFILE", "quotaflow"))

REPO_ROOT = Path(__file__).resolve().parents[2]
# ../shared/data next to the repository; ctest passes the CMake cache variable QUOTAFLOW_SHARED_DATA_DIR
# (same default) so a build configured with another location finds it.
SHARED_DATA = Path(os.environ.get("QUOTAFLOW_SHARED_DATA_DIR") or REPO_ROOT.parent / "shared" / "data")
SHARED_DATA_MISSING = "shared data folder ../shared/data is absent (real-data tests run in CI)"


@pytest.fixture(scope="session")
def cn() -> quotaflow.Calendar:
    """China's official calendar 2007-2026 (valid 2007-01-01..2026-12-31)."""
    return quotaflow.Calendar.preset("CN")


@pytest.fixture(scope="session")
def shared_data() -> Path:
    """The public real data next to the project (../shared/data); skips when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(SHARED_DATA_MISSING)
    return SHARED_DATA


@pytest.fixture(scope="session")
def capi() -> ctypes.CDLL:
    """libquotaflow_c loaded with ctypes from $QUOTAFLOW_C_LIBRARY, prototypes declared."""
    path = os.environ.get("QUOTAFLOW_C_LIBRARY")
    if not path:
        pytest.skip("QUOTAFLOW_C_LIBRARY is not set (point it at <build>/lib/libquotaflow_c.so to test the C ABI)")
    if not os.path.exists(path):
        pytest.fail(f"QUOTAFLOW_C_LIBRARY={path} does not exist")
    return capi_types.declare(ctypes.CDLL(path))
