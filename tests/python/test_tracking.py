"""quotaflow.rollup / track / price_volume_mix: hand-worked values, properties, a cross-check
against independent pandas code on 100,000 random facts, and bad input."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotaflow as qf


@pytest.fixture(scope="module")
def tree() -> qf.Hierarchy:
    # CO -> {R1, R2}; R1 -> {A, B}
    return qf.Hierarchy.from_parents([-1, 0, 0, 1, 1], names=["CO", "R1", "R2", "A", "B"])


@pytest.fixture(scope="module")
def plain() -> qf.Calendar:
    return qf.Calendar()


def test_rollup_hand_worked(tree, plain):
    node = ["A", "B", "A", "R1", "R2", "R2", "A"]
    date = ["2026-01-05", "2026-01-31", "2026-02-01", "2026-03-15", "2026-03-31", "2026-04-01", "2025-12-31"]
    amount = [10, 20, 5, 7, 100, 1000, 3]
    r = qf.rollup(tree, plain, node, date, amount, "2026-01-01", "2026-04-01")
    want = np.array([[30, 5, 107], [30, 5, 7], [0, 0, 100], [10, 5, 0], [20, 0, 0]])
    assert r.values.dtype == np.int64 and r.values.shape == (5, 3)
    np.testing.assert_array_equal(r.values, want)
    np.testing.assert_array_equal(np.asarray(r), want)
    assert list(r.periods["period"]) == ["2026-01", "2026-02", "2026-03"]
    assert list(r.periods["working_days"]) == [22, 20, 22]
    assert (r.outside_count, r.outside_amount) == (2, 1003)
    # Integer indexes, datetime64 and date objects give the same.
    r2 = qf.rollup(tree, plain, np.array([3, 4, 3, 1, 2, 2, 3]), np.array(date, dtype="datetime64[D]"),
                   np.array(amount, dtype=np.int64), dt.date(2026, 1, 1), np.datetime64("2026-04-01"))
    np.testing.assert_array_equal(r2.values, want)
    assert r.to_frame().loc["R1", "2026-03"] == 7
    # Whole floats are accepted as amounts.
    r3 = qf.rollup(tree, plain, node, date, np.array(amount, dtype=float), "2026-01-01", "2026-04-01", grain="quarter")
    np.testing.assert_array_equal(r3.values[:, 0], want.sum(axis=1))


@given(st.lists(st.tuples(st.integers(0, 4), st.integers(0, 200), st.integers(-10**9, 10**9)), max_size=60),
       st.sampled_from(["month", "week", "quarter"]))
def test_rollup_properties(tree, plain, facts, grain):
    node = np.array([f[0] for f in facts], dtype=np.int32)
    date = np.datetime64("2025-12-01") + np.array([f[1] for f in facts], dtype=np.int64).astype("timedelta64[D]")
    amount = np.array([f[2] for f in facts], dtype=np.int64)
    r = qf.rollup(tree, plain, node, date, amount, "2026-01-01", "2026-06-01", grain=grain)
    v = r.values
    np.testing.assert_array_equal(v[1], v[3] + v[4] + np.asarray(r2_own(node, date, amount, r, 1)))
    np.testing.assert_array_equal(v[0], v[1] + v[2] + np.asarray(r2_own(node, date, amount, r, 0)))
    np.testing.assert_array_equal(v[3:].sum(axis=0) + sum(np.asarray(r2_own(node, date, amount, r, k)) for k in range(3)), v[0])
    assert v[0].sum() + r.outside_amount == amount.sum()  # facts conserved
    inside = (date >= np.datetime64("2026-01-01")) & (date < np.datetime64("2026-06-01"))
    assert r.outside_count == int((~inside).sum())


def r2_own(node, date, amount, r, v):
    """Facts booked on node v itself, per period (independent of the library)."""
    out = []
    for s, e in zip(r.periods["start"], r.periods["end"]):
        m = (node == v) & (date >= np.datetime64(s, "D")) & (date < np.datetime64(e, "D"))
        out.append(int(amount[m].sum()))
    return out


def test_track_hand_worked(plain):
    h = qf.Hierarchy.from_parents([-1, 0, 0, 0], names=["CO", "X", "Y", "Z"])
    plan = np.array([[4300], [1100], [1000], [2200]])
    actual = np.array([[1520], [500], [300], [720]])
    t = qf.track(h, plain, plan, actual, "2025-09-01", "2025-10-01", "2025-09-10")
    assert list(t.columns) == ["node", "name", "period", "plan", "plan_to_date", "actual_to_date", "variance",
                               "variance_pct", "attainment", "elapsed", "pace", "projected", "projected_seasonal",
                               "required_rate", "gap_share", "status"]
    assert t["plan_to_date"].tolist() == [1564, 400, 364, 800]
    assert t["variance"].tolist() == [-44, 100, -64, -80]
    assert t["projected"].tolist() == [4180, 1375, 825, 1980]
    assert t["status"].astype(str).tolist() == ["on_track", "ahead", "at_risk", "behind"]
    assert t["elapsed"].iloc[0] == pytest.approx(8 / 22)
    assert t["pace"].iloc[1] == 1.25
    assert t["required_rate"].iloc[2] == 50.0
    assert t["variance_pct"].iloc[1] == 25.0
    assert t["attainment"].iloc[2] == 0.3
    assert np.isnan(t["gap_share"].iloc[0])
    assert t["gap_share"].iloc[1:].sum() == pytest.approx(1.0)
    # Seasonality: Fridays weigh 3.
    s = qf.track(h, plain, plan, actual, "2025-09-01", "2025-10-01", "2025-09-10", profile=[1, 1, 1, 1, 3, 0, 0])
    assert s["plan_to_date"].iloc[1] == 367  # 1100 x 10 / 30 = 366.67
    assert s["projected_seasonal"].iloc[1] == 1500
    assert s["projected"].iloc[1] == 1375
    # Thresholds are options.
    e = qf.track(h, plain, plan, actual, "2025-09-01", "2025-10-01", "2025-09-10", at_risk_pace=0.8)
    assert e["status"].astype(str).iloc[2] == "behind"


def test_price_volume_mix():
    df = qf.price_volume_mix([100, 100, 10], [1000, 2000, 50], [80, 150, 10], [960, 2850, 70], group=["g", "g", "h"])
    g = df.set_index("group").loc["g"]
    assert (g.gap, g.volume, g.price, g.mix) == (810, 450, 10, 350)
    assert (df.volume + df.price + df.mix == df.gap).all()


def _ancestor_pairs(parents: np.ndarray) -> pd.DataFrame:
    """(node, ancestor) pairs including (v, v), built by repeated merges (pandas only)."""
    pairs = pd.DataFrame({"node": np.arange(len(parents)), "anc": np.arange(len(parents))})
    frontier = pairs.copy()
    par = pd.DataFrame({"anc": np.arange(len(parents)), "up": parents})
    while True:
        frontier = frontier.merge(par, on="anc")
        frontier = frontier[frontier["up"] >= 0][["node", "up"]].rename(columns={"up": "anc"})
        if frontier.empty:
            return pairs
        pairs = pd.concat([pairs, frontier], ignore_index=True)


def test_cross_check_against_pandas_100k(plain):
    rng = np.random.default_rng(20260318)
    n = 300
    parents = np.array([-1] + [int(rng.integers(0, i)) for i in range(1, n)])
    h = qf.Hierarchy.from_parents(parents)
    facts = pd.DataFrame({
        "node": rng.integers(0, n, 100_000),
        "date": np.datetime64("2025-12-15") + rng.integers(0, 215, 100_000).astype("timedelta64[D]"),
        "amount": rng.integers(-1000, 1_000_000, 100_000),
    })
    start, end, as_of = np.datetime64("2026-01-01"), np.datetime64("2026-07-01"), np.datetime64("2026-03-18")
    r = qf.rollup(h, plain, facts["node"], facts["date"], facts["amount"], "2026-01-01", "2026-07-01")
    # Independent: pandas groupby + merge over the hierarchy.
    inside = facts[(facts["date"] >= start) & (facts["date"] < end)].copy()
    inside["period"] = inside["date"].dt.month - 1
    up = inside.merge(_ancestor_pairs(parents), on="node")
    g = up.groupby(["anc", "period"])["amount"].sum().unstack(fill_value=0).reindex(
        index=range(n), columns=range(6), fill_value=0)
    np.testing.assert_array_equal(r.values, g.to_numpy())
    outside = facts[(facts["date"] < start) | (facts["date"] >= end)]
    assert (r.outside_count, r.outside_amount) == (len(outside), int(outside["amount"].sum()))

    # track: actual = facts up to as_of; plan = random leaf plans rolled up.
    to_date = facts[facts["date"] <= as_of]
    actual = qf.rollup(h, plain, to_date["node"], to_date["date"], to_date["amount"], "2026-01-01", "2026-07-01")
    plan = np.zeros((n, 6), dtype=np.int64)
    plan[h.leaves] = rng.integers(0, 50_000_000, (len(h.leaves), 6))
    plan = np.stack([h.rollup(plan[:, k]) for k in range(6)], axis=1)
    t = qf.track(h, plain, plan, actual, "2026-01-01", "2026-07-01", "2026-03-18")
    # Independent: working days with numpy's business-day counter, measures with integer pandas ops.
    starts = np.array([f"2026-{m:02d}-01" for m in range(1, 7)], dtype="datetime64[D]")
    ends = np.array([f"2026-{m:02d}-01" for m in range(2, 8)], dtype="datetime64[D]")
    upto = np.clip(as_of + 1, starts, ends)
    wd = np.busday_count(starts, ends)
    ed = np.busday_count(starts, upto)
    over = as_of >= ends - 1
    P, A = plan.reshape(-1), actual.values.reshape(-1)
    WD, ED, OVER = np.tile(wd, n), np.tile(ed, n), np.tile(over, n)
    prod = P * ED  # < 2^63 here
    ptd = prod // WD + ((2 * (prod % WD) >= WD) & (prod % WD != 0))
    ptd = np.where(ED == 0, 0, ptd)
    np.testing.assert_array_equal(t["plan_to_date"], ptd)
    np.testing.assert_array_equal(t["variance"], A - ptd)
    with np.errstate(divide="ignore", invalid="ignore"):
        pace = np.where(ptd == 0, np.nan, A / np.where(ptd == 0, 1, ptd))
        proj_num = A.astype(object) * WD
        proj = np.array([int(np.sign(x)) * ((abs(x) * 2 // d + 1) // 2) if d else 0 for x, d in zip(proj_num, ED)],
                        dtype=object)
        proj = np.where(ED == 0, A + P - ptd, proj).astype(np.int64)
        rd = WD - ED
        req = np.where(P - A <= 0, 0.0, np.where(rd == 0, np.nan, (P - A) / np.where(rd == 0, 1, rd)))
        plan_rate = (P - ptd) / np.where(rd == 0, 1, rd)
    np.testing.assert_allclose(t["pace"], pace, rtol=1e-15, equal_nan=True)
    np.testing.assert_array_equal(t["projected"], proj)
    np.testing.assert_allclose(t["required_rate"], req, rtol=1e-15, equal_nan=True)
    status = np.select(
        [OVER & (A >= P), OVER, (P > 0) & (A >= P), (ptd <= 0) & (A > 0), ptd <= 0, pace >= 1.10, pace >= 0.95,
         (pace < 0.85) | (rd == 0) | (req > 1.5 * plan_rate)],
        ["made", "missed", "made", "ahead", "on_track", "ahead", "on_track", "at_risk"], "behind")
    assert (t["status"].astype(str).to_numpy() == status).all()
    assert set(status) >= {"made", "missed", "behind", "at_risk", "on_track"}  # the data exercise the rules


def test_bad_input(tree, plain, cn):
    ok = dict(date=["2026-01-05"], amount=[1])
    with pytest.raises(qf.NotFoundError, match=r"node\[0\] is 'Nowhere'"):
        qf.rollup(tree, plain, ["Nowhere"], start="2026-01-01", end="2026-02-01", **ok)
    with pytest.raises(qf.NotFoundError, match=r"node_of_fact\[1\] is 9"):
        qf.rollup(tree, plain, [1, 9], ["2026-01-05"] * 2, [1, 2], "2026-01-01", "2026-02-01")
    with pytest.raises(qf.InvalidArgumentError, match=r"amount\[1\] is nan"):
        qf.rollup(tree, plain, pd.Series([1, 2]), ["2026-01-05"] * 2, pd.Series([1.0, np.nan]), "2026-01-01",
                  "2026-02-01")
    with pytest.raises(qf.InvalidArgumentError, match="length mismatch"):
        qf.rollup(tree, plain, [1, 2], ["2026-01-05"], [1, 2], "2026-01-01", "2026-02-01")
    with pytest.raises(qf.OutOfRangeError, match=r"date_of_fact\[0\] is 2027-01-04"):
        qf.rollup(tree, cn, ["A"], ["2027-01-04"], [1], "2026-01-01", "2026-02-01")
    with pytest.raises(qf.OutOfRangeError):
        qf.rollup(tree, cn, ["A"], ["2026-01-04"], [1], "2026-01-01", "2027-02-01")
    with pytest.raises(qf.InvalidArgumentError, match="2-d"):
        qf.track(tree, plain, [1, 2, 3], [1, 2, 3], "2026-01-01", "2026-02-01", "2026-01-10")
    with pytest.raises(qf.InvalidArgumentError, match="plan has 4 values"):
        qf.track(tree, plain, np.zeros((2, 2)), np.zeros((5, 1)), "2026-01-01", "2026-02-01", "2026-01-10")
    with pytest.raises(qf.InvalidArgumentError, match=r"actual\[3\] is nan"):
        qf.track(tree, plain, np.zeros((5, 1)), np.array([[0], [0], [0], [np.nan], [0]]), "2026-01-01", "2026-02-01",
                 "2026-01-10")
    with pytest.raises(qf.InvalidArgumentError, match="at_risk_pace <= behind_pace"):
        qf.track(tree, plain, np.zeros((5, 1)), np.zeros((5, 1)), "2026-01-01", "2026-02-01", "2026-01-10",
                 behind_pace=2.0)
    with pytest.raises(qf.InvalidArgumentError, match="plan_revenue has 1"):
        qf.price_volume_mix([1, 2], [1], [1, 2], [1, 2])
