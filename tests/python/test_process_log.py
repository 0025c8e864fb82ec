"""Event logs and discovery from Python: hand-worked values, input forms, bad input, and BPIC 2012
checked against independent pandas code (counts exactly, durations to 1e-6 relative)."""

from __future__ import annotations

import gzip
import math
import os
import subprocess

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import quotaflow as qf

T0 = pd.Timestamp("2025-01-01T00:00:00Z")


def hand_frame() -> pd.DataFrame:
    """Cases 10: a@0 b@10 c@40; 20: a@0 b@20 b@50 c@60; 30: a@5 b@15 c@45 (seconds; rows mixed)."""
    return pd.DataFrame({
        "case": ["20", "10", "30", "10", "20", "30", "10", "20", "30", "20"],
        "activity": ["a", "a", "a", "b", "b", "b", "c", "b", "c", "c"],
        "time": T0 + pd.to_timedelta([0, 0, 5, 10, 20, 15, 40, 50, 45, 60], unit="s"),
        "who": ["ann", None, "bob", "ann", "bob", None, "ann", "bob", None, "ann"],
        "amount": np.arange(10, dtype=np.int64) * 100,
    })


def test_hand_worked_dfg_start_end_variants():
    log = qf.EventLog.from_frame(hand_frame(), case="case", activity="activity", timestamp="time", resource="who",
                                 amount="amount")
    assert len(log) == 10 and log.num_cases == 3
    assert list(log.cases) == ["20", "10", "30"]  # first appearance
    dfg = log.dfg()
    assert list(dfg.columns) == ["source", "target", "count", "mean", "median", "min", "max", "sum", "stdev"]
    assert list(zip(dfg.source, dfg.target, dfg["count"])) == [("a", "b", 3), ("b", "b", 1), ("b", "c", 3)]
    ab = dfg.iloc[0]
    assert ab["mean"] == pytest.approx(40 / 3) and ab["median"] == 10 and ab["min"] == 10 and ab["max"] == 20
    assert ab["sum"] == 40 and ab["stdev"] == pytest.approx(math.sqrt(300 / 9))
    assert dfg.iloc[1]["stdev"] == 0
    assert log.start_activities().to_dict("list") == {"activity": ["a"], "count": [3]}
    assert log.end_activities().to_dict("list") == {"activity": ["c"], "count": [3]}
    v = log.variants()
    assert list(v["variant"]) == [("a", "b", "c"), ("a", "b", "b", "c")]
    assert list(v["count"]) == [2, 1]


def test_hand_worked_temporal_profile_and_conformance():
    log = qf.EventLog.from_frame(hand_frame(), case="case", activity="activity", timestamp="time")
    tp = log.temporal_profile()
    assert list(zip(tp.source, tp.target, tp["count"])) == [("a", "b", 4), ("a", "c", 3), ("b", "b", 1), ("b", "c", 4)]
    assert tp["mean"].iloc[0] == pytest.approx(22.5)
    assert tp["stdev"].iloc[0] == pytest.approx(np.std([10, 20, 50, 10], ddof=1))
    dev = log.temporal_conformance(zeta=1.0)
    assert list(dev.columns[:5]) == ["case", "source", "target", "seconds", "zeta"]
    assert list(zip(dev.case, dev.source, dev.target, dev.seconds)) == [
        ("20", "a", "b", 50.0), ("20", "a", "c", 60.0), ("20", "b", "c", 10.0)]
    assert dev["zeta"].iloc[0] == pytest.approx(27.5 / tp["stdev"].iloc[0])
    assert log.temporal_conformance().empty  # zeta 6
    # A hand-made profile by name: a -> b must take exactly 10 s (stdev 0: zeta is inf).
    strict = pd.DataFrame({"source": ["a"], "target": ["b"], "mean": [10.0], "stdev": [0.0]})
    dev2 = log.temporal_conformance(strict)
    assert list(dev2.seconds) == [20.0, 50.0] and np.isinf(dev2.zeta).all()


