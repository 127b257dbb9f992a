"""Community level benchmark: a community worker's person list and the roster check page.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_bench \\
        .venv/bin/python benchmarks/community_bench.py [--persons 200000]

Uses the demo district already in the database (run `generate_demo_data --persons N` first, or pass
--persons N to generate it with --flush: the database is then overwritten, never point it at
production). Prints the server-side time (Django test client, median of 6 requests after one warm-up)
of demo_worker's person list (宁海路社区), a name search, and demo_staff's 专职委员 page with its check.
"""

from __future__ import annotations

import argparse

import benchkit

benchkit.use_database()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, help="regenerate the demo district with N persons first")
    args = parser.parse_args()

    benchkit.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from core.models import Community
    from registry.models import Person

    if args.persons:
        call_command("migrate", verbosity=0)
        call_command("generate_demo_data", "--persons", str(args.persons), "--seed", "2025", "--flush")
    users = get_user_model().objects
    community = Community.objects.get(street__name="宁海路街道", name="宁海路社区")
    print(
        f"persons {Person.objects.count()}, of 宁海路社区 {Person.objects.filter(community=community).count()}, "
        f"communities {Community.objects.count()}"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(users.get(username="demo_worker"))
    for label, url in [
        ("community worker: person list", "/registry/persons/"),
        ("community worker: person list, page 20", "/registry/persons/?page=20"),
        ("community worker: name search", "/registry/persons/?q=王"),
    ]:
        print(f"{label}: {benchkit.median_ms(client, url):.0f} ms")
    client.force_login(users.get(username="demo_staff"))
    print(
        f"district staff: 专职委员 roster and check: {benchkit.median_ms(client, '/registry/communities/roster/'):.0f} ms"
    )


if __name__ == "__main__":
    main()
