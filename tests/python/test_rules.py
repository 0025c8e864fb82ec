"""quotaflow.rules: every detector from Python on hand-worked columns and DataFrames, the exact
target probability against brute-force enumeration (hypothesis), the sample company's planted
deviations, the WABO receipt log's late cases, and bad input with the C++ messages."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotaflow as qf
from quotaflow import rules

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample_company"


def test_alert_frame_columns_and_stalled(cn):
    res = rules.stalled_deals(["DL-1", "DL-2", "DL-3"], ["lead", "qualification", None],
                              ["2026-06-01", "2026-03-02", "2026-01-05"], {"lead": 5, "qualification": 10, "won": None},
                              qf.Calendar(), "2026-06-10")
    assert tuple(res.alerts.columns) == rules.ALERT_COLUMNS
    # 2026-06-01 (Mon) .. 06-09: 7 working days; 2026-03-02 .. 06-09: 22 + 22 + 21 + 7 = 72 (plain calendar).
    assert res.figures["days_in_stage"].tolist() == [7, 72, -1]
    assert res.alerts["entity"].tolist() == ["DL-1", "DL-2"]
    assert res.alerts["message"].tolist() == ["Deal DL-1: 7 working days in lead, limit 5",
                                              "Deal DL-2: 72 working days in qualification, limit 10"]
    assert res.alerts["severity"].tolist() == ["warning", "critical"]
    assert res.alerts["rule"].tolist() == ["deal_stalled"] * 2
    assert res.alerts["related"].tolist() == ["lead", "qualification"]
    assert res.alerts["period"].tolist() == [-1, -1]  # no period: a stall keeps its key from day to day
    # The key is stable: the same condition has the same key in another run, and on a later day.
    again = rules.stalled_deals(["DL-1"], ["lead"], ["2026-05-01"], {"lead": 5}, qf.Calendar(), "2026-06-10")
    assert again.alerts["key"].iloc[0] == res.alerts["key"].iloc[0]
    later = rules.stalled_deals(["DL-1"], ["lead"], ["2026-05-01"], {"lead": 5}, qf.Calendar(), "2026-06-17")
    assert later.alerts["key"].iloc[0] == res.alerts["key"].iloc[0]


def test_stalled_bad_input(cn):
    with pytest.raises(qf.OutOfRangeError, match=r"entered\[0\] is 2006-12-01, outside the calendar's valid range"):
        rules.stalled_deals(["a"], ["lead"], ["2006-12-01"], {"lead": 5}, cn, "2026-06-30")
    with pytest.raises(qf.InvalidArgumentError, match="length mismatch: stage has 2 elements, entered has 1"):
        rules.stalled_deals(["a", "b"], ["lead", "lead"], ["2026-06-01"], {"lead": 5}, cn, "2026-06-30")
    with pytest.raises(qf.NotFoundError, match=r"stage\[0\] is 'negotiation'"):
        rules.stalled_deals(["a"], ["negotiation"], ["2026-06-01"], {"lead": 5}, cn, "2026-06-30")


def test_slipped_and_coverage():
    a = rules.slipped_deals(["DL-7", "DL-8"], ["2026-06-20", "2026-06-20"], ["2026-08-15", "2026-06-30"],
                            "2026-06-01", "2026-07-01", period=5)
    assert a["entity"].tolist() == ["DL-7"]
    assert a["observed"].tolist() == [56.0]
    h = qf.Hierarchy.from_parents([-1, 0, 0], names=["Company", "East", "West"])
    res = rules.pipeline_coverage(["East", "East", "West", "West"], [1000, 333, 2000, 9999], [0.5, 0.5, 0.25, 1.0],
                                  ["2026-06-10", "2026-06-30", "2026-06-01", "2026-07-01"], "2026-06-01", "2026-07-01",
                                  [3000, 600, 400], hierarchy=h)
    assert res.figures["weighted"].tolist() == [1167, 667, 500]
    assert res.alerts["message"].tolist() == [
        "Company: weighted pipeline 1.17K covers 0.39x of the remaining target 3K, minimum 1x"]
    with pytest.raises(qf.InvalidArgumentError, match=r"probability\[1\] is NaN"):
        rules.pipeline_coverage([1, 1], [1, 2], [0.5, np.nan], ["2026-06-10"] * 2, "2026-06-01", "2026-07-01", [1, 1, 1])


def test_target_probability_hand_worked():
    res = rules.target_probability([100, 200], [0.5, 0.5], 200, keep_pmf=True)
    row = res.figures.iloc[0]
    assert row["probability"] == 0.5
    assert row["expected"] == 150
    assert [row["q0.1"], row["q0.5"], row["q0.9"]] == [0, 100, 300]
    assert len(row["pmf"]) == 301
    res = rules.target_probability([100, 500, 200, 500], [0.5, 0.9, 0.5, 0.9], [200, 600], owner=["East", "West", "East", "West"],
                                   min_probability=0.9)
    assert res.figures["node"].tolist() == ["East", "West"]
    assert res.figures["probability"].tolist() == pytest.approx([0.5, 0.81])
    assert res.alerts["message"].tolist()[1] == (
        "West: 81.0% chance of winning the remaining target 600 from 2 open deals (median outcome 1K), minimum 90.0%")
    with pytest.raises(qf.InvalidArgumentError, match=r"probability\[1\] is 1.5; a probability must be in \[0, 1\]"):
        rules.target_probability([1, 2], [0.5, 1.5], 1)
    with pytest.raises(qf.InvalidArgumentError, match="unit is 0; it must be > 0 minor units"):
        rules.target_probability([1, 2], [0.5, 0.5], 1, unit=0)


@given(st.lists(st.tuples(st.integers(0, 40), st.integers(0, 100)), min_size=1, max_size=9), st.integers(0, 400))
def test_target_probability_matches_enumeration(deals, target):
    amounts = [a for a, _ in deals]
    probs = [p / 100 for _, p in deals]
    exact = 0.0
    for won in itertools.product([0, 1], repeat=len(deals)):
        pr = np.prod([p if w else 1 - p for w, p in zip(won, probs)])
        exact += pr if sum(a for w, a in zip(won, amounts) if w) >= target else 0.0
    got = rules.target_probability(amounts, probs, target).figures["probability"].iloc[0]
    assert got == pytest.approx(exact, abs=1e-12)


def test_price_policy_and_territory():
    a = rules.price_policy(["S1", "S2", "S3"], ["Water", "Bag", "Water"], [900, 1800, 820], [1000, 0],
                           products=["Water", "Bag"], promotional=[0, 1], tier=[0, 0, 0], max_discount_pct=[15])
    assert a["rule"].tolist() == ["promo_not_free", "discount_above_max"]
    assert a["entity"].tolist() == ["S2", "S3"]
    assert a["message"].tolist()[1] == "Sale S3: Water discounted 18%, above the tier maximum 15% by 3 points"
    geo = qf.Hierarchy.from_parents([-1, 0, 1, 1, 0, 4], names=["China", "Jiangsu", "Nanjing", "Suzhou", "Zhejiang",
                                                                  "Hangzhou"])
    t = rules.territory(geo, ["S1", "S2", "S3"], ["Li", "Li", "Wang"], ["Suzhou", "Nanjing", "Hangzhou"],
                        ["Suzhou", "Jiangsu"], sellers=["Li", "Wang"])
    assert t["entity"].tolist() == ["S2", "S3"]
    assert t["related"].tolist() == ["Nanjing", "Hangzhou"]
    assert t["message"].tolist()[0] == "Sale S2: seller Li (territory Suzhou) sold in Nanjing, outside its territory"
    with pytest.raises(qf.NotFoundError, match=r"location\[0\] is 'Paris'"):
        rules.territory(geo, ["S1"], ["Li"], ["Paris"], ["Suzhou", "Jiangsu"], sellers=["Li", "Wang"])


def test_receivables_collection_activity():
    ageing, invoices, alerts = rules.receivables(
        ["I0", "I1", "I2", "I3", "I4", "I5"], ["Acme", "Acme", "Bolt", "Bolt", "Acme", "Acme"],
        ["2026-06-30", "2026-06-29", "2026-03-01", "2026-07-15", "2026-05-01", "2026-05-01"],
        [100, 200, 1000, 70, 300, 400], "2026-06-30", paid=[0, 50, 0, 0, 300, 0])
    assert list(ageing.columns) == ["not_due", "0-30", "31-60", "61-90", ">90"]
    assert ageing.loc["Acme"].tolist() == [0, 250, 400, 0, 0]
    assert ageing.loc["Bolt"].tolist() == [70, 0, 0, 0, 1000]
    assert invoices["days_past_due"].tolist() == [0, 1, 121, -15, 60, 60]
    assert alerts["entity"].tolist() == ["I1", "I2", "I5", "Acme", "Bolt"]
    assert alerts["message"].tolist()[3] == "Customer Acme: 550 overdue on 2 invoices, oldest 60 days past due"
    gap = rules.collection_gap([80, 120], [100, 100], node=["East", "West"])
    assert gap.figures["gap"].tolist() == [20, -20]
    assert gap.alerts["message"].tolist() == ["East: collected 80 of the collection target 100, 20 (20.0%) short"]
    planned = pd.DataFrame([[10, 10], [8, 4]], index=["Li", "Wang"], columns=["2026-05", "2026-06"])
    done = pd.DataFrame([[6, 12], [3, 4]], index=planned.index, columns=planned.columns)
    act = rules.activity_compliance(planned, done, what="visits")
    assert act.figures["shortfall"].tolist() == [4, 0, 5, 0]
    assert act.alerts["message"].tolist() == [
        "Seller Li: 6 of 10 planned visits done in period 2026-05, 4 short (60.0%)",
        "Seller Wang: 3 of 8 planned visits done in period 2026-05, 5 short (37.5%)"]
    assert act.alerts["period"].tolist() == ["2026-05", "2026-05"]
    with pytest.raises(qf.InvalidArgumentError, match=r"done\[1\] is -1; a done count cannot be negative"):
        rules.activity_compliance(np.array([[1, 1]]), np.array([[1, -1]]))


def test_late_cases_hand_worked():
    res = rules.late_cases(["2011-12-08T14:00:00Z", None, "2011-12-07T02:00:00Z"],
                           ["2011-12-07T02:00:00Z", "2011-12-07T02:00:00Z", "2011-12-07T02:00:00Z"],
                           case=["c1", "c2", "c3"])
    assert res.figures["finished"].tolist() == [True, False, True]
    assert res.alerts["message"].tolist() == [
        "Case c1: finished 2011-12-08 14:00, 1.5 days after its planned end 2011-12-07 02:00"]


def test_sample_company_planted_deviations(cn):
    """Every planted deviation of the rules here, and nothing else for those rules."""
    deals = pd.read_csv(SAMPLE / "deals.csv")
    events = pd.read_csv(SAMPLE / "deal_events.csv").sort_values("entered_at").groupby("deal_id").last()
    deals = deals.join(events, on="deal_id")
    model = qf.ProcessModel.load(SAMPLE / "process_model.json")
    stage = deals["stage_id"].where(deals["status"] == "open", None)
    res = rules.stalled_deals(deals["deal_id"], stage, deals["entered_at"].str[:10], model, cn, "2026-06-30",
                              day_count="calendar_days")
    assert res.alerts["entity"].tolist() == ["DL-0149", "DL-0154", "DL-0155", "DL-0171"]
    assert res.alerts["message"].iloc[0] == "Deal DL-0149: 153 days in negotiation, limit 28"

    sales = pd.read_csv(SAMPLE / "sales_facts.csv")
    products = pd.read_csv(SAMPLE / "products.csv")
    price = rules.price_policy(sales["line_id"], sales["product_id"], sales["unit_price_minor"],
                               products["list_price_minor"], products=products["product_id"].tolist(),
                               promotional=products["is_promotional"], discount_pct=sales["discount_pct"],
                               tier=np.zeros(len(sales), dtype=np.int32), max_discount_pct=[15], amount_scale=2)
    assert price.loc[price["rule"] == "promo_not_free", "entity"].tolist() == ["SL26-001880"]
    assert price.loc[price["rule"] == "discount_above_max", "entity"].tolist() == ["SL26-002481", "SL26-002910"]
    assert len(price) == 3

    terr = pd.read_csv(SAMPLE / "territories.csv")
    provinces = list(dict.fromkeys(terr["province"]))
    geo = qf.Hierarchy.from_parents([-1] + [0] * len(provinces) + [1 + provinces.index(p) for p in terr["province"]],
                                    names=["CN"] + provinces + terr["territory_id"].tolist())
    org = pd.read_csv(SAMPLE / "org.csv")
    customers = pd.read_csv(SAMPLE / "customers.csv").set_index("customer_id")
    t = rules.territory(geo, sales["line_id"], sales["node_id"], customers.loc[sales["customer_id"], "territory_id"],
                        org["territory_id"].where(org["territory_id"].notna(), None), sellers=org["node_id"].tolist())
    assert t["entity"].tolist() == ["SL26-001667"]

    inv = pd.read_csv(SAMPLE / "invoices.csv")
    pay = pd.read_csv(SAMPLE / "payments.csv")
    _, invoices, alerts = rules.receivables(inv["invoice_id"], inv["customer_id"], inv["due_date"], inv["amount_minor"],
                                            "2026-06-30", payment_invoice=pay["invoice_id"],
                                            payment_amount=pay["amount_minor"], payment_date=pay["paid_date"],
                                            amount_scale=2)
    overdue = alerts.loc[alerts["entity_kind"] == "invoice", "entity"].tolist()
    assert overdue == ["INV26-00214", "INV26-00323", "INV26-00560", "INV26-00633", "INV26-00895", "INV26-01212"]


def test_receipt_wabo_late_cases(shared_data):
    log = pd.read_csv(shared_data / "eventlogs" / "receipt_wabo.csv.gz",
                      usecols=["case:concept:name", "case:enddate", "case:enddate_planned"])
    cases = log.groupby("case:concept:name", sort=False).first().reset_index()
    res = rules.late_cases(cases["case:enddate"], cases["case:enddate_planned"], case=cases["case:concept:name"])
    assert int(res.figures["finished"].sum()) == 1329
    assert len(res.alerts) == 389
    end = pd.to_datetime(cases["case:enddate"], utc=True)
    plan = pd.to_datetime(cases["case:enddate_planned"], utc=True)
    assert set(res.alerts["entity"]) == set(cases.loc[(end > plan).to_numpy(), "case:concept:name"])
