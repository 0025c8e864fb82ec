"""The C ABI (libquotaflow_c) driven from Python through ctypes, the way an integrator in another
language calls it: status codes, caller buffers with size queries, handles, thread-local messages."""

from __future__ import annotations

import ctypes
import datetime as dt
import threading

import numpy as np
import pytest

import quotaflow as qf

import capi_types as C
from capi_types import CalendarOptions, CalendarPtr

EPOCH = dt.date(1970, 1, 1)


def d(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - EPOCH).days


def ptr(arr: np.ndarray, ctype):
    assert arr.flags.c_contiguous
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


def last_error(capi) -> str:
    return capi.qf_last_error_message().decode()


@pytest.fixture()
def cn_handle(capi):
    cal = CalendarPtr()
    assert capi.qf_calendar_preset(ctypes.byref(cal), b"CN") == C.QF_OK
    assert bool(cal)
    yield cal
    capi.qf_calendar_destroy(cal)


# --- version, status names, messages ---------------------------------------------------------

def test_version(capi):
    version = capi.qf_version().decode()
    assert version == qf.__version__
    major, minor, patch = (int(x) for x in version.split("."))
    assert capi.qf_version_number() == major * 10000 + minor * 100 + patch


def test_status_names(capi):
    names = {0: "ok", -1: "invalid_argument", -2: "out_of_range", -3: "overflow", -4: "not_found", -5: "io_error",
             -6: "parse_error", -7: "no_memory", -8: "buffer_too_small", -9: "null_pointer", -10: "internal"}
    for status, name in names.items():
        assert capi.qf_status_name(status).decode() == name
    for status in (1, -11, 2**31 - 1, -(2**31)):
        assert capi.qf_status_name(status).decode() == "unknown"


def test_last_error_message_is_thread_local_and_never_null(capi):
    out = ctypes.c_int64()
    assert capi.qf_amount_parse(b"x", 2, ctypes.byref(out)) == C.QF_ERR_PARSE
    seen = {}

    def other_thread():
        seen["message"] = capi.qf_last_error_message()

    t = threading.Thread(target=other_thread)
    t.start()
    t.join()
    assert seen["message"] == b""  # a thread that never failed has "" (not NULL, which ctypes makes None)
    assert last_error(capi) == 'amount "x" is not a decimal number'


# --- calendar: values ------------------------------------------------------------------------

def test_preset_info_and_scalar_queries(capi, cn_handle):
    lo, hi, fy = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
    assert capi.qf_calendar_info(cn_handle, ctypes.byref(lo), ctypes.byref(hi), ctypes.byref(fy)) == C.QF_OK
    assert (lo.value, hi.value, fy.value) == (d("2007-01-01"), d("2027-01-01"), 1)
    assert capi.qf_calendar_info(cn_handle, None, None, None) == C.QF_OK  # every output is optional

    n = ctypes.c_int32()
    assert capi.qf_calendar_working_days(cn_handle, d("2025-01-01"), d("2026-01-01"), ctypes.byref(n)) == C.QF_OK
    assert n.value == 248
    for year, expected in ((2024, 251), (2026, 248)):
        assert capi.qf_calendar_working_days(cn_handle, d(f"{year}-01-01"), d(f"{year + 1}-01-01"),
                                             ctypes.byref(n)) == C.QF_OK
        assert n.value == expected

    flag = ctypes.c_int32(-1)
    assert capi.qf_calendar_is_working_day(cn_handle, d("2025-10-11"), ctypes.byref(flag)) == C.QF_OK
    assert flag.value == 1  # make-up Saturday
    assert capi.qf_calendar_is_working_day(cn_handle, d("2025-10-01"), ctypes.byref(flag)) == C.QF_OK
    assert flag.value == 0

    out = ctypes.c_int32()
    assert capi.qf_calendar_add_working_days(cn_handle, d("2025-09-30"), 1, ctypes.byref(out)) == C.QF_OK
    assert out.value == d("2025-10-09")
    assert capi.qf_calendar_add_working_days(cn_handle, d("2025-10-09"), -1, ctypes.byref(out)) == C.QF_OK
    assert out.value == d("2025-09-30")

    frac = ctypes.c_double()
    assert capi.qf_calendar_elapsed_fraction(cn_handle, d("2025-10-01"), d("2025-11-01"), d("2025-10-09"),
                                             ctypes.byref(frac)) == C.QF_OK
    assert frac.value == pytest.approx(1 / 18)


