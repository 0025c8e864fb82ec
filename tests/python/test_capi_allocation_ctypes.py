"""The hierarchy and allocation part of the C ABI (qf_hierarchy_*, qf_apportion, qf_allocate_tree,
qf_phase, qf_phase_many, qf_allocate_grid, qf_reconcile, qf_reconcile_plan) driven through ctypes
with numpy columns passed as pointers, the way an integrator in C#, Java or Go calls it: values on
cases worked out by hand, agreement with the Python API, and every rejected argument's status code
and message."""

from __future__ import annotations

import ctypes
import datetime as dt
import math
from fractions import Fraction

import numpy as np
import pytest

import quotaflow as qf

import capi_types as C
from capi_types import CalendarPtr, HierarchyPtr, PhaseOptions, TreeOptions

I32, I64, F64 = ctypes.c_int32, ctypes.c_int64, ctypes.c_double
NAN = float("nan")
UNTOUCHED = -777  # what output buffers hold before a call; a failing call must leave them so
METHODS = {"hamilton": C.QF_APPORTION_HAMILTON, "webster": C.QF_APPORTION_WEBSTER, "dhondt": C.QF_APPORTION_DHONDT,
           "huntington_hill": C.QF_APPORTION_HUNTINGTON_HILL}
RECONCILE_METHODS = {"bottom_up": C.QF_RECONCILE_BOTTOM_UP, "top_down": C.QF_RECONCILE_TOP_DOWN,
                     "ols": C.QF_RECONCILE_OLS, "wls_struct": C.QF_RECONCILE_WLS_STRUCT}
EPOCH = dt.date(1970, 1, 1)

# Root 0 with children 1, 2 and the leaf 8; 1 has the leaves 3, 4, 5 and 2 has the leaves 6, 7.
PARENTS = [-1, 0, 0, 1, 1, 1, 2, 2, 0]
LEAF_WEIGHTS = [1.0, 1.0, 1.0, 2.0, 2.0, 3.0]  # for leaves 3, 4, 5, 6, 7, 8: node 1 weighs 3, node 2 4, node 8 3
# Root 0 with children 1 and 2; 1 has the leaves 3, 4 and 2 has the leaf 5 (reconcile_plan cases).
PLAN_PARENTS = [-1, 0, 0, 1, 1, 2]
PLAN_DRAFTS = [0, 0, 0, 100, 300, 600]
CN_2025_MONTH_DAYS = [19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23]  # working days, 248 in all


def d(iso: str) -> int:
    return (dt.date.fromisoformat(iso) - EPOCH).days


Y2025, Y2026 = d("2025-01-01"), d("2026-01-01")


def ptr(arr, ctype):
    """arr's data as a C pointer, None for None (a NULL column)."""
    if arr is None:
        return None
    assert arr.flags.c_contiguous
    return arr.ctypes.data_as(ctypes.POINTER(ctype))


def by_ref(options):
    """A pointer to an options struct, None (NULL: the defaults) for None."""
    return None if options is None else ctypes.byref(options)


def column(values, dtype):
    return None if values is None else np.ascontiguousarray(values, dtype=dtype)


def filled(n, dtype=np.int64):
    return np.full(n, UNTOUCHED, dtype=dtype)


def last_error(capi) -> str:
    return capi.qf_last_error_message().decode()


def assert_fails(capi, status, code, message):
    """The status is `code` and the thread's message is exactly `message` (it names the argument)."""
    assert (status, last_error(capi)) == (code, message)


def random_parents(rng, n):
    """A random forest on n nodes, numbered so that children often come before their parents."""
    order = rng.permutation(n)  # order[k]: the node id of the k-th node in a topological order
    parents = np.full(n, -1, dtype=np.int32)
    for k in range(1, n):
        j = int(rng.integers(-1, k))  # -1 now and then: another root
        parents[order[k]] = -1 if j < 0 else order[j]
    return parents


def children_sums(parents, values):
    """sum of values over each node's children (0 for a leaf)."""
    sums = np.zeros(len(parents), dtype=np.asarray(values).dtype)
    for v, p in enumerate(parents):
        if p >= 0:
            sums[p] += values[v]
    return sums


def round_half_away(x: Fraction) -> int:
    n = math.floor(abs(x) + Fraction(1, 2))
    return n if x >= 0 else -n


def inner_nodes(parents):
    return sorted({int(p) for p in parents if p >= 0})


@pytest.fixture()
def make_hierarchy(capi):
    """make_hierarchy(parents) -> a qf_hierarchy*, destroyed at teardown."""
    made = []

    def make(parents):
        arr = column(parents, np.int32)
        h = HierarchyPtr()
        assert capi.qf_hierarchy_create(ctypes.byref(h), ptr(arr, I32), arr.size) == C.QF_OK, last_error(capi)
        assert bool(h)
        made.append(h)
        return h

    yield make
    for h in made:
        capi.qf_hierarchy_destroy(h)


@pytest.fixture()
def cn_handle(capi):
    cal = CalendarPtr()
    assert capi.qf_calendar_preset(ctypes.byref(cal), b"CN") == C.QF_OK
    yield cal
    capi.qf_calendar_destroy(cal)


# --- call wrappers: numpy in, (status, numpy out) back -----------------------------------------

def apportion(capi, total, weights, method=C.QF_APPORTION_HAMILTON, lower=None, upper=None):
    w, lo, hi = column(weights, np.float64), column(lower, np.int64), column(upper, np.int64)
    out = filled(w.size)
    status = capi.qf_apportion(total, ptr(w, F64), w.size, method, ptr(lo, I64), ptr(hi, I64), ptr(out, I64))
    return status, out


def allocate_tree(capi, h, root_total, weights, options=None, n_out=None, explain=False):
    w = column(weights, np.float64)
    n = n_out if n_out is not None else node_count(capi, h)
    out, quotas = filled(n), (np.full(n, np.nan) if explain else None)
    status = capi.qf_allocate_tree(h, root_total, ptr(w, F64), w.size, by_ref(options), ptr(out, I64), n,
                                   ptr(quotas, F64))
    return (status, out, quotas) if explain else (status, out)


def phase(capi, cal, total, start, end, options=None):
    """Size query, then fill: (status, starts, ends, targets)."""
    opts = by_ref(options)
    count = ctypes.c_size_t(12345)
    status = capi.qf_phase(cal, total, start, end, opts, None, None, None, 0, ctypes.byref(count))
    if status != C.QF_OK:
        return status, None, None, None
    starts, ends = filled(count.value, np.int32), filled(count.value, np.int32)
    targets = filled(count.value)
    status = capi.qf_phase(cal, total, start, end, opts, ptr(starts, I32), ptr(ends, I32), ptr(targets, I64),
                           count.value, ctypes.byref(count))
    assert count.value == targets.size
    return status, starts, ends, targets


def phase_many(capi, cal, totals, start, end, options=None, n_periods=None):
    t = column(totals, np.int64)
    if n_periods is None:
        status, _, _, targets = phase(capi, cal, 0, start, end, options)
        assert status == C.QF_OK
        n_periods = targets.size
    out = filled((t.size, n_periods))
    status = capi.qf_phase_many(cal, ptr(t, I64), t.size, start, end, by_ref(options), ptr(out, I64), n_periods)
    return status, out


def allocate_grid(capi, row_totals, col_totals, seed):
    r, c, s = column(row_totals, np.int64), column(col_totals, np.int64), column(seed, np.float64)
    out = filled((r.size, c.size))
    status = capi.qf_allocate_grid(ptr(r, I64), r.size, ptr(c, I64), c.size, ptr(s, F64), ptr(out, I64))
    return status, out


def reconcile(capi, h, base, method, nonnegative=False, history=None, history_periods=0):
    b, hist = column(base, np.float64), column(history, np.float64)
    real, ints = np.full(b.size, np.nan), filled(b.size)
    status = capi.qf_reconcile(h, ptr(b, F64), b.size, method, int(nonnegative), ptr(hist, F64), history_periods,
                               ptr(real, F64), ptr(ints, I64))
    return status, real, ints


def reconcile_plan(capi, h, top_down, bottom_up, method=C.QF_PLAN_SCALE, alpha=0.5):
    td, bu = column(top_down, np.float64), column(bottom_up, np.int64)
    plan, rollup = filled(td.size), filled(td.size)
    status = capi.qf_reconcile_plan(h, ptr(td, F64), ptr(bu, I64), td.size, method, alpha, ptr(plan, I64),
                                    ptr(rollup, I64))
    return status, plan, rollup


def node_count(capi, h):
    n = ctypes.c_size_t()
    assert capi.qf_hierarchy_info(h, ctypes.byref(n), None, None) == C.QF_OK
    return n.value


def int32_column(capi, fn, h, n):
    out = filled(n, np.int32)
    assert fn(h, ptr(out, I32), n) == C.QF_OK, last_error(capi)
    return out


