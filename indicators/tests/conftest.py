import pytest


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
