"""Event logs and discovery: directly-follows graph, start/end activities, variants, temporal
profile and temporal conformance, returned as pandas DataFrames.

    log = qf.EventLog.from_frame(df, case="case_id", activity="activity", timestamp="time")
    log.dfg()                    # source, target, count, mean, median, min, max, sum, stdev (seconds)
    log.variants()               # variant (tuple of activity names), count
    log.temporal_conformance()   # case, source, target, seconds, zeta

Names are interned once (pandas.factorize) and the work runs in C++ with the GIL released.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np
import pandas as pd

from . import _core
from ._errors import InvalidArgumentError

__all__ = ["EventLog"]


def _codes(values: pd.Series, what: str, allow_missing: bool = False) -> tuple[np.ndarray, list, np.ndarray]:
    """(int codes, names as str, original unique values) of a string/categorical/integer column."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        codes = np.asarray(values.cat.codes, dtype=np.int64)
        uniques = np.asarray(values.cat.categories, dtype=object)
    else:
        codes, uniques = pd.factorize(values, sort=False)
        codes = np.asarray(codes, dtype=np.int64)
        uniques = np.asarray(uniques, dtype=object)
    if not allow_missing and len(codes) and codes.min() < 0:
        row = int(np.flatnonzero(codes < 0)[0])
        raise InvalidArgumentError(f"{what} column {values.name!r} is missing a value at row {row}")
    return codes, [str(u) for u in uniques], uniques


def _timestamps_ns(values: pd.Series) -> np.ndarray:
    """int64 nanoseconds since the epoch (UTC) from datetime64 of any unit, with or without zone."""
    dtype = values.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif not np.issubdtype(dtype, np.datetime64):
        raise InvalidArgumentError(
            f"timestamp column {values.name!r} has dtype {dtype}; expected datetime64 "
            "(convert text with pandas.to_datetime(..., utc=True))")
    arr = values.to_numpy()
    if arr.dtype != np.dtype("datetime64[ns]"):
        arr = arr.astype("datetime64[ns]")  # NaT stays NaT (INT64_MIN), reported by the core
    return arr.view(np.int64)


