"""Layers point one way: payments (a cross-domain app) may import the domains, no domain imports it."""

import pathlib

from django.conf import settings

ROOT = pathlib.Path(__file__).resolve().parents[2]
# every other app with pages: those of DOMAIN_APPS, and campaigns
OTHER_APPS = sorted({*settings.DOMAIN_APPS, "campaigns"} - {"payments"})


def test_no_other_app_imports_payments():
    offenders = []
    for app in OTHER_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "tests" in path.relative_to(ROOT).parts:
                continue  # tests may set up records of several layers
            text = path.read_text(encoding="utf-8")
            if "from payments" in text or "import payments" in text:
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
