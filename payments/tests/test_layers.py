"""Layers point one way: payments (a cross-domain app) may import the domains, no domain imports it."""

import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OTHER_APPS = [
    "registry",
    "subsidies",
    "employment",
    "rehab",
    "care_homes",
    "indicators",
    "imports",
    "campaigns",
]


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
