"""Date conversion: everything a user may pass becomes int32 days since 1970-01-01."""

from __future__ import annotations

import datetime as _dt
from typing import Any

import numpy as np

from . import _core
from ._errors import InvalidArgumentError, OutOfRangeError, ParseError

_EPOCH = _dt.date(1970, 1, 1)
_EPOCH_ORDINAL = _EPOCH.toordinal()

DateLike = Any  # datetime.date | str | numpy.datetime64 | int (days since 1970-01-01)


def is_scalar(value: Any) -> bool:
    return isinstance(value, (str, bytes, _dt.date, np.datetime64, int, np.integer)) or (
        isinstance(value, np.ndarray) and value.ndim == 0
    )


def to_day(value: Any, name: str) -> int:
    """One date as days since 1970-01-01."""
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if type(value).__name__ == "NaTType":  # pandas.NaT claims to be a datetime
        raise InvalidArgumentError(f"{name} is NaT")
    if isinstance(value, _dt.datetime):  # also pandas.Timestamp: its own (local) calendar date
        value = value.date()
    if isinstance(value, _dt.date):
        return value.toordinal() - _EPOCH_ORDINAL
    if isinstance(value, bytes):
        value = value.decode()
    if isinstance(value, str):
        try:
            return _core.date_parse(value)
        except ParseError as e:
            raise ParseError(f"{name}: {e}") from None
        except OutOfRangeError as e:
            raise OutOfRangeError(f"{name}: {e}") from None
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise InvalidArgumentError(f"{name} is NaT")
        return _check_int_days(int(value.astype("datetime64[D]").astype(np.int64)), name)
    if isinstance(value, (bool, np.bool_)):
        raise InvalidArgumentError(f"{name} is a bool ({value!r}), not a date")
    if isinstance(value, (int, np.integer)):
        return _check_int_days(int(value), name)
    raise InvalidArgumentError(f"{name} has type {type(value).__name__}; expected a date, an ISO string or datetime64")


def _check_int_days(v: int, name: str) -> int:
    if not (-(2**31) <= v < 2**31):
        raise OutOfRangeError(f"{name} is {v} days since 1970-01-01, outside the supported range 1900-01-01..2199-12-31")
    return v


def to_days(values: Any, name: str) -> np.ndarray:
    """A column of dates as a contiguous int32 array of days since 1970-01-01."""
    if hasattr(values, "to_numpy"):  # pandas Series / Index
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        arr = arr.reshape(-1) if arr.ndim == 0 else arr
        if arr.ndim != 1:
            raise InvalidArgumentError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    if arr.dtype == np.int32:  # already days: no copy, no check needed (C++ checks the range)
        return np.ascontiguousarray(arr)
    if arr.dtype.kind == "M":
        days = arr.astype("datetime64[D]")
        nat = np.isnat(days)
        if nat.any():
            raise InvalidArgumentError(f"{name}[{int(np.argmax(nat))}] is NaT")
        as_int = days.astype(np.int64)
    elif arr.dtype.kind in "iu":
        as_int = arr.astype(np.int64)
    elif arr.dtype.kind in "OUS" or arr.size == 0:
        if arr.size == 0:
            return np.zeros(0, dtype=np.int32)
        return np.fromiter((to_day(v, f"{name}[{i}]") for i, v in enumerate(arr.tolist())), dtype=np.int32,
                           count=arr.size)
    else:
        raise InvalidArgumentError(f"{name} has dtype {arr.dtype}; expected datetime64, integers or date strings")
    bad = (as_int < -(2**31)) | (as_int >= 2**31)
    if bad.any():
        i = int(np.argmax(bad))
        raise OutOfRangeError(f"{name}[{i}] is {int(as_int[i])} days since 1970-01-01, outside the supported range")
    return np.ascontiguousarray(as_int, dtype=np.int32)


def from_day(day: int) -> _dt.date:
    return _dt.date.fromordinal(int(day) + _EPOCH_ORDINAL)


def from_days(days: np.ndarray) -> np.ndarray:
    return np.asarray(days, dtype=np.int64).astype("datetime64[D]")
