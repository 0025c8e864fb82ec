"""Sales process models: stages, activities, transitions; analysis; conformance of event logs.

>>> m = ProcessModel("deals")
>>> m.add_stage("lead", required=True, max_duration=14)
0
>>> m.add_stage("won", terminal="won", required=True)
1
>>> m.add_transition("lead", "won")
0
>>> m.set_start("lead")
>>> m.validate().empty
True

docs/process.md describes the JSON schema, the analyses and the conformance rules.
"""

from __future__ import annotations

import datetime as _dt
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple, Union

import numpy as np
import pandas as pd

from . import _core
from ._errors import InvalidArgumentError

__all__ = ["ProcessModel", "ModelFit", "CheckResult", "DEVIATION_KINDS", "DURATION_UNITS"]

DEVIATION_KINDS: Tuple[str, ...] = tuple(_core.DEVIATION_KINDS)
DURATION_UNITS = ("calendar_days", "working_days", "hours")
_OUTCOMES = np.array(["not_started", "open", "won", "lost"], dtype=object)
_DAY_NS = 86_400_000_000_000

StageRef = Union[int, str]


def _as_of_ns(value: Any) -> Optional[int]:
    """as_of as ns since the epoch (UTC). A date (or an ISO date string) means the end of that day;
    a datetime (naive = UTC) or numpy.datetime64 is that instant."""
    if value is None:
        return None
    if isinstance(value, str):
        value = pd.Timestamp(value) if ("T" in value or " " in value) else _dt.date.fromisoformat(value)
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            raise InvalidArgumentError("as_of is NaT")
        return int(value.astype("datetime64[ns]").astype(np.int64))
    if isinstance(value, _dt.datetime) or isinstance(value, pd.Timestamp):
        ts = pd.Timestamp(value)
        if ts is pd.NaT:
            raise InvalidArgumentError("as_of is NaT")
        if ts.tzinfo is not None:
            ts = ts.tz_convert("UTC").tz_localize(None)
        return int(ts.value)
    if isinstance(value, _dt.date):
        return (value.toordinal() - _dt.date(1970, 1, 1).toordinal() + 1) * _DAY_NS
    raise InvalidArgumentError(f"as_of has type {type(value).__name__}; expected a date, a datetime, an ISO string or datetime64")


def _opt(v: Optional[float]) -> Optional[float]:
    return None if v is None else float(v)


def _unset(v: float) -> Optional[float]:
    return None if np.isnan(v) else v


class ModelFit:
    """What a log says about a model (see ProcessModel.fit): ``stages`` (per stage: funnel, stays,
    sojourn times in seconds, win probability and expected seconds to a terminal stage from the
    absorbing Markov chain) and ``transitions`` (observed moves: count, probability, mean seconds)."""

    def __init__(self, core: "_core.ModelFit", stage_names: List[str]):
        self._core = core
        n = len(stage_names)
        names = np.asarray(stage_names, dtype=object)
        self.stages = pd.DataFrame({
            "stage": names,
            "entered": core.cases_entered, "won": core.cases_won, "lost": core.cases_lost, "open": core.cases_open,
            "stays": core.stays, "sojourn_mean_seconds": core.sojourn_mean_seconds,
            "sojourn_median_seconds": core.sojourn_median_seconds, "win_probability": core.win_probability,
            "expected_seconds_to_terminal": core.expected_seconds_to_terminal,
        })
        counts = core.move_counts.reshape(n, n) if n else np.zeros((0, 0), dtype=np.int64)
        src, dst = np.nonzero(counts)
        prob = core.move_probabilities.reshape(n, n) if n else np.zeros((0, 0))
        mean = core.move_mean_seconds.reshape(n, n) if n else np.zeros((0, 0))
        self.transitions = pd.DataFrame({
            "source": names[src], "target": names[dst], "count": counts[src, dst],
            "probability": prob[src, dst], "mean_seconds": mean[src, dst],
        })
        self.probabilities = pd.DataFrame(prob, index=names, columns=names)
        self.cases = core.cases

    def funnel(self) -> pd.DataFrame:
        """Per stage: cases that entered it, how they stand, and the win rate among the closed ones."""
        f = self.stages[["stage", "entered", "won", "lost", "open"]].copy()
        closed = f["won"] + f["lost"]
        f["win_rate"] = np.where(closed > 0, f["won"] / closed.where(closed > 0, 1), np.nan)
        return f


