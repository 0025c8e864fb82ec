// Bounded apportionment when the double-precision water-level search lands on the wrong piece:
// weights spanning hundreds of binary orders of magnitude make products like lambda * w overflow
// or vanish in doubles, and the exact solver behind clipped_floors must still find the level.
// The first test is the capi_calls fuzz finding (QF_ERR_INTERNAL "water-filling did not
// converge" before the fix; its input is tests/fuzz/corpus/capi_calls/apportion_dhondt_wide_weights).
// Results are checked by hand and against an exact rational test of the divisor-method condition
// written here, independent of the library's arithmetic.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "quotaflow/allocation/apportion.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

using V = std::vector<int64_t>;
using W = std::vector<double>;
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

i128 sum(const V& v) {
  i128 s = 0;
  for (int64_t x : v) s += x;
  return s;
}

int bitlen(u128 v) {
  int n = 0;
  for (; v != 0; v >>= 1) ++n;
  return n;
}

// Sign of a/wa - b/wb for integers a, b in [0, 2^64) and finite doubles wa, wb > 0, exactly:
// with w = m * 2^e (m a 53-bit integer) it compares a * mb * 2^eb with b * ma * 2^ea.
int cmp_ratio(u128 a, double wa, u128 b, double wb) {
  int ea = 0, eb = 0;
  const auto ma = static_cast<u128>(std::ldexp(std::frexp(wa, &ea), 53)), mb = static_cast<u128>(std::ldexp(std::frexp(wb, &eb), 53));
  u128 p = a * mb, q = b * ma;  // < 2^117
  int ep = eb, eq = ea;
  if (p == 0 || q == 0) return p == q ? 0 : p == 0 ? -1 : 1;
  const int lp = bitlen(p) + ep, lq = bitlen(q) + eq;
  if (lp != lq) return lp < lq ? -1 : 1;
  if (ep > eq) p <<= ep - eq;  // the bit lengths are then equal, under 118
  else q <<= eq - ep;
  return p < q ? -1 : p > q ? 1 : 0;
}

// Signpost numerators over a common denominator: D'Hondt s(k) = k + 1, Webster 2 s(k) = 2k + 1.
u128 signpost(ApportionMethod m, int64_t k) {
  return m == ApportionMethod::dhondt ? static_cast<u128>(k) + 1 : 2 * static_cast<u128>(k) + 1;
}

// A bounded divisor-method result (positive weights, shares >= 0) is the seat-by-seat one iff no
// unit held above a lower bound ranks after a unit that could still be given: for every i with
// x_i > lo_i and every j with x_j < hi_j, s(x_i - 1)/w_i <= s(x_j)/w_j (equality only where
// the index tie rule decides: i < j).
::testing::AssertionResult divisor_exact(ApportionMethod m, const W& w, const V& x, const V& lo, const V& hi) {
  for (size_t i = 0; i < w.size(); ++i) {
    if (x[i] <= lo[i]) continue;
    for (size_t j = 0; j < w.size(); ++j) {
      if (j == i || (!hi.empty() && x[j] >= hi[j])) continue;
      const int c = cmp_ratio(signpost(m, x[i] - 1), w[i], signpost(m, x[j]), w[j]);
      if (c > 0 || (c == 0 && i > j))
        return ::testing::AssertionFailure() << apportion_method_name(m) << ": the last unit of " << i << " (x = " << x[i]
                                             << ") ranks after the next unit of " << j << " (x = " << x[j] << ")";
    }
  }
  return ::testing::AssertionSuccess();
}

}  // namespace

