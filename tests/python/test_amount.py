"""parse_amount / format_amount: decimal text <-> int64 minor units, exact, no floats."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotaflow as qf
from quotaflow import format_amount, parse_amount

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1

int64s = st.integers(min_value=INT64_MIN, max_value=INT64_MAX)
scales = st.integers(min_value=0, max_value=18)


@pytest.mark.parametrize("text, scale, minor", [
    ("1234.56", 2, 123456),
    ("-0.05", 2, -5),
    ("+1.5", 2, 150),
    ("1.50", 2, 150),
    ("1.500", 2, 150),  # extra zero decimals are fine: no value is lost
    ("1.5000000", 2, 150),
    ("12", 2, 1200),
    ("12.", 2, 1200),
    (".5", 2, 50),
    ("0", 0, 0),
    ("-0", 2, 0),
    ("007", 0, 7),
    ("42", 0, 42),
    ("0.001", 3, 1),
    ("9223372036854775807", 0, INT64_MAX),
    ("-9223372036854775808", 0, INT64_MIN),
    ("92233720368547758.07", 2, INT64_MAX),
    ("-92233720368547758.08", 2, INT64_MIN),
    ("9.223372036854775807", 18, INT64_MAX),
    ("-9.223372036854775808", 18, INT64_MIN),
    ("0.000000000000000001", 18, 1),
])
def test_parse_hand_cases(text, scale, minor):
    assert parse_amount(text, scale) == minor
    assert type(parse_amount(text, scale)) is int


@pytest.mark.parametrize("minor, scale, text", [
    (123456, 2, "1234.56"),
    (-5, 2, "-0.05"),
    (0, 2, "0.00"),
    (0, 0, "0"),
    (5, 0, "5"),
    (-5, 0, "-5"),
    (100, 3, "0.100"),
    (1, 18, "0.000000000000000001"),
    (-1, 18, "-0.000000000000000001"),
    (INT64_MAX, 0, "9223372036854775807"),
    (INT64_MIN, 0, "-9223372036854775808"),
    (INT64_MAX, 18, "9.223372036854775807"),
    (INT64_MIN, 18, "-9.223372036854775808"),
    (INT64_MIN, 2, "-92233720368547758.08"),
])
def test_format_hand_cases(minor, scale, text):
    assert format_amount(minor, scale) == text


@pytest.mark.parametrize("text", ["", "-", "+", ".", "-.", "1.2.3", "1e5", " 1", "1 ", "1,000", "abc", "--1", "0x10",
                                  "１２"])
def test_parse_malformed_is_parse_error(text):
    with pytest.raises(qf.ParseError) as info:
        parse_amount(text, 2)
    assert isinstance(info.value, ValueError)
    assert str(info.value).startswith(f'amount "{text}" ')


def test_parse_too_many_decimals_is_parse_error():
    with pytest.raises(qf.ParseError) as info:
        parse_amount("1.234", 2)
    assert str(info.value) == 'amount "1.234" has more than 2 decimals'
    with pytest.raises(qf.ParseError, match="more than 0 decimals"):
        parse_amount("5.1", 0)


@pytest.mark.parametrize("text, scale", [
    ("9223372036854775808", 0),
    ("-9223372036854775809", 0),
    ("99999999999999999999", 0),
    ("92233720368547758.08", 2),
    ("9.223372036854775808", 18),
    ("10", 18),
    ("-10", 18),
])
def test_parse_beyond_int64_is_overflow(text, scale):
    with pytest.raises(qf.AmountOverflowError) as info:
        parse_amount(text, scale)
    assert isinstance(info.value, OverflowError)
    assert str(info.value) == f'amount "{text}" overflows int64 minor units'


@pytest.mark.parametrize("scale", [-1, 19, 100])
def test_bad_scale_is_invalid_argument(scale):
    with pytest.raises(qf.InvalidArgumentError) as info:
        parse_amount("1", scale)
    assert str(info.value) == f"scale is {scale}; it must be in 0..18"
    with pytest.raises(qf.InvalidArgumentError, match=f"^scale is {scale}; "):
        format_amount(1, scale)


def _reference_format(minor: int, scale: int) -> str:
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**scale)
    return f"{sign}{whole}" + (f".{frac:0{scale}d}" if scale else "")


@given(int64s, scales)
def test_round_trip_format_then_parse(minor, scale):
    text = format_amount(minor, scale)
    assert text == _reference_format(minor, scale)
    assert parse_amount(text, scale) == minor


@given(int64s, scales, st.integers(min_value=1, max_value=5))
def test_trailing_zero_decimals_do_not_change_the_value(minor, scale, zeros):
    text = format_amount(minor, scale)
    if scale == 0:
        text += "."
    assert parse_amount(text + "0" * zeros, scale) == minor


@given(int64s, scales, st.integers(min_value=0, max_value=18))
def test_parse_at_a_larger_scale_multiplies_or_overflows(minor, scale, extra):
    text = format_amount(minor, scale)
    target = scale + extra
    if target > 18:
        return
    expected = minor * 10**extra
    if INT64_MIN <= expected <= INT64_MAX:
        assert parse_amount(text, target) == expected
    else:
        with pytest.raises(qf.AmountOverflowError):
            parse_amount(text, target)


@given(st.decimals(allow_nan=False, allow_infinity=False, places=4, min_value=-10**14, max_value=10**14))
def test_parse_matches_decimal(value: Decimal):
    text = format(value, "f")
    assert parse_amount(text, 4) == int(value.scaleb(4))


@given(st.decimals(allow_nan=False, allow_infinity=False, places=3, min_value=-10**6, max_value=10**6))
def test_parse_rejects_hidden_rounding(value: Decimal):
    text = format(value, "f")
    if value == value.quantize(Decimal("0.01")):
        assert parse_amount(text, 2) == int(value.scaleb(2))
    else:
        with pytest.raises(qf.ParseError):
            parse_amount(text, 2)


def test_non_integer_minor_units_are_rejected():
    with pytest.raises(TypeError):
        format_amount(1.5, 2)  # floats never carry money
    with pytest.raises(TypeError):
        parse_amount(12, 2)


@pytest.mark.parametrize("minor", [2**63, -(2**63) - 1])
def test_format_beyond_int64_is_overflow(minor):
    with pytest.raises(OverflowError):
        format_amount(minor, 2)
