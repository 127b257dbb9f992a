"""The ID-number check's fast path (core.idnumbers.validate_id_number) against the implementation it
replaced, kept here as the reference: the same normalized number, or the same message, for every
input of a generated corpus (valid, bad check character, bad dates, any region, lower-case x, 15
digits, spaces, full-width and non-ASCII digits, other lengths and types)."""

import datetime as dt
import random
import re
from operator import mul

import pytest

from core import idnumbers
from core.idnumbers import IdNumberError, birth_date_of, make_id_number, validate_id_number

TODAY = dt.date(2026, 12, 3)

# ---------------------------------------------------------------- the reference (before 2026-12-03)
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_RE = re.compile(r"^\d{17}[\dX]$")
_FULLWIDTH = str.maketrans(
    {**{chr(0xFF10 + i): str(i) for i in range(10)}, "Ｘ": "X", "ｘ": "x", "\u3000": " "}
)


def reference_check_digit(first17: str) -> str:
    return "10X98765432"[sum(map(mul, map(int, first17), _WEIGHTS)) % 11]


def reference_validate(raw, today: dt.date) -> str:
    value = (raw or "").translate(_FULLWIDTH).replace(" ", "").strip().upper()
    if len(value) == 15 and value.isdigit():
        raise IdNumberError("不支持15位身份证号码，请先转换为18位")
    if len(value) != 18:
        raise IdNumberError("公民身份号码应为18位")
    if not _ID_RE.match(value):
        raise IdNumberError("公民身份号码格式错误：前17位应为数字，最后一位为数字或X")
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise IdNumberError("公民身份号码中的出生日期无效") from None
    if birth < dt.date(1900, 1, 1):
        raise IdNumberError("公民身份号码中的出生日期早于1900-01-01")
    if birth > today:
        raise IdNumberError("公民身份号码中的出生日期晚于今天")
    if reference_check_digit(value[:17]) != value[17]:
        raise IdNumberError("校验位错误")
    return value


def outcome(check, raw, today=TODAY):
    try:
        return "ok", check(raw, today)
    except IdNumberError as exc:
        return "error", str(exc)


# ---------------------------------------------------------------- the corpus


def corpus(size: int = 4000) -> list:
    rng = random.Random(20261203)
    values = []
    for _ in range(size):
        region = f"{rng.randrange(1000000):06d}"  # any region, 000000 too: none is refused
        birth = f"{rng.randrange(1850, 2040):04d}{rng.randrange(0, 14):02d}{rng.randrange(0, 33):02d}"
        first17 = f"{region}{birth}{rng.randrange(1000):03d}"
        good = first17 + reference_check_digit(first17)
        values.append(good)
        values.append(first17 + rng.choice("0123456789Xx"))  # mostly a wrong check character
        if good.endswith("X"):
            values.append(good[:-1] + "x")
        values.append(first17[:15])  # 15 digits
        values.append(f" {good}")
        values.append(f"{good} ")
        values.append(f"{good[:17]} {good[17]}")
        values.append(good[:17] + "\t")
        values.append(good.translate({ord(c): 0xFF10 + int(c) for c in "0123456789"}))
        position = rng.randrange(18)
        values.append(good[:position] + rng.choice("A٣²_ -+.") + good[position + 1 :])
        values.append(good[: rng.randrange(19)])
        values.append(good + rng.choice("0X "))
    # valid numbers of every day around the bounds and the leap days
    for day in (
        dt.date(1899, 12, 31),
        dt.date(1900, 1, 1),
        dt.date(2000, 2, 29),
        TODAY,
        TODAY + dt.timedelta(1),
    ):
        values.append(make_id_number("320102", day, 7))
    for text in ("32010219000229001", "32010219040229001", "32010221000229001", "32010220000229001"):
        values.append(text + reference_check_digit(text))
    values += ["", None, "X" * 18, "11010519491231002X\n"]
    return values


def test_the_check_character_is_the_weighted_sum():
    rng = random.Random(7)
    for _ in range(20000):
        first17 = f"{rng.randrange(10**17):017d}"
        assert idnumbers._check_char(first17) == reference_check_digit(first17)
        assert idnumbers.check_digit(first17) == reference_check_digit(first17)


@pytest.mark.parametrize("today", [TODAY, dt.date(1990, 6, 15)])
def test_validate_agrees_with_the_previous_implementation(today):
    idnumbers._birth_date.cache_clear()
    values = corpus()
    for _ in range(2):  # the second pass reads the remembered dates
        for raw in values:
            assert outcome(lambda r, d: validate_id_number(r, today=d), raw, today) == outcome(
                reference_validate, raw, today
            ), repr(raw)


def test_every_outcome_is_in_the_corpus():
    outcomes = {
        outcome(reference_validate, raw)[1]
        for raw in corpus()
        if outcome(reference_validate, raw)[0] == "error"
    }
    assert outcomes >= {
        "不支持15位身份证号码，请先转换为18位",
        "公民身份号码应为18位",
        "公民身份号码格式错误：前17位应为数字，最后一位为数字或X",
        "公民身份号码中的出生日期无效",
        "公民身份号码中的出生日期早于1900-01-01",
        "公民身份号码中的出生日期晚于今天",
        "校验位错误",
    }
    assert sum(outcome(reference_validate, raw)[0] == "ok" for raw in corpus()) > 1000


def test_birth_date_of_agrees_with_the_date_in_the_number():
    idnumbers._birth_date.cache_clear()
    for raw in corpus(500):
        if outcome(reference_validate, raw)[0] == "ok":
            value = reference_validate(raw, TODAY)
            expected = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
            assert birth_date_of(value) == expected
            assert birth_date_of(value) == expected
    with pytest.raises(ValueError):
        birth_date_of("320102198002300011")


def test_a_number_checked_against_one_day_is_checked_again_against_another():
    number = make_id_number("320102", dt.date(2000, 5, 6), 12)
    assert validate_id_number(number, today=TODAY) == number
    assert validate_id_number(number, today=TODAY) == number
    with pytest.raises(IdNumberError, match="晚于今天"):
        validate_id_number(number, today=dt.date(2000, 5, 5))
    assert validate_id_number(number.lower(), today=TODAY) == number


def test_the_memo_of_checked_numbers_stays_within_its_limit_and_right(monkeypatch):
    monkeypatch.setattr(idnumbers, "_CHECKED", {})
    monkeypatch.setattr(idnumbers, "_CHECKED_LIMIT", 3)
    valid = [raw for raw in corpus(300) if outcome(reference_validate, raw)[0] == "ok"][:10]
    for today in (TODAY, TODAY, dt.date(1990, 6, 15)):  # the same day twice, then another
        for raw in valid:
            assert outcome(lambda r, d: validate_id_number(r, today=d), raw, today) == outcome(
                reference_validate, raw, today
            ), repr(raw)
            assert len(idnumbers._CHECKED) <= 3
