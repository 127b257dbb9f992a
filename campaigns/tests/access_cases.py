"""Access cases for every URL of the annual campaign (tests/test_access_matrix.py walks them)."""

from campaigns.tests.factories import CampaignEntryFactory, CampaignFactory
from tests.access import Case, Kind, pk_of


def _year(street):
    return {"year": CampaignFactory().year}


_entry = pk_of(CampaignEntryFactory, "person__street")


ACCESS_CASES = [
    # Officials see the campaigns and the progress numbers, never a name (see test_views).
    Case("campaigns:index", Kind.AGGREGATE),
    Case("campaigns:progress", Kind.AGGREGATE, kwargs_for=_year),
    Case("campaigns:entry_list", Kind.PERSON_DATA),
    Case("campaigns:close", Kind.STAFF, kwargs_for=_year, ok_status=405),
    Case("campaigns:sync", Kind.STAFF, kwargs_for=_year, ok_status=405),
    Case("campaigns:gap_work", Kind.PERSON_DATA),
    Case("campaigns:gap_children", Kind.PERSON_DATA),
    Case("campaigns:visit", Kind.PERSON_DATA, kwargs_for=_entry),
    Case("campaigns:unreachable", Kind.PERSON_DATA, kwargs_for=_entry),
]