# --- hierarchies --------------------------------------------------------------------------------

@pytest.mark.parametrize("parents, depths, leaves, preorder", [
    (PARENTS, [0, 1, 1, 2, 2, 2, 2, 2, 1], [3, 4, 5, 6, 7, 8], [0, 1, 3, 4, 5, 2, 6, 7, 8]),
    ([2, 2, -1, 0], [1, 1, 0, 2], [1, 3], [2, 0, 3, 1]),  # children listed before their parents
    ([-1, -1, 0], [0, 0, 1], [1, 2], [0, 2, 1]),  # two roots
])
def test_hierarchy_info_depths_leaves_preorder(capi, make_hierarchy, parents, depths, leaves, preorder):
    h = make_hierarchy(parents)
    n, n_leaves, max_depth = ctypes.c_size_t(), ctypes.c_size_t(), ctypes.c_int32()
    assert capi.qf_hierarchy_info(h, ctypes.byref(n), ctypes.byref(n_leaves), ctypes.byref(max_depth)) == C.QF_OK
    assert (n.value, n_leaves.value, max_depth.value) == (len(parents), len(leaves), max(depths))
    assert capi.qf_hierarchy_info(h, None, None, None) == C.QF_OK  # every output is optional
    assert int32_column(capi, capi.qf_hierarchy_depths, h, n.value).tolist() == depths
    assert int32_column(capi, capi.qf_hierarchy_leaves, h, n_leaves.value).tolist() == leaves
    assert int32_column(capi, capi.qf_hierarchy_preorder, h, n.value).tolist() == preorder


def test_hierarchy_matches_python_on_random_forests(capi, make_hierarchy):
    rng = np.random.default_rng(11)
    for n in (1, 2, 7, 60, 500):
        parents = random_parents(rng, n)
        h, ref = make_hierarchy(parents), qf.Hierarchy.from_parents(parents)
        n_leaves, max_depth = ctypes.c_size_t(), ctypes.c_int32()
        assert capi.qf_hierarchy_info(h, None, ctypes.byref(n_leaves), ctypes.byref(max_depth)) == C.QF_OK
        assert (n_leaves.value, max_depth.value) == (ref.leaves.size, ref.max_depth)
        assert (int32_column(capi, capi.qf_hierarchy_depths, h, n) == ref.depths).all()
        assert (int32_column(capi, capi.qf_hierarchy_leaves, h, n_leaves.value) == ref.leaves).all()
        preorder = int32_column(capi, capi.qf_hierarchy_preorder, h, n)
        assert (preorder == ref.preorder).all()
        seen = set()
        for v in preorder.tolist():  # parents before children, every node once
            assert parents[v] < 0 or parents[v] in seen
            seen.add(v)
        assert len(seen) == n
        values = rng.integers(-10**12, 10**12, size=n)
        rolled = filled(n)
        assert capi.qf_hierarchy_rollup(h, ptr(values, I64), n, ptr(rolled, I64)) == C.QF_OK
        assert (rolled == ref.rollup(values)).all()
        assert (rolled == values + children_sums(parents, rolled)).all()


def test_hierarchy_rollup_hand_worked_and_in_place(capi, make_hierarchy):
    h = make_hierarchy(PARENTS)
    values = np.array([0, 0, 0, 1, 2, 3, 10, 20, 100], dtype=np.int64)
    out = filled(9)
    assert capi.qf_hierarchy_rollup(h, ptr(values, I64), 9, ptr(out, I64)) == C.QF_OK
    assert out.tolist() == [136, 6, 30, 1, 2, 3, 10, 20, 100]
    # Inner values are added too (values at leaves only just roll the leaves up); out may be values.
    values[0], values[2] = 1000, 7
    assert capi.qf_hierarchy_rollup(h, ptr(values, I64), 9, ptr(values, I64)) == C.QF_OK
    assert values.tolist() == [1143, 6, 37, 1, 2, 3, 10, 20, 100]


def test_hierarchy_empty_and_destroy_null(capi):
    h = HierarchyPtr()
    assert capi.qf_hierarchy_create(ctypes.byref(h), None, 0) == C.QF_OK
    n, n_leaves, max_depth = ctypes.c_size_t(9), ctypes.c_size_t(9), ctypes.c_int32(9)
    assert capi.qf_hierarchy_info(h, ctypes.byref(n), ctypes.byref(n_leaves), ctypes.byref(max_depth)) == C.QF_OK
    assert (n.value, n_leaves.value, max_depth.value) == (0, 0, -1)
    assert capi.qf_hierarchy_depths(h, None, 0) == C.QF_OK
    assert capi.qf_hierarchy_rollup(h, None, 0, None) == C.QF_OK
    capi.qf_hierarchy_destroy(h)
    capi.qf_hierarchy_destroy(None)
    capi.qf_hierarchy_destroy(HierarchyPtr())


@pytest.mark.parametrize("parents, message", [
    ([0], "parents[0] is 0: a node cannot be its own parent"),
    ([-1, 5], "parents[1] is 5; expected -1 (root) or a node index in 0..1"),
    ([-1, -2], "parents[1] is -2; expected -1 (root) or a node index in 0..1"),
    ([1, 0], "parents: node 0 is on a cycle (it never reaches a root)"),
    ([-1, 2, 3, 1], "parents: node 1 is on a cycle (it never reaches a root)"),
])
def test_hierarchy_create_rejects_bad_parents(capi, parents, message):
    arr = column(parents, np.int32)
    h = HierarchyPtr()
    assert_fails(capi, capi.qf_hierarchy_create(ctypes.byref(h), ptr(arr, I32), arr.size), C.QF_ERR_INVALID_ARGUMENT,
                 message)
    assert not h  # *out is NULL on failure


def test_hierarchy_null_and_length_errors(capi, make_hierarchy):
    parents = column(PARENTS, np.int32)
    h = HierarchyPtr()
    assert_fails(capi, capi.qf_hierarchy_create(None, ptr(parents, I32), 9), C.QF_ERR_NULL_POINTER, "out is NULL")
    assert_fails(capi, capi.qf_hierarchy_create(ctypes.byref(h), None, 2), C.QF_ERR_NULL_POINTER,
                 "parents is NULL but its length is 2")
    assert not h

    n = ctypes.c_size_t()
    assert_fails(capi, capi.qf_hierarchy_info(None, ctypes.byref(n), None, None), C.QF_ERR_NULL_POINTER,
                 "hierarchy is NULL")
    h = make_hierarchy(PARENTS)
    buf = filled(9, np.int32)
    for fn, length in ((capi.qf_hierarchy_depths, 9), (capi.qf_hierarchy_leaves, 6), (capi.qf_hierarchy_preorder, 9)):
        assert_fails(capi, fn(None, ptr(buf, I32), length), C.QF_ERR_NULL_POINTER, "hierarchy is NULL")
        assert_fails(capi, fn(h, None, length), C.QF_ERR_NULL_POINTER, f"out is NULL but its length is {length}")
        assert_fails(capi, fn(h, ptr(buf, I32), length - 1), C.QF_ERR_INVALID_ARGUMENT,
                     f"out has length {length - 1}; expected {length}")
        assert_fails(capi, fn(h, None, 0), C.QF_ERR_INVALID_ARGUMENT, f"out has length 0; expected {length}")
    assert (buf == UNTOUCHED).all()

    values, out = np.ones(9, dtype=np.int64), filled(9)
    assert_fails(capi, capi.qf_hierarchy_rollup(None, ptr(values, I64), 9, ptr(out, I64)), C.QF_ERR_NULL_POINTER,
                 "hierarchy is NULL")
    assert_fails(capi, capi.qf_hierarchy_rollup(h, None, 9, ptr(out, I64)), C.QF_ERR_NULL_POINTER,
                 "values is NULL but its length is 9")
    assert_fails(capi, capi.qf_hierarchy_rollup(h, ptr(values, I64), 9, None), C.QF_ERR_NULL_POINTER,
                 "out is NULL but its length is 9")
    assert_fails(capi, capi.qf_hierarchy_rollup(h, ptr(values, I64), 8, ptr(out, I64)), C.QF_ERR_INVALID_ARGUMENT,
                 "length mismatch: values has 8 elements, the hierarchy has 9 nodes")
    assert (out == UNTOUCHED).all()


def test_hierarchy_rollup_overflow(capi, make_hierarchy):
    h = make_hierarchy([-1, 0, 0])
    values, out = np.array([0, 2**62, 2**62], dtype=np.int64), filled(3)
    assert_fails(capi, capi.qf_hierarchy_rollup(h, ptr(values, I64), 3, ptr(out, I64)), C.QF_ERR_OVERFLOW,
                 "rollup overflows int64: 4611686018427387904 + 4611686018427387904")


# --- qf_apportion -------------------------------------------------------------------------------

