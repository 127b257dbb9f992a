import datetime as dt

import pytest
from django.urls import reverse

from core.idnumbers import make_id_number
from core.models import Community, Street
from imports.tests.factories import read_workbook
from registry.models import AccessLog, Person, PersonStatus, Survey
from registry.tests.factories import CommunityFactory, PersonFactory, SurveyFactory, person_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_street():
    return Street.objects.get(name="宁海路街道")


@pytest.fixture
def other_street():
    return Street.objects.get(name="华侨路街道")


class TestPersonList:
    def test_clerk_sees_only_his_street_with_masked_id_numbers(
        self, client_for, clerk_user, own_street, other_street
    ):
        mine = PersonFactory(street=own_street, name="本街道人员")
        PersonFactory(street=other_street, name="其他街道人员")
        response = client_for(clerk_user).get(reverse("registry:person_list"))
        html = response.content.decode()
        assert response.status_code == 200
        assert "本街道人员" in html and "其他街道人员" not in html
        assert mine.masked_id_number in html and mine.id_number not in html

    def test_search_by_name_id_number_and_certificate_number(self, client_for, staff_user):
        target = PersonFactory(name="赵小明")
        PersonFactory(name="钱大同")
        client = client_for(staff_user)
        url = reverse("registry:person_list")
        for query in ("小明", target.id_number.lower(), target.certificate_number):
            html = client.get(url, {"q": query}).content.decode()
            assert "赵小明" in html and "钱大同" not in html, query

    def test_filters_by_category_grade_status_and_community(self, client_for, staff_user):
        community = CommunityFactory(name="颐和路社区")
        PersonFactory(name="甲", category="1", grade="1", community=community)
        PersonFactory(
            name="乙", category="4", status=PersonStatus.DECEASED, status_changed_on=dt.date(2022, 1, 1)
        )
        client = client_for(staff_user)
        url = reverse("registry:person_list")
        assert list(client.get(url, {"category": "1"}).context["persons"].values_list("name", flat=True)) == [
            "甲"
        ]
        assert list(client.get(url, {"grade": "1"}).context["persons"].values_list("name", flat=True)) == [
            "甲"
        ]
        assert list(
            client.get(url, {"status": "deceased"}).context["persons"].values_list("name", flat=True)
        ) == ["乙"]
        assert list(
            client.get(url, {"community": community.pk}).context["persons"].values_list("name", flat=True)
        ) == ["甲"]

    def test_street_filter_is_offered_to_staff_only(self, client_for, staff_user, clerk_user, other_street):
        PersonFactory(street=other_street, name="华侨路人员")
        staff_page = client_for(staff_user).get(reverse("registry:person_list"), {"street": other_street.pk})
        assert "street" in staff_page.context["filter"].form.fields
        assert [p.name for p in staff_page.context["persons"]] == ["华侨路人员"]
        clerk_page = client_for(clerk_user).get(reverse("registry:person_list"), {"street": other_street.pk})
        assert "street" not in clerk_page.context["filter"].form.fields
        assert "华侨路人员" not in clerk_page.content.decode()

    def test_pages_of_fifty_keep_the_filters_in_links(self, client_for, staff_user):
        PersonFactory.create_batch(51, category="2")
        response = client_for(staff_user).get(reverse("registry:person_list"), {"category": "2"})
        assert len(response.context["persons"]) == 50
        assert "?category=2&page=2" in response.content.decode()

    def test_query_count_does_not_grow_with_rows(self, client_for, staff_user, django_assert_max_num_queries):
        PersonFactory.create_batch(60, community=CommunityFactory())
        client = client_for(staff_user)
        # 11: the page's one access-log insert (access.md) counts too
        with django_assert_max_num_queries(11):
            client.get(reverse("registry:person_list"))

    def test_export_link_carries_the_filters(self, client_for, staff_user):
        response = client_for(staff_user).get(reverse("registry:person_list"), {"category": "4"})
        export = reverse("imports:export")
        assert response.context["export_url"] == f"{export}?resource=persons&category=4"

    @pytest.mark.parametrize("query", [{}, {"category": "1", "grade": "2"}])
    def test_clerks_export_link_carries_the_default_status_and_exports_the_lists_persons(
        self, client_for, clerk_user, own_street, query
    ):
        for status, name in [
            (PersonStatus.ACTIVE, "正常甲"),
            (PersonStatus.MOVED_OUT, "迁出乙"),
            (PersonStatus.CANCELLED, "注销丙"),
        ]:
            PersonFactory(
                street=own_street,
                name=name,
                category="1",
                grade="2",
                status=status,
                status_changed_on=None if status == PersonStatus.ACTIVE else dt.date(2024, 1, 1),
            )
        PersonFactory(street=own_street, name="正常丁", category="2", grade="3")
        client = client_for(clerk_user)
        response = client.get(reverse("registry:person_list"), query)
        listed = sorted(p.name for p in response.context["persons"])
        export_url = response.context["export_url"]
        assert "status=active" in export_url
        content = b"".join(client.get(export_url).streaming_content)
        exported = sorted(row[0] for row in read_workbook(content)["持证残疾人"][1:])
        assert exported == listed == (["正常甲"] if query else ["正常丁", "正常甲"])

    def test_clerks_chosen_all_statuses_reach_the_export(self, client_for, clerk_user, own_street):
        PersonFactory(street=own_street, name="正常甲")
        PersonFactory(
            street=own_street,
            name="迁出乙",
            status=PersonStatus.MOVED_OUT,
            status_changed_on=dt.date(2024, 1, 1),
        )
        client = client_for(clerk_user)
        response = client.get(reverse("registry:person_list"), {"status": ""})
        content = b"".join(client.get(response.context["export_url"]).streaming_content)
        exported = sorted(row[0] for row in read_workbook(content)["持证残疾人"][1:])
        assert exported == sorted(p.name for p in response.context["persons"]) == ["正常甲", "迁出乙"]


