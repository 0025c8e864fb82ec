// monitor::track's per-period reciprocals (detail::SmallDivisor, detail::PeriodDivisors) against
// the general 64/128-bit functions they stand in for: the same results bit for bit on seeded
// random inputs, at the 2^52 limit of the fast path, on both sides of it, and at the extremes of
// int64 (where the general path, and its overflow error, must take over).
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "quotaflow/monitor/track.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using monitor::detail::PeriodDivisors;
using monitor::detail::scale_round;
using monitor::detail::SmallDivisor;
using monitor::detail::split_elapsed;

TEST(TrackFastPath, SmallDivisorIsExactDivision) {
  std::mt19937_64 rng(2026);
  for (uint64_t d : {1ULL, 2ULL, 3ULL, 7ULL, 21ULL, 22ULL, 23ULL, 31ULL, 250ULL, 366ULL, 1000003ULL}) {
    const SmallDivisor div(d);
    std::vector<uint64_t> xs{0, 1, d - 1, d, d + 1, SmallDivisor::limit - 1, SmallDivisor::limit - d, SmallDivisor::limit - 1 - d};
    for (int i = 0; i < 20'000; ++i) xs.push_back(rng() >> (12 + rng() % 40));  // below 2^52, all magnitudes
    for (uint64_t x : xs) {
      uint64_t rem = 0;
      const uint64_t q = div.div(x, rem);
      ASSERT_EQ(q, x / d) << x << " / " << d;
      ASSERT_EQ(rem, x % d) << x << " % " << d;
    }
  }
}

TEST(TrackFastPath, PeriodDivisorsEqualTheGeneralFunctions) {
  std::mt19937_64 rng(77);
  constexpr int64_t max = std::numeric_limits<int64_t>::max(), min = std::numeric_limits<int64_t>::min();
  for (int trial = 0; trial < 400; ++trial) {
    const auto w = static_cast<int32_t>(2 + rng() % 400);
    const auto e = static_cast<int32_t>(1 + rng() % static_cast<uint64_t>(w - 1));  // 0 < e < w
    const PeriodDivisors pd(e, w);
    // Amounts around both fast-path limits, random magnitudes, and the int64 extremes.
    std::vector<int64_t> xs{0, 1, -1, max, min, min + 1, max - 1};
    for (uint64_t lim : {pd.split_max, pd.scale_max})
      for (int64_t delta : {-2, -1, 0, 1, 2}) {
        const int64_t x = static_cast<int64_t>(lim) + delta;
        xs.push_back(x);
        xs.push_back(-x);
      }
    for (int i = 0; i < 200; ++i) xs.push_back(static_cast<int64_t>(rng() >> (1 + rng() % 62)) * (rng() % 2 ? 1 : -1));
    for (int64_t x : xs) {
      ASSERT_EQ(pd.split(x, e, w), split_elapsed(x, e, w)) << x << " split " << e << "/" << w;
      int64_t want = 0;
      bool over = false;
      try {
        want = scale_round(x, int64_t{w}, int64_t{e}, "projected");
      } catch (const quotaflow::error&) {
        over = true;
      }
      if (over) {
        EXPECT_QF_ERROR((void)pd.scale(x, w, e, "projected"), errc::overflow, "projected overflows int64");
      } else {
        ASSERT_EQ(pd.scale(x, w, e, "projected"), want) << x << " x " << w << " / " << e;
      }
    }
  }
}

// Hand-worked: 22 working days, 7 elapsed. plan 1,000 -> 1000 x 7 / 22 = 318.18 -> 318; 1,003 ->
// 319.14 -> 319 (a tie, 1,001 x 7 / 22 = 318.5, goes to the elapsed part: 319). Projection of
// actual 100 over 7 of 22 days: 314.29 -> 314; -100 -> -314; 7 x 22 / 7 = 22 exactly.
TEST(TrackFastPath, HandWorked) {
  const PeriodDivisors pd(7, 22);
  EXPECT_EQ(pd.split(1000, 7, 22), 318);
  EXPECT_EQ(pd.split(1003, 7, 22), 319);
  EXPECT_EQ(pd.split(1001, 7, 22), 319);
  EXPECT_EQ(pd.split(-1001, 7, 22), -319);
  EXPECT_EQ(pd.scale(100, 22, 7, "projected"), 314);
  EXPECT_EQ(pd.scale(-100, 22, 7, "projected"), -314);
  EXPECT_EQ(pd.scale(7, 22, 7, "projected"), 22);
}

// track computes cells a block of 1,024 at a time (not a multiple of 12 months): on 400 nodes x 12
// months every cell must still be its own period's split and projection, its node's gap share,
// and an overflow deep in the matrix must name its node and period.
TEST(TrackFastPath, CellsAcrossBlocksKeepTheirNodeAndPeriod) {
  std::mt19937_64 rng(5);
  const size_t n = 400, P = 12;
  std::vector<int32_t> parents(n);
  for (size_t v = 0; v < n; ++v) parents[v] = v == 0 ? -1 : static_cast<int32_t>(rng() % v);
  const Hierarchy h = Hierarchy::from_parents(parents);
  const Calendar cal;
  const Date s = date_from_string("2026-01-01"), e = date_from_string("2027-01-01"), as_of = date_from_string("2026-06-17");
  std::vector<int64_t> plan(n * P), actual(n * P);
  for (size_t c = 0; c < n * P; ++c) {
    plan[c] = static_cast<int64_t>(rng() % 10'000'000) - 1'000'000;
    actual[c] = static_cast<int64_t>(rng() % 9'000'000) - 500'000;
  }
  const auto t = monitor::track(h, cal, plan, actual, s, e, as_of);
  ASSERT_EQ(t.plan_to_date.size(), n * P);
  ASSERT_EQ(t.gap_share.size(), n * P);
  for (size_t v = 0; v < n; ++v)
    for (size_t k = 0; k < P; ++k) {
      const size_t c = v * P + k;
      const int32_t ed = t.elapsed_days[k], wd = ed + t.remaining_days[k];
      const int64_t ptd = ed == 0 ? 0 : ed == wd ? plan[c] : split_elapsed(plan[c], ed, wd);
      ASSERT_EQ(t.plan_to_date[c], ptd) << "node " << v << ", period " << k;
      ASSERT_EQ(t.variance[c], actual[c] - ptd) << "node " << v << ", period " << k;
      if (ed > 0) {
        ASSERT_EQ(t.projected[c], scale_round(actual[c], int64_t{wd}, int64_t{ed}, "p")) << "node " << v;
      }
      const int32_t par = parents[v];
      if (par < 0) {
        EXPECT_TRUE(std::isnan(t.gap_share[c]));
      } else {
        const int64_t up = t.variance[static_cast<size_t>(par) * P + k];
        if (up != 0) {
          ASSERT_EQ(t.gap_share[c], static_cast<double>(t.variance[c]) / static_cast<double>(up)) << "node " << v;
        }
      }
    }
  plan[301 * P + 4] = std::numeric_limits<int64_t>::max();  // May is over by as_of: plan_to_date = plan
  actual[301 * P + 4] = -10;
  EXPECT_QF_ERROR(monitor::track(h, cal, plan, actual, s, e, as_of), errc::overflow, "variance of node 301, period 4");
}
