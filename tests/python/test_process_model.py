"""Process models from Python: building, JSON, validate, analyses, fit, DOT, conformance checks
(each deviation kind by hand), property tests with hypothesis, the sample company's planted
deviations, bad input, and the C ABI through ctypes."""

from __future__ import annotations

import ctypes
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotaflow as qf

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "data" / "sample_company"
T0 = pd.Timestamp("2025-01-06T00:00:00Z")  # a Monday


def sales_model() -> qf.ProcessModel:
    """lead > qualification > proposal > approval > (negotiation >) won, lost exits, rework
    approval -> proposal, skip approval -> won; proposal -> approval is a hand-off (max 1 day)."""
    m = qf.ProcessModel("sales")
    m.add_stage("lead", "account manager", "sales", expected_duration=2, max_duration=10, required=True)
    m.add_stage("qualification", "account manager", "sales", expected_duration=3, max_duration=5, required=True)
    m.add_stage("proposal", "account manager", "sales", expected_duration=3, max_duration=6, required=True)
    m.add_stage("approval", "pricing analyst", "finance", expected_duration=1, max_duration=2, required=True)
    m.add_stage("negotiation", "account manager", "sales", expected_duration=5, max_duration=20)
    m.add_stage("won", "account manager", "sales", expected_duration=0, required=True, terminal="won")
    m.add_stage("lost", "account manager", "sales", terminal="lost")
    m.add_activity("proposal", "send quote", required=True, due_within=2)
    for a, b in [("lead", "qualification"), ("lead", "lost"), ("qualification", "proposal"), ("qualification", "lost"),
                 ("proposal", "lost"), ("approval", "negotiation"), ("negotiation", "won"), ("negotiation", "lost")]:
        m.add_transition(a, b)
    m.add_transition("proposal", "approval", max_lead_time=1)
    m.add_transition("approval", "won", "skip")
    m.add_transition("approval", "proposal", "rework")
    m.set_start("lead")
    return m


def log_of(rows, resources=False) -> qf.EventLog:
    """rows: (case, activity, day[, resource])."""
    df = pd.DataFrame(rows, columns=["case", "activity", "day", "who"][: len(rows[0])])
    df["time"] = T0 + pd.to_timedelta(df["day"], unit="D")
    return qf.EventLog.from_frame(df, case="case", activity="activity", timestamp="time",
                                  resource="who" if resources else None)


def one_case(*steps) -> qf.EventLog:
    return log_of([("c", a, d) for a, d in steps])


def kinds(result) -> list:
    return list(result.deviations["kind"])


# ---- building, JSON, validate, analyses ----------------------------------------------------------

def test_build_read_and_analyse():
    m = sales_model()
    assert len(m) == 7 and m.start == "lead" and m.duration_unit == "calendar_days"
    assert m.validate().empty
    assert m.mandatory_stages() == ["lead", "qualification", "proposal", "approval", "won"]
    path, total = m.critical_path()
    assert path == ["lead", "qualification", "proposal", "approval", "negotiation", "won"] and total == 14
    t = m.transitions
    assert list(t.columns) == ["source", "target", "kind", "probability", "max_lead_time", "handoff"]
    row = t[(t.source == "proposal") & (t.target == "approval")].iloc[0]
    assert bool(row.handoff) and row.max_lead_time == 1
    assert m.activities.iloc[0].tolist() == ["send quote", "proposal", "", True, 2.0]
    assert m.stages.loc[5, "terminal"] == "won"


def test_json_round_trip_is_byte_stable(tmp_path):
    m = sales_model()
    text = m.to_json()
    back = qf.ProcessModel.from_json(text)
    assert back.to_json() == text
    m.save(tmp_path / "m.json")
    assert qf.ProcessModel.load(tmp_path / "m.json").to_json() == text
    # The committed sample model is in canonical form (tools/gen_process_model.py writes the same bytes).
    committed = (SAMPLE / "process_model.json").read_text()
    assert qf.ProcessModel.from_json(committed).to_json() == committed


