"""National ID numbers (GB 11643-1999) and certificate numbers (残疾人证号)."""

import datetime as dt
import re
from functools import lru_cache
from operator import mul

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
_ID_RE = re.compile(r"^\d{17}[\dX]$")
# Nobody on the register was born before 1900; core.date_bounds takes this as the earliest
# plausible date of every record.
EARLIEST_BIRTH_DATE = dt.date(1900, 1, 1)


class IdNumberError(ValueError):
    """A message a clerk can read, in Chinese."""


def check_digit(first17: str) -> str:
    if len(first17) != len(WEIGHTS):
        raise ValueError("check_digit needs the first 17 characters")
    return CHECK_CHARS[sum(map(mul, map(int, first17), WEIGHTS)) % 11]


def normalize_id_number(raw: str) -> str:
    """Upper-case, strip spaces and full-width characters; does not validate."""
    text = (raw or "").translate(_FULLWIDTH).replace(" ", "").strip()
    return text.upper()


_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "\u3000": " "}
)


def validate_id_number(raw: str, *, today: dt.date | None = None) -> str:
    """Return the normalized 18-character ID number or raise IdNumberError with a Chinese message."""
    # a calendar date, local by definition
    return _validated(normalize_id_number(raw), today or dt.date.today())  # noqa: DTZ011


# An import checks each number twice (its cell, then the model's clean()): the second time is a hit.
@lru_cache(maxsize=8192)
def _validated(value: str, today: dt.date) -> str:
    if len(value) == 15 and value.isdigit():
        raise IdNumberError("不支持15位身份证号码，请先转换为18位")
    if len(value) != 18:
        raise IdNumberError("公民身份号码应为18位")
    if not _ID_RE.match(value):
        raise IdNumberError("公民身份号码格式错误：前17位应为数字，最后一位为数字或X")
    birth = _birth_date_or_none(value)
    if birth is None:
        raise IdNumberError("公民身份号码中的出生日期无效")
    if birth < EARLIEST_BIRTH_DATE:
        raise IdNumberError(f"公民身份号码中的出生日期早于{EARLIEST_BIRTH_DATE:%Y-%m-%d}")
    if birth > today:
        raise IdNumberError("公民身份号码中的出生日期晚于今天")
    if check_digit(value[:17]) != value[17]:
        raise IdNumberError("校验位错误")
    return value


def _birth_date_or_none(value: str) -> dt.date | None:
    try:
        return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None


def birth_date_of(id_number: str) -> dt.date:
    return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))


def sex_of(id_number: str) -> str:
    """'M' or 'F' from the 17th digit (odd: male)."""
    return "M" if int(id_number[16]) % 2 else "F"


def certificate_number_for(id_number: str, category: str, grade: str) -> str:
    return f"{id_number}{category}{grade}"


def mask_id_number(id_number: str) -> str:
    """320102********1234: region code and the last four digits only."""
    if not id_number or len(id_number) < 10:
        return id_number or ""
    return f"{id_number[:6]}{'*' * (len(id_number) - 10)}{id_number[-4:]}"


def make_id_number(region: str, birth: dt.date, sequence: int) -> str:
    """Build a valid ID number (demo data and tests): 6-digit region, birth date, 3-digit sequence."""
    first17 = f"{region}{birth:%Y%m%d}{sequence % 1000:03d}"
    return first17 + check_digit(first17)
