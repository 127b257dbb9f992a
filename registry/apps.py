from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = "持证残疾人登记"

    def ready(self) -> None:
        from registry import workbench_items

        workbench_items.register_items()
