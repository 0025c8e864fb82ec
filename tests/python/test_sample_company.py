"""Checks the deterministic sample company in data/sample_company/ (see data/README.md).

Standard library + pytest only. Verifies that tools/gen_sample_company.py reproduces the files
byte-for-byte, sizes, referential integrity, money/date rules, the sales process model, and that
the planted deviations in planted_deviations.csv are present -- and that no unplanted deviation of
those kinds exists (reference detectors below follow the definitions in data/README.md).
"""
import collections
import csv
import datetime as dt
import importlib.util
import os
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data" / "sample_company"
GEN = ROOT / "tools" / "gen_sample_company.py"
README = ROOT / "data" / "README.md"

FILES = [
    "company.csv", "org.csv", "territories.csv", "channels.csv", "customers.csv", "products.csv",
    "staff.csv", "monthly_history.csv", "process_stages.csv", "process_transitions.csv", "deals.csv",
    "deal_events.csv", "sales_facts.csv", "invoices.csv", "payments.csv", "planted_deviations.csv",
]
KINDS = ["skipped_stage", "stalled_deal", "cross_territory_sale", "promo_item_sold",
         "price_policy_violation", "overdue_invoice"]


def read(name):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def date(s):
    assert len(s) == 10, s
    return dt.date.fromisoformat(s)


