"""The quotaflow command-line tool: --version, demo, calendar, and its errors."""
import os
import subprocess

import pytest

import quotaflow as qf

CLI = os.environ.get("QUOTAFLOW_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="QUOTAFLOW_CLI is not set (ctest sets it to the built tool)")


def run(*args, ok=True):
    r = subprocess.run([CLI, *args], capture_output=True, text=True, timeout=60)
    if ok:
        assert r.returncode == 0, r.stderr
    return r


def test_version():
    assert run("--version").stdout.strip() == f"quotaflow {qf.__version__}"


def test_calendar_month_table_cn_2025():
    out = run("calendar", "--preset", "CN", "--year", "2025", "--grain", "month", "--format", "csv").stdout
    lines = out.strip().splitlines()
    assert lines[0] == "period,start,end,working_days"
    assert [int(l.split(",")[3]) for l in lines[1:]] == [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23]
    assert lines[1] == "2025-01,2025-01-01,2025-02-01,19"


def test_calendar_table_has_total():
    out = run("calendar", "--preset", "CN", "--year", "2024", "--grain", "quarter").stdout
    assert out.splitlines()[-1].split()[-1] == "251"


def test_calendar_fiscal_year():
    out = run("calendar", "--year", "2026", "--grain", "quarter", "--fiscal-start", "4", "--format", "csv").stdout
    assert out.splitlines()[1].startswith("FY2026-Q1,2025-04-01,2025-07-01,")


def test_calendar_from_csv(tmp_path):
    f = tmp_path / "cal.csv"
    f.write_text("date,kind\n2026-01-02,holiday\n2026-01-03,makeup_workday\n")
    out = run("calendar", "--csv", str(f), "--year", "2026", "--grain", "week", "--format", "csv").stdout
    assert out.splitlines()[1] == "2026-W01,2026-01-01,2026-01-05,2"  # Thu worked, Fri off, Sat worked


def test_demo_prints_the_sample_company_calendar():
    out = run("demo").stdout
    assert "Hangzhou Qingquan Beverage" in out
    assert "plan year 2026: 248 working days" in out
    months = [l.split() for l in out.splitlines() if l.startswith("2026-") and len(l.split()) == 4 and "-Q" not in l]
    assert [int(m[3]) for m in months] == qf.Calendar.preset("CN").periods("2026-01-01", "2027-01-01", "month")[
        "working_days"].tolist()
    assert "2026-Q1" in out


@pytest.mark.parametrize("args, message", [
    (("calendar", "--preset", "XX", "--year", "2025"), 'calendar preset "XX" is unknown'),
    (("calendar", "--preset", "CN", "--year", "2030"), "outside the calendar's valid range"),
    (("calendar", "--preset", "CN", "--year", "2025", "--grain", "fortnight"), 'grain "fortnight" is unknown'),
    (("calendar", "--csv", "/nonexistent/cal.csv", "--year", "2025"), 'cannot open calendar CSV "/nonexistent/cal.csv"'),
    (("calendar", "--year", "2025", "--fiscal-start", "13"), "fiscal_year_start_month is 13"),
])
def test_errors_are_clear_and_exit_non_zero(args, message):
    r = run(*args, ok=False)
    assert r.returncode != 0
    assert message in r.stderr


def test_malformed_csv_names_the_line(tmp_path):
    f = tmp_path / "bad.csv"
    f.write_text("date,kind\n2026-01-02,holiday\n2026-01-03,vacation\n")
    r = run("calendar", "--csv", str(f), "--year", "2026", ok=False)
    assert r.returncode == 2 and "line 3" in r.stderr and '"vacation"' in r.stderr


def test_allocate_writes_an_exact_long_table(tmp_path):
    import csv
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data" / "sample_company"
    out = tmp_path / "plan.csv"
    run("allocate", "--hierarchy", str(data / "org.csv"), "--weights", str(data / "monthly_history.csv"),
        "--weights-col", "revenue_minor", "--weights-filter", "month=2025", "--total", "261000000.00",
        "--year", "2026", "--grain", "month", "-o", str(out))
    rows = list(csv.DictReader(out.open()))
    assert list(rows[0]) == ["node", "period", "target"]
    by_node = {}
    for r in rows:
        by_node.setdefault(r["node"], []).append(qf.parse_amount(r["target"], 2))
    assert sum(by_node["CO"]) == 26_100_000_000
    assert len(by_node["CO"]) == 12 and len(by_node) == 63
    regions = ["R-EAST", "R-SOUTH", "R-NORTH", "R-WEST"]
    for k in range(12):  # the regions add up to the company in every month
        assert sum(by_node[r][k] for r in regions) == by_node["CO"][k]


def test_allocate_errors(tmp_path):
    from pathlib import Path

    data = Path(__file__).resolve().parents[2] / "data" / "sample_company"
    w = tmp_path / "w.csv"
    w.write_text("node_id,weight\nNOBODY,1\n")
    r = run("allocate", "--hierarchy", str(data / "org.csv"), "--weights", str(w), "--total", "100",
            "--year", "2026", ok=False)
    assert r.returncode == 2 and 'node "NOBODY" is not in the hierarchy' in r.stderr
    w.write_text("node_id,weight\nSP-01,1\n")
    r = run("allocate", "--hierarchy", str(data / "org.csv"), "--weights", str(w), "--total", "1.234",
            "--year", "2026", ok=False)
    assert r.returncode == 2 and "more than 2 decimals" in r.stderr
