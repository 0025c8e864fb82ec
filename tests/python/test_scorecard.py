"""quotaflow.Scorecard: hand-worked scores, gates and reasons; hypothesis properties (monotone in
every KPI, total = sum of weighted points, deterministic, JSON round trip); bad input with exact
messages and JSON paths."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quotaflow as qf

KPIS = [
    {"measure": "attainment", "weight": 50,
     "curve": {"kind": "linear", "threshold": 0.75, "target": 1, "cap": 150, "threshold_points": 50}},
    {"measure": "margin_rate", "weight": 30,
     "curve": {"kind": "piecewise", "points": [{"at": 0.25, "points": 50}, {"at": 0.5, "points": 100},
                                               {"at": 0.75, "points": 150}]}},
    {"measure": "new_outlets", "weight": 20,
     "curve": {"kind": "step", "steps": [{"from": 1, "to": 3, "points": 50}, {"from": 3, "to": 5, "points": 80},
                                         {"from": 5, "points": 100}]}},
    {"measure": "collection_rate", "weight": 0, "gate": {"below": 0.8, "applies_to": "all"}},
]


def kpis(**changes):
    """KPIS with changes like kpi1_weight=20 or kpi2_curve={...}, None removes (a deep copy)."""
    out = json.loads(json.dumps(KPIS))
    for key, value in changes.items():
        i, field = key[3:].split("_", 1)
        if value is None:
            out[int(i)].pop(field)
        else:
            out[int(i)][field] = value
    return out


@pytest.fixture(scope="module")
def card() -> qf.Scorecard:
    return qf.Scorecard.from_dicts(KPIS, name="field sales")


@pytest.fixture()
def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "person": ["ann", "bob", "cy"],
        "period": ["2026-01", "2026-01", "2026-02"],
        "actual": [70.0, 70.0, 150.0], "target": [80.0, 80.0, 100.0],   # attainment 87.5%, 87.5%, 150%
        "margin_rate": [0.375, 0.375, 0.125],
        "new_outlets": [3, 3, 7],
        "collection_rate": [0.9, 0.72, 0.8],
        "region": ["N", "S", "N"],                                       # ignored
    })


def test_hand_worked(card, frame):
    assert card.kpis == ["attainment", "margin_rate", "new_outlets", "collection_rate"]
    assert card.weights == [50, 30, 20, 0]
    assert card.name == "field sales"
    totals, lines = card.score(frame)
    assert list(totals.columns) == ["person", "period", "score"]
    assert list(totals["person"]) == ["ann", "bob", "cy"]
    # ann: 75, 75, 80 points -> 37.5 + 22.5 + 16; bob: collection 72% < 80% withholds all; cy: 150 capped, 0, 100.
    np.testing.assert_allclose(totals["score"], [76.0, 0.0, 95.0], rtol=0, atol=1e-12)
    assert len(lines) == 12
    assert list(lines.columns) == ["person", "period", "kpi", "measure", "value", "points", "factor", "weighted",
                                   "gated", "reason"]
    assert list(lines["points"]) == [75, 75, 80, 0, 75, 75, 80, 0, 150, 0, 100, 0]
    assert list(lines["factor"]) == [1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1]
    assert list(lines["gated"]) == [False] * 7 + [True] + [False] * 4
    assert lines["value"][0] == 0.875
    assert list(lines["person"][:5]) == ["ann"] * 4 + ["bob"]
    assert list(lines["kpi"][4:8]) == card.kpis
    r = list(lines["reason"])
    assert r[0] == "attainment 87.5% scores 75 points"
    assert r[3] == "collection rate 90% meets the gate of 80%"
    assert r[4] == "attainment 87.5% scores 75 points; withheld by the collection rate gate"
    assert r[7] == "collection rate 72% is below the gate of 80%: bonus withheld"
    assert r[8] == "attainment 150% scores 150 points (capped)"
    assert r[9] == "margin rate 12.5% is below the threshold of 25%: 0 points"
    assert r[10] == "new outlets 7 scores 100 points"
    # Sums per row equal the totals.
    np.testing.assert_array_equal(lines.groupby("person", sort=False)["weighted"].sum().to_numpy(),
                                  totals["score"].to_numpy())
    # Without reasons, and from a dict of columns with other key names.
    t2, l2 = card.score({"who": ["x"], "when": [1], "attainment": [1.0], "margin_rate": [0.5], "new_outlets": [5],
                         "collection_rate": [1.0]}, person="who", period="when", reasons=False)
    assert t2["score"][0] == 100 and "reason" not in l2.columns


def test_gate_scales_and_named_components(frame):
    half = qf.Scorecard.from_dicts(kpis(kpi3_gate={"below": 0.8, "scale": 0.5}))
    totals, lines = half.score(frame)
    assert totals["score"][1] == 38
    assert lines["reason"][7] == "collection rate 72% is below the gate of 80%: score scaled to 50%"
    assert lines["reason"][6] == "new outlets 3 scores 80 points; scaled to 50% by the collection rate gate"
    named = qf.Scorecard.from_dicts(kpis(kpi2_gate={"below": 2, "applies_to": ["margin_rate"]}, kpi3_gate=None))
    frame["new_outlets"] = [1, 2, 7]
    totals, lines = named.score(frame)
    assert lines["reason"][7] == "collection rate 72%: not scored"  # weight 0, no curve, no gate
    assert totals["score"][0] == 37.5 + 10          # margin's 22.5 withheld
    assert totals["score"][1] == 37.5 + 22.5 + 10
    assert lines["reason"][2] == "new outlets 1 is below the gate of 2: margin rate withheld"
    assert lines["reason"][1] == "margin rate 37.5% scores 75 points; withheld by the new outlets gate"


def test_user_measures_and_json_round_trip(tmp_path):
    card = qf.Scorecard.from_dicts(
        [{"name": "quota", "measure": "attainment", "weight": 40, "curve": {"kind": "linear", "threshold": 0.5, "target": 1}},
         {"measure": "nps", "weight": 35, "curve": {"kind": "step", "steps": [{"from": 0, "points": 50}, {"from": 40, "points": 100}]}},
         {"measure": "win_rate", "weight": 25, "curve": {"kind": "linear", "threshold": 0, "target": 0.5}}],
        measures=[{"name": "nps", "label": "NPS", "unit": "number"},
                  {"name": "win_rate", "unit": "rate", "numerator": "won", "denominator": "opportunities"}])
    assert card.input_columns() == ["attainment", "actual", "target", "nps", "win_rate", "won", "opportunities"]
    frame = pd.DataFrame({"person": [1, 2], "period": [1, 1], "attainment": [0.75, 1.0], "nps": [45, 12.5],
                          "won": [1, 3], "opportunities": [4, 8]})
    totals, lines = card.score(frame)
    assert list(totals["score"]) == [20 + 35 + 12.5, 40 + 17.5 + 18.75]
    assert lines["reason"][4] == "NPS 12.5 scores 50 points"
    assert lines["reason"][5] == "win rate 37.5% scores 75 points"
    assert lines["reason"][0] == "quota 75% scores 50 points"
    path = tmp_path / "card.json"
    card.save(path)
    again = qf.Scorecard.load(path)
    assert again.to_json() == card.to_json()
    assert qf.Scorecard.from_json(card.to_json()).score(frame).totals.equals(totals)
    assert card.to_dict()["schema"] == "quotaflow.scorecard/1"


def _card_strategy():
    curve = st.one_of(
        st.tuples(st.floats(0, 1), st.floats(0.1, 1), st.floats(100, 200), st.floats(0, 100)).map(
            lambda t: {"kind": "linear", "threshold": t[0], "target": t[0] + t[1], "cap": t[2], "threshold_points": t[3]}),
        st.lists(st.tuples(st.floats(0.05, 0.5), st.floats(0, 50)), min_size=1, max_size=4).map(
            lambda steps: {"kind": "piecewise", "points": [
                {"at": float(np.cumsum([s[0] for s in steps])[i]), "points": float(np.cumsum([s[1] for s in steps])[i])}
                for i in range(len(steps))]}),
        st.lists(st.tuples(st.floats(0.05, 0.5), st.floats(0, 50)), min_size=1, max_size=4).map(
            lambda steps: {"kind": "step", "steps": [
                {"from": float(np.cumsum([s[0] for s in steps])[i]), "points": float(np.cumsum([s[1] for s in steps])[i])}
                for i in range(len(steps))]}),
    )
    kpi = st.tuples(st.integers(1, 5), curve, st.one_of(st.none(), st.tuples(st.floats(0, 1.5), st.sampled_from([0, 0.5]))))

    def build(items):
        total = sum(w for w, _, _ in items)
        weights = [100 * w // total for w, _, _ in items]
        weights[-1] = 100 - sum(weights[:-1])
        out = []
        for i, ((_, c, g), w) in enumerate(zip(items, weights)):
            k = {"name": f"k{i}", "measure": f"m{i}", "weight": w, "curve": c}
            if g is not None:
                k["gate"] = {"below": g[0], "scale": g[1]}
            out.append(k)
        return out
    return st.lists(kpi, min_size=1, max_size=5).map(build)


@settings(max_examples=60, deadline=None)
@given(_card_strategy(), st.data())
def test_properties(kpi_list, data):
    measures = [{"name": k["measure"], "unit": "rate"} for k in kpi_list]
    card = qf.Scorecard.from_dicts(kpi_list, measures=measures)
    n = 8
    values = {k["measure"]: data.draw(st.lists(st.floats(-0.5, 3), min_size=n, max_size=n)) for k in kpi_list}
    frame = pd.DataFrame({"person": range(n), "period": [0] * n, **values})
    totals, lines = card.score(frame)
    # total = sum of weighted points after gates; weighted = weight/100 x points x factor
    w = np.tile(np.array(card.weights) / 100.0, n)
    np.testing.assert_array_equal(lines["weighted"].to_numpy(), w * lines["points"].to_numpy() * lines["factor"].to_numpy())
    sums = lines["weighted"].to_numpy().reshape(n, -1)
    np.testing.assert_allclose(totals["score"].to_numpy(), sums.sum(axis=1), rtol=1e-15, atol=1e-12)
    # deterministic
    again = card.score(frame)
    assert again.totals.equals(totals) and again.lines.equals(lines)
    # monotone non-decreasing in each KPI value
    k = data.draw(st.sampled_from([kk["measure"] for kk in kpi_list]))
    up = frame.copy()
    up[k] = up[k] + data.draw(st.floats(0, 1))
    assert (card.score(up, reasons=False).totals["score"].to_numpy() >= totals["score"].to_numpy() - 1e-9).all()
    # JSON round trip
    assert qf.Scorecard.from_json(card.to_json()).score(frame).totals.equals(totals)


def test_bad_definitions():
    with pytest.raises(qf.ParseError, match=r"\$\.kpis \(line 1, column \d+\): has weights that sum to 90%; they must sum to 100%"):
        qf.Scorecard.from_dicts(kpis(kpi1_weight=20))
    with pytest.raises(qf.ParseError) as e:
        qf.Scorecard.from_dicts(kpis(kpi1_curve={"kind": "piecewise", "points": [{"at": 0.2, "points": 100},
                                                                                {"at": 0.3, "points": 90}]}))
    assert "$.kpis[1].curve.points[1].points (line 1, column" in str(e.value)
    assert str(e.value).endswith("is 90, below points[0].points (100); a scoring curve must not decrease")
    with pytest.raises(ValueError, match=r"\$\.kpis\[2\]\.curve\.steps\[1\]\.from .*: is 0, not above steps\[0\]\.from \(1\); "
                                         r"the steps must be sorted"):
        qf.Scorecard.from_dicts(kpis(kpi2_curve={"kind": "step", "steps": [{"from": 1, "points": 10}, {"from": 0, "points": 20}]}))
    with pytest.raises(qf.ParseError, match=r"\$\.kpis\[2\]\.curve\.steps\[1\]\.from .*: is 2, inside steps\[0\] \[1, 3\); "
                                            r"the steps overlap"):
        qf.Scorecard.from_dicts(kpis(kpi2_curve={"kind": "step", "steps": [{"from": 1, "to": 3, "points": 10},
                                                                           {"from": 2, "points": 20}]}))
    with pytest.raises(qf.ParseError, match=r"\$\.kpis\[2\]\.measure .*: is \"outlets\", an unknown measure; known measures: "
                                            r"attainment, margin_rate"):
        qf.Scorecard.from_dicts(kpis(kpi2_measure="outlets"))
    with pytest.raises(qf.ParseError, match=r"\$\.kpis\[0\]\.curve\.threshold .*: is 1, not below target 1"):
        qf.Scorecard.from_dicts(kpis(kpi0_curve={"kind": "linear", "threshold": 1, "target": 1}))
    with pytest.raises(qf.ParseError, match=r"scorecard JSON line 1, column 11 \(at \$\.kpis\[0\]\): expected a value"):
        qf.Scorecard.from_json('{"kpis": [}')
    with pytest.raises(qf.ParseError, match=r"\$\.kpis\[0\]\.weight \(line 1, column 47\): expected a number, got a string"):
        qf.Scorecard.from_json('{"kpis": [{"measure": "attainment", "weight": "100"}]}')
    with pytest.raises(qf.InvalidArgumentError, match="cannot be written as JSON"):
        qf.Scorecard.from_dicts(kpis(kpi0_weight=float("nan")))
    with pytest.raises(qf.FileError, match="cannot open scorecard"):
        qf.Scorecard.load("/nonexistent/card.json")


def test_bad_frames(card, frame):
    bad = frame.copy()
    bad.loc[1, "margin_rate"] = np.nan
    with pytest.raises(qf.InvalidArgumentError, match=r"^margin_rate\[1\] is NaN$"):
        card.score(bad)
    bad = frame.copy()
    bad.loc[2, "target"] = 0
    with pytest.raises(ValueError, match=r"^target\[2\] is 0; attainment = actual / target needs a non-zero target$"):
        card.score(bad)
    with pytest.raises(qf.NotFoundError, match="no column for measure collection_rate .*: give a column named "
                                               "collection_rate, or both collected and billed"):
        card.score(frame.drop(columns=["collection_rate"]))
    with pytest.raises(KeyError, match="frame has no column 'person'"):
        card.score(frame.drop(columns=["person"]))
    bad = frame.copy()
    bad["new_outlets"] = ["a", "b", "c"]
    with pytest.raises(qf.InvalidArgumentError, match="column new_outlets is not numeric"):
        card.score(bad)
    # No rows: empty frames of the same shape.
    totals, lines = card.score(frame.iloc[:0])
    assert len(totals) == 0 and len(lines) == 0
