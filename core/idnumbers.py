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
    day = today or dt.date.today()  # noqa: DTZ011
    if raw.__class__ is str and _CHECKED.get(raw) == day:
        return raw  # checked a moment ago (an import checks its cell, then the model's clean())
    if (
        raw.__class__ is str
        and len(raw) == 18
        and raw.isascii()
        and raw[:17].isdigit()
        and raw[17] in _LAST_CHARS
    ):
        # Typed as it should be (17 ASCII digits and a digit or X): nothing to normalize, and the
        # checks of _validated in their order, without its regular expression or date objects.
        value = raw if raw[17] != "x" else raw[:17] + "X"
        _check_birth_date_and_check_char(value, day)
        if len(_CHECKED) >= _CHECKED_LIMIT:
            _CHECKED.clear()
        _CHECKED[value] = day
        return value
    return _validated(normalize_id_number(raw), day)


# valid numbers, as typed, -> the day they were checked against (a chunk of an import, and more)
_CHECKED: dict[str, dt.date] = {}
_CHECKED_LIMIT = 8192


_LAST_CHARS = frozenset("0123456789Xx")


def _check_char(value: str) -> str:
    """The check character of the first 17 characters (ASCII digits) of `value`.

    The GB 11643 weights are 2**(17 - i) mod 11 for the i-th digit (i from 0). Read in base 13
    (13 ≡ 2 mod 11) the 17 digits are the sum of digit × 13**(16 - i) ≡ digit × 2**(16 - i), half
    the weighted sum modulo 11: one int() instead of 17 multiplications."""
    return CHECK_CHARS[int(value[:17], 13) * 2 % 11]


# Birth dates by their 8 digits (19800101): dates repeat from number to number, and derive_fields()
# reads the same date again. The least recently used are dropped first, so junk cannot fill it for good.
@lru_cache(maxsize=65536)
def _birth_date(digits: str) -> dt.date | None:
    """The date of 8 ASCII digits YYYYMMDD, or None when there is no such date."""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


# Numbers that are not typed as they should be (spaces, full-width digits, a wrong length): checked
# the long way, and remembered, as an import checks each number twice (its cell, then clean()).
@lru_cache(maxsize=8192)
def _validated(value: str, today: dt.date) -> str:
    if len(value) == 15 and value.isdigit():
        raise IdNumberError("不支持15位身份证号码，请先转换为18位")
    if len(value) != 18:
        raise IdNumberError("公民身份号码应为18位")
    if not _ID_RE.match(value):
        raise IdNumberError("公民身份号码格式错误：前17位应为数字，最后一位为数字或X")
    _check_birth_date_and_check_char(value, today)
    return value


def _check_birth_date_and_check_char(value: str, today: dt.date) -> None:
    """The checks after the format's, in their order, on 17 digits and a digit or X."""
    birth = _birth_date(value[6:14])
    if birth is None:
        raise IdNumberError("公民身份号码中的出生日期无效")
    if birth < EARLIEST_BIRTH_DATE:
        raise IdNumberError(f"公民身份号码中的出生日期早于{EARLIEST_BIRTH_DATE:%Y-%m-%d}")
    if birth > today:
        raise IdNumberError("公民身份号码中的出生日期晚于今天")
    if _check_char(value) != value[17]:
        raise IdNumberError("校验位错误")


def birth_date_of(id_number: str) -> dt.date:
    birth = _birth_date(id_number[6:14])
    if birth is None:  # no such date: the same parse again, for its ValueError
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    return birth


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
