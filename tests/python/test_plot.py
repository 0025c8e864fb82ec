"""quotaflow.plot: the burn-up and control charts plot the values users read off them, write
PNG, SVG and PDF by extension, and reject bad arguments with messages that name them."""

from __future__ import annotations

import numpy as np
import pytest

import quotaflow as qf

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def frame():
    tree = qf.Hierarchy.from_parents([-1, 0, 0], names=["CO", "East", "West"])
    plan = np.array([[300, 300, 300], [100, 100, 100], [200, 200, 200]], dtype=np.int64)
    actual = np.array([[250, 330, 90], [90, 120, 40], [160, 210, 50]], dtype=np.int64)
    return qf.track(tree, qf.Calendar(), plan, actual, "2026-01-01", "2026-04-01", "2026-03-13")


def _lines(fig):
    return {line.get_label(): line.get_ydata() for line in fig.axes[0].get_lines()}


def test_burnup_plots_cumulative_plan_plan_to_date_and_actual(frame):
    east = frame[frame["name"] == "East"]
    fig = qf.plot.burnup(frame, "East")
    lines = _lines(fig)
    np.testing.assert_array_equal(lines["plan"], [100, 200, 300])
    np.testing.assert_array_equal(lines["actual to date"], [90, 210, 250])
    np.testing.assert_array_equal(lines["plan to date"], np.cumsum(east["plan_to_date"].to_numpy()))
    # March is partly elapsed on the 13th: plan to date is below the full plan there only.
    assert lines["plan to date"][1] == 200 and lines["plan to date"][2] < 300
    assert fig.axes[0].get_title() == "East: plan vs actual"
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["2026-01", "2026-02", "2026-03"]
    # By index, with amounts scaled from cents.
    lines = _lines(qf.plot.burnup(frame, 1, scale=2))
    np.testing.assert_allclose(lines["plan"], [1.0, 2.0, 3.0])


@pytest.mark.parametrize("ext,magic", [(".png", b"\x89PNG"), (".svg", b"<?xml"), (".pdf", b"%PDF")])
def test_writes_the_format_of_the_extension(frame, tmp_path, ext, magic):
    path = tmp_path / f"burnup{ext}"
    qf.plot.burnup(frame, "West", path)
    assert path.read_bytes().startswith(magic)
    chart = tmp_path / f"chart{ext}"
    qf.plot.control_chart(np.arange(20.0) % 5, path=chart)
    assert chart.read_bytes().startswith(magic)


def test_control_chart_draws_limits_and_marks_signals():
    rng = np.random.default_rng(7)
    y = rng.normal(10.0, 1.0, 60)
    y[40] = 25.0  # beyond 3 sigma: nelson1 fires here
    signals = qf.control_chart(y)
    fig = qf.plot.control_chart(y, signals)
    ax = fig.axes[0]
    lines = _lines(fig)
    np.testing.assert_array_equal(lines["value"], y)
    c, s = signals.attrs["center"], signals.attrs["sigma"]
    assert lines["centre"][0] == pytest.approx(c)
    assert lines["3 sigma"][0] == pytest.approx(c + 3 * s)
    marks = ax.collections[0].get_offsets()
    assert len(marks) == len(signals) and 40 in set(int(v) for v in np.asarray(marks)[:, 0])
    texts = {t.get_text() for t in ax.texts}
    assert any("nelson1" in t for t in texts)
    # Computed on the fly with options when no signals are given.
    fig2 = qf.plot.control_chart(y, rules="we1", title="orders")
    assert fig2.axes[0].get_title() == "orders"
    assert {t.get_text() for t in fig2.axes[0].texts} == {"we1"}


def test_bad_arguments_are_named(frame, tmp_path):
    with pytest.raises(qf.NotFoundError, match="node 'North' is not in track_frame"):
        qf.plot.burnup(frame, "North")
    with pytest.raises(qf.NotFoundError, match="node 9 is not in track_frame"):
        qf.plot.burnup(frame, 9)
    with pytest.raises(qf.InvalidArgumentError, match="node is 1.5"):
        qf.plot.burnup(frame, 1.5)
    with pytest.raises(qf.InvalidArgumentError, match="track_frame has no column 'plan_to_date'"):
        qf.plot.burnup(frame.drop(columns=["plan_to_date"]), "East")
    with pytest.raises(qf.InvalidArgumentError, match="scale is 19"):
        qf.plot.burnup(frame, "East", scale=19)
    with pytest.raises(qf.InvalidArgumentError, match=r"extension '\.jpg'"):
        qf.plot.burnup(frame, "East", tmp_path / "x.jpg")
    with pytest.raises(qf.InvalidArgumentError, match="values must be 1-dimensional"):
        qf.plot.control_chart(np.zeros((2, 2)))
    with pytest.raises(qf.InvalidArgumentError, match="only used when signals is not given"):
        y = np.arange(10.0)
        qf.plot.control_chart(y, qf.control_chart(y), rules="we1")
    y = np.arange(10.0)
    s = qf.control_chart(y)
    assert s["index"].iloc[0] == 0  # a steady rise is far from its centre at both ends
    s["index"] += 50
    with pytest.raises(qf.InvalidArgumentError, match=r"signals.index\[0\] is 50; values has 10 points"):
        qf.plot.control_chart(y, s)