class TestPersonDetail:
    def test_detail_shows_full_id_number_and_logs_the_view(self, client_for, clerk_user, own_street):
        person = PersonFactory(street=own_street)
        response = client_for(clerk_user).get(reverse("registry:person_detail", args=[person.pk]))
        assert person.id_number in response.content.decode()
        log = AccessLog.objects.get()
        assert (log.user, log.person, log.action) == (clerk_user, person, AccessLog.Action.VIEW)

    def test_clerk_gets_404_for_another_streets_person_on_every_page(
        self, client_for, clerk_user, other_street
    ):
        person = PersonFactory(street=other_street)
        survey = SurveyFactory(person=person)
        client = client_for(clerk_user)
        urls = [
            reverse("registry:person_detail", args=[person.pk]),
            reverse("registry:person_update", args=[person.pk]),
            reverse("registry:person_status", args=[person.pk]),
            reverse("registry:survey_create", args=[person.pk]),
            reverse("registry:survey_update", args=[survey.pk]),
        ]
        for url in urls:
            assert client.get(url).status_code == 404, url
        for url in urls[1:]:
            assert client.post(url, {"status": "deceased", "changed_on": "2024-01-01"}).status_code == 404, (
                url
            )
        person.refresh_from_db()
        assert person.status == PersonStatus.ACTIVE
        assert not AccessLog.objects.exists()

    def test_history_shows_who_and_before_after(self, client_for, clerk_user, own_street):
        client = client_for(clerk_user)
        client.post(reverse("registry:person_create"), person_form_data(phone="13900000000"))
        person = Person.objects.get()
        client.post(
            reverse("registry:person_update", args=[person.pk]), person_form_data(phone="13988887777")
        )
        client.post(
            reverse("registry:survey_create", args=[person.pk]),
            {"year": 2024, "household_size": 2, "low_income_type": "none"},
        )
        history = client.get(reverse("registry:person_detail", args=[person.pk])).context["history"]
        change = next(e for e in history if e.action == "修改")
        assert change.who == "clerk"
        assert [(c.label, c.old, c.new) for c in change.changes] == [
            ("联系电话", "13900000000", "13988887777")
        ]
        assert {e.subject for e in history} == {"人员信息", "2024年度调查"}

    def test_domain_sections_are_loaded_with_htmx(self, client_for, staff_user):
        person = PersonFactory()
        html = (
            client_for(staff_user).get(reverse("registry:person_detail", args=[person.pk])).content.decode()
        )
        for name in ("subsidies:person_section", "employment:person_section"):
            url = reverse(name, kwargs={"person_pk": person.pk})
            assert f'hx-get="{url}"' in html

    def test_query_count_does_not_grow_with_history(
        self, client_for, staff_user, django_assert_max_num_queries
    ):
        from registry import services

        person = PersonFactory()
        for year in range(2015, 2025):
            services.survey_create(acting_user=staff_user, person=person, year=year, household_size=2)
        for n in range(10):
            services.person_update(acting_user=staff_user, person=person, phone=f"139000000{n:02d}")
        client = client_for(staff_user)
        with django_assert_max_num_queries(16):
            client.get(reverse("registry:person_detail", args=[person.pk]))


