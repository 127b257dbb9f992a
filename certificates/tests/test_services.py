"""The rules of issue 13 at their edges, through the services (every door calls them)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from freezegun import freeze_time

from certificates import services
from certificates.models import Application, ApplicationKind, ApplicationState, ApplicationStep, StepKind
from certificates.tests import factories as f
from registry.models import Person, PersonStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_frozen")]


@pytest.fixture
def _frozen():
    with freeze_time("2025-06-30 10:00:00"):
        yield


def _messages(exc: ValidationError) -> str:
    return "；".join(exc.messages)


def test_new_application_taken_to_issue_registers_person_with_certificate_number_from_assessment():
    application = f.receive()
    f.assess(application, category="5", grade="3")
    f.street_review(application)
    step = f.decide(application)
    application.refresh_from_db()
    person = Person.objects.get(id_number=application.id_number)
    assert application.state == ApplicationState.ISSUED
    assert application.person == person
    assert person.certificate_number == f"{application.id_number}53" == step.certificate_number
    assert (person.category, person.grade) == ("5", "3")
    assert person.issued_on == dt.date(2025, 3, 13)
    assert person.history.first().history_user == step.by


def test_second_new_application_for_holder_of_valid_certificate_is_refused():
    first = f.issued_new()
    with pytest.raises(ValidationError) as exc:
        f.receive(id_number=first.id_number)
    assert "只能申请换领、补领或注销" in _messages(exc.value)
    assert Application.objects.filter(id_number=first.id_number).count() == 1


@pytest.mark.parametrize("kind,reason", [("renew", "expiry"), ("reissue", "lost"), ("cancel", "death")])
def test_holder_may_apply_for_renewal_reissue_or_cancellation(kind, reason):
    first = f.issued_new()
    application = f.receive(id_number=first.id_number, kind=kind, reason=reason)
    assert application.person_id == first.person_id


def test_renewal_without_a_valid_certificate_is_refused():
    with pytest.raises(ValidationError) as exc:
        f.receive(kind=ApplicationKind.RENEW, reason="expiry")
    assert "没有有效残疾人证" in _messages(exc.value)


def test_new_application_after_cancellation_reuses_the_person_record():
    first = f.issued_new()
    cancel = f.receive(
        id_number=first.id_number, kind="cancel", reason="other", received_on=dt.date(2025, 4, 1)
    )
    f.street_review(cancel)
    f.decide(cancel)
    person = Person.objects.get(pk=first.person_id)
    assert person.status == PersonStatus.CANCELLED
    again = f.receive(id_number=first.id_number, received_on=dt.date(2025, 5, 5))
    f.assess(again, category="1", grade="1")
    f.street_review(again)
    f.decide(again)
    person.refresh_from_db()
    assert Person.objects.filter(id_number=first.id_number).count() == 1
    assert person.status == PersonStatus.ACTIVE and person.certificate_number.endswith("11")


def test_cancellation_on_death_sets_status_and_date():
    first = f.issued_new()
    cancel = f.receive(
        id_number=first.id_number, kind="cancel", reason="death", received_on=dt.date(2025, 4, 1)
    )
    f.street_review(cancel)
    f.decide(cancel, on=dt.date(2025, 4, 20))
    person = Person.objects.get(pk=first.person_id)
    assert (person.status, person.status_changed_on) == (PersonStatus.DECEASED, dt.date(2025, 4, 20))


def test_renewal_for_change_of_grade_needs_assessment_and_changes_certificate_number():
    first = f.issued_new()
    renew = f.receive(
        id_number=first.id_number, kind="renew", reason="change", received_on=dt.date(2025, 4, 1)
    )
    with pytest.raises(ValidationError) as exc:
        f.street_review(renew)
    assert "下一步应为“评定”" in _messages(exc.value)
    f.assess(renew, grade="1")
    f.street_review(renew)
    f.decide(renew)
    person = Person.objects.get(pk=first.person_id)
    assert person.certificate_number == f"{first.id_number}41"


def test_reissue_skips_assessment_and_keeps_certificate_number():
    first = f.issued_new()
    number = Person.objects.get(pk=first.person_id).certificate_number
    reissue = f.receive(
        id_number=first.id_number, kind="reissue", reason="lost", received_on=dt.date(2025, 4, 1)
    )
    with pytest.raises(ValidationError):
        f.assess(reissue)
    f.street_review(reissue)
    f.decide(reissue)
    person = Person.objects.get(pk=first.person_id)
    assert person.certificate_number == number
    # 发证日期 stays the first issue (entry into the register); the reissue is dated on its decision
    assert person.issued_on == first.decided_on


def test_steps_cannot_be_skipped_or_repeated():
    application = f.receive()
    with pytest.raises(ValidationError):
        f.decide(application)  # skips 评定 and 街道初审
    f.assess(application)
    with pytest.raises(ValidationError):
        f.assess(application)  # repeated
    assert application.steps.count() == 2


def test_database_refuses_out_of_order_step_inserted_raw():
    application = f.receive()
    user_id = application.received_by_id
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO certificates_applicationstep (application_id, sequence, kind, done_on, institution,"
            " category, grade, doctor, decision, reason, certificate_number, note, by_id, at)"
            " VALUES (%s, 2, 'district_review', '2025-03-10', '', '', '', '', 'issue', '', '', '', %s, now())",
            [application.pk, user_id],
        )
    application.refresh_from_db()
    assert application.state == ApplicationState.RECEIVED


def test_database_refuses_repeated_sequence_and_changed_steps():
    application = f.receive()
    f.assess(application)
    step = application.steps.get(kind=StepKind.ASSESSMENT)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO certificates_applicationstep (application_id, sequence, kind, done_on, institution,"
            " category, grade, doctor, decision, reason, certificate_number, note, by_id, at)"
            " VALUES (%s, 2, 'street_review', '2025-03-10', '', '', '', '', '', '', '', '', %s, now())",
            [application.pk, step.by_id],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationStep.objects.filter(pk=step.pk).update(grade="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        ApplicationStep.objects.filter(pk=step.pk).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Application.objects.filter(pk=application.pk).update(state=ApplicationState.ISSUED)


def test_decision_by_the_clerk_who_took_it_in_is_refused(settings):
    taker = f.staff()
    application = f.receive(by=taker)
    f.assess(application)
    f.street_review(application)
    with pytest.raises(ValidationError) as exc:
        f.decide(application, by=taker)
    assert _messages(exc.value) == services.FOUR_EYES_MESSAGE
    settings.CERTIFICATE_FOUR_EYES = False
    f.decide(application, by=taker)
    application.refresh_from_db()
    assert application.state == ApplicationState.ISSUED


def test_street_clerk_cannot_record_a_district_decision():
    application = f.receive()
    f.assess(application)
    f.street_review(application)
    with pytest.raises(ValidationError) as exc:
        f.decide(application, by=f.clerk())
    assert _messages(exc.value) == services.STAFF_ONLY_MESSAGE


def test_clerk_cannot_handle_another_streets_application():
    application = f.receive()
    with pytest.raises(ValidationError) as exc:
        f.assess(application, by=f.clerk("华侨路街道"))
    assert "其他街道" in _messages(exc.value)


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("id_number", "320106198503040001", "校验位错误"),
        ("id_number", "12345", "公民身份号码应为18位"),
    ],
)
def test_invalid_id_number_is_refused_in_chinese_and_nothing_written(field, value, message):
    with pytest.raises(ValidationError) as exc:
        f.receive(id_number=value)
    assert message in _messages(exc.value)
    assert not Application.objects.exists() and not ApplicationStep.objects.exists()


def test_assessment_dated_before_application_is_refused():
    application = f.receive(received_on=dt.date(2025, 3, 3))
    with pytest.raises(ValidationError) as exc:
        f.assess(application, on=dt.date(2025, 3, 2))
    assert "评定日期不能早于受理日期" in _messages(exc.value)
    f.assess(application, on=dt.date(2025, 3, 3))  # the same day is fine


def test_assessment_dated_after_its_own_step_is_refused():
    # given an application received on 3 March
    application = f.receive(received_on=dt.date(2025, 3, 3))
    # when its assessment step is recorded on 4 March for an assessment held on 6 March
    with pytest.raises(ValidationError) as exc:
        services.application_assess(
            acting_user=f.staff(),
            application=application,
            institution="鼓楼医院",
            assessed_on=dt.date(2025, 3, 6),
            category="4",
            grade="2",
            doctor="王医生",
            done_on=dt.date(2025, 3, 4),
        )
    # then it is refused on the assessment date, and nothing is written
    assert exc.value.message_dict == {"assessed_on": ["评定日期不能晚于办理日期（2025-03-04）"]}
    assert application.steps.count() == 1


@pytest.mark.parametrize(
    "category,grade,message", [("4", "5", "一级至四级"), ("4", "0", "一级至四级"), ("8", "2", "七类之一")]
)
def test_grade_or_category_outside_the_lists_is_refused(category, grade, message):
    application = f.receive()
    with pytest.raises(ValidationError) as exc:
        f.assess(application, category=category, grade=grade)
    assert message in _messages(exc.value)
    assert application.steps.count() == 1


def test_refusal_needs_a_reason():
    application = f.receive()
    f.assess(application)
    f.street_review(application)
    with pytest.raises(ValidationError) as exc:
        f.decide(application, decision="refuse")
    assert "理由" in _messages(exc.value)
    f.decide(application, decision="refuse", reason="评定未达到残疾标准")
    application.refresh_from_db()
    assert application.state == ApplicationState.REFUSED and not Person.objects.exists()


def test_appeal_within_limit_leads_to_reassessment_and_second_decision_kept_beside_first():
    application = f.refused(on=dt.date(2025, 3, 13))
    with pytest.raises(ValidationError) as exc:
        services.application_appeal(
            acting_user=f.staff(), application=application, note="不服", done_on=dt.date(2025, 5, 13)
        )  # 61 days
    assert "60日内" in _messages(exc.value)
    services.application_appeal(
        acting_user=f.staff(), application=application, note="不服", done_on=dt.date(2025, 5, 12)
    )  # 60 days
    with pytest.raises(ValidationError):
        f.decide(application, on=dt.date(2025, 5, 20))  # the re-assessment comes first
    f.assess(application, on=dt.date(2025, 5, 15), grade="4")
    f.decide(application, on=dt.date(2025, 5, 20))
    application.refresh_from_db()
    decisions = list(
        application.steps.filter(kind=StepKind.DISTRICT_REVIEW).values_list("decision", flat=True)
    )
    assert decisions == ["refuse", "issue"]
    assert (application.outcome, application.decided_on) == ("refuse", dt.date(2025, 3, 13))
    assert application.state == ApplicationState.ISSUED
    assert Person.objects.get(id_number=application.id_number).grade == "4"
    with pytest.raises(ValidationError) as exc:
        services.application_appeal(acting_user=f.staff(), application=application, note="再诉")
    assert "已办结" in _messages(exc.value)


def test_appeal_limit_follows_the_setting(settings):
    settings.CERTIFICATE_APPEAL_DAYS = 10
    application = f.refused(on=dt.date(2025, 3, 13))
    with pytest.raises(ValidationError) as exc:
        services.application_appeal(
            acting_user=f.staff(), application=application, note="不服", done_on=dt.date(2025, 3, 24)
        )
    assert "10日内" in _messages(exc.value)


def test_second_open_application_for_same_id_number_is_refused():
    application = f.receive()
    with pytest.raises(ValidationError) as exc:
        f.receive(id_number=application.id_number)
    assert "正在办理" in _messages(exc.value)


def test_renewal_and_reissue_need_a_sub_reason():
    first = f.issued_new()
    with pytest.raises(ValidationError) as exc:
        f.receive(id_number=first.id_number, kind="renew", reason="")
    assert "换领须选择具体原因" in _messages(exc.value)
    with pytest.raises(ValidationError):
        f.receive(id_number=first.id_number, kind="reissue", reason="expiry")