def test_bulk_with_numpy_arrays(capi, cn_handle, cn):
    rng = np.random.default_rng(7)
    lo, hi = d("2007-01-01"), d("2027-01-01")
    starts = rng.integers(lo, hi - 400, size=5000).astype(np.int32)
    ends = (starts + rng.integers(0, 400, size=starts.size)).astype(np.int32)
    out = np.empty(starts.size, dtype=np.int32)
    status = capi.qf_calendar_working_days_bulk(cn_handle, ptr(starts, ctypes.c_int32), ptr(ends, ctypes.c_int32),
                                                starts.size, ptr(out, ctypes.c_int32))
    assert status == C.QF_OK
    assert (out == cn.working_days(starts.astype("datetime64[D]"), ends.astype("datetime64[D]"))).all()
    # Spot-check against the scalar call.
    n = ctypes.c_int32()
    for i in range(0, starts.size, 997):
        assert capi.qf_calendar_working_days(cn_handle, int(starts[i]), int(ends[i]), ctypes.byref(n)) == C.QF_OK
        assert n.value == out[i]

    flags = np.full(starts.size, 7, dtype=np.uint8)
    assert capi.qf_calendar_is_working_day_bulk(cn_handle, ptr(starts, ctypes.c_int32), starts.size,
                                                ptr(flags, ctypes.c_uint8)) == C.QF_OK
    assert set(np.unique(flags).tolist()) <= {0, 1}
    assert (flags.astype(bool) == cn.is_working_day(starts.astype("datetime64[D]"))).all()

    counts = rng.integers(-100, 100, size=starts.size).astype(np.int32)
    mid = np.clip(starts, lo + 300, hi - 300).astype(np.int32)
    moved = np.empty_like(mid)
    assert capi.qf_calendar_add_working_days_bulk(cn_handle, ptr(mid, ctypes.c_int32), ptr(counts, ctypes.c_int32),
                                                  mid.size, ptr(moved, ctypes.c_int32)) == C.QF_OK
    assert (moved.astype("datetime64[D]") == cn.add_working_days(mid.astype("datetime64[D]"), counts)).all()

    nonempty = np.maximum(ends, starts + 1).astype(np.int32)
    as_of = (starts + rng.integers(-10, 410, size=starts.size)).astype(np.int32)
    fr = np.empty(starts.size, dtype=np.float64)
    assert capi.qf_calendar_elapsed_fraction_bulk(cn_handle, ptr(starts, ctypes.c_int32),
                                                  ptr(nonempty, ctypes.c_int32), ptr(as_of, ctypes.c_int32),
                                                  starts.size, ptr(fr, ctypes.c_double)) == C.QF_OK
    expected = cn.elapsed_fraction(starts.astype("datetime64[D]"), nonempty.astype("datetime64[D]"),
                                   as_of.astype("datetime64[D]"))
    assert (fr == expected).all()


def test_bulk_with_zero_length_and_null_columns(capi, cn_handle):
    assert capi.qf_calendar_working_days_bulk(cn_handle, None, None, 0, None) == C.QF_OK
    assert capi.qf_calendar_is_working_day_bulk(cn_handle, None, 0, None) == C.QF_OK


