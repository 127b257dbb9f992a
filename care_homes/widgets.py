"""Widgets of the care-home columns: a home by its name."""

from __future__ import annotations

from care_homes.models import CareHome
from sheets import cleaning
from sheets.widgets import RelationWidget


class CareHomeWidget(RelationWidget):
    model = CareHome
    lookup_field = "name"
    not_found = "托养机构不存在，请先导入托养机构"
    rule = "托养机构名称，必须是已登记的托养机构"

    def parse(self, value) -> str:
        return cleaning.clean_text(value, max_length=100)
