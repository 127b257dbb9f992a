"""generate_demo_data --persons N --seed S [--flush]: a realistic, deterministic demo district."""

from __future__ import annotations

import random
import time

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from core.models import Community, UserProfile
from registry import demo, demo_steps
from registry.models import AccessLog, Person, Survey

DEMO_PASSWORD = "Gulou-demo-2025"
# (username, role, street, community)
DEMO_USERS = [
    ("demo_staff", "district_staff", None, None),
    ("demo_clerk", "street_clerk", "宁海路街道", None),
    ("demo_worker", "community_worker", "宁海路街道", "宁海路社区"),
    ("demo_official", "official", None, None),
    ("demo_admin", "admin", None, None),
]


class Command(BaseCommand):
    help = (
        "生成演示数据：各街道社区、持证残疾人（有效身份证号）、2019–2025年度调查，以及各业务领域的演示记录，"
        "社区专职委员花名册，并创建五个演示账号。同一 --seed 生成的数据完全相同。数据以批量方式写入（PostgreSQL 使用 COPY），"
        "因此不产生变更历史记录。已有人员时不生成，除非指定 --flush（先清空演示数据）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=3000, help="人员数量（默认3000）")
        parser.add_argument("--seed", type=int, default=2025, help="随机种子（默认2025）")
        parser.add_argument("--batch-size", type=int, default=20000, help="每批写入的人员数（默认20000）")
        parser.add_argument("--flush", action="store_true", help="先清空已有的人员、调查和各业务记录")

    def handle(self, *args, persons: int, seed: int, batch_size: int, flush: bool, **options):
        if persons < 0:
            raise CommandError("--persons 不能为负数")
        if batch_size < 1:
            raise CommandError("--batch-size 至少为1")
        existing = Person.objects.count()
        if existing and not flush:
            self.stderr.write(
                f"数据库中已有 {existing} 名持证残疾人，未生成演示数据。如需重新生成，请加 --flush（将清空现有人员及业务记录）。"
            )
            return
        started = time.monotonic()
        if flush:
            self._flush()
            self.stdout.write(f"已清空原有数据（{time.monotonic() - started:.1f} 秒）")

        counts = self._generate_registry(persons=persons, seed=seed, batch_size=batch_size)
        self.stdout.write(
            f"社区 {counts.communities} 个（新建），专职委员 {counts.roster} 名，持证残疾人 {counts.persons} 名，年度调查 {counts.surveys} 条"
            f"（{time.monotonic() - started:.1f} 秒）"
        )
        steps = demo_steps.registered()
        self._run_steps([s for s in steps if not s.after_accounts], seed=seed, batch_size=batch_size)
        for username, role, street, community in DEMO_USERS:
            args = [username, "--role", role, "--password", DEMO_PASSWORD]
            if street:
                args += ["--street", street]
            if community:
                args += ["--community", community]
            call_command("create_portal_user", *args, stdout=self.stdout)
        self._run_steps([s for s in steps if s.after_accounts], seed=seed, batch_size=batch_size)
        self.stdout.write(
            self.style.SUCCESS(
                f"演示数据已生成，共用时 {time.monotonic() - started:.1f} 秒。演示账号："
                f"{'、'.join(u for u, *_ in DEMO_USERS)}，密码均为 {DEMO_PASSWORD}"
            )
        )

    def _run_steps(self, steps: list[demo_steps.DemoStep], *, seed: int, batch_size: int) -> None:
        """The other apps' demo records (registry/demo_steps.py), each in its own transaction."""
        for step in steps:
            started = time.monotonic()
            with transaction.atomic():
                result = step.generate(rng=random.Random(seed + step.order), batch_size=batch_size)
            line = demo_steps.describe(step, result, time.monotonic() - started)
            if line:
                self.stdout.write(line)

    @transaction.atomic
    def _generate_registry(self, *, persons: int, seed: int, batch_size: int) -> demo.DemoCounts:
        generator = demo.DemoGenerator(seed=seed, chunk_size=batch_size)
        streets, created = generator.ensure_communities()
        counts = demo.DemoCounts(communities=created)
        counts.roster = demo.generate_roster(seed=seed)
        for chunk in generator.persons(persons, streets):
            demo.write_rows(Person, demo.PERSON_COLUMNS, chunk)
            surveys = generator.surveys(chunk)
            demo.write_rows(Survey, demo.SURVEY_COLUMNS, surveys)
            counts.persons += len(chunk)
            counts.surveys += len(surveys)
            if persons >= 100_000:
                self.stdout.write(f"  … {counts.persons} / {persons}")
        demo.reset_sequences()
        demo.analyze()
        return counts

    def _flush(self) -> None:
        """Remove persons, surveys, communities, every record of the domain apps and whatever refers to them
        (streets, users and the access log stay; the log's links to persons are cleared)."""
        models = _flush_models()
        with transaction.atomic():
            AccessLog.objects.filter(person__isnull=False).update(person=None)
            # Accounts stay; a community worker's community goes with the communities (he is given it
            # again when the demo accounts are made).
            UserProfile.objects.filter(community__isnull=False).update(community=None)
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
                    # TRUNCATE refuses while deferred foreign-key checks are pending in this transaction.
                    cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                    cursor.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
                    cursor.execute("SET CONSTRAINTS ALL DEFERRED")
                    return
            # Foreign keys are checked at commit: raw deletes in any order leave a consistent database.
            for model in models:
                model._base_manager.all()._raw_delete(connection.alias)


def _flush_models() -> list:
    """The demo tables and, like TRUNCATE … CASCADE, every table with a foreign key into them."""
    # The apps' demo records go (the demo campaign with its list: a campaign without persons would
    # block a new one); the indicators' reference rates stay.
    flushed = {
        m
        for step in demo_steps.registered()
        if step.flushed
        for m in apps.get_app_config(step.app).get_models()
    }
    flushed |= {Survey, Person, Community, Survey.history.model, Person.history.model}
    grown = True
    while grown:
        grown = False
        for model in apps.get_models(include_auto_created=True):
            if model in flushed or model in (AccessLog, UserProfile):
                continue
            if any(
                field.many_to_one and field.db_constraint and field.related_model in flushed
                for field in model._meta.concrete_fields
            ):
                flushed.add(model)
                grown = True
    return sorted(flushed, key=lambda m: m._meta.db_table)
