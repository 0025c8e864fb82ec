"""Deal, policy, territory, receivables, activity and late-case rules of the monitor (docs/rules.md).

Every function takes columns (numpy arrays, pandas Series, lists) and returns pandas DataFrames:
alerts with the columns ``ALERT_COLUMNS`` (rule, severity, entity_kind, entity, related, period,
observed, expected, message, key) and, where a rule has them, per-entity figures. Entity columns
may hold integer ids or names (strings): names are factorised once into dense ids and the alerts
name the entities; without names an entity is ``#<id>`` in messages.

>>> alerts = late_cases(end, planned_end, case=case_ids)      # doctest: +SKIP
>>> alerts.loc[0, "message"]                                  # doctest: +SKIP
'Case case-10011: finished 2011-12-08 14:00, 1.5 days after its planned end 2011-12-07 02:00'
"""

from __future__ import annotations

from typing import Any, NamedTuple, Optional, Sequence

import numpy as np

from . import _core
from ._dates import to_day, to_days
from ._errors import InvalidArgumentError
from .allocation import _ints
from .calendar import Calendar
from .hierarchy import Hierarchy

__all__ = ["ALERT_COLUMNS", "RULE_NAMES", "RuleResult", "stall_limits", "sojourn_limits", "stalled_deals",
           "slipped_deals", "pipeline_coverage", "target_probability", "price_policy", "territory", "receivables",
           "collection_gap", "activity_compliance", "late_cases"]

ALERT_COLUMNS = ("rule", "severity", "entity_kind", "entity", "related", "period", "observed", "expected", "message",
                 "key")
RULE_NAMES = tuple(_core.RULE_NAMES)
SEVERITY_NAMES = tuple(_core.SEVERITY_NAMES)
ENTITY_KIND_NAMES = tuple(_core.ENTITY_KIND_NAMES)


class RuleResult(NamedTuple):
    """``figures``: a DataFrame of per-entity figures; ``alerts``: a DataFrame of ALERT_COLUMNS."""
    figures: Any
    alerts: Any


# ---- column helpers -------------------------------------------------------------------------------

def _array(x: Any) -> np.ndarray:
    if hasattr(x, "to_numpy"):
        x = x.to_numpy()
    return np.asarray(x)


def _ids(x: Any, name: str, names: Optional[Sequence[str]] = None, allow_missing: bool = False):
    """(int32 ids, list of names) for an entity column. Integers are ids as given (names optional);
    strings are looked up in ``names`` when given, else factorised in first-seen order. Missing
    values (None/NaN) become -1 when allowed."""
    import pandas as pd

    arr = _array(x)
    if arr.ndim != 1:
        raise InvalidArgumentError(f"{name} must be 1-dimensional, got shape {arr.shape}")
    if arr.dtype.kind in "iu":
        if arr.size and (arr.min() < -(2**31) or arr.max() >= 2**31):
            i = int(np.argmax((arr < -(2**31)) | (arr >= 2**31)))
            raise InvalidArgumentError(f"{name}[{i}] is {int(arr[i])}, beyond int32")
        return np.ascontiguousarray(arr, dtype=np.int32), list(names) if names is not None else []
    if arr.dtype.kind == "f":
        missing = np.isnan(arr)
        if missing.any() and not allow_missing:
            raise InvalidArgumentError(f"{name}[{int(np.argmax(missing))}] is NaN")
        bad = ~missing & (arr != np.round(arr))
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidArgumentError(f"{name}[{i}] is {arr[i]!r}; expected an id or a name")
        out = np.where(missing, -1, arr).astype(np.int32)
        return out, list(names) if names is not None else []
    values = pd.Series(arr, dtype=object)
    missing = values.isna().to_numpy()
    if missing.any() and not allow_missing:
        raise InvalidArgumentError(f"{name}[{int(np.argmax(missing))}] is missing")
    if names is None:
        codes, uniques = pd.factorize(values)
        return np.ascontiguousarray(codes, dtype=np.int32), [str(u) for u in uniques]
    idx = pd.Index([str(n) for n in names]).get_indexer(values.where(~values.isna(), None).astype(str))
    unknown = (idx < 0) & ~missing
    if unknown.any():
        i = int(np.argmax(unknown))
        from ._errors import NotFoundError
        raise NotFoundError(f"{name}[{i}] is {arr[i]!r}, which is not one of the {len(names)} known names")
    return np.ascontiguousarray(np.where(missing, -1, idx), dtype=np.int32), [str(n) for n in names]