def test_json_errors_name_path_and_line(tmp_path):
    with pytest.raises(qf.ParseError, match=r"\$\.stages\[1\]\.max_duration \(line 2, column 32\): expected a number, got a string"):
        qf.ProcessModel.from_json('{"stages": [{"name": "a"},\n {"name": "b", "max_duration": "3"}]}')
    with pytest.raises(ValueError, match=r"\$\.transitions\[0\]\.to .*stage \"zz\" is not defined"):
        qf.ProcessModel.from_json('{"stages": [{"name": "a"}], "transitions": [{"from": "a", "to": "zz"}]}')
    with pytest.raises(qf.ParseError, match=r"\$\.stages\[1\]\.name .*\"a\" is a duplicate of \$\.stages\[0\]\.name"):
        qf.ProcessModel.from_json('{"stages": [{"name": "a"}, {"name": "a"}]}')
    with pytest.raises(qf.ParseError, match=r"\$\.stages\[0\]\.colour .*unknown key"):
        qf.ProcessModel.from_json('{"stages": [{"name": "a", "colour": "red"}]}')
    with pytest.raises(qf.ParseError, match=r"m\.json line 3, column 1 \(at \$\.stages\[0\]\): expected ',' or '\}'"):
        qf.ProcessModel.from_json('{"stages": [\n{"name": "a"\n]}', "m.json")
    with pytest.raises(qf.FileError, match="cannot open process model"):
        qf.ProcessModel.load(tmp_path / "missing.json")


def test_builder_and_validate_errors():
    m = qf.ProcessModel("x")
    with pytest.raises(qf.InvalidArgumentError, match="duration_unit is 'weeks'"):
        qf.ProcessModel("x", "weeks")
    with pytest.raises(qf.InvalidArgumentError, match=r"stages\[0\].name is empty"):
        m.add_stage("")
    with pytest.raises(qf.InvalidArgumentError, match=r"win_probability is 1\.5"):
        m.add_stage("a", win_probability=1.5)
    with pytest.raises(qf.InvalidArgumentError, match='terminal is "maybe"'):
        m.add_stage("a", terminal="maybe")
    m.add_stage("a")
    m.add_stage("a")
    with pytest.raises(qf.NotFoundError, match='stage "b" is not in the model'):
        m.add_transition("a", "b")
    with pytest.raises(qf.InvalidArgumentError, match='kind is "sideways"'):
        m.add_transition("a", "a", "sideways")
    with pytest.raises(qf.OutOfRangeError, match=r"transitions\[0\]\.to is 7"):
        m.add_transition(0, 7)
    problems = m.validate()
    assert list(problems.kind) == ["no_start_stage", "no_won_stage", "duplicate_name", "no_terminal_reachable",
                                   "no_terminal_reachable"]
    assert problems.stage.iloc[0] is None
    with pytest.raises(qf.InvalidArgumentError, match="mandatory_stages needs a valid model"):
        m.mandatory_stages()


# ---- fit and DOT --------------------------------------------------------------------------------

def five_cases() -> qf.EventLog:
    rows = []
    for case, stages in [("c1", ["lead", "qualification", "lost"]),
                         ("c2", ["lead", "qualification", "proposal", "approval", "won"]),
                         ("c3", ["lead", "lost"]),
                         ("c4", ["lead", "qualification", "proposal", "approval", "negotiation", "won"]),
                         ("c5", ["lead", "qualification", "proposal", "approval", "proposal", "approval", "won"]),
                         ("c6", ["lead", "qualification"])]:
        rows += [(case, s, float(i)) for i, s in enumerate(stages)]
    return log_of(rows)


