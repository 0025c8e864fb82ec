#!/usr/bin/python3
"""Writes the sample company's sales process as a quotaflow process model (JSON).

Usage:
    /usr/bin/python3 tools/gen_process_model.py            # (re)write data/sample_company/process_model.json
    /usr/bin/python3 tools/gen_process_model.py --out FILE # write FILE instead
    /usr/bin/python3 tools/gen_process_model.py --check    # exit 1 unless the committed file is what this makes

Standard library only; the output depends only on data/sample_company/process_stages.csv,
process_transitions.csv and company.csv. The mapping (data/README.md describes the sources):
  - every row of process_stages.csv is a stage, in file order: name = stage_id, role, department,
    win_probability, expected_duration = expected_duration_days, required = mandatory,
    terminal = won for `payment` (won, fully paid), lost for `lost`;
  - max_duration = stall_factor (company.csv) x expected_duration_days for non-terminal stages:
    the sample company's stall rule ("an open deal is stalled once it has sat in its stage longer
    than stall_factor x the stage's expected duration"), so quotaflow's open_too_long finds the
    stalled deals and overstay the slow completed stays;
  - durations are calendar days (data/README.md: durations are counted in calendar days);
  - every row of process_transitions.csv is a transition with its probability; its kind follows
    the stages' seq: to a lower seq is rework (price_approval -> proposal), over a stage with a
    seq in between is skip (qualification -> proposal, price_approval -> contract), anything else
    (including every exit to lost) is forward;
  - the start stage is the one with seq 1.
The JSON is written in the same canonical form as quotaflow's own writer (to_json): fixed key
order, two-space indentation, shortest round-trip numbers, integral numbers without ".0".
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data" / "sample_company"
OUT = DATA / "process_model.json"
WON_STAGE = "payment"
LOST_STAGE = "lost"


def number(text: str):
    v = float(text)
    return int(v) if v == int(v) else v


def read_csv(name: str):
    with open(DATA / name, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build() -> dict:
    company = {r["key"]: r["value"] for r in read_csv("company.csv")}
    stall = number(company["stall_factor"])
    stages = read_csv("process_stages.csv")
    seq = {s["stage_id"]: int(s["seq"]) if s["seq"] else None for s in stages}
    out_stages = []
    for s in stages:
        sid = s["stage_id"]
        terminal = "won" if sid == WON_STAGE else "lost" if sid == LOST_STAGE else None
        st = {"name": sid, "role": s["role"], "department": s["department"],
              "win_probability": number(s["win_probability"]),
              "expected_duration": number(s["expected_duration_days"])}
        if terminal is None:
            st["max_duration"] = number(str(stall * float(s["expected_duration_days"])))
        if s["mandatory"] == "1":
            st["required"] = True
        if terminal:
            st["terminal"] = terminal
        out_stages.append(st)
    transitions = []
    for t in read_csv("process_transitions.csv"):
        a, b = seq[t["from_stage"]], seq[t["to_stage"]]
        kind = "forward"
        if a is not None and b is not None:
            if b < a:
                kind = "rework"
            elif b > a + 1:
                kind = "skip"
        transitions.append({"from": t["from_stage"], "to": t["to_stage"], "kind": kind,
                            "probability": number(t["probability"])})
    start = next(s["stage_id"] for s in stages if s["seq"] == "1")
    return {"schema": "quotaflow.process_model/1", "name": "key-account sales process",
            "duration_unit": "calendar_days", "start": start, "stages": out_stages, "transitions": transitions}


def render(model: dict) -> str:
    return json.dumps(model, indent=2, ensure_ascii=False) + "\n"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="compare with the committed file; exit 1 if it differs")
    args = ap.parse_args(argv)
    text = render(build())
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is not what tools/gen_process_model.py makes; rerun it", file=sys.stderr)
            return 1
        print(f"{OUT} is up to date")
        return 0
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
