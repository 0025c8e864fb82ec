"""Incentive plans and the payout run (docs/incentives.md, "Incentive plans" and "Python").

    plan = qf.IncentivePlan.from_json("plan.json")      # a path, or the JSON text itself
    frames = plan.run(sales, quotas, calendar=qf.Calendar.preset("plain"),
                      start="2026-01-01", end="2027-01-01")
    frames.lines      # person, period, kind, component, credit, rate, tier, amount, reason
    frames.payouts    # person, period, credit, quota, attainment, ytd_attainment, earnings,
                      # clawback, draw_balance, payout  (payout == sum of the cell's lines)
    frames.draw_balance   # person, draw_balance: outstanding recoverable draw after the run

Input frames (pandas DataFrames or dicts of columns; other columns are ignored):
  sales        seller, date, amount [, sale]   amount in int minor units; `sale` names the sale
                                               (else splits and clawbacks refer to row numbers)
  quotas       person, date, quota             quota in effect from `date` until the next row
  splits       sale, person, share             shares of one sale sum to 1
  scores       person, date, kpi, score        KPI scores for bonus components
  adjustments  person, date, amount, reason    rewards (> 0) and penalties (< 0)
  clawbacks    sale, date, amount              credit reversed on `date`
  people       names, or a frame: person [, manager, hired, left]

Names are interned once into dense ids with pandas (no Python loop per row) and the columns go to
C++ as numpy arrays; the run itself releases the GIL. Every error is a :class:`quotaflow.Error`
naming the argument and the value (``sales.seller[3] is 'zed', who is not in people``,
``split shares of sale 0 (split rows 0..1) sum to 0.75; they must sum to 1 (100%)``).
"""

from __future__ import annotations

import json
import os
from typing import Any, NamedTuple, Optional

import numpy as np

from . import _core
from ._dates import to_day, to_days
from ._errors import InvalidArgumentError, NotFoundError
from .allocation import _ints
from .calendar import Calendar
from .scorecard import Scorecard

__all__ = ["IncentivePlan", "PayoutFrames", "STATEMENT_LINE_KINDS"]

STATEMENT_LINE_KINDS = tuple(_core.STATEMENT_LINE_KINDS)
_RATE_SCALE = float(_core.RATE_SCALE)


class PayoutFrames(NamedTuple):
    """What :meth:`IncentivePlan.run` returns (all amounts int64 minor units)."""

    lines: Any
    payouts: Any
    draw_balance: Any


def _frame(x: Any, name: str, required: tuple, optional: tuple = ()):
    """A DataFrame with the required columns (NotFoundError names the missing one)."""
    import pandas as pd

    if x is None:
        return None
    if not isinstance(x, pd.DataFrame):
        x = pd.DataFrame(x)
    for col in required:
        if col not in x.columns:
            raise NotFoundError(f"{name} has no column {col!r}; it has {list(map(str, x.columns))}")
    return x


def _col(frame: Any, col: str) -> np.ndarray:
    return frame[col].to_numpy()


def _floats(x: Any, name: str) -> np.ndarray:
    try:
        return np.ascontiguousarray(np.asarray(x, dtype=np.float64))
    except (TypeError, ValueError) as e:
        raise InvalidArgumentError(f"{name} is not numeric: {e}") from None


class _Ids:
    """Dense ids of a set of names (people, sales): one pandas hash lookup per column."""

    def __init__(self, names: Any, what: str) -> None:
        import pandas as pd

        self.index = pd.Index(names)
        self.what = what
        if not self.index.is_unique:
            dup = self.index[self.index.duplicated()][0]
            raise InvalidArgumentError(f"{what} lists {dup!r} twice")

    def __call__(self, values: np.ndarray, name: str) -> np.ndarray:
        ids = self.index.get_indexer(values)
        missing = ids < 0
        if missing.any():
            i = int(np.argmax(missing))
            raise NotFoundError(f"{name}[{i}] is {values[i]!r}, which is not in {self.what}")
        return np.ascontiguousarray(ids, dtype=np.int32)


