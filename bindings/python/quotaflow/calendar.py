"""Business calendar: working days, holidays, make-up working days, fiscal periods.

>>> cal = Calendar.preset("CN")
>>> cal.working_days("2025-01-01", "2026-01-01")
248
"""

from __future__ import annotations

import datetime as _dt
import os
from typing import Any, Iterable, Optional, Union

import numpy as np

from . import _core
from ._dates import from_day, from_days, is_scalar, to_day, to_days
from ._errors import InvalidArgumentError

__all__ = ["Calendar", "GRAINS"]

GRAINS = ("year", "half", "quarter", "month", "week", "day")

_DAY_NAMES = {
    "mon": 0, "monday": 0, "tue": 1, "tuesday": 1, "wed": 2, "wednesday": 2, "thu": 3, "thursday": 3,
    "fri": 4, "friday": 4, "sat": 5, "saturday": 5, "sun": 6, "sunday": 6,
}


def _weekend_mask(weekend: Union[int, Iterable[Union[str, int]], None]) -> int:
    """("Sat", "Sun") or (5, 6) (Monday = 0, as datetime.date.weekday()) -> bit mask."""
    if weekend is None:
        return 0
    if isinstance(weekend, str):
        weekend = [weekend]
    mask = 0
    for i, day in enumerate(weekend):
        if isinstance(day, str):
            key = day.strip().lower()
            if key not in _DAY_NAMES:
                raise InvalidArgumentError(f"weekend[{i}] is {day!r}; expected a day name such as 'Sat' or 'Sunday'")
            mask |= 1 << _DAY_NAMES[key]
        elif isinstance(day, (int, np.integer)) and not isinstance(day, bool) and 0 <= int(day) <= 6:
            mask |= 1 << int(day)
        else:
            raise InvalidArgumentError(f"weekend[{i}] is {day!r}; expected a day name or 0 (Monday) .. 6 (Sunday)")
    return mask


def _range_defaults(valid_from: Any, valid_until: Any) -> tuple:
    lo = _core.MIN_DATE if valid_from is None else to_day(valid_from, "valid_from")
    hi = _core.MAX_DATE + 1 if valid_until is None else to_day(valid_until, "valid_until")
    return lo, hi