class EventLog:
    """An immutable event log: events ordered by a stable sort on (case, timestamp).

    Build it with :meth:`from_frame`, :meth:`read_csv` or :meth:`from_columns`. Cases keep the
    order of their first appearance in the input (case ids are interned in that order).
    """

    def __init__(self, core: Any, case_values: Optional[np.ndarray] = None):
        self._core = core
        self._case_values = case_values  # original case id per case key, when known

    # ---- construction -------------------------------------------------------------------------
    @classmethod
    def from_frame(cls, df: pd.DataFrame, case: str, activity: str, timestamp: str,
                   resource: Optional[str] = None, amount: Optional[str] = None) -> "EventLog":
        """A log from DataFrame columns: case and activity (and resource) as string, categorical
        or integer columns; timestamp as datetime64 of any unit, with or without time zone
        (converted to UTC); amount as integers (minor units). Missing resources mean none."""
        for col in (case, activity, timestamp, resource, amount):
            if col is not None and col not in df.columns:
                raise KeyError(f"column {col!r} is not in the frame (columns: {list(df.columns)})")
        case_keys, case_names, case_values = _codes(df[case], "case")
        acts, act_names, _ = _codes(df[activity], "activity")
        ts = _timestamps_ns(df[timestamp])
        res, res_names = None, []
        if resource is not None:
            res64, res_names, _ = _codes(df[resource], "resource", allow_missing=True)
            res = res64.astype(np.int32)
        amt = None
        if amount is not None:
            col = df[amount]
            if not np.issubdtype(col.dtype, np.integer):
                raise InvalidArgumentError(f"amount column {amount!r} has dtype {col.dtype}; expected integers (minor units)")
            amt = col.to_numpy(dtype=np.int64)
        core = _core.EventLog.from_columns(case_keys, acts.astype(np.int32), ts, act_names, res, res_names, amt,
                                           case_names)
        return cls(core, case_values)

    @classmethod
    def read_csv(cls, path, case: str = "case:concept:name", activity: str = "concept:name",
                 timestamp: str = "time:timestamp", resource: Optional[str] = None, amount: Optional[str] = None,
                 amount_scale: int = 0, delimiter: str = ",") -> "EventLog":
        """A log from a .csv or .csv.gz file read by the C++ reader (ISO 8601 timestamps with or
        without UTC offset; malformed rows raise ParseError naming the line and column)."""
        return cls(_core.EventLog.read_csv(str(path), case, activity, timestamp, resource or "", amount or "",
                                           amount_scale, delimiter))

    @classmethod
    def from_columns(cls, case_keys, activities, timestamps_ns, activity_names, resources=None, resource_names=(),
                     amounts=None, case_names=()) -> "EventLog":
        """A log from integer columns (the C++ EventLog::from_columns)."""
        return cls(_core.EventLog.from_columns(
            np.asarray(case_keys, dtype=np.int64), np.asarray(activities, dtype=np.int32),
            np.asarray(timestamps_ns, dtype=np.int64), list(activity_names),
            None if resources is None else np.asarray(resources, dtype=np.int32), list(resource_names),
            None if amounts is None else np.asarray(amounts, dtype=np.int64), list(case_names)))

    # ---- the log ------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self._core)

    @property
    def num_cases(self) -> int:
        return self._core.num_cases

    @property
    def activity_names(self) -> list:
        return self._core.activity_names

    @property
    def cases(self) -> np.ndarray:
        """The case id of each case, in the log's case order."""
        keys = self._core.case_keys
        if self._case_values is not None:
            return self._case_values[keys]
        names = self._core.case_names
        return np.asarray(names, dtype=object)[keys] if names else keys

    def to_frame(self) -> pd.DataFrame:
        """The events in the log's order: case, activity, timestamp (UTC), source_row."""
        offsets = self._core.case_offsets
        case_of_event = np.repeat(np.arange(len(offsets) - 1), np.diff(offsets))
        return pd.DataFrame({
            "case": self.cases[case_of_event],
            "activity": self._names(self._core.activities),
            "timestamp": pd.to_datetime(self._core.timestamps_ns, utc=True),
            "source_row": self._core.source_rows,
        })

    def _names(self, ids: np.ndarray) -> np.ndarray:
        return np.asarray(self._core.activity_names, dtype=object)[ids]

    # ---- discovery ----------------------------------------------------------------------------
    def dfg(self) -> pd.DataFrame:
        """Directly-follows graph: source, target, count, mean, median, min, max, sum, stdev
        (seconds; stdev is the sample standard deviation, 0 for one observation)."""
        src, dst, count, mean, median, mn, mx, total, sd = self._core.dfg()
        return pd.DataFrame({"source": self._names(src), "target": self._names(dst), "count": count, "mean": mean,
                             "median": median, "min": mn, "max": mx, "sum": total, "stdev": sd})

    def start_activities(self) -> pd.DataFrame:
        """First activity of each case: activity, count (by count descending)."""
        act, count = self._core.start_activities()
        return pd.DataFrame({"activity": self._names(act), "count": count})

    def end_activities(self) -> pd.DataFrame:
        """Last activity of each case: activity, count (by count descending)."""
        act, count = self._core.end_activities()
        return pd.DataFrame({"activity": self._names(act), "count": count})

    def variants(self) -> pd.DataFrame:
        """Distinct activity sequences: variant (a tuple of activity names), count; ordered by
        count descending, then first appearance."""
        offsets, acts, count, _first, _per_case = self._core.variants()
        names = self._names(acts)
        seqs = [tuple(names[offsets[i]:offsets[i + 1]]) for i in range(len(count))]
        return pd.DataFrame({"variant": seqs, "count": count})

    def temporal_profile(self) -> pd.DataFrame:
        """Temporal profile: source, target, mean, stdev (seconds), count; over all event pairs
        i < j of each case."""
        src, dst, count, mean, sd = self._core.temporal_profile()
        return pd.DataFrame({"source": self._names(src), "target": self._names(dst), "mean": mean, "stdev": sd,
                             "count": count})

    def temporal_conformance(self, profile: Optional[pd.DataFrame] = None, zeta: float = 6.0) -> pd.DataFrame:
        """Event pairs whose time lies outside mean +- zeta * stdev of the profile (this log's own
        profile when None; else a frame with source, target, mean, stdev by activity name).
        Columns: case, source, target, seconds, zeta (|seconds - mean| / stdev; inf when the
        profile's stdev is 0), source_position, target_position (0-based inside the case)."""
        if profile is None:
            out = self._core.temporal_conformance_self(float(zeta))
        else:
            missing = [c for c in ("source", "target", "mean", "stdev") if c not in profile.columns]
            if missing:
                raise KeyError(f"profile lacks columns {missing}; expected source, target, mean, stdev")
            codes, uniques = pd.factorize(pd.concat([profile["source"], profile["target"]], ignore_index=True))
            n = len(profile)
            out = self._core.temporal_conformance(
                [str(u) for u in uniques], codes[:n].astype(np.int32), codes[n:].astype(np.int32),
                profile["mean"].to_numpy(dtype=np.float64), profile["stdev"].to_numpy(dtype=np.float64), float(zeta))
        case_index, spos, tpos, src, dst, seconds, z = out
        return pd.DataFrame({"case": self.cases[case_index], "source": self._names(src), "target": self._names(dst),
                             "seconds": seconds, "zeta": z, "source_position": spos, "target_position": tpos})

    def __repr__(self) -> str:
        return (f"EventLog({len(self)} events, {self.num_cases} cases, "
                f"{len(self.activity_names)} activities)")
