"""Charts for tracking and control charts, drawn with matplotlib (Debian's python3-matplotlib).

``burnup(track_frame, node)`` draws one node's cumulative plan, plan to date and actual to date
over the periods of a :func:`quotaflow.track` frame; ``control_chart(values)`` draws a series
with its centre line, sigma zones and the points where rules fired. Both return a
``matplotlib.figure.Figure`` and write it when ``path`` is given (the format follows the
extension: ``.png``, ``.svg``, ``.pdf``).

matplotlib is imported only when a chart is drawn, so ``import quotaflow`` does not need it. The
figures are built without pyplot: no global state, no display backend, safe in servers.
"""

from __future__ import annotations

import os
from typing import Any, Optional

import numpy as np

from ._errors import InvalidArgumentError, NotFoundError

__all__ = ["burnup", "control_chart"]

_FORMATS = (".png", ".svg", ".pdf")


def _figure(title: Optional[str]):
    try:
        from matplotlib.figure import Figure
    except ImportError as e:  # pragma: no cover - matplotlib is a Debian package in every CI run
        raise ImportError("quotaflow.plot needs matplotlib (Debian: apt-get install python3-matplotlib)") from e
    fig = Figure(figsize=(8, 4.5), layout="constrained")
    ax = fig.add_subplot()
    if title:
        ax.set_title(title)
    return fig, ax


def _save(fig, path: Any) -> None:
    if path is None:
        return
    ext = os.path.splitext(os.fspath(path))[1].lower()
    if ext not in _FORMATS:
        raise InvalidArgumentError(f"path {os.fspath(path)!r} has extension {ext!r}; expected one of {', '.join(_FORMATS)}")
    fig.savefig(path)


def _node_rows(frame: Any, node: Any):
    missing = [c for c in ("node", "period", "plan", "plan_to_date", "actual_to_date") if c not in frame.columns]
    if missing:
        raise InvalidArgumentError(f"track_frame has no column {missing[0]!r}; pass the frame quotaflow.track returns")
    if isinstance(node, str):
        if "name" not in frame.columns:
            raise NotFoundError(f"node is {node!r} but track_frame has no name column (the hierarchy has no names)")
        rows = frame[frame["name"] == node]
    elif isinstance(node, (int, np.integer)) and not isinstance(node, bool):
        rows = frame[frame["node"] == int(node)]
    else:
        raise InvalidArgumentError(f"node is {node!r}; expected a node index or name")
    if rows.empty:
        raise NotFoundError(f"node {node!r} is not in track_frame")
    return rows


def burnup(track_frame: Any, node: Any, path: Any = None, title: Optional[str] = None, scale: int = 0):
    """Burn-up chart of one node: cumulative plan (the target line), cumulative plan to date
    (where the node should be now, by working days and seasonality) and cumulative actual to
    date, over the periods of ``track_frame`` (the DataFrame :func:`quotaflow.track` returns).
    ``node`` is a node index or name. ``scale`` divides amounts by 10**scale for the axis (2 for
    cents). Returns the Figure; writes it to ``path`` (.png, .svg or .pdf) when given.

        quotaflow.plot.burnup(quotaflow.track(h, cal, plan, actual, ...), "East", "east.png")
    """
    rows = _node_rows(track_frame, node)
    if not isinstance(scale, (int, np.integer)) or not 0 <= scale <= 18:
        raise InvalidArgumentError(f"scale is {scale!r}; expected an integer in [0, 18]")
    div = float(10**int(scale))
    labels = [str(p) for p in rows["period"]]
    x = np.arange(len(labels))
    plan = np.cumsum(rows["plan"].to_numpy(dtype=np.int64)) / div
    plan_to_date = np.cumsum(rows["plan_to_date"].to_numpy(dtype=np.int64)) / div
    actual = np.cumsum(rows["actual_to_date"].to_numpy(dtype=np.int64)) / div
    name = rows["name"].iloc[0] if "name" in rows.columns else f"node {int(rows['node'].iloc[0])}"
    fig, ax = _figure(title if title is not None else f"{name}: plan vs actual")
    ax.plot(x, plan, label="plan", color="0.45", linestyle="--", marker="o", markersize=3)
    ax.plot(x, plan_to_date, label="plan to date", color="tab:blue", marker="o", markersize=3)
    ax.plot(x, actual, label="actual to date", color="tab:orange", linewidth=2.2, marker="o", markersize=3)
    ax.set_xticks(x, labels, rotation=45 if len(labels) > 6 else 0, ha="right" if len(labels) > 6 else "center")
    ax.set_ylabel("cumulative amount")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper left")
    _save(fig, path)
    return fig


def control_chart(values: Any, signals: Any = None, path: Any = None, title: Optional[str] = None, **options: Any):
    """Draws a series with its centre line, the 1, 2 and 3 sigma lines, and a red mark with the
    rule name at every signal. ``signals`` is the DataFrame :func:`quotaflow.control_chart`
    returned for ``values``; when omitted it is computed with ``options`` (chart, rules,
    baseline, robust, ...). Returns the Figure; writes it to ``path`` when given.

        quotaflow.plot.control_chart(weekly_orders, rules="nelson", path="orders.svg")
    """
    from .monitor import control_chart as compute

    y = np.asarray(values, dtype=np.float64)
    if y.ndim != 1:
        raise InvalidArgumentError(f"values must be 1-dimensional, got shape {y.shape}")
    if signals is None:
        signals = compute(y, **options)
    elif options:
        raise InvalidArgumentError(f"options {sorted(options)} are only used when signals is not given")
    for c in ("index", "rule", "value"):
        if c not in signals.columns:
            raise InvalidArgumentError(f"signals has no column {c!r}; pass the frame quotaflow.control_chart returns")
    center = signals.attrs.get("center")
    sigma = signals.attrs.get("sigma")
    if center is None or sigma is None:
        raise InvalidArgumentError("signals has no center/sigma in .attrs; pass the frame quotaflow.control_chart returns")
    fig, ax = _figure(title)
    x = np.arange(len(y))
    ax.plot(x, y, color="tab:blue", marker="o", markersize=3, linewidth=1, label="value")
    ax.axhline(center, color="black", linewidth=1, label="centre")
    for k, style in ((3, "-"), (2, "--"), (1, ":")):
        for sign in (-1, 1):
            ax.axhline(center + sign * k * sigma, color="tab:red" if k == 3 else "0.6", linestyle=style,
                       linewidth=1, label=f"{k} sigma" if sign > 0 else None)
    if len(signals):
        idx = signals["index"].to_numpy(dtype=np.int64)
        bad = (idx < 0) | (idx >= len(y))
        if bad.any():
            i = int(np.argmax(bad))
            raise InvalidArgumentError(f"signals.index[{i}] is {int(idx[i])}; values has {len(y)} points")
        ax.scatter(idx, y[idx], color="tab:red", zorder=3, s=30, label="signal")
        # One label per point: the rules that fired there, joined.
        by_point: dict = {}
        for i, r in zip(idx, signals["rule"].astype(str)):
            by_point.setdefault(int(i), []).append(r)
        for i, rules in by_point.items():
            ax.annotate(",".join(rules), (i, y[i]), textcoords="offset points", xytext=(0, 6), ha="center",
                        fontsize=7, color="tab:red")
    ax.grid(True, alpha=0.3)
    ax.legend(loc="best", fontsize=8)
    _save(fig, path)
    return fig