class Calendar:
    """A business calendar.

    Parameters
    ----------
    weekend: day names or numbers (Monday = 0) that are not worked; default Saturday and Sunday.
    holidays: dates that are not worked.
    workdays: make-up working days: weekend dates that are worked.
    fiscal_year_start: month (1..12) the fiscal year starts in; years, halves and quarters follow it,
        and a fiscal year is named after the calendar year it ends in ("FY2026").
    valid_from, valid_until: the range [valid_from, valid_until) the calendar answers for; a query
        outside it raises OutOfRangeError rather than guessing. Default 1900-01-01..2200-01-01.

    Dates may be ``datetime.date``, ISO strings, ``numpy.datetime64`` or arrays of those. A built
    calendar is immutable and may be shared across threads.
    """

    __slots__ = ("_c",)

    def __init__(self, weekend: Any = ("Sat", "Sun"), holidays: Any = (), workdays: Any = (),
                 fiscal_year_start: int = 1, valid_from: Any = None, valid_until: Any = None) -> None:
        lo, hi = _range_defaults(valid_from, valid_until)
        self._c = _core.Calendar(_weekend_mask(weekend), to_days(list(holidays) if not hasattr(holidays, "__array__") else holidays, "holidays"),
                                 to_days(list(workdays) if not hasattr(workdays, "__array__") else workdays, "workdays"),
                                 int(fiscal_year_start), lo, hi)

    @classmethod
    def _wrap(cls, core: "_core.Calendar") -> "Calendar":
        obj = cls.__new__(cls)
        obj._c = core
        return obj

    @classmethod
    def preset(cls, name: str) -> "Calendar":
        """A built-in calendar: ``"CN"`` (China 2007-2026, official holidays and make-up working
        days; valid 2007-01-01..2026-12-31) or ``"plain"`` (Saturday and Sunday weekends)."""
        return cls._wrap(_core.Calendar.preset(name))

    @classmethod
    def from_csv(cls, path: Union[str, os.PathLike], weekend: Any = ("Sat", "Sun"), fiscal_year_start: int = 1,
                 valid_from: Any = None, valid_until: Any = None) -> "Calendar":
        """A calendar from a CSV of ``date,kind`` rows (kind: ``holiday`` or ``makeup_workday``).
        A missing file raises FileError (an OSError)."""
        lo, hi = _range_defaults(valid_from, valid_until)
        return cls._wrap(_core.Calendar.from_csv(os.fspath(path), _weekend_mask(weekend), int(fiscal_year_start), lo, hi))

    def with_fiscal_year_start(self, month: int) -> "Calendar":
        """The same calendar with another fiscal year start month."""
        return Calendar(self.weekend, self._c.holidays, self._c.workdays, month, from_day(self._c.valid_from),
                        from_day(self._c.valid_until))

    # --- what the calendar is ----------------------------------------------------------------
    @property
    def weekend(self) -> tuple:
        """Weekend days as numbers, Monday = 0."""
        return tuple(i for i in range(7) if self._c.weekend_mask >> i & 1)

    @property
    def fiscal_year_start(self) -> int:
        return self._c.fiscal_year_start

    @property
    def valid_from(self) -> _dt.date:
        return from_day(self._c.valid_from)

    @property
    def valid_until(self) -> _dt.date:
        """Exclusive end of the valid range."""
        return from_day(self._c.valid_until)

    @property
    def holidays(self) -> np.ndarray:
        return from_days(self._c.holidays)

    @property
    def workdays(self) -> np.ndarray:
        return from_days(self._c.workdays)

    def __repr__(self) -> str:
        names = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        return (f"Calendar(weekend={tuple(names[i] for i in self.weekend)}, holidays={len(self._c.holidays)}, "
                f"workdays={len(self._c.workdays)}, fiscal_year_start={self.fiscal_year_start}, "
                f"valid={self.valid_from.isoformat()}..{(self.valid_until - _dt.timedelta(days=1)).isoformat()})")

    # --- queries: scalars give scalars, arrays give numpy arrays -------------------------------
    def is_working_day(self, date: Any) -> Union[bool, np.ndarray]:
        if is_scalar(date):
            return self._c.is_working_day(to_day(date, "date"))
        return self._c.is_working_day_bulk(to_days(date, "dates"))

    def working_days(self, start: Any, end: Any) -> Union[int, np.ndarray]:
        """Working days in the half-open range [start, end)."""
        if is_scalar(start) and is_scalar(end):
            return self._c.working_days(to_day(start, "start"), to_day(end, "end"))
        starts, ends = _broadcast(start, end, "starts", "ends")
        return self._c.working_days_bulk(starts, ends)

    def add_working_days(self, date: Any, n: Any) -> Union[_dt.date, np.ndarray]:
        """The n-th working day after date (n < 0: before; n == 0: date if worked, else the next)."""
        if is_scalar(date) and isinstance(n, (int, np.integer)):
            return from_day(self._c.add_working_days(to_day(date, "date"), int(n)))
        dates = to_days([date] if is_scalar(date) else date, "dates")
        counts = np.atleast_1d(np.asarray(n))
        if counts.dtype.kind not in "iu" or counts.ndim != 1:
            raise InvalidArgumentError(f"n has dtype {counts.dtype} and shape {counts.shape}; expected integers")
        if np.any((counts < -(2**31)) | (counts >= 2**31)):
            raise InvalidArgumentError("n has a value outside the int32 range")
        if dates.size == 1 and counts.size != 1:
            dates = np.full(counts.size, dates[0], dtype=np.int32)
        elif counts.size == 1 and dates.size != 1:
            counts = np.full(dates.size, counts[0])
        elif counts.size != dates.size:
            raise InvalidArgumentError(f"length mismatch: dates has {dates.size} elements, n has {counts.size}")
        return from_days(self._c.add_working_days_bulk(dates, np.ascontiguousarray(counts, dtype=np.int32)))

    def elapsed_fraction(self, start: Any, end: Any, as_of: Any) -> Union[float, np.ndarray]:
        """Share of [start, end)'s working days elapsed by the end of ``as_of`` (as_of counts)."""
        if is_scalar(start) and is_scalar(end) and is_scalar(as_of):
            return self._c.elapsed_fraction(to_day(start, "start"), to_day(end, "end"), to_day(as_of, "as_of"))
        n = max(len(np.atleast_1d(np.asarray(x, dtype=object))) for x in (start, end, as_of))
        cols = [_column(x, name, n) for x, name in ((start, "starts"), (end, "ends"), (as_of, "as_of"))]
        return self._c.elapsed_fraction_bulk(*cols)

    def period_label(self, date: Any, grain: str) -> str:
        return self._c.period_label(to_day(date, "date"), _grain_index(grain))

    def periods(self, start: Any, end: Any, grain: str = "month"):
        """The periods of [start, end) at a grain as a pandas DataFrame with columns
        ``period, start, end, working_days``; periods are clipped to the range, ``end`` is exclusive."""
        import pandas as pd

        labels, s, e, w = self._c.periods(to_day(start, "start"), to_day(end, "end"), str(grain))
        return pd.DataFrame({"period": np.array(labels, dtype=object), "start": from_days(s), "end": from_days(e),
                             "working_days": w.astype(np.int64)})


def _grain_index(grain: str) -> int:
    if grain not in GRAINS:
        raise InvalidArgumentError(f"grain {grain!r} is unknown; expected one of {', '.join(GRAINS)}")
    return GRAINS.index(grain)


def _column(x: Any, name: str, n: int) -> np.ndarray:
    col = to_days([x] if is_scalar(x) else x, name)
    if col.size == 1 and n != 1:
        col = np.full(n, col[0], dtype=np.int32)
    return col


def _broadcast(a: Any, b: Any, an: str, bn: str) -> tuple:
    ca = to_days([a] if is_scalar(a) else a, an)
    cb = to_days([b] if is_scalar(b) else b, bn)
    if ca.size == 1 and cb.size != 1:
        ca = np.full(cb.size, ca[0], dtype=np.int32)
    elif cb.size == 1 and ca.size != 1:
        cb = np.full(ca.size, cb[0], dtype=np.int32)
    return ca, cb
