"""Target allocation, exact in minor units: apportionment, trees, time phasing, grids and
reconciliation. Every function returns int64 amounts whose totals hold to the unit.

>>> apportion(10, [6, 6, 2]).tolist()
[4, 4, 2]
"""

from __future__ import annotations

from typing import Any, Mapping, Optional, Sequence, Tuple, Union

import numpy as np

from . import _core
from ._dates import to_day, to_days
from ._errors import InvalidArgumentError
from .calendar import Calendar
from .hierarchy import Hierarchy

__all__ = ["METHODS", "apportion", "apportion_quotas", "blend", "capacity_weights", "ramp_factors", "allocate_tree",
           "phase", "phase_many", "allocate_grid", "reconcile", "reconcile_plan"]

METHODS = ("hamilton", "webster", "dhondt", "huntington_hill")


def _floats(x: Any, name: str) -> np.ndarray:
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    arr = np.asarray(x)
    if arr.dtype.kind not in "iufb":
        raise InvalidArgumentError(f"{name} has dtype {arr.dtype}; expected numbers")
    arr = np.ascontiguousarray(arr, dtype=np.float64)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    return arr


def _ints(x: Any, name: str) -> Optional[np.ndarray]:
    if x is None:
        return None
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    arr = np.asarray(x)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidArgumentError(f"{name}[{i}] is {arr[i]!r}; amounts are integers in minor units")
        if arr.size and (np.abs(arr).max() >= 2.0**63):
            i = int(np.argmax(np.abs(arr) >= 2.0**63))
            raise InvalidArgumentError(f"{name}[{i}] is {arr[i]!r}, beyond int64")
    elif arr.dtype.kind not in "iub" and arr.size:
        raise InvalidArgumentError(f"{name} has dtype {arr.dtype}; expected integers (minor units)")
    if arr.dtype.kind == "u" and arr.size and arr.max() >= 2**63:
        raise InvalidArgumentError(f"{name} has a value beyond int64")
    arr = np.ascontiguousarray(arr, dtype=np.int64)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    return arr


def _total(x: Any, name: str = "total") -> int:
    if isinstance(x, (bool, np.bool_)):
        raise InvalidArgumentError(f"{name} is a bool")
    if isinstance(x, (int, np.integer)):
        v = int(x)
    elif isinstance(x, (float, np.floating)) and np.isfinite(x) and float(x).is_integer():
        v = int(x)
    else:
        raise InvalidArgumentError(f"{name} is {x!r}; amounts are integers in minor units")
    if not -(2**63) <= v < 2**63:
        raise InvalidArgumentError(f"{name} is {v}, beyond int64")
    return v


def apportion(total: int, weights: Any, method: str = "hamilton", lower: Any = None, upper: Any = None) -> np.ndarray:
    """Splits ``total`` (int, minor units) into int64 amounts summing exactly to it, in proportion
    to ``weights`` (>= 0). Methods: hamilton (largest remainder, exact to quota), webster,
    dhondt, huntington_hill. ``lower``/``upper`` bound each amount. Ties: the lower index wins.
    A negative total allocates symmetrically."""
    return _core.apportion(_total(total), _floats(weights, "weights"), str(method), _ints(lower, "lower"),
                           _ints(upper, "upper"))


def apportion_quotas(total: int, weights: Any, lower: Any = None, upper: Any = None) -> np.ndarray:
    """The exact real shares before rounding (water-filled when bounded)."""
    return _core.apportion_quotas(_total(total), _floats(weights, "weights"), _ints(lower, "lower"),
                                  _ints(upper, "upper"))


def blend(drivers: Union[Mapping[str, Any], Sequence[Any]], coefficients: Union[Mapping[str, float], Sequence[float]]) -> np.ndarray:
    """Normalised blend of driver vectors (history, potential, capacity, pipeline, ...): each
    driver is scaled to sum 1, then mixed by the coefficients. Named drivers pair with named
    coefficients: ``blend({"history": h, "potential": p}, {"history": 0.7, "potential": 0.3})``."""
    if isinstance(drivers, Mapping):
        if not isinstance(coefficients, Mapping):
            raise InvalidArgumentError("named drivers need named coefficients (a dict)")
        missing = [k for k in coefficients if k not in drivers]
        if missing:
            raise InvalidArgumentError(f"coefficient {missing[0]!r} names no driver (drivers: {list(drivers)})")
        keys = list(drivers)
        cols = [_floats(drivers[k], f"drivers[{k!r}]") for k in keys]
        coefs = np.array([float(coefficients.get(k, 0.0)) for k in keys])
    else:
        cols = [_floats(d, f"drivers[{i}]") for i, d in enumerate(drivers)]
        coefs = _floats(list(coefficients), "coefficients")
    return _core.blend(cols, coefs)


