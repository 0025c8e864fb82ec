"""quotaflow.Monitor: changes on a hand-worked stream, snooze/acknowledge, save/load (hypothesis:
a restored monitor continues exactly like the original), damaged snapshots, bad input, and the
receipt log's late cases."""

from __future__ import annotations

import os
import pathlib

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quotaflow as qf


@pytest.fixture(scope="module")
def org() -> qf.Hierarchy:
    return qf.Hierarchy.from_parents([-1, 0, 0], names=["ALL", "EAST", "WEST"])


def september(org, **kw) -> qf.Monitor:
    return qf.Monitor(org, qf.Calendar(), np.array([[2200], [1100], [1100]]), "2025-09-01", "2025-10-01", **kw)


def test_raised_changed_cleared(org):
    m = september(org)
    m.push_sales(pd.DataFrame({"node": ["EAST", "WEST"], "date": ["2025-09-02", "2025-09-03"], "amount": [400, 300]}))
    c = m.advance("2025-09-10")
    assert list(c.columns) == ["change", "rule", "severity", "entity_kind", "entity", "related", "period", "observed",
                               "expected", "message", "key"]
    assert list(c.change) == ["raised", "raised"]
    assert list(c.rule) == ["pace_behind", "pace_at_risk"]
    assert list(c.severity) == ["warning", "critical"]
    assert list(c.entity) == [0, 2]
    assert list(c.observed) == [700, 300] and list(c.expected) == [800, 400]
    assert c.message[1] == "WEST is at risk in 2025-09: 300 of 400 planned to date (pace 0.75)"
    assert m.advance("2025-09-10").empty
    m.push_sales({"node": [2], "date": ["2025-09-10"], "amount": [20]})
    c = m.advance("2025-09-10")
    assert list(c.change) == ["changed", "changed"] and list(c.observed) == [720, 320]
    m.push_sales({"node": [2], "date": ["2025-09-10"], "amount": [80]})
    c = m.advance("2025-09-10")
    assert sorted(c.change) == ["cleared", "cleared"]
    assert m.active == 0


def test_keys_are_stable_across_runs(org):
    def run():
        m = september(org)
        m.push_sales({"node": ["WEST"], "date": ["2025-09-03"], "amount": [300]})
        return list(m.advance("2025-09-10").key)

    assert run() == run()
    assert len(set(run())) == 3


def test_snooze_until_date_and_broken_by_margin(org):
    m = september(org, stage_limits=[5.0], rules=["deal_stalled", "pace_at_risk"])
    m.push_stage_changes({"deal": [7], "stage": [0], "date": ["2025-09-01"]})
    m.push_sales({"node": ["EAST", "WEST"], "date": ["2025-09-02", "2025-09-03"], "amount": [400, 300]})
    c = m.advance("2025-09-09")   # WEST 300 vs 350 is only behind (not enabled); the deal: 6 days
    deal = c[c.rule == "deal_stalled"].iloc[0]
    assert (deal.entity_kind, deal.entity, deal.observed, deal.expected) == ("deal", 7, 6.0, 5.0)
    m.snooze(deal.key, "2025-09-12", "customer on holiday", margin=10)
    c = m.advance("2025-09-10")   # WEST 300 vs 400: at risk; the deal (7 days, deviation 2 <= 11) silent
    assert list(c.rule) == ["pace_at_risk"] and list(c.entity) == [2]
    m.snooze(c.key[0], "2025-09-30", "big order", margin=0.25)
    m.push_sales({"node": ["WEST"], "date": ["2025-09-10"], "amount": [10]})
    assert m.advance("2025-09-10").empty   # WEST 310 vs 400: deviation 90 <= 125
    c = m.advance("2025-09-11")   # WEST 310 vs 450: 140 > 125, raised again
    row = c[(c.rule == "pace_at_risk") & (c.entity == 2)]
    assert list(row.change) == ["raised"] and list(row.expected) == [450]
    assert not (c.entity_kind == "deal").any()
    c = m.advance("2025-09-12")   # the deal's snooze ends on its date
    row = c[c.entity_kind == "deal"]
    assert list(row.change) == ["raised"] and list(row.observed) == [9]


def test_acknowledge(org):
    m = september(org, stage_limits=[5.0], rules=["deal_stalled"])
    m.push_stage_changes({"deal": [7], "stage": [0], "date": ["2025-09-01"]})
    key = m.advance("2025-09-09").key[0]
    m.acknowledge(key, "2025-09-30", "called")
    assert m.advance("2025-09-10").empty
    c = m.advance("2025-09-16")
    assert list(c.change) == ["changed"] and list(c.severity) == ["critical"]


