from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = "办证管理"

    def ready(self) -> None:
        # Its demo records for `manage.py generate_demo_data`.
        from certificates.demo import generate_demo
        from registry import demo_steps

        demo_steps.register(demo_steps.DemoStep(app="certificates", order=6, generate=generate_demo))