def capacity_weights(headcount: Any, hours_per_week: Any, availability: Any = None) -> np.ndarray:
    """Headcount x selling hours per week (x availability in 0..1)."""
    return _core.capacity_weights(_floats(headcount, "headcount"), _floats(hours_per_week, "hours_per_week"),
                                  None if availability is None else _floats(availability, "availability"))


def ramp_factors(start_dates: Any, calendar: Calendar, period_start: Any, period_end: Any,
                 schedule: Sequence[float] = (0.25, 0.5, 0.75, 1.0)) -> np.ndarray:
    """Ramp-up factor of each person over [period_start, period_end): the working-day average of
    ``schedule[tenure month]`` (month 0 = the start month, prorated by its working days after the
    start date; the last value holds afterwards; 0 before the start)."""
    return _core.ramp_factors(to_days(start_dates, "start_dates"), calendar._c, to_day(period_start, "period_start"),
                              to_day(period_end, "period_end"), _floats(list(schedule), "schedule"))


def allocate_tree(hierarchy: Hierarchy, root_total: int, weights: Any, over_assignment: Any = 0.0,
                  lower: Any = None, upper: Any = None, method: str = "hamilton", explain: bool = False,
                  over_assignment_per_level: Any = None):
    """A target for every node: each parent's children sum exactly to the parent's amount times
    (1 + over_assignment). ``weights``: one per leaf (in ``hierarchy.leaves`` order; inner weights
    are roll-ups) or one per node. ``over_assignment``: a number, or one per node (a parent's own
    rate), or use ``over_assignment_per_level`` (by the parent's depth). Returns an int64 array in
    node order, or with ``explain=True`` a DataFrame: node, name, parent, depth, weight, quota
    (the exact real amount before rounding), amount, adjustment (amount - quota), method."""
    if isinstance(weights, Mapping) or (hasattr(weights, "index") and hasattr(weights, "items") and not isinstance(weights, np.ndarray)):
        per_node_w = hierarchy.node_values(weights, "weights", fill=0.0)
        keys = [hierarchy.index(k) for k in weights.keys()]
        leaf_set = set(hierarchy.leaves.tolist())
        # Weights named for leaves only are leaf weights (inner nodes weigh their roll-ups).
        weights = per_node_w[hierarchy.leaves] if all(k in leaf_set for k in keys) else per_node_w
    per_node = None
    rate = 0.0
    if np.ndim(over_assignment) == 0:
        rate = float(over_assignment)
    else:
        per_node = hierarchy.node_values(over_assignment, "over_assignment", fill=0.0)
    amounts, used, quotas = _core.allocate_tree(
        hierarchy._h, _total(root_total, "root_total"), _floats(weights, "weights"), str(method), rate,
        None if over_assignment_per_level is None else _floats(over_assignment_per_level, "over_assignment_per_level"),
        per_node, _ints(lower, "lower"), _ints(upper, "upper"), bool(explain))
    if not explain:
        return amounts
    import pandas as pd

    names = hierarchy.names
    return pd.DataFrame({
        "node": np.arange(len(hierarchy)),
        "name": names if names else [str(i) for i in range(len(hierarchy))],
        "parent": hierarchy.parents, "depth": hierarchy.depths, "weight": used, "quota": quotas,
        "amount": amounts, "adjustment": amounts - quotas, "method": str(method)})


def _profiles(profile: Any, n_days: int) -> Tuple[Optional[np.ndarray], Optional[np.ndarray], Optional[np.ndarray]]:
    if profile is None:
        return None, None, None
    if isinstance(profile, Mapping):
        unknown = set(profile) - {"month", "weekday", "daily"}
        if unknown:
            raise InvalidArgumentError(f"profile has unknown keys {sorted(unknown)}; expected month, weekday, daily")
        get = lambda k: None if profile.get(k) is None else _floats(profile[k], f"profile[{k!r}]")
        return get("month"), get("weekday"), get("daily")
    arr = _floats(profile, "profile")
    if arr.size == 12 and n_days != 12:
        return arr, None, None
    if arr.size == 7 and n_days != 7:
        return None, arr, None
    if arr.size == n_days:
        return None, None, arr
    raise InvalidArgumentError(f"profile has {arr.size} values; expected 12 (months), 7 (weekdays) or one per day "
                               f"({n_days}); pass a dict to be explicit")


def _periods_frame(periods: tuple):
    import pandas as pd

    labels, s, e, w = periods
    return pd.DataFrame({"period": np.array(labels, dtype=object), "start": s.astype(np.int64).astype("datetime64[D]"),
                         "end": e.astype(np.int64).astype("datetime64[D]"), "working_days": w.astype(np.int64)})


