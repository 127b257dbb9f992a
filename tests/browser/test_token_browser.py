from rest_framework.authtoken.models import Token


def test_user_generates_a_token_sees_it_once_and_revokes_it(page, clerk_user, browser_login, live_server):
    browser_login(page, "clerk")
    # given the token page reached from the top bar
    page.click("text=API令牌")
    assert "没有令牌" in page.inner_text("[data-testid=token-state]")
    # when the clerk generates a token, the key is shown once
    page.click("text=生成新令牌")
    key = Token.objects.get(user=clerk_user).key
    assert key in page.inner_text("[data-testid=new-token]")
    page.goto(f"{live_server.url}/accounts/token/")
    assert page.locator("[data-testid=new-token]").count() == 0
    assert "有效" in page.inner_text("[data-testid=token-state]")
    # when he revokes it, it is gone
    page.click("text=撤销令牌")
    page.wait_for_load_state("networkidle")
    assert "令牌已撤销" in page.content()
    assert not Token.objects.filter(user=clerk_user).exists()
