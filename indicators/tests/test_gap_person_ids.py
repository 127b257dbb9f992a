"""A gap list's page of ids (selectors.gap_person_ids) is the list the engine's definitions give.

The page reads each part's candidates without P(Y), then the persons by key for P(Y), the street and
the order (issue 10). These tests compare it, page by page, with the reference: the persons of
`gap_persons` as the user may see them, sorted in the list's order, on a district built by hand with
the edge cases of P(Y) (a person who died before R(Y), one who died after it, one certified after it),
a person missing both of K04's subsidies, and equal names in two streets.
"""

import datetime as dt

import pytest

from core.models import Street
from indicators import selectors
from indicators.engine import GAP_CODES
from indicators.tests.factories import GrantFactory, PersonFactory, RehabServiceFactory, SurveyFactory
from registry.models import PersonStatus

pytestmark = pytest.mark.django_db
YEAR = 2023
NINGHAI, HUAQIAO = "宁海路街道", "华侨路街道"
SURVEY = {
    "needs_rehab": True,
    "needs_device": True,
    "needs_care": True,
    "needs_barrier_free": True,
    "low_income_type": "dibao",
    "dibao_eligible": True,
    "medical_insurance": "insured",
    "pension_insurance": "none",
}


def _person(street: str, name: str, **fields):
    person = PersonFactory(street=Street.objects.get(name=street), name=name, grade="1", **fields)
    SurveyFactory(person=person, year=YEAR, **SURVEY)
    return person


@pytest.fixture
def district():
    """Persons in need of everything; some served, some outside P(2023) although surveyed."""
    _person(NINGHAI, "张三")
    _person(HUAQIAO, "张三")
    _person(NINGHAI, "李四", birth=dt.date(2015, 3, 1))  # of school age (K07)
    served = _person(NINGHAI, "王五")
    RehabServiceFactory(person=served, kind="basic", service_date=dt.date(YEAR, 4, 1))
    GrantFactory(person=served, kind="living", start_month=dt.date(YEAR, 1, 1))
    GrantFactory(person=served, kind="nursing", start_month=dt.date(2020, 1, 1))
    nursing_only = _person(HUAQIAO, "赵六")
    GrantFactory(person=nursing_only, kind="living", start_month=dt.date(YEAR, 1, 1))
    _person(HUAQIAO, "钱七", status=PersonStatus.DECEASED, status_changed_on=dt.date(YEAR, 6, 30))
    _person(NINGHAI, "孙八", status=PersonStatus.DECEASED, status_changed_on=dt.date(YEAR + 1, 2, 1))
    _person(NINGHAI, "周九", issued_on=dt.date(YEAR + 1, 3, 1))
    _person(HUAQIAO, "吴十", status=PersonStatus.MOVED_OUT, status_changed_on=dt.date(YEAR + 1, 1, 1))


def _reference(code: str, street, user) -> list[int]:
    rows = selectors.gap_persons(code, YEAR, street, flags=False).for_user(user)
    if street is not None:
        rows = rows.filter(street=street)
    return list(rows.order_by("street__order", "name", "pk").values_list("pk", flat=True))


def _pages(code: str, street, user, per_page: int) -> tuple[list[int], set[int]]:
    ids, lengths, offset = [], set(), 0
    while True:
        page, length = selectors.gap_person_ids(code, YEAR, street, user=user, offset=offset, limit=per_page)
        lengths.add(length)
        if not page:
            return ids, lengths
        ids += page
        offset += per_page


@pytest.mark.parametrize("code", [c for c in GAP_CODES if c != "K12"])
@pytest.mark.parametrize(("role", "street_name"), [("staff", None), ("staff", HUAQIAO), ("clerk", None)])
def test_every_page_holds_the_reference_list_in_order(code, role, street_name, role_users, district):
    user = role_users[role]
    street = Street.objects.get(name=street_name) if street_name else None
    expected = _reference(code, street, user)

    ids, lengths = _pages(code, street, user, per_page=2)

    assert ids == expected and lengths == {len(expected)}


def test_the_district_covers_p_y_and_both_parts_of_k04(role_users, district):
    # 钱七 died and 周九 was certified outside 2023, 孙八 and 吴十 left after R(2023); 王五 has every
    # service; 赵六 has the living allowance, not the nursing allowance
    in_gap = ["吴十", "孙八", "张三", "张三", "李四", "赵六"]
    for code in ("K04", "K08"):
        assert sorted(p.name for p in selectors.gap_persons(code, YEAR, flags=False)) == in_gap
