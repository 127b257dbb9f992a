"""Password rules whose Django messages do not come out in Chinese."""

from __future__ import annotations

from django.contrib.auth import password_validation


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's minimum length, with its message in Chinese.

    Django 5.2 reworded this message ("... at least %d characters.") and its zh-hans catalog still
    translates the old wording only, so the clerk read English on the admin's password form and from
    `create_portal_user`. The other validators' messages are translated by Django.
    """

    def get_error_message(self) -> str:
        return f"密码太短，至少需要{self.min_length}个字符。"
