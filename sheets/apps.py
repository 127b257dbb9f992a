from django.apps import AppConfig


class SheetsConfig(AppConfig):
    """The portal's Excel machinery: reading guarded workbooks, cleaning cells, the bulk importer,
    the one writer and the resource base every template builds on (no models)."""

    name = "sheets"
    verbose_name = "Excel表格"
