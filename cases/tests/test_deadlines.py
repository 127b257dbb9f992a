"""Deadlines by the source's rule in working days (core.workdays, chinesecalendar), computed by hand
at the edges: receipt before 国庆 and 春节, a 调休 Saturday, and closing on the deadline day."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases import services
from cases.models import DEADLINE_REQUIRED, DeadlineRule, Source
from cases.tests.factories import close_case, create_case

pytestmark = [pytest.mark.django_db, pytest.mark.freeze_time("2025-12-01 10:00:00")]


def test_seeded_rules_give_petitions_15_working_days_and_hotlines_fewer():
    rules = services.rules_by_source()

    assert rules[Source.LETTER] == rules[Source.VISIT] == rules[Source.ONLINE] == 15
    assert rules[Source.HOTLINE_12385] == 7
    assert rules[Source.HOTLINE_12345] == rules[Source.HOTLINE_96180] == 5
    assert Source.NPC_PROPOSAL not in rules and Source.CPPCC_PROPOSAL not in rules


def test_hotline_item_received_before_national_day_skips_the_holiday_and_counts_the_sunday_workday(
    staff_user, own_street
):
    # Fri 26 Sep 2025; Sat 27 off; Sun 28 调休 workday (1); 29 (2); 30 (3); 1–8 Oct 国庆/中秋 off;
    # Thu 9 Oct (4); Fri 10 Oct (5)
    case = create_case(staff_user, own_street, received_on=dt.date(2025, 9, 26))

    assert case.deadline == dt.date(2025, 10, 10)
    assert case.deadline_from_rule


def test_petition_received_before_spring_festival(staff_user, own_street):
    # Fri 24 Jan 2025; Sun 26 Jan 调休 (1); Mon 27 (2); 28 Jan–4 Feb 春节 off; 5, 6, 7 Feb (3–5);
    # Sat 8 Feb 调休 (6); 10–14 Feb (7–11); 17–20 Feb (12–15)
    case = create_case(staff_user, own_street, source=Source.LETTER, received_on=dt.date(2025, 1, 24))

    assert case.deadline == dt.date(2025, 2, 20)


def test_a_tiaoxiu_saturday_counts_as_a_working_day(staff_user, own_street):
    # Fri 10 Oct 2025; Sat 11 Oct 调休 workday (1); 13, 14, 15, 16 Oct (2–5); without it: 17 Oct
    case = create_case(staff_user, own_street, received_on=dt.date(2025, 10, 10))

    assert case.deadline == dt.date(2025, 10, 16)


def test_closing_on_the_deadline_day_is_on_time_and_the_day_after_is_late(staff_user, own_street):
    on_day = create_case(staff_user, own_street, received_on=dt.date(2025, 9, 26))
    late = create_case(staff_user, own_street, received_on=dt.date(2025, 9, 26))

    close_case(staff_user, on_day, dt.date(2025, 10, 10))
    close_case(staff_user, late, dt.date(2025, 10, 11))
    on_day.refresh_from_db()
    late.refresh_from_db()

    assert on_day.closed_on_time is True
    assert late.closed_on_time is False


def test_a_changed_rule_applies_to_cases_received_afterwards(staff_user, own_street):
    before = create_case(staff_user, own_street, received_on=dt.date(2025, 3, 3))
    rule = DeadlineRule.objects.get(source=Source.HOTLINE_12345)

    services.deadline_rule_update(acting_user=staff_user, rule=rule, working_days=3)
    after = create_case(staff_user, own_street, received_on=dt.date(2025, 3, 3))
    before.refresh_from_db()

    assert before.deadline == dt.date(2025, 3, 10)  # Mon 3 Mar + 5 working days
    assert after.deadline == dt.date(2025, 3, 6)  # + 3
    assert rule.history.get(working_days=3).history_user == staff_user


def test_correcting_an_older_case_keeps_its_deadline_after_a_rule_change(staff_user, own_street, client):
    # a 12345 item of Mon 3 Mar: 5 working days, 2025-03-10; the rule then becomes 3 working days
    case = create_case(staff_user, own_street, received_on=dt.date(2025, 3, 3))
    rule = DeadlineRule.objects.get(source=Source.HOTLINE_12345)
    services.deadline_rule_update(acting_user=staff_user, rule=rule, working_days=3)

    # the service (the API's PATCH) and the page's form, which sends every field back unchanged
    services.case_update(acting_user=staff_user, case=case, subject="咨询护理补贴发放时间")
    client.force_login(staff_user)
    page = client.post(
        reverse("cases:case_update", args=[case.pk]),
        {
            "number": case.number,
            "source": case.source,
            "received_on": "2025-03-03",
            "petitioner": case.petitioner,
            "street": own_street.pk,
            "subject": "咨询护理补贴到账时间",
            "category": case.category,
            "deadline": "",
        },
    )
    case.refresh_from_db()

    assert page.status_code == 302
    assert case.subject == "咨询护理补贴到账时间"
    assert (case.deadline, case.deadline_from_rule) == (dt.date(2025, 3, 10), True)
    # a corrected day of receipt does follow today's rule
    services.case_update(acting_user=staff_user, case=case, received_on=dt.date(2025, 3, 4))
    assert case.deadline == dt.date(2025, 3, 7)


def test_only_district_staff_change_a_rule(clerk_user):
    rule = DeadlineRule.objects.get(source=Source.LETTER)

    with pytest.raises(ValidationError, match="办理时限只能由区残联工作人员修改"):
        services.deadline_rule_update(acting_user=clerk_user, rule=rule, working_days=3)


def test_proposals_need_their_deadline_entered(staff_user, own_street):
    with pytest.raises(ValidationError) as exc:
        create_case(staff_user, own_street, source=Source.NPC_PROPOSAL)

    assert exc.value.message_dict["deadline"] == [DEADLINE_REQUIRED]
    case = create_case(staff_user, own_street, source=Source.CPPCC_PROPOSAL, deadline=dt.date(2025, 6, 30))
    assert case.deadline == dt.date(2025, 6, 30) and not case.deadline_from_rule


def test_an_entered_deadline_stands_and_an_emptied_one_follows_the_rule_again(staff_user, own_street):
    case = create_case(staff_user, own_street, deadline=dt.date(2025, 3, 31))
    assert case.deadline == dt.date(2025, 3, 31) and not case.deadline_from_rule

    services.case_update(acting_user=staff_user, case=case, deadline=None)

    assert case.deadline == dt.date(2025, 3, 10) and case.deadline_from_rule


def test_a_rule_deadline_follows_a_corrected_day_of_receipt(staff_user, own_street):
    case = create_case(staff_user, own_street, received_on=dt.date(2025, 3, 3))

    services.case_update(acting_user=staff_user, case=case, received_on=dt.date(2025, 9, 26))

    assert case.deadline == dt.date(2025, 10, 10)