@pytest.mark.parametrize("method, total, weights, expected", [
    # Hamilton: quotas 4.29, 4.29, 1.43 -> floors 4, 4, 1; the one unit left goes to the largest remainder.
    ("hamilton", 10, [6, 6, 2], [4, 4, 2]),
    ("hamilton", 11, [6, 6, 2], [5, 5, 1]),  # the Alabama paradox: one more unit, recipient 2 loses one
    ("hamilton", 7, [5, 3, 1], [4, 2, 1]),  # remainders .89, .33, .78
    ("hamilton", 5, [10, 1, 0.5], [4, 1, 0]),
    # Webster (signposts k + 1/2) and D'Hondt (k + 1), seat by seat, ties to the lower index.
    ("webster", 10, [6, 6, 2], [5, 4, 1]),
    ("webster", 5, [10, 1, 0.5], [5, 0, 0]),
    ("dhondt", 10, [6, 6, 2], [5, 4, 1]),
    ("dhondt", 7, [5, 3, 1], [5, 2, 0]),  # favours the large
    # Huntington-Hill: s(0) = 0, so every positive weight gets a unit first.
    ("huntington_hill", 10, [6, 6, 2], [4, 4, 2]),
    ("huntington_hill", 11, [6, 6, 2], [5, 4, 2]),
    ("huntington_hill", 5, [10, 1, 0.5], [3, 1, 1]),
    # Ties go to the lower index, whatever the method.
    *[(m, 3, [1, 1, 1, 1], [1, 1, 1, 0]) for m in METHODS],
    *[(m, 0, [1, 2], [0, 0]) for m in METHODS],
    *[(m, 9, [0, 3, 0], [0, 9, 0]) for m in METHODS],
])
def test_apportion_hand_worked(capi, method, total, weights, expected):
    status, out = apportion(capi, total, weights, METHODS[method])
    assert status == C.QF_OK, last_error(capi)
    assert out.tolist() == expected
    assert qf.apportion(total, weights, method).tolist() == expected


@pytest.mark.parametrize("method", list(METHODS))
def test_apportion_negative_totals_are_symmetric(capi, method):
    rng = np.random.default_rng(5)
    for total, weights in [(11, [6, 6, 2]), (3, [1, 1, 1, 1]), (2**63 - 1, [1, 2, 3]), (12345, rng.random(40))]:
        status, pos = apportion(capi, total, weights, METHODS[method])
        assert status == C.QF_OK
        status, neg = apportion(capi, -total, weights, METHODS[method])
        assert status == C.QF_OK
        assert (neg == -pos).all()
        assert int(neg.sum()) == -total
    status, out = apportion(capi, -(2**63), [1, 1], METHODS[method])
    assert status == C.QF_OK and out.tolist() == [-(2**62), -(2**62)]


@pytest.mark.parametrize("total, weights, lower, upper, expected", [
    (10, [1, 1, 1], [0, 0, 5], None, [3, 2, 5]),  # water-filling: 2.5, 2.5, 5 pinned
    (10, [1, 1, 1], None, [2, 2, 100], [2, 2, 6]),
    (10, [1, 1, 1], [3, 3, 3], [3, 3, 4], [3, 3, 4]),  # the bounds leave one answer
    (10, [0, 1, 1], [4, 0, 0], None, [4, 3, 3]),  # a zero weight sits at its lower bound
    (6, [1, 1, 0], None, [2, 2, 10], [2, 2, 2]),  # a zero weight takes what the others cannot
    # Negative totals solve the mirrored problem: -apportion(10, lower=-upper, upper=-lower).
    (-10, [1, 1, 1], [-5, -5, -5], [0, 0, 0], [-4, -3, -3]),
    (-10, [1, 1, 1], [-2, -2, -100], None, [-2, -2, -6]),
])
def test_apportion_bounds(capi, total, weights, lower, upper, expected):
    for method in METHODS:
        status, out = apportion(capi, total, weights, METHODS[method], lower, upper)
        assert status == C.QF_OK, (method, last_error(capi))
        assert int(out.sum()) == total
        assert lower is None or (out >= np.array(lower)).all()
        assert upper is None or (out <= np.array(upper)).all()
        assert (out == qf.apportion(total, weights, method, lower, upper)).all()
    status, out = apportion(capi, total, weights, C.QF_APPORTION_HAMILTON, lower, upper)
    assert out.tolist() == expected
    if lower is not None and upper is not None:  # bounds mirror with the sign of the total
        status, mirrored = apportion(capi, -total, weights, C.QF_APPORTION_HAMILTON, [-u for u in upper],
                                     [-lo for lo in lower])
        assert status == C.QF_OK and (mirrored == -out).all()


def test_apportion_matches_python_on_random_cases(capi):
    rng = np.random.default_rng(2025)
    for case in range(60):
        n = int(rng.integers(1, 50))
        weights = rng.random(n) * 10.0 ** rng.integers(-3, 6)
        weights[rng.random(n) < 0.1] = 0.0
        weights[0] = max(weights[0], 0.5)
        total = int(rng.integers(-10**9, 10**9))
        lower = upper = None
        if case % 3 == 0:
            lower = -rng.integers(0, 10**6, size=n) if total < 0 else rng.integers(0, 10, size=n)
            upper = lower + rng.integers(0, 10**9, size=n)
            total = int(np.clip(total, lower.sum(), upper.sum()))
        for name, method in METHODS.items():
            status, out = apportion(capi, total, weights, method, lower, upper)
            assert status == C.QF_OK, last_error(capi)
            assert int(out.sum()) == total
            assert (out == qf.apportion(total, weights, name, lower, upper)).all()
            if name == "hamilton" and lower is None:  # exact to quota: floor or ceiling of every quota
                quotas = qf.apportion_quotas(total, weights)
                assert (np.abs(out - quotas) < 1 + 1e-9).all()


def test_apportion_zero_length_columns_may_be_null(capi):
    assert capi.qf_apportion(0, None, 0, C.QF_APPORTION_HAMILTON, None, None, None) == C.QF_OK


@pytest.mark.parametrize("total, weights, method, lower, upper, code, message", [
    (10, [1, NAN, 1], 0, None, None, -1, "weights[1] is NaN; weights must be finite and >= 0"),
    (10, [1, -2, 1], 0, None, None, -1, "weights[1] is -2; weights must be >= 0"),
    (10, [1, 1, float("inf")], 1, None, None, -1, "weights[2] is inf; weights must be finite and >= 0"),
    (10, [-0.5, 1], 2, None, None, -1, "weights[0] is -0.5; weights must be >= 0"),
    (10, [0, 0], 0, None, None, -1, "weights sum to 0 but total is 10"),
    (10, [1e308, 1e308], 0, None, None, -1,
     "weights sum to at least 2^1024, beyond the largest double (1.7976931348623157e+308)"),
    (10, [1, 1], 4, None, None, -1,
     "method is 4; expected 0 (hamilton), 1 (webster), 2 (dhondt) or 3 (huntington_hill)"),
    (10, [1, 1], -1, None, None, -1,
     "method is -1; expected 0 (hamilton), 1 (webster), 2 (dhondt) or 3 (huntington_hill)"),
    (10, [1, 1, 1], 0, [4, 4, 4], None, -1, "sum of lower bounds 12 exceeds total 10"),
    (10, [1, 1, 1], 0, None, [3, 3, 3], -1, "sum of upper bounds 9 is less than total 10"),
    (-10, [1, 1, 1], 3, [-2, -2, -2], None, -1, "sum of lower bounds -6 exceeds total -10"),
    (10, [1, 1, 1], 0, [0, 5, 0], [9, 4, 9], -1,
     "lower[1] is 5 but upper[1] is 4; lower bounds must not exceed upper bounds"),
])
def test_apportion_rejects_bad_arguments(capi, total, weights, method, lower, upper, code, message):
    status, out = apportion(capi, total, weights, method, lower, upper)
    assert_fails(capi, status, code, message)
    assert (out == UNTOUCHED).all()


def test_apportion_null_columns(capi):
    w, out = np.ones(2), filled(2)
    assert_fails(capi, capi.qf_apportion(5, None, 2, 0, None, None, ptr(out, I64)), C.QF_ERR_NULL_POINTER,
                 "weights is NULL but its length is 2")
    assert_fails(capi, capi.qf_apportion(5, ptr(w, F64), 2, 0, None, None, None), C.QF_ERR_NULL_POINTER,
                 "out is NULL but its length is 2")
    assert_fails(capi, capi.qf_apportion(10, None, 0, 0, None, None, None), C.QF_ERR_INVALID_ARGUMENT,
                 "weights is empty but total is 10")


# --- qf_allocate_tree ---------------------------------------------------------------------------

