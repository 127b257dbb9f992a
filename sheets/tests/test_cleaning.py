"""Each cell-cleaning rule of excel-import.md, on the plain functions the importer calls per cell."""

import datetime as dt
from decimal import Decimal

import pytest

from core.idnumbers import make_id_number
from registry.models import Category, Grade
from registry.widgets import category_aliases, grade_aliases
from sheets import cleaning
from sheets.cleaning import CellError
from sheets.widgets import ChoiceWidget, CodeTextWidget, MoneyWidget, StreetWidget, parse_id_number

VALID_ID = make_id_number("320106", dt.date(1980, 1, 1), 123)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  张三  ", "张三"),
        ("张 三", "张三"),
        ("张\u3000三", "张三"),
        ("中山路  1号", "中山路1号"),
        ("Sunny  Home\tCare", "Sunny Home Care"),
        ("１２３ＡＢｃ", "123ABc"),
        (13912345678.0, "13912345678"),
        ("'=SUM(A1)", "=SUM(A1)"),
        ("'-5", "-5"),
        ("'\t=1", "=1"),
        ("'\n=1", "=1"),
        ("it's", "it's"),
    ],
)
def test_text_is_stripped_of_stray_spaces_and_full_width_characters(raw, expected):
    assert cleaning.normalize_text(raw) == expected


def test_text_longer_than_the_column_allows_is_an_error():
    with pytest.raises(CellError, match=r"^不能超过50个字（现有51个）$"):
        cleaning.clean_text("长" * 51, max_length=50)


def test_a_code_longer_than_the_column_allows_says_it_as_the_forms_do():
    # the forms' max_length message (gulou_portal/locale): one wording for the rule on every door
    with pytest.raises(CellError, match=r"^不能超过5个字（现有6个）$"):
        CodeTextWidget(max_length=5).parse("123456")


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000", "\u00a0 "])
def test_blank_cells_are_empty(raw):
    assert cleaning.is_empty(raw)


@pytest.mark.parametrize("raw", [0, 0.0, False, "0", "否"])
def test_zero_and_no_are_not_empty(raw):
    assert not cleaning.is_empty(raw)


class TestIdNumbers:
    def test_valid_id_number_with_spaces_and_full_width_digits_is_accepted(self):
        full_width = VALID_ID[:6].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        assert parse_id_number(f" {full_width} {VALID_ID[6:]} ") == VALID_ID

    def test_full_width_x_check_digit_is_converted(self):
        # find an ID number whose check digit is X
        id_number = next(
            n
            for n in (make_id_number("320106", dt.date(1980, 1, 1), s) for s in range(1000))
            if n.endswith("X")
        )
        assert parse_id_number(id_number[:-1] + "Ｘ") == id_number
        assert parse_id_number(id_number[:-1] + "x") == id_number

    def test_id_number_typed_as_a_number_is_an_error_saying_precision_is_lost(self):
        with pytest.raises(CellError, match="精度丢失"):
            parse_id_number(3.20102198001011234e17)

    def test_id_number_in_scientific_notation_text_is_an_error_saying_precision_is_lost(self):
        with pytest.raises(CellError, match="精度已丢失"):
            parse_id_number("3.20102198001011234E+17")

    def test_fifteen_digit_id_number_asks_for_conversion(self):
        with pytest.raises(CellError, match="15位"):
            parse_id_number(320106800101123.0)

    def test_wrong_check_digit_is_reported(self):
        wrong = VALID_ID[:17] + ("0" if VALID_ID[17] != "0" else "1")
        with pytest.raises(CellError, match="校验位错误"):
            parse_id_number(wrong)

    def test_birth_date_in_the_future_is_reported(self):
        with pytest.raises(CellError, match="晚于今天"):
            parse_id_number(make_id_number("320106", dt.date(2099, 1, 1), 1))


@pytest.mark.parametrize(
    "raw",
    [
        dt.date(2023, 5, 6),
        dt.datetime(2023, 5, 6, 0, 0),
        "2023-05-06",
        "2023/5/6",
        "2023.5.6",
        "2023年5月6日",
        " 2023 年 5 月 6 日 ",
        "２０２３－０５－０６",
        "20230506",
        20230506.0,
        "2023-05-06 00:00:00",
        45052.0,  # an Excel serial day number whose cell lost its date format
    ],
)
def test_dates_in_every_accepted_form(raw):
    assert cleaning.clean_date(raw) == dt.date(2023, 5, 6)