def test_input_forms_agree():
    df = hand_frame()
    base = qf.EventLog.from_frame(df, case="case", activity="activity", timestamp="time").dfg()
    forms = []
    cat = df.assign(case=df.case.astype("category"), activity=df.activity.astype("category"))
    forms.append(cat)
    forms.append(df.assign(case=df.case.astype(int)))  # integer case ids
    forms.append(df.assign(time=df.time.dt.tz_convert("Asia/Shanghai")))  # another zone, same instants
    forms.append(df.assign(time=df.time.dt.tz_localize(None)))  # naive = UTC
    forms.append(df.assign(time=pd.Series(df.time.dt.tz_localize(None).to_numpy().astype("datetime64[s]"))))
    for f in forms:
        got = qf.EventLog.from_frame(f, case="case", activity="activity", timestamp="time").dfg()
        pd.testing.assert_frame_equal(got, base)
    ints = qf.EventLog.from_frame(df.assign(case=df.case.astype(int)), case="case", activity="activity",
                                  timestamp="time")
    assert list(ints.cases) == [20, 10, 30]


def test_stable_order_on_ties():
    df = pd.DataFrame({"case": ["x", "x", "x"], "activity": ["late", "first", "second"],
                       "time": pd.to_datetime(["2025-01-02", "2025-01-01", "2025-01-01"], utc=True)})
    log = qf.EventLog.from_frame(df, case="case", activity="activity", timestamp="time")
    assert list(log.variants().variant[0]) == ["first", "second", "late"]
    assert list(log.to_frame().source_row) == [1, 2, 0]


def test_bad_input():
    df = hand_frame()
    with pytest.raises(qf.InvalidArgumentError, match="empty"):
        qf.EventLog.from_frame(df.iloc[:0], case="case", activity="activity", timestamp="time")
    nat = df.copy()
    nat.loc[3, "time"] = pd.NaT
    with pytest.raises(qf.InvalidArgumentError, match=r"timestamps_ns\[3\] is NaT") as e:
        qf.EventLog.from_frame(nat, case="case", activity="activity", timestamp="time")
    assert isinstance(e.value, ValueError)
    with pytest.raises(qf.InvalidArgumentError, match="activities has 2 entries but case_keys has 3"):
        qf.EventLog.from_columns([0, 0, 1], [0, 1], [1, 2, 3], ["a", "b"])
    with pytest.raises(qf.OutOfRangeError, match=r"activities\[1\] is 5"):
        qf.EventLog.from_columns([0, 0], [0, 5], [1, 2], ["a", "b"])
    with pytest.raises(qf.InvalidArgumentError, match="duplicate"):
        qf.EventLog.from_columns([0, 0], [0, 1], [1, 2], ["a", "a"])
    with pytest.raises(qf.InvalidArgumentError, match="expected datetime64"):
        qf.EventLog.from_frame(df.assign(time=df.time.astype(str)), case="case", activity="activity", timestamp="time")
    with pytest.raises(qf.InvalidArgumentError, match="missing a value at row 1"):
        qf.EventLog.from_frame(df.assign(case=["1", None] + ["2"] * 8), case="case", activity="activity",
                               timestamp="time")
    with pytest.raises(KeyError, match="'nope'"):
        qf.EventLog.from_frame(df, case="nope", activity="activity", timestamp="time")
    log = qf.EventLog.from_frame(df, case="case", activity="activity", timestamp="time")
    with pytest.raises(qf.InvalidArgumentError, match="zeta is -1"):
        log.temporal_conformance(zeta=-1)


def test_read_csv_and_malformed_rows(tmp_path):
    text = "id,step,when\nd1,Lead,2025-01-01T09:00:00+01:00\nd1,Won,2025-01-02T08:00:00.5Z\n"
    path = tmp_path / "log.csv.gz"
    with gzip.open(path, "wt") as f:
        f.write(text)
    log = qf.EventLog.read_csv(path, case="id", activity="step", timestamp="when")
    dfg = log.dfg()
    assert dfg["mean"].iloc[0] == pytest.approx(23 * 3600 + 3600 + 0.5)
    bad = tmp_path / "bad.csv"
    bad.write_text(text + "d2,Lead\n")
    with pytest.raises(qf.ParseError, match="line 4: expected 3 fields"):
        qf.EventLog.read_csv(bad, case="id", activity="step", timestamp="when")
    bad.write_text(text + "d2,Lead,31/12/2025\n")
    with pytest.raises(qf.ParseError, match='line 4, column "when"'):
        qf.EventLog.read_csv(bad, case="id", activity="step", timestamp="when")
    with pytest.raises(qf.NotFoundError, match="case:concept:name"):
        qf.EventLog.read_csv(path)
    with pytest.raises(OSError):
        qf.EventLog.read_csv(tmp_path / "absent.csv")