def test_allocate_tree_hand_worked(capi, make_hierarchy):
    h = make_hierarchy(PARENTS)
    # The root's children weigh 3, 4, 3: 300.3, 400.4, 300.3 -> 300, 401, 300. Node 2's 401 over
    # 2, 2: 200.5 each -> the tie goes to node 6.
    status, out, quotas = allocate_tree(capi, h, 1001, LEAF_WEIGHTS, explain=True)
    assert status == C.QF_OK, last_error(capi)
    assert out.tolist() == [1001, 300, 401, 100, 100, 100, 201, 200, 300]
    assert quotas == pytest.approx([1001, 300.3, 400.4, 100, 100, 100, 200.5, 200.5, 300.3], rel=1e-12)
    assert (allocate_tree(capi, h, 1001, LEAF_WEIGHTS)[1] == out).all()  # quotas may be NULL

    # 10 % over-assignment: each parent's children share 1.1 x the parent.
    opts = TreeOptions.init()
    opts.over_assignment = 0.1
    status, out, quotas = allocate_tree(capi, h, 1000, LEAF_WEIGHTS, opts, explain=True)
    assert status == C.QF_OK
    assert out.tolist() == [1000, 330, 440, 121, 121, 121, 242, 242, 330]
    assert quotas.tolist() == out.tolist()
    ref = qf.allocate_tree(qf.Hierarchy.from_parents(PARENTS), 1000, LEAF_WEIGHTS, over_assignment=0.1, explain=True)
    assert ref["amount"].tolist() == out.tolist()
    assert ref["quota"].to_numpy() == pytest.approx(quotas)


@pytest.mark.parametrize("method", list(METHODS))
def test_allocate_tree_children_sum_to_parent_times_over_assignment(capi, make_hierarchy, method):
    rng = np.random.default_rng(METHODS[method])
    parents = random_parents(rng, 300)
    parents[parents == -1] = 0  # one root (node 0); its own parent stays -1
    parents[0] = -1
    py_h = qf.Hierarchy.from_parents(parents)
    h = make_hierarchy(parents)
    weights = rng.random(py_h.leaves.size) + 0.01
    for rate in (0.0, 0.15, -0.2):
        opts = TreeOptions.init()
        opts.method, opts.over_assignment = METHODS[method], rate
        status, out, quotas = allocate_tree(capi, h, 987_654_321, weights, opts, explain=True)
        assert status == C.QF_OK, last_error(capi)
        assert out[0] == 987_654_321
        sums = children_sums(parents, out)
        for v in inner_nodes(parents):  # children sum exactly to the parent's amount x (1 + rate), rounded
            assert sums[v] == round_half_away(Fraction(int(out[v])) * (1 + Fraction(rate))), v
        assert (out == qf.allocate_tree(py_h, 987_654_321, weights, over_assignment=rate, method=method)).all()
        if method == "hamilton":
            assert (np.abs(out - quotas) < 1).all()


def test_allocate_tree_options(capi, make_hierarchy):
    h = make_hierarchy(PARENTS)
    py_h = qf.Hierarchy.from_parents(PARENTS)

    # Per-level rates (by the parent's depth): the root's children get 2 x 1000, theirs 1 x.
    levels = np.array([1.0, 0.0])
    opts = TreeOptions.init()
    opts.over_assignment_per_level, opts.n_levels = ptr(levels, F64), levels.size
    status, out = allocate_tree(capi, h, 1000, LEAF_WEIGHTS, opts)
    assert status == C.QF_OK
    assert out.tolist() == [1000, 600, 800, 200, 200, 200, 400, 400, 600]
    assert (out == qf.allocate_tree(py_h, 1000, LEAF_WEIGHTS, over_assignment_per_level=levels)).all()

    # A per-node rate overrides the rest; only parents' rates are read.
    per_node = np.array([0.0, 0.5, 0.0, 9, 9, 9, 9, 9, 9])
    opts = TreeOptions.init()
    opts.over_assignment = 0.3
    opts.over_assignment_per_node = ptr(per_node, F64)
    status, out = allocate_tree(capi, h, 1000, LEAF_WEIGHTS, opts)
    assert status == C.QF_OK
    assert out.tolist() == [1000, 300, 400, 150, 150, 150, 200, 200, 300]
    assert (out == qf.allocate_tree(py_h, 1000, LEAF_WEIGHTS, over_assignment=per_node)).all()

    # Bounds per node, applied among siblings.
    lower = np.zeros(9, dtype=np.int64)
    upper = np.full(9, 10**9, dtype=np.int64)
    lower[8], upper[3] = 500, 50
    opts = TreeOptions.init()
    opts.lower, opts.upper = ptr(lower, I64), ptr(upper, I64)
    opts.method = C.QF_APPORTION_DHONDT
    status, out = allocate_tree(capi, h, 1000, LEAF_WEIGHTS, opts)
    assert status == C.QF_OK
    assert out[8] == 500 and out[3] == 50 and out[[1, 2, 8]].sum() == 1000 and out[[3, 4, 5]].sum() == out[1]
    assert (out == qf.allocate_tree(py_h, 1000, LEAF_WEIGHTS, lower=lower, upper=upper, method="dhondt")).all()

    # One weight per node: each node against its siblings by its own weight.
    per_node_weights = [0, 1, 1, 1, 0, 3, 1, 1, 2]
    status, out = allocate_tree(capi, h, 400, per_node_weights)
    assert status == C.QF_OK
    assert out.tolist() == [400, 100, 100, 25, 0, 75, 50, 50, 200]


def test_allocate_tree_several_roots_share_the_total(capi, make_hierarchy):
    h = make_hierarchy([-1, -1, 0, 0])
    status, out = allocate_tree(capi, h, 100, [1, 3, 1])  # leaves 1, 2, 3: root 0 weighs 3 + 1, root 1 weighs 1
    assert status == C.QF_OK and out.tolist() == [80, 20, 60, 20]


def test_allocate_tree_rejects_bad_arguments(capi, make_hierarchy):
    h = make_hierarchy(PARENTS)
    w = column(LEAF_WEIGHTS, np.float64)
    out = filled(9)

    def call(weights=w, n_weights=6, options=None, o=out, n_out=9, hierarchy=h, total=1000):
        return capi.qf_allocate_tree(hierarchy, total, ptr(weights, F64), n_weights, by_ref(options), ptr(o, I64),
                                     n_out, None)

    assert_fails(capi, call(hierarchy=None), C.QF_ERR_NULL_POINTER, "hierarchy is NULL")
    assert_fails(capi, call(weights=None), C.QF_ERR_NULL_POINTER, "weights is NULL but its length is 6")
    assert_fails(capi, call(o=None), C.QF_ERR_NULL_POINTER, "out is NULL but its length is 9")
    assert_fails(capi, call(n_out=8), C.QF_ERR_INVALID_ARGUMENT, "out has length 8; the hierarchy has 9 nodes")
    assert_fails(capi, call(n_weights=5), C.QF_ERR_INVALID_ARGUMENT,
                 "length mismatch: weights has 5 elements; expected one per leaf (6) or one per node (9)")
    bad = w.copy()
    bad[1] = NAN
    assert_fails(capi, call(weights=bad), C.QF_ERR_INVALID_ARGUMENT, "weights[1] (leaf node 4) is nan")
    bad[1] = -1
    assert_fails(capi, call(weights=bad), C.QF_ERR_INVALID_ARGUMENT,
                 "weights[1] (leaf node 4) is -1; weights must be >= 0")
    per_node = np.ones(9)
    per_node[8] = -0.5
    assert_fails(capi, call(weights=per_node, n_weights=9), C.QF_ERR_INVALID_ARGUMENT,
                 "weights[8] is -0.5; weights must be >= 0")

    def with_options(**fields):
        opts = TreeOptions.init()
        for k, v in fields.items():
            setattr(opts, k, v)
        return call(options=opts)

    assert_fails(capi, with_options(version=2), C.QF_ERR_INVALID_ARGUMENT,
                 "options->version is 2; this library knows version 1")
    assert_fails(capi, with_options(version=0), C.QF_ERR_INVALID_ARGUMENT,
                 "options->version is 0; this library knows version 1")
    assert_fails(capi, with_options(method=9), C.QF_ERR_INVALID_ARGUMENT,
                 "method is 9; expected 0 (hamilton), 1 (webster), 2 (dhondt) or 3 (huntington_hill)")
    assert_fails(capi, with_options(over_assignment=-1.0), C.QF_ERR_INVALID_ARGUMENT,
                 "over_assignment is -1; it must be finite and > -1")
    assert_fails(capi, with_options(over_assignment=NAN), C.QF_ERR_INVALID_ARGUMENT,
                 "over_assignment is nan; it must be finite and > -1")
    assert_fails(capi, with_options(n_levels=3), C.QF_ERR_NULL_POINTER,
                 "options->over_assignment_per_level is NULL but its length is 3")
    levels = np.array([0.0, -2.0])
    assert_fails(capi, with_options(over_assignment_per_level=ptr(levels, F64), n_levels=2),
                 C.QF_ERR_INVALID_ARGUMENT, "over_assignment_per_level[1] is -2; it must be finite and > -1")
    rates = np.zeros(9)
    rates[2] = float("inf")
    assert_fails(capi, with_options(over_assignment_per_node=ptr(rates, F64)), C.QF_ERR_INVALID_ARGUMENT,
                 "over_assignment_per_node[2] is inf; it must be finite and > -1")
    lower = np.zeros(9, dtype=np.int64)
    lower[3] = 500  # node 1 gets 300: its children cannot all be bounded below by 500
    assert_fails(capi, with_options(lower=ptr(lower, I64)), C.QF_ERR_INVALID_ARGUMENT,
                 "allocating node 1's children: sum of lower bounds 500 exceeds total 300")
    upper = np.full(9, 10, dtype=np.int64)
    assert_fails(capi, with_options(upper=ptr(upper, I64)), C.QF_ERR_INVALID_ARGUMENT,
                 "allocating node 0's children: sum of upper bounds 30 is less than total 1000")
    opts = TreeOptions.init()
    opts.over_assignment = 2.0
    assert_fails(capi, call(options=opts, total=2**62), C.QF_ERR_OVERFLOW,
                 "allocating node 0's children: node 0: 4611686018427387904 times (1 + 2) overflows int64")
    assert (out == UNTOUCHED).all()

    empty = HierarchyPtr()
    assert capi.qf_hierarchy_create(ctypes.byref(empty), None, 0) == C.QF_OK
    try:
        assert_fails(capi, capi.qf_allocate_tree(empty, 10, None, 0, None, None, 0, None), C.QF_ERR_INVALID_ARGUMENT,
                     "the hierarchy is empty")
    finally:
        capi.qf_hierarchy_destroy(empty)


