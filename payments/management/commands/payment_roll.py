"""payment_roll MONTH [--street S] [--json]: the roll as it would be built now; saves nothing (payments.md)."""

from __future__ import annotations

import json
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandParser

from core.models import Street
from payments import selectors, services


class Command(BaseCommand):
    help = "按当前数据显示某月发放名册（不保存）。MONTH 格式 YYYY-MM；--street 街道名称（可带或不带“街道”）。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("month", help="月份，格式 YYYY-MM")
        parser.add_argument("--street", help="街道名称（可带或不带“街道”），不填为全区")
        parser.add_argument("--json", action="store_true", help="输出 JSON")

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(2)

    def handle(self, *args, month: str, street: str | None, json: bool, **options) -> None:
        try:
            month_date = services.parse_month(month)
            services.check_buildable_month(month_date)
        except ValidationError as exc:
            self._fail("；".join(exc.messages))
        street_obj = None
        if street is not None:
            street_obj = Street.objects.by_name(street)
            if street_obj is None:
                self._fail(f"未知街道：{street}")
        roll = selectors.preview(month_date, street_obj)
        if json:
            self.stdout.write(_dumps(roll))
            return
        self._print(roll)

    def _print(self, roll: dict) -> None:
        scope = roll["street"] or "全区"
        self.stdout.write(f"{scope} {roll['month']} 发放名册（按当前数据生成，未保存）")
        for line in roll["lines"]:
            kind = "补发" if line["type"] == "arrears" else "当月"
            self.stdout.write(
                f"  {line['id_number']} {line['name']} {line['street']} {line['kind']} {line['month']} "
                f"{line['amount']}元 {kind}"
            )
        if roll["held"]:
            self.stdout.write("暂停发放：")
            for item in roll["held"]:
                self.stdout.write(f"  {item['id_number']} {item['kind']} {item['month']} {item['message']}")
        if roll["recoveries"]:
            self.stdout.write("应追回：")
            for item in roll["recoveries"]:
                self.stdout.write(f"  {item['id_number']} {item['kind']} {item['month']} {item['amount']}元")
        totals = roll["totals"]
        self.stdout.write(f"合计：{totals['lines']}笔，{totals['amount']}元")
        for kind, value in totals["by_kind"].items():
            self.stdout.write(f"  {kind}：{value['lines']}笔，{value['amount']}元")


def _dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False)
