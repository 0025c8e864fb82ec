"""quotaflow.Monitor running the pipeline, per-sale, collection and chart rules (push_deals, the
optional sale columns, invoices with a seller, kpi_history): hand-worked values as in the C++
tests, a hypothesis property (batching does not change the per-sale findings; save/load keeps
them), and bad input with exact messages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import quotaflow as qf


@pytest.fixture(scope="module")
def org() -> qf.Hierarchy:
    return qf.Hierarchy.from_parents([-1, 0, 0], names=["ALL", "EAST", "WEST"])


@pytest.fixture(scope="module")
def geo() -> qf.Hierarchy:
    return qf.Hierarchy.from_parents([-1, 0, 0], names=["CN", "East", "West"])


def policy(geo):
    return {"list_price": [1000, 500], "promotional": [0, 1], "item_names": ["Water", "Gift"],
            "max_discount_pct": [10, 20], "customer_tier": [0, 1], "territories": geo,
            "seller_territory": [-1, "East", "West"]}


def september(org, **kw) -> qf.Monitor:
    return qf.Monitor(org, qf.Calendar(), np.array([[2200], [1100], [1100]]), "2025-09-01", "2025-10-01", **kw)


SALES = pd.DataFrame({"node": ["EAST", "EAST", "WEST", "EAST"],
                      "date": ["2025-09-02", "2025-09-03", "2025-09-03", "2025-09-04"],
                      "amount": [950, 850, 10, 850], "sale": [101, 102, 103, 104], "item": [0, 0, 1, 0],
                      "price": [950, 850, 10, 850], "customer": [0, 0, 1, 1],
                      "location": ["East", "West", "West", "East"]})


def test_price_policy_and_territory(org, geo):
    m = september(org, rules=["discount_above_max", "promo_not_free", "territory_violation"], sales_policy=policy(geo))
    m.push_sales(SALES)
    assert m.sale_alerts == 3
    c = m.advance("2025-09-10")
    assert sorted(zip(c.rule, c.entity)) == [("discount_above_max", 102), ("promo_not_free", 103),
                                             ("territory_violation", 102)]
    msg = dict(zip(c.rule, c.message))
    assert msg["discount_above_max"] == "Sale 102: Water discounted 15%, above the tier maximum 10% by 5 points"
    assert msg["promo_not_free"] == "Sale 103: Gift is promotional and must be given free, but was sold at 10"
    assert msg["territory_violation"] == "Sale 102: seller EAST (territory East) sold in West, outside its territory"
    assert set(c.entity_kind) == {"sale"} and set(c.period) == {0}
    assert m.advance("2025-09-11").empty


def test_deals_pipeline_and_slip(org):
    m = september(org, rules=["pipeline_coverage_low", "target_probability_low", "deal_slipped"])
    m.push_deals({"deal": [1, 2], "owner": ["EAST", "WEST"], "amount": [1000, 2000], "probability": [0.5, 0.75],
                  "close": ["2025-09-20", "2025-09-25"]})
    c = m.advance("2025-09-10")
    got = {(r, e): (o, s) for r, e, o, s in zip(c.rule, c.entity, c.observed, c.severity)}
    assert set(got) == {("pipeline_coverage_low", 0), ("pipeline_coverage_low", 1), ("target_probability_low", 0),
                        ("target_probability_low", 1)}
    assert got[("target_probability_low", 0)] == (pytest.approx(0.375), "warning")
    assert got[("target_probability_low", 1)] == (0.0, "critical")
    assert got[("pipeline_coverage_low", 0)][0] == pytest.approx(2000 / 2200)
    # Deal 1 slips into October: raised; its pipeline leaves September, EAST's coverage changes.
    m.push_deals({"deal": [1], "owner": ["EAST"], "amount": [1000], "probability": [0.5], "close": ["2025-10-05"]})
    c = m.advance("2025-09-11")
    slip = c[c.rule == "deal_slipped"]
    assert list(slip.change) == ["raised"] and list(slip.entity) == [1] and list(slip.observed) == [15]
    assert slip.message.iloc[0] == ("Deal 1: close date moved from 2025-09-20 to 2025-10-05, 15 days later and out of "
                                    "the period ending 2025-09-30")


def test_collection_gap_and_chart(org):
    m = september(org, rules=["collection_gap"], collection_plan=[[2200], [1100], [1100]])
    m.push_invoices({"invoice": [1, 2], "customer": [7, 8], "amount": [1000, 1000], "due": ["2025-09-30"] * 2,
                     "seller": ["EAST", -1]})
    m.push_payments({"invoice": [1, 2], "amount": [300, 400], "date": ["2025-09-05"] * 2})
    c = m.advance("2025-09-10")
    # WEST's only invoice collects for nobody: 0 of 400, critical.
    assert list(c.entity) == [0, 1, 2] and list(c.observed) == [300, 300, 0] and list(c.expected) == [800, 400, 400]
    assert list(c.severity) == ["critical", "warning", "critical"]
    assert c.message[1] == "EAST: collected 300 of the collection target 400, 100 (25.0%) short"
    hist = [[2000, 2020, 1980, 2000], [1000, 1010, 990, 1000], [1000, 1010, 990, 1000]]
    ch = september(org, rules=["chart_signal"], kpi_history=hist)
    ch.push_sales({"node": ["WEST"], "date": ["2025-09-15"], "amount": [1000]})
    assert ch.advance("2025-09-30").empty
    c = ch.advance("2025-10-01")
    assert list(c.entity) == [0, 1] and list(c.related) == [0, 0]  # nelson1
    assert c.message[1] == "EAST: nelson1 signal in 2025-09, 0 against centre 1K (limits 965..1.03K)"


def test_bad_input(org, geo):
    m = september(org, sales_policy=policy(geo))
    before = m.save()
    with pytest.raises(qf.InvalidArgumentError, match=r"probability\[1\] is 1.5; a probability must be in \[0, 1\]"):
        m.push_deals({"deal": [1, 2], "owner": [1, 1], "amount": [5, 5], "probability": [0.5, 1.5],
                      "close": ["2025-09-20"] * 2})
    with pytest.raises(qf.NotFoundError, match=r"item\[1\] is 2; expected an item id \(sales.list_price\) in 0..1"):
        m.push_sales({"node": [1, 1], "date": ["2025-09-02"] * 2, "amount": [5, 6], "item": [0, 2], "price": [1, 1]})
    with pytest.raises(qf.InvalidArgumentError, match="item and price go together"):
        m.push_sales({"node": [1], "date": ["2025-09-02"], "amount": [5], "item": [0]})
    with pytest.raises(qf.NotFoundError, match=r"seller\[0\] is 4; the hierarchy has 3 nodes"):
        m.push_invoices({"invoice": [1], "customer": [1], "amount": [5], "due": ["2025-09-20"], "seller": [4]})
    assert m.save() == before
    with pytest.raises(qf.InvalidArgumentError, match="location is given but the monitor has no sales_policy territories"):
        september(org).push_sales({"node": [1], "date": ["2025-09-02"], "amount": [5], "location": [0]})
    with pytest.raises(qf.InvalidArgumentError, match="sales_policy has an unknown entry \"tiers\""):
        september(org, sales_policy={"tiers": [1]})
    with pytest.raises(qf.InvalidArgumentError, match=r"kpi_history has 3 values; expected nodes \(3\) x H periods"):
        september(org, kpi_history=[1, 2, 3])
    with pytest.raises(qf.InvalidArgumentError, match=r"rules.min_target_probability is 1.5"):
        september(org, settings={"min_target_probability": 1.5})


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 40), st.integers(0, 1), st.integers(0, 1200),
                          st.integers(0, 1), st.integers(0, 2)), min_size=1, max_size=30),
       st.integers(1, 7))
def test_batching_and_snapshots_keep_sale_findings(rows, step):
    org = qf.Hierarchy.from_parents([-1, 0, 0], names=["ALL", "EAST", "WEST"])
    geo = qf.Hierarchy.from_parents([-1, 0, 0], names=["CN", "East", "West"])
    frame = pd.DataFrame(rows, columns=["node", "day", "item", "price", "customer", "location"])
    frame["date"] = pd.Timestamp("2025-08-25") + pd.to_timedelta(frame["day"], unit="D")
    frame["amount"] = frame["price"]
    one, many = september(org, sales_policy=policy(geo)), september(org, sales_policy=policy(geo))
    one.push_sales(frame)
    for i in range(0, len(frame), step):
        many.push_sales(frame.iloc[i:i + step].reset_index(drop=True))
    assert one.save() == many.save()
    # Hand count: every promotional item sold at a non-zero price is one promo_not_free finding.
    c = one.advance("2025-09-15")
    assert int((c.rule == "promo_not_free").sum()) == int(((frame.item == 1) & (frame.price != 0)).sum())
    back = qf.Monitor.load(one.save(), org, qf.Calendar(), np.array([[2200], [1100], [1100]]), "2025-09-01",
                           "2025-10-01", sales_policy=policy(geo))
    assert back.sale_alerts == one.sale_alerts and back.save() == one.save()
