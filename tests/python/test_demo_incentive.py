"""`quotaflow demo`, incentive step: the printed scorecard rows and the printed statement checked
against arithmetic done here, independently, from the sample company's CSV files, the shipped
scorecard and plan JSON, and the curve and tier definitions in docs/incentives.md."""
import json
import os
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest

import quotaflow as qf

CLI = os.environ.get("QUOTAFLOW_CLI")
pytestmark = pytest.mark.skipif(not CLI, reason="QUOTAFLOW_CLI is not set (ctest sets it to the built tool)")
DATA = Path(__file__).resolve().parents[2] / "data" / "sample_company"


@pytest.fixture(scope="module")
def out():
    r = subprocess.run([CLI, "demo"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    return lines[next(i for i, l in enumerate(lines) if l.startswith("Scorecard ")):]


@pytest.fixture(scope="module")
def rows(out):
    """Printed scorecard rows: rank, person, attainment, collection, conformance, activity, score."""
    got = []
    for l in out:
        m = re.match(r"^(\d+)\s+(SP-\d+)\s+.*?\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)%\s+([\d.]+)$", l)
        if m:
            got.append((int(m[1]), m[2], *(float(m[i]) for i in range(3, 8))))
    assert len(got) == 6
    return got


def q1_frames():
    sf = pd.read_csv(DATA / "sales_facts.csv")
    inv = pd.read_csv(DATA / "invoices.csv")
    pay = pd.read_csv(DATA / "payments.csv")
    ev = pd.read_csv(DATA / "deal_events.csv")
    return sf, inv, pay, ev


def test_header_counts_the_salespeople(out):
    org = pd.read_csv(DATA / "org.csv")
    m = re.match(r"Scorecard .*, Q1 2026: (\d+) salespeople scored \((\d+) without a Q1 target left out\); one "
                 r"activity a week required \(([\d.]+)\)", out[0])
    assert m, out[0]
    assert int(m[1]) + int(m[2]) == (org.kind == "salesperson").sum()
    cn = qf.Calendar.preset("CN")
    assert float(m[3]) == round(cn.working_days("2026-01-01", "2026-04-01") / 5, 1)


def test_activity_and_collection_match_the_csv_files(rows):
    sf, inv, pay, ev = q1_frames()
    required = qf.Calendar.preset("CN").working_days("2026-01-01", "2026-04-01") / 5
    in_q1 = ev[(ev.entered_at >= "2026-01-01") & (ev.entered_at < "2026-04-01")]
    owner = sf.drop_duplicates("order_id").set_index("order_id").node_id
    q1_inv = inv[(inv.issue_date >= "2026-01-01") & (inv.issue_date < "2026-04-01")].assign(node=lambda d: d.order_id.map(owner))
    paid = pay[pay.paid_date <= "2026-04-30"].groupby("invoice_id").amount_minor.sum()
    for _, person, _att, collection, _conf, activity, _score in rows:
        acts = (in_q1.actor_node_id == person).sum()
        assert activity == pytest.approx(100 * acts / required, abs=0.051), person
        mine = q1_inv[q1_inv.node == person]
        billed = mine.amount_minor.sum()
        rate = mine.invoice_id.map(paid).fillna(0).sum() / billed if billed else 1.0
        assert collection == pytest.approx(100 * rate, abs=0.051), person


def linear(v, threshold, target, cap=100, threshold_points=0):
    if v < threshold:
        return 0.0
    return min(cap, threshold_points + (100 - threshold_points) * (v - threshold) / (target - threshold))


def piecewise(v, knots):
    if v < knots[0][0]:
        return 0.0
    for (x0, y0), (x1, y1) in zip(knots, knots[1:]):
        if v <= x1:
            return y0 + (y1 - y0) * (v - x0) / (x1 - x0)
    return knots[-1][1]


def test_scores_follow_the_card_and_rank(rows):
    card = json.loads((DATA / "scorecard.json").read_text())
    weights = {k["name"]: k["weight"] / 100 for k in card["kpis"]}
    for _, person, att, col, conf, act, score in rows:
        att, col, conf, act = att / 100, col / 100, conf / 100, act / 100
        total = (weights["attainment"] * linear(att, 0.75, 1, 150, 50)
                 + weights["collection_rate"] * piecewise(col, [(0.6, 50), (0.9, 100), (1, 110)])
                 + weights["process_conformance"] * linear(conf, 0.5, 1)
                 + weights["activity"] * linear(act, 0.5, 1, 120))
        if col < 0.5:
            total *= 0.5
        # The printed KPI values are rounded to 0.1%: allow for that.
        assert score == pytest.approx(total, abs=0.3), person
    scores = [r[-1] for r in rows]
    assert scores[:3] == sorted(scores[:3], reverse=True) and scores[3:] == sorted(scores[3:], reverse=True)
    assert min(scores[:3]) >= max(scores[3:])
    assert [r[0] for r in rows[:3]] == [1, 2, 3]


def minor(text):
    return int(Decimal(text) * 100)


def half_up(x):
    return int(Decimal(x).to_integral_value(rounding=ROUND_HALF_UP))


def test_statement_lines_are_the_plan_applied_to_the_credit(out, rows):
    plan = json.loads((DATA / "incentive_plan.json").read_text())
    com, bonus = plan["components"]
    head = next(l for l in out if l.startswith("March 2026 statement of "))
    m = re.match(r"March 2026 statement of (\S+) under .* \(credit ([\d.]+), quota ([\d.]+),", head)
    person, credit, quota = m[1], minor(m[2]), minor(m[3])
    assert person == rows[0][1]
    sf = pd.read_csv(DATA / "sales_facts.csv")
    march = sf[(sf.node_id == person) & (sf.date >= "2026-03-01") & (sf.date < "2026-04-01")]
    assert credit == march.revenue_minor.sum()

    # Marginal tiers, split at the accelerator (rates x 1.5 above 120%); thresholds round half up.
    edges = [half_up(Decimal(quota) * Decimal(str(t["from"]))) for t in com["tiers"]]
    acc = half_up(Decimal(quota) * Decimal(str(com["accelerator"]["above"])))
    factor = Decimal(str(com["accelerator"]["factor"]))
    pieces = []  # (from, rate, tier)
    for i, t in enumerate(com["tiers"]):
        pieces.append((edges[i], Decimal(str(t["rate"])), i + 1))
        end = edges[i + 1] if i + 1 < len(edges) else None
        if acc > edges[i] and (end is None or acc < end):
            pieces.append((acc, Decimal(str(t["rate"])), i + 1))
    expected = [("credit", credit, "", 0)]
    for j, (lo, rate, tier) in enumerate(pieces):
        hi = pieces[j + 1][0] if j + 1 < len(pieces) else None
        part = min(credit, hi if hi is not None else credit) - lo
        if part <= 0:
            continue
        r = rate * factor if lo >= acc else rate
        expected.append(("commission", part, f"{r.normalize():f}", half_up(part * r)))
    score = rows[0][-1]
    step = max((s for s in bonus["steps"] if score >= s["score"]), key=lambda s: s["score"])
    expected.append(("bonus", None, "", step["amount"]))

    printed, total = [], None
    start = out.index(head) + 2
    for l in out[start:]:
        if l.strip().startswith("lines sum to"):
            total = re.match(r"\s*lines sum to ([-\d.]+); payout ([-\d.]+);", l)
            break
        f = l.split()
        base = None if f[0] == "bonus" else minor(f[1 if f[0] == "credit" else 3])
        rate = f[4] if f[0] == "commission" else ""
        amount = minor(f[{"credit": 2, "commission": 6, "bonus": 5}[f[0]]])
        printed.append((f[0], base, rate, amount))
    assert printed == expected
    assert sum(p[3] for p in expected) == minor(total[1]) == minor(total[2])