def test_fit_hand_worked():
    m = sales_model()
    f = m.fit(five_cases())
    s = f.stages.set_index("stage")
    # Worked out in tests/cpp/process/analysis_test.cpp: lead wins 5/6 x 0.75, approval is back in
    # proposal a quarter of the time, one day per stay.
    assert s.loc["lead", "win_probability"] == pytest.approx(0.625)
    assert s.loc["qualification", "win_probability"] == pytest.approx(0.75)
    assert s.loc["approval", "expected_seconds_to_terminal"] == pytest.approx(2 * 86400)
    assert s.loc["lead", "expected_seconds_to_terminal"] == pytest.approx((1 + 5 / 6 * 3.25) * 86400)
    assert s["entered"].tolist() == [6, 5, 3, 3, 1, 3, 2]
    funnel = f.funnel().set_index("stage")
    assert funnel.loc["lead", "win_rate"] == pytest.approx(3 / 5)
    assert funnel.loc["negotiation", "won"] == 1 and funnel.loc["lead", "open"] == 1
    assert math.isnan(funnel.loc["lost", "win_rate"]) is False and funnel.loc["lost", "win_rate"] == 0
    t = f.transitions
    row = t[(t.source == "approval") & (t.target == "proposal")].iloc[0]
    assert row["count"] == 1 and row.probability == pytest.approx(0.25) and row.mean_seconds == pytest.approx(86400)
    assert f.probabilities.loc["lead", "qualification"] == pytest.approx(5 / 6)
    dot = m.to_dot(f)
    assert 's0 -> s1 [label="5 (83%)\\nmean 1.0 d"];' in dot
    assert m.to_dot().startswith('digraph "sales" {')


# ---- conformance: one hand-made case per deviation kind ----------------------------------------

def test_conforming_case():
    r = sales_model().check(one_case(("lead", 0), ("qualification", 1), ("proposal", 2), ("send quote", 2.5),
                                     ("approval", 3), ("won", 3.5)))
    cases, deviations = r
    assert deviations.empty
    assert cases.iloc[0][["case", "fitness", "outcome", "final_stage", "produced", "consumed"]].tolist() == [
        "c", 1.0, "won", "won", 6, 6]
    assert r.summary["fitting_share"] == 1.0 and r.summary["conforming_share"] == 1.0


@pytest.mark.parametrize("steps, expected, message", [
    ([("lead", 0), ("proposal", 1), ("send quote", 1.5), ("approval", 2), ("won", 3)],
     ["illegal_transition", "skipped_required_stage"],
     'moved from stage "lead" to "proposal", which the process does not allow'),
    ([("lead", 0), ("qualification", 1), ("lead", 2), ("qualification", 3)], ["backward_move"],
     'moved back from stage "qualification" to "lead", which is not a declared rework loop'),
    ([("lead", 0), ("qualification", 1), ("proposal", 2), ("send quote", 2.1), ("approval", 2.5), ("proposal", 3),
      ("send quote", 3.1), ("approval", 3.5)], ["rework"], 'rework: back from stage "approval" to "proposal"'),
    ([("lead", 0), ("qualification", 1), ("lost", 7.5)], ["overstay"],
     'stayed 6.5 calendar days in stage "qualification"; the maximum is 5'),
    ([("lead", 0), ("qualification", 1), ("proposal", 2), ("approval", 2.5)], ["missing_required_activity"],
     'left stage "proposal" without doing required activity "send quote"'),
    ([("lead", 0), ("qualification", 1), ("proposal", 2), ("send quote", 2.5), ("approval", 4)], ["handoff_too_slow"],
     'hand-off from stage "proposal" (sales) to "approval" (finance) took 1.5 calendar days'),
    ([("lead", 0), ("qualification", 1), ("proposal", 2), ("send quote", 4.5), ("approval", 4.6)], ["late_activity"],
     'activity "send quote" was done 2.5 calendar days after entering stage "proposal"; it is due within 2'),
    ([("lead", 0), ("fax", 0.5), ("send quote", 0.6)], ["unknown_activity", "unknown_activity"],
     'activity "fax" is not in the process model'),
])
def test_each_deviation_kind(steps, expected, message):
    r = sales_model().check(one_case(*steps))
    assert kinds(r) == expected
    assert r.deviations.message.iloc[0].startswith(message)