def _floats(x: Any, name: str) -> np.ndarray:
    arr = _array(x)
    if arr.dtype.kind not in "iufb" and arr.size:
        raise InvalidArgumentError(f"{name} has dtype {arr.dtype}; expected numbers")
    return np.ascontiguousarray(arr, dtype=np.float64)


def _named(ids: np.ndarray, names: Sequence[str]) -> Any:
    """Entity ids as names where names are known (object array), else the ids."""
    if not names:
        return ids
    lookup = np.asarray(list(names) + [None], dtype=object)
    safe = np.where((ids >= 0) & (ids < len(names)), ids, len(names))
    return lookup[safe]


def _alerts(d: dict, entity_names: Sequence[str] = (), related_names: Sequence[str] = (), period_is_day: bool = False):
    import pandas as pd

    period = d["period"]
    frame = pd.DataFrame({
        "rule": pd.Categorical.from_codes(d["rule"].astype(np.int64), categories=RULE_NAMES),
        "severity": pd.Categorical.from_codes(d["severity"].astype(np.int64), categories=SEVERITY_NAMES),
        "entity_kind": pd.Categorical.from_codes(d["entity_kind"].astype(np.int64), categories=ENTITY_KIND_NAMES),
        "entity": _named(d["entity"], entity_names),
        "related": _named(d["related"], related_names),
        "period": period.astype("datetime64[D]").astype("datetime64[ns]") if period_is_day else period,
        "observed": d["observed"],
        "expected": d["expected"],
        "message": d["message"],
        "key": d["key"],
    })
    return frame


def _as_of(as_of: Any) -> int:
    return to_day(as_of, "as_of")


# ---- deals -------------------------------------------------------------------------------------

def stall_limits(model: Any, expected_factor: Optional[float] = None) -> np.ndarray:
    """Per stage of a ProcessModel: max_duration, else expected_factor x expected_duration, else
    NaN (terminal stages: NaN)."""
    return _core.rules_stall_limits(model._m, float("nan") if expected_factor is None else float(expected_factor))


def sojourn_limits(stage: Any, days: Any, n_stages: int, percentile: float = 90.0) -> np.ndarray:
    """Per stage: the percentile (linear interpolation) of completed stays ``days`` per ``stage`` id."""
    ids, _ = _ids(stage, "stage")
    return _core.rules_sojourn_limits(ids, _floats(days, "days"), int(n_stages), float(percentile))