def test_periods_size_query_then_fill(capi, cn_handle):
    count = ctypes.c_size_t(99)
    status = capi.qf_calendar_periods(cn_handle, d("2025-01-01"), d("2026-01-01"), C.QF_GRAIN_MONTH, None, None, None,
                                      0, ctypes.byref(count))
    assert status == C.QF_OK
    assert count.value == 12
    starts = np.empty(count.value, dtype=np.int32)
    ends = np.empty(count.value, dtype=np.int32)
    days = np.empty(count.value, dtype=np.int32)
    status = capi.qf_calendar_periods(cn_handle, d("2025-01-01"), d("2026-01-01"), C.QF_GRAIN_MONTH,
                                      ptr(starts, ctypes.c_int32), ptr(ends, ctypes.c_int32),
                                      ptr(days, ctypes.c_int32), count.value, ctypes.byref(count))
    assert status == C.QF_OK
    assert count.value == 12
    assert days.tolist() == [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23]
    assert starts.tolist() == [d(f"2025-{m:02d}-01") for m in range(1, 13)]
    assert ends.tolist() == starts[1:].tolist() + [d("2026-01-01")]

    # Too small a buffer: QF_ERR_BUFFER_TOO_SMALL, and the count still tells the size.
    small = np.empty(4, dtype=np.int32)
    count.value = 0
    status = capi.qf_calendar_periods(cn_handle, d("2025-01-01"), d("2026-01-01"), C.QF_GRAIN_MONTH,
                                      ptr(small, ctypes.c_int32), ptr(small, ctypes.c_int32),
                                      ptr(small, ctypes.c_int32), small.size, ctypes.byref(count))
    assert status == C.QF_ERR_BUFFER_TOO_SMALL
    assert count.value == 12
    assert last_error(capi) == "capacity is 4 but the range has 12 periods"

    # A missing column with a capacity is a NULL pointer error naming it.
    status = capi.qf_calendar_periods(cn_handle, d("2025-01-01"), d("2026-01-01"), C.QF_GRAIN_QUARTER, None,
                                      ptr(ends, ctypes.c_int32), ptr(days, ctypes.c_int32), 12, ctypes.byref(count))
    assert status == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "period_starts is NULL"

    status = capi.qf_calendar_periods(cn_handle, d("2025-01-01"), d("2026-01-01"), C.QF_GRAIN_QUARTER,
                                      ptr(starts, ctypes.c_int32), ptr(ends, ctypes.c_int32),
                                      ptr(days, ctypes.c_int32), starts.size, ctypes.byref(count))
    assert status == C.QF_OK and count.value == 4
    assert days[:4].tolist() == [59, 61, 67, 61]


def test_period_label(capi, cn_handle):
    needed = ctypes.c_size_t()
    assert capi.qf_calendar_period_label(cn_handle, d("2025-07-15"), C.QF_GRAIN_QUARTER, None, 0,
                                         ctypes.byref(needed)) == C.QF_OK
    assert needed.value == len("2025-Q3")
    buf = ctypes.create_string_buffer(needed.value + 1)
    assert capi.qf_calendar_period_label(cn_handle, d("2025-07-15"), C.QF_GRAIN_QUARTER, buf, len(buf),
                                         None) == C.QF_OK
    assert buf.value == b"2025-Q3"
    for grain, label in [(C.QF_GRAIN_YEAR, b"2025"), (C.QF_GRAIN_HALF, b"2025-H2"), (C.QF_GRAIN_MONTH, b"2025-07"),
                         (C.QF_GRAIN_WEEK, b"2025-W29"), (C.QF_GRAIN_DAY, b"2025-07-15")]:
        big = ctypes.create_string_buffer(48)
        assert capi.qf_calendar_period_label(cn_handle, d("2025-07-15"), grain, big, len(big), None) == C.QF_OK
        assert big.value == label
    tiny = ctypes.create_string_buffer(7)  # no room for the NUL
    assert capi.qf_calendar_period_label(cn_handle, d("2025-07-15"), C.QF_GRAIN_QUARTER, tiny, len(tiny),
                                         ctypes.byref(needed)) == C.QF_ERR_BUFFER_TOO_SMALL
    assert needed.value == 7
    assert last_error(capi) == "buf has capacity 7 but 8 bytes are needed"


def test_create_with_options_and_lists(capi):
    opts = CalendarOptions.init()
    opts.weekend_mask = C.QF_WEEKEND_FRI_SAT
    opts.fiscal_year_start_month = 4
    holidays = np.array([d("2025-01-06")], dtype=np.int32)
    workdays = np.array([d("2025-01-10")], dtype=np.int32)  # a Friday, worked
    cal = CalendarPtr()
    assert capi.qf_calendar_create(ctypes.byref(cal), ctypes.byref(opts), ptr(holidays, ctypes.c_int32),
                                   holidays.size, ptr(workdays, ctypes.c_int32), workdays.size) == C.QF_OK
    try:
        flag = ctypes.c_int32()
        expected = {"2025-01-06": 0, "2025-01-10": 1, "2025-01-11": 0, "2025-01-12": 1, "2025-01-17": 0}
        for iso, worked in expected.items():
            assert capi.qf_calendar_is_working_day(cal, d(iso), ctypes.byref(flag)) == C.QF_OK
            assert flag.value == worked, iso
        buf = ctypes.create_string_buffer(32)
        assert capi.qf_calendar_period_label(cal, d("2025-04-01"), C.QF_GRAIN_QUARTER, buf, len(buf), None) == 0
        assert buf.value == b"FY2026-Q1"
    finally:
        capi.qf_calendar_destroy(cal)

    default = CalendarPtr()
    assert capi.qf_calendar_create(ctypes.byref(default), None, None, 0, None, 0) == C.QF_OK
    n = ctypes.c_int32()
    assert capi.qf_calendar_working_days(default, d("2025-01-01"), d("2026-01-01"), ctypes.byref(n)) == C.QF_OK
    assert n.value == 261
    capi.qf_calendar_destroy(default)


