"""Care homes in the browser: inline (htmx) forms on a home's page and on a person's page."""

from care_homes.models import AuxProject, Placement
from care_homes.tests.factories import CareHomeFactory
from registry.tests.factories import PersonFactory, street


def test_staff_adds_an_aux_project_on_the_home_page_and_sees_it_listed(
    page, live_server, staff_user, browser_login
):
    home = CareHomeFactory(name="宁海路街道残疾人之家")
    errors = []

    def collect(message):
        # the browser's own favicon probe aside
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            errors.append(message.text)

    page.on("console", collect)

    # given the staff member opens the home from the list of homes
    browser_login(page, "staff")
    page.goto(f"{live_server.url}/care-homes/?is_disabled_home=yes")
    page.click("text=宁海路街道残疾人之家")
    page.wait_for_selector("[data-testid=home-name]")
    projects = page.locator("#home-projects")
    assert "暂无辅助性就业项目" in projects.inner_text()

    # when he adds a project through the inline form
    projects.get_by_text("新增辅助性就业项目").click()
    page.wait_for_selector("#home-projects form")
    page.fill("#id_project_name", "非遗绒花制作")
    page.fill("#id_project_start_date", "2024-03-01")
    page.fill("#id_project_participants", "12")
    url_before = page.url
    page.locator("#home-projects button[type=submit]").click()
    page.wait_for_selector("#home-projects >> text=非遗绒花制作")

    # then the project is listed on the same page, saved with his name in the history
    listed = page.locator("#home-projects").inner_text()
    assert "非遗绒花制作" in listed and "2024-03-01" in listed and "开展中" in listed
    assert page.url == url_before
    project = AuxProject.objects.get(home=home)
    assert project.history.get().history_user == staff_user
    assert not errors, errors


def test_clerk_records_a_placement_inline_on_the_persons_page(page, live_server, clerk_user, browser_login):
    """The 托养服务 section is loaded by htmx into the person's page; a district home serves every street."""
    CareHomeFactory(
        name="鼓楼区残疾人托养中心", street=street("江东街道"), level="district", is_disabled_home=False
    )
    person = PersonFactory(name="王托养")

    browser_login(page, "clerk")
    page.goto(f"{live_server.url}/registry/persons/{person.pk}/")
    section = page.locator("#care-homes-section")
    section.get_by_text("新增托养服务").click()
    page.wait_for_selector("#care-homes-section form")
    page.select_option("#id_placement_home", label="鼓楼区残疾人托养中心（江东）")
    page.select_option("#id_placement_mode", label="寄宿托养")
    page.fill("#id_placement_start_date", "2024-02-01")
    section.locator("button[type=submit]").click()
    page.wait_for_selector("#care-homes-section td >> text=鼓楼区残疾人托养中心")

    assert "鼓楼区残疾人托养中心" in section.inner_text()
    assert Placement.objects.get(person=person).history.get().history_user == clerk_user
