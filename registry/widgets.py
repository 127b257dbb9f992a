"""Widgets of the registry's columns that other templates use too: a person by 公民身份号码, the
残疾类别 and 残疾等级 code lists with the spellings clerks type."""

from __future__ import annotations

from registry.models import Category, Grade, Person
from sheets.widgets import RelationWidget, parse_id_number


class PersonWidget(RelationWidget):
    """A person of the registry, by 公民身份号码."""

    model = Person
    lookup_field = "id_number"
    number_format = "@"
    not_found = "登记中没有该公民身份号码的持证残疾人，请先导入持证残疾人"
    rule = "18位公民身份号码（文本格式），该人员必须已在持证残疾人登记中"

    def parse(self, value) -> str:
        return parse_id_number(value)

    def queryset(self):
        return self.model._default_manager.only("id", "id_number", "street_id", "name")


def category_aliases() -> dict[str, str]:
    """残疾类别 by digit (视力=1 … 多重=7) or with the suffix 残疾 (视力残疾)."""
    aliases = {member.value: member.value for member in Category}
    aliases.update({f"{member.label}残疾": member.value for member in Category})
    return aliases


def grade_aliases() -> dict[str, str]:
    """残疾等级 as 一级, 1, 1级 or 一."""
    aliases = {}
    for member in Grade:
        aliases[member.value] = member.value
        aliases[f"{member.value}级"] = member.value
        aliases[member.label[0]] = member.value
        aliases[f"{member.label}残疾"] = member.value
    return aliases
