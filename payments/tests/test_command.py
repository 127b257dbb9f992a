"""python manage.py payment_roll MONTH [--street S] [--json] (payments.md, "Command")."""

import datetime as dt
import json
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from payments.models import Roll
from registry.tests.factories import PersonFactory, street
from subsidies.models import GrantKind
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-03-05 10:00:00")]


def _run(*args):
    out = StringIO()
    call_command("payment_roll", *args, stdout=out)
    return out.getvalue()


def test_json_has_exactly_the_shape_of_the_spec():
    person = PersonFactory(name="张三")
    GrantFactory(person=person, kind=GrantKind.LIVING_ALLOWANCE, monthly_amount=Decimal("200"))
    GrantFactory(person=PersonFactory(), monthly_amount=None)

    result = json.loads(_run("2025-03", "--street", "宁海路", "--json"))

    assert result == {
        "month": "2025-03",
        "street": "宁海路街道",
        "lines": [
            {
                "id_number": person.id_number,
                "name": "张三",
                "street": "宁海路街道",
                "kind": "困难残疾人生活补贴",
                "month": "2025-03",
                "amount": "200.00",
                "type": "regular",
            }
        ],
        "held": [result["held"][0]],
        "recoveries": [],
        "totals": {
            "lines": 1,
            "amount": "200.00",
            "by_kind": {
                "困难残疾人生活补贴": {"lines": 1, "amount": "200.00"},
                "重度残疾人护理补贴": {"lines": 0, "amount": "0.00"},
                "临时救助": {"lines": 0, "amount": "0.00"},
            },
        },
    }
    assert set(result["held"][0]) == {"id_number", "kind", "month", "reason", "message"}
    assert result["held"][0]["reason"] == "no_amount" and result["held"][0]["message"] == "未核定金额"


def test_district_roll_has_street_null_and_every_street():
    GrantFactory()
    GrantFactory(person__street=street("华侨路街道"))

    result = json.loads(_run("2025-03", "--json"))

    assert result["street"] is None
    assert sorted(line["street"] for line in result["lines"]) == ["华侨路街道", "宁海路街道"]


def test_command_saves_nothing_and_prints_text():
    GrantFactory()

    out = _run("2025-03", "--street", "宁海路街道")

    assert "合计：1笔，150.00元" in out
    assert not Roll.objects.exists()


@pytest.mark.parametrize(
    "args", [["2025-13"], ["2025-3"], ["March"], ["2025-05"], ["2025-03", "--street", "火星街道"]]
)
def test_bad_argument_exits_2_with_a_chinese_message(args, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("payment_roll", *args)

    assert exc.value.code == 2


def test_future_month_beyond_next_is_refused_with_message():
    err = StringIO()
    with pytest.raises(SystemExit):
        call_command("payment_roll", "2025-05", stderr=err)
    assert "不能生成下月以后的发放名册" in err.getvalue()
    assert dt.date(2025, 4, 1)  # next month is allowed:
    assert json.loads(_run("2025-04", "--json"))["month"] == "2025-04"
