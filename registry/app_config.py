"""The AppConfig of an app that plugs into the extension points (registry/demo_steps.py,
registry/running.py, core/workbench.py): it names what it adds, and `ready()` registers it. An
apps.py imports this module, not the class, so that its own subclass stays the one AppConfig Django
finds there.

Only the names are read when Django loads the apps; the modules they point to are imported in
`ready()`, once the models are ready.
"""

from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import import_string


class PortalAppConfig(AppConfig):
    # Inherited by every subclass: an apps.py that imports this class itself then holds two default
    # configs, and Django refuses to start instead of silently falling back to a plain AppConfig.
    default = True
    demo_order: int | None = None  # its demo records (`<app>.demo.generate_demo`): the step's order
    demo_after_accounts = False  # the demo step needs the demo accounts
    running_provider = ""  # the class (dotted path) offering its running records on a status change
    workbench_items = False  # it has items on the 工作台 (`<app>.workbench_items.register_items()`)

    def ready(self) -> None:
        from registry import demo_steps, running

        if self.running_provider:
            running.register(import_string(self.running_provider)())
        if self.demo_order is not None:
            demo_steps.register(
                demo_steps.DemoStep(
                    app=self.label,
                    order=self.demo_order,
                    generate=import_string(f"{self.name}.demo.generate_demo"),
                    after_accounts=self.demo_after_accounts,
                )
            )
        if self.workbench_items:
            import_string(f"{self.name}.workbench_items.register_items")()