class TestPersonForms:
    def test_clerk_registers_a_person_in_his_street(self, client_for, clerk_user, own_street):
        community = CommunityFactory(street=own_street)
        response = client_for(clerk_user).post(
            reverse("registry:person_create"), person_form_data(community=community.pk)
        )
        person = Person.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("registry:person_detail", args=[person.pk])
        assert (person.street, person.community, person.sex) == (own_street, community, "M")

    def test_forged_street_of_another_street_is_refused(self, client_for, clerk_user, other_street):
        response = client_for(clerk_user).post(
            reverse("registry:person_create"), person_form_data(street=other_street.pk)
        )
        assert response.status_code == 200
        assert "无权操作其他街道的记录" in response.content.decode()
        assert not Person.objects.exists()

    def test_community_of_another_street_is_not_offered_to_clerk(self, client_for, clerk_user, other_street):
        foreign = CommunityFactory(street=other_street)
        client = client_for(clerk_user)
        form = client.get(reverse("registry:person_create")).context["form"]
        assert foreign not in form.fields["community"].queryset
        response = client.post(reverse("registry:person_create"), person_form_data(community=foreign.pk))
        assert response.status_code == 200 and not Person.objects.exists()

    def test_bad_check_digit_shows_chinese_error_next_to_field_and_writes_nothing(
        self, client_for, clerk_user
    ):
        good = make_id_number("320106", dt.date(1990, 7, 8), 33)
        bad = good[:17] + ("0" if good[17] != "0" else "1")
        response = client_for(clerk_user).post(
            reverse("registry:person_create"), person_form_data(id_number=bad)
        )
        assert response.status_code == 200
        assert response.context["form"].errors["id_number"] == ["校验位错误"]
        assert 'class="form-control is-invalid"' in response.content.decode()
        assert not Person.objects.exists()

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("phone", "123", "联系电话应为11位手机号"),
            ("issued_on", "1980-01-01", "发证日期不能早于出生日期"),
            ("name", "", "必填项，不能为空"),
            ("name", "张" * 51, "不能超过50个字（现有51个）"),
            ("id_number", "320106900708033", "不支持15位身份证号码"),
        ],
    )
    def test_bad_input_shows_chinese_messages(self, client_for, clerk_user, field, value, message):
        response = client_for(clerk_user).post(
            reverse("registry:person_create"), person_form_data(**{field: value})
        )
        assert message in " ".join(response.context["form"].errors[field])
        assert not Person.objects.exists()

    def test_a_blank_id_number_gets_one_message(self, client_for, clerk_user):
        response = client_for(clerk_user).post(
            reverse("registry:person_create"), person_form_data(id_number="")
        )
        assert response.context["form"].errors["id_number"] == ["必填项，不能为空"]
        assert not Person.objects.exists()

    def test_duplicate_id_number_is_refused(self, client_for, clerk_user):
        existing = PersonFactory()
        response = client_for(clerk_user).post(
            reverse("registry:person_create"), person_form_data(id_number=existing.id_number)
        )
        assert "id_number" in response.context["form"].errors
        assert Person.objects.count() == 1

    def test_create_form_has_date_input_and_autofocus(self, client_for, clerk_user):
        html = client_for(clerk_user).get(reverse("registry:person_create")).content.decode()
        assert 'type="date" name="issued_on"' in html
        assert 'name="name"' in html and "autofocus" in html

    def test_update_changes_only_what_was_edited(self, client_for, clerk_user, own_street):
        person = PersonFactory(street=own_street, phone="13900000000")
        data = person_form_data(
            name=person.name,
            id_number=person.id_number,
            category=person.category,
            grade=person.grade,
            issued_on=person.issued_on.isoformat(),
            certificate_number=person.certificate_number,
            address="",
            phone="13911112222",
        )
        response = client_for(clerk_user).post(reverse("registry:person_update", args=[person.pk]), data)
        assert response.status_code == 302
        person.refresh_from_db()
        assert person.phone == "13911112222"

    def test_rejected_update_leaves_the_person_unchanged(self, client_for, clerk_user, own_street):
        person = PersonFactory(street=own_street, phone="13900000000")
        response = client_for(clerk_user).post(
            reverse("registry:person_update", args=[person.pk]),
            person_form_data(id_number=person.id_number, phone="1"),
        )
        assert response.status_code == 200
        person.refresh_from_db()
        assert person.phone == "13900000000"

    def test_status_change_by_post_never_deletes(self, client_for, clerk_user, own_street):
        person = PersonFactory(street=own_street)
        client = client_for(clerk_user)
        url = reverse("registry:person_status", args=[person.pk])
        assert client.get(url).status_code == 405
        response = client.post(url, {"status": "moved_out", "changed_on": "2024-05-06"}, follow=True)
        assert "人员状态已改为“迁出”" in response.content.decode()
        person.refresh_from_db()
        assert (person.status, person.status_changed_on) == (PersonStatus.MOVED_OUT, dt.date(2024, 5, 6))
        response = client.post(url, {"status": "deceased"}, follow=True)
        assert "必须填写状态变更日期" in response.content.decode()
        client.post(url, {"status": "active"})
        person.refresh_from_db()
        assert person.status == PersonStatus.ACTIVE and Person.objects.count() == 1

    def test_survey_forms_create_and_update(self, client_for, clerk_user, own_street):
        person = PersonFactory(street=own_street)
        client = client_for(clerk_user)
        response = client.post(
            reverse("registry:survey_create", args=[person.pk]),
            {
                "year": 2024,
                "household_size": 3,
                "household_income": "45000.00",
                "low_income_type": "dibao",
                "dibao_eligible": "on",
                "medical_insurance": "insured",
            },
        )
        assert response.status_code == 302
        survey = Survey.objects.get()
        assert survey.dibao_eligible and survey.household_income == 45000
        response = client.post(
            reverse("registry:survey_update", args=[survey.pk]),
            {"year": 2019, "household_size": 4, "low_income_type": "none"},
        )
        survey.refresh_from_db()
        assert (survey.year, survey.household_size, survey.dibao_eligible) == (2024, 4, False)

    def test_survey_form_rejects_duplicate_year_and_bad_size_in_chinese(
        self, client_for, clerk_user, own_street
    ):
        survey = SurveyFactory(person=PersonFactory(street=own_street), year=2023)
        client = client_for(clerk_user)
        url = reverse("registry:survey_create", args=[survey.person.pk])
        response = client.post(url, {"year": 2023, "low_income_type": "none"})
        assert response.context["form"].errors["year"] == ["该人员2023年度的调查已存在"]
        response = client.post(url, {"year": 2024, "household_size": 25, "low_income_type": "none"})
        assert response.context["form"].errors["household_size"] == ["不能大于20"]
        response = client.post(url, {"year": 2099, "low_income_type": "none"})
        assert response.context["form"].errors["year"] == ["调查年度不能晚于今年"]
        assert Survey.objects.count() == 1

    def test_survey_forms_open_and_save_inside_the_section_with_htmx(
        self, client_for, clerk_user, own_street
    ):
        person = PersonFactory(street=own_street)
        client = client_for(clerk_user)
        htmx = {"HTTP_HX_REQUEST": "true"}
        create_url = reverse("registry:survey_create", args=[person.pk])

        html = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
        assert 'id="survey-section"' in html and f'hx-get="{create_url}"' in html

        form_html = client.get(create_url, **htmx).content.decode()
        assert 'data-testid="survey-section"' in form_html and "新增年度调查" in form_html
        assert "<html" not in form_html

        response = client.post(
            create_url, {"year": 2024, "household_size": 2, "low_income_type": "none"}, **htmx
        )
        html = response.content.decode()
        assert (
            response.status_code == 200
            and "2024年度调查已保存" in html
            and 'data-testid="survey-row"' in html
        )
        survey = Survey.objects.get(person=person)

        response = client.post(
            reverse("registry:survey_update", args=[survey.pk]),
            {"household_size": 5, "low_income_type": "none"},
            **htmx,
        )
        assert "2024年度调查已保存" in response.content.decode()
        survey.refresh_from_db()
        assert (survey.year, survey.household_size) == (2024, 5)

        invalid = client.post(create_url, {"year": 2024, "low_income_type": "none"}, **htmx).content.decode()
        assert "该人员2024年度的调查已存在" in invalid and 'data-testid="survey-form"' in invalid


def test_official_and_streetless_clerk_get_404(client_for, official_user, streetless_clerk_user):
    person = PersonFactory()
    for user in (official_user, streetless_clerk_user):
        client = client_for(user)
        assert client.get(reverse("registry:person_list")).status_code == 404
        assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 404
        assert client.post(reverse("registry:person_create"), person_form_data()).status_code == 404
    assert Person.objects.count() == 1
    assert Community.objects.count() == 0
