"""django-import-export widgets for the ten templates.

Each widget parses one non-empty cell (`parse`, shared by the admin's row-by-row import and the bulk
importer), renders a value for export (`render`, typed values so that dates stay Excel dates), and
describes itself for the blank template's 填写说明 sheet (`rule`, `choices`). Relation widgets
(`RelationWidget`) parse a key and resolve many keys with one query per chunk (`resolve_many`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.db import models
from import_export.widgets import Widget

from core import idnumbers
from core.constraints import NEGATIVE_MESSAGE
from core.models import Community, Street
from core.periods import today
from core.reference import STREETS
from sheets import cleaning, xlsx
from sheets.cleaning import CellError


def escape_formula(text: str) -> str:
    """Text a spreadsheet would run as a formula gets a leading apostrophe (stripped again on import).
    The writer does it again for every text cell; rendering it here keeps tablib's datasets safe too."""
    return xlsx.neutralise(text)


def parse_id_number(value) -> str:
    if value.__class__ is str and len(value) == 18 and value.isascii() and value[:17].isdigit():
        text = value.upper()  # typed as it should be: nothing to clean
    else:
        text = cleaning.clean_id_number(value)
    try:
        return idnumbers.validate_id_number(text, today=today())
    except idnumbers.IdNumberError as exc:
        raise CellError(str(exc)) from None


class PortalWidget(Widget):
    """Base: `parse` for import, `render` for export, `rule` for the instructions sheet (a template's
    own `rule`, or the widget's default)."""

    rule = ""
    # Excel number format of the column in templates and exports ("@" keeps digits as text).
    number_format: str | None = None

    def __init__(self, rule: str = "") -> None:
        super().__init__(coerce_to_string=False)
        if rule:
            self.rule = rule

    def parse(self, value):
        raise NotImplementedError

    def choices(self) -> list[str]:
        """Allowed values, for the template's drop-down list and instructions."""
        return []

    def clean(self, value, row=None, **kwargs):
        if cleaning.is_empty(value):
            return None
        try:
            return self.parse(value)
        except CellError as exc:
            raise ValueError(str(exc)) from None

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return escape_formula(str(value))


class TextWidget(PortalWidget):
    def __init__(self, max_length: int | None = None, rule: str = "") -> None:
        super().__init__(rule or (f"文字，不超过{max_length}个字" if max_length else "文字"))
        self.max_length = max_length

    def parse(self, value) -> str:
        return cleaning.clean_text(value, max_length=self.max_length)

    def clean(self, value, row=None, **kwargs):
        return "" if cleaning.is_empty(value) else super().clean(value, row, **kwargs)


class CodeTextWidget(TextWidget):
    """Digits typed as text or as numbers (phone numbers, certificate numbers): kept as text."""

    number_format = "@"

    def __init__(self, max_length: int | None = None, rule: str = "", upper: bool = False) -> None:
        super().__init__(max_length, rule)
        self.upper = upper

    def parse(self, value) -> str:
        text = cleaning.clean_code_text(value)
        if self.upper:
            text = text.upper()
        if self.max_length is not None and len(text) > self.max_length:
            raise CellError(f"不能超过{self.max_length}个字（现有{len(text)}个）")
        return text


class IdNumberWidget(PortalWidget):
    """公民身份号码: 18 characters with a valid GB 11643 check digit (core/idnumbers.py)."""

    number_format = "@"
    rule = "18位，末位可为X；请设为文本格式，勿以数字形式输入（会丢失精度）；性别和出生日期由号码自动得出"

    def parse(self, value) -> str:
        return parse_id_number(value)


class TypedValueWidget(PortalWidget):
    """Exported as its typed value (an Excel date or number), not as text."""

    def render(self, value, obj=None, **kwargs):
        return value if value is not None else ""


class DateWidget(TypedValueWidget):
    number_format = "yyyy-mm-dd"
    rule = "日期，如 2023-05-06、2023/5/6、2023.5.6 或 2023年5月6日"

    def __init__(self, rule: str = "", not_future: bool = False) -> None:
        super().__init__(rule)
        self.not_future = not_future

    def parse(self, value) -> dt.date:
        date = cleaning.clean_date(value)
        if self.not_future and date > today():
            raise CellError("不能晚于今天")
        return date


class MonthWidget(PortalWidget):
    """A month stored as its first day; exported as text 2023-05."""

    number_format = "@"
    rule = "月份，如 2023-05、2023/5 或 2023年5月（填日期时取其所在月份）"

    def parse(self, value) -> dt.date:
        return cleaning.clean_month(value)

    def render(self, value, obj=None, **kwargs):
        return f"{value:%Y-%m}" if value is not None else ""


class YearWidget(TypedValueWidget):
    def __init__(self, minimum: int, maximum: Callable[[], int], rule: str = "") -> None:
        super().__init__(rule or f"四位年份，{minimum}年至今年")
        self.minimum = minimum
        self.maximum = maximum

    def parse(self, value) -> int:
        # The bounds are the model's clean() (the form and the API say the same message); here only
        # the form of the value, and a bound wide enough that the number fits a year.
        return cleaning.clean_year(value, minimum=0, maximum=9999)