def test_from_csv(capi, tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("date,kind\n2025-01-06,holiday\n")
    cal = CalendarPtr()
    assert capi.qf_calendar_from_csv(ctypes.byref(cal), str(path).encode(), None) == C.QF_OK
    flag = ctypes.c_int32(1)
    assert capi.qf_calendar_is_working_day(cal, d("2025-01-06"), ctypes.byref(flag)) == C.QF_OK
    assert flag.value == 0
    capi.qf_calendar_destroy(cal)

    missing = str(tmp_path / "missing.csv").encode()
    cal = CalendarPtr()
    assert capi.qf_calendar_from_csv(ctypes.byref(cal), missing, None) == C.QF_ERR_IO
    assert not cal
    assert last_error(capi) == f'cannot open calendar CSV "{missing.decode()}"'

    path.write_text("date,kind\n2025-01-06,holiday\noops\n")
    assert capi.qf_calendar_from_csv(ctypes.byref(cal), str(path).encode(), None) == C.QF_ERR_PARSE
    assert "line 3" in last_error(capi)


def test_destroy_null_is_fine(capi):
    capi.qf_calendar_destroy(None)
    capi.qf_calendar_destroy(CalendarPtr())
    capi.qf_free(None)


# --- calendar: errors ------------------------------------------------------------------------

def test_end_before_start(capi, cn_handle):
    n = ctypes.c_int32(-1)
    status = capi.qf_calendar_working_days(cn_handle, d("2025-02-01"), d("2025-01-01"), ctypes.byref(n))
    assert status == C.QF_ERR_INVALID_ARGUMENT
    assert status < 0
    message = last_error(capi)
    assert message == "end (2025-01-01) is before start (2025-02-01)"
    assert "end" in message


def test_null_out_pointer(capi, cn_handle):
    status = capi.qf_calendar_working_days(cn_handle, d("2025-01-01"), d("2026-01-01"), None)
    assert status == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "out is NULL"
    assert capi.qf_calendar_preset(None, b"CN") == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "out is NULL"
    cal = CalendarPtr()
    assert capi.qf_calendar_preset(ctypes.byref(cal), None) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "name is NULL"
    n = ctypes.c_int32()
    assert capi.qf_calendar_working_days(None, 0, 1, ctypes.byref(n)) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "calendar is NULL"


def test_unknown_preset(capi):
    cal = CalendarPtr()
    status = capi.qf_calendar_preset(ctypes.byref(cal), b"Atlantis")
    assert status == -4 == C.QF_ERR_NOT_FOUND
    assert not cal  # *out is NULL on failure
    assert "Atlantis" in last_error(capi)
    assert last_error(capi) == 'calendar preset "Atlantis" is unknown; available presets: CN, plain'


@pytest.mark.parametrize("grain", [9, -1, 6])
def test_unknown_grain(capi, cn_handle, grain):
    count = ctypes.c_size_t()
    status = capi.qf_calendar_periods(cn_handle, d("2025-01-01"), d("2026-01-01"), grain, None, None, None, 0,
                                      ctypes.byref(count))
    assert status == -1 == C.QF_ERR_INVALID_ARGUMENT
    assert last_error(capi) == f"grain is {grain}; expected 0 (year) .. 5 (day)"
    buf = ctypes.create_string_buffer(16)
    assert capi.qf_calendar_period_label(cn_handle, d("2025-01-01"), grain, buf, len(buf), None) == -1
    assert last_error(capi).startswith(f"grain is {grain}")


def test_out_of_range_dates(capi, cn_handle):
    flag = ctypes.c_int32()
    assert capi.qf_calendar_is_working_day(cn_handle, d("2030-01-01"), ctypes.byref(flag)) == C.QF_ERR_OUT_OF_RANGE
    assert last_error(capi) == "date 2030-01-01 is outside the calendar's valid range 2007-01-01..2026-12-31"
    dates = np.array([d("2025-01-01"), d("2006-01-01")], dtype=np.int32)
    out = np.empty(2, dtype=np.uint8)
    assert capi.qf_calendar_is_working_day_bulk(cn_handle, ptr(dates, ctypes.c_int32), 2,
                                                ptr(out, ctypes.c_uint8)) == C.QF_ERR_OUT_OF_RANGE
    assert last_error(capi).startswith("dates[1] 2006-01-01 is outside")
    n = ctypes.c_int32()
    assert capi.qf_calendar_working_days(cn_handle, 10**8, 10**8 + 1, ctypes.byref(n)) == C.QF_ERR_OUT_OF_RANGE
    assert last_error(capi) == ("start is 100000000 days since 1970-01-01, outside the supported range "
                                "1900-01-01..2199-12-31")


def test_bulk_null_columns_and_bad_ranges(capi, cn_handle):
    starts = np.array([d("2025-01-01"), d("2025-03-01"), d("2025-06-01")], dtype=np.int32)
    ends = np.array([d("2025-02-01"), d("2025-02-01"), d("2025-07-01")], dtype=np.int32)
    out = np.empty(3, dtype=np.int32)
    assert capi.qf_calendar_working_days_bulk(cn_handle, None, ptr(ends, ctypes.c_int32), 3,
                                              ptr(out, ctypes.c_int32)) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "starts is NULL but its length is 3"
    assert capi.qf_calendar_working_days_bulk(cn_handle, ptr(starts, ctypes.c_int32), ptr(ends, ctypes.c_int32), 3,
                                              None) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "out is NULL but its length is 3"
    assert capi.qf_calendar_working_days_bulk(cn_handle, ptr(starts, ctypes.c_int32), ptr(ends, ctypes.c_int32), 3,
                                              ptr(out, ctypes.c_int32)) == C.QF_ERR_INVALID_ARGUMENT
    assert last_error(capi) == "ends[1] (2025-02-01) is before starts[1] (2025-03-01)"


def test_bad_options(capi):
    cal = CalendarPtr()
    opts = CalendarOptions.init()
    opts.version = 2
    assert capi.qf_calendar_create(ctypes.byref(cal), ctypes.byref(opts), None, 0, None, 0) == C.QF_ERR_INVALID_ARGUMENT
    assert last_error(capi).startswith("options->version is 2; this library knows version 1")
    assert not cal
    opts = CalendarOptions.init()
    opts.weekend_mask = 0x80
    assert capi.qf_calendar_create(ctypes.byref(cal), ctypes.byref(opts), None, 0, None, 0) == C.QF_ERR_INVALID_ARGUMENT
    assert last_error(capi).startswith("options->weekend_mask is 128")
    opts = CalendarOptions.init()
    opts.fiscal_year_start_month = 13
    assert capi.qf_calendar_create(ctypes.byref(cal), ctypes.byref(opts), None, 0, None, 0) == C.QF_ERR_INVALID_ARGUMENT
    assert "fiscal_year_start_month is 13" in last_error(capi)
    assert capi.qf_calendar_create(ctypes.byref(cal), None, None, 2, None, 0) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "holidays is NULL but its length is 2"


def test_error_does_not_touch_the_output_on_elapsed_of_empty_range(capi, cn_handle):
    frac = ctypes.c_double(-5.0)
    assert capi.qf_calendar_elapsed_fraction(cn_handle, d("2025-01-01"), d("2025-01-01"), d("2025-01-01"),
                                             ctypes.byref(frac)) == C.QF_ERR_INVALID_ARGUMENT
    assert last_error(capi) == "range 2025-01-01..2025-01-01 is empty"
    assert frac.value == -5.0


# --- amounts and dates -----------------------------------------------------------------------

def test_amount_parse(capi):
    out = ctypes.c_int64()
    assert capi.qf_amount_parse(b"1234.56", 2, ctypes.byref(out)) == C.QF_OK
    assert out.value == 123456
    assert capi.qf_amount_parse(b"-9223372036854775808", 0, ctypes.byref(out)) == C.QF_OK
    assert out.value == -(2**63)
    assert capi.qf_amount_parse(b"1.234", 2, ctypes.byref(out)) == C.QF_ERR_PARSE
    assert last_error(capi) == 'amount "1.234" has more than 2 decimals'
    assert capi.qf_amount_parse(b"9223372036854775808", 0, ctypes.byref(out)) == C.QF_ERR_OVERFLOW
    assert capi.qf_amount_parse(b"1", 19, ctypes.byref(out)) == C.QF_ERR_INVALID_ARGUMENT
    assert last_error(capi) == "scale is 19; it must be in 0..18"
    assert capi.qf_amount_parse(None, 2, ctypes.byref(out)) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "text is NULL"
    assert capi.qf_amount_parse(b"1", 2, None) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "out is NULL"


def test_amount_format(capi):
    needed = ctypes.c_size_t()
    assert capi.qf_amount_format(123456, 2, None, 0, ctypes.byref(needed)) == C.QF_OK
    assert needed.value == len("1234.56")
    buf = ctypes.create_string_buffer(needed.value + 1)
    assert capi.qf_amount_format(123456, 2, buf, len(buf), ctypes.byref(needed)) == C.QF_OK
    assert buf.value == b"1234.56"
    small = ctypes.create_string_buffer(4)
    assert capi.qf_amount_format(123456, 2, small, len(small), None) == C.QF_ERR_BUFFER_TOO_SMALL
    assert last_error(capi) == "buf has capacity 4 but 8 bytes are needed"
    big = ctypes.create_string_buffer(32)
    assert capi.qf_amount_format(-(2**63), 18, big, len(big), None) == C.QF_OK
    assert big.value == b"-9.223372036854775808"
    assert capi.qf_amount_format(-5, 2, big, len(big), None) == C.QF_OK
    assert big.value == b"-0.05"
    assert capi.qf_amount_format(1, 19, big, len(big), None) == C.QF_ERR_INVALID_ARGUMENT
    assert capi.qf_amount_format(1, 2, None, 8, None) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "buf is NULL"


def test_amount_format_matches_python(capi):
    rng = np.random.default_rng(3)
    values = rng.integers(-(2**63), 2**63 - 1, size=300, dtype=np.int64, endpoint=True).tolist() + [0, -1, 1]
    buf = ctypes.create_string_buffer(32)
    out = ctypes.c_int64()
    for i, v in enumerate(values):
        scale = i % 19
        assert capi.qf_amount_format(v, scale, buf, len(buf), None) == C.QF_OK
        assert buf.value.decode() == qf.format_amount(v, scale)
        assert capi.qf_amount_parse(buf.value, scale, ctypes.byref(out)) == C.QF_OK
        assert out.value == v


def test_amount_arithmetic(capi):
    out = ctypes.c_int64()
    assert capi.qf_amount_add(2, 3, ctypes.byref(out)) == C.QF_OK and out.value == 5
    assert capi.qf_amount_sub(2, 3, ctypes.byref(out)) == C.QF_OK and out.value == -1
    assert capi.qf_amount_mul(-4, 3, ctypes.byref(out)) == C.QF_OK and out.value == -12
    assert capi.qf_amount_add(2**63 - 1, 1, ctypes.byref(out)) == C.QF_ERR_OVERFLOW
    assert "overflows int64" in last_error(capi)
    assert capi.qf_amount_sub(-(2**63), 1, ctypes.byref(out)) == C.QF_ERR_OVERFLOW
    assert capi.qf_amount_mul(2**62, 2, ctypes.byref(out)) == C.QF_ERR_OVERFLOW


def test_dates(capi):
    out = ctypes.c_int32()
    assert capi.qf_date_from_ymd(2025, 10, 1, ctypes.byref(out)) == C.QF_OK
    assert out.value == d("2025-10-01") == 20362
    y, m, dd = ctypes.c_int32(), ctypes.c_int32(), ctypes.c_int32()
    assert capi.qf_date_to_ymd(20362, ctypes.byref(y), ctypes.byref(m), ctypes.byref(dd)) == C.QF_OK
    assert (y.value, m.value, dd.value) == (2025, 10, 1)
    assert capi.qf_date_parse(b"2025-10-01", ctypes.byref(out)) == C.QF_OK and out.value == 20362
    assert capi.qf_date_parse(b"01.10.2025", ctypes.byref(out)) == C.QF_ERR_PARSE
    assert capi.qf_date_from_ymd(2025, 2, 29, ctypes.byref(out)) == C.QF_ERR_INVALID_ARGUMENT
    assert capi.qf_date_to_ymd(10**6, ctypes.byref(y), ctypes.byref(m), ctypes.byref(dd)) == C.QF_ERR_OUT_OF_RANGE
    assert capi.qf_date_to_ymd(0, None, ctypes.byref(m), ctypes.byref(dd)) == C.QF_ERR_NULL_POINTER
    assert last_error(capi) == "year is NULL"