def test_wrong_role_and_open_too_long():
    rows = [("c", "lead", 0.0, "ann"), ("c", "qualification", 1.0, "bob")]
    r = sales_model().check(log_of(rows, resources=True), as_of="2025-01-16",
                            roles={"ann": "account manager", "bob": "pricing analyst"})
    assert kinds(r) == ["wrong_role", "open_too_long"]
    d = r.deviations
    assert d.message.iloc[0] == ('"bob" (role "pricing analyst") did "qualification" in stage "qualification", '
                                 'which needs role "account manager"')
    # as_of 2025-01-16 is the end of that day: qualification entered 2025-01-07 00:00, so 10 days.
    assert d.value.iloc[1] == pytest.approx(10.0) and d.limit.iloc[1] == 5
    assert d.second_time.iloc[1] == pd.Timestamp("2025-01-17T00:00:00Z")
    assert r.cases.outcome.iloc[0] == "open"
    assert kinds(sales_model().check(log_of(rows, resources=True), as_of="2025-01-10")) == []
    assert kinds(sales_model().check(log_of(rows, resources=True), as_of=pd.Timestamp("2025-01-16T12:00:00Z"))) == [
        "open_too_long"]


def test_working_days_need_a_calendar():
    m = qf.ProcessModel("wd", "working_days")
    m.add_stage("a", max_duration=2, required=True)
    m.add_stage("w", terminal="won", required=True)
    m.add_transition("a", "w")
    m.set_start("a")
    log = one_case(("a", 4.4), ("w", 9.5))  # Friday to Wednesday: Fri, Mon, Tue
    with pytest.raises(qf.InvalidArgumentError, match="check needs a calendar"):
        m.check(log)
    r = m.check(log, calendar=qf.Calendar())
    assert kinds(r) == ["overstay"] and r.deviations.value.iloc[0] == 3
    assert r.deviations.message.iloc[0] == 'stayed 3 working days in stage "a"; the maximum is 2'


def test_summary():
    rows = []
    for case, stages in [("a", ["lead", "qualification", "lost"]), ("b", ["lead", "proposal", "lost"]),
                         ("c", ["lead", "proposal", "lost"]), ("d", ["lead", "won"])]:
        rows += [(case, s, 0.5 * (i + 1)) for i, s in enumerate(stages)]
    r = sales_model().check(log_of(rows))
    s = r.summary
    assert s["cases"] == 4 and s["fitting_cases"] == 1 and s["fitting_share"] == 0.25
    assert s["mean_fitness"] == pytest.approx((1 + 0.75 + 0.75 + 2 / 3) / 4)
    assert s["by_kind"]["illegal_transition"] == 3 and s["by_kind"]["skipped_required_stage"] == 5
    assert s["by_stage"].loc["qualification", "skipped_required_stage"] == 3
    assert s["top_paths"].values.tolist() == [["lead > proposal > lost", 2], ["lead > won", 1]]
    assert list(r.cases.fitness) == pytest.approx([1, 0.75, 0.75, 2 / 3])


# ---- property tests -------------------------------------------------------------------------------

@st.composite
def models_and_logs(draw):
    """A random valid model (main line, optional stages jumped by skips, lost exits, rework loops)
    and cases walked through it with stays inside every limit."""
    k = draw(st.integers(2, 6))
    optional = [0 < i < k - 1 and draw(st.booleans()) for i in range(k)]
    m = qf.ProcessModel("random")
    for i in range(k):
        m.add_stage(f"s{i}", max_duration=10, required=not optional[i])
        if draw(st.booleans()):
            m.add_activity(i, f"s{i}_act", required=True, due_within=10)
    won = m.add_stage("won", terminal="won", required=True)
    lost = m.add_stage("lost", terminal="lost")
    line = list(range(k)) + [won]
    exits = draw(st.lists(st.integers(0, k - 1), min_size=1, max_size=k, unique=True))
    for i in range(k):
        m.add_transition(line[i], line[i + 1])
        if i + 1 < k and optional[i + 1]:
            m.add_transition(line[i], line[i + 2], "skip")
        if i in exits:
            m.add_transition(i, lost)
    reworks = draw(st.lists(st.tuples(st.integers(1, k - 1), st.integers(0, k - 2)), max_size=2))
    for a, b in sorted(set(reworks)):
        if b < a:
            m.add_transition(a, b, "rework")
    m.set_start(0)
    out = {}
    for t in m.transitions.itertuples():
        out.setdefault(t.source, []).append(t.target)
    acts = dict(zip(m.activities.stage, m.activities.name))
    rows = []
    for c in range(draw(st.integers(1, 8))):
        day, cur, steps = 0.0, "s0", 0
        while True:
            rows.append((f"case{c}", cur, day))
            if cur in acts:
                day += 0.1
                rows.append((f"case{c}", acts[cur], day))
            if cur in ("won", "lost") or steps > 12 or draw(st.integers(0, 9)) == 0:
                break
            nxt = out[cur]
            if steps > 8:  # leave loops eventually
                nxt = [n for n in nxt if n in ("won", "lost") or int(n[1:]) > int(cur[1:])] or nxt
            cur = draw(st.sampled_from(nxt))
            day += draw(st.floats(0.2, 3.0))
            steps += 1
    return m, rows