class IncentivePlan:
    """A validated, immutable incentive plan (schema "quotaflow.incentive_plan/1")."""

    __slots__ = ("_plan",)

    def __init__(self, core: "_core.IncentivePlan") -> None:
        self._plan = core

    # --- building and saving -----------------------------------------------------------------

    @classmethod
    def from_json(cls, text_or_path: "str | os.PathLike[str]", source: Optional[str] = None) -> "IncentivePlan":
        """``IncentivePlan.from_json("plan.json")`` or ``IncentivePlan.from_json('{"name": ...}')``.
        Text that starts with ``{`` (after blanks) is JSON; anything else is a path, and messages
        name it (``plan.json: $.components[0].tiers[1].rate (line 9, column 31): ...``)."""
        if isinstance(text_or_path, (bytes, bytearray)):
            text_or_path = text_or_path.decode("utf-8")
        if isinstance(text_or_path, str) and text_or_path.lstrip().startswith("{"):
            return cls(_core.IncentivePlan.from_json(text_or_path, source or "plan JSON"))
        path = os.fspath(text_or_path)
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except OSError as e:
            from ._errors import FileError

            raise FileError(f"cannot open \"{path}\": {e.strerror}") from None
        return cls(_core.IncentivePlan.from_json(text, source or path))

    @classmethod
    def from_dict(cls, definition: dict) -> "IncentivePlan":
        """The JSON document as a dict (read by the same strict C++ reader)."""
        try:
            text = json.dumps(definition, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(f"the plan definition cannot be written as JSON: {e}") from None
        return cls(_core.IncentivePlan.from_json(text, "plan definition"))

    def to_json(self) -> str:
        """Canonical JSON: the same plan always gives the same bytes."""
        return self._plan.to_json()

    # Both are JSON definitions: the dict of to_json(), and to_json() written to a file.
    to_dict = Scorecard.to_dict
    save = Scorecard.save

    @property
    def name(self) -> str:
        return self._plan.name

    @property
    def components(self) -> list:
        """Component names, in plan order."""
        return list(self._plan.component_names)

    def __repr__(self) -> str:
        return f"IncentivePlan({self.name!r}, components={self.components})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, IncentivePlan) and self.to_json() == other.to_json()

    __hash__ = None  # type: ignore[assignment]

    # --- the payout run ----------------------------------------------------------------------

    def run(self, sales: Any, quotas: Any = None, *, calendar: Calendar, start: Any, end: Any, grain: str = "month",
            people: Any = None, splits: Any = None, scores: Any = None, adjustments: Any = None, clawbacks: Any = None,
            rollup: bool = False, lines: bool = True) -> PayoutFrames:
        """Pays everyone on this plan for every period of [start, end) at ``grain`` (see the module
        docstring for the input frames). ``people`` fixes who is paid (others named in the inputs
        are errors); without it, everyone named in sales, splits, quotas, scores or adjustments is,
        sorted. ``rollup=True`` also credits each ``manager`` (from ``people``) with its team's
        sales. ``lines=False`` skips the statement lines (the payouts are the same)."""
        import pandas as pd

        sales = _frame(sales, "sales", ("seller", "date", "amount"))
        quotas = _frame(quotas, "quotas", ("person", "date", "quota"))
        splits = _frame(splits, "splits", ("sale", "person", "share"))
        scores = _frame(scores, "scores", ("person", "date", "kpi", "score"))
        adjustments = _frame(adjustments, "adjustments", ("person", "date", "amount", "reason"))
        clawbacks = _frame(clawbacks, "clawbacks", ("sale", "date", "amount"))
        cols: dict = {}

        # People: given, or everyone the inputs name.
        if people is not None and isinstance(people, (pd.DataFrame, dict)):
            people = _frame(people, "people", ("person",))
            names = _col(people, "person")
        elif people is not None:
            names = np.asarray(list(people) if not hasattr(people, "to_numpy") else people.to_numpy(), dtype=object)
            people = None
        else:
            seen = [_col(sales, "seller")] + [_col(f, "person") for f in (splits, quotas, scores, adjustments) if f is not None]
            names = pd.unique(np.concatenate([np.asarray(s, dtype=object) for s in seen]))
            try:
                names = np.sort(names)
            except TypeError:  # mixed types: first appearance order
                pass
        who = _Ids(names, "people")
        cols["people"] = len(who.index)
        cols["names"] = [str(n) for n in who.index]
        if people is not None:
            if "manager" in people.columns:
                mgr = people["manager"]
                has = mgr.notna().to_numpy() & (mgr.astype(str).to_numpy() != "")
                ids = np.full(len(mgr), -1, dtype=np.int32)
                if has.any():
                    ids[has] = who(mgr.to_numpy()[has], "people.manager")
                cols["manager"] = ids
            for c in ("hired", "left"):
                if c in people.columns:
                    cols[c] = to_days(people[c], f"people.{c}")
        if rollup and "manager" not in cols:
            raise InvalidArgumentError("rollup=True needs a people frame with a manager column")
        cols["rollup"] = bool(rollup)

        # Sales, and the sale ids splits and clawbacks refer to.
        cols["sale_seller"] = who(_col(sales, "seller"), "sales.seller")
        cols["sale_date"] = to_days(sales["date"], "sales.date")
        cols["sale_amount"] = _ints(sales["amount"], "sales.amount")
        sale_ids = _Ids(_col(sales, "sale"), "sales.sale") if "sale" in sales.columns else None

        def sale_index(values: np.ndarray, name: str) -> np.ndarray:
            if sale_ids is not None:
                return sale_ids(values, name).astype(np.int64)
            return _ints(values, name)

        if splits is not None:
            s = sale_index(_col(splits, "sale"), "splits.sale")
            order = np.argsort(s, kind="stable")  # C++ wants split rows grouped by sale
            cols["split_sale"] = np.ascontiguousarray(s[order])
            cols["split_person"] = np.ascontiguousarray(who(_col(splits, "person"), "splits.person")[order])
            share = _floats(_col(splits, "share"), "splits.share")
            cols["split_share"] = np.ascontiguousarray(share[order])
        if quotas is not None:
            cols["quota_person"] = who(_col(quotas, "person"), "quotas.person")
            cols["quota_from"] = to_days(quotas["date"], "quotas.date")
            cols["quota_amount"] = _ints(quotas["quota"], "quotas.quota")
        kpis: list = []
        if scores is not None:
            codes, uniques = pd.factorize(scores["kpi"].astype(str))
            kpis = [str(k) for k in uniques]
            cols["score_person"] = who(_col(scores, "person"), "scores.person")
            cols["score_date"] = to_days(scores["date"], "scores.date")
            cols["score_kpi"] = np.ascontiguousarray(codes, dtype=np.int32)
            cols["score_value"] = _floats(_col(scores, "score"), "scores.score")
        cols["kpi_names"] = kpis
        reasons: list = []
        if adjustments is not None:
            cols["adjust_person"] = who(_col(adjustments, "person"), "adjustments.person")
            cols["adjust_date"] = to_days(adjustments["date"], "adjustments.date")
            cols["adjust_amount"] = _ints(adjustments["amount"], "adjustments.amount")
            reasons = adjustments["reason"].fillna("").astype(str).tolist()
            cols["adjust_reason"] = reasons
        if clawbacks is not None:
            cols["clawback_sale"] = sale_index(_col(clawbacks, "sale"), "clawbacks.sale")
            cols["clawback_date"] = to_days(clawbacks["date"], "clawbacks.date")
            cols["clawback_amount"] = _ints(clawbacks["amount"], "clawbacks.amount")

        r = _core.run_payouts([self._plan], calendar._c, cols, to_day(start, "start"), to_day(end, "end"), str(grain),
                              0, 2**31 - 1 if lines else 0)
        return _frames(r, who.index, self.components, reasons, sale_ids.index if sale_ids is not None else None)


def _frames(r: dict, names: Any, components: list, reasons: list, sale_names: Any) -> PayoutFrames:
    """The run's columns as DataFrames (vectorised: no Python loop over cells)."""
    import pandas as pd

    labels = np.array(r["periods"][0], dtype=object)
    person = np.asarray(names, dtype=object)[r["person"]]
    period = labels[r["period"]]
    payouts = pd.DataFrame({"person": person, "period": period})
    for c in ("credit", "quota", "attainment", "ytd_attainment", "earnings", "clawback", "draw_balance", "payout"):
        payouts[c] = r[c]
    n_periods = len(labels)
    last = payouts.iloc[n_periods - 1::n_periods] if n_periods else payouts.iloc[0:0]
    balance = pd.DataFrame({"person": last["person"].to_numpy(), "draw_balance": last["draw_balance"].to_numpy()})

    cell = np.repeat(np.arange(len(r["person"])), r["line_count"])
    kind = r["line_kind"].astype(np.int64)
    comp = r["line_component"].astype(np.int64)
    tier = r["line_tier"].astype(np.int64)
    ref = r["line_ref"].astype(np.int64)
    comp_names = np.array(list(components) + [""], dtype=object)[comp]  # -1 picks the ""
    base = r["line_base"]
    k = dict((name, i) for i, name in enumerate(STATEMENT_LINE_KINDS))
    reason = np.full(len(kind), "", dtype=object)

    def put(kind_name: str, keys: tuple, make: Any) -> None:
        """Reasons of one kind of line, made once per distinct key (component, tier, rate...) and
        spread with numpy: a statement has many lines but few distinct reasons."""
        at = np.flatnonzero(kind == k[kind_name])
        if len(at) == 0:
            return
        cols = [np.asarray(c)[at] for c in keys] or [np.zeros(len(at), np.int64)]
        code = np.zeros(len(at), np.int64)
        for c in cols:  # one int64 code per distinct key (hash-based factorize: no sort)
            labels, uniques = pd.factorize(c)
            code = code * len(uniques) + labels
        which, distinct = pd.factorize(code)
        first = np.empty(len(distinct), np.int64)
        first[which[::-1]] = np.arange(len(which) - 1, -1, -1)  # first row of each distinct key
        texts = np.array([make(*(c[i] for c in cols)) for i in first.tolist()], dtype=object)
        reason[at] = texts[which]

    names_of = list(components) + [""]  # component -1 picks ""
    put("credit", (), lambda _: "credit of the period")
    put("commission", (comp, tier, r["line_rate"]),
        lambda c, t, nano: f"{names_of[c]} tier {t + 1} at {round(nano / _RATE_SCALE * 100, 7):g}%")
    put("bonus", (comp, tier, base), lambda c, t, b: f"{names_of[c]}: KPI score {b / 1000.0:g} reaches step {t + 1}")
    put("component_cap", (comp,), lambda c: f"{names_of[c]} capped")
    put("plan_cap", (), lambda _: "plan cap")
    sale_text = (lambda s: str(sale_names[s])) if sale_names is not None else str
    put("clawback", (ref,), lambda s: f"clawback of sale {sale_text(s)}")
    if reasons:
        put("adjustment", (ref,), lambda i: reasons[i])
    put("draw", (), lambda _: "draw: earnings topped up to the guarantee")
    put("draw_recovery", (), lambda _: "recovery of the outstanding draw")
    lines = pd.DataFrame({
        "person": person[cell] if len(cell) else np.array([], dtype=object),
        "period": period[cell] if len(cell) else np.array([], dtype=object),
        "kind": pd.Categorical.from_codes(kind, categories=list(STATEMENT_LINE_KINDS)),
        "component": comp_names,
        "credit": base,
        "rate": r["line_rate"] / _RATE_SCALE,
        "tier": tier,
        "amount": r["line_amount"],
        "reason": reason,
    })
    return PayoutFrames(lines, payouts, balance)
