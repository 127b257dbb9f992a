from django.apps import AppConfig


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = "就业与培训"

    def ready(self) -> None:
        # Offer this domain's running records when a person dies, moves out or is cancelled.
        from employment.running import EmploymentProvider
        from registry import running

        running.register(EmploymentProvider())
