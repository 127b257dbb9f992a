"""Access cases for every URL of the indicators app (tests/test_access_matrix.py walks them)."""

from indicators.tests.factories import IndicatorRunFactory, IndicatorValueFactory
from tests.access import Case, Kind

ACCESS_CASES = [
    Case("indicators:dashboard", Kind.AGGREGATE),
    Case("indicators:report", Kind.AGGREGATE, query="?year=2023"),
    Case("indicators:export", Kind.AGGREGATE),
    # Names for clerks (their street) and staff; counts per street for officials: see test_views.
    Case("indicators:gap_list", Kind.AGGREGATE, kwargs_for=lambda street: {"code": "K08", "year": 2023}),
    Case(
        "indicators:gap_export",
        Kind.PERSON_DATA,
        kwargs_for=lambda street: {"code": "K08", "year": 2023, "street_id": street.pk},
    ),
    Case("indicators:run_list", Kind.STAFF),
    Case("indicators:run_status", Kind.STAFF),
    Case("indicators:recompute", Kind.STAFF, ok_status=405),
    Case("indicators:targets", Kind.STAFF),
    Case("indicators_api:value-list", Kind.AGGREGATE),
    Case(
        "indicators_api:value-detail",
        Kind.AGGREGATE,
        kwargs_for=lambda street: {"pk": IndicatorValueFactory(street=street).pk},
    ),
    Case("indicators_api:run-list", Kind.AGGREGATE),
    Case(
        "indicators_api:run-detail",
        Kind.AGGREGATE,
        kwargs_for=lambda street: {"pk": IndicatorRunFactory().pk},
    ),
]
