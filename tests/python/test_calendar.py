"""quotaflow.Calendar: date forms, China's official calendar, periods and labels, weekends, custom
holidays, CSV loading, bad inputs, and bulk forms that agree with scalar forms."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import quotaflow as qf
from quotaflow import GRAINS, Calendar

EPOCH = dt.date(1970, 1, 1)
CN_FIRST = dt.date(2007, 1, 1)
CN_UNTIL = dt.date(2027, 1, 1)  # exclusive
CN_LO = (CN_FIRST - EPOCH).days  # 13514
CN_HI = (CN_UNTIL - EPOCH).days  # 20819
SUPPORTED_LO = (dt.date(1900, 1, 1) - EPOCH).days
SUPPORTED_HI = (dt.date(2199, 12, 31) - EPOCH).days
COLUMNS = ["period", "start", "end", "working_days"]

JAN2 = dt.date(2025, 1, 2)  # a Thursday, worked in China
JAN2_DAYS = (JAN2 - EPOCH).days  # 20090


def day(d: int) -> dt.date:
    return EPOCH + dt.timedelta(days=int(d))


def days64(*iso: str) -> np.ndarray:
    return np.array(iso, dtype="datetime64[D]")


@pytest.fixture(scope="module")
def every_day() -> Calendar:
    """No weekend, no holiday: add_working_days(x, 0) is x itself, which shows how x was read."""
    return Calendar(weekend=())


# ---------------------------------------------------------------------------------------------
# Accepted date forms
# ---------------------------------------------------------------------------------------------

SCALAR_FORMS = {
    "date": JAN2,
    "datetime": dt.datetime(2025, 1, 2, 23, 59, 59),
    "iso": "2025-01-02",
    "slashes": "2025/01/02",
    "compact": "20250102",
    "bytes": b"2025-01-02",
    "datetime64[D]": np.datetime64("2025-01-02"),
    "datetime64[h]": np.datetime64("2025-01-02T23", "h"),
    "datetime64[s]": np.datetime64("2025-01-02T12:34:56"),
    "datetime64[ns]": np.datetime64("2025-01-02T23:59:59.999999999", "ns"),
    "datetime64 0-d array": np.array("2025-01-02", dtype="datetime64[D]"),
    "int": JAN2_DAYS,
    "numpy int32": np.int32(JAN2_DAYS),
    "numpy int64": np.int64(JAN2_DAYS),
    "pandas Timestamp": pd.Timestamp("2025-01-02 18:00"),
    "pandas Timestamp tz": pd.Timestamp("2025-01-02 01:00", tz="Asia/Shanghai"),  # the local date counts
}


@pytest.mark.parametrize("value", SCALAR_FORMS.values(), ids=SCALAR_FORMS.keys())
def test_scalar_date_forms(every_day, cn, value):
    assert every_day.add_working_days(value, 0) == JAN2
    assert cn.is_working_day(value) is True
    assert cn.working_days(value, "2025-01-03") == 1
    assert cn.working_days("2025-01-01", value) == 0  # 2025-01-01 is New Year's Day
    assert cn.elapsed_fraction(value, "2025-01-04", value) == 0.5


def test_scalar_results_have_python_types(cn):
    assert type(cn.is_working_day("2025-01-02")) is bool
    assert type(cn.working_days("2025-01-01", "2026-01-01")) is int
    assert type(cn.add_working_days("2025-01-02", 1)) is dt.date
    assert type(cn.elapsed_fraction("2025-01-01", "2026-01-01", "2025-06-30")) is float


ARRAY_FORMS = {
    "list of str": ["2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26", "2025-10-08", "2025-10-11"],
    "tuple of str": ("2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26", "2025-10-08", "2025-10-11"),
    "list of date": [dt.date(2025, 1, 1), dt.date(2025, 1, 2), dt.date(2025, 1, 4), dt.date(2025, 1, 26),
                     dt.date(2025, 10, 8), dt.date(2025, 10, 11)],
    "mixed list": ["2025-01-01", dt.date(2025, 1, 2), np.datetime64("2025-01-04"), dt.datetime(2025, 1, 26, 8),
                   pd.Timestamp("2025-10-08"), b"2025-10-11"],
    "numpy str": np.array(["2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26", "2025-10-08", "2025-10-11"]),
    "datetime64[D]": days64("2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26", "2025-10-08", "2025-10-11"),
    "int days": np.array([20089, 20090, 20092, 20114, 20369, 20372]),
    "int32 days": np.array([20089, 20090, 20092, 20114, 20369, 20372], dtype=np.int32),
    "list of int": [20089, 20090, 20092, 20114, 20369, 20372],
    "pandas Series datetime": pd.Series(pd.to_datetime(["2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26",
                                                        "2025-10-08", "2025-10-11"])),
    "pandas Series str": pd.Series(["2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26", "2025-10-08",
                                    "2025-10-11"]),
    "pandas DatetimeIndex": pd.DatetimeIndex(["2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26", "2025-10-08",
                                              "2025-10-11"]),
    "pandas Series tz": pd.Series(pd.to_datetime(["2025-01-01 07:00", "2025-01-02 07:00", "2025-01-04 07:00",
                                                  "2025-01-26 07:00", "2025-10-08 07:00", "2025-10-11 07:00"]))
    .dt.tz_localize("Asia/Shanghai"),
    "list of Timestamp": [pd.Timestamp(s) for s in ("2025-01-01", "2025-01-02", "2025-01-04", "2025-01-26",
                                                    "2025-10-08", "2025-10-11")],
}
# New Year's Day, a Thursday, a Saturday, a make-up Sunday, National Day week, a make-up Saturday
ARRAY_EXPECTED = [False, True, False, True, False, True]


@pytest.mark.parametrize("value", ARRAY_FORMS.values(), ids=ARRAY_FORMS.keys())
def test_array_date_forms(cn, every_day, value):
    got = cn.is_working_day(value)
    assert isinstance(got, np.ndarray) and got.dtype == np.bool_
    assert got.tolist() == ARRAY_EXPECTED
    echoed = every_day.add_working_days(value, 0)
    assert echoed.dtype == np.dtype("datetime64[D]")
    assert echoed.tolist() == [dt.date(2025, 1, 1), dt.date(2025, 1, 2), dt.date(2025, 1, 4), dt.date(2025, 1, 26),
                               dt.date(2025, 10, 8), dt.date(2025, 10, 11)]


@pytest.mark.parametrize("unit", ["Y", "M", "W", "D", "h", "m", "s", "ms", "us", "ns"])
def test_datetime64_arrays_of_every_unit(cn, every_day, unit):
    stamps = np.array(["2025-01-01T00:00", "2025-01-26T09:30", "2025-10-08T23:59", "2025-10-11T12:00"],
                      dtype="datetime64[m]").astype(f"datetime64[{unit}]")
    as_days = stamps.astype("datetime64[D]")  # numpy's own reading of each stamp as a day
    assert cn.is_working_day(stamps).tolist() == cn.is_working_day(as_days).tolist()
    assert (every_day.add_working_days(stamps, 0) == as_days).all()
    assert every_day.add_working_days(stamps[1], 0) == as_days[1].item()


def test_sub_day_stamps_before_1970_floor_to_their_day(every_day):
    assert every_day.add_working_days(np.datetime64("1969-12-31T12:00"), 0) == dt.date(1969, 12, 31)
    stamps = np.array(["1969-12-31T23:59:59", "1900-01-01T00:00:01"], dtype="datetime64[s]")
    assert every_day.add_working_days(stamps, 0).tolist() == [dt.date(1969, 12, 31), dt.date(1900, 1, 1)]


def test_empty_arrays(cn):
    assert cn.is_working_day([]).shape == (0,)
    assert cn.working_days([], []).shape == (0,)
    assert cn.working_days(np.array([], dtype="datetime64[D]"), np.array([], dtype="datetime64[D]")).shape == (0,)


@given(st.integers(SUPPORTED_LO, SUPPORTED_HI),
       st.sampled_from(["date", "datetime", "iso", "bytes", "D", "s", "ns", "int", "Timestamp", "0d"]))
def test_every_form_reads_the_same_day(every_day, d, form):
    date = day(d)
    value = {
        "date": lambda: date,
        "datetime": lambda: dt.datetime(date.year, date.month, date.day, 13, 7),
        "iso": lambda: date.isoformat(),
        "bytes": lambda: date.isoformat().encode(),
        "D": lambda: np.datetime64(date, "D"),
        "s": lambda: np.datetime64(date, "s") + np.timedelta64(86399, "s"),
        "ns": lambda: np.datetime64(date, "ns") + np.timedelta64(1, "ns"),
        "int": lambda: d,
        "Timestamp": lambda: pd.Timestamp(date) + pd.Timedelta(hours=23),
        "0d": lambda: np.array(date, dtype="datetime64[D]"),
    }[form]()
    assert every_day.add_working_days(value, 0) == date


@given(st.lists(st.integers(SUPPORTED_LO, SUPPORTED_HI), min_size=1, max_size=30),
       st.sampled_from(["h", "m", "s", "ms", "us", "ns"]), st.integers(0, 86399))
def test_sub_day_arrays_read_as_their_day(every_day, ds, unit, seconds):
    base = np.array(ds, dtype="datetime64[D]")
    stamps = base.astype(f"datetime64[{unit}]") + np.timedelta64(seconds, "s").astype(f"timedelta64[{unit}]")
    assert (every_day.add_working_days(stamps, 0) == base).all()


# ---------------------------------------------------------------------------------------------
# China (CN preset): known facts
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year, expected", [(2024, 251), (2025, 248), (2026, 248)])
def test_cn_working_days_per_year(cn, year, expected):
    assert cn.working_days(f"{year}-01-01", f"{year + 1}-01-01") == expected
    assert cn.working_days(dt.date(year, 1, 1), dt.date(year + 1, 1, 1)) == expected


def test_cn_2025_by_month(cn):
    df = cn.periods("2025-01-01", "2026-01-01", "month")
    assert isinstance(df, pd.DataFrame)
    assert list(df.columns) == COLUMNS
    assert df["period"].tolist() == [f"2025-{m:02d}" for m in range(1, 13)]
    assert df["working_days"].tolist() == [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23]
    assert df["working_days"].dtype == np.int64
    assert df["start"].tolist() == [pd.Timestamp(2025, m, 1) for m in range(1, 13)]
    assert df["end"].tolist() == [pd.Timestamp(2025, m, 1) for m in range(2, 13)] + [pd.Timestamp(2026, 1, 1)]
    assert str(df["start"].dtype).startswith("datetime64") and str(df["end"].dtype).startswith("datetime64")
    assert cn.periods("2025-01-01", "2026-01-01")["working_days"].tolist() == df["working_days"].tolist()  # default


def test_cn_2025_quarters_halves_year(cn):
    q = cn.periods("2025-01-01", "2026-01-01", "quarter")
    assert list(q.columns) == COLUMNS
    assert q["period"].tolist() == ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]
    assert q["working_days"].tolist() == [59, 61, 67, 61]
    h = cn.periods("2025-01-01", "2026-01-01", "half")
    assert h["period"].tolist() == ["2025-H1", "2025-H2"]
    assert h["working_days"].tolist() == [120, 128]
    y = cn.periods("2024-01-01", "2027-01-01", "year")
    assert y["period"].tolist() == ["2024", "2025", "2026"]
    assert y["working_days"].tolist() == [251, 248, 248]


def test_cn_2025_make_up_days_and_holidays(cn):
    w = cn.workdays
    in_2025 = w[(w >= np.datetime64("2025-01-01")) & (w < np.datetime64("2026-01-01"))]
    assert in_2025.tolist() == [dt.date(2025, 1, 26), dt.date(2025, 2, 8), dt.date(2025, 4, 27), dt.date(2025, 9, 28),
                                dt.date(2025, 10, 11)]
    # National Day and Mid-Autumn 2025: October 1..8 off.
    october = np.arange(np.datetime64("2025-10-01"), np.datetime64("2025-10-13"))
    assert cn.is_working_day(october).tolist() == [False] * 8 + [True, True, True, False]
    h = cn.holidays
    assert h.dtype == np.dtype("datetime64[D]") and w.dtype == np.dtype("datetime64[D]")
    assert (np.diff(h.astype(np.int64)) > 0).all() and (np.diff(w.astype(np.int64)) > 0).all()
    assert h.min() >= np.datetime64("2007-01-01") and h.max() <= np.datetime64("2026-12-31")
    assert not np.intersect1d(h, w).size


def test_cn_range_and_repr(cn):
    assert cn.valid_from == dt.date(2007, 1, 1)
    assert cn.valid_until == dt.date(2027, 1, 1)  # exclusive
    assert cn.weekend == (5, 6)
    assert cn.fiscal_year_start == 1
    assert "valid=2007-01-01..2026-12-31" in repr(cn)
    assert "weekend=('Sat', 'Sun')" in repr(cn)
    assert cn.working_days("2007-01-01", "2027-01-01") == cn.working_days(cn.valid_from, cn.valid_until)
    assert cn.is_working_day("2026-12-31") is True
    with pytest.raises(qf.OutOfRangeError):
        cn.is_working_day("2027-01-01")
    with pytest.raises(qf.OutOfRangeError):
        cn.is_working_day("2006-12-31")


def test_plain_preset():
    plain = Calendar.preset("plain")
    assert plain.weekend == (5, 6)
    assert plain.working_days("2025-01-01", "2026-01-01") == 261
    assert plain.valid_from == dt.date(1900, 1, 1) and plain.valid_until == dt.date(2200, 1, 1)
    assert len(plain.holidays) == 0 and len(plain.workdays) == 0


def test_cn_add_working_days_hand_cases(cn):
    assert cn.add_working_days("2025-09-30", 1) == dt.date(2025, 10, 9)
    assert cn.add_working_days("2025-10-01", 0) == dt.date(2025, 10, 9)  # not worked: the next working day
    assert cn.add_working_days("2025-10-09", 0) == dt.date(2025, 10, 9)
    assert cn.add_working_days("2025-10-09", -1) == dt.date(2025, 9, 30)
    assert cn.add_working_days("2025-10-10", 1) == dt.date(2025, 10, 11)  # make-up Saturday
    assert cn.add_working_days("2025-01-24", 1) == dt.date(2025, 1, 26)  # make-up Sunday
    assert cn.add_working_days("2025-01-26", 2) == dt.date(2025, 2, 5)  # across Spring Festival
    assert cn.add_working_days("2025-01-01", 248) == dt.date(2025, 12, 31)  # New Year's Day itself is off
    assert cn.add_working_days("2025-01-01", 249) == dt.date(2026, 1, 4)  # a make-up Sunday in 2026
    got = cn.add_working_days(["2025-09-30", "2025-10-09"], [1, -1])
    assert got.tolist() == [dt.date(2025, 10, 9), dt.date(2025, 9, 30)]
    assert cn.add_working_days(days64("2025-09-30", "2025-10-10"), 1).tolist() == [dt.date(2025, 10, 9),
                                                                                   dt.date(2025, 10, 11)]


def test_cn_elapsed_fraction_hand_cases(cn):
    # October 2025 has 18 working days, the first on the 9th; as_of counts as elapsed.
    assert cn.elapsed_fraction("2025-10-01", "2025-11-01", "2025-10-08") == 0.0
    assert cn.elapsed_fraction("2025-10-01", "2025-11-01", "2025-10-09") == pytest.approx(1 / 18)
    assert cn.elapsed_fraction("2025-10-01", "2025-11-01", "2025-10-31") == 1.0
    assert cn.elapsed_fraction("2025-10-01", "2025-11-01", "2025-09-01") == 0.0
    assert cn.elapsed_fraction("2025-10-01", "2025-11-01", "2030-01-01") == 1.0  # as_of may leave the range
    # A range without working days: 0 before its last day, 1 on it.
    assert cn.elapsed_fraction("2025-10-01", "2025-10-08", "2025-10-06") == 0.0
    assert cn.elapsed_fraction("2025-10-01", "2025-10-08", "2025-10-07") == 1.0
    got = cn.elapsed_fraction("2025-10-01", "2025-11-01", ["2025-10-08", "2025-10-09", "2025-10-31"])
    assert got.tolist() == pytest.approx([0.0, 1 / 18, 1.0])


# ---------------------------------------------------------------------------------------------
# Weeks, periods clipped to the range, labels
# ---------------------------------------------------------------------------------------------

def test_iso_week_labels(cn):
    df = cn.periods("2024-12-28", "2025-01-20", "week")
    assert list(df.columns) == COLUMNS
    assert df["period"].tolist() == ["2024-W52", "2025-W01", "2025-W02", "2025-W03"]
    assert df["start"].tolist() == [pd.Timestamp(s) for s in ("2024-12-28", "2024-12-30", "2025-01-06", "2025-01-13")]
    assert df["working_days"].tolist() == [0, 4, 5, 5]  # clipped first week; New Year's Day off
    plain = Calendar.preset("plain")
    assert plain.periods("2020-12-28", "2021-01-11", "week")["period"].tolist() == ["2020-W53", "2021-W01"]
    assert plain.periods("2026-12-28", "2027-01-04", "week")["period"].tolist() == ["2026-W53"]
    assert plain.periods("2015-12-31", "2016-01-05", "week")["period"].tolist() == ["2015-W53", "2016-W01"]
    assert plain.periods("2018-12-31", "2019-01-01", "week")["period"].tolist() == ["2019-W01"]


def test_periods_are_clipped_to_the_range(cn):
    df = cn.periods("2025-02-10", "2025-04-15", "month")
    assert df["period"].tolist() == ["2025-02", "2025-03", "2025-04"]
    assert df["start"].tolist() == [pd.Timestamp(s) for s in ("2025-02-10", "2025-03-01", "2025-04-01")]
    assert df["end"].tolist() == [pd.Timestamp(s) for s in ("2025-03-01", "2025-04-01", "2025-04-15")]
    assert df["working_days"].tolist() == [15, 21, 9]  # Qingming: 2025-04-04 off
    q = cn.periods("2025-05-20", "2025-05-21", "quarter")
    assert q["period"].tolist() == ["2025-Q2"] and q["working_days"].tolist() == [1]
    d = cn.periods("2025-01-31", "2025-02-02", "day")
    assert d["period"].tolist() == ["2025-01-31", "2025-02-01"]
    assert d["working_days"].tolist() == [0, 0]


def test_empty_range_gives_empty_periods(cn):
    df = cn.periods("2025-03-05", "2025-03-05", "month")
    assert list(df.columns) == COLUMNS
    assert len(df) == 0


def test_empty_periods_keep_column_dtypes(cn):
    df = cn.periods("2025-03-05", "2025-03-05", "month")
    full = cn.periods("2025-03-05", "2025-04-05", "month")
    assert df.dtypes.tolist() == full.dtypes.tolist()


def test_period_label(cn):
    assert cn.period_label("2025-07-15", "quarter") == "2025-Q3"
    assert cn.period_label("2025-07-15", "week") == "2025-W29"
    assert cn.period_label("2025-07-15", "month") == "2025-07"
    assert cn.period_label("2025-07-15", "half") == "2025-H2"
    assert cn.period_label("2025-07-15", "year") == "2025"
    assert cn.period_label("2025-07-15", "day") == "2025-07-15"
    assert cn.with_fiscal_year_start(4).period_label("2025-04-01", "quarter") == "FY2026-Q1"


def test_period_label_unknown_grain(cn):
    with pytest.raises(qf.InvalidArgumentError, match="grain 'fortnight' is unknown"):
        cn.period_label("2025-07-15", "fortnight")


# ---------------------------------------------------------------------------------------------
# Fiscal years
# ---------------------------------------------------------------------------------------------

def test_fiscal_year_starting_in_april(cn):
    fy = cn.with_fiscal_year_start(4)
    assert fy.fiscal_year_start == 4
    assert cn.fiscal_year_start == 1  # the original is unchanged
    q = fy.periods("2025-01-01", "2026-01-01", "quarter")
    assert list(q.columns) == COLUMNS
    assert q["period"].tolist() == ["FY2025-Q4", "FY2026-Q1", "FY2026-Q2", "FY2026-Q3"]
    assert q["working_days"].tolist() == [59, 61, 67, 61]  # same days as calendar quarters
    assert q["start"].tolist() == [pd.Timestamp(s) for s in ("2025-01-01", "2025-04-01", "2025-07-01", "2025-10-01")]
    y = fy.periods("2025-01-01", "2026-06-01", "year")
    assert y["period"].tolist() == ["FY2025", "FY2026", "FY2027"]
    assert y["start"].tolist() == [pd.Timestamp(s) for s in ("2025-01-01", "2025-04-01", "2026-04-01")]
    assert y["working_days"].tolist() == [59, fy.working_days("2025-04-01", "2026-04-01"), 40]
    h = fy.periods("2025-04-01", "2026-04-01", "half")
    assert h["period"].tolist() == ["FY2026-H1", "FY2026-H2"]
    assert h["working_days"].tolist() == [128, 120]
    # Months and weeks do not follow the fiscal year.
    assert fy.periods("2025-03-01", "2025-05-01", "month")["period"].tolist() == ["2025-03", "2025-04"]
    # The calendar itself is the same: same holidays, same counts.
    days = np.arange(np.datetime64("2007-01-01"), np.datetime64("2027-01-01"))
    assert (fy.is_working_day(days) == cn.is_working_day(days)).all()
    assert fy.valid_from == cn.valid_from and fy.valid_until == cn.valid_until


def test_fiscal_year_starting_in_july():
    cal = Calendar(fiscal_year_start=7)
    q = cal.periods("2025-06-01", "2025-10-01", "quarter")
    assert q["period"].tolist() == ["FY2025-Q4", "FY2026-Q1"]


@given(st.integers(1, 12), st.integers((dt.date(1901, 1, 1) - EPOCH).days, (dt.date(2198, 12, 31) - EPOCH).days))
def test_fiscal_labels_property(fy_start, d):
    cal = Calendar(fiscal_year_start=fy_start)
    date = day(d)
    months_in = (date.month - fy_start) % 12  # months since the fiscal year began
    ends_in = date.year + (1 if fy_start > 1 and date.month >= fy_start else 0)
    prefix = "FY" if fy_start > 1 else ""
    labels = {g: cal.periods(date, date + dt.timedelta(days=1), g)["period"][0] for g in GRAINS}
    assert labels["year"] == f"{prefix}{ends_in}"
    assert labels["half"] == f"{prefix}{ends_in}-H{months_in // 6 + 1}"
    assert labels["quarter"] == f"{prefix}{ends_in}-Q{months_in // 3 + 1}"
    assert labels["month"] == f"{date.year}-{date.month:02d}"
    iso = date.isocalendar()
    assert labels["week"] == f"{iso[0]}-W{iso[1]:02d}"
    assert labels["day"] == date.isoformat()


@pytest.mark.parametrize("month", [0, 13, -1])
def test_bad_fiscal_year_start(month):
    with pytest.raises(qf.InvalidArgumentError, match=f"fiscal_year_start_month is {month}; it must be 1..12"):
        Calendar(fiscal_year_start=month)


# ---------------------------------------------------------------------------------------------
# Weekends and custom calendars
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("weekend", [("Fri", "Sat"), (4, 5), ["friday", "SATURDAY"], ("Fri", 5), np.array([4, 5])],
                         ids=["names", "numbers", "long names", "mixed", "numpy"])
def test_friday_saturday_weekend(weekend):
    cal = Calendar(weekend=weekend)
    assert cal.weekend == (4, 5)
    assert "weekend=('Fri', 'Sat')" in repr(cal)
    week = np.arange(np.datetime64("2025-01-06"), np.datetime64("2025-01-13"))  # Monday .. Sunday
    assert cal.is_working_day(week).tolist() == [True, True, True, True, False, False, True]
    assert cal.working_days("2025-01-01", "2026-01-01") == 261


def test_other_weekends():
    assert Calendar(weekend="Sun").weekend == (6,)
    assert Calendar(weekend=(6,)).weekend == (6,)
    assert Calendar().weekend == (5, 6)
    every = Calendar(weekend=())
    assert every.weekend == ()
    assert every.working_days("2025-01-01", "2026-01-01") == 365
    assert Calendar(weekend=None).weekend == ()
    assert Calendar(weekend=("Sun",)).working_days("2025-01-01", "2026-01-01") == 365 - 52


@pytest.mark.parametrize("weekend, message", [
    (("Xyz",), "weekend[0] is 'Xyz'; expected a day name"),
    (("Sat", 7), "weekend[1] is 7; expected a day name or 0 (Monday) .. 6 (Sunday)"),
    ((True,), "weekend[0] is True"),
    ((-1,), "weekend[0] is -1"),
    ((1.0,), "weekend[0] is 1.0"),
    (range(7), "weekend_mask is 127: every weekday is a weekend"),
])
def test_bad_weekends(weekend, message):
    with pytest.raises(qf.InvalidArgumentError) as info:
        Calendar(weekend=weekend)
    assert message in str(info.value)


@pytest.mark.parametrize("form", [list, lambda xs: np.array(xs, dtype="datetime64[D]"), pd.Series,
                                  lambda xs: [dt.date.fromisoformat(x) for x in xs]],
                         ids=["list", "datetime64", "Series", "dates"])
def test_custom_holidays_and_workdays(form):
    cal = Calendar(holidays=form(["2025-01-06", "2025-01-07", "2025-01-06"]), workdays=form(["2025-01-11"]))
    assert cal.is_working_day(["2025-01-06", "2025-01-07", "2025-01-08", "2025-01-11", "2025-01-12"]).tolist() == [
        False, False, True, True, False]
    assert cal.working_days("2025-01-01", "2025-02-01") == 23 - 2 + 1
    assert cal.holidays.tolist() == [dt.date(2025, 1, 6), dt.date(2025, 1, 7)]  # sorted, deduplicated
    assert cal.workdays.tolist() == [dt.date(2025, 1, 11)]


def test_custom_calendar_valid_range():
    cal = Calendar(holidays=["2024-12-25", "2025-12-25", "2026-12-25"], valid_from="2025-01-01",
                   valid_until=dt.date(2026, 1, 1))
    assert cal.valid_from == dt.date(2025, 1, 1) and cal.valid_until == dt.date(2026, 1, 1)
    assert cal.holidays.tolist() == [dt.date(2025, 12, 25)]  # dates outside the range are dropped
    assert cal.working_days("2025-01-01", "2026-01-01") == 260
    with pytest.raises(qf.OutOfRangeError, match="outside the calendar's valid range 2025-01-01..2025-12-31"):
        cal.is_working_day("2026-01-01")
    with pytest.raises(qf.OutOfRangeError, match="^valid_until is 2024-01-01; it must be after valid_from"):
        Calendar(valid_from="2025-01-01", valid_until="2024-01-01")


def test_holiday_that_is_also_a_workday_is_an_error():
    with pytest.raises(qf.InvalidArgumentError) as info:
        Calendar(holidays=["2025-01-06"], workdays=["2025-01-06"])
    assert str(info.value) == "date 2025-01-06 is listed both as a holiday and as a make-up working day"


def test_bad_holiday_dates_name_their_index():
    with pytest.raises(qf.ParseError, match=r"^holidays\[1\]: date \"2025-13\" is not in YYYY-MM-DD form"):
        Calendar(holidays=["2025-01-06", "2025-13"])
    with pytest.raises(qf.InvalidArgumentError, match=r"^workdays\[0\] is NaT"):
        Calendar(workdays=np.array(["NaT"], dtype="datetime64[D]"))


# ---------------------------------------------------------------------------------------------
# CSV
# ---------------------------------------------------------------------------------------------

def test_from_csv(tmp_path):
    path = tmp_path / "holidays.csv"
    path.write_text(
        "\ufeffdate,kind,name\n"
        "# company calendar 2025\n"
        "\n"
        "2025-01-06,holiday,Founders' Day\n"
        '"2025-01-07", "holiday" ,"extra, day"\n'
        "2025-01-11,makeup_workday\n"
        "2025-01-18,workday\r\n"
        "2030-01-01,holiday\n",  # outside the valid range: ignored
        encoding="utf-8")
    cal = Calendar.from_csv(path, valid_from="2025-01-01", valid_until="2026-01-01")
    assert cal.holidays.tolist() == [dt.date(2025, 1, 6), dt.date(2025, 1, 7)]
    assert cal.workdays.tolist() == [dt.date(2025, 1, 11), dt.date(2025, 1, 18)]
    assert cal.working_days("2025-01-01", "2025-02-01") == 23 - 2 + 2
    assert cal.valid_from == dt.date(2025, 1, 1)
    same = Calendar.from_csv(str(path), valid_from="2025-01-01", valid_until="2026-01-01")
    assert (same.holidays == cal.holidays).all()


def test_from_csv_options(tmp_path):
    path = tmp_path / "c.csv"
    path.write_text("date,kind\n2025-04-10,holiday\n")
    cal = Calendar.from_csv(path, weekend=("Fri", "Sat"), fiscal_year_start=4)
    assert cal.weekend == (4, 5)
    assert cal.fiscal_year_start == 4
    assert cal.periods("2025-04-01", "2025-05-01", "quarter")["period"].tolist() == ["FY2026-Q1"]
    assert cal.is_working_day(["2025-04-10", "2025-04-11", "2025-04-13"]).tolist() == [False, False, True]
    assert cal.valid_from == dt.date(1900, 1, 1) and cal.valid_until == dt.date(2200, 1, 1)


@pytest.mark.parametrize("bad_line, cls, detail", [
    ("2025-01-07;holiday", qf.ParseError, 'expected "date,kind", got "2025-01-07;holiday"'),
    ("2025-01-07,vacation", qf.ParseError, 'kind "vacation" is unknown; expected holiday or makeup_workday'),
    ("07.01.2025,holiday", qf.ParseError, 'date "07.01.2025" is not in YYYY-MM-DD form'),
    ("2025-02-30,holiday", qf.ParseError, 'date "2025-02-30" is not a valid date'),
    ("2300-01-01,holiday", qf.OutOfRangeError, 'date "2300-01-01" is outside the supported range'),
])
def test_from_csv_malformed_line(tmp_path, bad_line, cls, detail):
    path = tmp_path / "bad.csv"
    path.write_text(f"date,kind\n2025-01-06,holiday\n{bad_line}\n2025-01-08,holiday\n")
    with pytest.raises(cls) as info:
        Calendar.from_csv(path)
    message = str(info.value)
    assert "line 3" in message
    assert message.startswith(f"{path} line 3: ")
    assert detail in message


def test_from_csv_missing_file(tmp_path):
    path = tmp_path / "missing.csv"
    with pytest.raises(qf.FileError) as info:
        Calendar.from_csv(path)
    assert isinstance(info.value, OSError)
    assert str(path) in str(info.value)


def test_from_csv_on_a_directory_is_file_error(tmp_path):
    with pytest.raises(qf.FileError):
        Calendar.from_csv(tmp_path)


# ---------------------------------------------------------------------------------------------
# Bad inputs: each a quotaflow.Error whose message names the argument
# ---------------------------------------------------------------------------------------------

def test_unknown_preset():
    with pytest.raises(qf.NotFoundError) as info:
        Calendar.preset("XX")
    assert isinstance(info.value, KeyError)
    assert str(info.value) == 'calendar preset "XX" is unknown; available presets: CN, plain'


BAD_CALLS = {
    "end before start": (lambda c: c.working_days("2025-02-01", "2025-01-01"), qf.InvalidArgumentError,
                         r"^end \(2025-01-01\) is before start \(2025-02-01\)$"),
    "periods end before start": (lambda c: c.periods("2025-02-01", "2025-01-01", "month"), qf.InvalidArgumentError,
                                 r"^end \(2025-01-01\) is before start"),
    "unknown grain": (lambda c: c.periods("2025-01-01", "2025-02-01", "fortnight"), qf.InvalidArgumentError,
                      r'^grain "fortnight" is unknown; expected one of year, half, quarter, month, week, day$'),
    "date out of calendar range": (lambda c: c.is_working_day("2030-01-01"), qf.OutOfRangeError,
                                   r"^date 2030-01-01 is outside the calendar's valid range 2007-01-01..2026-12-31$"),
    "start out of range": (lambda c: c.working_days("2006-12-31", "2007-02-01"), qf.OutOfRangeError,
                           r"^start 2006-12-31 is outside"),
    "end out of range": (lambda c: c.working_days("2026-12-01", "2027-01-02"), qf.OutOfRangeError,
                         r"^end 2027-01-02 \(exclusive\) is beyond the calendar's valid range"),
    "unsupported date": (lambda c: c.is_working_day("1899-12-31"), qf.OutOfRangeError,
                         r'^date: date "1899-12-31" is outside the supported range'),
    "unsupported date object": (lambda c: c.is_working_day(dt.date(1800, 1, 1)), qf.OutOfRangeError,
                                r"^date is -62091 days since 1970-01-01, outside the supported range"),
    "int out of int32": (lambda c: c.is_working_day(2**40), qf.OutOfRangeError, r"^date is 1099511627776 days"),
    "int array out of int32": (lambda c: c.is_working_day([0, 2**40]), qf.OutOfRangeError,
                               r"^dates\[1\] is 1099511627776 days"),
    "array date out of range": (lambda c: c.is_working_day(days64("2025-01-01", "2027-03-01")), qf.OutOfRangeError,
                                r"^dates\[1\] 2027-03-01 is outside"),
    "bulk start out of range": (lambda c: c.working_days(days64("2025-01-01", "2006-01-01"), "2025-06-01"),
                                qf.OutOfRangeError, r"^starts\[1\] 2006-01-01 is outside"),
    "bulk end before start": (lambda c: c.working_days(days64("2025-01-01", "2025-07-01"), "2025-06-01"),
                              qf.InvalidArgumentError, r"^ends\[1\] \(2025-06-01\) is before starts\[1\]"),
    "malformed string": (lambda c: c.is_working_day("hello"), qf.ParseError,
                         r'^date: date "hello" is not in YYYY-MM-DD form$'),
    "malformed string start": (lambda c: c.working_days("2025-01-01", "2025-1-9"), qf.ParseError,
                               r'^end: date "2025-1-9"'),
    "malformed string in list": (lambda c: c.is_working_day(["2025-01-01", "2025-02-30"]), qf.ParseError,
                                 r'^dates\[1\]: date "2025-02-30" is not a valid date'),
    "NaT in array": (lambda c: c.is_working_day(days64("2025-01-01", "NaT")), qf.InvalidArgumentError,
                     r"^dates\[1\] is NaT$"),
    "NaT in starts": (lambda c: c.working_days(days64("2025-01-01", "NaT"), "2025-06-01"), qf.InvalidArgumentError,
                      r"^starts\[1\] is NaT$"),
    "NaT in Series": (lambda c: c.is_working_day(pd.Series(pd.to_datetime(["2025-01-02", None]))),
                      qf.InvalidArgumentError, r"^dates\[1\] is NaT$"),
    "NaT scalar": (lambda c: c.is_working_day(np.datetime64("NaT")), qf.InvalidArgumentError, r"^date is NaT$"),
    "NaT as_of": (lambda c: c.elapsed_fraction("2025-01-01", "2025-02-01", np.datetime64("NaT")),
                  qf.InvalidArgumentError, r"^as_of is NaT$"),
    "lengths differ": (lambda c: c.working_days(days64("2025-01-01", "2025-01-02"),
                                                days64("2025-02-01", "2025-02-01", "2025-02-01")),
                       qf.InvalidArgumentError, r"^length mismatch: starts has 2 elements, ends has 3$"),
    "lengths differ elapsed": (lambda c: c.elapsed_fraction(days64("2025-01-01", "2025-01-02"), "2025-03-01",
                                                            ["2025-02-01", "2025-02-02", "2025-02-03"]),
                               qf.InvalidArgumentError, r"^length mismatch: starts has 2 elements, "),
    "bool date": (lambda c: c.is_working_day(True), qf.InvalidArgumentError, r"^date is a bool \(True\), not a date$"),
    "bool start": (lambda c: c.working_days(False, "2025-01-01"), qf.InvalidArgumentError,
                   r"^start is a bool \(False\), not a date$"),
    "bool end": (lambda c: c.working_days("2025-01-01", True), qf.InvalidArgumentError, r"^end is a bool"),
    "bool as_of": (lambda c: c.elapsed_fraction("2025-01-01", "2025-02-01", True), qf.InvalidArgumentError,
                   r"^as_of is a bool"),
    "bool in list": (lambda c: c.is_working_day([dt.date(2025, 1, 1), True]), qf.InvalidArgumentError,
                     r"^dates\[1\] is a bool"),
    "bool in str list": (lambda c: c.is_working_day(["2025-01-01", True]), qf.ParseError,  # numpy makes it "True"
                         r'^dates\[1\]: date "True" is not in YYYY-MM-DD form$'),
    "bool array": (lambda c: c.is_working_day(np.array([True, False])), qf.InvalidArgumentError,
                   r"^dates has dtype bool"),
    "bool periods start": (lambda c: c.periods(True, "2025-01-01"), qf.InvalidArgumentError, r"^start is a bool"),
    "float": (lambda c: c.is_working_day(np.array([20090.5])), qf.InvalidArgumentError, r"^dates has dtype float64"),
    "None": (lambda c: c.working_days(None, "2025-01-01"), qf.InvalidArgumentError, r"^starts\[0\] has type NoneType"),
    "2-d": (lambda c: c.is_working_day(np.zeros((2, 2), dtype="datetime64[D]")), qf.InvalidArgumentError,
            r"^dates must be 1-dimensional, got shape \(2, 2\)$"),
    "float n": (lambda c: c.add_working_days(["2025-01-01"], [1.5]), qf.InvalidArgumentError,
                r"^n has dtype float64 and shape \(1,\); expected integers$"),
    "add beyond range": (lambda c: c.add_working_days("2026-12-31", 1), qf.OutOfRangeError,
                         r"^adding 1 working days to 2026-12-31 leaves the calendar's valid range "
                         r"2007-01-01..2026-12-31$"),
    "add before range": (lambda c: c.add_working_days(days64("2025-01-02", "2007-01-04"), -3), qf.OutOfRangeError,
                         r"^dates\[1\]: adding -3 working days to 2007-01-04 leaves"),
    "empty elapsed range": (lambda c: c.elapsed_fraction("2025-01-01", "2025-01-01", "2025-01-01"),
                            qf.InvalidArgumentError, r"^range 2025-01-01..2025-01-01 is empty$"),
    "empty elapsed range bulk": (lambda c: c.elapsed_fraction(days64("2025-01-01", "2025-03-01"),
                                                              days64("2025-02-01", "2025-03-01"), "2025-01-10"),
                                 qf.InvalidArgumentError, r"^range 1 \(2025-03-01..2025-03-01\) is empty$"),
    "as_of unsupported": (lambda c: c.elapsed_fraction("2025-01-01", "2025-02-01", "1800-01-01"), qf.OutOfRangeError,
                          r"^as_of: date \"1800-01-01\""),
}


@pytest.mark.parametrize("call, cls, pattern", BAD_CALLS.values(), ids=BAD_CALLS.keys())
def test_bad_inputs(cn, call, cls, pattern):
    with pytest.raises(cls, match=pattern) as info:
        call(cn)
    assert isinstance(info.value, qf.Error)


def test_bad_input_lengths_for_add_working_days(cn):
    with pytest.raises(qf.Error):
        cn.add_working_days(days64("2025-01-01", "2025-01-02"), [1, 2, 3])


def test_pandas_nat_scalar(cn):
    with pytest.raises(qf.InvalidArgumentError, match="^date is NaT$"):
        cn.is_working_day(pd.NaT)


def test_far_datetime64_scalar(cn):
    with pytest.raises(qf.OutOfRangeError, match="^date "):
        cn.is_working_day(np.datetime64(10**12, "D"))


def test_add_working_days_scalar_date_array_n(cn):
    got = cn.add_working_days("2025-09-30", np.array([0, 1, 2]))
    assert got.tolist() == [dt.date(2025, 9, 30), dt.date(2025, 10, 9), dt.date(2025, 10, 10)]


def test_bulk_and_scalar_agree_at_the_end_of_the_range(cn):
    # The empty range at the very end of the valid range is allowed by both forms.
    assert cn.working_days("2027-01-01", "2027-01-01") == 0
    assert cn.working_days(days64("2027-01-01"), days64("2027-01-01")).tolist() == [0]
    with pytest.raises(qf.OutOfRangeError):
        cn.working_days("2027-01-01", "2027-01-02")
    with pytest.raises(qf.OutOfRangeError):
        cn.working_days(days64("2027-01-01"), days64("2027-01-02"))


def test_zero_length_range_inside_is_zero(cn):
    assert cn.working_days("2025-03-03", "2025-03-03") == 0
    assert cn.working_days(days64("2025-03-03"), days64("2025-03-03")).tolist() == [0]


# ---------------------------------------------------------------------------------------------
# Bulk forms equal scalar forms (properties on China 2007-2026)
# ---------------------------------------------------------------------------------------------

cn_days = st.integers(CN_LO, CN_HI - 1)


@st.composite
def cn_ranges(draw, max_len=800):
    start = draw(cn_days)
    end = draw(st.integers(start, min(start + max_len, CN_HI)))
    return start, end


@given(cn_ranges())
@example((CN_LO, CN_HI))  # the whole valid range
@example((CN_HI - 1, CN_HI))
@example((CN_LO, CN_LO))
def test_working_days_equals_periods_and_day_flags(cn, r):
    start, end = r
    s, e = day(start), day(end)
    total = cn.working_days(s, e)
    assert 0 <= total <= end - start
    flags = cn.is_working_day(np.arange(start, end))
    assert int(flags.sum()) == total
    for grain in GRAINS:
        df = cn.periods(s, e, grain)
        assert list(df.columns) == COLUMNS
        assert int(df["working_days"].sum()) == total
        if start == end:
            assert len(df) == 0
            continue
        starts = df["start"].dt.date.tolist()
        ends = df["end"].dt.date.tolist()
        assert starts[0] == s and ends[-1] == e
        assert starts[1:] == ends[:-1]  # contiguous, no gaps or overlaps
        assert all(a < b for a, b in zip(starts, ends))
        # Every period but the first starts on a period boundary.
        for p in starts[1:]:
            if grain == "week":
                assert p.weekday() == 0
            elif grain != "day":
                assert p.day == 1 and (p.month - 1) % {"month": 1, "quarter": 3, "half": 6, "year": 12}[grain] == 0
        if grain == "day":
            assert df["working_days"].tolist() == flags.astype(int).tolist()
    bulk = cn.working_days(days64(s.isoformat()), days64(e.isoformat()))
    assert bulk.tolist() == [total]


@given(st.lists(cn_ranges(), min_size=1, max_size=40))
def test_bulk_working_days_equal_scalar(cn, ranges):
    starts = np.array([r[0] for r in ranges], dtype=np.int64).astype("datetime64[D]")
    ends = np.array([r[1] for r in ranges], dtype=np.int64).astype("datetime64[D]")
    bulk = cn.working_days(starts, ends)
    assert bulk.dtype == np.int32
    assert bulk.tolist() == [cn.working_days(day(a), day(b)) for a, b in ranges]
    # A scalar on one side broadcasts.
    common_end = max(r[1] for r in ranges)
    assert cn.working_days(starts, day(common_end)).tolist() == [cn.working_days(day(a), day(common_end))
                                                                 for a, _ in ranges]


@given(st.lists(cn_days, min_size=1, max_size=60))
def test_bulk_is_working_day_equals_scalar(cn, ds):
    arr = np.array(ds, dtype=np.int64).astype("datetime64[D]")
    assert cn.is_working_day(arr).tolist() == [cn.is_working_day(day(d)) for d in ds]
    assert cn.is_working_day(pd.Series(arr)).tolist() == cn.is_working_day(arr).tolist()


@given(cn_days, st.integers(-300, 300))
@example(CN_HI - 1, 1)  # past the last day
@example(CN_HI - 1, 0)
@example(CN_HI - 2, 1)
@example(CN_LO, -1)  # before the first day
@example(CN_LO, 0)  # 2007-01-01 is a holiday: the next working day
@example(CN_LO + 3, -1)
def test_add_working_days_counts_back(cn, d, n):
    date = day(d)
    try:
        result = cn.add_working_days(date, n)
    except qf.OutOfRangeError:
        # Only when the answer would leave the calendar's range.
        after = cn.working_days(date, CN_UNTIL) - int(cn.is_working_day(date))  # working days after date
        if n > 0:
            assert after < n
        elif n < 0:
            assert cn.working_days(CN_FIRST, date) < -n
        else:
            assert cn.working_days(date, CN_UNTIL) == 0
        return
    assert cn.is_working_day(result)
    if n > 0:
        assert result > date
        assert cn.working_days(date + dt.timedelta(days=1), result + dt.timedelta(days=1)) == n
    elif n < 0:
        assert result < date
        assert cn.working_days(result, date) == -n
    else:
        assert result >= date
        assert cn.working_days(date, result) == 0
    bulk = cn.add_working_days(np.array([d], dtype="datetime64[D]"), n)
    assert bulk.tolist() == [result]


@given(st.lists(st.tuples(st.integers(CN_LO + 400, CN_HI - 400), st.integers(-200, 200)), min_size=1, max_size=40))
def test_bulk_add_working_days_equals_scalar(cn, pairs):
    dates = np.array([p[0] for p in pairs], dtype=np.int64).astype("datetime64[D]")
    counts = np.array([p[1] for p in pairs], dtype=np.int64)
    bulk = cn.add_working_days(dates, counts)
    assert bulk.tolist() == [cn.add_working_days(day(d), n) for d, n in pairs]


@given(st.integers(CN_LO, CN_HI - 2), st.integers(1, 400))
def test_elapsed_fraction_monotone_and_bounded(cn, start, length):
    end = min(start + length, CN_HI)
    s, e = day(start), day(end)
    as_of = np.arange(start - 5, end + 5).astype("datetime64[D]")
    fr = cn.elapsed_fraction(s, e, as_of)
    assert fr.dtype == np.float64 and fr.shape == as_of.shape
    assert ((fr >= 0.0) & (fr <= 1.0)).all()
    assert (np.diff(fr) >= 0).all()
    offsets = np.arange(start - 5, end + 5)
    assert (fr[offsets < start] == 0.0).all()
    assert (fr[offsets >= end - 1] == 1.0).all()
    total = cn.working_days(s, e)
    if total:
        elapsed = cn.working_days(np.full(len(offsets), start).astype("datetime64[D]"),
                                  np.clip(offsets + 1, start, end).astype("datetime64[D]"))
        assert fr.tolist() == pytest.approx((elapsed / total).tolist(), abs=0, rel=1e-15)
    for i in (0, 5, len(offsets) // 2, len(offsets) - 1):
        assert cn.elapsed_fraction(s, e, as_of[i]) == fr[i]
    # Columns of starts and ends too.
    cols = cn.elapsed_fraction(np.full(3, start).astype("datetime64[D]"), [e, e, e], as_of[[0, 5, -1]])
    assert cols.tolist() == fr[[0, 5, -1]].tolist()


def test_bulk_queries_from_threads_agree(cn):
    rng = np.random.default_rng(20250101)
    starts = rng.integers(CN_LO, CN_HI - 400, size=200_000)
    ends = starts + rng.integers(0, 400, size=starts.size)
    s64, e64 = starts.astype("datetime64[D]"), ends.astype("datetime64[D]")
    expected = cn.working_days(s64, e64)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: cn.working_days(s64, e64), range(8)))
    for got in results:
        assert (got == expected).all()


# ---------------------------------------------------------------------------------------------
# Real data: two independently published tables of China's holidays agree with the CN preset
# ---------------------------------------------------------------------------------------------

def test_real_china_holiday_tables_agree_with_preset(shared_data, cn):
    folder = shared_data / "calendars"
    files = ["china_holidays_holiday-cn_2007_2027.csv", "china_holidays_chinese-calendar_2004_2026.csv"]
    for name in files:
        if not (folder / name).is_file():
            pytest.skip(f"{folder / name} is absent")
    cals = [Calendar.from_csv(folder / name, valid_from="2007-01-01", valid_until="2027-01-01") for name in files]
    days = np.arange(np.datetime64("2007-01-01"), np.datetime64("2027-01-01"))
    assert days.size == 7305
    expected = cn.is_working_day(days)
    for name, cal in zip(files, cals):
        got = cal.is_working_day(days)
        diff = days[got != expected]
        assert diff.size == 0, f"{name} differs from the CN preset on {diff[:10]}"
    years = np.arange(2007, 2027)
    starts = (years - 1970).astype("datetime64[Y]").astype("datetime64[D]")
    ends = (years - 1969).astype("datetime64[Y]").astype("datetime64[D]")
    for cal in cals:
        assert (cal.working_days(starts, ends) == cn.working_days(starts, ends)).all()