class IntegerWidget(TypedValueWidget):
    rule = "整数"

    def __init__(
        self,
        minimum: int | None = None,
        maximum: int | None = None,
        rule: str = "",
        negative: str | None = None,
    ) -> None:
        """`negative`: the model's own message for a negative number (队员人数不能为负数), said in place
        of the range's 不能小于0 so that the import words the rule as the form and the API do."""
        super().__init__(rule)
        self.minimum = minimum
        self.maximum = maximum
        self.negative = negative

    def parse(self, value) -> int:
        return cleaning.clean_integer(
            value, minimum=self.minimum, maximum=self.maximum, negative=self.negative
        )


class MoneyWidget(TypedValueWidget):
    """元 with two decimals, not negative. `negative` is the message for a negative amount: the one the
    model's own rule gives on the form, the API and the admin (one rule, one message on every door),
    by default the builders' NEGATIVE_MESSAGE (core.constraints). None leaves the sign to the model's
    clean(), where a rule on the same field would otherwise add a second message for the emptied
    cell (education's 必须填写金额, say)."""

    number_format = "0.00"
    rule = "金额（元），不小于0，最多两位小数"

    def __init__(self, rule: str = "", negative: str | None = NEGATIVE_MESSAGE) -> None:
        super().__init__(rule)
        self.negative = negative

    def parse(self, value) -> Decimal:
        amount = cleaning.clean_decimal(value, places=2)
        if amount < 0 and self.negative is not None:
            raise cleaning.CellError(self.negative)
        return amount


class YesNoWidget(PortalWidget):
    rule = "是/否（也可填 Y/N、1/0、√/×），空白视为“否”"

    def parse(self, value) -> bool:
        return cleaning.clean_yes_no(value)

    def choices(self) -> list[str]:
        return ["是", "否"]

    def clean(self, value, row=None, **kwargs):
        result = super().clean(value, row, **kwargs)
        return bool(result)

    def render(self, value, obj=None, **kwargs):
        return "是" if value else "否"


class ChoiceWidget(PortalWidget):
    """A TextChoices code list entered by its Chinese label (or an alias such as a digit code)."""

    def __init__(self, choices: type[models.TextChoices], aliases: dict[str, str] | None = None) -> None:
        super().__init__()
        self.labels = {member.value: member.label for member in choices}
        lookup = {label.upper(): value for value, label in self.labels.items()}
        for alias, value in (aliases or {}).items():
            lookup[alias.upper()] = value
        self.lookup = lookup
        self.allowed = "、".join(self.labels.values())
        self.rule = f"填写以下之一：{self.allowed}"

    def parse(self, value) -> str:
        return cleaning.clean_choice(value, self.lookup, self.allowed)

    def choices(self) -> list[str]:
        return list(self.labels.values())

    def clean(self, value, row=None, **kwargs):
        return "" if cleaning.is_empty(value) else super().clean(value, row, **kwargs)

    def render(self, value, obj=None, **kwargs):
        return self.labels.get(value, value or "")


class RelationWidget(PortalWidget):
    """A foreign key entered by a natural key (a name, an ID number) and resolved in bulk."""

    model: type[models.Model]
    lookup_field: str
    not_found = "不存在"

    def parse(self, value) -> str:
        return cleaning.normalize_text(value)

    def queryset(self) -> models.QuerySet:
        return self.model._default_manager.all()

    def resolve_many(self, keys: Iterable[str]) -> dict[str, models.Model]:
        keys = set(keys)
        if not keys:
            return {}
        return {
            getattr(obj, self.lookup_field): obj
            for obj in self.queryset().filter(**{f"{self.lookup_field}__in": keys})
        }

    def clean(self, value, row=None, **kwargs):
        key = super().clean(value, row, **kwargs)
        if key is None:
            return None
        found = self.resolve_many([key]).get(key)
        if found is None:
            raise ValueError(self.not_found)
        return found

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return escape_formula(str(getattr(value, self.lookup_field)))


class StreetWidget(RelationWidget):
    """One of the 13 streets, by its name with or without 街道."""

    lookup_field = "name"
    not_found = "不是鼓楼区的街道"

    model = Street

    @property
    def rule(self):
        return "鼓楼区13个街道之一（可省略“街道”二字）：" + "、".join(self.choices())

    def choices(self) -> list[str]:
        return [name for name, _short, _code in STREETS]

    def parse(self, value) -> str:
        text = cleaning.compact_text(value)
        return text if text.endswith("街道") else f"{text}街道"

    def resolve_many(self, keys):
        streets = {street.name: street for street in self.queryset()}
        return {key: streets[key] for key in keys if key in streets}


class CommunityWidget(TextWidget):
    """A community by name under the row's street. A new name gives an unsaved community of that
    street: the resource decides (PersonResource: created for staff, an error for a clerk)."""

    def __init__(self, street_column: str) -> None:
        super().__init__(
            max_length=50,
            rule="社区名称；街道经办人须填写本街道已登记的社区，区残联导入尚未登记的社区名称时将在该街道下新建社区",
        )
        self.street_column = street_column

    def clean(self, value, row=None, **kwargs):
        name = super().clean(value, row, **kwargs)
        if not name:
            return None
        street = StreetWidget().clean((row or {}).get(self.street_column))
        if street is None:
            return None
        return Community.objects.filter(street=street, name=name).first() or Community(
            street=street, name=name
        )

    def render(self, value, obj=None, **kwargs):
        return escape_formula(value.name) if value is not None else ""
