"""The copy of a rejected upload to fix in Excel in one pass: bad cells red, the message in a comment."""

import io

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from imports.models import ImportJob
from imports.tests.factories import PERSON_HEADERS, person_row, persons_workbook
from registry.models import Person

pytestmark = pytest.mark.django_db


def upload(client, data):
    client.post(
        reverse("imports:upload"), {"resource": "persons", "file": SimpleUploadedFile("名单.xlsx", data)}
    )
    return ImportJob.objects.latest("pk")


def column_letter(name):
    return openpyxl.utils.get_column_letter(PERSON_HEADERS.index(name) + 1)


def test_the_marked_copy_fills_each_bad_cell_red_with_its_message_as_a_comment(client_for, clerk_user):
    client = client_for(clerk_user)
    rows = [
        person_row(),
        person_row(残疾类别="八级", 联系电话="12345", 居住地址='=HYPERLINK("http://evil.example","x")'),
    ]
    job = upload(client, persons_workbook(*rows))
    assert job.status == ImportJob.Status.REJECTED and len(job.errors) == 2

    preview = client.get(reverse("imports:preview", kwargs={"pk": job.pk})).content.decode()
    assert reverse("imports:marked_copy", kwargs={"pk": job.pk}) in preview
    response = client.get(reverse("imports:marked_copy", kwargs={"pk": job.pk}))

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
    category = sheet[f"{column_letter('残疾类别')}3"]
    phone = sheet[f"{column_letter('联系电话')}3"]
    assert category.value == "八级" and category.fill.fgColor.rgb.endswith("FF9999")
    assert "（填写的是：八级）" in category.comment.text
    assert "联系电话应为11位手机号" in phone.comment.text
    assert sheet[f"{column_letter('残疾类别')}2"].comment is None  # the good row is untouched
    # the formula typed in the upload is not carried into the copy as a formula
    assert not [cell.coordinate for row in sheet.iter_rows() for cell in row if cell.data_type == "f"]
    assert [c.value for c in sheet[1]][: len(PERSON_HEADERS)] == PERSON_HEADERS


def test_text_that_would_run_as_a_formula_stays_neutralised_in_the_copy():
    from sheets import xlsx

    writer = xlsx.WorkbookWriter()
    sheet = writer.add_sheet("s", [xlsx.Column("a")], header=False)
    sheet.append(["=1+1"], marks={0: "错误"})
    cell = openpyxl.load_workbook(io.BytesIO(writer.save())).worksheets[0]["A1"]

    assert (cell.data_type, cell.value, cell.comment.text) == ("s", "'=1+1", "错误")


def test_a_row_level_error_marks_the_rows_first_cell():
    from sheets.marked import marks_by_row

    marks = marks_by_row([{"row": 4, "column": None, "message": "写入冲突"}], ["姓名", "公民身份号码"])

    assert marks == {4: {0: "本行：写入冲突"}}


def test_fixing_the_marked_copy_and_uploading_it_again_imports_in_one_pass(client_for, clerk_user):
    client = client_for(clerk_user)
    job = upload(
        client, persons_workbook(person_row(残疾类别="八级", 联系电话="12345", 发证日期="2015-13-01"))
    )
    assert len(job.errors) == 3  # every fault in the first preview
    marked = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("imports:marked_copy", kwargs={"pk": job.pk})).content)
    )
    sheet = marked.worksheets[0]
    sheet[f"{column_letter('残疾类别')}2"] = "肢体"
    sheet[f"{column_letter('联系电话')}2"] = "13912345678"
    sheet[f"{column_letter('发证日期')}2"] = "2015-12-01"
    fixed = io.BytesIO()
    marked.save(fixed)

    again = upload(client, fixed.getvalue())
    assert again.status == ImportJob.Status.READY, again.errors
    client.post(reverse("imports:confirm", kwargs={"pk": again.pk}))

    assert Person.objects.get().phone == "13912345678"


def test_no_marked_copy_for_a_bad_file_or_a_preview_without_errors(client_for, clerk_user):
    client = client_for(clerk_user)
    bad = upload(client, b"not a workbook")
    good = upload(client, persons_workbook(person_row()))

    assert client.get(reverse("imports:marked_copy", kwargs={"pk": bad.pk})).status_code == 404
    assert client.get(reverse("imports:marked_copy", kwargs={"pk": good.pk})).status_code == 404