@pytest.mark.parametrize(
    ("raw", "message"), [("2023-02-30", "日期不存在"), ("明年", "日期格式错误"), (True, "日期格式错误")]
)
def test_bad_dates_are_reported(raw, message):
    with pytest.raises(CellError, match=message):
        cleaning.clean_date(raw)


@pytest.mark.parametrize(
    "raw",
    [
        "2023-05",
        "2023/5",
        "2023.5",
        "2023年5月",
        "2023年05月",
        "202305",
        202305.0,
        dt.date(2023, 5, 17),
        "2023-05-17",
    ],
)
def test_months_in_every_accepted_form_are_the_first_of_the_month(raw):
    assert cleaning.clean_month(raw) == dt.date(2023, 5, 1)


def test_month_thirteen_is_reported():
    with pytest.raises(CellError, match="月份不存在"):
        cleaning.clean_month("2023-13")


@pytest.mark.parametrize("raw", ["是", "Y", "y", "yes", "1", 1.0, True, "√", "✓"])
def test_yes_values(raw):
    assert cleaning.clean_yes_no(raw) is True


@pytest.mark.parametrize("raw", ["否", "N", "n", "no", "0", 0.0, False, "×"])
def test_no_values(raw):
    assert cleaning.clean_yes_no(raw) is False


def test_other_yes_no_values_are_reported():
    with pytest.raises(CellError, match="是"):
        cleaning.clean_yes_no("也许")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (12.5, Decimal("12.50")),
        ("1,234.5", Decimal("1234.50")),
        ("300元", Decimal("300.00")),
        (0, Decimal("0.00")),
    ],
)
def test_money_as_number_or_text(raw, expected):
    assert MoneyWidget().parse(raw) == expected


@pytest.mark.parametrize(
    ("widget", "raw", "message"),
    [
        (MoneyWidget(), "-1", "不能为负数"),
        (MoneyWidget(negative="金额不能为负数"), "-0.01", "金额不能为负数"),
        (MoneyWidget(negative="金额不能为负数"), "12.345", "2位小数"),
        (MoneyWidget(), "abc", "应为数字"),
    ],
)
def test_bad_money_is_reported(widget, raw, message):
    with pytest.raises(CellError, match=message):
        widget.parse(raw)


@pytest.mark.parametrize(("raw", "expected"), [(3.0, 3), ("3", 3), ("３", 3), ("3.0", 3), ("4人", 4)])
def test_integers_as_number_or_text(raw, expected):
    assert cleaning.clean_integer(raw, minimum=1, maximum=20) == expected


@pytest.mark.parametrize(("raw", "message"), [(2.5, "整数"), (21, "1到20之间"), ("x", "整数")])
def test_bad_integers_are_reported(raw, message):
    with pytest.raises(CellError, match=message):
        cleaning.clean_integer(raw, minimum=1, maximum=20)


@pytest.mark.parametrize("raw", [2023, 2023.0, "2023", "2023年", "2023年度"])
def test_years(raw):
    assert cleaning.clean_year(raw, minimum=2015, maximum=2026) == 2023


def test_year_out_of_range_is_reported():
    with pytest.raises(CellError, match="2015到2026之间"):
        cleaning.clean_year(2014, minimum=2015, maximum=2026)


@pytest.mark.parametrize(
    ("raw", "code"),
    [("视力", "1"), ("1", "1"), (1.0, "1"), ("视力残疾", "1"), ("多重", "7"), (" 精 神 ", "6")],
)
def test_category_by_name_or_digit(raw, code):
    assert ChoiceWidget(Category, aliases=category_aliases()).parse(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"), [("一级", "1"), ("1", "1"), ("1级", "1"), (1.0, "1"), ("四级", "4"), ("4级", "4")]
)
def test_grade_as_one_of_its_three_spellings(raw, code):
    assert ChoiceWidget(Grade, aliases=grade_aliases()).parse(raw) == code


def test_unknown_code_lists_the_allowed_values():
    with pytest.raises(CellError, match="视力、听力、言语、肢体、智力、精神、多重"):
        ChoiceWidget(Category, aliases=category_aliases()).parse("8")


@pytest.mark.parametrize("raw", ["宁海路街道", "宁海路", " 宁海路 "])
def test_street_with_or_without_jiedao(raw):
    assert StreetWidget().parse(raw) == "宁海路街道"
