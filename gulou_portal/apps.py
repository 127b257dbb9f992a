"""Chinese names for third-party apps whose AppConfig has none (the admin shows them)."""

from axes.apps import AppConfig as AxesAppConfig


class AxesConfig(AxesAppConfig):
    verbose_name = "登录保护"