class CheckResult:
    """The outcome of ProcessModel.check: ``cases`` (one row per case), ``deviations`` (one row per
    deviation, with a plain-language message) and ``summary`` (a dict)."""

    def __init__(self, core: "_core.CheckResult", model: "ProcessModel", log: Any):
        self._core = core
        stage_names = np.asarray(model.stage_names + [""], dtype=object)  # index -1 -> ""
        act_names = np.asarray(list(log.activity_names) + [""], dtype=object)
        cases = np.asarray(log.cases, dtype=object)
        offsets = core.deviation_offsets
        self.cases = pd.DataFrame({
            "case": cases,
            "fitness": core.fitness,
            "outcome": _OUTCOMES[core.outcome],
            "final_stage": stage_names[core.final_stage],
            "deviations": np.diff(offsets),
            "produced": core.produced, "consumed": core.consumed, "missing": core.missing, "remaining": core.remaining,
        })
        (kind, case_index, stage, _detail, pos1, pos2, act1, act2, t1, t2, value, limit) = core.deviation_columns()
        self.deviations = pd.DataFrame({
            "case": cases[case_index],
            "kind": np.asarray(DEVIATION_KINDS, dtype=object)[kind],
            "stage": stage_names[stage],
            "first_position": pos1, "second_position": pos2,
            "first_activity": act_names[act1], "second_activity": act_names[act2],
            "first_time": pd.to_datetime(t1, utc=True), "second_time": pd.to_datetime(t2, utc=True),
            "value": value, "limit": limit,
            "message": core.messages(),
        })
        kinds = list(DEVIATION_KINDS)
        by_stage = core.by_stage.reshape(len(model.stage_names), len(kinds))
        self.summary: Dict[str, Any] = {
            "cases": len(cases),
            "fitting_cases": core.fitting_cases,
            "fitting_share": core.fitting_cases / len(cases) if len(cases) else 1.0,
            "conforming_cases": core.conforming_cases,
            "conforming_share": core.conforming_cases / len(cases) if len(cases) else 1.0,
            "mean_fitness": core.mean_fitness,
            "by_kind": pd.Series(core.by_kind, index=kinds, name="deviations"),
            "by_stage": pd.DataFrame(by_stage, index=model.stage_names, columns=kinds),
            "top_paths": pd.DataFrame({
                "path": [" > ".join(model.stage_names[s] for s in stages) for stages, _ in core.top_paths],
                "cases": np.asarray([n for _, n in core.top_paths], dtype=np.int64),
            }),
        }

    def __iter__(self):  # cases, deviations = model.check(log)
        return iter((self.cases, self.deviations))

    def __repr__(self) -> str:
        s = self.summary
        return (f"CheckResult({s['cases']} cases, {s['fitting_share']:.1%} fitting, {len(self.deviations)} deviations)")