def phase(total: int, calendar: Calendar, start: Any, end: Any, grain: str = "month", profile: Any = None,
          method: str = "hamilton"):
    """Splits ``total`` over the periods of [start, end) in proportion to daily weights
    (working day x month/weekday seasonality or a per-day profile), exact to the minor unit.
    Returns a DataFrame: period, start, end, working_days, weight, target."""
    s, e = to_day(start, "start"), to_day(end, "end")
    m, w, d = _profiles(profile, max(e - s, 0))
    periods, weights, targets = _core.phase(_total(total), calendar._c, s, e, str(grain), str(method), m, w, d)
    df = _periods_frame(periods)
    df["weight"] = weights
    df["target"] = targets
    return df


def phase_many(totals: Any, calendar: Calendar, start: Any, end: Any, grain: str = "month", profile: Any = None,
               method: str = "hamilton"):
    """Bulk phasing: many targets over the same periods. Returns (matrix, periods): an int64
    matrix of len(totals) x periods whose every row sums exactly to its total, and the periods
    DataFrame (period, start, end, working_days)."""
    s, e = to_day(start, "start"), to_day(end, "end")
    m, w, d = _profiles(profile, max(e - s, 0))
    periods, matrix = _core.phase_many(_ints(totals, "totals"), calendar._c, s, e, str(grain), str(method), m, w, d)
    return matrix, _periods_frame(periods)


def allocate_grid(row_totals: Any, col_totals: Any, seed: Any, max_iterations: int = 1000, tolerance: float = 1e-9,
                  return_fitted: bool = False):
    """An int64 matrix whose rows sum exactly to ``row_totals`` and columns to ``col_totals``,
    close to the seed's proportions (IPF, then controlled rounding: every cell the floor or
    ceiling of its fitted value). Zero seed cells stay zero."""
    rows, cols = _ints(row_totals, "row_totals"), _ints(col_totals, "col_totals")
    if hasattr(seed, "to_numpy"):
        seed = seed.to_numpy()
    sd = np.asarray(seed, dtype=np.float64)
    if sd.shape != (rows.size, cols.size):
        raise InvalidArgumentError(f"seed has shape {sd.shape}; expected ({rows.size}, {cols.size})")
    cells, fitted, iterations, err = _core.allocate_grid(rows, cols, np.ascontiguousarray(sd).reshape(-1),
                                                         int(max_iterations), float(tolerance))
    if return_fitted:
        return cells, fitted
    return cells


def reconcile(hierarchy: Hierarchy, base: Any, method: str = "ols", integer: bool = True, nonnegative: bool = False,
              history: Any = None) -> np.ndarray:
    """Coherent values (every parent = the sum of its children) from one base value per node.
    Methods: bottom_up, top_down (historical proportions from ``history``, periods x nodes),
    ols and wls_struct (MinTrace, linear time on a tree). ``integer=True`` gives exact int64."""
    hist = None
    if history is not None:
        if hasattr(history, "to_numpy"):
            history = history.to_numpy()
        hist = np.ascontiguousarray(np.asarray(history, dtype=np.float64))
        if hist.ndim == 1:
            hist = hist.reshape(1, -1)
    return _core.reconcile(hierarchy._h, _floats(base, "base"), str(method), bool(integer), bool(nonnegative), hist)


def reconcile_plan(hierarchy: Hierarchy, top_down: Any, bottom_up: Any, method: str = "scale", alpha: float = 0.5):
    """Reconciles the team's bottom-up drafts (per leaf, or per node with inner values ignored)
    with management's top-down targets (per node with NaN where none is set, or a dict
    {node: target}). Returns (plan, report): the coherent int64 plan and a DataFrame per node
    with top_down, bottom_up, final, change (minor units) and change_pct."""
    import pandas as pd

    n = len(hierarchy)
    td = hierarchy.node_values(top_down, "top_down", fill=np.nan)
    bu = np.asarray(bottom_up.to_numpy() if hasattr(bottom_up, "to_numpy") else bottom_up)
    if bu.shape == (len(hierarchy.leaves),) and bu.shape != (n,):
        full = np.zeros(n, dtype=np.int64)
        full[hierarchy.leaves] = _ints(bu, "bottom_up")
        bu = full
    plan, tdv, has, buv, fin, ch, pct = _core.reconcile_plan(hierarchy._h, np.ascontiguousarray(td, dtype=np.float64),
                                                             _ints(bu, "bottom_up"), str(method), float(alpha))
    names = hierarchy.names
    report = pd.DataFrame({
        "node": np.arange(n), "name": names if names else [str(i) for i in range(n)],
        "top_down": pd.Series(pd.array(tdv, dtype="Int64")).where(has.astype(bool), pd.NA),
        "bottom_up": buv, "final": fin, "change": ch, "change_pct": pct})
    return plan, report
