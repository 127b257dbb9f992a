import pytest
from freezegun import freeze_time


@pytest.fixture(autouse=True)
def _plan_data(request):
    """The plan table comes from a data migration, which a transactional test's flush wipes."""
    if "db" not in request.fixturenames and "transactional_db" not in request.fixturenames:
        marker = request.node.get_closest_marker("django_db")
        if marker is None:
            return
    request.getfixturevalue("_reference_data")
    from indicators.models import Indicator, Target
    from indicators.plan import ensure_plan_data

    ensure_plan_data(Indicator, Target)


@pytest.fixture
def frozen_noon():
    """Today is 2026-11-28, at 12:00 in Asia/Shanghai (04:00 UTC), after the factories' 02:00 UTC
    runs: `usefixtures("frozen_noon")`. (Not the root conftest's frozen_today, which is midnight UTC.)"""
    with freeze_time("2026-11-28 04:00:00"):
        yield


@pytest.fixture
def ticking_noon():
    """The same noon with the clock running, for pages that order runs by when they finished."""
    with freeze_time("2026-11-28 04:00:00", tick=True):
        yield
