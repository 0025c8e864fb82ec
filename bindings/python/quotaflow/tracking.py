"""Roll-up of actuals and plan vs actual pacing (docs/tracking.md).

``rollup`` sums fact rows into a node x period int64 matrix for every node of a hierarchy;
``track`` compares a plan matrix with an actual one as of a date, per node and period;
``price_volume_mix`` splits revenue gaps into volume, price and mix effects that sum exactly.
"""

from __future__ import annotations

from typing import Any, Optional

import numpy as np

from . import _core
from ._dates import to_day, to_days
from ._errors import InvalidArgumentError, NotFoundError
from .allocation import _ints, _periods_frame, _profiles
from .calendar import Calendar
from .hierarchy import Hierarchy

__all__ = ["Rollup", "rollup", "track", "price_volume_mix", "TRACK_STATUSES"]

TRACK_STATUSES = tuple(_core.TRACK_STATUSES)


class Rollup:
    """A roll-up: ``values`` (int64, shape (nodes, periods), hierarchy node order; ``np.asarray``
    gives it), ``periods`` (DataFrame: period, start, end, working_days), ``outside_count`` and
    ``outside_amount`` (facts dated outside [start, end), not in ``values``)."""

    __slots__ = ("values", "periods", "outside_count", "outside_amount", "_hierarchy")

    def __init__(self, values: np.ndarray, periods: Any, outside_count: int, outside_amount: int,
                 hierarchy: Hierarchy) -> None:
        self.values = values
        self.periods = periods
        self.outside_count = int(outside_count)
        self.outside_amount = int(outside_amount)
        self._hierarchy = hierarchy

    def __array__(self, dtype: Any = None, copy: Any = None) -> np.ndarray:
        return self.values if dtype is None else self.values.astype(dtype)

    def __repr__(self) -> str:
        return (f"Rollup({self.values.shape[0]} nodes x {self.values.shape[1]} periods, "
                f"{self.outside_count} facts outside the range)")

    def to_frame(self):
        """A DataFrame with one row per node (named when the hierarchy has names) and one column
        per period label."""
        import pandas as pd

        index = self._hierarchy.names or list(range(self.values.shape[0]))
        return pd.DataFrame(self.values, index=pd.Index(index, name="node"), columns=list(self.periods["period"]))


def _node_indexes(hierarchy: Hierarchy, node: Any) -> np.ndarray:
    """Node column as int32 indexes: integers as given (C++ checks the range), names resolved
    through the hierarchy's names in one vectorised lookup."""
    if hasattr(node, "to_numpy"):
        node = node.to_numpy()
    arr = np.asarray(node)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"node must be 1-dimensional, got shape {arr.shape}")
    if arr.dtype.kind in "iu":
        if arr.size and (arr.min() < -(2**31) or arr.max() >= 2**31):
            i = int(np.argmax((arr < -(2**31)) | (arr >= 2**31)))
            raise NotFoundError(f"node[{i}] is {int(arr[i])}; the hierarchy has {len(hierarchy)} nodes")
        return np.ascontiguousarray(arr, dtype=np.int32)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidArgumentError(f"node[{i}] is {arr[i]!r}; expected a node index or name")
        return _node_indexes(hierarchy, arr.astype(np.int64))
    if arr.dtype.kind in "OUS" or arr.size == 0:
        import pandas as pd

        names = hierarchy.names
        if names is None:
            raise InvalidArgumentError("node holds names but the hierarchy has no names")
        idx = pd.Index(names).get_indexer(pd.Index(arr.astype(str) if arr.dtype.kind != "O" else [str(x) for x in arr]))
        missing = idx < 0
        if missing.any():
            i = int(np.argmax(missing))
            raise NotFoundError(f"node[{i}] is {arr[i]!r}, which is not a node of the hierarchy")
        return np.ascontiguousarray(idx, dtype=np.int32)
    raise InvalidArgumentError(f"node has dtype {arr.dtype}; expected node indexes or names")


def rollup(hierarchy: Hierarchy, calendar: Calendar, node: Any, date: Any, amount: Any, start: Any, end: Any,
           grain: str = "month") -> Rollup:
    """Sums fact rows into every node (its own facts plus its descendants') per period of
    [start, end) at ``grain``. ``node``: indexes or names; ``date``: dates (datetime64, date, ISO
    strings); ``amount``: integers in minor units (floats must be whole; NaN is an error naming
    the row). Facts dated outside [start, end) are counted in ``outside_count`` and summed in
    ``outside_amount``."""
    nodes = _node_indexes(hierarchy, node)
    days = to_days(date, "date")
    amounts = _ints(amount, "amount")
    if not (len(nodes) == len(days) == len(amounts)):
        raise InvalidArgumentError(f"length mismatch: node has {len(nodes)} elements, date has {len(days)}, "
                                   f"amount has {len(amounts)}")
    values, periods, outside_count, outside_amount = _core.rollup(
        hierarchy._h, calendar._c, nodes, days, amounts, to_day(start, "start"), to_day(end, "end"), str(grain))
    return Rollup(values, _periods_frame(periods), outside_count, outside_amount, hierarchy)