def stalled_deals(deal: Any, stage: Any, entered: Any, limits: Any, calendar: Calendar, as_of: Any,
                  day_count: str = "working_days", critical_factor: float = 2.0) -> RuleResult:
    """Deals whose days in their current stage exceed the stage's limit. ``stage``: stage names or
    ids, missing (None/NaN) or -1 for closed deals; ``limits``: a dict {stage name: limit}, a
    per-stage array (ids index it), or a ProcessModel (its max_duration per stage). Days are
    counted from ``entered`` (inclusive) to ``as_of`` (exclusive), in working days of ``calendar``
    or calendar days (``day_count="calendar_days"``). Figures: deal, stage, days_in_stage."""
    import pandas as pd

    if day_count not in ("working_days", "calendar_days"):
        raise InvalidArgumentError(f"day_count is {day_count!r}; expected working_days or calendar_days")
    stage_names: Optional[list] = None
    if hasattr(limits, "_m"):  # a ProcessModel
        stage_names = list(limits.stage_names)
        limit_arr = stall_limits(limits)
    elif isinstance(limits, dict):
        stage_names = [str(k) for k in limits]
        limit_arr = np.array([np.nan if v is None else float(v) for v in limits.values()], dtype=np.float64)
    else:
        limit_arr = _floats(limits, "limits")
    deal_ids, deal_names = _ids(deal, "deal")
    stage_ids, stage_names = _ids(stage, "stage", stage_names, allow_missing=True)
    days, alerts = _core.rules_stalled(stage_ids, to_days(entered, "entered"), limit_arr, calendar._c, _as_of(as_of),
                                       day_count == "calendar_days", float(critical_factor),
                                       _names_by_row(deal_ids, deal_names), stage_names)
    figures = pd.DataFrame({"deal": _named(deal_ids, deal_names), "stage": _named(stage_ids, stage_names),
                            "days_in_stage": days})
    return RuleResult(figures, _alerts(alerts, _names_by_row(deal_ids, deal_names), stage_names))


def _names_by_row(ids: np.ndarray, names: Sequence[str]) -> list:
    """Per-row names for detectors whose entity is the row (deals, sales, invoices, cases)."""
    if not names:
        return []
    return [names[i] if 0 <= i < len(names) else f"#{i}" for i in ids.tolist()]



def slipped_deals(deal: Any, original_close: Any, current_close: Any, start: Any, end: Any, period: int = -1):
    """Deals whose close date was in [start, end) and now lies on or after ``end``."""
    deal_ids, deal_names = _ids(deal, "deal")
    rows = _names_by_row(deal_ids, deal_names)
    d = _core.rules_slipped(to_days(original_close, "original_close"), to_days(current_close, "current_close"),
                            to_day(start, "start"), to_day(end, "end"), int(period), rows)
    return _alerts(d, rows)


def pipeline_coverage(owner: Any, amount: Any, probability: Any, close: Any, start: Any, end: Any,
                      remaining_target: Any, min_coverage: float = 1.0, hierarchy: Optional[Hierarchy] = None,
                      period: int = -1, amount_scale: int = 0) -> RuleResult:
    """Weighted open pipeline (sum of round(amount x probability) over deals closing in [start,
    end)) per node, rolled up the hierarchy when one is given, over the node's remaining target.
    ``owner``: node ids, or names of the hierarchy's nodes. Figures: node, weighted, coverage."""
    import pandas as pd

    names = hierarchy.names if hierarchy is not None else None
    owner_ids, node_names = _ids(owner, "owner", names)
    rem = _ints(remaining_target, "remaining_target")
    weighted, coverage, alerts = _core.rules_pipeline_coverage(
        owner_ids, _ints(amount, "amount"), _floats(probability, "probability"), to_days(close, "close"),
        to_day(start, "start"), to_day(end, "end"), rem, float(min_coverage), int(period), int(amount_scale),
        hierarchy._h if hierarchy is not None else None, node_names if len(node_names) == len(rem) else [])
    nodes = np.arange(len(rem), dtype=np.int64)
    node_list = node_names if len(node_names) == len(rem) else []
    figures = pd.DataFrame({"node": _named(nodes, node_list), "weighted": weighted, "coverage": coverage})
    return RuleResult(figures, _alerts(alerts, node_list))