TEST(ApportionWaterLevel, FuzzFindingDhondtWideWeightsAtInt64Max) {
  // Weights about 1e-221, 1e182, 1e-78, 1e280 and 1e-129; lower bounds 0, 0, 3, 18, 18.
  const W w{0x1.04af0bfa30b8bp-735, 0x1.33062872dd924p+606, 0x1.9d1dce3be102bp-260, 0x1.058acbd101a6bp+930,
            0x1.7503acc45fdp-429};
  const V lo{0, 0, 3, 18, 18};
  // Worked by hand: recipient 3 outweighs every other by a factor above 2^320, so after the
  // lower bounds (39 units) every remaining unit goes to it: D'Hondt's next threshold for it,
  // (x + 1) / 1e280, stays below 2^64 / 1e280 < 1e-260, while the others' first thresholds,
  // (lo + 1) / w, are at least 1 / 1e182. Webster the same ((x + 1/2) / w). Hamilton: the water
  // level gives recipient 3 a quota within 1e-98 below T - 21, floor T - 22, and the one unit left
  // goes to its remainder (nearly 1; the others' are below 1e-79).
  const V want{0, 0, 3, kMax - 21, 18};
  for (ApportionMethod m : {ApportionMethod::dhondt, ApportionMethod::webster, ApportionMethod::hamilton})
    EXPECT_EQ(apportion(kMax, w, m, lo), want) << apportion_method_name(m);
  EXPECT_TRUE(divisor_exact(ApportionMethod::dhondt, w, want, lo, {}));
  EXPECT_TRUE(divisor_exact(ApportionMethod::webster, w, want, lo, {}));
  // Huntington-Hill's first signpost is 0, so recipients 0 and 1 (at 0) take a first unit before
  // anyone's next; recipient 2 (at 3) and 4 (at 18) do not: sqrt(12) / 1e-78 is huge.
  EXPECT_EQ(apportion(kMax, w, ApportionMethod::huntington_hill, lo), (V{1, 1, 3, kMax - 23, 18}));
  // The real-valued water level: recipients at their lower bounds, recipient 3 the rest.
  std::vector<double> q(w.size());
  apportion_quotas(kMax, w, q, lo);
  EXPECT_EQ(q[2], 3.0);
  EXPECT_EQ(q[3], static_cast<double>(kMax - 21));
  EXPECT_EQ(q[4], 18.0);
  EXPECT_GE(q[0], 0.0);
  EXPECT_LT(q[0], 1e-200);
  EXPECT_LT(q[1], 1e-70);
  // Negative total: the mirror image (bounds swap and negate).
  EXPECT_EQ(apportion(-kMax, w, ApportionMethod::dhondt, {}, V{0, 0, -3, -18, -18}), (V{0, 0, -3, -kMax + 21, -18}));
}

TEST(ApportionWaterLevel, UpperBoundsOnAHugeWeight) {
  // The huge weight is capped: the next largest takes the rest, the tiny ones stay at 0 (their
  // thresholds (0 + 1) / 1e-300 are far beyond (x + 1) / 1e100 for any x below 2^63).
  const W w{1e300, 1e100, 1e-300, 1e-300};
  const V lo{0, 0, 0, 0}, hi{1'000, kMax, 5, 5};
  const V want{1'000, kMax - 1'000, 0, 0};
  for (ApportionMethod m : {ApportionMethod::dhondt, ApportionMethod::webster, ApportionMethod::hamilton})
    EXPECT_EQ(apportion(kMax, w, m, lo, hi), want) << apportion_method_name(m);
  EXPECT_TRUE(divisor_exact(ApportionMethod::dhondt, w, want, lo, hi));
  // Every weight capped except the tiniest, which must then absorb the rest.
  const V hi2{10, 10, 10, kMax};
  const V got = apportion(kMax, w, ApportionMethod::dhondt, lo, hi2);
  EXPECT_EQ(got, (V{10, 10, 10, kMax - 30}));
  EXPECT_TRUE(divisor_exact(ApportionMethod::dhondt, w, got, lo, hi2));
}

TEST(ApportionWaterLevel, WideRandomWeightsWithBoundsAreExact) {
  // Seeded: weights with exponents anywhere in [-1000, 1000], lower bounds 0..49, sometimes upper
  // bounds, totals up to INT64_MAX. Every method must succeed, sum to the total and respect the
  // bounds; D'Hondt and Webster must meet the exact divisor condition above.
  std::mt19937_64 rng(20261128);
  std::uniform_real_distribution<double> mant(1.0, 2.0);
  std::uniform_int_distribution<int> expo(-1000, 1000);
  const int64_t totals[] = {kMax, kMax / 3, 1'000'000'007, 1'000, 100};
  int checked = 0;
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t n = 1 + rng() % 8;
    W w(n);
    for (double& x : w) x = std::ldexp(mant(rng), expo(rng));
    V lo(n), hi;
    for (int64_t& l : lo) l = static_cast<int64_t>(rng() % 50);
    const int64_t total = totals[rng() % std::size(totals)];
    if (sum(lo) > total) continue;
    if (rng() % 3 == 0) {
      hi.resize(n);
      for (size_t i = 0; i < n; ++i) hi[i] = lo[i] + static_cast<int64_t>(rng() % 1000);
      if (sum(hi) < total) hi[rng() % n] = kMax;  // room for the rest
    }
    for (ApportionMethod m : {ApportionMethod::hamilton, ApportionMethod::webster, ApportionMethod::dhondt,
                              ApportionMethod::huntington_hill}) {
      V x;
      ASSERT_NO_THROW(x = apportion(total, w, m, lo, hi)) << apportion_method_name(m) << " iter " << iter;
      ASSERT_EQ(sum(x), total) << apportion_method_name(m) << " iter " << iter;
      for (size_t i = 0; i < n; ++i) {
        ASSERT_GE(x[i], lo[i]);
        if (!hi.empty()) {
          ASSERT_LE(x[i], hi[i]);
        }
      }
      if (m == ApportionMethod::webster || m == ApportionMethod::dhondt) {
        ASSERT_TRUE(divisor_exact(m, w, x, lo, hi)) << "iter " << iter;
      }
    }
    ++checked;
  }
  EXPECT_GT(checked, 2000);
}
