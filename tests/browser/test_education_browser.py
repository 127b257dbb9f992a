"""教育助学 in the browser: a clerk finds a child on the gap list, records a 送教上门 visit in the
person's education section (htmx), and the child leaves the gap list; the K07 gap list links here."""

import datetime as dt

from education.models import HomeTeachingVisit
from registry.tests.factories import PersonFactory, SurveyFactory


def test_clerk_closes_a_gap_with_a_home_teaching_visit(
    page, live_server, clerk_user, browser_login, console_errors
):
    year = dt.date.today().year
    child = PersonFactory(name="王小明", birth=dt.date(year - 9, 3, 1), issued_on=dt.date(year - 5, 6, 1))
    SurveyFactory(person=child, year=year, education="not_enrolled")

    # given the clerk opens the gap list of this year
    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/education/gaps/?year={year}")
    assert page.locator("[data-testid=gap-row]").count() == 1
    assert "王小明" in page.locator("[data-testid=gap-list]").inner_text()

    # when he opens the child's education records and adds a visit through the inline form
    page.goto(f"{live_server.url}/education/persons/{child.pk}/section/")
    section = page.locator("#education-section")
    section.get_by_text("登记送教上门").click()
    page.wait_for_selector("#education-section form")
    page.fill("#id_education_visit_visit_date", f"{year}-01-01")
    page.fill("#id_education_visit_teacher", "李老师")
    page.fill("#id_education_visit_content", "认知训练")
    section.locator("button[type=submit]").click()
    page.wait_for_selector("#education-section >> text=已登记送教上门")

    # then the visit is listed, saved with his name, and the child has left the gap list
    assert "李老师" in section.inner_text()
    assert HomeTeachingVisit.objects.get(person=child).history.get().history_user == clerk_user
    page.goto(f"{live_server.url}/education/gaps/?year={year}")
    assert page.locator("[data-testid=gap-row]").count() == 0
    assert "没有缺口" in page.locator("[data-testid=gap-list]").inner_text()
    assert page.locator("[data-testid=k07-gap-link]").count() == 1
    assert not console_errors, console_errors