@given(models_and_logs())
def test_generated_logs_fit_completely(data):
    m, rows = data
    assert m.validate().empty
    r = m.check(log_of(rows))
    assert (r.cases.fitness == 1.0).all()
    assert set(r.deviations.kind) <= {"rework"}


@given(models_and_logs(), st.data())
def test_removed_required_stage_is_reported(data, pick):
    m, rows = data
    df = pd.DataFrame(rows, columns=["case", "activity", "day"])
    won_cases = [c for c, g in df.groupby("case", sort=False) if g.activity.iloc[-1] == "won"]
    if not won_cases:
        return
    case = pick.draw(st.sampled_from(won_cases))
    g = df[df.case == case]
    stages = m.stages
    required = [s for s in stages[stages.required].name if s != "won" and s in set(g.activity)]
    stage = pick.draw(st.sampled_from(required))
    # Drop every entry of that stage and the activities done inside it.
    keep, inside = [], False
    for row in g.itertuples(index=False):
        if row.activity in set(stages.name):
            inside = row.activity == stage
        if not inside:
            keep.append(tuple(row))
    r = m.check(log_of(keep))
    skipped = r.deviations[r.deviations.kind == "skipped_required_stage"]
    assert stage in set(skipped.stage)
    assert r.cases.fitness.iloc[0] < 1.0


# ---- the sample company -------------------------------------------------------------------------

def test_sample_company_planted_deviations():
    events = pd.read_csv(SAMPLE / "deal_events.csv")
    events["time"] = pd.to_datetime(events.entered_at)  # China time, read as it is written
    log = qf.EventLog.from_frame(events, case="deal_id", activity="stage_id", timestamp="time", resource="actor_node_id")
    m = qf.ProcessModel.load(SAMPLE / "process_model.json")
    staff = pd.read_csv(SAMPLE / "staff.csv")
    roles = {sp: "key account manager" for sp in events.actor_node_id if sp.startswith("SP-")}
    roles.update(zip(staff.staff_id, staff.role))
    r = m.check(log, as_of="2026-06-30", roles=roles)
    d = r.deviations
    by_kind = {k: set(g.case) for k, g in d.groupby("kind")}
    skipped = {"DL-0030", "DL-0034", "DL-0150", "DL-0288"}
    assert by_kind["illegal_transition"] == skipped
    assert by_kind["skipped_required_stage"] == skipped
    assert by_kind["open_too_long"] == {"DL-0149", "DL-0154", "DL-0155", "DL-0171"}
    assert "wrong_role" not in by_kind and "backward_move" not in by_kind
    planted = pd.read_csv(SAMPLE / "planted_deviations.csv")
    for row in planted[planted.kind == "skipped_stage"].itertuples():
        stage = dict(kv.split("=") for kv in row.details.split("; "))["skipped"]
        assert set(d[(d.case == row.entity_id) & (d.kind == "skipped_required_stage")].stage) == {stage}
    for row in planted[planted.kind == "stalled_deal"].itertuples():
        stage = dict(kv.split("=") for kv in row.details.split("; "))["stage"]
        assert set(d[(d.case == row.entity_id) & (d.kind == "open_too_long")].stage) == {stage}
    assert r.summary["cases"] == 312


# ---- the C ABI through ctypes ------------------------------------------------------------------