class ProcessModel:
    """A sales process model. Build it stage by stage, or load it from JSON.

    Durations (expected/max stage durations, activity due times, hand-off lead times) are in the
    model's ``duration_unit``: ``calendar_days``, ``working_days`` (of the calendar given to
    :meth:`check`) or ``hours``. Stages may be referred to by name or index.
    """

    __slots__ = ("_m",)

    def __init__(self, name: str = "", duration_unit: str = "calendar_days", *, _core_model: Any = None):
        if _core_model is not None:
            self._m = _core_model
            return
        if duration_unit not in DURATION_UNITS:
            raise InvalidArgumentError(f"duration_unit is {duration_unit!r}; expected one of {', '.join(DURATION_UNITS)}")
        self._m = _core.ProcessModel(str(name), DURATION_UNITS.index(duration_unit))

    # ---- JSON ---------------------------------------------------------------------------------
    @classmethod
    def from_json(cls, text: str, source: str = "model JSON") -> "ProcessModel":
        return cls(_core_model=_core.ProcessModel.from_json(text, source))

    @classmethod
    def load(cls, path: Union[str, Path]) -> "ProcessModel":
        return cls(_core_model=_core.ProcessModel.load(str(path)))

    def to_json(self) -> str:
        return self._m.to_json()

    def save(self, path: Union[str, Path]) -> None:
        self._m.save(str(path))

    # ---- building -----------------------------------------------------------------------------
    def _stage(self, ref: StageRef) -> int:
        if isinstance(ref, (int, np.integer)) and not isinstance(ref, bool):
            return int(ref)
        if isinstance(ref, str):
            return self._m.stage_index(ref)
        raise InvalidArgumentError(f"stage reference {ref!r} is neither a name nor an index")

    def add_stage(self, name: str, role: str = "", department: str = "", *, win_probability: Optional[float] = None,
                  expected_duration: Optional[float] = None, max_duration: Optional[float] = None, required: bool = False,
                  terminal: Optional[str] = None) -> int:
        """Adds a stage; terminal is None, "won" or "lost". Returns its index."""
        return self._m.add_stage(name, role, department, _opt(win_probability), _opt(expected_duration),
                                 _opt(max_duration), bool(required), terminal or "none")

    def add_activity(self, stage: StageRef, name: str, role: str = "", *, required: bool = False,
                     due_within: Optional[float] = None) -> int:
        return self._m.add_activity(self._stage(stage), name, role, bool(required), _opt(due_within))

    def add_transition(self, source: StageRef, target: StageRef, kind: str = "forward", *,
                       probability: Optional[float] = None, max_lead_time: Optional[float] = None) -> int:
        """kind: "forward", "rework" (an allowed loop back) or "skip" (an allowed jump)."""
        return self._m.add_transition(self._stage(source), self._stage(target), kind, _opt(probability),
                                      _opt(max_lead_time))

    def set_start(self, stage: StageRef) -> None:
        self._m.set_start(self._stage(stage))

    # ---- reading ------------------------------------------------------------------------------
    @property
    def name(self) -> str:
        return self._m.name

    @property
    def duration_unit(self) -> str:
        return self._m.duration_unit

    @property
    def start(self) -> Optional[str]:
        s = self._m.start
        return None if s < 0 else self.stage_names[s]

    @property
    def stage_names(self) -> List[str]:
        return [r[0] for r in self._m.stage_rows()]

    @property
    def stages(self) -> pd.DataFrame:
        rows = self._m.stage_rows()
        cols = ["name", "role", "department", "win_probability", "expected_duration", "max_duration", "required",
                "terminal"]
        return pd.DataFrame([list(r) for r in rows], columns=cols)

    @property
    def activities(self) -> pd.DataFrame:
        names = self.stage_names
        rows = [(a, names[s], role, req, due) for a, s, role, req, due in self._m.activity_rows()]
        return pd.DataFrame(rows, columns=["name", "stage", "role", "required", "due_within"])

    @property
    def transitions(self) -> pd.DataFrame:
        names = self.stage_names
        rows = [(names[f], names[t], k, p, lead, h) for f, t, k, p, lead, h in self._m.transition_rows()]
        return pd.DataFrame(rows, columns=["source", "target", "kind", "probability", "max_lead_time", "handoff"])

    def __len__(self) -> int:
        return self._m.num_stages

    def __repr__(self) -> str:
        return f"ProcessModel({self.name!r}, {len(self)} stages, {self.duration_unit})"

    # ---- analysis -----------------------------------------------------------------------------
    def validate(self) -> pd.DataFrame:
        """Every structural problem: columns kind, stage (name or None), message. Empty = valid."""
        names = self.stage_names
        rows = [(k, names[s] if s >= 0 else None, msg) for k, s, msg in self._m.validate()]
        return pd.DataFrame(rows, columns=["kind", "stage", "message"])

    def mandatory_stages(self) -> List[str]:
        """The stages every path from the start to a won stage passes (dominators)."""
        names = self.stage_names
        return [names[s] for s in self._m.mandatory_stages()]

    def critical_path(self) -> Tuple[List[str], float]:
        """The longest expected-duration path start -> won (rework ignored) and its total."""
        stages, total = self._m.critical_path()
        names = self.stage_names
        return [names[s] for s in stages], total

    def fit(self, log: Any) -> ModelFit:
        """Transition probabilities, sojourn times, win probabilities and the funnel from a log."""
        return ModelFit(self._m.fit(log._core), self.stage_names)

    def to_dot(self, fit: Optional[ModelFit] = None) -> str:
        return self._m.to_dot(fit._core if fit is not None else None)

    def check(self, log: Any, calendar: Any = None, as_of: Any = None, roles: Optional[Mapping[str, str]] = None, *,
              utc_offset_hours: float = 0, top_paths: int = 10) -> CheckResult:
        """Replays every case of ``log`` (a quotaflow.EventLog) and reports fitness and deviations.

        calendar: a quotaflow.Calendar, needed when the model counts working days. as_of: open cases
        idle beyond their stage's maximum at this time are ``open_too_long``; a date means the end
        of that day. roles: resource -> role, enables ``wrong_role``. utc_offset_hours: the local
        time zone for working-day dates. Returns a CheckResult (``cases, deviations = result``).
        """
        cal = calendar._c if calendar is not None else None
        offset = int(round(float(utc_offset_hours) * 3600))
        core = self._m.check(log._core, cal, _as_of_ns(as_of), offset, dict(roles or {}), int(top_paths))
        return CheckResult(core, self, log)
