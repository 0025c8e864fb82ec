"""Timing shared by the comparison scripts: the best wall time of a few runs, and the result."""

import time


def best_of(fn, repeat=5):
    """Runs fn() `repeat` times; returns (best seconds, the last result)."""
    best, result = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t)
    return best, result
