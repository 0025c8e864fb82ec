"""Control charts from Python: hand-worked values (X-mR, robust, CUSUM, EWMA), rule selection,
baselines as slices and masks, the bulk form, bad input, and a hypothesis property: the bulk
form equals one chart per row."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, strategies as st

import quotaflow as qf

COLUMNS = ["index", "rule", "value", "center", "lower", "upper"]


def rows(df: pd.DataFrame) -> list:
    return [(int(i), str(r)) for i, r in zip(df["index"], df["rule"])]


# --- X-mR ------------------------------------------------------------------------------------
def test_xmr_by_hand_with_a_baseline_slice():
    # Baseline = first 5: mean 11.6; moving ranges 2, 1, 2, 1 -> 1.5; sigma 1.5 / 1.128.
    df = qf.control_chart([10, 12, 11, 13, 12, 20], baseline=slice(0, 5))
    assert list(df.columns) == COLUMNS
    assert rows(df) == [(5, "nelson1")]
    sigma = 1.5 / 1.128
    assert df.attrs["center"] == pytest.approx(11.6)
    assert df.attrs["sigma"] == pytest.approx(sigma)
    assert df["value"].tolist() == [20.0]
    assert df["lower"].iloc[0] == pytest.approx(11.6 - 3 * sigma)
    assert df["upper"].iloc[0] == pytest.approx(11.6 + 3 * sigma)
    assert df["index"].dtype == np.int64
    assert isinstance(df["rule"].dtype, pd.CategoricalDtype)
    assert list(df["rule"].cat.categories) == list(qf.CHART_RULES)


def test_without_a_baseline_the_outlier_widens_the_limits():
    df = qf.control_chart(np.array([10, 12, 11, 13, 12, 20]))
    assert df.empty and list(df.columns) == COLUMNS
    assert df.attrs["center"] == 13.0
    assert df.attrs["sigma"] == pytest.approx(2.8 / 1.128)


def test_baseline_mask_does_not_bridge_gaps():
    # Baseline {0, 1, 3, 4}: moving ranges of pairs (0, 1) and (3, 4) only: (1 + 2) / 2.
    mask = np.array([True, True, False, True, True])
    df = qf.control_chart(pd.Series([1.0, 2, 100, 3, 5]), baseline=mask)
    assert df.attrs["center"] == pytest.approx(2.75)
    assert df.attrs["sigma"] == pytest.approx(1.5 / 1.128)
    assert rows(df) == [(2, "nelson1")]
    assert rows(qf.control_chart([1.0, 2, 100, 3, 5], baseline=[True, True, False, True, True])) == rows(df)


def test_robust_uses_median_and_mad():
    df = qf.control_chart([4, 1, 3, 100, 2], robust=True)
    assert df.attrs["center"] == 3.0
    assert df.attrs["sigma"] == pytest.approx(1.4826)
    assert rows(df) == [(3, "nelson1")]


def test_rule_sets_and_names():
    z = [0, 2.5, 4]
    known = dict(center=0.0, sigma=1.0)
    assert rows(qf.control_chart(z, **known)) == [(2, "nelson1"), (2, "nelson5")]
    assert rows(qf.control_chart(z, rules="western_electric", **known)) == [(2, "we1"), (2, "we2")]
    assert rows(qf.control_chart(z, rules=["nelson", "we1"], **known)) == [(2, "nelson1"), (2, "nelson5"), (2, "we1")]
    assert rows(qf.control_chart(z, rules="nelson5", **known)) == [(2, "nelson5")]
    # A run of 10 on one side fires nelson2 at its 9th and 10th points.
    assert rows(qf.control_chart([0.5] * 10, **known)) == [(8, "nelson2"), (9, "nelson2")]
    assert rows(qf.control_chart([0.5] * 10, rules="we4", **known)) == [(7, "we4"), (8, "we4"), (9, "we4")]


@pytest.mark.parametrize("rule, fire, quiet, at", [
    ("nelson1", [0, 3.5, 0], [3, -3, 2.9], [1]),
    ("nelson2", [0.5] * 9, [0.5] * 4 + [0] + [0.5] * 4, [8]),
    ("nelson3", [0, 0.1, 0.2, 0.3, 0.4, 0.5], [0, 0.1, 0.2, 0.2, 0.3, 0.4], [5]),
    ("nelson4", [0.1, -0.1] * 7, [0.1, -0.1] * 6 + [0.1], [13]),
    ("nelson5", [0, 2.5, 0, 2.1], [0, 2.5, -2.5, 2.0], [3]),
    ("nelson6", [1.5, 1.5, 0, 1.5, 1.5], [1.5, 1.5, 0, 1.0, 1.5], [4]),
    ("nelson7", [0.5] * 15, [0.5] * 7 + [1.0] + [0.5] * 7, [14]),
    ("nelson8", [1.5, -1.5] * 4, [1.5] * 8, [7]),
    ("we1", [0, -3.5], [0, -3], [1]),
    ("we2", [-2.5, -2.5, 0], [-2.5, 2.5, 0], [2]),
    ("we3", [-1.5] * 4 + [0], [-1.5] * 3 + [-1] + [0], [4]),
    ("we4", [0.5] * 8, [0.5] * 7 + [-0.5], [7]),
])
def test_each_rule_fires_on_its_series_and_not_on_a_near_miss(rule, fire, quiet, at):
    known = dict(rules=rule, center=0.0, sigma=1.0)
    got = qf.control_chart(fire, **known)
    assert set(got["rule"].astype(str)) == {rule}
    assert got["index"].tolist() == at
    assert qf.control_chart(quiet, **known).empty


# --- CUSUM and EWMA --------------------------------------------------------------------------
def test_cusum_by_hand():
    df = qf.control_chart([10, 11, 12, 12, 9, 8, 7, 7], chart="cusum", h=2.0, center=10.0, sigma=1.0)
    assert rows(df) == [(3, "cusum_up"), (6, "cusum_down"), (7, "cusum_down")]
    assert df["value"].tolist() == [3.5, -4.5, -2.5]
    assert df["center"].tolist() == [0.0] * 3
    assert df["lower"].tolist() == [-2.0] * 3 and df["upper"].tolist() == [2.0] * 3
    up = qf.control_chart([10, 11, 12, 12, 9, 8, 7, 7], chart="cusum", rules="cusum_up", h=2.0, center=10.0, sigma=1.0)
    assert rows(up) == [(3, "cusum_up")]


def test_ewma_by_hand():
    df = qf.control_chart([2, 0, 0, -3], chart="ewma", lam=0.5, L=1.0, center=0.0, sigma=1.0)
    assert rows(df) == [(0, "ewma"), (3, "ewma")]
    assert df["value"].tolist() == pytest.approx([1.0, -1.375])
    assert df["upper"].tolist() == pytest.approx([0.5, math.sqrt(0.33203125)])
    assert df["lower"].tolist() == pytest.approx([-0.5, -math.sqrt(0.33203125)])


def test_flat_baseline_gives_no_signals_and_sigma_zero():
    for chart in qf.CHARTS:
        df = qf.control_chart([5, 5, 5, 5, 9, 100], chart=chart, baseline=slice(0, 4))
        assert df.empty and df.attrs["sigma"] == 0.0


# --- bulk ------------------------------------------------------------------------------------
def test_bulk_has_a_series_column_and_per_series_parameters():
    m = np.zeros((3, 10))
    m[0] = 0.5
    m[1] = 5.0
    m[2, ::2], m[2, 1::2] = 1.5, -1.5
    df = qf.control_charts(m, rules=["nelson2", "nelson8"], center=[0.0, 5.0, 0.0], sigma=1.0)
    assert list(df.columns) == ["series"] + COLUMNS
    assert list(zip(df["series"], df["index"], df["rule"].astype(str))) == [
        (0, 8, "nelson2"), (0, 9, "nelson2"), (2, 7, "nelson8"), (2, 8, "nelson8"), (2, 9, "nelson8")]
    assert df.attrs["center"].tolist() == [0.0, 5.0, 0.0]
    assert df.attrs["sigma"].tolist() == [1.0, 1.0, 1.0]
    empty = qf.control_charts(np.zeros((0, 52)))
    assert empty.empty and len(empty.attrs["center"]) == 0


@given(st.integers(1, 9), st.integers(17, 40), st.integers(0, 2**32 - 1),
       st.sampled_from([("xmr", None), ("xmr", "western_electric"), ("xmr", ["nelson", "we4"]), ("cusum", None),
                        ("ewma", None)]), st.booleans(), st.booleans())
def test_bulk_equals_one_chart_per_row(n_series, n_points, seed, chart_rules, robust, with_baseline):
    # Values on a coarse grid (ties, flat steps and exact sigma boundaries), some rows shifted.
    rng = np.random.default_rng(seed)
    m = rng.integers(-8, 9, size=(n_series, n_points)) / 2
    m[rng.random(n_series) < 0.3, 10:] += 3
    chart, rules = chart_rules
    kw = dict(chart=chart, rules=rules, robust=robust, baseline=slice(0, 12) if with_baseline else None, h=2.0,
              lam=0.5, L=2.0)
    bulk = qf.control_charts(m, **kw)
    assert (np.diff(bulk["series"].to_numpy()) >= 0).all()
    for s in range(n_series):
        one = qf.control_chart(m[s], **kw)
        part = bulk[bulk["series"] == s]
        for col in COLUMNS:
            assert np.array_equal(part[col].to_numpy(), one[col].to_numpy()), (s, col)
        assert bulk.attrs["center"][s] == one.attrs["center"]
        assert bulk.attrs["sigma"][s] == one.attrs["sigma"]


# --- bad input -------------------------------------------------------------------------------
@pytest.mark.parametrize("call, message", [
    (lambda: qf.control_chart([1, 2, float("nan"), 4]), "values[2] is NaN"),
    (lambda: qf.control_charts(np.array([[1, 2], [3, np.inf]])), "values[1, 1] is inf"),
    (lambda: qf.control_chart([]), "values is empty"),
    (lambda: qf.control_chart([1.0]), "baseline has 1 point"),
    (lambda: qf.control_chart([1, 2, 3], baseline=slice(0, 1)), "baseline has 1 point"),
    (lambda: qf.control_chart([1, 2, 3, 4], baseline=[True, False, True, False]), "no two adjacent points"),
    (lambda: qf.control_chart([1, 2, 3], rules="nelson9"), '"nelson9" is unknown'),
    (lambda: qf.control_chart([1, 2, 3], rules=[]), "rules is an empty list"),
    (lambda: qf.control_chart([1, 2, 3], rules=["nelson1", 5]), "rules[1] is 5"),
    (lambda: qf.control_chart([1, 2, 3], chart="xbar"), '"xbar" is unknown'),
    (lambda: qf.control_chart([1, 2, 3], chart="cusum", rules="nelson"), "cusum charts take only cusum_up,cusum_down"),
    (lambda: qf.control_chart([1, 2, 3], chart="cusum", k=-1), "k is -1"),
    (lambda: qf.control_chart([1, 2, 3], chart="cusum", h=0), "h is 0"),
    (lambda: qf.control_chart([1, 2, 3], chart="ewma", lam=1.5), "lambda is 1.5"),
    (lambda: qf.control_chart([1, 2, 3], chart="ewma", L=float("nan")), "L is nan"),
    (lambda: qf.control_chart([1, 2, 3], sigma=0.0), "sigma[0] is 0"),
    (lambda: qf.control_chart([1, 2, 3], baseline=[1, 0, 1]), "expected a slice or a boolean mask"),
    (lambda: qf.control_chart([1, 2, 3], baseline=[True, False]), "one flag per point (3)"),
    (lambda: qf.control_chart(np.ones((2, 3))), "expected a 1-d series"),
    (lambda: qf.control_charts([1, 2, 3]), "expected a 2-d matrix"),
    (lambda: qf.control_chart(["a", "b"]), "expected numbers"),
    (lambda: qf.control_charts(np.ones((3, 4)), center=[1.0, 2.0]), "center has 2 entries"),
])
def test_bad_input_names_argument_and_value(call, message):
    with pytest.raises(qf.InvalidArgumentError) as e:
        call()
    assert message in str(e.value)
    assert isinstance(e.value, ValueError)
