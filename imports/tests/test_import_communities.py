"""所属社区 in the persons template (excel-import.md): a new community name creates the community
under the row's street for district staff and the server (reported as a warning naming it); for a
street clerk it is an error that names the nearest existing community of his street."""

import json
from io import StringIO

import pytest
import tablib
from django.core.management import call_command

from core.models import Community
from imports.services import run_import
from imports.tests.factories import PERSON_HEADERS, person_row, persons_workbook
from registry.models import Person
from registry.resources import PersonResource
from registry.tests.factories import CommunityFactory, street

pytestmark = pytest.mark.django_db


def errors_of(errors):
    return [(e["row"], e["column"], e["message"]) for e in errors]


class TestCommunityNames:
    @pytest.fixture
    def communities(self):
        CommunityFactory(name="宁海路社区")
        CommunityFactory(name="江苏路社区")
        # the typed name exists, but in another street: it is no community of the clerk's street
        CommunityFactory(name="宁海璐社区", street=street("华侨路街道"))

    def test_clerks_unknown_community_is_an_error_naming_the_nearest_of_his_street(
        self, clerk_user, communities
    ):
        rows = [person_row(所属社区="宁海路社区"), person_row(所属社区="宁海璐社区")]

        report = run_import("persons", persons_workbook(*rows), user=clerk_user)

        assert errors_of(report.errors) == [
            (3, "所属社区", "社区不存在：宁海璐社区（最接近的是：宁海路社区）（填写的是：宁海璐社区）")
        ]
        assert not Person.objects.exists()
        assert Community.objects.filter(name="宁海璐社区").count() == 1

    def test_clerks_admin_import_of_an_unknown_community_is_the_same_error(self, clerk_user, communities):
        row = person_row(所属社区="宁海璐社区")
        data = tablib.Dataset([row.get(h) for h in PERSON_HEADERS], headers=PERSON_HEADERS)

        result = PersonResource().import_data(data, dry_run=False, user=clerk_user)

        assert [invalid.error_dict for invalid in result.invalid_rows] == [
            {"community": ["社区不存在：宁海璐社区（最接近的是：宁海路社区）"]}
        ]
        assert not Person.objects.exists()
        assert Community.objects.filter(name="宁海璐社区").count() == 1

    def test_clerk_of_a_street_without_communities_is_told_so(self, clerk_user):
        report = run_import("persons", persons_workbook(person_row(所属社区="新社区")), user=clerk_user)

        assert errors_of(report.errors) == [
            (2, "所属社区", "社区不存在：新社区（宁海路街道尚未登记社区，请联系区残联）（填写的是：新社区）")
        ]

    def test_staff_creates_a_new_community_with_a_warning_naming_it(self, staff_user, communities):
        rows = [person_row(所属社区="宁海璐社区"), person_row(所属社区="宁海璐社区")]

        report = run_import("persons", persons_workbook(*rows), user=staff_user)

        assert report.accepted, report.errors
        assert errors_of(report.warnings) == [
            (2, "所属社区", "新建社区：宁海路街道 宁海璐社区（如为笔误请修改文件）")
        ]
        assert Community.objects.get(name="宁海璐社区", street=street("宁海路街道")).persons.count() == 2

    def test_command_without_user_reports_the_new_community_as_a_warning(self, tmp_path):
        path = tmp_path / "persons.xlsx"
        path.write_bytes(persons_workbook(person_row(所属社区="新社区")))
        out = StringIO()

        call_command("import_excel", "persons", str(path), "--json", stdout=out, stderr=StringIO())

        document = json.loads(out.getvalue())
        assert document["created"] == 1 and document["errors"] == []
        assert document["warnings"] == [
            {"row": 2, "column": "所属社区", "message": "新建社区：宁海路街道 新社区（如为笔误请修改文件）"}
        ]
        assert Community.objects.filter(name="新社区", street=street("宁海路街道")).exists()


class TestStaffPreviewOfNewCommunities:
    """District staff: the preview lists each community the file would create with the nearest
    existing name of its street, and confirming needs the explicit tick 确认新建以上社区."""

    def _upload(self, client, *rows):
        from django.core.files.uploadedfile import SimpleUploadedFile
        from django.urls import reverse

        client.post(
            reverse("imports:upload"),
            {"resource": "persons", "file": SimpleUploadedFile("p.xlsx", persons_workbook(*rows))},
        )
        from imports.models import ImportJob

        return ImportJob.objects.latest("pk")

    def test_preview_names_the_nearest_existing_community_of_the_street(self, client_for, staff_user):
        from django.urls import reverse

        CommunityFactory(name="华侨路社区", street=street("华侨路街道"))
        CommunityFactory(name="五台山社区", street=street("华侨路街道"))
        client = client_for(staff_user)
        job = self._upload(
            client,
            person_row(所属街道="华侨路街道", 所属社区="华桥路社区"),
            person_row(所属街道="华侨路街道", 所属社区="全新的名字"),
        )

        html = client.get(reverse("imports:preview", kwargs={"pk": job.pk})).content.decode()

        assert "将新建：华侨路街道 华桥路社区 — 是否为：<strong>华侨路社区</strong>？" in html
        assert "将新建：华侨路街道 全新的名字</li>" in html  # nothing close: no question
        assert 'name="confirm_communities"' in html and "确认新建以上社区" in html

    def test_confirm_without_the_tick_is_refused_and_writes_nothing(self, client_for, staff_user):
        from django.urls import reverse

        CommunityFactory(name="华侨路社区", street=street("华侨路街道"))
        client = client_for(staff_user)
        job = self._upload(client, person_row(所属街道="华侨路街道", 所属社区="华桥路社区"))

        response = client.post(reverse("imports:confirm", kwargs={"pk": job.pk}), follow=True)

        assert "勾选“确认新建以上社区”" in response.content.decode()
        job.refresh_from_db()
        assert job.status == "ready"
        assert not Person.objects.exists() and not Community.objects.filter(name="华桥路社区").exists()

    def test_confirm_with_the_tick_creates_the_community(self, client_for, staff_user):
        from django.urls import reverse

        client = client_for(staff_user)
        job = self._upload(client, person_row(所属街道="华侨路街道", 所属社区="华桥路社区"))

        client.post(reverse("imports:confirm", kwargs={"pk": job.pk}), {"confirm_communities": "on"})

        job.refresh_from_db()
        assert job.status == "done", job.errors
        assert Person.objects.get().community.name == "华桥路社区"

    def test_a_file_without_new_communities_needs_no_tick(self, client_for, staff_user):
        from django.urls import reverse

        CommunityFactory(name="华侨路社区", street=street("华侨路街道"))
        client = client_for(staff_user)
        job = self._upload(client, person_row(所属街道="华侨路街道", 所属社区="华侨路社区"))

        client.post(reverse("imports:confirm", kwargs={"pk": job.pk}))

        job.refresh_from_db()
        assert job.status == "done"
