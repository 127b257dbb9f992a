"""core.idnumbers caches its checks (an import checks each number twice): the cache never changes an
answer, an error stays an error, the day checked against is part of the key, and it is bounded."""

import datetime as dt

import pytest

from core import idnumbers
from core.idnumbers import IdNumberError, make_id_number, validate_id_number

BIRTH = dt.date(1990, 5, 6)
VALID = make_id_number("320106", BIRTH, 7)
WRONG_CHECK = VALID[:17] + ("0" if VALID[17] != "0" else "1")


def test_valid_number_validated_twice_gives_the_same_answer():
    assert validate_id_number(VALID) == VALID
    assert validate_id_number(VALID.lower()) == VALID
    assert validate_id_number(VALID) == VALID


def test_invalid_number_validated_twice_raises_the_same_error_each_time():
    messages = []
    for _ in range(2):
        with pytest.raises(IdNumberError) as exc:
            validate_id_number(WRONG_CHECK)
        messages.append(str(exc.value))
    assert messages == ["校验位错误", "校验位错误"]


def test_fifteen_digit_number_is_refused_each_time():
    for _ in range(2):
        with pytest.raises(IdNumberError, match="不支持15位身份证号码"):
            validate_id_number("320106900506123")


def test_the_day_checked_against_is_part_of_the_cache_key():
    # the same number is valid on its birthday and refused the day before, in either order
    for _ in range(2):
        assert validate_id_number(VALID, today=BIRTH) == VALID
        with pytest.raises(IdNumberError, match="晚于今天"):
            validate_id_number(VALID, today=BIRTH - dt.timedelta(days=1))


def test_the_cache_is_bounded():
    info = idnumbers._validated.cache_info()
    assert info.maxsize is not None and 0 < info.maxsize <= 100_000


def test_check_digit_needs_seventeen_characters():
    with pytest.raises(ValueError):
        idnumbers.check_digit(VALID[:16])
    assert idnumbers.check_digit(VALID[:17]) == VALID[17]
