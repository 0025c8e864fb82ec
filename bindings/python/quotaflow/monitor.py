"""Deviation detection: control charts on KPI series (X-mR with the Nelson and Western Electric
rules, tabular CUSUM, EWMA), one series or one per row of a matrix, as pandas DataFrames.

    >>> df = control_chart([10, 12, 11, 13, 12, 20], baseline=slice(0, 5))
    >>> df[["index", "rule", "value"]].values.tolist()
    [[5, 'nelson1', 20.0]]
    >>> round(df.attrs["center"], 6), round(df.attrs["sigma"], 6)
    (11.6, 1.329787)

Definitions, constants, the rule table and average run lengths: docs/monitor.md.
"""

from __future__ import annotations

from typing import Any, Optional, Sequence, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import InvalidArgumentError

__all__ = ["CHARTS", "CHART_RULES", "control_chart", "control_charts"]

CHARTS = ("xmr", "cusum", "ewma")
#: Rule names in id order: nelson1..nelson8, we1..we4, cusum_up, cusum_down, ewma.
CHART_RULES: tuple = tuple(_core.CHART_RULES)
_RULE_DTYPE = pd.CategoricalDtype(list(CHART_RULES))

Rules = Union[None, str, Sequence[str]]
Baseline = Union[None, slice, Sequence[bool], np.ndarray, pd.Series]


def _rules(rules: Rules) -> str:
    if rules is None:
        return ""
    if isinstance(rules, str):
        if not rules.strip():
            raise InvalidArgumentError("rules is an empty string; give rule names, 'nelson' or 'western_electric'")
        return rules
    names = list(rules)
    if not names:
        raise InvalidArgumentError("rules is an empty list; give rule names, 'nelson' or 'western_electric'")
    for i, name in enumerate(names):
        if not isinstance(name, str) or "," in name or not name.strip():
            raise InvalidArgumentError(f"rules[{i}] is {name!r}; expected a rule name such as 'nelson1'")
    return ",".join(names)


def _values(values: Any, ndim: int) -> np.ndarray:
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.dtype.kind not in "iufb":
        raise InvalidArgumentError(f"values has dtype {arr.dtype}; expected numbers")
    if arr.ndim != ndim:
        what = "a 1-d series" if ndim == 1 else "a 2-d matrix (series x points)"
        raise InvalidArgumentError(f"values has shape {arr.shape}; expected {what}")
    return np.ascontiguousarray(arr, dtype=np.float64)


def _baseline(baseline: Baseline, n_points: int) -> Optional[np.ndarray]:
    if baseline is None:
        return None
    if isinstance(baseline, slice):
        mask = np.zeros(n_points, dtype=np.uint8)
        mask[baseline] = 1
        return mask
    if hasattr(baseline, "to_numpy"):
        baseline = baseline.to_numpy()
    arr = np.asarray(baseline)
    if arr.dtype != np.bool_:
        raise InvalidArgumentError(f"baseline has dtype {arr.dtype}; expected a slice or a boolean mask")
    if arr.ndim != 1 or arr.shape[0] != n_points:
        raise InvalidArgumentError(f"baseline has shape {arr.shape}; expected one flag per point ({n_points})")
    return np.ascontiguousarray(arr).view(np.uint8)


def _standard(x: Any, name: str) -> Optional[np.ndarray]:
    if x is None:
        return None
    arr = np.atleast_1d(np.asarray(x, dtype=np.float64))
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{name} has shape {arr.shape}; expected a number or one per series")
    return np.ascontiguousarray(arr)


def _run(values: np.ndarray, chart: str, rules: Rules, baseline: Baseline, k: float, h: float, lam: float, L: float,
         robust: bool, center: Any, sigma: Any) -> tuple:
    if not isinstance(chart, str):
        raise InvalidArgumentError(f"chart is {chart!r}; expected one of {', '.join(CHARTS)}")
    return _core.control_charts(values, chart, _rules(rules), float(k), float(h), float(lam), float(L), bool(robust),
                                _baseline(baseline, values.shape[-1]), _standard(center, "center"),
                                _standard(sigma, "sigma"))


def _frame(cols: tuple, with_series: bool) -> pd.DataFrame:
    series, index, rule, value, center, lower, upper = cols[:7]
    data = {"index": index, "rule": pd.Categorical.from_codes(rule, dtype=_RULE_DTYPE), "value": value,
            "center": center, "lower": lower, "upper": upper}
    if with_series:
        data = {"series": series, **data}
    return pd.DataFrame(data)


def control_chart(values: Any, chart: str = "xmr", rules: Rules = None, baseline: Baseline = None, k: float = 0.5,
                  h: float = 5.0, lam: float = 0.2, L: float = 3.0, robust: bool = False, center: Optional[float] = None,
                  sigma: Optional[float] = None) -> pd.DataFrame:
    """Control chart of one series: a DataFrame with a row per signal, columns ``index`` (point
    position), ``rule`` (categorical: nelson1..nelson8, we1..we4, cusum_up, cusum_down, ewma),
    ``value``, ``center``, ``lower``, ``upper``; ordered by index, then rule id.
    ``df.attrs["center"]`` and ``df.attrs["sigma"]`` hold the centre and sigma used.

    chart: ``"xmr"`` (individuals), ``"cusum"`` (tabular, ``k`` and ``h`` in sigma units) or
    ``"ewma"`` (``lam``, ``L``; exact time-varying limits).
    rules: ``None`` for the chart's own default (xmr: the 8 Nelson rules; cusum: both sides;
    ewma: ewma), ``"nelson"``, ``"western_electric"``, a rule name, or a list of names. Run rules
    apply to xmr charts only.
    baseline: a slice or a boolean mask of the points that set the centre and sigma (default all).
    robust: median and 1.4826 MAD instead of mean and mean moving range / 1.128.
    center, sigma: known values ("standards given") instead of estimates.

    Points must be finite (NaN is an error, not a missing value). A flat baseline gives sigma 0
    and no signals.
    """
    cols = _run(_values(values, 1), chart, rules, baseline, k, h, lam, L, robust, center, sigma)
    df = _frame(cols, with_series=False)
    df.attrs["center"] = float(cols[7][0])
    df.attrs["sigma"] = float(cols[8][0])
    return df


def control_charts(matrix: Any, chart: str = "xmr", rules: Rules = None, baseline: Baseline = None, k: float = 0.5,
                   h: float = 5.0, lam: float = 0.2, L: float = 3.0, robust: bool = False, center: Any = None,
                   sigma: Any = None) -> pd.DataFrame:
    """One control chart per row of a 2-d ``matrix`` (series x points, e.g. nodes x weeks),
    with the options of :func:`control_chart`; the ``baseline`` selects points (columns) for every
    row, ``center``/``sigma`` may give one value per series. Returns the signals with a leading
    ``series`` column (row position), ordered by series, index, rule; ``df.attrs["center"]`` and
    ``df.attrs["sigma"]`` are float64 arrays with one entry per series.

    Each row's signals equal ``control_chart(matrix[row], ...)``; the whole matrix runs in C++
    without the GIL (100,000 x 52 with the Nelson rules: tens of milliseconds).
    """
    cols = _run(_values(matrix, 2), chart, rules, baseline, k, h, lam, L, robust, center, sigma)
    df = _frame(cols, with_series=True)
    df.attrs["center"] = cols[7]
    df.attrs["sigma"] = cols[8]
    return df
