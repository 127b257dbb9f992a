"""Build, submit, approve/return; arrears, recoveries and failed payments after a first approved roll."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from freezegun import freeze_time
from openpyxl import load_workbook

from payments import bankfile, selectors, services
from payments.models import HeldItem, Recovery, Roll, RollLine, RollState
from payments.tests.helpers import approved_roll, return_file, second_staff
from registry.models import AccessLog, PersonStatus
from registry.tests.factories import PersonFactory, street
from subsidies.tests.factories import GrantFactory

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-03-05 10:00:00")]
JAN, FEB, MAR = dt.date(2025, 1, 1), dt.date(2025, 2, 1), dt.date(2025, 3, 1)


def test_clerk_builds_and_submits_staff_approves_and_lines_are_paid(clerk_user, staff_user):
    person = PersonFactory(bank_account="6222000011112222")
    GrantFactory(person=person, start_month=JAN)

    roll = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)
    services.roll_submit(acting_user=clerk_user, roll=roll)
    roll = services.roll_approve(acting_user=staff_user, roll=roll)

    assert roll.state == RollState.APPROVED and roll.approved_by == staff_user
    assert list(RollLine.objects.filter(roll=roll).values_list("locked", "paid")) == [(True, True)]
    assert roll.history.count() >= 3  # build, submit, approve are each in the history


def test_build_for_a_month_beyond_next_month_is_refused(staff_user):
    with pytest.raises(ValidationError, match="不能生成下月以后的发放名册"):
        services.roll_build(acting_user=staff_user, street=street(), month=dt.date(2025, 5, 1))
    assert not Roll.objects.exists()
    services.roll_build(acting_user=staff_user, street=street(), month=dt.date(2025, 4, 1))


def test_clerk_cannot_build_another_streets_roll(clerk_user):
    with pytest.raises(ValidationError):
        services.roll_build(acting_user=clerk_user, street=street("华侨路街道"), month=MAR)


def test_submitted_roll_is_never_rebuilt(clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    roll = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)
    services.roll_submit(acting_user=clerk_user, roll=roll)
    GrantFactory(start_month=JAN)

    with pytest.raises(ValidationError, match="不能重新生成"):
        services.roll_build(acting_user=staff_user, street=street(), month=MAR)
    built = services.rolls_build_all(month=MAR)

    assert roll.pk not in [r.pk for r in built]
    assert RollLine.objects.filter(roll=roll).count() == 1


def test_approver_is_never_the_submitter_in_the_service(staff_user):
    GrantFactory(start_month=JAN)
    roll = services.roll_build(acting_user=staff_user, street=street(), month=MAR)
    services.roll_submit(acting_user=staff_user, roll=roll)

    with pytest.raises(ValidationError, match="审核人不能是提交人"):
        services.roll_approve(acting_user=staff_user, roll=roll)
    assert Roll.objects.get(pk=roll.pk).state == RollState.SUBMITTED


def test_database_refuses_approver_equal_to_submitter(staff_user):
    roll = Roll.objects.create(street=street(), month=MAR, submitted_by=staff_user)

    with pytest.raises(IntegrityError), transaction.atomic():
        Roll.objects.filter(pk=roll.pk).update(approved_by=staff_user, state=RollState.APPROVED)


def test_clerk_cannot_approve(clerk_user, other_clerk_user):
    roll = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)
    services.roll_submit(acting_user=clerk_user, roll=roll)

    with pytest.raises(ValidationError, match="只有区残联工作人员"):
        services.roll_approve(acting_user=other_clerk_user, roll=roll)


def test_return_needs_a_reason_and_goes_back_to_draft(clerk_user, staff_user):
    roll = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)
    services.roll_submit(acting_user=clerk_user, roll=roll)

    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.roll_return(acting_user=staff_user, roll=roll, reason="  ")
    roll = services.roll_return(acting_user=staff_user, roll=roll, reason="金额有误")

    assert roll.state == RollState.DRAFT and roll.returned_reason == "金额有误"


def test_approved_lines_are_refused_by_the_database(clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    line = RollLine.objects.get(roll=roll)

    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.filter(pk=line.pk).update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.filter(pk=line.pk)._raw_delete(RollLine.objects.db)
    with pytest.raises(ValidationError):
        line.amount = Decimal("2.00")
        line.save()
    with pytest.raises(ValidationError):
        line.delete()
    assert RollLine.objects.get(pk=line.pk).amount == Decimal("150.00")


def test_one_person_kind_month_is_paid_by_at_most_one_approved_roll(clerk_user, staff_user, other_clerk_user):
    # given the same payment put on two streets' rolls (the person moved between the two builds)
    grant = GrantFactory(start_month=JAN)
    first = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)
    second = Roll.objects.create(street=street("华侨路街道"), month=MAR, built_at=first.built_at)
    RollLine.objects.create(
        roll=second, person=grant.person, grant=grant, kind=grant.kind, month=MAR, amount=Decimal("150.00")
    )
    for roll, clerk in ((first, clerk_user), (second, other_clerk_user)):
        services.roll_submit(acting_user=clerk, roll=roll)
    services.roll_approve(acting_user=staff_user, roll=first)

    # then the second approval is refused, by the database's partial unique index
    with pytest.raises(ValidationError, match="只能发放一次"):
        services.roll_approve(acting_user=staff_user, roll=second)
    assert Roll.objects.get(pk=second.pk).state == RollState.SUBMITTED
    with pytest.raises(IntegrityError), transaction.atomic():
        RollLine.objects.filter(roll=second).update(locked=True, paid=True)


def test_late_grant_after_first_approved_roll_gives_arrears(clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    approved_roll(JAN, submitter=clerk_user, approver=staff_user)
    approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    # a grant recorded late, from December (before the history) to now
    late = GrantFactory(start_month=dt.date(2024, 12, 1), monthly_amount=Decimal("90.00"))

    roll = selectors.preview(MAR)
    mine = [
        (r["month"], r["type"], r["amount"]) for r in roll["lines"] if r["id_number"] == late.person.id_number
    ]

    assert mine == [
        ("2025-01", "arrears", "90.00"),
        ("2025-02", "arrears", "90.00"),
        ("2025-03", "regular", "90.00"),
    ]


def test_late_death_gives_recovery_items_and_no_line(clerk_user, staff_user):
    grant = GrantFactory(start_month=JAN)
    approved_roll(JAN, submitter=clerk_user, approver=staff_user)
    approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    person = grant.person
    person.status, person.status_changed_on = PersonStatus.DECEASED, dt.date(2025, 1, 20)
    person.save()

    roll = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)

    assert RollLine.objects.filter(roll=roll).count() == 0
    assert list(Recovery.objects.filter(roll=roll).values_list("month", "amount")) == [
        (FEB, Decimal("150.00"))
    ]
    # once in the ledger (approved), the same recovery is not found again
    services.roll_submit(acting_user=clerk_user, roll=roll)
    services.roll_approve(acting_user=staff_user, roll=roll)
    with freeze_time("2025-04-02"):
        assert selectors.preview(dt.date(2025, 4, 1))["recoveries"] == []


def test_lower_amount_now_recovers_the_difference(clerk_user, staff_user):
    grant = GrantFactory(start_month=JAN, monthly_amount=Decimal("150.00"))
    approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    grant.monthly_amount = Decimal("100.00")
    grant.save()

    assert selectors.preview(MAR)["recoveries"] == [
        {
            "id_number": grant.person.id_number,
            "kind": "重度残疾人护理补贴",
            "month": "2025-02",
            "amount": "50.00",
        }
    ]


def test_nothing_is_owed_before_the_first_approved_roll():
    GrantFactory(start_month=dt.date(2024, 6, 1))

    assert [r["month"] for r in selectors.preview(MAR)["lines"]] == ["2025-03"]


def test_failed_payment_comes_back_as_arrears(clerk_user, staff_user):
    grant = GrantFactory(start_month=JAN)
    roll = approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    data = return_file([grant.person.id_number, "重度残疾人护理补贴", "2025-02", "账户已销户"])

    assert bankfile.import_return_file(acting_user=staff_user, roll=roll, data=data) == 1
    line = RollLine.objects.get(roll=roll)
    assert (line.failed, line.paid, line.failed_reason) == (True, False, "账户已销户")
    lines = selectors.preview(MAR)["lines"]
    assert [(r["month"], r["type"]) for r in lines] == [("2025-02", "arrears"), ("2025-03", "regular")]
    # and the arrears line can be approved: the failed line no longer counts as paid
    march = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    assert RollLine.objects.filter(roll=march, paid=True).count() == 2


def test_return_file_with_bad_rows_names_each_and_writes_nothing(clerk_user, staff_user):
    grant = GrantFactory(start_month=JAN)
    roll = approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    id_number = grant.person.id_number
    data = return_file(
        [id_number, "重度残疾人护理补贴", "2025-02", "销户"],
        [id_number, "重度残疾人护理补贴", "2025-02", "销户"],
        ["110101199001011234", "重度残疾人护理补贴", "2025-02", "x"],
        [id_number, "重度残疾人护理补贴", "2025-01", "x"],
    )

    with pytest.raises(ValidationError) as exc:
        bankfile.import_return_file(acting_user=staff_user, roll=roll, data=data)

    assert exc.value.messages == [
        "第3行：与第2行重复",
        "第4行“公民身份号码”列：110101199001011234不在该名册中",
        "第5行“月份”列：该人员重度残疾人护理补贴2025-01不在该名册中",
    ]
    assert not RollLine.objects.filter(failed=True).exists()


def test_return_file_that_is_not_a_workbook_is_refused(clerk_user, staff_user):
    GrantFactory(start_month=JAN)
    roll = approved_roll(FEB, submitter=clerk_user, approver=staff_user)

    with pytest.raises(ValidationError, match="不是Excel工作簿"):
        bankfile.import_return_file(acting_user=staff_user, roll=roll, data=b"id,kind\n1,2")


def test_bank_file_has_full_accounts_lists_missing_apart_logs_and_marks_paid(clerk_user, staff_user):
    with_account = PersonFactory(bank_name="中国银行", bank_account="6222000011112222")
    without = PersonFactory(name="=HYPERLINK(1)")
    GrantFactory(person=with_account, start_month=JAN)
    GrantFactory(person=without, start_month=JAN)
    roll = approved_roll(MAR, submitter=clerk_user, approver=staff_user)
    output = io.BytesIO()

    roll = bankfile.export_bank_file(acting_user=staff_user, roll=roll, output=output)

    workbook = load_workbook(io.BytesIO(output.getvalue()))
    lines = list(workbook["发放明细"].values)
    assert lines[1][4] == "6222000011112222" and len(lines) == 2
    summary = [row for row in workbook["汇总"].values]
    assert ("'=HYPERLINK(1)", without.id_number, "重度残疾人护理补贴", "2025-03", 150) in summary
    assert roll.state == RollState.PAID
    assert AccessLog.objects.filter(user=staff_user, object_type="payment_bank_file", row_count=2).exists()


def test_bank_file_of_a_draft_roll_is_refused(staff_user):
    roll = services.roll_build(acting_user=staff_user, street=street(), month=MAR)

    with pytest.raises(ValidationError, match="只有已审核的名册"):
        bankfile.export_bank_file(acting_user=staff_user, roll=roll, output=io.BytesIO())


def test_recovery_marked_recovered_records_date_amount_and_who(clerk_user, staff_user):
    grant = GrantFactory(start_month=JAN)
    approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    grant.end_month = JAN
    grant.save()
    march = approved_roll(MAR, submitter=clerk_user, approver=second_staff())
    recovery = Recovery.objects.get(roll=march)

    with pytest.raises(ValidationError):
        services.recovery_mark_recovered(
            acting_user=staff_user, recovery=recovery, recovered_on=dt.date(2025, 3, 4), amount=Decimal("151")
        )
    recovery = services.recovery_mark_recovered(
        acting_user=staff_user, recovery=recovery, recovered_on=dt.date(2025, 3, 4), amount=Decimal("150")
    )

    assert (recovery.recovered_by, recovery.recovered_amount) == (staff_user, Decimal("150"))
    assert Recovery.objects.outstanding().count() == 0


def test_held_items_are_saved_on_the_draft(clerk_user):
    GrantFactory(start_month=JAN, monthly_amount=None)

    roll = services.roll_build(acting_user=clerk_user, street=street(), month=MAR)

    assert list(HeldItem.objects.filter(roll=roll).values_list("reason", flat=True)) == ["no_amount"]


def test_standard_with_negative_amount_or_duplicate_month_is_refused(staff_user):
    with pytest.raises(ValidationError) as exc:
        services.standard_create(
            acting_user=staff_user, kind="nursing", monthly_amount=Decimal("-1"), effective_month=JAN
        )
    assert "月标准不能为负数" in exc.value.messages
    services.standard_create(
        acting_user=staff_user, kind="nursing", monthly_amount=Decimal("100"), effective_month=JAN
    )
    with pytest.raises(ValidationError) as exc:
        services.standard_create(
            acting_user=staff_user,
            kind="nursing",
            monthly_amount=Decimal("120"),
            effective_month=dt.date(2025, 1, 15),
        )
    assert "该项目在同一起始月份已有补贴标准" in exc.value.messages


def test_build_all_streets_makes_one_draft_per_street(django_assert_max_num_queries):
    GrantFactory(start_month=JAN)
    GrantFactory(start_month=JAN, person__street=street("华侨路街道"))

    rolls = services.rolls_build_all(month=MAR)

    assert len(rolls) == 13
    assert RollLine.objects.count() == 2


def test_steady_fast_path_gives_the_same_roll_as_the_full_rules(clerk_user, staff_user, monkeypatch):
    # given a street with a history: steady grants, a late grant, a late death, a lowered amount,
    # a duplicate, a grant without amount paid at the standard, and a failed payment
    from payments import rules
    from payments.tests.factories import StandardFactory

    StandardFactory(effective_month=dt.date(2024, 1, 1), monthly_amount=Decimal("110.00"))
    steady = [GrantFactory(start_month=JAN) for _ in range(3)]
    GrantFactory(start_month=JAN, monthly_amount=None)
    doubled = GrantFactory(start_month=JAN)
    GrantFactory(person=doubled.person, start_month=FEB, monthly_amount=Decimal("160.00"))
    approved_roll(JAN, submitter=clerk_user, approver=staff_user)
    feb = approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    GrantFactory(start_month=dt.date(2024, 12, 1))
    dead = steady[0].person
    dead.status, dead.status_changed_on = PersonStatus.DECEASED, dt.date(2025, 1, 31)
    dead.save()
    steady[1].monthly_amount = Decimal("100.00")
    steady[1].save()
    bankfile.import_return_file(
        acting_user=staff_user,
        roll=feb,
        data=return_file([steady[2].person.id_number, "重度残疾人护理补贴", "2025-02", "x"]),
    )

    fast = selectors.preview(MAR)
    monkeypatch.setattr(rules, "_steady_roll", lambda *args: None)
    full = selectors.preview(MAR)

    assert fast == full
    assert {line["type"] for line in fast["lines"]} == {"regular", "arrears"}
    assert fast["recoveries"] and fast["held"]


def test_no_roll_is_built_for_a_month_before_the_streets_first_approved_roll(clerk_user, staff_user):
    # given a street whose roll history starts with its approved roll of February 2025
    GrantFactory(start_month=dt.date(2020, 1, 1))
    approved_roll(FEB, submitter=clerk_user, approver=staff_user)
    # when a clerk builds a roll of a month before it
    with pytest.raises(ValidationError) as exc:
        services.roll_build(acting_user=clerk_user, street=street(), month=dt.date(2020, 1, 1))
    # then it is refused: approved, it would make the next roll owe every month since, back to 2020
    assert exc.value.messages == ["不能生成宁海路街道首份已审核名册（2025-02）之前月份的发放名册"]
    assert not Roll.objects.filter(month=dt.date(2020, 1, 1)).exists()
    # while the months from the history's start on are built as before
    assert services.roll_build(acting_user=clerk_user, street=street(), month=MAR).month == MAR


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2025/03", "月份格式应为 YYYY-MM，例如 2025-03"),
        ("2025-13", "月份格式应为 YYYY-MM，例如 2025-03"),
        ("1999-01", "月份应在2000-01到2100-12之间"),
        ("2101-01", "月份应在2000-01到2100-12之间"),
    ],
)
def test_a_roll_month_is_refused_with_what_is_wrong_with_it(text, message):
    # a well-formed month out of range is not said to be badly formed
    with pytest.raises(ValidationError) as refused:
        services.parse_month(text)
    assert refused.value.messages == [message]
    assert services.parse_month("2000-01") == dt.date(2000, 1, 1)