def _matrix(x: Any, name: str) -> np.ndarray:
    arr = np.asarray(x)
    if arr.ndim != 2:
        raise InvalidArgumentError(f"{name} must be a 2-d (nodes, periods) array, got shape {arr.shape}")
    return _ints(arr.reshape(-1), name).reshape(arr.shape)


def track(hierarchy: Hierarchy, calendar: Calendar, plan: Any, actual: Any, start: Any, end: Any, as_of: Any,
          grain: str = "month", profile: Any = None, ahead_pace: float = 1.10, behind_pace: float = 0.95,
          at_risk_pace: float = 0.85, at_risk_required: float = 1.5):
    """Plan vs actual as of ``as_of`` (inclusive) for every node and period. ``plan`` and
    ``actual`` are int64 (nodes, periods) matrices (a Rollup works for either); ``actual`` is what
    was booked up to ``as_of``. ``profile``: seasonality as in ``phase`` (12 month weights, 7
    weekday weights, one weight per day, or a dict). Returns a DataFrame, one row per node and
    period: node, name (when the hierarchy has names), period, plan, plan_to_date,
    actual_to_date, variance, variance_pct, attainment, elapsed, pace, projected,
    projected_seasonal, required_rate, gap_share, status. docs/tracking.md defines each."""
    import pandas as pd

    p, a = _matrix(plan, "plan"), _matrix(actual, "actual")
    s, e = to_day(start, "start"), to_day(end, "end")
    m, w, d = _profiles(profile, max(e - s, 0)) if profile is not None else (None, None, None)
    r = _core.track(hierarchy._h, calendar._c, p, a, s, e, to_day(as_of, "as_of"), str(grain), m, w, d,
                    float(ahead_pace), float(behind_pace), float(at_risk_pace), float(at_risk_required))
    n, k = r["plan_to_date"].shape
    periods = _periods_frame(r["periods"])
    cols = {"node": np.repeat(np.arange(n, dtype=np.int64), k)}
    if hierarchy.names:
        cols["name"] = np.repeat(np.array(hierarchy.names, dtype=object), k)
    cols["period"] = np.tile(periods["period"].to_numpy(), n)
    cols["plan"] = p.reshape(-1)
    cols["plan_to_date"] = r["plan_to_date"].reshape(-1)
    cols["actual_to_date"] = a.reshape(-1)
    for c in ("variance", "variance_pct", "attainment"):
        cols[c] = r[c].reshape(-1)
    cols["elapsed"] = np.tile(r["elapsed"].reshape(-1), n)
    for c in ("pace", "projected", "projected_seasonal", "required_rate", "gap_share"):
        cols[c] = r[c].reshape(-1)
    cols["status"] = pd.Categorical.from_codes(r["status"].reshape(-1).astype(np.int64), categories=list(TRACK_STATUSES))
    return pd.DataFrame(cols)


def price_volume_mix(plan_quantity: Any, plan_revenue: Any, actual_quantity: Any, actual_revenue: Any,
                     group: Any = None):
    """Volume, price and mix effects of revenue gaps, one row per group (items with the same
    ``group`` value; default: one group). Quantities and revenues are integers (minor units for
    revenue). Returns a DataFrame: group, plan_quantity, actual_quantity, plan_revenue,
    actual_revenue, gap, volume, price, mix, where gap = volume + price + mix exactly."""
    import pandas as pd

    qp, rp = _ints(plan_quantity, "plan_quantity"), _ints(plan_revenue, "plan_revenue")
    qa, ra = _ints(actual_quantity, "actual_quantity"), _ints(actual_revenue, "actual_revenue")
    if group is None:
        codes, labels = np.zeros(len(qp), dtype=np.int32), np.array([0])
    else:
        codes, labels = pd.factorize(pd.Series(np.asarray(group)), sort=True)
        codes = codes.astype(np.int32)
    out = _core.price_volume_mix(codes, qp, rp, qa, ra, len(labels))
    names = ["plan_quantity", "actual_quantity", "plan_revenue", "actual_revenue", "gap", "volume", "price", "mix"]
    df = pd.DataFrame(dict(zip(names, out)))
    df.insert(0, "group", labels)
    return df