def target_probability(amount: Any, probability: Any, remaining_target: Any, owner: Any = None, unit: int = 1,
                       levels: Sequence[float] = (0.1, 0.5, 0.9), min_probability: float = 0.5, period: int = -1,
                       amount_scale: int = 0, max_cells: int = 1 << 26, node_names: Optional[Sequence[str]] = None,
                       keep_pmf: bool = False) -> RuleResult:
    """Exact P(won >= remaining target) from open deals (independent wins), by dynamic programming
    over amounts rounded to ``unit`` minor units (the won amount is off by at most n x unit / 2,
    column ``max_error``). Without ``owner`` all deals belong to one node and ``remaining_target``
    is a number. Figures: node, probability, expected, max_error, q<level> columns (and pmf when
    ``keep_pmf``)."""
    import pandas as pd

    amounts = _ints(amount, "amount")
    if owner is None:
        owner_ids = np.zeros(len(amounts), dtype=np.int32)
        rem = np.array([int(remaining_target)], dtype=np.int64)
        names: list = list(node_names) if node_names is not None else []
    else:
        owner_ids, names = _ids(owner, "owner", node_names)
        rem = _ints(remaining_target, "remaining_target")
    if names and len(names) != len(rem):
        names = []
    d = _core.rules_target_probabilities(owner_ids, amounts, _floats(probability, "probability"), rem, int(unit),
                                         [float(x) for x in levels], int(max_cells), float(min_probability),
                                         int(period), int(amount_scale), names, bool(keep_pmf))
    nodes = np.arange(len(rem), dtype=np.int64)
    cols = {"node": _named(nodes, names), "probability": d["probability"], "expected": d["expected"],
            "max_error": d["max_error"]}
    for j, level in enumerate(levels):
        cols[f"q{level:g}"] = d["quantiles"][:, j]
    figures = pd.DataFrame(cols)
    if keep_pmf:
        figures["pmf"] = d["pmf"]
    return RuleResult(figures, _alerts(d["alerts"], names))


# ---- sales lines -------------------------------------------------------------------------------

def price_policy(sale: Any, product: Any, unit_price: Any, list_price: Any, *, products: Optional[Sequence[str]] = None,
                 promotional: Any = None, discount_pct: Any = None, tier: Any = None, max_discount_pct: Any = None,
                 floor_share: float = 0.0, ceiling_share: float = float("inf"), critical_excess_pct: float = 10.0,
                 period: int = -1, amount_scale: int = 0):
    """Price policy alerts per sale: promo_not_free, price_below_floor, price_above_ceiling,
    discount_above_max. ``list_price``/``promotional`` are per product (ids, or names in
    ``products``); ``max_discount_pct`` is per tier (``tier``: ids per sale)."""
    sale_ids, sale_names = _ids(sale, "sale")
    product_ids, product_names = _ids(product, "product", products)
    d = _core.rules_check_prices(
        product_ids, None if tier is None else _ids(tier, "tier")[0], _ints(unit_price, "unit_price"),
        None if discount_pct is None else _floats(discount_pct, "discount_pct"), _ints(list_price, "list_price"),
        None if promotional is None else np.ascontiguousarray(_array(promotional), dtype=np.uint8), float(floor_share),
        float(ceiling_share), None if max_discount_pct is None else _floats(max_discount_pct, "max_discount_pct"),
        float(critical_excess_pct), int(period), int(amount_scale), _names_by_row(sale_ids, sale_names), product_names)
    return _alerts(d, _names_by_row(sale_ids, sale_names), product_names)


def territory(geography: Hierarchy, sale: Any, seller: Any, location: Any, seller_territory: Any,
              sellers: Optional[Sequence[str]] = None, period: int = -1):
    """Cross-territory sales: the sale's ``location`` (a node of ``geography``: id or name) is
    outside the subtree of its seller's territory (``seller_territory``: per seller, a node id or
    name, -1/None for unrestricted). ``seller``: per sale, an id or a name in ``sellers``."""
    sale_ids, sale_names = _ids(sale, "sale")
    seller_ids, seller_names = _ids(seller, "seller", sellers)
    geo_names = geography.names
    loc_ids, _ = _ids(location, "location", geo_names)
    terr_ids, _ = _ids(seller_territory, "seller_territory", geo_names, allow_missing=True)
    rows = _names_by_row(sale_ids, sale_names)
    d = _core.rules_check_territory(geography._h, seller_ids, loc_ids, terr_ids, int(period), rows, seller_names)
    return _alerts(d, rows, geo_names or [])


