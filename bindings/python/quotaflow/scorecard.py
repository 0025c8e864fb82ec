"""KPI scorecards (docs/incentives.md): weighted KPIs scored through curves, with gates and reasons.

    card = qf.Scorecard.from_dicts([
        {"measure": "attainment", "weight": 60,
         "curve": {"kind": "linear", "threshold": 0.8, "target": 1.0, "cap": 150}},
        {"measure": "margin_rate", "weight": 40,
         "curve": {"kind": "piecewise", "points": [{"at": 0.2, "points": 50}, {"at": 0.3, "points": 100}]}},
        {"measure": "collection_rate", "weight": 0, "gate": {"below": 0.8}},
    ])
    result = card.score(frame)          # frame: person, period, one column per measure (or its parts)
    result.totals                       # DataFrame: person, period, score
    result.lines                        # DataFrame: person, period, kpi, measure, value, points, factor,
                                        #            weighted, gated, reason

The definition is the JSON schema "quotaflow.scorecard/1" whichever way it is given (dicts are
written as JSON and read by the same C++ reader), so errors carry JSON paths:
``$.kpis[2].curve.points[1].points (line 1, column 230): is 90, below points[0].points (100); ...``.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable, NamedTuple, Optional

import numpy as np

from . import _core
from ._errors import InvalidArgumentError, NotFoundError

__all__ = ["Scorecard", "ScoreFrames", "SCORECARD_MEASURES"]

SCORECARD_MEASURES = tuple(_core.SCORECARD_MEASURES)


class ScoreFrames(NamedTuple):
    """What :meth:`Scorecard.score` returns: ``totals`` (one row per input row) and ``lines`` (one
    row per input row and KPI, row-major, KPIs in card order)."""

    totals: Any
    lines: Any


class Scorecard:
    """A validated, immutable scorecard. Build it with :meth:`from_json`, :meth:`load`,
    :meth:`from_dict` or :meth:`from_dicts`."""

    __slots__ = ("_card",)

    def __init__(self, core: "_core.Scorecard") -> None:
        self._card = core

    # --- building and saving -----------------------------------------------------------------

    @classmethod
    def from_json(cls, text: str, source: str = "scorecard JSON") -> "Scorecard":
        """``Scorecard.from_json(open("card.json").read())``."""
        return cls(_core.Scorecard.from_json(text, source))

    @classmethod
    def load(cls, path: "str | os.PathLike[str]") -> "Scorecard":
        """``Scorecard.load("card.json")``; a file that cannot be read raises FileError."""
        return cls(_core.Scorecard.load(os.fspath(path)))

    @classmethod
    def from_dict(cls, definition: dict) -> "Scorecard":
        """The JSON document as a dict: ``{"kpis": [...], "measures": [...], "name": ...}``."""
        try:
            text = json.dumps(definition, allow_nan=False)
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(f"the scorecard definition cannot be written as JSON: {e}") from None
        return cls(_core.Scorecard.from_json(text, "scorecard definition"))

    @classmethod
    def from_dicts(cls, kpis: Iterable[dict], measures: Optional[Iterable[dict]] = None,
                   name: Optional[str] = None) -> "Scorecard":
        """A list of KPI dicts (plus declared measures and a name), e.g.
        ``Scorecard.from_dicts([{"measure": "attainment", "weight": 100, "curve": {...}}])``."""
        d: dict = {"schema": "quotaflow.scorecard/1"}
        if name is not None:
            d["name"] = name
        if measures is not None:
            d["measures"] = list(measures)
        d["kpis"] = list(kpis)
        return cls.from_dict(d)

    def to_json(self) -> str:
        """The definition as JSON (the same card always gives the same text)."""
        return self._card.to_json()

    def to_dict(self) -> dict:
        return json.loads(self.to_json())

    def save(self, path: "str | os.PathLike[str]") -> None:
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.to_json())

    # --- what it holds -----------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._card.name

    @property
    def kpis(self) -> list:
        """KPI names, in card order."""
        return list(self._card.kpi_names)

    @property
    def measures(self) -> list:
        """The measure each KPI scores, in card order."""
        return list(self._card.kpi_measures)

    @property
    def weights(self) -> list:
        """KPI weights in percent (they sum to 100)."""
        return list(self._card.kpi_weights)

    def input_columns(self) -> list:
        """Every column name the card can read (measures, then their numerator and denominator)."""
        return list(self._card.input_names())

    def __repr__(self) -> str:
        return f"Scorecard({self.name!r}, kpis={self.kpis})"

    # --- scoring -----------------------------------------------------------------------------

    def score(self, frame: Any, person: str = "person", period: str = "period", reasons: bool = True) -> ScoreFrames:
        """Scores every row of ``frame`` (a pandas DataFrame, or a dict of columns) holding
        ``person``, ``period`` and the measures' columns (or their parts: ``actual`` and
        ``target`` for attainment...). Other columns are ignored. Rows keep their input order;
        ``reasons=False`` skips the reason strings (faster on large frames)."""
        import pandas as pd

        if not isinstance(frame, pd.DataFrame):
            frame = pd.DataFrame(frame)
        for key in (person, period):
            if key not in frame.columns:
                raise NotFoundError(f"frame has no column {key!r}; it has {list(map(str, frame.columns))}")
        names, columns = [], []
        for name in self._card.input_names():
            if name not in frame.columns:
                continue
            try:
                values = frame[name].to_numpy(dtype=np.float64)
            except (TypeError, ValueError) as e:
                raise InvalidArgumentError(f"column {name} is not numeric: {e}") from None
            names.append(name)
            columns.append(np.ascontiguousarray(values))
        r = self._card.score(names, columns)
        n, k = r.rows, r.kpis
        persons = frame[person].to_numpy()
        periods = frame[period].to_numpy()
        totals = pd.DataFrame({person: persons, period: periods, "score": np.array(r.total)})
        lines = pd.DataFrame({
            person: np.repeat(persons, k),
            period: np.repeat(periods, k),
            "kpi": np.tile(np.array(self.kpis, dtype=object), n),
            "measure": np.tile(np.array(self.measures, dtype=object), n),
            "value": np.array(r.value).reshape(-1),
            "points": np.array(r.points).reshape(-1),
            "factor": np.array(r.factor).reshape(-1),
            "weighted": np.array(r.weighted).reshape(-1),
            "gated": np.array(r.gate_failed).reshape(-1).astype(bool),
        })
        if reasons:
            lines["reason"] = r.reasons()
        return ScoreFrames(totals, lines)
