#!/usr/bin/python3
"""Directly-follows graph with performance from a pandas DataFrame with string columns, end to
end in Python (interning included): quotaflow (pandas.factorize + the C++ core) vs an equivalent
pandas implementation (stable sort, shift, groupby), same data, same process. Also the temporal
profile, against a vectorised numpy/pandas implementation.
Target (issue 4): quotaflow's DFG from the frame under 100 ms.

Run with PYTHONPATH=<release build>/python (taskset -c 0 for one core). The BPIC 2012 log is
read from $QUOTAFLOW_SHARED_DATA_DIR/eventlogs (default ../shared/data next to the project).
"""
import os
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import quotaflow as qf
from _timing import best_of

CASE, ACT, TIME = "case:concept:name", "concept:name", "time"


def pandas_dfg(df: pd.DataFrame) -> pd.DataFrame:
    s = df.sort_values([CASE, TIME], kind="stable")[[CASE, ACT, TIME]]
    nxt = s.shift(-1)
    same = (s[CASE].to_numpy() == nxt[CASE].to_numpy())
    secs = (nxt[TIME] - s[TIME]).dt.total_seconds().to_numpy()
    pairs = pd.DataFrame({"source": s[ACT].to_numpy()[same], "target": nxt[ACT].to_numpy()[same], "d": secs[same]})
    out = pairs.groupby(["source", "target"])["d"].agg(["count", "mean", "median", "min", "max", "sum", "std"])
    return out.rename(columns={"std": "stdev"}).fillna({"stdev": 0.0}).reset_index()


def pandas_temporal_profile(df: pd.DataFrame) -> pd.DataFrame:
    s = df.sort_values([CASE, TIME], kind="stable")
    codes, names = pd.factorize(s[ACT])
    ns = pd.DatetimeIndex(s[TIME]).asi8
    case = s[CASE].to_numpy()
    starts = np.flatnonzero(np.r_[True, case[1:] != case[:-1]])
    lengths = np.diff(np.r_[starts, len(s)])
    frames = []
    for length in np.unique(lengths):
        if length < 2:
            continue
        idx = starts[lengths == length][:, None] + np.arange(length)[None, :]
        i, j = np.triu_indices(length, k=1)
        frames.append(pd.DataFrame({"a": codes[idx][:, i].ravel(), "b": codes[idx][:, j].ravel(),
                                    "d": (ns[idx][:, j] - ns[idx][:, i]).ravel() / 1e9}))
    g = pd.concat(frames, ignore_index=True).groupby(["a", "b"])["d"].agg(["mean", "std", "count"])
    return g.reset_index()


def main() -> int:
    data = Path(os.environ.get("QUOTAFLOW_SHARED_DATA_DIR") or Path(__file__).resolve().parents[2] / "shared" / "data")
    path = data / "eventlogs" / "bpic2012_loan_application.csv.gz"
    if not path.exists():
        print(f"{path} not found; set QUOTAFLOW_SHARED_DATA_DIR", file=sys.stderr)
        return 1
    df = pd.read_csv(path, usecols=[CASE, ACT, "time:timestamp"], dtype={CASE: str})  # string columns
    df[TIME] = pd.to_datetime(df["time:timestamp"], utc=True)
    print(f"BPIC 2012: {len(df):,} events, {df[CASE].nunique():,} cases (case and activity as Python strings)")

    def qf_dfg():
        return qf.EventLog.from_frame(df, case=CASE, activity=ACT, timestamp=TIME).dfg()

    t_pd, r_pd = best_of(lambda: pandas_dfg(df))
    t_qf, r_qf = best_of(qf_dfg)
    assert r_qf["count"].sum() == r_pd["count"].sum() == len(df) - df[CASE].nunique()
    print("Directly-follows graph with performance, from the DataFrame (interning included)")
    print(f"  pandas (stable sort, shift, groupby agg)   {t_pd * 1e3:8.1f} ms")
    print(f"  quotaflow EventLog.from_frame(...).dfg()   {t_qf * 1e3:8.1f} ms   ratio pandas/quotaflow = {t_pd / t_qf:.1f}x")
    log = qf.EventLog.from_frame(df, case=CASE, activity=ACT, timestamp=TIME)
    t_build, _ = best_of(lambda: qf.EventLog.from_frame(df, case=CASE, activity=ACT, timestamp=TIME))
    t_dfg_only, _ = best_of(log.dfg)
    print(f"    of which from_frame (factorize + build) {t_build * 1e3:8.1f} ms, dfg() on the built log {t_dfg_only * 1e3:.1f} ms")

    t_pd_tp, r_pd_tp = best_of(lambda: pandas_temporal_profile(df), repeat=2)
    t_qf_tp, r_qf_tp = best_of(log.temporal_profile)
    assert r_qf_tp["count"].sum() == r_pd_tp["count"].sum()
    print("Temporal profile (all event pairs i < j per case)")
    print(f"  numpy/pandas (pairs materialised)          {t_pd_tp * 1e3:8.1f} ms")
    print(f"  quotaflow log.temporal_profile()           {t_qf_tp * 1e3:8.1f} ms   ratio = {t_pd_tp / t_qf_tp:.1f}x")
    t_tc, dev = best_of(lambda: log.temporal_conformance(zeta=6.0))
    print(f"  quotaflow log.temporal_conformance(zeta=6) {t_tc * 1e3:8.1f} ms   ({len(dev):,} deviations, profile included)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
