"""qf_scorecard_* through ctypes, the way an integrator in another language calls it: a card from
JSON, columns in, totals, lines and reasons out (caller buffers with size queries), and the same
numbers as quotaflow.Scorecard."""

from __future__ import annotations

import ctypes

import numpy as np
import pandas as pd
import pytest

import quotaflow as qf

OK, ERR_PARSE, ERR_NOT_FOUND = 0, -6, -4
P = ctypes.c_void_p
DP = ctypes.POINTER(ctypes.c_double)

CARD = (b'{"kpis": [{"measure": "attainment", "weight": 70, '
        b'"curve": {"kind": "linear", "threshold": 0.75, "target": 1, "cap": 150, "threshold_points": 50}}, '
        b'{"measure": "new_outlets", "weight": 30, "curve": {"kind": "step", "steps": [{"from": 1, "points": 50}, '
        b'{"from": 3, "points": 100}]}}, '
        b'{"measure": "collection_rate", "weight": 0, "gate": {"below": 0.8, "scale": 0.5}}]}')


@pytest.fixture(scope="module")
def lib(capi) -> ctypes.CDLL:
    lib = ctypes.CDLL(capi._name)
    sz = ctypes.c_size_t
    protos = {
        "qf_scorecard_from_json": [ctypes.POINTER(P), ctypes.c_char_p, sz],
        "qf_scorecard_destroy": [P],
        "qf_scorecard_score": [ctypes.POINTER(P), P, ctypes.POINTER(ctypes.c_char_p), ctypes.POINTER(DP), sz, sz],
        "qf_scorecard_result_destroy": [P],
        "qf_scorecard_result_size": [P, ctypes.POINTER(sz), ctypes.POINTER(sz)],
        "qf_scorecard_result_totals": [P, DP, sz],
        "qf_scorecard_result_lines": [P, DP, DP, DP, DP, ctypes.POINTER(ctypes.c_int32), sz],
        "qf_scorecard_result_reason": [P, sz, sz, ctypes.c_char_p, sz, ctypes.POINTER(sz)],
    }
    for name, args in protos.items():
        getattr(lib, name).argtypes = args
        getattr(lib, name).restype = None if name.endswith("destroy") else ctypes.c_int32
    lib.qf_last_error_message.restype = ctypes.c_char_p
    return lib


def _score(lib, card, columns: dict):
    names = (ctypes.c_char_p * len(columns))(*[k.encode() for k in columns])
    arrays = [np.ascontiguousarray(v, dtype=np.float64) for v in columns.values()]
    ptrs = (DP * len(arrays))(*[a.ctypes.data_as(DP) for a in arrays])
    res = P()
    status = lib.qf_scorecard_score(ctypes.byref(res), card, names, ptrs, len(arrays), len(arrays[0]))
    return status, res


def _reason(lib, res, row, kpi) -> str:
    needed = ctypes.c_size_t()
    assert lib.qf_scorecard_result_reason(res, row, kpi, None, 0, ctypes.byref(needed)) == OK
    buf = ctypes.create_string_buffer(needed.value + 1)
    assert lib.qf_scorecard_result_reason(res, row, kpi, buf, len(buf), None) == OK
    return buf.value.decode()


def test_score_through_ctypes(lib):
    card = P()
    assert lib.qf_scorecard_from_json(ctypes.byref(card), CARD, len(CARD)) == OK
    try:
        cols = {"actual": [70.0, 90.0], "target": [80.0, 60.0], "new_outlets": [3.0, 1.0], "collection_rate": [0.9, 0.5]}
        status, res = _score(lib, card, cols)
        assert status == OK, lib.qf_last_error_message()
        try:
            rows, kpis = ctypes.c_size_t(), ctypes.c_size_t()
            assert lib.qf_scorecard_result_size(res, ctypes.byref(rows), ctypes.byref(kpis)) == OK
            assert (rows.value, kpis.value) == (2, 3)
            totals = np.zeros(2)
            assert lib.qf_scorecard_result_totals(res, totals.ctypes.data_as(DP), 2) == OK
            # Row 0: 87.5% -> 75 points x 0.7 + 3 outlets -> 100 x 0.3 = 82.5.
            # Row 1: 150% -> 150 (capped) x 0.7 + 50 x 0.3 = 120, halved by the collection gate (50% < 80%).
            np.testing.assert_allclose(totals, [82.5, 60.0], rtol=0, atol=1e-12)
            points, factor = np.zeros(6), np.zeros(6)
            gated = np.zeros(6, dtype=np.int32)
            assert lib.qf_scorecard_result_lines(res, None, points.ctypes.data_as(DP), factor.ctypes.data_as(DP), None,
                                                 gated.ctypes.data_as(ctypes.POINTER(ctypes.c_int32)), 6) == OK
            assert list(points) == [75, 100, 0, 150, 50, 0]
            assert list(factor) == [1, 1, 1, 0.5, 0.5, 0.5]
            assert list(gated) == [0, 0, 0, 0, 0, 1]
            assert _reason(lib, res, 1, 2) == "collection rate 50% is below the gate of 80%: score scaled to 50%"
            assert _reason(lib, res, 1, 0) == ("attainment 150% scores 150 points (capped); "
                                               "scaled to 50% by the collection rate gate")
            # The same numbers as the Python package.
            frame = pd.DataFrame({"person": ["a", "b"], "period": [1, 1], **cols})
            py = qf.Scorecard.from_json(CARD.decode()).score(frame)
            np.testing.assert_array_equal(py.totals["score"].to_numpy(), totals)
        finally:
            lib.qf_scorecard_result_destroy(res)
        # Missing column: a status and a message, no handle.
        del cols["new_outlets"]
        status, res = _score(lib, card, cols)
        assert status == ERR_NOT_FOUND and not res.value
        assert b"no column for measure new_outlets" in lib.qf_last_error_message()
    finally:
        lib.qf_scorecard_destroy(card)
    bad = CARD.replace(b'"weight": 30', b'"weight": 20')
    assert lib.qf_scorecard_from_json(ctypes.byref(card), bad, len(bad)) == ERR_PARSE
    assert b"$.kpis (line 1, column 10): has weights that sum to 90%" in lib.qf_last_error_message()
