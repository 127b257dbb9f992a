"""Annual campaign benchmark: the progress page of a district and a community's list of 5,000 persons.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_h9_bench \\
        .venv/bin/python benchmarks/campaign_bench.py --persons 1000000

Overwrites the database's persons and campaigns (never point it at production). Persons are written
with one INSERT … SELECT generate_series (valid enough for the campaign: unique ID and certificate
numbers, streets and about 90 communities, 5,000 of them in 宁海路社区); the campaign is opened through
`campaign_open` (its own INSERT … SELECT), then about 60% of the list is marked 已调查 and 3% 无法调查 in
two UPDATEs. Prints the server-side time (Django test client, median of 6 requests after one warm-up)
of the progress page for district staff, the same page ordered slowest first, and a community worker's
list of his 5,000 persons (first and last page).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import benchkit

benchkit.use_database("postgres://postgres@127.0.0.1:5432/gulou_h9_bench")

WORKER_COMMUNITY_SIZE = 5000


def _generate(persons: int) -> None:
    from django.db import connection

    from core.models import Community, Street

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE campaigns_campaign, campaigns_campaignentry, registry_person CASCADE")
    streets = list(Street.objects.order_by("pk"))
    for street in streets:
        for n in range(7):
            Community.objects.get_or_create(street=street, name=f"{street.short_name}测试社区{n}")
    own = Community.objects.get_or_create(street=Street.objects.get(name="宁海路街道"), name="宁海路社区")[0]
    others = list(Community.objects.exclude(pk=own.pk).values_list("pk", "street_id"))
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE bench_communities (n int, id int, street_id int)")
        cursor.executemany(
            "INSERT INTO bench_communities VALUES (%s, %s, %s)",
            [(i, pk, s) for i, (pk, s) in enumerate(others)],
        )
        cursor.execute(
            """
            INSERT INTO registry_person (id_number, name, certificate_number, sex, birth_date, category, grade,
                issued_on, street_id, community_id, address, phone, status, bank_name, bank_account,
                created_at, updated_at)
            SELECT 'B' || lpad(i::text, 17, '0'), '测试' || i, 'B' || lpad(i::text, 17, '0') || '42', 'M', DATE '1970-01-01',
                '4', '2', DATE '2015-06-01',
                CASE WHEN i <= %(own_size)s THEN %(own_street)s ELSE c.street_id END,
                CASE WHEN i <= %(own_size)s THEN %(own)s ELSE c.id END,
                '', '', 'active', '', '', now(), now()
            FROM generate_series(1, %(persons)s) AS i
            JOIN bench_communities c ON c.n = i %% %(count)s
            """,
            {
                "own_size": WORKER_COMMUNITY_SIZE,
                "own_street": own.street_id,
                "own": own.pk,
                "persons": persons,
                "count": len(others),
            },
        )
        cursor.execute("ANALYZE registry_person")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=1_000_000)
    parser.add_argument(
        "--measure-only", action="store_true", help="measure the campaign already in the database"
    )
    args = parser.parse_args()

    benchkit.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from core.models import UserProfile
    from core.periods import today
    from core.roles import Role
    from registry.models import Person

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    if not args.measure_only:
        _generate(args.persons)
    print(f"persons {Person.objects.count()} ({time.perf_counter() - started:.1f} s to write them)")
    users = get_user_model().objects
    staff = users.get_or_create(username="bench_staff")[0]
    from django.contrib.auth.models import Group

    staff.groups.add(Group.objects.get(name=Role.DISTRICT_STAFF.label))
    worker = users.get_or_create(username="bench_worker")[0]
    worker.groups.add(Group.objects.get(name=Role.COMMUNITY_WORKER.label))
    from core.models import Community

    own = Community.objects.get(street__name="宁海路街道", name="宁海路社区")
    UserProfile.objects.update_or_create(user=worker, defaults={"street": own.street, "community": own})

    year = today().year
    if not args.measure_only:
        _open(staff, year)
    _measure(staff, worker, year)


def _open(staff, year: int) -> None:
    from django.db import connection

    from campaigns import services
    from campaigns.models import CampaignEntry

    started = time.perf_counter()
    campaign = services.campaign_open(
        acting_user=staff, year=year, opened_on=dt.date(year, 1, 2), due_on=dt.date(year, 11, 30)
    )
    print(
        f"campaign opened ({CampaignEntry.objects.count()} entries) in {time.perf_counter() - started:.1f} s"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE campaigns_campaignentry SET state = 'done' WHERE campaign_id = %s AND random() < 0.6",
            [campaign.pk],
        )
        cursor.execute(
            "UPDATE campaigns_campaignentry SET state = 'unreachable', reason = 'away'"
            " WHERE campaign_id = %s AND state = 'pending' AND random() < 0.08",
            [campaign.pk],
        )
        # What autovacuum does on a live database: the progress count becomes an index-only scan.
        cursor.execute("VACUUM ANALYZE campaigns_campaignentry")


def _measure(staff, worker, year: int) -> None:
    from django.test import Client

    client = Client(HTTP_HOST="localhost")
    client.force_login(staff)
    print(f"district staff: progress page: {benchkit.median_ms(client, f'/campaigns/{year}/'):.0f} ms")
    print(
        f"district staff: progress, slowest first: {benchkit.median_ms(client, f'/campaigns/{year}/?order=slowest'):.0f} ms"
    )
    client.force_login(worker)
    print(
        f"community worker: progress page (his community): {benchkit.median_ms(client, f'/campaigns/{year}/'):.0f} ms"
    )
    last_page = WORKER_COMMUNITY_SIZE // 50
    for label, url in [
        ("community worker: list of 5,000, first page", f"/campaigns/entries/?year={year}"),
        ("community worker: list of 5,000, last page", f"/campaigns/entries/?year={year}&page={last_page}"),
        ("community worker: pending list", f"/campaigns/entries/?year={year}&state=pending"),
    ]:
        print(f"{label}: {benchkit.median_ms(client, url):.0f} ms")


if __name__ == "__main__":
    main()
