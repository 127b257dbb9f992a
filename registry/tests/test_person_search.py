"""The person search (issue 14 §4): last 4–8 digits of an ID number, a phone number, pinyin initials;
the stored pinyin is kept on every write path (save, form/API clean, the bulk import, the migration)."""

import pytest
from django.db import connection
from django.urls import reverse

from core.pinyin import name_pinyin
from imports.services import run_import
from imports.tests.factories import person_row, persons_workbook
from registry.filters import search_persons
from registry.models import Person
from registry.tests.factories import CommunityFactory, PersonFactory

pytestmark = pytest.mark.django_db


def names_found(text):
    return sorted(search_persons(Person.objects.all(), text).values_list("name", flat=True))


def test_pinyin_of_a_name_is_its_syllables_and_their_initials():
    assert name_pinyin("张三") == ("zhang san", "zs")
    assert name_pinyin("欧阳·Lin") == ("ou yang l i n", "oylin")


def test_saving_a_person_stores_the_pinyin_of_the_name_and_a_rename_updates_it():
    person = PersonFactory(name="张三")
    person.refresh_from_db()
    assert (person.name_pinyin, person.name_initials) == ("zhang san", "zs")

    person.name = "李四"
    person.save()
    person.refresh_from_db()
    assert person.name_initials == "ls"


def test_the_bulk_import_stores_the_pinyin_when_creating_and_when_renaming():
    row = person_row(姓名="王小明")
    run_import("persons", persons_workbook(row))
    assert Person.objects.get().name_initials == "wxm"

    report = run_import("persons", persons_workbook({**row, "姓名": "王晓"}))

    assert report.updated == 1, report.errors
    assert Person.objects.get().name_pinyin == "wang xiao"


def test_pinyin_initials_find_the_person():
    PersonFactory(name="张三")
    PersonFactory(name="张山峰")
    PersonFactory(name="李四")

    assert names_found("zs") == ["张三", "张山峰"]
    assert names_found("ZSF") == ["张山峰"]
    assert names_found("ls") == ["李四"]


def test_the_last_four_to_eight_characters_of_an_id_number_find_the_person():
    target = PersonFactory(name="甲")
    PersonFactory(name="乙")

    for length in (4, 6, 8):
        assert names_found(target.id_number[-length:]) == ["甲"], length
    assert names_found(target.id_number[-3:]) == []  # three digits are too few to search by


def test_a_phone_number_or_its_last_digits_find_the_person():
    PersonFactory(name="甲", phone="13912345678")
    PersonFactory(name="乙", phone="025-83123456")
    PersonFactory(name="丙", phone="13800000000")

    assert names_found("139 1234 5678") == ["甲"]
    assert names_found("5678") == ["甲"]
    assert names_found("025-83123456") == ["乙"]
    assert names_found("83123456") == ["乙"]


def test_name_fragments_are_still_found():
    PersonFactory(name="赵小明")

    assert names_found("小明") == ["赵小明"]


def test_the_list_page_searches_by_initials(client_for, staff_user):
    PersonFactory(name="赵小明")
    PersonFactory(name="钱大同")

    html = client_for(staff_user).get(reverse("registry:person_list"), {"q": "zxm"}).content.decode()

    assert "赵小明" in html and "钱大同" not in html


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL pattern indexes")
def test_the_search_indexes_exist_and_serve_the_tail_and_initials_searches():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'registry_person'")
        indexes = {row[0] for row in cursor.fetchall()}
        assert {"person_name_initials_like", "person_id_number_tail", "person_phone_tail"} <= indexes
        cursor.execute("SET enable_seqscan = off")
        searches = (
            ("1234", ["person_id_number_tail"]),
            ("13912345678", ["person_phone_tail"]),
            ("zs", ["person_name_initials_like", "person_name_pinyin"]),
        )
        for text, indexes in searches:
            sql, params = search_persons(Person.objects.all(), text).query.sql_with_params()
            cursor.execute(f"EXPLAIN {sql}", params)
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert any(index in plan for index in indexes), plan
            assert "Seq Scan on registry_person" not in plan, plan
        cursor.execute("RESET enable_seqscan")


class TestPersonListPage:
    def test_clerks_see_normal_persons_unless_they_choose_all_statuses(self, client_for, clerk_user):
        PersonFactory(name="在册人")
        PersonFactory(name="已故人", status="deceased", status_changed_on="2024-01-01")
        client = client_for(clerk_user)
        url = reverse("registry:person_list")

        default = client.get(url).content.decode()
        chosen = client.get(url, {"status": ""}).content.decode()

        assert "在册人" in default and "已故人" not in default
        assert "在册人" in chosen and "已故人" in chosen

    def test_staff_see_every_status_by_default(self, client_for, staff_user):
        PersonFactory(name="已故人", status="deceased", status_changed_on="2024-01-01")

        assert "已故人" in client_for(staff_user).get(reverse("registry:person_list")).content.decode()

    def test_names_sort_by_pinyin_both_ways(self, client_for, staff_user):
        for name in ("张三", "艾伦", "李四"):
            PersonFactory(name=name)
        client = client_for(staff_user)
        url = reverse("registry:person_list")

        ascending = client.get(url, {"sort": "name"}).context["persons"]
        descending = client.get(url, {"sort": "-name"}).context["persons"]

        assert [p.name for p in ascending] == ["艾伦", "李四", "张三"]
        assert [p.name for p in descending] == ["张三", "李四", "艾伦"]

    def test_column_headers_are_sort_links_that_keep_the_filters(self, client_for, staff_user):
        html = (
            client_for(staff_user)
            .get(reverse("registry:person_list"), {"q": "zs", "sort": "name"})
            .content.decode()
        )

        assert 'href="?q=zs&amp;sort=-name"' in html
        assert 'href="?q=zs&amp;sort=issued_on"' in html

    def test_paging_shows_the_total_page_numbers_and_a_jump_box(self, client_for, staff_user, monkeypatch):
        monkeypatch.setattr("registry.views.PAGE_SIZE", 2)
        for number in range(7):
            PersonFactory(name=f"人员{number}")

        html = client_for(staff_user).get(reverse("registry:person_list"), {"page": 2}).content.decode()

        assert "共 7 条，第 2 / 4 页" in html
        assert 'aria-current="page"><span class="page-link">2</span>' in html
        assert "page=4" in html
        assert 'name="page" min="1" max="4" value="2"' in html

    def test_a_single_page_still_shows_the_total(self, client_for, staff_user):
        PersonFactory()

        html = client_for(staff_user).get(reverse("registry:person_list")).content.decode()

        assert "共 1 条" in html

    def test_community_options_name_their_street_for_the_dependent_drop_down(self, client_for, staff_user):
        community = CommunityFactory(name="颐和路社区")

        html = client_for(staff_user).get(reverse("registry:person_list")).content.decode()

        assert f'data-street="{community.street_id}" value="{community.pk}"' in html or (
            f'value="{community.pk}" data-street="{community.street_id}"' in html
        )