# ---- receivables -------------------------------------------------------------------------------

def receivables(invoice: Any, customer: Any, due: Any, amount: Any, as_of: Any, *, paid: Any = None,
                payment_invoice: Any = None, payment_amount: Any = None, payment_date: Any = None,
                seller: Any = None, bucket_bounds: Sequence[int] = (30, 60, 90), amount_scale: int = 0):
    """Ageing and overdue alerts as of ``as_of``. Give ``paid`` per invoice, or the payments
    (``payment_invoice`` naming invoices like ``invoice``, ``payment_amount``, optional
    ``payment_date``: later payments are left out). Returns (ageing DataFrame: one row per
    customer, one column per bucket; invoices DataFrame: outstanding, days_past_due, bucket;
    alerts DataFrame)."""
    import pandas as pd

    inv_ids, inv_names = _ids(invoice, "invoice")
    cust_ids, cust_names = _ids(customer, "customer")
    day = _as_of(as_of)
    if paid is None:
        if payment_invoice is None or payment_amount is None:
            raise InvalidArgumentError("give paid per invoice, or payment_invoice and payment_amount")
        pay_ids, _ = _ids(payment_invoice, "payment_invoice", inv_names or None)
        paid_arr = _core.rules_paid_by_invoice(pay_ids, _ints(payment_amount, "payment_amount"),
                                               None if payment_date is None else to_days(payment_date, "payment_date"),
                                               len(inv_ids), day)
    else:
        paid_arr = _ints(paid, "paid")
    seller_ids, seller_names = (None, []) if seller is None else _ids(seller, "seller", allow_missing=True)
    n_customers = int(cust_ids.max()) + 1 if len(cust_ids) else 0
    n_sellers = int(seller_ids.max()) + 1 if seller_ids is not None and len(seller_ids) else 0
    rows = _names_by_row(inv_ids, inv_names)
    r = _core.rules_receivables(cust_ids, seller_ids, to_days(due, "due"), _ints(amount, "amount"), paid_arr,
                                n_customers, n_sellers, day, [int(b) for b in bucket_bounds], True, True, True,
                                int(amount_scale), rows, cust_names, seller_names)
    labels = list(r["bucket_labels"])
    ageing = pd.DataFrame(r["ageing"], columns=labels,
                          index=pd.Index(cust_names or list(range(n_customers)), name="customer"))
    invoices = pd.DataFrame({"invoice": _named(inv_ids, inv_names), "customer": _named(cust_ids, cust_names),
                             "outstanding": r["outstanding"], "days_past_due": r["days_past_due"],
                             "bucket": pd.Categorical.from_codes(r["bucket"].astype(np.int64), categories=labels)})
    # Entity names depend on the kind: invoices (rows), customers, sellers.
    d = r["alerts"]
    kinds = d["entity_kind"]
    frame = _alerts(d)
    ent = np.asarray(d["entity"])
    names_for = {ENTITY_KIND_NAMES.index("invoice"): rows, ENTITY_KIND_NAMES.index("customer"): cust_names,
                 ENTITY_KIND_NAMES.index("seller"): seller_names}
    frame["entity"] = [(names_for[k][e] if names_for[k] else e) for k, e in zip(kinds.tolist(), ent.tolist())]
    frame["related"] = [(cust_names[x] if cust_names and x >= 0 else x) for x in np.asarray(d["related"]).tolist()]
    return ageing, invoices, frame