def test_capi_ctypes_model_json_and_validate(capi, tmp_path):
    lib = capi
    lib.qf_process_model_load.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p]
    lib.qf_process_model_load.restype = ctypes.c_int32
    lib.qf_process_model_destroy.argtypes = [ctypes.c_void_p]
    lib.qf_process_model_destroy.restype = None
    lib.qf_process_model_mandatory_stages.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int32), ctypes.c_size_t,
                                                      ctypes.POINTER(ctypes.c_size_t)]
    lib.qf_process_model_mandatory_stages.restype = ctypes.c_int32
    lib.qf_process_model_from_json.argtypes = [ctypes.POINTER(ctypes.c_void_p), ctypes.c_char_p, ctypes.c_size_t]
    lib.qf_process_model_from_json.restype = ctypes.c_int32
    lib.qf_last_error_message.restype = ctypes.c_char_p
    model = ctypes.c_void_p()
    assert lib.qf_process_model_load(ctypes.byref(model), str(SAMPLE / "process_model.json").encode()) == 0
    count = ctypes.c_size_t()
    assert lib.qf_process_model_mandatory_stages(model, None, 0, ctypes.byref(count)) == 0
    out = (ctypes.c_int32 * count.value)()
    assert lib.qf_process_model_mandatory_stages(model, out, count.value, ctypes.byref(count)) == 0
    # lead, qualification, proposal, price_approval, contract, order, delivery, invoice, payment
    assert list(out) == [0, 1, 3, 4, 6, 7, 8, 9, 10]
    lib.qf_process_model_destroy(model)
    bad = b'{"stages": [{"name": 3}]}'
    bad_model = ctypes.c_void_p()
    assert lib.qf_process_model_from_json(ctypes.byref(bad_model), bad, len(bad)) == -6
    assert b"$.stages[0].name (line 1, column 22): expected a string, got a number" in lib.qf_last_error_message()
    assert bad_model.value is None


# ---- the CLI --------------------------------------------------------------------------------------

def _cli(*args):
    import os
    import subprocess
    cli = os.environ.get("QUOTAFLOW_CLI")
    if not cli:
        pytest.skip("QUOTAFLOW_CLI is not set (ctest sets it to the built tool)")
    return subprocess.run([cli, *map(str, args)], capture_output=True, text=True)


def test_cli_process_check_and_model(tmp_path):
    out = tmp_path / "deviations.csv"
    r = _cli("process", "check", SAMPLE / "process_model.json", SAMPLE / "deal_events.csv", "--case", "deal_id",
             "--activity", "stage_id", "--timestamp", "entered_at", "--as-of", "2026-06-30", "-o", out,
             "--dot", tmp_path / "m.dot")
    assert r.returncode == 0, r.stderr
    assert "312 cases: 308 fitting" in r.stdout
    d = pd.read_csv(out)
    assert set(d[d.kind == "open_too_long"].case) == {"DL-0149", "DL-0154", "DL-0155", "DL-0171"}
    assert set(d[d.kind == "illegal_transition"].case) == {"DL-0030", "DL-0034", "DL-0150", "DL-0288"}
    assert (tmp_path / "m.dot").read_text().startswith('digraph "key-account sales process" {')
    r = _cli("process", "model", SAMPLE / "process_model.json")
    assert r.returncode == 0 and "Mandatory stages: lead, qualification, proposal, price_approval" in r.stdout
    bad = tmp_path / "bad.json"
    bad.write_text('{"stages": [{"name": "a", "max_duration": "x"}]}')
    r = _cli("process", "model", bad)
    assert r.returncode == 2 and "$.stages[0].max_duration (line 1, column 43): expected a number" in r.stderr


def test_cli_demo_prints_the_planted_process_deviations():
    r = _cli("demo")
    assert r.returncode == 0, r.stderr
    for deal in ["DL-0030", "DL-0034", "DL-0150", "DL-0288", "DL-0149", "DL-0154", "DL-0155", "DL-0171"]:
        assert deal in r.stdout
    assert 'skipped required stage "contract" (moved from "negotiation" to "order")' in r.stdout
