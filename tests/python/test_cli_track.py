"""`quotaflow track`: pacing of a plan against sales facts as of a date, worked by hand on a plain
Monday-Friday calendar, behind and at-risk nodes first, and its errors."""
import os
import subprocess

import pytest

CLI = os.environ.get("QUOTAFLOW_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="QUOTAFLOW_CLI is not set (ctest sets it to the built tool)")


def run(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)


@pytest.fixture
def files(tmp_path):
    org = tmp_path / "org.csv"
    org.write_text("node_id,parent_id\nCO,\nA,CO\nB,CO\n")
    plan = tmp_path / "plan.csv"
    plan.write_text("node,period,target\nA,2026-03,2200.00\nB,2026-03,2200.00\nA,2026-04,100.00\n")
    sales = tmp_path / "sales.csv"
    # Facts after the as-of date are left out; CO's figures are the roll-up of A and B.
    sales.write_text("node_id,date,revenue_minor\nA,2026-03-02,30000\nA,2026-03-13,20000\nB,2026-03-05,110000\n"
                     "A,2026-03-16,999999\n")
    return org, plan, sales


def test_track_paces_by_working_days_and_puts_at_risk_first(files):
    org, plan, sales = files
    r = run("track", "--hierarchy", str(org), "--plan", str(plan), "--actuals", str(sales), "--as-of", "2026-03-13",
            "--calendar", "plain")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("Plan vs actual as of 2026-03-13 (plain calendar; 1 fact rows after the as-of date left out)")
    rows = [l.split() for l in lines[2:-1]]
    # March 2026 has 22 weekdays; 10 of them are done by Friday the 13th: plan to date = 10/22 of plan.
    # A: 500.00 of 1000.00 (pace 0.50, at risk; needs 1700.00 over 12 days); CO: 1600.00 of 2000.00
    # (pace 0.80, at risk); B: 1100.00 of 1000.00 (pace 1.10, ahead).
    assert [row[0] for row in rows] == ["A", "CO", "B"]
    a, co, b = rows
    assert a[1:8] == ["2026-03", "45%", "2200.00", "1000.00", "500.00", "-500.00", "0.50"]
    assert a[9:] == ["141.67", "at_risk"]
    assert co[1:8] == ["2026-03", "45%", "4400.00", "2000.00", "1600.00", "-400.00", "0.80"]
    assert co[-1] == "at_risk"
    assert b[1:8] == ["2026-03", "45%", "2200.00", "1000.00", "1100.00", "100.00", "1.10"]
    assert b[-1] == "ahead"
    assert lines[-1] == "2 node-period(s) behind or at risk"


def test_track_all_periods_lists_every_month(files):
    org, plan, sales = files
    r = run("track", "--hierarchy", str(org), "--plan", str(plan), "--actuals", str(sales), "--as-of", "2026-03-13",
            "--calendar", "plain", "--all-periods")
    assert r.returncode == 0, r.stderr
    rows = [l.split() for l in r.stdout.splitlines()[2:-1]]
    assert len(rows) == 3 * 12
    april_a = [row for row in rows if row[0] == "A" and row[1] == "2026-04"]
    assert april_a[0][2:6] == ["0%", "100.00", "0.00", "0.00"]


@pytest.mark.parametrize("plan_text,sales_text,message", [
    ("node,period,target\nNOBODY,2026-03,1.00\n", "node_id,date,revenue_minor\n", 'row 2: node "NOBODY" is not in the hierarchy'),
    ("node,period,target\nA,2026-13,1.00\n", "node_id,date,revenue_minor\n", 'row 2: period "2026-13" is not a month of 2026'),
    ("node,period,target\nA,2026-03,1.001\n", "node_id,date,revenue_minor\n", "more than 2 decimals"),
    ("node,period,target\n", "node_id,date,revenue_minor\nA,2026-02-30,1\n", 'row 2: date "2026-02-30" is not a valid date'),
    ("node,period,target\n", "node_id,date,revenue_minor\nZ,2026-02-03,1\n", 'row 2: node "Z" is not in the hierarchy'),
    ("node,period,target\n", "node_id,day,revenue_minor\n", 'has no column "date"'),
])
def test_track_errors_name_the_file_row_and_value(files, tmp_path, plan_text, sales_text, message):
    org, plan, sales = files
    plan.write_text(plan_text)
    sales.write_text(sales_text)
    r = run("track", "--hierarchy", str(org), "--plan", str(plan), "--actuals", str(sales), "--as-of", "2026-03-13",
            "--calendar", "plain")
    assert r.returncode == 2 and message in r.stderr, r.stderr