# --- qf_phase and qf_phase_many -----------------------------------------------------------------

def test_phase_cn_2025_by_month(capi, cn_handle, cn):
    count = ctypes.c_size_t(99)
    assert capi.qf_phase(cn_handle, 248_005, Y2025, Y2026, None, None, None, None, 0, ctypes.byref(count)) == C.QF_OK
    assert count.value == 12
    status, starts, ends, targets = phase(capi, cn_handle, 248_005, Y2025, Y2026)
    assert status == C.QF_OK
    assert starts.tolist() == [d(f"2025-{m:02d}-01") for m in range(1, 13)]
    assert ends.tolist() == starts[1:].tolist() + [Y2026]
    # 1000 per working day, then 5 units by largest remainder 5 x days / 248: the three 23-day
    # months (.464), April (22 days, .444), then March and August (21, .423) tie: March.
    extra = [0, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1]
    assert targets.tolist() == [1000 * w + e for w, e in zip(CN_2025_MONTH_DAYS, extra)]
    assert int(targets.sum()) == 248_005

    for total in (1_000_000, -7, 2**63 - 1, 0):
        status, _, _, targets = phase(capi, cn_handle, total, Y2025, Y2026)
        assert status == C.QF_OK and int(targets.sum()) == total
        assert targets.tolist() == qf.phase(total, cn, "2025-01-01", "2026-01-01")["target"].tolist()
    # Columns other than targets are optional.
    targets = filled(12)
    assert capi.qf_phase(cn_handle, 1_000_000, Y2025, Y2026, None, None, None, ptr(targets, I64), 12,
                         ctypes.byref(count)) == C.QF_OK
    assert targets.tolist() == qf.phase(1_000_000, cn, "2025-01-01", "2026-01-01")["target"].tolist()


@pytest.mark.parametrize("grain, name", [(C.QF_GRAIN_YEAR, "year"), (C.QF_GRAIN_HALF, "half"),
                                         (C.QF_GRAIN_QUARTER, "quarter"), (C.QF_GRAIN_WEEK, "week"),
                                         (C.QF_GRAIN_DAY, "day")])
def test_phase_grains_match_python(capi, cn_handle, cn, grain, name):
    opts = PhaseOptions.init()
    opts.grain = grain
    status, starts, ends, targets = phase(capi, cn_handle, 1_234_567, d("2025-03-10"), d("2025-11-20"), opts)
    assert status == C.QF_OK
    ref = qf.phase(1_234_567, cn, "2025-03-10", "2025-11-20", grain=name)
    assert targets.tolist() == ref["target"].tolist()
    assert starts.tolist() == ref["start"].to_numpy().astype("datetime64[D]").astype(np.int64).tolist()
    assert ends.tolist() == ref["end"].to_numpy().astype("datetime64[D]").astype(np.int64).tolist()
    assert starts[0] == d("2025-03-10") and ends[-1] == d("2025-11-20")  # clipped to the range


def test_phase_profiles_and_methods_match_python(capi, cn_handle, cn):
    rng = np.random.default_rng(8)
    month = np.linspace(0.5, 2.0, 12)
    weekday = np.array([1.0, 1.0, 1.0, 1.2, 1.5, 0.0, 0.0])
    daily = rng.random(Y2026 - Y2025)
    for profile in ({"month": month}, {"weekday": weekday}, {"daily": daily},
                    {"month": month, "weekday": weekday, "daily": daily}):
        for name, method in METHODS.items():
            opts = PhaseOptions.init()
            opts.method = method
            if "month" in profile:
                opts.month_profile = ptr(month, F64)
            if "weekday" in profile:
                opts.weekday_profile = ptr(weekday, F64)
            if "daily" in profile:
                opts.daily_profile, opts.n_daily = ptr(daily, F64), daily.size
            status, _, _, targets = phase(capi, cn_handle, 9_876_543, Y2025, Y2026, opts)
            assert status == C.QF_OK, last_error(capi)
            assert int(targets.sum()) == 9_876_543
            ref = qf.phase(9_876_543, cn, "2025-01-01", "2026-01-01", profile=profile, method=name)
            assert targets.tolist() == ref["target"].tolist()
    # A month profile that is 0 in December leaves December nothing.
    zero_dec = np.ones(12)
    zero_dec[11] = 0
    opts = PhaseOptions.init()
    opts.month_profile = ptr(zero_dec, F64)
    status, _, _, targets = phase(capi, cn_handle, 225_000, Y2025, Y2026, opts)
    assert status == C.QF_OK
    assert targets.tolist() == [1000 * w for w in CN_2025_MONTH_DAYS[:11]] + [0]


def test_phase_empty_range(capi, cn_handle):
    status, starts, _, targets = phase(capi, cn_handle, 0, Y2025, Y2025)
    assert status == C.QF_OK and targets.size == 0 and starts.size == 0
    # No periods: every column may be NULL whatever the capacity (a column of length 0).
    count = ctypes.c_size_t(99)
    assert capi.qf_phase(cn_handle, 0, Y2025, Y2025, None, None, None, None, 5, ctypes.byref(count)) == C.QF_OK
    assert count.value == 0


def test_phase_buffer_and_null_errors(capi, cn_handle):
    count = ctypes.c_size_t(99)
    starts, ends, targets = filled(12, np.int32), filled(12, np.int32), filled(12)

    def call(cal=cn_handle, s=starts, e=ends, t=targets, capacity=12, n=ctypes.byref(count), total=248_005):
        return capi.qf_phase(cal, total, Y2025, Y2026, None, ptr(s, I32), ptr(e, I32), ptr(t, I64), capacity, n)

    assert_fails(capi, call(capacity=11), C.QF_ERR_BUFFER_TOO_SMALL, "capacity is 11 but the range has 12 periods")
    assert count.value == 12  # the count still tells the size
    count.value = 99
    assert_fails(capi, call(capacity=0), C.QF_ERR_BUFFER_TOO_SMALL, "capacity is 0 but the range has 12 periods")
    assert count.value == 12
    assert_fails(capi, call(t=None), C.QF_ERR_NULL_POINTER, "targets is NULL but its length is 12")
    assert_fails(capi, call(n=None), C.QF_ERR_NULL_POINTER, "count is NULL")
    assert_fails(capi, call(cal=None), C.QF_ERR_NULL_POINTER, "calendar is NULL")
    assert (targets == UNTOUCHED).all() and (starts == UNTOUCHED).all()


@pytest.mark.parametrize("start, end, total, code, message", [
    ("2026-01-01", "2025-01-01", 5, -1, "end (2025-01-01) is before start (2026-01-01)"),
    ("2025-01-01", "2025-01-01", 5, -1, "the range 2025-01-01..2025-01-01 is empty but total is 5"),
    ("2025-10-01", "2025-10-05", 7, -1,
     "the range 2025-10-01..2025-10-05 has no weighted working days but total is 7"),  # National Day holidays
    ("2030-01-01", "2030-02-01", 5, -2,
     "start 2030-01-01 is outside the calendar's valid range 2007-01-01..2026-12-31"),
])
def test_phase_bad_ranges(capi, cn_handle, start, end, total, code, message):
    count = ctypes.c_size_t()
    status = capi.qf_phase(cn_handle, total, d(start), d(end), None, None, None, None, 0, ctypes.byref(count))
    assert_fails(capi, status, code, message)


