"""The exception hierarchy: quotaflow.Error subclasses that are also the built-in a user expects,
carrying the C++ message unchanged and the C ABI's status code."""

from __future__ import annotations

import ctypes
import pickle

import pytest

import quotaflow as qf
from quotaflow import _errors

import capi_types as C

# class, built-in base, code, code name
HIERARCHY = [
    (qf.InvalidArgumentError, ValueError, -1, "invalid_argument"),
    (qf.OutOfRangeError, ValueError, -2, "out_of_range"),
    (qf.AmountOverflowError, OverflowError, -3, "overflow"),
    (qf.NotFoundError, KeyError, -4, "not_found"),
    (qf.FileError, OSError, -5, "io_error"),
    (qf.ParseError, ValueError, -6, "parse_error"),
    (qf.NoMemoryError, MemoryError, -7, "no_memory"),
    (qf.InternalError, RuntimeError, -10, "internal"),
]


@pytest.mark.parametrize("cls, builtin, code, name", HIERARCHY, ids=[h[0].__name__ for h in HIERARCHY])
def test_class_derives_from_error_and_builtin(cls, builtin, code, name):
    assert issubclass(cls, qf.Error)
    assert issubclass(cls, builtin)
    assert issubclass(qf.Error, Exception)
    assert cls.code == code
    assert cls.code_name == name
    assert _errors.error_class(code) is cls


def test_error_class_for_c_abi_only_and_unknown_codes():
    assert _errors.error_class(C.QF_ERR_BUFFER_TOO_SMALL) is qf.InvalidArgumentError
    assert _errors.error_class(C.QF_ERR_NULL_POINTER) is qf.InvalidArgumentError
    assert _errors.error_class(-99) is qf.InternalError
    assert _errors.error_class(0) is qf.InternalError


def test_every_class_is_exported():
    for cls, *_ in HIERARCHY:
        assert getattr(qf, cls.__name__) is cls
        assert cls.__name__ in qf.__all__
    assert "Error" in qf.__all__


def test_codes_match_c_abi_status_names(capi):
    for cls, _, code, name in HIERARCHY:
        assert capi.qf_status_name(code).decode() == name


# Failures the library raises, the class, and the exact C++ message.
RAISED = [
    (lambda: qf.parse_amount("1", 19), qf.InvalidArgumentError, "scale is 19; it must be in 0..18"),
    (lambda: qf.Calendar.preset("CN").is_working_day("2030-01-01"), qf.OutOfRangeError,
     "date 2030-01-01 is outside the calendar's valid range 2007-01-01..2026-12-31"),
    (lambda: qf.parse_amount("9223372036854775808", 0), qf.AmountOverflowError,
     'amount "9223372036854775808" overflows int64 minor units'),
    (lambda: qf.Calendar.preset("XX"), qf.NotFoundError,
     'calendar preset "XX" is unknown; available presets: CN, plain'),
    (lambda: qf.parse_amount("1.234", 2), qf.ParseError, 'amount "1.234" has more than 2 decimals'),
    (lambda: qf.Calendar.preset("CN").working_days("2025-02-01", "2025-01-01"), qf.InvalidArgumentError,
     "end (2025-01-01) is before start (2025-02-01)"),
]


@pytest.mark.parametrize("call, cls, message", RAISED, ids=[r[1].__name__ + str(i) for i, r in enumerate(RAISED)])
def test_raised_error_class_and_unchanged_message(call, cls, message):
    with pytest.raises(cls) as info:
        call()
    e = info.value
    assert type(e) is cls
    assert isinstance(e, qf.Error)
    assert str(e) == message
    assert e.args == (message,)
    assert e.code == cls.code


def test_not_found_is_a_key_error_without_quoted_message():
    # KeyError's own __str__ would print repr(message) with quotes; quotaflow keeps it unchanged.
    with pytest.raises(KeyError) as info:
        qf.Calendar.preset("Atlantis")
    assert isinstance(info.value, qf.NotFoundError)
    assert str(info.value) == 'calendar preset "Atlantis" is unknown; available presets: CN, plain'
    assert not str(info.value).startswith("'")


def test_builtin_except_clauses_still_work():
    try:
        qf.parse_amount("abc", 2)
    except ValueError as e:  # ParseError
        assert isinstance(e, qf.ParseError)
    else:
        pytest.fail("no error raised")
    try:
        qf.parse_amount("-9223372036854775809", 0)
    except OverflowError as e:
        assert isinstance(e, qf.AmountOverflowError)
    else:
        pytest.fail("no error raised")
    try:
        qf.Calendar.preset("")
    except LookupError as e:  # KeyError's base
        assert isinstance(e, qf.NotFoundError)
    else:
        pytest.fail("no error raised")


def test_missing_csv_is_file_error_and_oserror(tmp_path):
    missing = tmp_path / "no_such_calendar.csv"
    with pytest.raises(OSError) as info:
        qf.Calendar.from_csv(missing)
    e = info.value
    assert isinstance(e, qf.FileError)
    assert e.code == -5
    assert str(e) == f'cannot open calendar CSV "{missing}"'


def test_error_without_message_and_direct_construction():
    assert str(qf.Error()) == ""
    assert str(qf.NotFoundError("x is unknown")) == "x is unknown"
    assert qf.Error.code == -10


@pytest.mark.parametrize("cls", [h[0] for h in HIERARCHY])
def test_errors_pickle(cls):
    # Errors cross process boundaries (multiprocessing, concurrent.futures) intact.
    e = cls("amount \"x\" is not a decimal number")
    back = pickle.loads(pickle.dumps(e))
    assert type(back) is cls
    assert str(back) == str(e)


def test_message_is_identical_to_the_c_abi_message(capi):
    """The same failure gives the same text from Python and from qf_last_error_message()."""
    cal = C.CalendarPtr()
    assert capi.qf_calendar_preset(ctypes.byref(cal), b"Narnia") == C.QF_ERR_NOT_FOUND
    c_message = capi.qf_last_error_message().decode()
    with pytest.raises(qf.NotFoundError) as info:
        qf.Calendar.preset("Narnia")
    assert str(info.value) == c_message

    out = ctypes.c_int64()
    assert capi.qf_amount_parse(b"12.345", 2, ctypes.byref(out)) == C.QF_ERR_PARSE
    c_message = capi.qf_last_error_message().decode()
    with pytest.raises(qf.ParseError) as info:
        qf.parse_amount("12.345", 2)
    assert str(info.value) == c_message

    assert capi.qf_calendar_preset(ctypes.byref(cal), b"CN") == 0
    try:
        n = ctypes.c_int32()
        # 2025-03-01 .. 2025-02-01
        assert capi.qf_calendar_working_days(cal, 20148, 20120, ctypes.byref(n)) == C.QF_ERR_INVALID_ARGUMENT
        c_message = capi.qf_last_error_message().decode()
    finally:
        capi.qf_calendar_destroy(cal)
    with pytest.raises(qf.InvalidArgumentError) as info:
        qf.Calendar.preset("CN").working_days("2025-03-01", "2025-02-01")
    assert str(info.value) == c_message
