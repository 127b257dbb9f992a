"""Messages that reach users are Chinese: the password rules and the API's error answers."""

import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

pytestmark = pytest.mark.django_db

ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
ROOT = Path(__file__).resolve().parent.parent


def test_create_portal_user_refuses_a_short_password_in_chinese():
    with pytest.raises(CommandError) as exc:
        call_command("create_portal_user", "wang", "--role", "official", "--password", "Ab-12")
    message = str(exc.value)
    assert "密码太短，至少需要10个字符。" in message
    assert not ENGLISH_WORD.search(message), message
    assert not get_user_model().objects.filter(username="wang").exists()


@pytest.mark.parametrize(
    ("password", "expected"),
    [
        ("Ab-12", "密码太短，至少需要10个字符。"),
        ("zhangsan-2025", "太相似"),
        ("password123", "太常见"),
        ("3141592653589", "只包含数字"),
    ],
    ids=["too short", "like the username", "common", "digits only"],
)
def test_every_password_rule_answers_in_chinese(password, expected):
    user = get_user_model()(username="zhangsan-2025")
    with pytest.raises(ValidationError) as exc:
        validate_password(password, user)
    assert any(expected in message for message in exc.value.messages), exc.value.messages
    assert not any(ENGLISH_WORD.search(message) for message in exc.value.messages), exc.value.messages


def test_api_answers_a_missing_person_in_chinese(client_for, staff_user):
    response = client_for(staff_user).get(reverse("registry_api:person-detail", args=[999_999]))
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_api_answers_a_missing_record_of_a_domain_in_chinese(client_for, staff_user):
    response = client_for(staff_user).get(reverse("care_homes_api:homes-detail", args=[999_999]))
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到。"}


def test_api_answers_an_anonymous_visitor_in_chinese(client):
    response = client.get(reverse("registry_api:person-list"))
    assert response.status_code in {401, 403}
    assert response.json() == {"detail": "身份认证信息未提供。"}


def test_api_answers_a_wrong_token_in_chinese(client):
    response = client.get(reverse("registry_api:person-list"), headers={"Authorization": "Token wrong"})
    assert response.status_code in {401, 403}
    assert response.json() == {"detail": "认证令牌无效。"}


def test_api_answers_malformed_json_in_chinese(client_for, staff_user):
    response = client_for(staff_user).post(
        reverse("registry_api:person-list"), "{name: 张三", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "请求内容不是有效的JSON。"}


def test_api_answers_a_refused_method_in_chinese(client_for, staff_user):
    response = client_for(staff_user).delete(reverse("registry_api:person-detail", args=[1]))
    assert response.status_code == 405
    assert response.json() == {"detail": "方法 “DELETE” 不被允许。"}


def test_an_english_browser_still_gets_chinese(client_for, staff_user):
    # LocaleMiddleware picks among LANGUAGES, which holds zh-hans alone.
    response = client_for(staff_user).get(
        reverse("registry_api:person-detail", args=[999_999]), headers={"Accept-Language": "en-US,en;q=0.9"}
    )
    assert response.json() == {"detail": "未找到。"}


# Error pages (Django's own are English and untranslated) ------------------------------------------


def test_a_missing_page_answers_in_chinese(client_for, staff_user):
    response = client_for(staff_user).get(reverse("registry:person_detail", args=[999_999]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "未找到" in page and "Not Found" not in page


def test_a_refused_page_answers_in_chinese(rf, official_user):
    # The portal's pages answer 404 (no hint); a PermissionDenied (admin, libraries) renders 403.html.
    from django.core.exceptions import PermissionDenied
    from django.views.defaults import permission_denied

    request = rf.get("/")
    request.user = official_user
    response = permission_denied(request, PermissionDenied())
    assert response.status_code == 403
    page = response.content.decode()
    assert "无权访问" in page and "Forbidden" not in page


@pytest.mark.parametrize(("template", "text"), [("400.html", "请求有误"), ("500.html", "系统出错")])
def test_bad_request_and_server_error_pages_are_chinese_and_need_no_context(template, text):
    from django.template.loader import render_to_string

    assert text in render_to_string(template)


def test_labels_read_aloud_by_screen_readers_are_chinese():
    """aria-label, title and placeholder texts are read or shown to users: none of the portal's
    templates writes one in English (a template variable in them is fine)."""
    english = re.compile(r'\b(aria-label|title|placeholder)="(?![^"]*\{)[^"]*[A-Za-z]{3,}[^"]*"')
    found = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in sorted(ROOT.glob("*/templates/**/*.html")) + sorted(ROOT.glob("templates/**/*.html"))
        for match in english.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not found, found


def _po_entries(path: Path) -> dict[str, str]:
    """msgid -> msgstr (a plural's first form) of a .po file: quoted continuation lines joined."""
    entries, current, key = {}, {}, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgid_plural ", "msgstr ", "msgstr[0] ")):
            key, _, text = line.partition(" ")
            current[key] = text[1:-1]
        elif line.startswith('"') and key:
            current[key] += line[1:-1]
        elif not line.strip() and current:
            if current.get("msgid"):
                entries[current["msgid"].encode().decode("unicode_escape").encode("latin-1").decode()] = (
                    current.get("msgstr") or current.get("msgstr[0]", "")
                )
            current, key = {}, None
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_committed_catalogues_are_compiled_from_their_po_files(domain):
    """The .mo files Django reads are committed beside their .po files: each entry of the .po is in
    the .mo as written (a .po edited without `msgfmt` would not be)."""
    import gettext

    folder = ROOT / "gulou_portal" / "locale" / "zh_Hans" / "LC_MESSAGES"
    with open(folder / f"{domain}.mo", "rb") as mo:
        catalogue = gettext.GNUTranslations(mo)._catalog
    compiled = {(k[0] if isinstance(k, tuple) else k): v for k, v in catalogue.items() if k and k[-1] != 1}
    entries = _po_entries(folder / f"{domain}.po")
    assert entries
    assert {msgid: compiled.get(msgid) for msgid in entries} == entries


@pytest.mark.parametrize(
    ("english", "chinese"),
    [
        ("This field is required.", "必填项，不能为空"),
        # REST framework's CharField puts it in a Django MaxLengthValidator, which adds the length found
        (
            "Ensure this field has no more than {max_length} characters.",
            "不能超过{max_length}个字（现有%(show_value)d个）",
        ),
        (
            "Ensure that there are no more than {max_decimal_places} decimal places.",
            "最多保留{max_decimal_places}位小数",
        ),
        ("Ensure this value is greater than or equal to %(limit_value)s.", "不能小于%(limit_value)s"),
        ("A valid integer is required.", "应为整数"),
        # said of optional fields too (null refused, the field left out is not): not 必填项
        ("This field may not be null.", "不能为 null"),
    ],
)
def test_django_and_rest_framework_messages_read_as_the_import_words_them(english, chinese):
    from django.utils import translation

    with translation.override("zh-hans"):
        assert translation.gettext(english) == chinese