@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 3), st.integers(0, 50)), min_size=1, max_size=60))
def test_random_logs_match_pandas(rows):
    df = pd.DataFrame(rows, columns=["case", "act", "t"])
    df["time"] = T0 + pd.to_timedelta(df.t, unit="s")
    df["act"] = "x" + df.act.astype(str)
    log = qf.EventLog.from_frame(df, case="case", activity="act", timestamp="time")
    ref = _pandas_dfg(df, "case", "act", "time")
    got = log.dfg().set_index(["source", "target"]).sort_index()
    assert list(got["count"]) == list(ref["count"])
    np.testing.assert_allclose(got[["mean", "median", "min", "max", "sum", "stdev"]].to_numpy(),
                               ref[["mean", "median", "min", "max", "sum", "stdev"]].to_numpy(), rtol=1e-9, atol=1e-9)


# ---- independent pandas implementations -------------------------------------------------------
def _sorted(df, case, act, time):
    return df.sort_values([case, time], kind="stable")[[case, act, time]].reset_index(drop=True)


def _pandas_dfg(df, case, act, time):
    s = _sorted(df, case, act, time)
    nxt = s.shift(-1)
    same = (s[case] == nxt[case]).to_numpy()
    secs = (nxt[time] - s[time]).dt.total_seconds()
    pairs = pd.DataFrame({"source": s[act][same], "target": nxt[act][same], "d": secs[same]})
    g = pairs.groupby(["source", "target"])["d"]
    out = g.agg(["count", "mean", "median", "min", "max", "sum", "std"]).rename(columns={"std": "stdev"})
    out["stdev"] = out["stdev"].fillna(0.0)
    return out.sort_index()


def _pandas_temporal_profile(df, case, act, time):
    """All pairs i < j per case, built per case length with numpy (independent of quotaflow)."""
    s = _sorted(df, case, act, time)
    codes, names = pd.factorize(s[act])
    ns = pd.DatetimeIndex(s[time]).asi8
    starts = np.flatnonzero(np.r_[True, s[case].to_numpy()[1:] != s[case].to_numpy()[:-1]])
    lengths = np.diff(np.r_[starts, len(s)])
    frames = []
    for L in np.unique(lengths):
        if L < 2:
            continue
        first = starts[lengths == L]
        idx = first[:, None] + np.arange(L)[None, :]
        i, j = np.triu_indices(L, k=1)
        a = codes[idx][:, i].ravel()
        b = codes[idx][:, j].ravel()
        d = (ns[idx][:, j] - ns[idx][:, i]).ravel() / 1e9
        frames.append(pd.DataFrame({"a": a, "b": b, "d": d}))
    pairs = pd.concat(frames, ignore_index=True)
    g = pairs.groupby(["a", "b"])["d"].agg(["count", "mean", "std"])
    g["std"] = g["std"].fillna(0.0)
    g.index = pd.MultiIndex.from_arrays([names[g.index.get_level_values(0)], names[g.index.get_level_values(1)]],
                                        names=["source", "target"])
    return g.sort_index()


@pytest.fixture(scope="module")
def bpic(shared_data):
    path = shared_data / "eventlogs" / "bpic2012_loan_application.csv.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent (real-data tests run in CI)")
    df = pd.read_csv(path, dtype={"org:resource": str})
    df["time"] = pd.to_datetime(df["time:timestamp"], utc=True)
    return path, df


def test_bpic2012_facts_and_reader_agrees_with_from_frame(bpic):
    path, df = bpic
    from_csv = qf.EventLog.read_csv(path, resource="org:resource")
    from_frame = qf.EventLog.from_frame(df, case="case:concept:name", activity="concept:name", timestamp="time",
                                        resource="org:resource")
    assert len(from_csv) == len(from_frame) == 262_200
    assert from_csv.num_cases == from_frame.num_cases == 13_087
    assert len(from_csv.activity_names) == 24
    pd.testing.assert_frame_equal(from_csv.dfg(), from_frame.dfg())
    pd.testing.assert_frame_equal(from_csv.variants(), from_frame.variants())