def bad_phase_options():
    """(name, options, status, message) for every rejected qf_phase_options field."""
    month, weekday, daily = np.ones(12), np.ones(7), np.ones(3)
    month[3], weekday[6] = -1.0, NAN
    cases = [
        ("version 2", {"version": 2}, -1, "options->version is 2; this library knows version 1"),
        ("version 0", {"version": 0}, -1, "options->version is 0; this library knows version 1"),
        ("grain 6", {"grain": 6}, -1, "grain is 6; expected 0 (year) .. 5 (day)"),
        ("grain -1", {"grain": -1}, -1, "grain is -1; expected 0 (year) .. 5 (day)"),
        ("method 4", {"method": 4}, -1,
         "method is 4; expected 0 (hamilton), 1 (webster), 2 (dhondt) or 3 (huntington_hill)"),
        ("daily NULL", {"n_daily": 5}, -9, "options->daily_profile is NULL but its length is 5"),
        ("daily length", {"daily_profile": ptr(daily, F64), "n_daily": 3}, -1,
         "daily_profile has 3 values; expected 365"),
        ("month negative", {"month_profile": ptr(month, F64)}, -1,
         "month_profile[3] is -1; profile values must be finite and >= 0"),
        ("weekday NaN", {"weekday_profile": ptr(weekday, F64)}, -1,
         "weekday_profile[6] is nan; profile values must be finite and >= 0"),
    ]
    keep = (month, weekday, daily)  # the pointers above point into these
    for name, fields, code, message in cases:
        opts = PhaseOptions.init()
        for k, v in fields.items():
            setattr(opts, k, v)
        yield pytest.param(opts, code, message, keep, id=name)


@pytest.mark.parametrize("opts, code, message, keep", bad_phase_options())
def test_phase_and_phase_many_reject_bad_options(capi, cn_handle, opts, code, message, keep):
    count = ctypes.c_size_t()
    status = capi.qf_phase(cn_handle, 1000, Y2025, Y2026, ctypes.byref(opts), None, None, None, 0, ctypes.byref(count))
    assert_fails(capi, status, code, message)
    totals, out = np.array([1000, 2000], dtype=np.int64), filled((2, 12))
    status = capi.qf_phase_many(cn_handle, ptr(totals, I64), 2, Y2025, Y2026, ctypes.byref(opts), ptr(out, I64), 12)
    assert_fails(capi, status, code, message)
    assert (out == UNTOUCHED).all()


def test_phase_many_rows_equal_phase_one_by_one(capi, cn_handle, cn):
    rng = np.random.default_rng(4)
    totals = np.concatenate([[248_005, 0, -1, 1, 2**63 - 1, -(2**63), 10**12],
                             rng.integers(-10**9, 10**9, size=40)]).astype(np.int64)
    month = np.linspace(1.0, 2.0, 12)
    for grain in (C.QF_GRAIN_MONTH, C.QF_GRAIN_WEEK):
        for name, method in METHODS.items():
            for profile in (None, month):
                opts = PhaseOptions.init()
                opts.grain, opts.method = grain, method
                if profile is not None:
                    opts.month_profile = ptr(profile, F64)
                status, matrix = phase_many(capi, cn_handle, totals, Y2025, Y2026, opts)
                assert status == C.QF_OK, last_error(capi)
                assert (matrix.sum(axis=1, dtype=object) == totals.astype(object)).all()
                for i in range(0, totals.size, 5 if grain == C.QF_GRAIN_WEEK else 1):
                    status, _, _, row = phase(capi, cn_handle, int(totals[i]), Y2025, Y2026, opts)
                    assert status == C.QF_OK and (matrix[i] == row).all(), (name, i)
    ref, _ = qf.phase_many(totals, cn, "2025-01-01", "2026-01-01")
    assert (phase_many(capi, cn_handle, totals, Y2025, Y2026)[1] == ref).all()
    assert capi.qf_phase_many(cn_handle, None, 0, Y2025, Y2026, None, None, 12) == C.QF_OK


def test_phase_many_rejects_bad_arguments(capi, cn_handle):
    totals, out = np.array([248_005, 5], dtype=np.int64), filled((2, 12))

    def call(cal=cn_handle, t=totals, n=2, o=out, n_periods=12, start=Y2025, end=Y2026):
        return capi.qf_phase_many(cal, ptr(t, I64), n, start, end, None, ptr(o, I64), n_periods)

    assert_fails(capi, call(cal=None), C.QF_ERR_NULL_POINTER, "calendar is NULL")
    assert_fails(capi, call(t=None), C.QF_ERR_NULL_POINTER, "totals is NULL but its length is 2")
    assert_fails(capi, call(o=None), C.QF_ERR_NULL_POINTER, "out is NULL but its length is 24")
    assert_fails(capi, call(n_periods=11), C.QF_ERR_INVALID_ARGUMENT, "n_periods is 11 but the range has 12 periods")
    assert_fails(capi, call(n_periods=13), C.QF_ERR_INVALID_ARGUMENT, "n_periods is 13 but the range has 12 periods")
    assert_fails(capi, call(end=Y2025, n_periods=0), C.QF_ERR_INVALID_ARGUMENT,
                 "totals[0] is 248005 but the range 2025-01-01..2025-01-01 has no weighted working days")
    assert_fails(capi, call(start=Y2026, end=Y2025), C.QF_ERR_INVALID_ARGUMENT,
                 "end (2025-01-01) is before start (2026-01-01)")
    assert (out == UNTOUCHED).all()


# --- qf_allocate_grid ---------------------------------------------------------------------------

@pytest.mark.parametrize("rows, cols, seed, expected", [
    ([10, 20], [15, 15], [[1, 1], [1, 1]], [[5, 5], [10, 10]]),  # IPF fits exactly
    ([3, 4], [2, 5], [[1, 1], [1, 1]], [[1, 2], [1, 3]]),  # fitted 0.86 2.14 / 1.14 2.86
    ([3, 4], [3, 4], [[1, 0], [1, 1]], [[3, 0], [0, 4]]),  # zero cells stay zero
    ([0, 6], [2, 4], [[1, 1], [1, 2]], [[0, 0], [2, 4]]),
])
def test_allocate_grid_hand_worked(capi, rows, cols, seed, expected):
    status, out = allocate_grid(capi, rows, cols, seed)
    assert status == C.QF_OK, last_error(capi)
    assert out.tolist() == expected
    assert (out == qf.allocate_grid(rows, cols, seed)).all()


def test_allocate_grid_margins_exact_on_random_cases(capi):
    rng = np.random.default_rng(21)
    for _ in range(20):
        r, c = int(rng.integers(1, 12)), int(rng.integers(1, 12))
        seed = rng.random((r, c)) * 100
        seed[rng.random((r, c)) < 0.2] = 0.0
        seed[:, 0] += 1.0  # every row keeps a nonzero cell ...
        seed[0, :] += 1.0  # ... and every column
        grand = int(rng.integers(0, 10**9))
        rows = qf.apportion(grand, seed.sum(axis=1))
        cols = qf.apportion(grand, seed.sum(axis=0))
        status, out = allocate_grid(capi, rows, cols, seed)
        assert status == C.QF_OK, last_error(capi)
        assert (out.sum(axis=1) == rows).all() and (out.sum(axis=0) == cols).all()
        assert (out[seed == 0] == 0).all() and (out >= 0).all()
        _, fitted = qf.allocate_grid(rows, cols, seed, return_fitted=True)
        assert (np.abs(out - fitted) < 1 + 1e-6).all()  # each cell the floor or ceiling of its fitted value
        assert (out == qf.allocate_grid(rows, cols, seed)).all()
    status, out = allocate_grid(capi, [], [], np.zeros((0, 0)))
    assert status == C.QF_OK and out.size == 0


@pytest.mark.parametrize("rows, cols, seed, message", [
    ([3, 4], [2, 6], [[1, 1], [1, 1]], "row_totals sum to 7 but col_totals sum to 8; the grand totals must be equal"),
    ([3, -4], [2, -3], [[1, 1], [1, 1]], "row_totals[1] is -4; totals must be >= 0"),
    ([3, 4], [-1, 8], [[1, 1], [1, 1]], "col_totals[0] is -1; totals must be >= 0"),
    ([3, 4], [2, 5], [[1, NAN], [1, 1]], "seed[0,1] is NaN"),
    ([3, 4], [2, 5], [[1, 1], [-1, 1]], "seed[1,0] is -1; seed cells must be >= 0"),
    ([3, 4], [2, 5], [[1, 1], [1, float("inf")]], "seed[1,1] is inf; seed cells must be finite"),
    ([3, 4], [2, 5], [[0, 0], [1, 1]],
     "row_totals[0] is 3 but seed row 0 is zero in every column with a positive total"),
    ([3, 4], [2, 5], [[1, 0], [1, 1]],
     "the margins cannot be met with the seed's zero pattern: rows {0} have totals summing to 3 but their nonzero "
     "seed cells lie only in columns {0} whose totals sum to 2"),
])
def test_allocate_grid_rejects_bad_values(capi, rows, cols, seed, message):
    status, out = allocate_grid(capi, rows, cols, seed)
    assert_fails(capi, status, C.QF_ERR_INVALID_ARGUMENT, message)
    assert (out == UNTOUCHED).all()


