"""The streaming monitor (docs/streaming.md): push events as they happen, ``advance`` to a date,
read what was raised, changed or cleared since the last call; snooze and acknowledge alerts by
key; save the state to bytes and load it back after a restart.

    m = quotaflow.Monitor(org, cal, plan, "2026-04-01", "2026-07-01")
    m.push_sales(sales_frame)                     # columns node, date, amount
    changes = m.advance("2026-05-20")             # DataFrame, one row per change
    m.snooze(changes.key[0], "2026-05-27", "waiting for the Q2 order", margin=0.25)
    state = m.save()
    m2 = quotaflow.Monitor.load(state, org, cal, plan, "2026-04-01", "2026-07-01")
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

import numpy as np

from . import _core
from ._dates import to_day, to_days
from ._errors import InvalidArgumentError, NotFoundError
from .allocation import _ints
from .calendar import Calendar
from .hierarchy import Hierarchy
from .tracking import _node_indexes

__all__ = ["Monitor", "ALERT_RULES", "CHANGE_KINDS", "SEVERITIES", "ENTITY_KINDS", "NO_TIME"]

ALERT_RULES = tuple(_core.ALERT_RULES)
CHANGE_KINDS = tuple(_core.CHANGE_KINDS)
SEVERITIES = tuple(_core.SEVERITIES)
ENTITY_KINDS = tuple(_core.ENTITY_KINDS)
NO_TIME = np.iinfo(np.int64).min  # an unfinished case, a case without a planned end

_COLUMNS = ["change", "rule", "severity", "entity_kind", "entity", "related", "period", "observed", "expected",
            "message", "key"]


def _column(frame: Any, name: str) -> Any:
    try:
        return frame[name]
    except (KeyError, IndexError, TypeError):
        raise NotFoundError(f"the frame has no column \"{name}\"") from None


def _times_ns(values: Any, name: str) -> np.ndarray:
    """Timestamps as int64 nanoseconds since the epoch (UTC); NaT or None become NO_TIME."""
    import pandas as pd

    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.dtype.kind in "iu":
        return np.ascontiguousarray(arr, dtype=np.int64)
    try:
        t = pd.to_datetime(pd.Series(arr), utc=True)
    except (ValueError, TypeError) as e:
        raise InvalidArgumentError(f"{name} holds values that are not timestamps: {e}") from None
    out = t.astype("int64").to_numpy().copy()  # NaT -> int64 min, which is NO_TIME
    out[t.isna().to_numpy()] = NO_TIME
    return out


def _rule_mask(enabled: Optional[Iterable[str]]) -> int:
    if enabled is None:
        return (1 << len(ALERT_RULES)) - 1
    mask = 0
    for r in enabled:
        if r not in ALERT_RULES:
            raise InvalidArgumentError(f"rule \"{r}\" is unknown; expected one of {', '.join(ALERT_RULES)}")
        mask |= 1 << ALERT_RULES.index(r)
    return mask


def _has(frame: Any, name: str) -> bool:
    try:
        return name in frame
    except TypeError:
        return False


def _optional_nodes(hierarchy: Hierarchy, values: Any) -> np.ndarray:
    """Node indexes or names, with -1 (or None) kept as -1."""
    arr = np.asarray(values.to_numpy() if hasattr(values, "to_numpy") else values, dtype=object)
    missing = np.array([v is None or (isinstance(v, (int, np.integer)) and v == -1) for v in arr], dtype=bool)
    out = np.full(len(arr), -1, dtype=np.int32)
    if (~missing).any():
        out[~missing] = _node_indexes(hierarchy, list(arr[~missing]))
    return out


def _inputs(hierarchy: Hierarchy, stage_names: Any, collection_plan: Any, kpi_history: Any,
            sales_policy: Optional[Mapping[str, Any]], amount_scale: int) -> dict:
    """The inputs of the pipeline, per-sale, collection and chart rules, for _core.Monitor."""
    d: dict = {"amount_scale": int(amount_scale)}
    if stage_names is not None:
        d["stage_names"] = [str(s) for s in stage_names]
    if collection_plan is not None:
        d["collection_plan"] = _ints(np.asarray(collection_plan).reshape(-1), "collection_plan")
    if kpi_history is not None:
        d["kpi_history"] = np.ascontiguousarray(np.asarray(kpi_history, dtype=np.float64).reshape(-1))
    known = {"list_price", "promotional", "item_names", "max_discount_pct", "customer_tier", "floor_share",
             "ceiling_share", "critical_excess_pct", "territories", "seller_territory"}
    for k, v in (sales_policy or {}).items():
        if k not in known:
            raise InvalidArgumentError(f"sales_policy has an unknown entry \"{k}\"; expected one of {', '.join(sorted(known))}")
        if k in ("list_price", "customer_tier"):
            d[k] = _ints(v, k)
        elif k == "promotional":
            d[k] = np.ascontiguousarray(v, dtype=np.uint8)
        elif k == "max_discount_pct":
            d[k] = np.ascontiguousarray(v, dtype=np.float64)
        elif k == "item_names":
            d[k] = [str(x) for x in v]
        elif k == "territories":
            d[k] = v._h
        elif k == "seller_territory":
            geo = sales_policy.get("territories")
            if geo is None:
                raise InvalidArgumentError("sales_policy seller_territory is given without territories")
            d[k] = _optional_nodes(geo, v)
        else:
            d[k] = float(v)
    return d


class Monitor:
    """A streaming monitor over a hierarchy, a calendar and a plan (int64 (nodes, periods) matrix
    of the periods of [start, end) at ``grain``). Optional: ``visit_plan`` (same shape, planned
    visits per seller and period), ``stage_limits`` (working days allowed per stage id, NaN for
    none), ``rules`` (names of the rules to run; default all) and ``settings`` (thresholds:
    ahead_pace, behind_pace, at_risk_pace, at_risk_required, stalled_critical_factor,
    overdue_grace_days, overdue_critical_days, activity_min_ratio, case_late_critical_days,
    min_coverage, min_target_probability, target_unit, target_cells, collection_min_share,
    chart_kind ("xmr", "cusum", "ewma"), chart_rules (names, e.g. "nelson1,nelson2")).

    Inputs of the other rules: ``stage_names`` (per stage id, for messages), ``collection_plan``
    ((nodes, periods) collection targets: collection_gap), ``kpi_history`` ((nodes, H) actuals of
    the H >= 2 periods before ``start``: the control-chart baseline of chart_signal),
    ``sales_policy`` (a mapping: list_price and promotional per item id, item_names,
    max_discount_pct per tier, customer_tier per customer id, floor_share, ceiling_share,
    critical_excess_pct, territories (a Hierarchy, the geography) and seller_territory (per node:
    a territory node index or name, or -1)) and ``amount_scale`` (decimals in messages).

    Not thread-safe: one thread at a time. Pushes and ``advance`` release the GIL."""

    __slots__ = ("_m", "_hierarchy", "_calendar", "_territories")

    def __init__(self, hierarchy: Hierarchy, calendar: Calendar, plan: Any, start: Any, end: Any,
                 grain: str = "month", *, visit_plan: Any = None, stage_limits: Any = None,
                 rules: Optional[Iterable[str]] = None, settings: Optional[Mapping[str, Any]] = None,
                 stage_names: Optional[Iterable[str]] = None, collection_plan: Any = None, kpi_history: Any = None,
                 sales_policy: Optional[Mapping[str, Any]] = None, amount_scale: int = 0,
                 _snapshot: Optional[bytes] = None) -> None:
        p = np.asarray(plan)
        args = [to_day(start, "start"), to_day(end, "end"), str(grain), _ints(p.reshape(-1), "plan"),
                None if visit_plan is None else _ints(np.asarray(visit_plan).reshape(-1), "visit_plan"),
                None if stage_limits is None else np.ascontiguousarray(stage_limits, dtype=np.float64),
                dict(settings or {}, enabled=_rule_mask(rules)),
                _inputs(hierarchy, stage_names, collection_plan, kpi_history, sales_policy, amount_scale)]
        if _snapshot is None:
            self._m = _core.Monitor(hierarchy._h, calendar._c, *args)
        else:
            self._m = _core.Monitor.load(bytes(_snapshot), hierarchy._h, calendar._c, *args)
        self._hierarchy = hierarchy
        self._calendar = calendar
        self._territories = (sales_policy or {}).get("territories")

    @classmethod
    def load(cls, data: bytes, hierarchy: Hierarchy, calendar: Calendar, plan: Any, start: Any, end: Any,
             grain: str = "month", **kwargs: Any) -> "Monitor":
        """A monitor restored from ``save()``'s bytes and the configuration it was saved with.
        A damaged snapshot raises ParseError naming the damage; another configuration
        InvalidArgumentError."""
        return cls(hierarchy, calendar, plan, start, end, grain, _snapshot=data, **kwargs)

    # --- events (each frame: a DataFrame or a dict of columns) -----------------------------------
    def push_sales(self, frame: Any) -> None:
        """Columns node (index or name), date, amount (minor units; NaN is an error); optional:
        sale (int id; default the running count of sales), item and price (int item id and unit
        price: the price policy), discount_pct, customer (int id: its tier), location (a node of
        the policy's territories, index or name: the territory rule)."""
        kw = {}
        for name in ("sale", "item", "price", "customer"):
            if _has(frame, name):
                kw[name] = _ints(frame[name], name)
        if _has(frame, "discount_pct"):
            kw["discount_pct"] = np.ascontiguousarray(frame["discount_pct"], dtype=np.float64)
        if _has(frame, "location"):
            if self._territories is None:
                raise InvalidArgumentError("location is given but the monitor has no sales_policy territories")
            kw["location"] = _node_indexes(self._territories, frame["location"])
        self._m.push_sales(_node_indexes(self._hierarchy, _column(frame, "node")), to_days(_column(frame, "date"), "date"),
                           _ints(_column(frame, "amount"), "amount"), **kw)

    def push_deals(self, frame: Any) -> None:
        """Columns deal (int id), owner (node index or name), amount (>= 0, minor units),
        probability (in [0, 1]), close (expected close date). The first close date pushed for a
        deal is its original one (deal_slipped)."""
        self._m.push_deals(_ints(_column(frame, "deal"), "deal"), _node_indexes(self._hierarchy, _column(frame, "owner")),
                           _ints(_column(frame, "amount"), "amount"),
                           np.ascontiguousarray(_column(frame, "probability"), dtype=np.float64),
                           to_days(_column(frame, "close"), "close"))

    def push_stage_changes(self, frame: Any) -> None:
        """Columns deal (int id), stage (int id, -1 closes the deal), date."""
        self._m.push_stage_changes(_ints(_column(frame, "deal"), "deal"),
                                   _ints(_column(frame, "stage"), "stage").astype(np.int32),
                                   to_days(_column(frame, "date"), "date"))

    def push_invoices(self, frame: Any) -> None:
        """Columns invoice, customer (int ids), amount (> 0), due (date); optional seller (node
        index or name, or -1: the node its payments are collected for, collection_gap)."""
        seller = None
        if _has(frame, "seller"):
            seller = _optional_nodes(self._hierarchy, frame["seller"])
        self._m.push_invoices(_ints(_column(frame, "invoice"), "invoice"), _ints(_column(frame, "customer"), "customer"),
                              _ints(_column(frame, "amount"), "amount"), to_days(_column(frame, "due"), "due"), seller)

    def push_payments(self, frame: Any) -> None:
        """Columns invoice (a pushed invoice id), amount (> 0), date."""
        self._m.push_payments(_ints(_column(frame, "invoice"), "invoice"), _ints(_column(frame, "amount"), "amount"),
                              to_days(_column(frame, "date"), "date"))

    def push_visits(self, frame: Any) -> None:
        """Columns seller (node index or name), date, and count (default 1 per row)."""
        seller = _node_indexes(self._hierarchy, _column(frame, "seller"))
        try:
            count = _ints(frame["count"], "count")
        except (KeyError, IndexError):
            count = np.ones(len(seller), dtype=np.int64)
        self._m.push_visits(seller, to_days(_column(frame, "date"), "date"), count)

    def push_cases(self, frame: Any) -> None:
        """Columns case (int id), end and planned_end (timestamps; NaT/None for not set)."""
        self._m.push_cases(_ints(_column(frame, "case"), "case"), _times_ns(_column(frame, "end"), "end"),
                           _times_ns(_column(frame, "planned_end"), "planned_end"))

    # --- evaluation --------------------------------------------------------------------------------
    def advance(self, as_of: Any):
        """Runs the rules as of ``as_of`` and returns the changes since the last call as a
        DataFrame: change (raised/changed/cleared), rule, severity, entity_kind, entity, related,
        period, observed, expected, message, key (uint64, stable across runs)."""
        import pandas as pd

        c = self._m.advance(to_day(as_of, "as_of"))
        cols = dict(c)
        cols["change"] = np.array(CHANGE_KINDS, dtype=object)[c["change"]]
        cols["rule"] = np.array(ALERT_RULES, dtype=object)[c["rule"]]
        cols["severity"] = np.array(SEVERITIES, dtype=object)[c["severity"]]
        cols["entity_kind"] = np.array(ENTITY_KINDS, dtype=object)[c["entity_kind"]]
        cols["message"] = np.array(c["message"], dtype=object)
        return pd.DataFrame({k: cols[k] for k in _COLUMNS})

    def snooze(self, key: Any, until: Any, reason: str = "", margin: float = 0.0) -> None:
        """Silences an active alert until ``until`` unless it worsens by more than ``margin`` (a
        fraction of its deviation at snooze time) or rises in severity."""
        self._m.snooze(int(key), to_day(until, "until"), str(reason), float(margin))

    def acknowledge(self, key: Any, until: Any, reason: str = "") -> None:
        """Marks an active alert as seen until ``until``: figure changes are silent, a rise in
        severity is reported."""
        self._m.acknowledge(int(key), to_day(until, "until"), str(reason))

    def save(self) -> bytes:
        """The state as a versioned, checksummed binary snapshot."""
        return self._m.save()

    @property
    def sale_alerts(self) -> int:
        """Number of per-sale findings (price policy, territory) kept since the sales were pushed."""
        return int(self._m.sale_alerts)

    @property
    def active(self) -> int:
        """Number of active alerts."""
        return int(self._m.active)

    @property
    def outside_count(self) -> int:
        return int(self._m.outside_count)

    @property
    def outside_amount(self) -> int:
        return int(self._m.outside_amount)

    def __repr__(self) -> str:
        return f"Monitor({len(self._hierarchy)} nodes, {self.active} active alerts)"
