"""`quotaflow pay`: one period's incentive statements from a plan JSON, sales credits and targets,
worked by hand on a plain Monday-Friday calendar (draw carried from January into March), and its
errors (unknown seller, bad plan JSON with the file and JSON path, a period the calendar lacks)."""
import csv
import json
import os
import subprocess

import pytest

CLI = os.environ.get("QUOTAFLOW_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="QUOTAFLOW_CLI is not set (ctest sets it to the built tool)")

PLAN = {"schema": "quotaflow.incentive_plan/1", "name": "field sales",
        "draw": {"amount": 5000, "recoverable": True},
        "components": [{"name": "revenue", "type": "commission", "method": "marginal",
                        "tiers": [{"from": 0, "rate": 0.05}, {"from": 1.0, "rate": 0.10}]}]}


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def files(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(PLAN))
    targets = tmp_path / "targets.csv"
    targets.write_text("node,period,target\n" + "".join(
        f"{who},2026-{m:02d},{t}\n" for m in (1, 2, 3, 4) for who, t in (("ann", "1000.00"), ("bob", "2000.00"))))
    sales = tmp_path / "sales.csv"
    sales.write_text("seller,date,amount\nann,2026-01-15,400.00\nbob,2026-01-20,2000.00\nbob,2026-02-10,1000.00\n"
                     "ann,2026-03-02,1500.00\nbob,2026-03-31,2500.00\nann,2026-04-01,999.00\n")
    return plan, targets, sales


def pay(plan, targets, sales, *extra, period="2026-03", calendar="plain"):
    return run("pay", "--plan", str(plan), "--credits", str(sales), "--targets", str(targets), "--period", period,
               "--calendar", calendar, *extra)


def test_pay_hand_worked_statements(files, tmp_path):
    # Guarantee 50.00 a month, recoverable. ann: January 400.00 of 1000.00 earns 20.00, draw 30.00;
    # February nothing, draw 50.00 (balance 80.00); March 1500.00: 1000.00 x 5% + 500.00 x 10% =
    # 100.00, of which the 50.00 above the guarantee pays back draw (balance 30.00): payout 50.00.
    # bob: January 2000.00 earns 100.00, February 1000.00 earns 50.00 (no draw), March 2500.00 of
    # 2000.00: 100.00 + 50.00 = 150.00. Year to date: ann 1900/3000, bob 5500/6000.
    plan, targets, sales = files
    out = tmp_path / "statements.csv"
    r = pay(plan, targets, sales, "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ('Incentive statements for 2026-03: plan "field sales", 2 people, 5 credit rows '
                        '(1 outside 2026-01-01..2026-03-31 left out)')
    assert lines[1].split() == ["person", "credit", "quota", "attain", "ytd", "earnings", "draw_balance", "payout"]
    assert lines[2].split() == ["ann", "1500.00", "1000.00", "150.0%", "63.3%", "100.00", "30.00", "50.00"]
    assert lines[3].split() == ["bob", "2500.00", "2000.00", "125.0%", "91.7%", "150.00", "0.00", "150.00"]
    assert lines[4] == "total payout 200.00 for 2 people; every statement's lines sum to its payout: yes"
    assert lines[5] == f"statement lines written to {out}"
    rows = list(csv.DictReader(out.open()))
    ann = [(r["kind"], r["base"], r["rate"], r["tier"], r["amount"], r["reason"]) for r in rows if r["person"] == "ann"]
    assert ann == [
        ("credit", "1500.00", "", "", "0.00", "credit of the period"),
        ("commission", "1000.00", "0.05", "1", "50.00", "revenue tier 1 at 5%"),
        ("commission", "500.00", "0.1", "2", "50.00", "revenue tier 2 at 10%"),
        ("draw_recovery", "80.00", "", "", "-50.00", "recovery of the outstanding draw"),
    ]
    assert {r["period"] for r in rows} == {"2026-03"}
    bob = [r["amount"] for r in rows if r["person"] == "bob"]
    assert bob == ["0.00", "100.00", "50.00"]


def test_pay_without_out_prints_the_lines_after_the_summary(files):
    r = pay(*files)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert out[6] == "person,period,kind,component,base,rate,tier,amount,reason"
    assert len(out) == 7 + 4 + 3


def test_pay_with_org_prorates_a_new_hire_and_rolls_up(files, tmp_path):
    # With --org, cy (start_date Monday 16 March: 12 of 22 working days) is paid too; her March
    # quota is prorated: 2200.00 x 12/22 = 1200.00; she sold 600.00: 5% = 30.00, above the
    # prorated guarantee 50.00 x 12/22 = 27.27, so no draw. With --rollup the
    # manager "boss" is credited with everyone's March sales (1500 + 2500 + 600 = 4600.00).
    plan, targets, sales = files
    org = tmp_path / "org.csv"
    org.write_text("node_id,parent_id,start_date\nboss,,\nann,boss,2020-01-01\nbob,boss,2020-01-01\ncy,boss,2026-03-16\n")
    targets.write_text(targets.read_text() + "cy,2026-03,2200.00\n" +
                       "".join(f"boss,2026-0{m},10000.00\n" for m in (1, 2, 3)))
    sales.write_text(sales.read_text() + "cy,2026-03-20,600.00\n")
    r = pay(plan, targets, sales, "--org", str(org), "--rollup")
    assert r.returncode == 0, r.stderr
    rows = {l.split()[0]: l.split() for l in r.stdout.splitlines()[2:6]}
    assert rows["cy"][1:3] == ["600.00", "1200.00"] and rows["cy"][5:] == ["30.00", "0.00", "30.00"]
    assert rows["boss"][1:3] == ["4600.00", "10000.00"]
    assert rows["ann"][-1] == "50.00"


@pytest.mark.parametrize("period,edit,message", [
    ("2026-03", ("sales", "zed,2026-03-03,1.00\n"),
     'sales.csv" row 8: seller "zed" is not one of the people paid (the persons of --targets)'),
    ("2026-03", ("targets", "ann,2026-13,1.00\n"), 'targets.csv" row 10: period "2026-13" is not a month of 2026'),
    ("2026-13", None, '--period "2026-13" is not a month of 2026 in the calendar'),
    ("March", None, '--period "March" is not a month label (such as 2026-03)'),
])
def test_pay_errors_name_the_file_row_and_value(files, period, edit, message):
    plan, targets, sales = files
    if edit:
        f = {"sales": sales, "targets": targets}[edit[0]]
        f.write_text(f.read_text() + edit[1])
    r = pay(plan, targets, sales, period=period)
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_pay_bad_plan_json_names_the_file_and_path(files):
    plan, targets, sales = files
    bad = dict(PLAN, components=[dict(PLAN["components"][0], tiers=[{"from": 0, "rate": "5%"}])])
    plan.write_text(json.dumps(bad, indent=1))
    r = pay(plan, targets, sales)
    assert r.returncode == 2
    assert f"quotaflow: error (parse_error): {plan}: $.components[0].tiers[0].rate (line " in r.stderr
    assert "expected a number, got a string" in r.stderr
    r = run("pay", "--plan", str(plan) + ".missing", "--credits", str(sales), "--targets", str(targets), "--period",
            "2026-03", "--calendar", "plain")
    assert r.returncode == 2 and f'cannot open plan "{plan}.missing"' in r.stderr


def test_pay_period_outside_the_calendar(files):
    plan, targets, sales = files
    r = pay(plan, targets, sales, period="2201-01")
    assert r.returncode == 2, r.stderr
    assert 'error (out_of_range): --period "2201-01" is outside the supported years 1900..2199' in r.stderr


def test_pay_scores_feed_bonus_components(files, tmp_path):
    # A fixed bonus of 100.00 from an NPS score of 50: ann scored 62.5 in March, bob 40 (no bonus).
    plan, targets, sales = files
    plan.write_text(json.dumps(dict(PLAN, components=PLAN["components"] + [
        {"name": "nps bonus", "type": "bonus", "kpi": "nps", "steps": [{"score": 50, "amount": 10000}]}])))
    scores = tmp_path / "scores.csv"
    scores.write_text("person,period,kpi,score\nann,2026-03,nps,62.5\nbob,2026-03,nps,40\nann,2026-04,nps,99\n")
    out = tmp_path / "statements.csv"
    r = pay(plan, targets, sales, "--scores", str(scores), "--out", str(out))
    assert r.returncode == 0, r.stderr
    rows = list(csv.DictReader(out.open()))
    bonus = [(r["person"], r["base"], r["tier"], r["amount"], r["reason"]) for r in rows if r["kind"] == "bonus"]
    assert bonus == [("ann", "62.5", "1", "100.00", "nps bonus: KPI score 62.5 reaches step 1")]
    # ann: 100.00 commission + 100.00 bonus = 200.00 earnings, 150.00 above the guarantee recovers
    # 80.00 of draw (all of it): payout 120.00.
    ann = [l.split() for l in r.stdout.splitlines() if l.startswith("ann")][0]
    assert ann[5:] == ["200.00", "0.00", "120.00"], r.stdout
    scores.write_text("person,period,kpi,score\nann,2026-03,nps,high\n")
    r = pay(plan, targets, sales, "--scores", str(scores))
    assert r.returncode == 2 and 'scores.csv" row 2: score "high" is not a number' in r.stderr, r.stderr


def test_pay_period_the_calendar_does_not_cover(files):
    # The CN preset answers for 2007..2026 (the years with official holiday notices).
    plan, targets, sales = files
    r = pay(plan, targets, sales, period="2027-03", calendar="CN")
    assert r.returncode == 2
    assert ('quotaflow: error (out_of_range): --period "2027-03": start 2027-01-01 is outside the calendar\'s valid '
            'range 2007-01-01..2026-12-31') in r.stderr, r.stderr


FLAT = {"schema": "quotaflow.incentive_plan/1", "name": "flat",
        "components": [{"name": "revenue", "type": "commission", "method": "marginal",
                        "tiers": [{"from": 0, "rate": 0.10}]}]}


@pytest.fixture
def by_sale(tmp_path):
    plan = tmp_path / "plan.json"
    plan.write_text(json.dumps(FLAT))
    targets = tmp_path / "targets.csv"
    targets.write_text("node,period,target\n" + "".join(
        f"{who},2026-{m:02d},1000.00\n" for m in (1, 2, 3) for who in ("ann", "bob")))
    sales = tmp_path / "sales.csv"
    sales.write_text("sale,seller,date,amount\nS0,ann,2025-12-20,300.00\nS1,ann,2026-01-10,1000.00\n"
                     "S2,bob,2026-03-05,600.00\nS3,ann,2026-03-10,400.00\n")
    splits = tmp_path / "splits.csv"
    splits.write_text("sale,person,share\nS2,bob,0.6\nS2,ann,0.4\nS0,bob,1\n")
    claws = tmp_path / "clawbacks.csv"
    claws.write_text("sale,date,amount\nS1,2026-03-15,1000.00\nS3,2026-04-05,400.00\n")
    adjust = tmp_path / "adjustments.csv"
    adjust.write_text("person,date,amount,reason\nann,2026-03-20,50.00,trade show lead\n"
                      "bob,2026-04-02,-20.00,late report\n")
    return plan, targets, sales, splits, claws, adjust


def test_pay_splits_clawbacks_and_adjustments_hand_worked(by_sale, tmp_path):
    # 10% flat. S2 (600.00, bob) is split 60/40: bob 360.00, ann 240.00. ann's March credit is
    # 400.00 + 240.00 = 640.00 -> 64.00; S1 (January, 1000.00 paid 100.00) is written off on
    # 15 March: -100.00; a 50.00 reward: payout 64.00 - 100.00 + 50.00 = 14.00. bob: 36.00.
    # Left out: the split of S0 (December 2025, before the run), the clawback dated in April,
    # bob's April penalty.
    plan, targets, sales, splits, claws, adjust = by_sale
    out = tmp_path / "statements.csv"
    r = pay(plan, targets, sales, "--splits", str(splits), "--clawbacks", str(claws), "--adjustments", str(adjust),
            "--out", str(out))
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == ('Incentive statements for 2026-03: plan "flat", 2 people, 3 credit rows '
                        '(1 outside 2026-01-01..2026-03-31 left out)')
    assert lines[1] == ("2 split, 1 clawback and 1 adjustment row(s) in effect; 3 left out "
                        "(dated after 2026-03-31, or on a sale before 2026-01-01)")
    assert lines[3].split()[:2] == ["ann", "640.00"] and lines[3].split()[-1] == "14.00", r.stdout
    assert lines[4].split()[:2] == ["bob", "360.00"] and lines[4].split()[-1] == "36.00", r.stdout
    assert lines[5] == "total payout 50.00 for 2 people; every statement's lines sum to its payout: yes"
    rows = list(csv.DictReader(out.open()))
    ann = sorted((r["kind"], r["amount"], r["reason"]) for r in rows if r["person"] == "ann")
    assert ann == [("adjustment", "50.00", "trade show lead"), ("clawback", "-100.00", "clawback of sale S1"),
                   ("commission", "64.00", "revenue tier 1 at 10%"), ("credit", "0.00", "credit of the period")]


@pytest.mark.parametrize("which,text,message", [
    ("splits", "sale,person,share\nS2,bob,0.6\nS2,ann,0.3\n",
     'splits.csv": the shares of sale "S2" (rows 2, 3) sum to 0.9; a sale\'s shares must sum to 1 (100%)'),
    ("splits", "sale,person,share\nS2,bob,1.5\n", 'splits.csv" row 2: share "1.5" is not a number in (0, 1]'),
    ("splits", "sale,person,share\nS9,bob,1\n", 'splits.csv" row 2: sale "S9" is not in column "sale"'),
    ("splits", "sale,person,share\nS2,zed,1\n", 'splits.csv" row 2: person "zed" is not one of the people paid'),
    ("clawbacks", "sale,date,amount\nS3,2026-03-20,400.01\n",
     'clawbacks.csv" row 2: clawback amount 400.01 must be more than 0 and at most the sale\'s 400.00'),
    ("clawbacks", "sale,date,amount\nS3,2026-03-01,10.00\n",
     'clawbacks.csv" row 2: clawback dated 2026-03-01, before its sale (2026-03-10)'),
    ("adjustments", "person,date,amount,reason\nann,2026-03-20,5.00,\n",
     'adjustments.csv" row 2: an adjustment needs a reason'),
    ("adjustments", "person,date,amount,reason\nann,2026-02-30,5.00,x\n", 'adjustments.csv" row 2: date "2026-02-30"'),
])
def test_pay_split_clawback_adjustment_errors_name_the_row(by_sale, which, text, message):
    plan, targets, sales, splits, claws, adjust = by_sale
    f = {"splits": splits, "clawbacks": claws, "adjustments": adjust}[which]
    f.write_text(text)
    r = pay(plan, targets, sales, f"--{which}", str(f))
    assert r.returncode == 2 and message in r.stderr, r.stderr


def test_pay_splits_need_the_sale_column(by_sale):
    plan, targets, sales, splits, claws, adjust = by_sale
    r = pay(plan, targets, sales, "--splits", str(splits), "--sale-col", "deal")
    assert r.returncode == 2 and 'sales.csv" has no column "deal"' in r.stderr, r.stderr
    sales.write_text(sales.read_text() + "S3,bob,2026-03-11,1.00\n")
    r = pay(plan, targets, sales, "--splits", str(splits))
    assert r.returncode == 2 and 'sales.csv" row 6: sale "S3" appears twice in column "sale"' in r.stderr, r.stderr