def collection_gap(collected: Any, target: Any, node: Any = None, min_share: float = 1.0, period: int = -1,
                   amount_scale: int = 0) -> RuleResult:
    """Collected vs the collection target per node. Figures: node, gap (target - collected), share."""
    import pandas as pd

    c = _ints(collected, "collected")
    names = [] if node is None else [str(x) for x in _array(node).tolist()]
    gap, share, alerts = _core.rules_collection_gap(c, _ints(target, "target"), float(min_share), int(period),
                                                    int(amount_scale), names)
    nodes = np.arange(len(c), dtype=np.int64)
    figures = pd.DataFrame({"node": _named(nodes, names), "gap": gap, "share": share})
    return RuleResult(figures, _alerts(alerts, names))


# ---- activities and cases ------------------------------------------------------------------------

def activity_compliance(planned: Any, done: Any, min_compliance: float = 1.0, critical_compliance: float = 0.5,
                        what: str = "activities") -> RuleResult:
    """Planned vs done visits or calls per seller and period. ``planned`` and ``done`` are
    (sellers, periods) matrices or DataFrames (index: sellers, columns: periods). Figures: seller,
    period, planned, done, compliance, shortfall."""
    import pandas as pd

    sellers = [str(x) for x in planned.index] if hasattr(planned, "index") and hasattr(planned, "columns") else []
    periods = [str(x) for x in planned.columns] if sellers else []
    p = np.asarray(planned)
    dn = np.asarray(done)
    if p.ndim != 2:
        raise InvalidArgumentError(f"planned must be a 2-d (sellers, periods) matrix, got shape {p.shape}")
    if dn.shape != p.shape:
        raise InvalidArgumentError(f"done has shape {dn.shape}; expected the shape of planned {p.shape}")
    compliance, shortfall, alerts = _core.rules_activity(
        _ints(p.reshape(-1), "planned"), _ints(dn.reshape(-1), "done"), p.shape[1], float(min_compliance),
        float(critical_compliance), str(what), sellers, periods)
    seller_ids = np.repeat(np.arange(p.shape[0], dtype=np.int64), p.shape[1])
    period_ids = np.tile(np.arange(p.shape[1], dtype=np.int64), p.shape[0])
    figures = pd.DataFrame({"seller": _named(seller_ids, sellers), "period": _named(period_ids, periods),
                            "planned": p.reshape(-1), "done": dn.reshape(-1), "compliance": compliance,
                            "shortfall": shortfall})
    frame = _alerts(alerts, sellers)
    if periods:
        frame["period"] = _named(np.asarray(alerts["period"], dtype=np.int64), periods)
    return RuleResult(figures, frame)


def _times_ns(x: Any, name: str) -> np.ndarray:
    """Timestamps (strings with offsets, datetime64, Timestamps) as int64 ns UTC; missing -> no time."""
    import pandas as pd

    arr = _array(x)
    if arr.dtype.kind in "iu":
        return np.ascontiguousarray(arr, dtype=np.int64)
    t = pd.to_datetime(pd.Series(arr, dtype=object if arr.dtype.kind in "OU" else None), utc=True)
    ns = t.to_numpy(dtype="datetime64[ns]").astype(np.int64)
    return np.ascontiguousarray(np.where(t.isna().to_numpy(), _core.RULES_NO_TIME, ns), dtype=np.int64)


def late_cases(end: Any, planned_end: Any, case: Any = None, critical_days: float = 30.0) -> RuleResult:
    """Finished cases (``end`` present) that ended strictly after ``planned_end``. Times: ISO
    strings, datetime64 or Timestamps (missing = unfinished / no plan), or int64 ns since the
    epoch. Figures: case, finished, days_late."""
    import pandas as pd

    e = _times_ns(end, "end")
    p = _times_ns(planned_end, "planned_end")
    ids, names = (np.arange(len(e), dtype=np.int32), []) if case is None else _ids(case, "case")
    rows = _names_by_row(ids, names)
    finished, days_late, alerts = _core.rules_late_cases(e, p, float(critical_days), rows)
    figures = pd.DataFrame({"case": _named(ids, names), "finished": e != _core.RULES_NO_TIME, "days_late": days_late})
    return RuleResult(figures, _alerts(alerts, rows, period_is_day=True))
