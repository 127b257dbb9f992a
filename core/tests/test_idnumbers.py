import datetime as dt

import pytest

from core.idnumbers import (
    IdNumberError,
    birth_date_of,
    certificate_number_for,
    check_digit,
    make_id_number,
    mask_id_number,
    normalize_id_number,
    sex_of,
    validate_id_number,
)

GOOD = "11010519491231002X"  # the standard's own example
TODAY = dt.date(2026, 11, 28)


def test_valid_id_number_is_accepted_and_normalized():
    assert validate_id_number(GOOD, today=TODAY) == GOOD


def test_lowercase_x_is_accepted_as_uppercase():
    assert validate_id_number(GOOD.lower(), today=TODAY) == GOOD


def test_full_width_digits_and_spaces_are_converted():
    full_width = "１１０１０５ １９４９１２３１ ００２ｘ"
    assert validate_id_number(full_width, today=TODAY) == GOOD


def test_wrong_check_digit_is_rejected_in_chinese():
    with pytest.raises(IdNumberError, match="校验位错误"):
        validate_id_number("110105194912310021", today=TODAY)


def test_fifteen_digit_number_is_rejected_with_advice_to_convert():
    with pytest.raises(IdNumberError, match="15位"):
        validate_id_number("110105491231002", today=TODAY)


@pytest.mark.parametrize("birth", ["19490230", "19491301", "20230229"])
def test_impossible_birth_dates_are_rejected(birth):
    first17 = f"110105{birth}002"
    with pytest.raises(IdNumberError, match="出生日期无效"):
        validate_id_number(first17 + check_digit(first17), today=TODAY)


def test_future_birth_date_is_rejected():
    first17 = "110105" + "20261129" + "002"
    with pytest.raises(IdNumberError, match="晚于今天"):
        validate_id_number(first17 + check_digit(first17), today=TODAY)


@pytest.mark.parametrize("raw", ["", "1234", "11010519491231002X1", "A1010519491231002X"])
def test_malformed_numbers_are_rejected(raw):
    with pytest.raises(IdNumberError):
        validate_id_number(raw, today=TODAY)


def test_sex_and_birth_date_derive_from_the_number():
    assert birth_date_of(GOOD) == dt.date(1949, 12, 31)
    assert sex_of(GOOD) == "F"  # 17th digit 2: even
    assert sex_of(make_id_number("320106", dt.date(1980, 1, 1), 1)) == "M"


def test_masking_keeps_region_and_last_four_digits():
    assert mask_id_number("320102198001011234") == "320102********1234"


def test_certificate_number_is_id_number_plus_category_and_grade():
    assert certificate_number_for(GOOD, "4", "2") == GOOD + "42"


def test_normalize_does_not_validate():
    assert normalize_id_number(" 32010619800101001x ") == "32010619800101001X"
