def test_clerk_logs_in_and_sees_name_and_street(page, clerk_user, browser_login):
    browser_login(page, "clerk")
    assert "宁海路街道" in page.inner_text("[data-testid=current-user]")
