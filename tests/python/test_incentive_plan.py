"""quotaflow.IncentivePlan: hand-worked payouts through IncentivePlan.run (marginal and retroactive
tiers, accelerator, cap, recoverable draw, clawback, split, working-day proration, bonus,
adjustment); hypothesis properties (lines sum to payouts, split credits conserved, payout
monotone in credit, runs repeat exactly); bad input with the error class and message.

Calendar: "plain" (Monday to Friday, no holidays). 2026: January has 22 working days, February
20, March 22. Amounts are minor units."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotaflow as qf

PLAIN = qf.Calendar.preset("plain")
Q1 = dict(calendar=PLAIN, start="2026-01-01", end="2026-04-01")


def plan(components, **extra):
    d = {"schema": "quotaflow.incentive_plan/1", "name": "test plan", "components": components}
    d.update(extra)
    return qf.IncentivePlan.from_dict(d)


def commission(tiers, method="marginal", **extra):
    c = {"name": "new business", "type": "commission", "method": method,
         "tiers": [{"from": f, "rate": r} for f, r in tiers]}
    c.update(extra)
    return c


def sales(*rows):
    return pd.DataFrame(rows, columns=["seller", "date", "amount"])


def quotas(*rows):
    return pd.DataFrame(rows, columns=["person", "date", "quota"])


def cell(frames, person, period):
    p = frames.payouts
    row = p[(p.person == person) & (p.period == period)]
    assert len(row) == 1
    return row.iloc[0]


def lines_of(frames, person, period, kind=None):
    l = frames.lines
    sel = l[(l.person == person) & (l.period == period)]
    return sel if kind is None else sel[sel.kind == kind]


def test_plain_calendar_working_days():
    got = [PLAIN.working_days(a, b) for a, b in
           (("2026-01-01", "2026-02-01"), ("2026-02-01", "2026-03-01"), ("2026-03-01", "2026-04-01"),
            ("2026-03-16", "2026-04-01"))]
    assert got == [22, 20, 22, 12]


# ---- hand-worked ------------------------------------------------------------------------------

TWO_TIERS = [(0.0, 0.05), (1.0, 0.10)]


def test_marginal_tiers_pay_each_rate_on_its_part():
    # quota 100,000; credit 150,000: 100,000 x 5% + 50,000 x 10% = 5,000 + 5,000.
    f = plan([commission(TWO_TIERS)]).run(sales(("ann", "2026-01-12", 150_000)), quotas(("ann", "2026-01-01", 100_000)), **Q1)
    c = cell(f, "ann", "2026-01")
    assert (c.credit, c.quota, c.payout) == (150_000, 100_000, 10_000)
    assert c.attainment == 1.5
    com = lines_of(f, "ann", "2026-01", "commission")
    assert list(com.credit) == [100_000, 50_000]
    assert list(com.rate) == [0.05, 0.10]
    assert list(com.tier) == [0, 1]
    assert list(com.amount) == [5_000, 5_000]
    assert list(com.reason) == ["new business tier 1 at 5%", "new business tier 2 at 10%"]
    # February and March: no credit, nothing paid (the credit line is there, for the record).
    assert list(f.payouts.payout) == [10_000, 0, 0]
    feb = lines_of(f, "ann", "2026-02")
    assert list(feb.kind) == ["credit"] and list(feb.amount) == [0]


def test_retroactive_tiers_pay_the_reached_rate_on_everything():
    # 150,000 reached the 10% tier: 15,000; 90,000 stays at 5%: 4,500.
    p = plan([commission(TWO_TIERS, method="retroactive")])
    f = p.run(sales(("ann", "2026-01-12", 150_000), ("ann", "2026-02-03", 90_000)),
              quotas(("ann", "2026-01-01", 100_000)), **Q1)
    assert list(f.payouts.payout) == [15_000, 4_500, 0]
    com = f.lines[f.lines.kind == "commission"]
    assert list(com.credit) == [150_000, 90_000] and list(com.tier) == [1, 0] and list(com.amount) == [15_000, 4_500]


def test_accelerator_multiplies_rates_above_quota():
    # 5% flat, doubled above 100%: 100,000 x 5% + 50,000 x 10% = 10,000; 80,000 x 5% = 4,000.
    p = plan([commission([(0.0, 0.05)], accelerator={"above": 1.0, "factor": 2})])
    f = p.run(sales(("ann", "2026-01-12", 150_000), ("bob", "2026-01-12", 80_000)),
              quotas(("ann", "2026-01-01", 100_000), ("bob", "2026-01-01", 100_000)), **Q1)
    assert cell(f, "ann", "2026-01").payout == 10_000
    assert cell(f, "bob", "2026-01").payout == 4_000
    assert list(lines_of(f, "ann", "2026-01", "commission").rate) == [0.05, 0.10]


def test_component_cap_is_a_negative_line():
    p = plan([commission(TWO_TIERS, cap=6_000)])
    f = p.run(sales(("ann", "2026-01-12", 150_000)), quotas(("ann", "2026-01-01", 100_000)), **Q1)
    jan = lines_of(f, "ann", "2026-01")
    assert list(jan.kind) == ["credit", "commission", "commission", "component_cap"]
    assert list(jan.amount) == [0, 5_000, 5_000, -4_000]
    assert jan.reason.iloc[-1] == "new business capped"
    assert cell(f, "ann", "2026-01").payout == 6_000


def test_plan_cap():
    p = plan([commission([(0.0, 0.05)]), commission([(0.0, 0.02)], name="margin")], cap=7_000)
    # 100,000: 5,000 + 2,000 = 7,000 (at the cap); 200,000: 10,000 + 4,000 capped to 7,000.
    f = p.run(sales(("ann", "2026-01-12", 100_000), ("ann", "2026-02-12", 200_000)), **Q1)
    assert list(f.payouts.payout) == [7_000, 7_000, 0]
    feb = lines_of(f, "ann", "2026-02")
    assert list(feb.kind) == ["credit", "commission", "commission", "plan_cap"]
    assert list(feb.amount) == [0, 10_000, 4_000, -7_000]


def test_recoverable_draw_is_carried_and_recovered():
    # Guarantee 5,000 a month at 5%. Jan: earned 2,000, draw 3,000 (balance 3,000). Feb: earned
    # 7,000, 2,000 above the guarantee recovered (balance 1,000). Mar: earned 10,000, the last
    # 1,000 recovered.
    p = plan([commission([(0.0, 0.05)])], draw={"amount": 5_000, "recoverable": True})
    f = p.run(sales(("ann", "2026-01-12", 40_000), ("ann", "2026-02-12", 140_000), ("ann", "2026-03-12", 200_000)), **Q1)
    assert list(f.payouts.earnings) == [2_000, 7_000, 10_000]
    assert list(f.payouts.payout) == [5_000, 5_000, 9_000]
    assert list(f.payouts.draw_balance) == [3_000, 1_000, 0]
    assert list(f.lines[f.lines.kind == "draw"].amount) == [3_000]
    assert list(f.lines[f.lines.kind == "draw_recovery"].amount) == [-2_000, -1_000]
    assert list(f.draw_balance.draw_balance) == [0]


def test_non_recoverable_draw_keeps_no_balance():
    p = plan([commission([(0.0, 0.05)])], draw={"amount": 5_000, "recoverable": False})
    f = p.run(sales(("ann", "2026-01-12", 40_000), ("ann", "2026-02-12", 140_000)), **Q1)
    assert list(f.payouts.payout) == [5_000, 7_000, 5_000]
    assert list(f.payouts.draw_balance) == [0, 0, 0]


def test_clawback_reverses_commission_at_the_sale_periods_average_rate():
    # January: 160,000 of 150,000 quota, retroactive 8%: 12,800. In February half of sale S1
    # (50,000 of its 100,000) is reversed: 12,800 x 50,000 / 160,000 = 4,000 taken back.
    p = plan([commission([(0.0, 0.05), (1.0, 0.08)], method="retroactive")])
    s = pd.DataFrame({"sale": ["S1", "S2"], "seller": ["ann", "ann"], "date": ["2026-01-05", "2026-01-20"],
                      "amount": [100_000, 60_000]})
    claw = pd.DataFrame({"sale": ["S1"], "date": ["2026-02-10"], "amount": [50_000]})
    f = p.run(s, quotas(("ann", "2026-01-01", 150_000)), clawbacks=claw, **Q1)
    assert list(f.payouts.payout) == [12_800, -4_000, 0]
    assert list(f.payouts.clawback) == [0, -4_000, 0]
    cb = lines_of(f, "ann", "2026-02", "clawback")
    assert list(cb.credit) == [-50_000] and list(cb.amount) == [-4_000]
    assert list(cb.reason) == ["clawback of sale S1"]


def test_split_credits_are_apportioned_exactly():
    # 100,001 split 60/40: 60,000.6 and 40,000.4 -> 60,001 and 40,000 (largest remainder);
    # 5% of each: 3,000.05 -> 3,000 and 2,000.
    p = plan([commission([(0.0, 0.05)])])
    s = pd.DataFrame({"sale": ["S1"], "seller": ["ann"], "date": ["2026-01-12"], "amount": [100_001]})
    splits = pd.DataFrame({"sale": ["S1", "S1"], "person": ["bob", "ann"], "share": [0.4, 0.6]})
    f = p.run(s, splits=splits, **Q1)
    assert (cell(f, "ann", "2026-01").credit, cell(f, "bob", "2026-01").credit) == (60_001, 40_000)
    assert (cell(f, "ann", "2026-01").payout, cell(f, "bob", "2026-01").payout) == (3_000, 2_000)


def test_new_hire_is_prorated_by_working_days():
    # Hired Monday 16 March: 12 of March's 22 working days. Quota 220,000 x 12/22 = 120,000;
    # credit 150,000 marginal: 6,000 + 3,000 = 9,000 (commission is not prorated: the tiers
    # are); bonus 2,200 x 12/22 = 1,200; draw 11,000 x 12/22 = 6,000 is below earnings.
    p = plan([commission(TWO_TIERS),
              {"name": "nps bonus", "type": "bonus", "kpi": "nps", "steps": [{"score": 50, "amount": 2_200}]}],
             draw={"amount": 11_000, "recoverable": False})
    people = pd.DataFrame({"person": ["ann"], "hired": ["2026-03-16"]})
    scores = pd.DataFrame({"person": ["ann"], "date": ["2026-03-31"], "kpi": ["nps"], "score": [62.5]})
    f = p.run(sales(("ann", "2026-03-20", 150_000)), quotas(("ann", "2026-01-01", 220_000)), people=people,
              scores=scores, **Q1)
    mar = cell(f, "ann", "2026-03")
    assert (mar.quota, mar.earnings, mar.payout) == (120_000, 10_200, 10_200)
    bonus = lines_of(f, "ann", "2026-03", "bonus")
    assert list(bonus.amount) == [1_200] and list(bonus.reason) == ["nps bonus: KPI score 62.5 reaches step 1"]
    assert list(lines_of(f, "ann", "2026-03", "draw").amount) == []
    # Not employed in January and February: no quota, no pay, no draw.
    assert list(f.payouts.payout) == [0, 0, 10_200]


def test_adjustments_carry_their_reason():
    p = plan([commission([(0.0, 0.05)])])
    adj = pd.DataFrame({"person": ["ann", "ann"], "date": ["2026-01-30", "2026-02-02"], "amount": [1_500, -700],
                        "reason": ["trade fair award", "late CRM entries"]})
    f = p.run(sales(("ann", "2026-01-12", 10_000)), adjustments=adj, **Q1)
    assert list(f.payouts.payout) == [2_000, -700, 0]
    a = f.lines[f.lines.kind == "adjustment"]
    assert list(a.reason) == ["trade fair award", "late CRM entries"] and list(a.amount) == [1_500, -700]


def test_manager_rollup_credits_the_team():
    p = plan([commission([(0.0, 0.01)])])
    people = pd.DataFrame({"person": ["boss", "ann", "bob"], "manager": ["", "boss", "boss"]})
    f = p.run(sales(("ann", "2026-01-12", 100_000), ("bob", "2026-01-13", 50_000)), people=people, rollup=True, **Q1)
    assert cell(f, "boss", "2026-01").credit == 150_000 and cell(f, "boss", "2026-01").payout == 1_500


def test_json_round_trip_and_path(tmp_path):
    p = plan([commission(TWO_TIERS, method="retroactive", cap=9_000)], draw={"amount": 100, "recoverable": True})
    again = qf.IncentivePlan.from_json(p.to_json())
    assert again == p and again.to_json() == p.to_json()
    path = tmp_path / "plan.json"
    p.save(path)
    assert qf.IncentivePlan.from_json(str(path)) == p and qf.IncentivePlan.from_json(path) == p
    assert p.name == "test plan" and p.components == ["new business"]
    assert p.to_dict()["components"][0]["method"] == "retroactive"


def test_lines_false_keeps_the_payouts():
    p = plan([commission(TWO_TIERS)])
    args = (sales(("ann", "2026-01-12", 150_000)), quotas(("ann", "2026-01-01", 100_000)))
    full, bare = p.run(*args, **Q1), p.run(*args, lines=False, **Q1)
    assert len(bare.lines) == 0
    pd.testing.assert_frame_equal(full.payouts, bare.payouts)


# ---- properties -------------------------------------------------------------------------------

PEOPLE = ["ann", "bob", "cy"]
DATES = pd.date_range("2026-01-01", "2026-03-31").to_numpy()

sale_rows = st.lists(st.tuples(st.sampled_from(PEOPLE), st.integers(0, len(DATES) - 1), st.integers(1, 10**9)),
                     min_size=1, max_size=30)
tier_tables = st.lists(st.tuples(st.floats(0.01, 3.0), st.floats(0.0, 0.5)), min_size=0, max_size=4).map(
    lambda t: [(0.0, 0.03)] + sorted({round(f, 3): round(r, 4) for f, r in t}.items()))


def frame_of(rows):
    return pd.DataFrame({"seller": [r[0] for r in rows], "date": DATES[[r[1] for r in rows]],
                         "amount": np.array([r[2] for r in rows], dtype=np.int64)})


@given(rows=sale_rows, tiers=tier_tables, method=st.sampled_from(["marginal", "retroactive"]),
       cap=st.one_of(st.none(), st.integers(0, 10**7)), split=st.booleans())
def test_lines_sum_to_payouts_and_splits_conserve_credit(rows, tiers, method, cap, split):
    extra = {} if cap is None else {"cap": cap}
    p = plan([commission(tiers, method=method, **extra)], draw={"amount": 20_000, "recoverable": True})
    s = frame_of(rows)
    splits = None
    if split:  # every sale split 1/3 each: credits still add up to the sales
        splits = pd.DataFrame({"sale": np.repeat(np.arange(len(s)), 3), "person": PEOPLE * len(s),
                               "share": [1 / 3] * (3 * len(s))})
    q = quotas(*[(x, "2026-01-01", 5 * 10**8) for x in PEOPLE])
    f = p.run(s, q, splits=splits, people=PEOPLE, **Q1)
    by_cell = f.lines.groupby(["person", "period"], observed=True)["amount"].sum()
    joined = f.payouts.set_index(["person", "period"])["payout"]
    assert (by_cell.reindex(joined.index).to_numpy() == joined.to_numpy()).all()
    per_period = f.payouts.groupby("period")["credit"].sum()
    expected = s.groupby(pd.to_datetime(s.date).dt.strftime("%Y-%m"))["amount"].sum()
    assert per_period[expected.index].tolist() == expected.tolist()
    assert per_period.sum() == s.amount.sum()


@given(tiers=tier_tables, method=st.sampled_from(["marginal", "retroactive"]), x=st.integers(0, 10**10),
       d=st.integers(0, 10**9))
def test_payout_is_monotone_in_credit_without_caps_or_decelerators(tiers, method, x, d):
    if method == "retroactive":  # retroactive tables only pay more when rates do not fall
        tiers = [(f, r) for (f, _), r in zip(tiers, sorted(r for _, r in tiers))]
    p = plan([commission(tiers, method=method, accelerator={"above": 1.2, "factor": 1.5})])
    q = quotas(("ann", "2026-01-01", 10**9))

    def pay(amount):
        return int(cell(p.run(sales(("ann", "2026-02-10", amount)), q, **Q1), "ann", "2026-02").payout)

    assert pay(x) <= pay(x + d)


@given(rows=sale_rows, tiers=tier_tables)
def test_two_runs_give_identical_frames(rows, tiers):
    p = plan([commission(tiers, cap=10**7)], draw={"amount": 30_000, "recoverable": True})
    q = quotas(*[(x, "2026-01-01", 3 * 10**8) for x in PEOPLE])
    a, b = p.run(frame_of(rows), q, **Q1), p.run(frame_of(rows), q, **Q1)
    pd.testing.assert_frame_equal(a.lines, b.lines)
    pd.testing.assert_frame_equal(a.payouts, b.payouts)
    pd.testing.assert_frame_equal(a.draw_balance, b.draw_balance)


# ---- bad input --------------------------------------------------------------------------------

def test_splits_not_summing_to_one():
    p = plan([commission([(0.0, 0.05)])])
    s = sales(("ann", "2026-01-12", 1_000))
    splits = pd.DataFrame({"sale": [0, 0], "person": ["ann", "bob"], "share": [0.5, 0.25]})
    with pytest.raises(qf.InvalidArgumentError) as e:
        p.run(s, splits=splits, **Q1)
    assert str(e.value) == "split shares of sale 0 (split rows 0..1) sum to 0.75; they must sum to 1 (100%)"


def test_overlapping_tiers():
    with pytest.raises(qf.InvalidArgumentError) as e:
        plan([commission([(0.0, 0.05), (0.5, 0.07), (0.5, 0.09)])])
    assert str(e.value) == ("$.components[0].tiers[2].from is 0.5 but tiers[1] starts at 0.5; "
                            "tiers overlap (each must start above the previous one)")


def test_negative_rate():
    with pytest.raises(qf.InvalidArgumentError) as e:
        plan([commission([(0.0, 0.05), (1.0, -0.5)])])
    assert str(e.value) == "$.components[0].tiers[1].rate is -0.5; it must be in [0, 1000]"


def test_plan_json_errors_name_the_path_and_source(tmp_path):
    path = tmp_path / "plan.json"
    path.write_text('{"name": "p",\n "components": [{"name": "c", "type": "commission",\n'
                    ' "tiers": [{"from": 0, "rate": "5%"}]}]}')
    with pytest.raises(qf.ParseError) as e:
        qf.IncentivePlan.from_json(path)
    assert str(e.value) == f"{path}: $.components[0].tiers[0].rate (line 3, column 32): expected a number, got a string"
    with pytest.raises(qf.ParseError) as e:
        qf.IncentivePlan.from_json('{"name": "p", "components": [], "bonus": 1}')
    assert str(e.value) == "plan JSON: $.bonus (line 1, column 42): unknown key"
    with pytest.raises(qf.FileError) as e:
        qf.IncentivePlan.from_json(tmp_path / "missing.json")
    assert str(e.value).startswith(f'cannot open "{tmp_path / "missing.json"}"')


def test_unknown_people():
    p = plan([commission([(0.0, 0.05)])])
    with pytest.raises(qf.NotFoundError) as e:
        p.run(sales(("ann", "2026-01-12", 1), ("zed", "2026-01-12", 1)), people=["ann", "bob"], **Q1)
    assert str(e.value) == "sales.seller[1] is 'zed', which is not in people"
    with pytest.raises(qf.NotFoundError) as e:
        p.run(sales(("ann", "2026-01-12", 1)), quotas(("ann", "2026-01-01", 5), ("eve", "2026-01-01", 5)),
              people=["ann"], **Q1)
    assert str(e.value) == "quotas.person[1] is 'eve', which is not in people"


def test_nan_amounts():
    p = plan([commission([(0.0, 0.05)])])
    s = pd.DataFrame({"seller": ["ann", "ann"], "date": ["2026-01-12", "2026-01-13"], "amount": [5.0, np.nan]})
    with pytest.raises(qf.InvalidArgumentError) as e:
        p.run(s, **Q1)
    assert str(e.value) == "sales.amount[1] is nan; amounts are integers in minor units"
    scores = pd.DataFrame({"person": ["ann"], "date": ["2026-01-31"], "kpi": ["nps"], "score": [np.nan]})
    with pytest.raises(qf.InvalidArgumentError) as e:
        p.run(sales(("ann", "2026-01-12", 1)), scores=scores, **Q1)
    assert str(e.value) == "score_value[0] is nan"


def test_dates_outside_the_run():
    p = plan([commission([(0.0, 0.05)])])
    with pytest.raises(qf.OutOfRangeError) as e:
        p.run(sales(("ann", "2026-01-12", 1), ("ann", "2026-04-01", 1)), **Q1)
    assert str(e.value) == "sale_date[1] is 2026-04-01, outside the run 2026-01-01..2026-03-31"
    with pytest.raises(qf.OutOfRangeError):
        p.run(sales(("ann", "2300-01-12", 1)), **Q1)


def test_other_bad_inputs():
    p = plan([commission(TWO_TIERS)])
    with pytest.raises(qf.InvalidArgumentError) as e:  # tiers need a positive quota
        p.run(sales(("ann", "2026-01-12", 1)), **Q1)
    assert str(e.value) == ('"ann" has quota 0 in period 2026-01-01..2026-01-31 but plan "test plan" component '
                            '"new business" has attainment tiers; a positive quota is needed')
    with pytest.raises(qf.NotFoundError) as e:
        plan([{"name": "b", "type": "bonus", "kpi": "nps", "steps": [{"score": 1, "amount": 1}]}]).run(
            sales(("ann", "2026-01-12", 1)), **Q1)
    assert str(e.value) == 'plan "test plan" component "b" pays on KPI "nps", which is not in kpi_names'
    with pytest.raises(qf.NotFoundError) as e:
        p.run(sales(("ann", "2026-01-12", 1)).rename(columns={"amount": "value"}), **Q1)
    assert str(e.value) == "sales has no column 'amount'; it has ['seller', 'date', 'value']"
    with pytest.raises(qf.InvalidArgumentError) as e:
        adj = pd.DataFrame({"person": ["ann"], "date": ["2026-01-03"], "amount": [5], "reason": [""]})
        p.run(sales(("ann", "2026-01-12", 1)), quotas(("ann", "2026-01-01", 5)), adjustments=adj, **Q1)
    assert str(e.value) == "adjust_reason[0] is empty; an adjustment needs a reason"
