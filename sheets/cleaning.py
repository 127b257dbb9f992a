"""Cell cleaning: turn what clerks type into Excel into Python values, or say in Chinese what is wrong.

Each function takes a non-empty raw cell value as python-calamine or openpyxl returns it (str, float,
int, bool, date, datetime) and returns the cleaned value or raises CellError. Emptiness is decided
once, by `is_empty`, before any of them is called. They are plain functions, cheap on the common
case (an ASCII string without stray spaces), because the bulk importer calls them for every cell.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Full-width digits and letters (０-９, Ａ-Ｚ, ａ-ｚ), the ideographic space and the no-break space.
_FULLWIDTH = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "\u3000": " ",
        "\u00a0": " ",
        "\u2002": " ",
        "\u2003": " ",
        "\u2009": " ",
        "\u200b": "",
        "\ufeff": "",
        "\t": " ",
        "\r": " ",
        "\n": " ",
    }
)
# The characters _FULLWIDTH changes, and those it deletes (a cell of them alone is empty).
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(code)) for code in _FULLWIDTH) + "]")
_INVISIBLE = "".join(chr(code) for code, replacement in _FULLWIDTH.items() if replacement == "")
# Punctuation that matters inside numbers and dates.
_FULLWIDTH_NUMERIC = str.maketrans({"．": ".", "－": "-", "／": "/", "，": ",", "＋": "+", "：": ":"})
_SPACES = re.compile(r" {2,}")
# A space next to a CJK character (or full-width punctuation) is a typing accident, not a separator.
_CJK_SPACE = re.compile(
    r"(?<=[\u2e80-\u9fff\uff00-\uffef（）《》“”、，。]) | (?=[\u2e80-\u9fff\uff00-\uffef（）《》“”、，。])"
)

# Export escapes text that a spreadsheet would run as a formula with this prefix; import strips it.
FORMULA_PREFIX = "'"
FORMULA_CHARS = ("=", "+", "-", "@")
# A tab or carriage return first is escaped too (a CR reads back as a line feed from the XML), and
# whitespace is normalised below, so that prefix is stripped first.
_ESCAPED_SPACES = ("\t", "\r", "\n")

# An Excel serial day number 1 is 1900-01-01; 1899-12-30 absorbs Excel's 1900 leap-year bug.
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_RE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE_RE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_COMPACT_MONTH_RE = re.compile(r"^(\d{4})(\d{2})$")
_YEAR_RE = re.compile(r"^(\d{4})\s*年?(?:度)?$")
_FLOAT_TEXT_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$", re.IGNORECASE)

YES_VALUES = frozenset({"是", "Y", "YES", "1", "√", "✓", "✔", "TRUE", "T", "有", "对"})
NO_VALUES = frozenset({"否", "N", "NO", "0", "×", "✗", "✘", "X", "FALSE", "F", "无", "不是"})
_MAX_SAFE_INTEGER = 2**53


class CellError(ValueError):
    """A message for the clerk, in Chinese, about one cell."""


def is_empty(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return True
        if stripped[0] not in _INVISIBLE:
            return False  # the common case, without translating the whole cell
        return not value.translate(_FULLWIDTH).strip()
    return False


def normalize_text(value) -> str:
    """Strip, convert full-width digits and letters, collapse inner runs of spaces and drop the stray
    ones next to Chinese characters. Numbers typed into a text column come back without '.0'."""
    if not isinstance(value, str):
        value = _number_to_text(value)
    elif value[:1] == FORMULA_PREFIX and value[1:2] in _ESCAPED_SPACES:
        value = value[1:]
    if value.isascii():
        text = value.strip()
        if "  " in text or "\t" in text or "\n" in text or "\r" in text:
            text = _SPACES.sub(" ", text.replace("\t", " ").replace("\n", " ").replace("\r", " "))
    elif " " not in value and not _TRANSLATED.search(value) and len(value.strip()) == len(value):
        text = value  # Chinese text with nothing to convert (most names and addresses)
    else:
        text = _SPACES.sub(" ", value.translate(_FULLWIDTH)).strip()
        if " " in text:
            text = _CJK_SPACE.sub("", text)
    if text[:1] == FORMULA_PREFIX and text[1:2] in FORMULA_CHARS:
        text = text[1:]
    return text


def compact_text(value) -> str:
    """Codes, numbers and ID numbers: every space removed."""
    text = normalize_text(value)
    return text.replace(" ", "") if " " in text else text


def _number_to_text(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < _MAX_SAFE_INTEGER:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def clean_text(value, *, max_length: int | None = None) -> str:
    text = normalize_text(value)
    if max_length is not None and len(text) > max_length:
        raise CellError(f"不能超过{max_length}个字（现有{len(text)}个）")
    return text


def clean_id_number(value) -> str:
    """An ID number as text. A number cell has lost digits already: say so rather than guess."""
    if isinstance(value, bool):
        raise CellError("公民身份号码格式错误")
    if isinstance(value, float | int):
        if isinstance(value, int) or (value.is_integer() and abs(value) < _MAX_SAFE_INTEGER):
            digits = str(int(value))
            if len(digits) < 16:
                return digits  # short numbers are exact; the validator explains what is wrong
        raise CellError(
            "公民身份号码被Excel存成了数字，后几位已丢失（精度丢失），"
            "请把该列设为“文本”格式后重新填写完整的18位号码"
        )
    text = compact_text(value).upper()
    if _FLOAT_TEXT_RE.match(text) and "E" in text:
        raise CellError(
            "公民身份号码是科学计数法形式（如 3.20102198001011234E+17），精度已丢失，"
            "请把该列设为“文本”格式后重新填写完整的18位号码"
        )
    return text


def clean_code_text(value) -> str:
    """A code typed as text or as a number (phone numbers, digits): '13912345678', never '1.39e10'."""
    if isinstance(value, float) and not value.is_integer():
        raise CellError("应为数字编码，不能带小数")
    return compact_text(value)


def clean_decimal(value, *, places: int = 2) -> Decimal:
    if isinstance(value, bool):
        raise CellError("应为数字")
    if isinstance(value, int | float):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        text = compact_text(value).translate(_FULLWIDTH_NUMERIC).replace(",", "")
        text = text.removesuffix("元").removeprefix("¥").removeprefix("￥")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise CellError("应为数字（金额，单位元）") from None
    if not number.is_finite():
        raise CellError("应为数字")
    quantum = Decimal(1).scaleb(-places)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded != number:
        raise CellError(f"最多保留{places}位小数")
    return rounded


def clean_integer(
    value, *, minimum: int | None = None, maximum: int | None = None, negative: str | None = None
) -> int:
    """A whole number within [minimum, maximum]; `negative`, if given, is the message for a number
    below 0 (the model's own, 队员人数不能为负数), said in place of the range's 不能小于0."""
    if isinstance(value, bool):
        raise CellError("应为整数")
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError("应为整数")
        number = int(value)
    elif isinstance(value, int):
        number = value
    else:
        text = compact_text(value).translate(_FULLWIDTH_NUMERIC).removesuffix("人").removesuffix("口")
        try:
            number = int(text)
        except ValueError:
            try:
                as_float = float(text)
            except ValueError:
                raise CellError("应为整数") from None
            if not as_float.is_integer():
                raise CellError("应为整数") from None
            number = int(as_float)
    if negative is not None and number < 0:
        raise CellError(negative)
    _check_range(number, minimum, maximum)
    return number


def _check_range(number: int, minimum: int | None, maximum: int | None) -> None:
    if minimum is not None and maximum is not None and not minimum <= number <= maximum:
        raise CellError(f"应在{minimum}到{maximum}之间")
    if minimum is not None and number < minimum:
        raise CellError(f"不能小于{minimum}")
    if maximum is not None and number > maximum:
        raise CellError(f"不能大于{maximum}")


def clean_year(value, *, minimum: int, maximum: int) -> int:
    if isinstance(value, dt.date):
        number = value.year
    elif isinstance(value, str):
        match = _YEAR_RE.match(compact_text(value))
        if not match:
            raise CellError("应为四位年份，如 2023")
        number = int(match.group(1))
    else:
        number = clean_integer(value)
    _check_range(number, minimum, maximum)
    return number


def clean_date(value) -> dt.date:
    """Excel date cells, serial day numbers and the text forms 2023-05-06, 2023/5/6, 2023.5.6,
    2023年5月6日 and 20230506."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError("日期格式错误")
    if isinstance(value, int | float):
        return _date_from_number(value)
    text = normalize_text(value).translate(_FULLWIDTH_NUMERIC)
    match = _DATE_RE.match(text) or _COMPACT_DATE_RE.match(text)
    if not match:
        raise CellError("日期格式错误，应为 2023-05-06、2023/5/6、2023.5.6 或 2023年5月6日")
    return _make_date(*match.groups())


def _date_from_number(value: float) -> dt.date:
    if float(value).is_integer() and 19000101 <= value <= 29991231:
        return _make_date(*_COMPACT_DATE_RE.match(str(int(value))).groups())
    if 1 <= value < 2958466 and float(value).is_integer():
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    raise CellError("日期格式错误，应为 2023-05-06、2023/5/6、2023.5.6 或 2023年5月6日")


def _make_date(year: str, month: str, day: str) -> dt.date:
    try:
        return dt.date(int(year), int(month), int(day))
    except ValueError:
        raise CellError(f"日期不存在：{year}年{int(month)}月{int(day)}日") from None


def clean_month(value) -> dt.date:
    """A month, stored as its first day: 2023-05, 2023/5, 2023年5月, 202305 or any date."""
    if isinstance(value, dt.datetime):
        return value.date().replace(day=1)
    if isinstance(value, dt.date):
        return value.replace(day=1)
    if isinstance(value, bool):
        raise CellError("月份格式错误")
    if isinstance(value, int | float):
        if float(value).is_integer() and 190001 <= value <= 299912:
            text = str(int(value))
            return _make_month(text[:4], text[4:])
        return _date_from_number(value).replace(day=1)
    text = compact_text(value).translate(_FULLWIDTH_NUMERIC)
    match = _MONTH_RE.match(text) or _COMPACT_MONTH_RE.match(text)
    if match:
        return _make_month(*match.groups())
    try:
        return clean_date(text).replace(day=1)
    except CellError:
        raise CellError("月份格式错误，应为 2023-05、2023/5 或 2023年5月") from None


def _make_month(year: str, month: str) -> dt.date:
    if not 1 <= int(month) <= 12:
        raise CellError(f"月份不存在：{year}年{int(month)}月")
    return dt.date(int(year), int(month), 1)


def clean_yes_no(value) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        if value in (0, 1):
            return bool(value)
        raise CellError("应填“是”或“否”")
    text = compact_text(value).upper()
    if text in YES_VALUES:
        return True
    if text in NO_VALUES:
        return False
    raise CellError("应填“是”或“否”（也可填 Y/N、1/0、√/×）")


def clean_choice(value, lookup: dict[str, str], allowed: str) -> str:
    """A code list entry by its Chinese name (or an alias in `lookup`), returning the stored code."""
    key = (
        compact_text(value).upper()
        if not isinstance(value, str) or not value.isascii()
        else value.strip().upper()
    )
    try:
        return lookup[key]
    except KeyError:
        raise CellError(f"应为以下之一：{allowed}") from None
