"""助残组织与志愿者 benchmark: lists, figures and the dashboard's plan check at 100,000 activities.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gulou_h3_bench \
        .venv/bin/python benchmarks/organisations_bench.py --activities 100000

Fills the database with `--organisations` organisations and `--teams` volunteer teams over the 13
streets (registered 2010 to this year, a few dissolved, some demonstration), and N activities spread
over last year and this year up to today (bulk_create, without history rows). Then prints the median
server time (Django test client, `--requests` requests after a warm-up) of each list (first and a
late page, with filters), the figures page (this year and last), an organisation's page with its
activities, and the indicators dashboard with its 规划检查 panel, with their query counts, beside the
floor of issue 15: 300 ms. `--keep` reuses the rows already there. The database named by
DATABASE_URL is overwritten; never point it at production.
"""

from __future__ import annotations

import datetime as dt
import random

import benchkit

benchkit.use_database()

FLOOR_MS = 300


def _write(args) -> None:
    from core.models import Street
    from core.periods import today
    from organisations.models import Activity, Organisation, VolunteerTeam

    rng = random.Random(15)
    now = today()
    streets = list(Street.objects.order_by("order"))
    Activity.objects.all().delete()
    Organisation.objects.all().delete()
    VolunteerTeam.objects.all().delete()

    def start(latest: int = now.year - 1) -> dt.date:
        return dt.date(rng.randint(2010, latest), rng.randint(1, 12), rng.randint(1, 28))

    organisations = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"{streets[i % 13].name}助残服务中心{i:05d}",
                kind=rng.choice(["social", "private_non_enterprise", "association"]),
                street=streets[i % 13],
                registered_on=start(now.year - 3 if i % 50 == 7 else now.year - 1),
                contact_person="联系人",
                is_demonstration=i < 3,
                dissolved_on=dt.date(now.year - 2, 6, 30) if i % 50 == 7 else None,
            )
            for i in range(args.organisations)
        ],
        batch_size=2000,
    )
    teams = VolunteerTeam.objects.bulk_create(
        [
            VolunteerTeam(
                name=f"{streets[i % 13].name}助残志愿服务队{i:05d}",
                street=streets[i % 13],
                members=rng.randint(5, 120),
                leader="队长",
                founded_on=start(),
            )
            for i in range(args.teams)
        ],
        batch_size=2000,
    )
    live_orgs = [o for o in organisations if o.dissolved_on is None]
    first = dt.date(now.year - 1, 1, 1)
    span = (now - first).days
    batch = []
    for i in range(args.activities):
        if i % 2:
            owner, kwargs = (team := rng.choice(teams)), {"team": team}
        else:
            owner, kwargs = (org := rng.choice(live_orgs)), {"organisation": org}
        participants = rng.randint(5, 80)
        batch.append(
            Activity(
                **kwargs,
                street_id=owner.street_id,
                date=first + dt.timedelta(days=rng.randint(0, span)),
                title="助残志愿服务活动",
                participants=participants,
                persons_served=rng.randint(0, participants * 2),
            )
        )
        if len(batch) == 5000:
            Activity.objects.bulk_create(batch)
            batch = []
    Activity.objects.bulk_create(batch)


def _fill(args) -> str:
    from django.db import transaction

    from organisations.models import Activity, Organisation

    with transaction.atomic():
        _write(args)
    benchkit.vacuum_analyze(
        "organisations_organisation", "organisations_volunteerteam", "organisations_activity"
    )
    return (
        f"{Organisation.objects.count():,} organisations, {args.teams:,} teams and "
        f"{Activity.objects.count():,} activities"
    )


def main() -> int:
    args = benchkit.page_args(__doc__, activities=100_000, organisations=3_000, teams=3_000)
    staff, clerk, official = benchkit.setup_page_bench()
    from django.urls import reverse

    from core.periods import today
    from organisations.models import Activity, Organisation

    benchkit.refill(args, Activity, lambda: _fill(args))

    busy = (
        Organisation.objects.filter(activities__isnull=False)
        .order_by("-registered_on")
        .values_list("pk", flat=True)
        .first()
    )
    last_year = today().year - 1
    index, teams = reverse("organisations:index"), reverse("organisations:team_list")
    figures = reverse("organisations:figures")
    pages = [
        ("organisations (staff)", staff, index),
        ("organisations p.40", staff, index + "?page=40"),
        ("organisations active=yes", staff, index + "?active=yes"),
        ("organisations (clerk)", clerk, index + "?active=no"),
        ("teams (staff)", staff, teams),
        ("teams p.40", staff, teams + "?page=40"),
        ("teams active=no", staff, teams + "?active=no"),
        ("teams (clerk)", clerk, teams),
        ("figures this year", official, figures),
        ("figures last year", official, f"{figures}?year={last_year}"),
        ("organisation page", staff, reverse("organisations:organisation_detail", args=[busy])),
        ("dashboard + plan check", official, reverse("indicators:dashboard")),
    ]
    worst = benchkit.time_pages(pages, runs=args.requests, floor_ms=FLOOR_MS)
    return 0 if worst < FLOOR_MS else 1


if __name__ == "__main__":
    raise SystemExit(main())
