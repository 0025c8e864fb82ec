#!/usr/bin/python3
"""Working days over 10 million random ranges: quotaflow vs numpy.busday_count, same process.

numpy.busday_count is the natural peer (weekmask + holidays) but has no make-up working days,
so both run on a calendar with weekends and CN holidays only; quotaflow on the full CN preset is
timed too. Run with PYTHONPATH=<release build>/python.
"""

import numpy as np
import quotaflow as qf
from _timing import best_of

N = 10_000_000


def main() -> None:
    rng = np.random.default_rng(42)
    lo, hi = np.datetime64("2007-01-01"), np.datetime64("2027-01-01")
    span = int((hi - lo).astype(int))
    starts = lo + rng.integers(0, span, N)
    ends = np.minimum(starts + rng.integers(0, 731, N), hi)
    cn = qf.Calendar.preset("CN")
    holidays = cn.holidays
    no_makeup = qf.Calendar(holidays=holidays, valid_from="2007-01-01", valid_until="2027-01-01")
    s32 = starts.astype(np.int64).astype(np.int32)
    e32 = ends.astype(np.int64).astype(np.int32)

    t_np, r_np = best_of(lambda: np.busday_count(starts, ends, holidays=holidays))
    t_qf, r_qf = best_of(lambda: no_makeup.working_days(s32, e32))
    t_cn, _ = best_of(lambda: cn.working_days(s32, e32))
    assert np.array_equal(r_np, r_qf), "quotaflow and numpy disagree"
    print(f"{N:,} ranges, weekends + CN holidays (no make-up days, numpy cannot express them)")
    print(f"  numpy.busday_count     {t_np * 1e3:8.1f} ms")
    print(f"  quotaflow working_days {t_qf * 1e3:8.1f} ms   ratio numpy/quotaflow = {t_np / t_qf:.1f}x")
    print(f"  quotaflow, full CN preset (with make-up days) {t_cn * 1e3:8.1f} ms")


if __name__ == "__main__":
    main()