def test_allocate_grid_null_columns_and_size_overflow(capi):
    r, s, out = np.array([3, 4], dtype=np.int64), np.ones(4), filled(4)
    assert_fails(capi, capi.qf_allocate_grid(None, 2, ptr(r, I64), 2, ptr(s, F64), ptr(out, I64)),
                 C.QF_ERR_NULL_POINTER, "row_totals is NULL but its length is 2")
    assert_fails(capi, capi.qf_allocate_grid(ptr(r, I64), 2, None, 2, ptr(s, F64), ptr(out, I64)),
                 C.QF_ERR_NULL_POINTER, "col_totals is NULL but its length is 2")
    assert_fails(capi, capi.qf_allocate_grid(ptr(r, I64), 2, ptr(r, I64), 2, None, ptr(out, I64)),
                 C.QF_ERR_NULL_POINTER, "seed is NULL but its length is 4")
    assert_fails(capi, capi.qf_allocate_grid(ptr(r, I64), 2, ptr(r, I64), 2, ptr(s, F64), None),
                 C.QF_ERR_NULL_POINTER, "out is NULL but its length is 4")
    assert_fails(capi, capi.qf_allocate_grid(ptr(r, I64), 2**62, ptr(r, I64), 2**62, ptr(s, F64), ptr(out, I64)),
                 C.QF_ERR_OVERFLOW, "rows x cols overflows: 4611686018427387904 x 4611686018427387904")
    assert (out == UNTOUCHED).all()


# --- qf_reconcile -------------------------------------------------------------------------------

@pytest.mark.parametrize("method, real, ints", [
    ("bottom_up", [8, 4, 4], [8, 4, 4]),
    # Historical proportions: leaf 1 had 1/4 and 1/2 of the total, leaf 2 3/4 and 1/2.
    ("top_down", [10, 3.75, 6.25], [10, 4, 6]),
    # OLS: the gap 10 - 8 is split evenly between the three nodes' residuals.
    ("ols", [28 / 3, 14 / 3, 14 / 3], [9, 5, 4]),
    # Structural weights 1/2 (root), 1, 1 (leaves): 0.5 (2d - 2)^2 + 2 d^2 is least at d = 1/2.
    ("wls_struct", [9, 4.5, 4.5], [9, 5, 4]),
])
def test_reconcile_hand_worked(capi, make_hierarchy, method, real, ints):
    h = make_hierarchy([-1, 0, 0])
    history = np.array([[0, 1, 3], [0, 1, 1]], dtype=np.float64)  # 2 periods x 3 nodes; only leaves are read
    status, out_real, out_int = reconcile(capi, h, [10, 4, 4], RECONCILE_METHODS[method], history=history,
                                          history_periods=2)
    assert status == C.QF_OK, last_error(capi)
    assert out_real == pytest.approx(real, rel=1e-15)
    assert out_int.tolist() == ints  # the root rounds to 9, its children 4.67 each: the tie goes to node 1
    py_h = qf.Hierarchy.from_parents([-1, 0, 0])
    assert qf.reconcile(py_h, [10, 4, 4], method, integer=False, history=history).tolist() == out_real.tolist()
    assert qf.reconcile(py_h, [10, 4, 4], method, history=history).tolist() == ints


def test_reconcile_nonnegative(capi, make_hierarchy):
    h = make_hierarchy([-1, 0, 0])
    status, real, ints = reconcile(capi, h, [10, -4, 4], C.QF_RECONCILE_OLS)
    assert status == C.QF_OK and real[1] < 0
    status, real, ints = reconcile(capi, h, [10, -4, 4], C.QF_RECONCILE_OLS, nonnegative=True)
    assert status == C.QF_OK and real.tolist() == [7, 0, 7] and ints.tolist() == [7, 0, 7]
    status, real, ints = reconcile(capi, h, [10, -4, 4], C.QF_RECONCILE_BOTTOM_UP, nonnegative=True)
    assert status == C.QF_OK and real.tolist() == [4, 0, 4] and ints.tolist() == [4, 0, 4]


@pytest.mark.parametrize("method", ["ols", "wls_struct", "bottom_up"])
def test_reconcile_integer_is_coherent_on_random_forests(capi, make_hierarchy, method):
    rng = np.random.default_rng(len(method))
    for n in (5, 40, 400):
        parents = random_parents(rng, n)
        h, py_h = make_hierarchy(parents), qf.Hierarchy.from_parents(parents)
        base = rng.normal(1000, 300, size=n) * rng.integers(1, 5, size=n)
        status, real, ints = reconcile(capi, h, base, RECONCILE_METHODS[method])
        assert status == C.QF_OK, last_error(capi)
        inner = inner_nodes(parents)
        assert (ints[inner] == children_sums(parents, ints)[inner]).all()  # integer = coherent, exactly
        assert (np.abs(ints - real) <= 1).all()
        assert real[inner] == pytest.approx(children_sums(parents, real)[inner], rel=1e-9, abs=1e-6)
        assert (real == qf.reconcile(py_h, base, method, integer=False)).all()
        assert (ints == qf.reconcile(py_h, base, method)).all()
        # Either output may be NULL (not both).
        b = column(base, np.float64)
        only_int = filled(n)
        assert capi.qf_reconcile(h, ptr(b, F64), n, RECONCILE_METHODS[method], 0, None, 0, None,
                                 ptr(only_int, I64)) == C.QF_OK
        assert (only_int == ints).all()
        only_real = np.full(n, np.nan)
        assert capi.qf_reconcile(h, ptr(b, F64), n, RECONCILE_METHODS[method], 0, None, 0, ptr(only_real, F64),
                                 None) == C.QF_OK
        assert (only_real == real).all()


def test_reconcile_rejects_bad_arguments(capi, make_hierarchy):
    h = make_hierarchy([-1, 0, 0])
    base, real, ints = np.array([10.0, 4, 4]), np.full(3, np.nan), filled(3)

    def call(hierarchy=h, b=base, n=3, method=C.QF_RECONCILE_OLS, history=None, periods=0, r=real, i=ints):
        return capi.qf_reconcile(hierarchy, ptr(b, F64), n, method, 0, ptr(history, F64), periods, ptr(r, F64),
                                 ptr(i, I64))

    assert_fails(capi, call(hierarchy=None), C.QF_ERR_NULL_POINTER, "hierarchy is NULL")
    assert_fails(capi, call(b=None), C.QF_ERR_NULL_POINTER, "base is NULL but its length is 3")
    assert_fails(capi, call(r=None, i=None), C.QF_ERR_NULL_POINTER, "out_real and out_int are both NULL")
    assert_fails(capi, call(n=2), C.QF_ERR_INVALID_ARGUMENT,
                 "length mismatch: base has 2 elements, the hierarchy has 3 nodes")
    assert_fails(capi, call(b=np.array([10.0, NAN, 4])), C.QF_ERR_INVALID_ARGUMENT, "base[1] is nan")
    assert_fails(capi, call(b=np.array([10.0, 4, -float("inf")])), C.QF_ERR_INVALID_ARGUMENT, "base[2] is -inf")
    for method in (4, -1):
        assert_fails(capi, call(method=method), C.QF_ERR_INVALID_ARGUMENT,
                     f"method is {method}; expected 0 (bottom_up), 1 (top_down), 2 (ols) or 3 (wls_struct)")
    top_down = C.QF_RECONCILE_TOP_DOWN
    assert_fails(capi, call(method=top_down), C.QF_ERR_INVALID_ARGUMENT,
                 "history is empty; method top_down needs historical values (history, history_periods)")
    assert_fails(capi, call(method=top_down, periods=2), C.QF_ERR_NULL_POINTER, "history is NULL but its length is 6")
    assert_fails(capi, call(method=top_down, history=np.array([0, -1.0, 3]), periods=1), C.QF_ERR_INVALID_ARGUMENT,
                 "history[1] (period 0, leaf 1) is -1; historical values must be >= 0")
    assert_fails(capi, call(method=top_down, history=np.array([0, 1, 1, 5, 0, 0.0]), periods=2),
                 C.QF_ERR_INVALID_ARGUMENT,
                 "history period 1: the leaves of root 0 total 0; top_down needs a positive total for every root in "
                 "every period")
    assert_fails(capi, call(method=top_down, history=np.array([0, NAN, 1]), periods=1), C.QF_ERR_INVALID_ARGUMENT,
                 "history[1] is nan")
    assert_fails(capi, call(method=top_down, history=np.ones(3), periods=2**63), C.QF_ERR_OVERFLOW,
                 "history_periods x n overflows: 9223372036854775808 x 3")
    assert (ints == UNTOUCHED).all() and np.isnan(real).all()

    # Reals too large for int64 minor units: the integer output overflows (the real one alone is fine).
    assert_fails(capi, call(b=np.array([1e30, 4, 4])), C.QF_ERR_OVERFLOW,
                 "base: the reconciled value of node 0 is 6.666666666666666e+29, outside the int64 range of minor "
                 "units")
    # history_periods is a size_t at the ABI but at most INT32_MAX periods: never truncated.
    assert_fails(capi, call(method=top_down, history=np.ones(3), periods=2**32 + 1), C.QF_ERR_INVALID_ARGUMENT,
                 "history_periods is 4294967297; at most 2147483647 periods")
    assert call(b=np.array([1e30, 4, 4]), i=None) == C.QF_OK


