"""The community worker (社区专职委员): `for_user()` narrows every model to his community, closes the
grant, care-home and import models, and every door (list, search, export, API, gap list, writes)
follows it. The access matrix (tests/test_access_matrix.py) walks every URL; this file checks content."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from care_homes.models import AuxProject, CareHome, Placement
from care_homes.tests.factories import AuxProjectFactory, CareHomeFactory
from core.models import Community, Street
from core.roles import Role, community_of, may_edit_records, role_of, sees_person_data, street_of
from employment.models import Employment, Graduate, Training
from imports.models import ImportJob
from registry import services
from registry.models import Person, Survey
from registry.tests.factories import PersonFactory, SurveyFactory, make_user
from rehab.models import RehabService
from subsidies.models import Grant
from tests.records import give_a_record_of_every_domain

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(worker_community, other_community):
    """One person in the worker's community, one in the neighbouring community of the same street,
    one in another street, each with a record of every domain."""
    huaqiao = Street.objects.get(name="华侨路街道")
    far = Community.objects.create(street=huaqiao, name="华侨路社区")
    result = {}
    for key, community, name in [
        ("own", worker_community, "本社区人"),
        ("neighbour", other_community, "邻社区人"),
        ("far", far, "外街道人"),
    ]:
        person = PersonFactory(street=community.street, community=community, name=name)
        give_a_record_of_every_domain(person)
        result[key] = person
    CareHomeFactory(street=worker_community.street)
    AuxProjectFactory(home=CareHomeFactory(street=worker_community.street))
    return result


class TestForUser:
    @pytest.mark.parametrize("model", [Person, Survey, RehabService, Training, Employment, Graduate])
    def test_worker_sees_only_his_communitys_persons_and_their_records(self, model, worker_user, people):
        visible = model.objects.for_user(worker_user)
        persons = {obj.pk if model is Person else obj.person_id for obj in visible}
        assert persons == {people["own"].pk}

    @pytest.mark.parametrize("model", [Grant, Placement, CareHome, AuxProject, ImportJob])
    def test_closed_models_show_a_worker_nothing(self, model, worker_user, people):
        assert model.objects.exists() or model is ImportJob
        assert not model.objects.for_user(worker_user).exists()

    def test_worker_sees_his_own_community_and_street_only(
        self, worker_user, worker_community, other_community
    ):
        assert list(Community.objects.for_user(worker_user)) == [worker_community]
        assert list(Street.objects.for_user(worker_user)) == [worker_community.street]

    def test_clerk_of_the_street_still_sees_both_communities(self, clerk_user, people):
        names = set(Person.objects.for_user(clerk_user).values_list("name", flat=True))
        assert names == {"本社区人", "邻社区人"}

    def test_worker_without_community_sees_nothing_and_may_not_edit(self, communityless_worker_user, people):
        user = communityless_worker_user
        assert role_of(user) == Role.COMMUNITY_WORKER and street_of(user) is None
        assert not Person.objects.for_user(user).exists()
        assert not Community.objects.for_user(user).exists()
        assert not sees_person_data(user) and not may_edit_records(user)

    def test_worker_with_a_street_but_no_community_sees_nothing(self, people):
        user = make_user("half", Role.COMMUNITY_WORKER, "宁海路街道")
        assert community_of(user) is None and not Person.objects.for_user(user).exists()


class TestDoors:
    def test_person_list_and_search_find_no_other_community(self, client_for, worker_user, people):
        client = client_for(worker_user)
        listed = client.get(reverse("registry:person_list")).content.decode()
        assert "本社区人" in listed and "邻社区人" not in listed and "外街道人" not in listed
        assert "Excel导入" not in listed and reverse("imports:export") in listed  # export yes, import no
        found = client.get(reverse("registry:person_list"), {"q": people["neighbour"].id_number})
        assert list(found.context["persons"]) == []

    def test_person_api_list_and_search_hold_only_his_community(self, client_for, worker_user, people):
        client = client_for(worker_user)
        names = {row["name"] for row in client.get("/api/registry/persons/").json()["results"]}
        assert names == {"本社区人"}
        searched = client.get("/api/registry/persons/", {"q": people["neighbour"].id_number}).json()
        assert searched["count"] == 0

    def test_person_export_holds_only_his_community(self, client_for, worker_user, people):
        response = client_for(worker_user).get(reverse("imports:export"), {"resource": "persons"})
        assert response.status_code == 200
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        names = {cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row}
        assert "本社区人" in names and not names & {"邻社区人", "外街道人"}

    def test_export_of_a_closed_domain_answers_403(self, client_for, worker_user, people):
        response = client_for(worker_user).get(reverse("imports:export"), {"resource": "subsidies"})
        assert response.status_code == 403

    def test_grant_pages_answer_403_with_a_chinese_message(self, client_for, worker_user, people):
        response = client_for(worker_user).get(reverse("subsidies:grant_list"))
        assert response.status_code == 403
        assert "社区专职委员无权使用此功能" in response.content.decode()
        api = client_for(worker_user).get("/api/subsidies/grants/")
        assert api.status_code == 403 and "社区专职委员" in api.json()["detail"]

    def test_gap_list_is_his_communitys(self, client_for, worker_user, worker_community, other_community):
        for community, name in [(worker_community, "本社区缺口"), (other_community, "邻社区缺口")]:
            person = PersonFactory(community=community, name=name, grade="1")
            SurveyFactory(person=person, year=2023, low_income_type="tekun")
        response = client_for(worker_user).get(
            reverse("indicators:gap_list", kwargs={"code": "K04", "year": 2023})
        )
        assert {item["obj"].name for item in response.context["items"]} == {"本社区缺口"}

    def test_person_page_shows_no_grant_or_care_home_section(self, client_for, worker_user, people):
        response = client_for(worker_user).get(
            reverse("registry:person_detail", kwargs={"pk": people["own"].pk})
        )
        sections = response.context["domain_sections"]
        assert sections and not any("subsidies" in url or "care-homes" in url for url in sections)

    def test_menu_shows_only_what_a_worker_may_use(self, client_for, worker_user):
        response = client_for(worker_user).get(reverse("registry:person_list"))
        labels = [item["label"] for item in response.context["portal_nav"]]
        assert labels == [
            "工作台",
            "指标看板",
            "持证残疾人",
            "就业与培训",
            "康复服务",
            "年度调查",
            "数据质量",
            "信访与维权",
            "法律救助",
            "教育助学",
        ]
        assert "宁海路社区" in response.content.decode()


class TestWrites:
    def test_worker_registers_a_person_in_his_community_only(
        self, worker_user, worker_community, other_community
    ):
        data = dict(
            id_number=PersonFactory.build().id_number,
            name="新登记",
            category="4",
            grade="2",
            issued_on=dt.date(2020, 1, 1),
            street=worker_community.street,
        )
        with pytest.raises(ValidationError, match="只能操作本社区"):
            services.person_register(acting_user=worker_user, community=other_community, **data)
        with pytest.raises(ValidationError, match="只能操作本社区"):
            services.person_register(acting_user=worker_user, community=None, **data)
        person = services.person_register(acting_user=worker_user, community=worker_community, **data)
        assert person.community == worker_community

    def test_worker_cannot_move_a_person_out_of_his_community(self, worker_user, other_community, people):
        with pytest.raises(ValidationError, match="只能操作本社区"):
            services.person_update(acting_user=worker_user, person=people["own"], community=other_community)

    def test_worker_cannot_survey_another_communitys_person(self, worker_user, people):
        with pytest.raises(ValidationError, match="只能操作本社区"):
            services.survey_create(acting_user=worker_user, person=people["neighbour"], year=2024)
        assert not Survey.objects.filter(person=people["neighbour"], year=2024).exists()
        survey = services.survey_create(acting_user=worker_user, person=people["own"], year=2024)
        assert survey.person == people["own"]

    def test_person_form_fixes_street_and_community_for_a_worker(
        self, client_for, worker_user, worker_community, other_community
    ):
        client = client_for(worker_user)
        form = client.get(reverse("registry:person_create")).context["form"]
        assert form.fields["community"].disabled and form.fields["street"].disabled
        assert form.fields["community"].initial == worker_community
        response = client.post(
            reverse("registry:person_create"),
            {
                "name": "表单登记",
                "id_number": PersonFactory.build().id_number,
                "category": "4",
                "grade": "2",
                "issued_on": "2020-01-01",
                "street": worker_community.street.pk,
                "community": other_community.pk,
            },
        )
        assert response.status_code == 200 and not Person.objects.filter(name="表单登记").exists()
        assert "只能操作本社区" in response.content.decode()


class TestCommunityFilter:
    def test_clerk_community_choices_are_his_streets_and_filter_the_list(
        self, client_for, clerk_user, people
    ):
        client = client_for(clerk_user)
        response = client.get(reverse("registry:person_list"))
        choices = set(
            response.context["filter"].form.fields["community"].queryset.values_list("name", flat=True)
        )
        assert choices == {"宁海路社区", "颐和路社区"}
        neighbour = people["neighbour"].community
        filtered = client.get(reverse("registry:person_list"), {"community": neighbour.pk})
        assert [p.name for p in filtered.context["persons"]] == ["邻社区人"]

    def test_clerk_cannot_filter_by_another_streets_community(self, client_for, clerk_user, people):
        far = people["far"].community
        response = client_for(clerk_user).get(reverse("registry:person_list"), {"community": far.pk})
        # not a choice: the filter reports it, the list stays his street's
        assert "community" in response.context["filter"].errors
        assert "外街道人" not in {p.name for p in response.context["persons"]}

    def test_staff_export_filters_by_community(self, client_for, staff_user, people):
        neighbour = people["neighbour"].community
        response = client_for(staff_user).get(
            reverse("imports:export"), {"resource": "persons", "community": neighbour.pk}
        )
        sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
        names = {cell for row in sheet.iter_rows(min_row=2, values_only=True) for cell in row}
        assert "邻社区人" in names and not names & {"本社区人", "外街道人"}

    def test_worker_has_no_street_or_community_filter(self, client_for, worker_user, people):
        response = client_for(worker_user).get(reverse("registry:person_list"))
        assert {"street", "community"}.isdisjoint(response.context["filter"].form.fields)

    def test_worker_data_quality_page_has_no_grant_or_placement_rules(self, client_for, worker_user, people):
        response = client_for(worker_user).get(reverse("quality:data_quality"))
        keys = [section.key for section in response.context["sections"]]
        assert keys == ["misdated_services", "persons_without_survey"]

    def test_worker_api_cannot_register_a_person_in_another_community(self, client_for, worker_user, people):
        payload = {
            "name": "接口登记",
            "id_number": PersonFactory.build().id_number,
            "category": "4",
            "grade": "2",
            "issued_on": "2020-01-01",
            "street": "宁海路街道",
            "community": people["neighbour"].community_id,
        }
        response = client_for(worker_user).post(
            "/api/registry/persons/", payload, content_type="application/json"
        )
        assert response.status_code == 400 and not Person.objects.filter(name="接口登记").exists()
        payload["community"] = people["own"].community_id
        response = client_for(worker_user).post(
            "/api/registry/persons/", payload, content_type="application/json"
        )
        assert response.status_code == 201, response.content.decode()

    def test_worker_data_quality_lists_no_other_communitys_person(self, client_for, worker_user, people):
        # people have a 2023 survey only: this year's survey is missing for all three
        response = client_for(worker_user).get(reverse("quality:data_quality"))
        section = next(s for s in response.context["sections"] if s.key == "persons_without_survey")
        assert [row.person_name for row in section.rows] == ["本社区人"]
