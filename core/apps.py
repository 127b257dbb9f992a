from django.apps import AppConfig


class CoreConfig(AppConfig):
    """The portal's framework: roles, scoping, periods, audit helpers, API and admin bases, streets and
    communities. The lowest layer: it imports no other app of the portal (pyproject.toml's contracts)."""

    name = "core"
    verbose_name = "门户基础"