def test_reconcile_finite_input_whose_sums_leave_the_double_range(capi, make_hierarchy):
    # Finite bases can sum past the largest double: an overflow error naming base, never NaN or inf with QF_OK.
    h = make_hierarchy([-1, 0, 0])
    for base in (np.array([-1e308, 1e308, 1e308]), np.array([0, 1e308, 1e308])):
        for method in (C.QF_RECONCILE_BOTTOM_UP, C.QF_RECONCILE_OLS, C.QF_RECONCILE_WLS_STRUCT):
            real, ints = filled(3, np.float64), filled(3)
            status = capi.qf_reconcile(h, ptr(base, F64), 3, method, 0, None, 0, ptr(real, F64), ptr(ints, I64))
            assert status == C.QF_ERR_OVERFLOW
            assert capi.qf_last_error_message().startswith(b"base: the reconciled value of node ")
            assert (ints == UNTOUCHED).all()


# --- qf_reconcile_plan --------------------------------------------------------------------------

@pytest.mark.parametrize("top_down, method, alpha, plan", [
    # scale: the root's 2000 by the drafts' shares 400 : 600, then 100 : 300.
    ([2000, NAN, NAN, NAN, NAN, NAN], C.QF_PLAN_SCALE, 0.5, [2000, 800, 1200, 200, 600, 1200]),
    # blend: each free leaf weighs alpha / 3 + (1 - alpha) x draft / 1000 = .217, .317, .467.
    ([2000, NAN, NAN, NAN, NAN, NAN], C.QF_PLAN_BLEND, 0.5, [2000, 1067, 933, 433, 634, 933]),
    ([2000, NAN, NAN, NAN, NAN, NAN], C.QF_PLAN_BLEND, 1.0, [2000, 1333, 667, 667, 666, 667]),  # equal heads
    ([2000, NAN, NAN, NAN, NAN, NAN], C.QF_PLAN_BLEND, 0.0, [2000, 800, 1200, 200, 600, 1200]),  # = scale
    # A target at node 1 is met first; the rest of the root's target goes to the only free leaf's side.
    ([2000, 500, NAN, NAN, NAN, NAN], C.QF_PLAN_SCALE, 0.5, [2000, 500, 1500, 125, 375, 1500]),
    # A target on a leaf only: its parent and the root follow as sums.
    ([NAN, NAN, NAN, 250, NAN, NAN], C.QF_PLAN_SCALE, 0.5, [1150, 550, 600, 250, 300, 600]),
    ([NAN] * 6, C.QF_PLAN_SCALE, 0.5, [1000, 400, 600, 100, 300, 600]),  # no target: the drafts' roll-up
])
def test_reconcile_plan_hand_worked(capi, make_hierarchy, top_down, method, alpha, plan):
    h = make_hierarchy(PLAN_PARENTS)
    status, out, rollup = reconcile_plan(capi, h, top_down, PLAN_DRAFTS, method, alpha)
    assert status == C.QF_OK, last_error(capi)
    assert out.tolist() == plan
    assert rollup.tolist() == [1000, 400, 600, 100, 300, 600]
    ref, report = qf.reconcile_plan(qf.Hierarchy.from_parents(PLAN_PARENTS), np.array(top_down), np.array(PLAN_DRAFTS),
                                    method=["scale", "blend"][method], alpha=alpha)
    assert ref.tolist() == plan and report["bottom_up"].tolist() == rollup.tolist()
    # bottom_up_rollup may be NULL; inner drafts are ignored.
    td, bu = column(top_down, np.float64), column([7, 8, 9, 100, 300, 600], np.int64)
    again = filled(6)
    assert capi.qf_reconcile_plan(h, ptr(td, F64), ptr(bu, I64), 6, method, alpha, ptr(again, I64), None) == C.QF_OK
    assert (again == out).all()


def test_reconcile_plan_is_coherent_on_random_forests(capi, make_hierarchy):
    rng = np.random.default_rng(99)
    for n in (10, 80, 300):
        parents = random_parents(rng, n)
        h, py_h = make_hierarchy(parents), qf.Hierarchy.from_parents(parents)
        drafts = rng.integers(0, 10**6, size=n)
        top_down = np.full(n, NAN)
        roots = np.flatnonzero(parents < 0)
        top_down[roots] = rng.integers(10**6, 10**8, size=roots.size)
        for method, name in ((C.QF_PLAN_SCALE, "scale"), (C.QF_PLAN_BLEND, "blend")):
            status, plan, rollup = reconcile_plan(capi, h, top_down, drafts, method, 0.3)
            assert status == C.QF_OK, last_error(capi)
            inner = inner_nodes(parents)
            assert (plan[inner] == children_sums(parents, plan)[inner]).all()
            assert (plan[roots] == top_down[roots]).all()
            ref, report = qf.reconcile_plan(py_h, top_down, drafts, method=name, alpha=0.3)
            assert (plan == ref).all() and (rollup == report["bottom_up"].to_numpy()).all()


def test_reconcile_plan_rejects_bad_arguments(capi, make_hierarchy):
    h = make_hierarchy(PLAN_PARENTS)
    td, bu, plan = np.array([2000, NAN, NAN, NAN, NAN, NAN]), column(PLAN_DRAFTS, np.int64), filled(6)

    def call(hierarchy=h, t=td, b=bu, n=6, method=C.QF_PLAN_SCALE, alpha=0.5, p=plan):
        return capi.qf_reconcile_plan(hierarchy, ptr(t, F64), ptr(b, I64), n, method, alpha, ptr(p, I64), None)

    def targets(*values):
        return np.array(list(values) + [NAN] * (6 - len(values)))

    assert_fails(capi, call(hierarchy=None), C.QF_ERR_NULL_POINTER, "hierarchy is NULL")
    assert_fails(capi, call(t=None), C.QF_ERR_NULL_POINTER, "top_down is NULL but its length is 6")
    assert_fails(capi, call(b=None), C.QF_ERR_NULL_POINTER, "bottom_up is NULL but its length is 6")
    assert_fails(capi, call(p=None), C.QF_ERR_NULL_POINTER, "plan is NULL but its length is 6")
    assert_fails(capi, call(n=5), C.QF_ERR_INVALID_ARGUMENT,
                 "length mismatch: top_down has 5 elements, the hierarchy has 6 nodes")
    for method in (2, -1):
        assert_fails(capi, call(method=method), C.QF_ERR_INVALID_ARGUMENT,
                     f"method is {method}; expected 0 (scale) or 1 (blend)")
    for alpha, shown in ((2.0, "2"), (-0.5, "-0.5"), (NAN, "nan")):
        for method in (C.QF_PLAN_SCALE, C.QF_PLAN_BLEND):  # alpha is checked even for scale
            assert_fails(capi, call(method=method, alpha=alpha), C.QF_ERR_INVALID_ARGUMENT,
                         f"alpha is {shown}; it must be in [0, 1]")
    for bad, shown in ((1.5, "1.5"), (-1.0, "-1"), (float("inf"), "inf"), (2.0**63, "9223372036854775808")):
        assert_fails(capi, call(t=targets(bad)), C.QF_ERR_INVALID_ARGUMENT,
                     f"top_down[0] is {shown}; a target must be a whole number of minor units in 0..2^63-1 "
                     "(NaN: no target)")
    assert_fails(capi, call(b=column([0, 0, 0, -1, 300, 600], np.int64)), C.QF_ERR_INVALID_ARGUMENT,
                 "bottom_up[3] is -1; a leaf's draft must be >= 0")
    assert_fails(capi, call(t=targets(2000, 3000)), C.QF_ERR_INVALID_ARGUMENT,
                 "top_down[0] is 2000 but the targets set below it sum to 3000 (one of them: top_down[1] is 3000)")
    assert_fails(capi, call(t=targets(2000, NAN, NAN, 100, 300, 600)), C.QF_ERR_INVALID_ARGUMENT,
                 "top_down[0] is 2000 but every leaf below it is under a target and those targets sum to 1000: "
                 "no leaf is free to take the remaining 1000")
    assert (plan == UNTOUCHED).all()
