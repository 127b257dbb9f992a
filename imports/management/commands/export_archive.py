"""python manage.py export_archive OUTPUT [--user USERNAME]

Writes all ten resources for archiving, in the import templates (so the archive can be imported
back): OUTPUT ending in .xlsx gets one workbook with one sheet per resource; any other OUTPUT is a
directory that gets one workbook per resource (<resource>.xlsx, with its 填写说明 sheet).
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.resources import ARCHIVED_RESOURCE_NAMES, get_resource_class
from registry.audit import log_export
from sheets.excel import ExportWriter
from sheets.exports import EXPORT_CHUNK_SIZE, write_export


class Command(BaseCommand):
    help = "把十个模板的全部数据导出存档（一个 .xlsx 多个工作表，或一个目录每个模板一个文件）。"

    def add_arguments(self, parser):
        parser.add_argument("output", help="输出文件（.xlsx）或目录")
        parser.add_argument("--user", help="按该用户的权限范围导出并记入导出日志（默认：全部数据）")

    def handle(self, *args, **options):
        output = Path(options["output"])
        user = None
        if options["user"]:
            try:
                user = get_user_model().objects.get(username=options["user"])
            except get_user_model().DoesNotExist:
                raise CommandError(f"用户不存在：{options['user']}", returncode=2) from None
        counts = {}
        if output.suffix.lower() == ".xlsx":
            output.parent.mkdir(parents=True, exist_ok=True)
            writer = ExportWriter(str(output))
            for name in ARCHIVED_RESOURCE_NAMES:
                resource_cls = get_resource_class(name)
                queryset = resource_cls().export_queryset(user).iterator(chunk_size=EXPORT_CHUNK_SIZE)
                counts[name] = writer.add_resource(resource_cls, queryset)
            writer.save()
        else:
            output.mkdir(parents=True, exist_ok=True)
            for name in ARCHIVED_RESOURCE_NAMES:
                resource_cls = get_resource_class(name)
                with open(output / f"{name}.xlsx", "wb") as handle:
                    counts[name] = write_export(resource_cls, resource_cls().export_queryset(user), handle)
        if user is not None:
            log_export(
                user=user,
                object_type="archive",
                row_count=sum(counts.values()),
                detail=f"export_archive {output}",
            )
        for name, count in counts.items():
            self.stdout.write(f"{get_resource_class(name).import_title}（{name}）：{count} 行")
        self.stdout.write(f"已写入 {output}")