def test_bpic2012_dfg_equals_pandas(bpic):
    _, df = bpic
    log = qf.EventLog.from_frame(df, case="case:concept:name", activity="concept:name", timestamp="time")
    ref = _pandas_dfg(df, "case:concept:name", "concept:name", "time")
    got = log.dfg().set_index(["source", "target"]).sort_index()
    assert list(got.index) == list(ref.index)
    assert (got["count"].to_numpy() == ref["count"].to_numpy()).all()
    assert got["count"].sum() == 262_200 - 13_087
    for col in ("mean", "median", "min", "max", "sum", "stdev"):
        np.testing.assert_allclose(got[col].to_numpy(), ref[col].to_numpy(), rtol=1e-6, atol=1e-9, err_msg=col)
    starts = df.groupby("case:concept:name", sort=False).head(1)["concept:name"].value_counts()
    assert log.start_activities().set_index("activity")["count"].to_dict() == starts.to_dict()
    ends = _sorted(df, "case:concept:name", "concept:name", "time").groupby("case:concept:name").tail(1)
    assert log.end_activities().set_index("activity")["count"].to_dict() == ends["concept:name"].value_counts().to_dict()


def test_bpic2012_variants_equal_pandas(bpic):
    _, df = bpic
    log = qf.EventLog.from_frame(df, case="case:concept:name", activity="concept:name", timestamp="time")
    s = _sorted(df, "case:concept:name", "concept:name", "time")
    ref = s.groupby("case:concept:name", sort=False)["concept:name"].agg(tuple).value_counts()
    got = log.variants()
    assert dict(zip(got.variant, got["count"])) == ref.to_dict()
    assert got["count"].sum() == 13_087
    assert (np.diff(got["count"].to_numpy()) <= 0).all()  # count descending


def test_bpic2012_temporal_profile_equals_pandas(bpic):
    _, df = bpic
    log = qf.EventLog.from_frame(df, case="case:concept:name", activity="concept:name", timestamp="time")
    ref = _pandas_temporal_profile(df, "case:concept:name", "concept:name", "time")
    got = log.temporal_profile().set_index(["source", "target"]).sort_index()
    assert list(got.index) == list(ref.index)
    assert (got["count"].to_numpy() == ref["count"].to_numpy()).all()
    assert got["count"].sum() == 5_098_156
    np.testing.assert_allclose(got["mean"].to_numpy(), ref["mean"].to_numpy(), rtol=1e-6)
    np.testing.assert_allclose(got["stdev"].to_numpy(), ref["std"].to_numpy(), rtol=1e-6, atol=1e-9)
    # Conformance against the pandas profile: every reported pair lies outside mean +- 6 stdev.
    dev = log.temporal_conformance(got.reset_index()[["source", "target", "mean", "stdev"]], zeta=6.0)
    assert len(dev) > 0
    prof = ref.loc[list(zip(dev.source, dev.target))]
    outside = (dev.seconds.to_numpy() < prof["mean"].to_numpy() - 6 * prof["std"].to_numpy()) | (
        dev.seconds.to_numpy() > prof["mean"].to_numpy() + 6 * prof["std"].to_numpy())
    assert outside.all()


@pytest.mark.skipif(not os.environ.get("QUOTAFLOW_CLI"), reason="QUOTAFLOW_CLI is not set (ctest sets it to the built tool)")
def test_cli_process_discover(tmp_path):
    df = hand_frame()
    csv = tmp_path / "log.csv"
    df.assign(time=df.time.dt.strftime("%Y-%m-%dT%H:%M:%S+00:00")).to_csv(csv, index=False)
    out, dot = tmp_path / "dfg.csv", tmp_path / "dfg.dot"
    run = subprocess.run([os.environ["QUOTAFLOW_CLI"], "process", "discover", str(csv), "--case", "case", "--activity",
                          "activity", "--timestamp", "time", "-o", str(out), "--dot", str(dot)],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "10 events, 3 cases, 3 activities, 2 variants; 3 directly-follows edges" in run.stdout
    got = pd.read_csv(out)
    want = qf.EventLog.from_frame(df, case="case", activity="activity", timestamp="time").dfg()
    pd.testing.assert_frame_equal(got, want, check_dtype=False)
    assert "digraph" in dot.read_text() and 'label="3 / 13s"' in dot.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("case,activity,time\nx,y,2025-01-01\nx,z\n")
    run = subprocess.run([os.environ["QUOTAFLOW_CLI"], "process", "discover", str(bad), "--case", "case", "--activity",
                          "activity", "--timestamp", "time"], capture_output=True, text=True)
    assert run.returncode == 2 and "line 3: expected 3 fields" in run.stderr