def test_bad_input(org):
    cal = qf.Calendar(valid_from="2025-01-01", valid_until="2026-01-01")
    m = september(org)
    with pytest.raises(qf.NotFoundError, match="node\\[0\\] is 'NORTH', which is not a node"):
        m.push_sales({"node": ["NORTH"], "date": ["2025-09-02"], "amount": [1]})
    with pytest.raises(qf.NotFoundError, match=r"node\[1\] is 3; the hierarchy has 3 nodes"):
        m.push_sales({"node": [1, 3], "date": ["2025-09-02", "2025-09-02"], "amount": [1, 1]})
    with pytest.raises(qf.InvalidArgumentError, match=r"amount\[1\] is nan"):
        m.push_sales({"node": [1, 1], "date": ["2025-09-02", "2025-09-02"], "amount": [1.0, float("nan")]})
    with pytest.raises(qf.NotFoundError, match="no column \"amount\""):
        m.push_sales({"node": [1], "date": ["2025-09-02"]})
    with pytest.raises(qf.NotFoundError, match=r"invoice\[0\] is 5; no invoice"):
        m.push_payments({"invoice": [5], "amount": [1], "date": ["2025-09-02"]})
    with pytest.raises(qf.InvalidArgumentError, match="rule \"nope\" is unknown"):
        september(org, rules=["nope"])
    with pytest.raises(qf.InvalidArgumentError, match="unknown setting \"speed\""):
        september(org, settings={"speed": 1})
    with pytest.raises(qf.NotFoundError, match="alert key 1"):
        m.snooze(1, "2025-09-20")
    m2 = qf.Monitor(org, cal, np.array([[2200], [1100], [1100]]), "2025-09-01", "2025-10-01")
    with pytest.raises(qf.OutOfRangeError, match=r"date\[0\] is 2026-02-01, outside the calendar's valid range"):
        m2.push_sales({"node": [1], "date": ["2026-02-01"], "amount": [1]})
    assert m.save() == september(org).save()  # nothing above changed the state


def test_save_load_and_damage(org):
    m = september(org, stage_limits=[5.0])
    m.push_sales({"node": ["WEST"], "date": ["2025-09-03"], "amount": [300]})
    m.push_stage_changes({"deal": [7], "stage": [0], "date": ["2025-09-01"]})
    m.advance("2025-09-10")
    state = m.save()
    assert state[:8] == b"QFMONSNP"
    back = qf.Monitor.load(state, org, qf.Calendar(), np.array([[2200], [1100], [1100]]), "2025-09-01", "2025-10-01",
                           stage_limits=[5.0])
    assert back.save() == state and back.active == m.active
    for n in (0, 10, 23, len(state) - 1):
        with pytest.raises(qf.ParseError, match="snapshot is truncated"):
            qf.Monitor.load(state[:n], org, qf.Calendar(), np.array([[2200], [1100], [1100]]), "2025-09-01", "2025-10-01")
    bad = bytearray(state)
    bad[40] ^= 1
    with pytest.raises(qf.ParseError, match="checksum mismatch"):
        qf.Monitor.load(bytes(bad), org, qf.Calendar(), np.array([[2200], [1100], [1100]]), "2025-09-01", "2025-10-01")
    with pytest.raises(qf.InvalidArgumentError, match="different hierarchy, calendar, periods or plan"):
        qf.Monitor.load(state, org, qf.Calendar(), np.array([[2200], [1100], [1000]]), "2025-09-01", "2025-10-01")


_event = st.one_of(
    st.tuples(st.just("sale"), st.integers(1, 2), st.integers(0, 29), st.integers(0, 500)),
    st.tuples(st.just("stage"), st.integers(0, 5), st.integers(-1, 1), st.integers(0, 29)),
    st.tuples(st.just("advance"), st.integers(0, 29), st.just(0), st.just(0)),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(_event, min_size=1, max_size=40), st.integers(0, 40))
def test_restore_continues_identically(events, split):
    org = qf.Hierarchy.from_parents([-1, 0, 0])
    plan = np.array([[2200], [1100], [1100]])
    day = pd.Timestamp("2025-09-01")
    mk = lambda: qf.Monitor(org, qf.Calendar(), plan, "2025-09-01", "2025-10-01", stage_limits=[2.0, 4.0])
    a = mk()
    b = None
    for i, (kind, x, y, z) in enumerate(events):
        if i == min(split, len(events) - 1):
            b = qf.Monitor.load(a.save(), org, qf.Calendar(), plan, "2025-09-01", "2025-10-01", stage_limits=[2.0, 4.0])
        targets = [a] if b is None else [a, b]
        outs = []
        for m in targets:
            if kind == "sale":
                m.push_sales({"node": [x], "date": [day + pd.Timedelta(days=y)], "amount": [z]})
            elif kind == "stage":
                m.push_stage_changes({"deal": [x], "stage": [y], "date": [day + pd.Timedelta(days=z)]})
            else:
                outs.append(m.advance(day + pd.Timedelta(days=x)))
        if len(outs) == 2:
            pd.testing.assert_frame_equal(outs[0], outs[1])
    assert a.save() == b.save()


def test_receipt_log_late_cases():
    path = pathlib.Path(os.environ.get("QUOTAFLOW_SHARED_DATA_DIR", "../shared/data")) / "eventlogs" / "receipt_wabo.csv.gz"
    if not path.exists():
        pytest.skip(f"the shared data file {path} is absent (it exists in CI, not in a user's clone)")
    log = pd.read_csv(path, usecols=["case:concept:name", "case:enddate", "case:enddate_planned"])
    cases = log.groupby("case:concept:name", sort=False).first().reset_index()
    frame = pd.DataFrame({"case": np.arange(len(cases)), "end": pd.to_datetime(cases["case:enddate"], utc=True),
                          "planned_end": pd.to_datetime(cases["case:enddate_planned"], utc=True)})
    m = qf.Monitor(qf.Hierarchy.from_parents([-1]), qf.Calendar(), np.zeros((1, 6), dtype=np.int64), "2010-01-01",
                   "2016-01-01", grain="year")
    m.push_cases(frame)
    c = m.advance("2015-12-31")
    assert len(c) == 389 and set(c.rule) == {"case_late"}
    late = frame.end.notna() & (frame.end > frame.planned_end)
    assert set(c.entity) == set(frame.case[late])