@pytest.fixture(scope="module")
def gen():
    spec = importlib.util.spec_from_file_location("gen_sample_company", GEN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def db():
    t = {name[:-4]: read(name) for name in FILES}
    t["company_kv"] = {r["key"]: r["value"] for r in t["company"]}
    return t


@pytest.fixture(scope="module")
def as_of(db):
    return date(db["company_kv"]["as_of"])


@pytest.fixture(scope="module")
def planted(db):
    out = collections.defaultdict(set)
    for r in db["planted_deviations"]:
        out[r["kind"]].add(r["entity_id"])
    return out


def by(rows, key):
    out = {}
    for r in rows:
        assert r[key] not in out, f"duplicate {key} {r[key]}"
        out[r[key]] = r
    return out


def group(rows, key):
    out = collections.defaultdict(list)
    for r in rows:
        out[r[key]].append(r)
    return out


# ----------------------------------------------------------------------------- generator
@pytest.mark.parametrize("hashseed", ["0", "12345"])
def test_generator_check_is_byte_identical(hashseed):
    env = dict(os.environ, PYTHONHASHSEED=hashseed)
    r = subprocess.run([sys.executable, str(GEN), "--check"], cwd=str(ROOT), env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr


def test_generator_out_dir_matches_committed_files(tmp_path):
    out = tmp_path / "sc"
    r = subprocess.run([sys.executable, str(GEN), "--out", str(out)], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    for name in FILES:
        assert (out / name).read_bytes() == (DATA / name).read_bytes(), name


# ----------------------------------------------------------------------------- files, sizes, format
def test_files_and_sizes():
    present = sorted(p.name for p in DATA.glob("*.csv"))
    assert present == sorted(FILES)
    total = sum((DATA / n).stat().st_size for n in FILES)
    assert 300_000 < total < 2_000_000, total
    for n in FILES:
        raw = (DATA / n).read_bytes()
        assert raw.endswith(b"\n") and b"\r" not in raw, n
        raw.decode("ascii")  # ASCII content only


def test_row_counts(db):
    leaves = [r for r in db["org"] if r["kind"] in ("salesperson", "distributor")]
    assert 40 <= len(leaves) <= 60
    assert 200 <= len(db["customers"]) <= 600
    assert 200 <= len(db["deals"]) <= 600
    assert len(db["monthly_history"]) > 5000
    assert len(db["sales_facts"]) > 2000


def test_company(db):
    kv = db["company_kv"]
    assert kv["currency"] == "CNY" and kv["amount_scale"] == "2" and kv["calendar"] == "CN"
    assert kv["fiscal_year_start_month"] == "1" and kv["plan_year"] == "2026"
    assert kv["history_start"] == "2024-01-01" and kv["as_of"] == "2026-06-30"
    assert int(kv["annual_revenue_target_minor"]) > 0
    assert 0 < int(kv["max_discount_pct"]) < 100 and int(kv["stall_factor"]) >= 1
    rev_2025 = sum(int(r["revenue_minor"]) for r in db["monthly_history"] if r["month"].startswith("2025"))
    assert rev_2025 < int(kv["annual_revenue_target_minor"]) < 2 * rev_2025


# ----------------------------------------------------------------------------- org and master data
def test_org_tree(db):
    org = by(db["org"], "node_id")
    roots = [n for n in org.values() if n["parent_id"] == ""]
    assert len(roots) == 1 and roots[0]["kind"] == "company"
    parent_kind = {"region": "company", "district": "region", "salesperson": "district", "distributor": "district"}
    kids = group([n for n in org.values() if n["parent_id"]], "parent_id")
    for n in org.values():
        if n["parent_id"]:
            assert n["parent_id"] in org, n
            assert org[n["parent_id"]]["kind"] == parent_kind[n["kind"]], n
        leaf = n["kind"] in ("salesperson", "distributor")
        assert (n["node_id"] not in kids) == leaf, n
        assert bool(n["territory_id"]) == leaf and bool(n["channel_id"]) == leaf, n
        assert bool(n["start_date"]) == leaf and bool(n["selling_hours_per_week"]) == leaf, n
        if leaf:
            date(n["start_date"])
            assert 0 < int(n["selling_hours_per_week"]) <= 80
    regions = kids[roots[0]["node_id"]]
    assert 3 <= len(regions) <= 4
    for r in regions:
        assert 2 <= len(kids[r["node_id"]]) <= 3
        for d in kids[r["node_id"]]:
            kinds = collections.Counter(k["kind"] for k in kids[d["node_id"]])
            assert 3 <= kinds["salesperson"] <= 5 and 1 <= kinds["distributor"] <= 2, d
    new_hires = [n for n in org.values() if n["start_date"] and date(n["start_date"]) >= dt.date(2025, 5, 1)]
    assert len(new_hires) >= 3


def test_foreign_keys(db):
    org, terr = by(db["org"], "node_id"), by(db["territories"], "territory_id")
    chan, cust = by(db["channels"], "channel_id"), by(db["customers"], "customer_id")
    prod, staff = by(db["products"], "product_id"), by(db["staff"], "staff_id")
    stages, deals = by(db["process_stages"], "stage_id"), by(db["deals"], "deal_id")
    orders = {r["order_id"] for r in db["sales_facts"]}
    invoices = by(db["invoices"], "invoice_id")
    by(db["sales_facts"], "line_id")
    by(db["payments"], "payment_id")
    by(db["planted_deviations"], "deviation_id")
    assert not set(org) & set(staff)
    for n in org.values():
        if n["territory_id"]:
            assert n["territory_id"] in terr and n["channel_id"] in chan
    for c in cust.values():
        assert c["territory_id"] in terr and c["channel"] in chan
    for r in db["monthly_history"]:
        assert r["node_id"] in org and org[r["node_id"]]["territory_id"]
        assert r["product_id"] in prod and r["channel_id"] in chan
    for r in db["process_transitions"]:
        assert r["from_stage"] in stages and r["to_stage"] in stages
    for d in deals.values():
        assert d["customer_id"] in cust and org[d["owner_node_id"]]["kind"] == "salesperson"
    for e in db["deal_events"]:
        assert e["deal_id"] in deals and e["stage_id"] in stages
        assert e["actor_node_id"] in org or e["actor_node_id"] in staff
    for r in db["sales_facts"]:
        assert r["node_id"] in org and org[r["node_id"]]["territory_id"]
        assert r["customer_id"] in cust and r["product_id"] in prod and r["channel_id"] in chan
    for i in invoices.values():
        assert i["customer_id"] in cust and i["order_id"] in orders
    assert len({i["order_id"] for i in invoices.values()}) == len(invoices) == len(orders)
    for p in db["payments"]:
        assert p["invoice_id"] in invoices
    entity_tables = {"skipped_stage": deals, "stalled_deal": deals, "overdue_invoice": invoices,
                     "cross_territory_sale": by(db["sales_facts"], "line_id"),
                     "promo_item_sold": by(db["sales_facts"], "line_id"),
                     "price_policy_violation": by(db["sales_facts"], "line_id")}
    for p in db["planted_deviations"]:
        assert p["kind"] in KINDS and p["entity_id"] in entity_tables[p["kind"]], p


def test_products(db):
    for p in db["products"]:
        lp, cost = int(p["list_price_minor"]), int(p["unit_cost_minor"])
        if p["is_promotional"] == "1":
            assert lp == 0 and cost > 0
        else:
            assert p["is_promotional"] == "0" and 0 < cost < lp
        if p["launch_date"]:
            date(p["launch_date"])


def test_embedded_calendar_matches_cn_preset(gen):
    ref = ROOT / "data" / "calendars" / "cn_official_2007_2026.csv"
    if not ref.is_file():
        pytest.skip("data/calendars/cn_official_2007_2026.csv not generated yet")
    with open(ref, newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if "2024-01-01" <= r["date"] <= "2026-12-31"]
    hol = sorted(r["date"] for r in rows if r["kind"] == "holiday")
    mk = sorted(r["date"] for r in rows if r["kind"] == "makeup_workday")
    assert hol == sorted(d.isoformat() for d in gen.CN_HOLIDAYS)
    assert mk == sorted(d.isoformat() for d in gen.CN_MAKEUP)


# ----------------------------------------------------------------------------- history
def test_monthly_history(db):
    org, prod = by(db["org"], "node_id"), by(db["products"], "product_id")
    months = sorted({r["month"] for r in db["monthly_history"]})
    assert months[0] == "2024-01" and months[-1] == "2025-12" and len(months) == 24
    seen = set()
    total = collections.Counter()
    online = collections.Counter()
    for r in db["monthly_history"]:
        key = (r["month"], r["node_id"], r["product_id"], r["channel_id"])
        assert key not in seen
        seen.add(key)
        units, rev, margin = int(r["units"]), int(r["revenue_minor"]), int(r["margin_minor"])
        assert units > 0 and rev > 0 and 0 < margin < rev
        assert prod[r["product_id"]]["is_promotional"] == "0"
        assert r["channel_id"] == org[r["node_id"]]["channel_id"]
        start = date(org[r["node_id"]]["start_date"])
        assert r["month"] >= f"{start.year:04d}-{start.month:02d}"
        launch = prod[r["product_id"]]["launch_date"]
        if launch:
            assert r["month"] >= launch[:7]
        total[r["month"]] += rev
        if r["channel_id"] == "online":
            online[r["month"]] += rev
    for y in ("2024", "2025"):
        assert total[f"{y}-07"] > 1.3 * total[f"{y}-02"]            # summer peak vs Spring Festival lull
        assert online[f"{y}-06"] > online[f"{y}-05"]                 # 618
        assert online[f"{y}-10"] + online[f"{y}-11"] > 2 * online[f"{y}-09"] * 0.95  # Singles' Day sell-in
    assert total["2025-01"] > total["2025-02"]  # 2025 festival on Jan 29: stocking in January
    y24 = sum(v for k, v in total.items() if k.startswith("2024"))
    y25 = sum(v for k, v in total.items() if k.startswith("2025"))
    assert 1.02 < y25 / y24 < 1.3


# ----------------------------------------------------------------------------- sales facts & receivables
def test_sales_facts_rules(db, gen, as_of):
    org, cust, prod = by(db["org"], "node_id"), by(db["customers"], "customer_id"), by(db["products"], "product_id")
    for r in db["sales_facts"]:
        d = date(r["date"])
        assert dt.date(2026, 1, 1) <= d <= as_of and gen.is_working_day(d)
        assert d >= date(org[r["node_id"]]["start_date"])
        units, price, rev, disc = (int(r[k]) for k in ("units", "unit_price_minor", "revenue_minor", "discount_pct"))
        assert units > 0 and rev == units * price and 0 <= disc < 100
        assert r["channel_id"] == cust[r["customer_id"]]["channel"] == org[r["node_id"]]["channel_id"]
        if prod[r["product_id"]]["is_promotional"] == "0":
            lp = int(prod[r["product_id"]]["list_price_minor"])
            assert price == (lp * (100 - disc) + 50) // 100
            assert price > 0
        else:
            assert disc == 0
    lines = group(db["sales_facts"], "order_id")
    for oid, ls in lines.items():
        assert len({(l["date"], l["node_id"], l["customer_id"]) for l in ls}) == 1, oid
        assert len({l["product_id"] for l in ls}) == len(ls), oid


def test_invoices_and_payments(db, gen, as_of):
    cust, chan = by(db["customers"], "customer_id"), by(db["channels"], "channel_id")
    lines = group(db["sales_facts"], "order_id")
    pays = group(db["payments"], "invoice_id")
    for inv in db["invoices"]:
        ls = lines[inv["order_id"]]
        assert inv["customer_id"] == ls[0]["customer_id"]
        assert int(inv["amount_minor"]) == sum(int(l["revenue_minor"]) for l in ls) > 0
        issue, due = date(inv["issue_date"]), date(inv["due_date"])
        assert issue == date(ls[0]["date"])
        assert (due - issue).days == int(chan[cust[inv["customer_id"]]["channel"]]["payment_terms_days"])
        paid = 0
        for p in pays.get(inv["invoice_id"], []):
            pd_ = date(p["paid_date"])
            assert issue <= pd_ <= as_of and gen.is_working_day(pd_)
            assert int(p["amount_minor"]) > 0
            paid += int(p["amount_minor"])
        assert paid <= int(inv["amount_minor"])


# ----------------------------------------------------------------------------- process model
def test_process_model(db):
    stages = by(db["process_stages"], "stage_id")
    out = group(db["process_transitions"], "from_stage")
    for sid, s in stages.items():
        assert s["mandatory"] in ("0", "1") and s["is_terminal"] in ("0", "1")
        assert int(s["expected_duration_days"]) >= 0 and 0.0 <= float(s["win_probability"]) <= 1.0
        if s["is_terminal"] == "1":
            assert sid not in out
        else:
            assert sum(Fraction(t["probability"]) for t in out[sid]) == 1, sid
    for t in db["process_transitions"]:
        assert 0 < Fraction(t["probability"]) <= 1
        assert t["handoff"] == str(int(stages[t["from_stage"]]["department"] != stages[t["to_stage"]]["department"]))
    assert stages["price_approval"]["department"] == "finance" and stages["price_approval"]["mandatory"] == "1"
    assert stages["lost"]["is_terminal"] == "1" and stages["lost"]["seq"] == ""
    probs = [float(stages[s]["win_probability"]) for s in ("lead", "qualification", "proposal", "negotiation", "contract")]
    assert probs == sorted(probs) and probs[-1] == 1.0


def deal_histories(db):
    ev = collections.defaultdict(list)
    for e in db["deal_events"]:
        ev[e["deal_id"]].append(e)
    return ev


def test_deals_follow_process(db, gen, as_of, planted):
    stages = by(db["process_stages"], "stage_id")
    org, cust, staff = by(db["org"], "node_id"), by(db["customers"], "customer_id"), by(db["staff"], "staff_id")
    allowed = {(t["from_stage"], t["to_stage"]) for t in db["process_transitions"]}
    hist = deal_histories(db)
    for d in db["deals"]:
        evs = hist[d["deal_id"]]
        assert evs, d
        ts = [e["entered_at"] for e in evs]
        assert ts == sorted(ts) and len(set(ts)) == len(ts)
        for t in ts:
            when = dt.datetime.fromisoformat(t)
            assert len(t) == 19 and 9 <= when.hour < 18 and gen.is_working_day(when.date()) and when.date() <= as_of
        assert evs[0]["stage_id"] == "lead" and d["created"] == ts[0][:10]
        assert date(d["expected_close"]) > date(d["created"])
        owner = org[d["owner_node_id"]]
        assert date(d["created"]) >= date(owner["start_date"])
        c = cust[d["customer_id"]]
        assert c["territory_id"] == owner["territory_id"] and c["channel"] == owner["channel_id"]
        assert int(d["amount_minor"]) > 0
        seq = [e["stage_id"] for e in evs]
        reached = [int(stages[s]["seq"]) for s in seq if stages[s]["seq"]]
        if seq[-1] == "lost":
            assert d["status"] == "lost"
        elif reached and max(reached) >= int(stages["contract"]["seq"]):
            assert d["status"] == "won"
        else:
            assert d["status"] == "open"
        assert "lost" not in seq[:-1] and "payment" not in seq[:-1]
        for e in evs:
            if stages[e["stage_id"]]["department"] == "sales":
                assert e["actor_node_id"] == d["owner_node_id"]
            else:
                assert staff[e["actor_node_id"]]["department"] == stages[e["stage_id"]]["department"]
        bad = [(a, b) for a, b in zip(seq, seq[1:]) if (a, b) not in allowed]
        if d["deal_id"] in planted["skipped_stage"]:
            assert len(bad) == 1, (d["deal_id"], bad)
        else:
            assert bad == [], (d["deal_id"], bad)


# ----------------------------------------------------------------------------- planted deviations
def detect_skipped(db):
    stages = by(db["process_stages"], "stage_id")
    mandatory = [s for s, r in stages.items() if r["mandatory"] == "1"]
    out = {}
    for deal_id, evs in deal_histories(db).items():
        seq = [e["stage_id"] for e in evs]
        reached = max((int(stages[s]["seq"]) for s in seq if stages[s]["seq"]), default=0)
        missing = sorted(m for m in mandatory if m not in seq and int(stages[m]["seq"]) < reached)
        if missing:
            out[deal_id] = missing
    return out


def detect_stalled(db, as_of):
    stages = by(db["process_stages"], "stage_id")
    factor = int(db["company_kv"]["stall_factor"])
    hist = deal_histories(db)
    out = {}
    for d in db["deals"]:
        if d["status"] != "open":
            continue
        last = hist[d["deal_id"]][-1]
        age = (as_of - date(last["entered_at"][:10])).days
        if age > factor * int(stages[last["stage_id"]]["expected_duration_days"]):
            out[d["deal_id"]] = (last["stage_id"], age)
    return out


def detect_sales(db):
    org, cust, prod = by(db["org"], "node_id"), by(db["customers"], "customer_id"), by(db["products"], "product_id")
    max_disc = int(db["company_kv"]["max_discount_pct"])
    out = collections.defaultdict(set)
    for r in db["sales_facts"]:
        if org[r["node_id"]]["territory_id"] != cust[r["customer_id"]]["territory_id"]:
            out["cross_territory_sale"].add(r["line_id"])
        promo = prod[r["product_id"]]["is_promotional"] == "1"
        if promo and (int(r["unit_price_minor"]) > 0 or int(r["revenue_minor"]) > 0):
            out["promo_item_sold"].add(r["line_id"])
        if not promo and int(r["discount_pct"]) > max_disc:
            out["price_policy_violation"].add(r["line_id"])
    return out


def detect_overdue(db, as_of):
    paid = collections.Counter()
    for p in db["payments"]:
        if date(p["paid_date"]) <= as_of:
            paid[p["invoice_id"]] += int(p["amount_minor"])
    return {i["invoice_id"]: int(i["amount_minor"]) - paid[i["invoice_id"]] for i in db["invoices"]
            if date(i["due_date"]) < as_of and paid[i["invoice_id"]] < int(i["amount_minor"])}


def details(row):
    return dict(kv.split("=", 1) for kv in row["details"].split("; "))


def test_planted_list_shape(db, planted):
    counts = collections.Counter(r["kind"] for r in db["planted_deviations"])
    assert set(counts) == set(KINDS)
    assert counts["skipped_stage"] >= 3 and counts["stalled_deal"] >= 3 and counts["overdue_invoice"] >= 4
    assert counts["cross_territory_sale"] == 1 and counts["promo_item_sold"] == 1
    ids = [r["deviation_id"] for r in db["planted_deviations"]]
    assert ids == [f"PD-{i:02d}" for i in range(1, len(ids) + 1)]
    assert len({r["entity_id"] for r in db["planted_deviations"]}) == len(ids)


def test_skipped_stages_exactly_planted(db, planted):
    found = detect_skipped(db)
    assert set(found) == planted["skipped_stage"]
    for r in db["planted_deviations"]:
        if r["kind"] == "skipped_stage":
            det = details(r)
            assert found[r["entity_id"]] == [det["skipped"]]
            seq = [e["stage_id"] for e in deal_histories(db)[r["entity_id"]]]
            a, b = det["transition"].split("->")
            assert det["skipped"] not in seq and any(x == a and y == b for x, y in zip(seq, seq[1:]))


def test_stalled_deals_exactly_planted(db, planted, as_of):
    stages = by(db["process_stages"], "stage_id")
    found = detect_stalled(db, as_of)
    assert set(found) == planted["stalled_deal"]
    for r in db["planted_deviations"]:
        if r["kind"] == "stalled_deal":
            det = details(r)
            assert found[r["entity_id"]] == (det["stage"], int(det["days_in_stage"]))
    # clear margin: no other open deal is anywhere near the threshold
    hist = deal_histories(db)
    for d in db["deals"]:
        if d["status"] == "open" and d["deal_id"] not in planted["stalled_deal"]:
            last = hist[d["deal_id"]][-1]
            age = (as_of - date(last["entered_at"][:10])).days
            assert age <= 1.5 * int(stages[last["stage_id"]]["expected_duration_days"]), d


def test_sales_deviations_exactly_planted(db, planted):
    found = detect_sales(db)
    for kind in ("cross_territory_sale", "promo_item_sold", "price_policy_violation"):
        assert found[kind] == planted[kind], kind
    lines = by(db["sales_facts"], "line_id")
    for r in db["planted_deviations"]:
        det = details(r)
        if r["kind"] == "cross_territory_sale":
            ln = lines[r["entity_id"]]
            assert ln["order_id"] == det["order_id"] and ln["customer_id"] == det["customer_id"]
            assert sum(1 for l in db["sales_facts"] if l["order_id"] == ln["order_id"]) == 1
        elif r["kind"] == "promo_item_sold":
            assert int(lines[r["entity_id"]]["unit_price_minor"]) == int(det["unit_price_minor"]) > 0
        elif r["kind"] == "price_policy_violation":
            assert int(lines[r["entity_id"]]["discount_pct"]) == int(det["discount_pct"]) > int(det["max_discount_pct"])


def test_overdue_invoices_exactly_planted(db, planted, as_of):
    found = detect_overdue(db, as_of)
    assert set(found) == planted["overdue_invoice"]
    invoices = by(db["invoices"], "invoice_id")
    for r in db["planted_deviations"]:
        if r["kind"] == "overdue_invoice":
            det = details(r)
            inv = invoices[r["entity_id"]]
            assert found[r["entity_id"]] == int(det["outstanding_minor"]) > 0
            assert int(det["amount_minor"]) == int(inv["amount_minor"])
            assert int(det["days_overdue"]) == (as_of - date(inv["due_date"])).days > 0
    # the documented near miss: unpaid, due exactly on the as-of date, hence NOT overdue
    near = invoices[db["company_kv"]["near_miss_invoice_id"]]
    assert date(near["due_date"]) == as_of
    assert near["invoice_id"] not in {p["invoice_id"] for p in db["payments"]}


def test_readme_lists_every_planted_deviation(db):
    text = README.read_text(encoding="utf-8")
    for r in db["planted_deviations"]:
        assert f"| {r['deviation_id']} | {r['kind']} | {r['entity_id']} |" in text, r
    for name in FILES:
        assert f"`{name}`" in text, name
    assert db["company_kv"]["near_miss_invoice_id"] in text


# ----------------------------------------------------------------------------- the streaming monitor
def test_monitor_finds_exactly_the_planted_deviations(db, planted, as_of):
    """The streaming Monitor, fed the company's events up to as_of, raises exactly the planted
    stalled deals, cross-territory sale, promotional item sold and discount violations, and the
    overdue receivables of exactly the customers of the planted overdue invoices (the monitor
    alerts per customer). The demo (`quotaflow demo`) runs the same events through the C++ Monitor."""
    qf = pytest.importorskip("quotaflow")
    np = pytest.importorskip("numpy")
    pd = pytest.importorskip("pandas")
    day = as_of.isoformat()
    cal = qf.Calendar.preset("CN")
    org = qf.Hierarchy.from_parents(
        [-1 if r["parent_id"] == "" else [o["node_id"] for o in db["org"]].index(r["parent_id"]) for r in db["org"]],
        names=[r["node_id"] for r in db["org"]])
    provinces = list(dict.fromkeys(t["province"] for t in db["territories"]))
    geo = qf.Hierarchy.from_parents([-1] + [0] * len(provinces) + [1 + provinces.index(t["province"]) for t in db["territories"]],
                                    names=["CN"] + provinces + [t["territory_id"] for t in db["territories"]])
    products = [p["product_id"] for p in db["products"]]
    customers = [c["customer_id"] for c in db["customers"]]
    cust_territory = {c["customer_id"]: c["territory_id"] for c in db["customers"]}
    model = qf.ProcessModel.load(DATA / "process_model.json")
    stages = list(model.stage_names)
    m = qf.Monitor(org, cal, np.zeros((len(org), 12), dtype=np.int64), "2026-01-01", "2027-01-01",
                   rules=["deal_stalled", "price_below_floor", "price_above_ceiling", "promo_not_free",
                          "discount_above_max", "territory_violation", "receivable_overdue"],
                   stage_limits=qf.rules.stall_limits(model), stage_names=stages,
                   sales_policy={"list_price": [int(p["list_price_minor"]) for p in db["products"]],
                                 "promotional": [int(p["is_promotional"]) for p in db["products"]],
                                 "item_names": products,
                                 "max_discount_pct": [float(db["company_kv"]["max_discount_pct"])],
                                 "customer_tier": [0] * len(customers), "territories": geo,
                                 "seller_territory": [r["territory_id"] or -1 for r in db["org"]]},
                   amount_scale=2)
    sales = pd.DataFrame([s for s in db["sales_facts"] if date(s["date"]) <= as_of])
    m.push_sales({"node": sales["node_id"], "date": sales["date"], "amount": sales["revenue_minor"].astype(np.int64),
                  "sale": sales["line_id"].str[-6:].astype(np.int64), "item": sales["product_id"].map(products.index),
                  "price": sales["unit_price_minor"].astype(np.int64), "discount_pct": sales["discount_pct"].astype(float),
                  "customer": sales["customer_id"].map(customers.index),
                  "location": sales["customer_id"].map(cust_territory)})
    events = sorted((e for e in db["deal_events"] if date(e["entered_at"][:10]) <= as_of), key=lambda e: e["entered_at"])
    terminal = {s["stage_id"] for s in db["process_stages"] if s["is_terminal"] == "1"}
    m.push_stage_changes({"deal": [int(e["deal_id"][3:]) for e in events],
                          "stage": [-1 if e["stage_id"] in terminal else stages.index(e["stage_id"]) for e in events],
                          "date": [e["entered_at"][:10] for e in events]})
    # A won or lost deal whose history stops before a terminal stage is closed as of its last event.
    last = {e["deal_id"]: e for e in events}
    done = [d["deal_id"] for d in db["deals"] if d["status"] != "open" and d["deal_id"] in last
            and last[d["deal_id"]]["stage_id"] not in terminal]
    m.push_stage_changes({"deal": [int(k[3:]) for k in done], "stage": [-1] * len(done),
                          "date": [last[k]["entered_at"][:10] for k in done]})
    inv = [i for i in db["invoices"] if date(i["issue_date"]) <= as_of]
    m.push_invoices({"invoice": [int(i["invoice_id"][6:]) for i in inv],
                     "customer": [customers.index(i["customer_id"]) for i in inv],
                     "amount": [int(i["amount_minor"]) for i in inv], "due": [i["due_date"] for i in inv]})
    pay = [p for p in db["payments"] if date(p["paid_date"]) <= as_of]
    m.push_payments({"invoice": [int(p["invoice_id"][6:]) for p in pay], "amount": [int(p["amount_minor"]) for p in pay],
                     "date": [p["paid_date"] for p in pay]})
    c = m.advance(day)
    assert set(c.change) == {"raised"}

    def found(rule, prefix, width):
        return {f"{prefix}{e:0{width}d}" for e in c.loc[c.rule == rule, "entity"]}

    assert found("deal_stalled", "DL-", 4) == planted["stalled_deal"]
    assert found("territory_violation", "SL26-", 6) == planted["cross_territory_sale"]
    assert found("promo_not_free", "SL26-", 6) == planted["promo_item_sold"]
    assert found("discount_above_max", "SL26-", 6) == planted["price_policy_violation"]
    assert not (c.rule.isin(["price_below_floor", "price_above_ceiling"])).any()
    invoices = by(db["invoices"], "invoice_id")
    overdue_customers = {customers.index(invoices[i]["customer_id"]) for i in planted["overdue_invoice"]}
    assert set(c.loc[c.rule == "receivable_overdue", "entity"]) == overdue_customers
    stalled = c[c.rule == "deal_stalled"].sort_values("entity")
    assert stalled.message.iloc[0].startswith("Deal 149: ") and stalled.message.iloc[0].endswith(" in negotiation, limit 28")
