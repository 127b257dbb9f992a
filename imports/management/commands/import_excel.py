"""python manage.py import_excel RESOURCE FILE [--dry-run] [--json] [--user USERNAME]

Exit status: 0 imported (or, with --dry-run, would be imported), 1 rejected, 2 bad arguments.
With --json, stdout carries exactly one JSON document (excel-import.md) and nothing else.
"""

import json
import logging
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.resources import RESOURCE_NAMES, get_resource_class
from imports.services import MESSAGE_INTERNAL_ERROR, import_log_command_run, run_import
from sheets import excel
from sheets.engine import ImportNotAllowed, ImportReport

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "从Excel工作簿（.xlsx）导入一个模板的数据：全部行通过检查才写入，可先 --dry-run 试运行。"

    def add_arguments(self, parser):
        parser.add_argument("resource", help="模板名称：" + "、".join(RESOURCE_NAMES))
        parser.add_argument("file", help=".xlsx 文件路径")
        parser.add_argument("--dry-run", action="store_true", help="只检查并统计，不写入")
        parser.add_argument("--json", action="store_true", help="只在标准输出打印一个JSON结果")
        parser.add_argument("--user", help="按该用户的权限范围导入（街道经办人只能导入本街道的记录）")

    def handle(self, *args, **options):
        resource = options["resource"]
        if resource not in RESOURCE_NAMES:
            raise CommandError(f"未知的模板：{resource}（可选：{', '.join(RESOURCE_NAMES)}）", returncode=2)
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"文件不存在：{path}", returncode=2)
        user = self._user(options["user"])
        dry_run = options["dry_run"]
        try:
            excel.check_size(path.stat().st_size)
            data = path.read_bytes()
        except excel.BadFile as exc:
            report = ImportReport(
                resource=resource,
                dry_run=dry_run,
                errors=[{"row": None, "column": None, "message": exc.message}],
            )
        else:
            try:
                report = run_import(
                    resource, data, user=user, dry_run=dry_run, change_reason=f"Excel导入：{path.name}"[:100]
                )
            except ImportNotAllowed as exc:
                raise CommandError(f"用户 {user.get_username()} {exc}", returncode=2) from None
            except Exception:  # a bug or a database outage: logged for the operator, reported as refused
                logger.exception("import_excel %s %s failed", resource, path)
                report = ImportReport(
                    resource=resource,
                    dry_run=dry_run,
                    errors=[{"row": None, "column": None, "message": MESSAGE_INTERNAL_ERROR}],
                )
        if not dry_run:
            import_log_command_run(acting_user=user, resource=resource, file_name=path.name, report=report)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), ensure_ascii=False))
        else:
            self._print_summary(report, resource)
        if not report.accepted:
            raise CommandError(
                f"文件未导入：共 {report.error_count or len(report.errors)} 处错误", returncode=1
            )

    def _user(self, username):
        if not username:
            return None
        try:
            return get_user_model().objects.get(username=username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"用户不存在：{username}", returncode=2) from None

    def _print_summary(self, report: ImportReport, resource: str) -> None:
        title = get_resource_class(resource).import_title
        mode = "（试运行，未写入）" if report.dry_run else ""
        if report.accepted:
            self.stdout.write(
                f"{title}（{resource}）{mode}：新增 {report.created}，更新 {report.updated}，"
                f"未变化 {report.unchanged}"
            )
        for warning in report.warnings:
            self.stdout.write(f"提示：{warning['message']}")
        for error in report.errors:
            where = "".join(
                part
                for part in (
                    f"第{error['row']}行 " if error["row"] else "",
                    f"【{error['column']}】" if error["column"] else "",
                )
            )
            self.stdout.write(f"错误：{where}{error['message']}")
