// Apportionment: hand-worked and textbook cases for every method, exact brute-force references on
// seeded random inputs (seat-by-seat for the divisor methods, rational largest remainder for
// Hamilton), bounds, signs, huge totals, determinism, permutation symmetry and every bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "quotaflow/allocation/apportion.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {

__extension__ typedef __int128 i128;

using V = std::vector<int64_t>;
using W = std::vector<double>;
constexpr ApportionMethod kHamilton = ApportionMethod::hamilton;
constexpr ApportionMethod kWebster = ApportionMethod::webster;
constexpr ApportionMethod kDhondt = ApportionMethod::dhondt;
constexpr ApportionMethod kHH = ApportionMethod::huntington_hill;
constexpr ApportionMethod kAll[] = {kHamilton, kWebster, kDhondt, kHH};
constexpr ApportionMethod kDivisors[] = {kWebster, kDhondt, kHH};
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

V ap(int64_t total, const W& w, ApportionMethod m = kHamilton, const V& lo = {}, const V& hi = {}) {
  return apportion(total, w, m, lo, hi);
}

W to_weights(const V& w) { return W(w.begin(), w.end()); }

i128 sum(const V& v) {
  i128 s = 0;
  for (int64_t x : v) s += x;
  return s;
}

V negated(const V& v) {
  V r(v.size());
  for (size_t i = 0; i < v.size(); ++i) r[i] = -v[i];
  return r;
}

// ---- references ----------------------------------------------------------------------------------

// s(a)/wa < s(b)/wb, exactly, for integer weights > 0 and shares >= 0.
bool threshold_less(ApportionMethod m, int64_t a, int64_t wa, int64_t b, int64_t wb) {
  switch (m) {
    case kDhondt: return i128{a + 1} * wb < i128{b + 1} * wa;
    case kWebster: return i128{2 * a + 1} * wb < i128{2 * b + 1} * wa;
    default: return i128{a} * (a + 1) * wb * wb < i128{b} * (b + 1) * wa * wa;
  }
}

// The divisor method by definition: units handed out one at a time to the smallest threshold
// s(x_i)/w_i, ties to the lower index; with bounds, everyone starts at lower_i and stops at upper_i.
V seat_by_seat(int64_t total, const V& w, ApportionMethod m, const V& lo = {}, const V& hi = {}) {
  const size_t n = w.size();
  V x = lo.empty() ? V(n, 0) : lo;
  for (i128 left = total - sum(x); left > 0; --left) {
    size_t best = n;
    for (size_t i = 0; i < n; ++i) {
      if (w[i] == 0 || (!hi.empty() && x[i] >= hi[i])) continue;
      if (best == n || threshold_less(m, x[i], w[i], x[best], w[best])) best = i;
    }
    if (best == n) ADD_FAILURE() << "reference: nobody can take a unit";
    else ++x[best];
  }
  return x;
}

// Same with double weights and long double thresholds (random doubles practically never tie).
V seat_by_seat_double(int64_t total, const W& w, ApportionMethod m) {
  const size_t n = w.size();
  V x(n, 0);
  auto thr = [&](size_t i) -> long double {
    const long double k = x[i];
    const long double s = m == kDhondt ? k + 1 : m == kWebster ? k + 0.5L : std::sqrt(k * (k + 1));
    return s / w[i];
  };
  for (int64_t u = 0; u < total; ++u) {
    size_t best = n;
    for (size_t i = 0; i < n; ++i)
      if (w[i] > 0 && (best == n || thr(i) < thr(best))) best = i;
    ++x[best];
  }
  return x;
}

// Largest remainder on integer weights with exact rational quotas.
V hamilton_exact(int64_t signed_total, const V& w) {
  const i128 total = signed_total < 0 ? -i128{signed_total} : i128{signed_total};
  const size_t n = w.size();
  const i128 wsum = sum(w);
  V x(n);
  std::vector<i128> rem(n);
  i128 given = 0;
  for (size_t i = 0; i < n; ++i) {
    const i128 num = total * w[i];
    x[i] = static_cast<int64_t>(num / wsum);  // <= 2^63 - 1 unless w has one positive entry
    rem[i] = num % wsum;
    given += num / wsum;
  }
  std::vector<size_t> order(n);
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rem[a] > rem[b]; });
  for (i128 k = 0; k < total - given; ++k) ++x[order[static_cast<size_t>(k)]];
  if (signed_total < 0)
    for (int64_t& v : x) v = static_cast<int64_t>(-static_cast<i128>(static_cast<uint64_t>(v)));
  return x;
}

// Bounded Hamilton on positive integer weights and bounds >= 0, in exact rationals: find the
// water-filling lambda = P/Q on its linear piece, then floors and the largest remainders (all over
// the same denominator Q) among recipients below their upper bound, ties to the lower index.
V hamilton_bounded_exact(int64_t total, const V& w, const V& lo, const V& hi) {
  const size_t n = w.size();
  struct Frac {
    i128 num, den;  // den > 0
  };
  auto less = [](const Frac& a, const Frac& b) { return a.num * b.den < b.num * a.den; };
  std::vector<Frac> bps;
  for (size_t i = 0; i < n; ++i) {
    bps.push_back({lo[i], w[i]});
    bps.push_back({hi[i], w[i]});
  }
  std::sort(bps.begin(), bps.end(), less);
  auto f_at = [&](const Frac& b) {  // sum of clip(b * w_i, lo_i, hi_i), times b.den
    i128 s = 0;
    for (size_t i = 0; i < n; ++i) s += std::clamp(b.num * w[i], i128{lo[i]} * b.den, i128{hi[i]} * b.den);
    return s;
  };
  Frac lam{0, 1};
  bool found = false;
  for (size_t j = 0; j < bps.size() && !found; ++j) {
    if (f_at(bps[j]) == i128{total} * bps[j].den) lam = bps[j], found = true;
    else if (j + 1 < bps.size() && f_at(bps[j]) < i128{total} * bps[j].den &&
             f_at(bps[j + 1]) > i128{total} * bps[j + 1].den) {
      i128 pinned = 0, wfree = 0;  // the piece (bps[j], bps[j+1])
      for (size_t i = 0; i < n; ++i) {
        if (!less(bps[j], Frac{hi[i], w[i]})) pinned += hi[i];
        else if (!less(Frac{lo[i], w[i]}, bps[j + 1])) pinned += lo[i];
        else wfree += w[i];
      }
      lam = {total - pinned, wfree};
      found = true;
    }
  }
  if (!found) ADD_FAILURE() << "reference: no water level";
  V x(n);
  std::vector<i128> rem(n, 0);
  i128 given = 0;
  for (size_t i = 0; i < n; ++i) {
    const i128 v = lam.num * w[i];  // quota = v / lam.den
    if (v >= i128{hi[i]} * lam.den) x[i] = hi[i];
    else if (v <= i128{lo[i]} * lam.den) x[i] = lo[i];
    else {
      x[i] = static_cast<int64_t>(v / lam.den);
      rem[i] = v % lam.den;
    }
    given += x[i];
  }
  std::vector<size_t> order;
  for (size_t i = 0; i < n; ++i)
    if (x[i] < hi[i]) order.push_back(i);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return rem[a] > rem[b]; });
  for (i128 k = 0; k < total - given; ++k) ++x[order[static_cast<size_t>(k)]];
  return x;
}

// A divisor-method result is valid iff some divisor separates the held units from the next ones:
// max over held units of s(x_i - 1)/w_i <= min over next units of s(x_j)/w_j (long double check).
bool divisor_valid(ApportionMethod m, const W& w, const V& x, long double rel = 1e-15L) {
  auto s = [&](long double k) -> long double {
    return m == kDhondt ? k + 1 : m == kWebster ? k + 0.5L : k < 0 ? -1 : std::sqrt(k * (k + 1));
  };
  long double held = -1, next = std::numeric_limits<long double>::infinity();
  for (size_t i = 0; i < w.size(); ++i) {
    if (w[i] == 0) {
      if (x[i] != 0) return false;
      continue;
    }
    if (x[i] > 0) held = std::max(held, s(static_cast<long double>(x[i]) - 1) / w[i]);
    next = std::min(next, s(static_cast<long double>(x[i])) / w[i]);
  }
  return held <= next * (1 + rel);
}

V random_int_weights(std::mt19937_64& rng, size_t n, int64_t max_w, double zero_p = 0.0) {
  std::uniform_int_distribution<int64_t> d(1, max_w);
  std::bernoulli_distribution z(zero_p);
  V w(n);
  for (int64_t& x : w) x = z(rng) ? 0 : d(rng);
  return w;
}

W random_weights(std::mt19937_64& rng, size_t n) {
  std::uniform_real_distribution<double> u(0.0, 1.0);
  W w(n);
  for (double& x : w) x = u(rng);
  return w;
}

// ---- method names ----------------------------------------------------------------------------------

TEST(ApportionMethodNames, RoundTrip) {
  for (ApportionMethod m : kAll) {
    EXPECT_EQ(parse_apportion_method(apportion_method_name(m)), m);
    EXPECT_EQ(check_apportion_method(static_cast<int32_t>(m)), m);
  }
  EXPECT_EQ(apportion_method_name(kHamilton), "hamilton");
  EXPECT_EQ(apportion_method_name(kWebster), "webster");
  EXPECT_EQ(apportion_method_name(kDhondt), "dhondt");
  EXPECT_EQ(apportion_method_name(kHH), "huntington_hill");
  EXPECT_EQ(static_cast<int32_t>(kHH), 3);
  EXPECT_EQ(apportion_method_name(static_cast<ApportionMethod>(9)), "unknown");
}

TEST(ApportionMethodNames, BadNamesAndValues) {
  EXPECT_QF_ERROR(parse_apportion_method("jefferson"), errc::invalid_argument, "\"jefferson\"",
                  "hamilton, webster, dhondt, huntington_hill");
  EXPECT_QF_ERROR(parse_apportion_method("Hamilton"), errc::invalid_argument, "\"Hamilton\"");
  EXPECT_QF_ERROR(parse_apportion_method(""), errc::invalid_argument, "\"\"");
  EXPECT_QF_ERROR(check_apportion_method(4), errc::invalid_argument, "method is 4", "3 (huntington_hill)");
  EXPECT_QF_ERROR(check_apportion_method(-1), errc::invalid_argument, "method is -1");
  W w{1, 2};
  EXPECT_QF_ERROR(ap(3, w, static_cast<ApportionMethod>(7)), errc::invalid_argument, "method is 7");
}

// ---- hand-worked cases -------------------------------------------------------------------------------

TEST(Hamilton, AlabamaParadox) {
  // Quotas for 10: 4.29, 4.29, 1.43 -> floors 4,4,1 and the last unit to the largest remainder,
  // .43 (recipient 2). For 11: 4.71, 4.71, 1.57 -> floors 4,4,1 and two units to .71 and .71.
  const W w{6, 6, 2};
  EXPECT_EQ(ap(10, w), (V{4, 4, 2}));
  EXPECT_EQ(ap(11, w), (V{5, 5, 1}));  // a bigger house, and recipient 2 loses a unit
}

TEST(Hamilton, TiesGoToTheLowerIndex) {
  EXPECT_EQ(ap(3, W{1, 1, 1, 1}), (V{1, 1, 1, 0}));
  EXPECT_EQ(ap(1, W{1, 1, 1, 1}), (V{1, 0, 0, 0}));
  EXPECT_EQ(ap(10, W{1, 1, 1}), (V{4, 3, 3}));
  EXPECT_EQ(ap(5, W{2, 1, 2, 1}), (V{2, 1, 1, 1}));  // quotas 1.67, .83, 1.67, .83: remainders .67,.83,.67,.83
}

TEST(Hamilton, ExactQuotasAndZeroWeights) {
  EXPECT_EQ(ap(100, W{1, 2, 3, 4}), (V{10, 20, 30, 40}));
  EXPECT_EQ(ap(3, W{0, 1, 1}), (V{0, 2, 1}));
  EXPECT_EQ(ap(7, W{0, 0, 5, 0}), (V{0, 0, 7, 0}));
  EXPECT_EQ(ap(1, W{0, 1e-300, 0}), (V{0, 1, 0}));
  EXPECT_EQ(ap(5, W{-0.0, 1}), (V{0, 5}));  // -0.0 is a zero weight, not a negative one
  // 0.1 + 0.2 + 0.7 is not exactly 1 in doubles; the shares are still the obvious ones.
  EXPECT_EQ(ap(10, W{0.1, 0.2, 0.7}), (V{1, 2, 7}));
  EXPECT_EQ(ap(100, W{0.1, 0.2, 0.7}), (V{10, 20, 70}));
}

TEST(DivisorMethods, WikipediaDhondtExample) {
  // Parties with 100k, 80k, 30k, 20k votes and 8 seats. D'Hondt quotients 100,80,50,40,33.3,30,
  // 26.7,25 (A,B,A,B,A,C,B,A) -> 4,3,1,0. Sainte-Lague divisors 1,3,5,...: 100,80,33.3,30,26.7,
  // 20,20,16 -> 3,3,1,1. Hamilton: quotas 3.48,2.78,1.04,.70 -> 3,2,1,0 + B, D -> 3,3,1,1.
  // Huntington-Hill: one each, then A (70.7), B (56.6), A (40.8), B (32.7) -> 3,3,1,1.
  const W w{100000, 80000, 30000, 20000};
  EXPECT_EQ(ap(8, w, kDhondt), (V{4, 3, 1, 0}));
  EXPECT_EQ(ap(8, w, kWebster), (V{3, 3, 1, 1}));
  EXPECT_EQ(ap(8, w, kHamilton), (V{3, 3, 1, 1}));
  EXPECT_EQ(ap(8, w, kHH), (V{3, 3, 1, 1}));
}

TEST(DivisorMethods, FourMethodsFourAnswers) {
  // Populations 9900, 3200, 1100 and 7 seats (W = 14200).
  // Hamilton: quotas 4.880, 1.577, 0.542 -> 4,1,0 and two units to .880, .577 -> 5,2,0.
  // D'Hondt (w/(x+1)): A 9900, A 4950, A 3300, B 3200, A 2475, A 1980, A 1650 -> 6,1,0.
  // Webster (w/(x+.5)): A 19800, A 6600, B 6400, A 3960, A 2828; then A 9900/4.5 = 2200 ties C
  //   1100/0.5 = 2200: the lower index (A) first, then C -> 5,1,1.
  // Huntington-Hill: one each; A 7000, A 4041.6, A 2857.9, then B 3200/sqrt2 = 2262.7 beats
  //   A 9900/sqrt20 = 2213.7 -> 4,2,1.
  const W w{9900, 3200, 1100};
  EXPECT_EQ(ap(7, w, kHamilton), (V{5, 2, 0}));
  EXPECT_EQ(ap(7, w, kDhondt), (V{6, 1, 0}));
  EXPECT_EQ(ap(7, w, kWebster), (V{5, 1, 1}));
  EXPECT_EQ(ap(7, w, kHH), (V{4, 2, 1}));
}

TEST(DivisorMethods, UnitedStates1790Census) {
  // The first apportionment (Act of 1792) used Jefferson's method with 105 seats; Hamilton's
  // method would have given Delaware 2 and Virginia 18 instead of 1 and 19.
  const V pop{236841, 55540, 70835, 68705, 278514, 475327, 141822, 179570,
              331589, 353523, 432879, 68446, 206236, 85533, 630560};  // CT DE GA KY MD MA NH NJ NY NC PA RI SC VT VA
  const W w = to_weights(pop);
  const V act_of_1792{7, 1, 2, 2, 8, 14, 4, 5, 10, 10, 13, 2, 6, 2, 19};
  EXPECT_EQ(ap(105, w, kDhondt), act_of_1792);
  EXPECT_EQ(ap(105, w, kHamilton), (V{7, 2, 2, 2, 8, 14, 4, 5, 10, 10, 13, 2, 6, 2, 18}));
  EXPECT_EQ(ap(105, w, kHamilton), hamilton_exact(105, pop));
  for (ApportionMethod m : kDivisors)
    for (int64_t house : {105, 120, 200, 435}) EXPECT_EQ(ap(house, w, m), seat_by_seat(house, pop, m)) << house;
}

TEST(DivisorMethods, HuntingtonHillGivesEveryoneAFirstUnit) {
  const W w{1000, 1, 1};
  EXPECT_EQ(ap(3, w, kHH), (V{1, 1, 1}));
  EXPECT_EQ(ap(2, w, kHH), (V{1, 1, 0}));  // ties among first units: lower index
  EXPECT_EQ(ap(3, w, kWebster), (V{3, 0, 0}));
  EXPECT_EQ(ap(3, w, kDhondt), (V{3, 0, 0}));
  EXPECT_EQ(ap(4, W{5, 0, 1, 2}, kHH), (V{2, 0, 1, 1}));
  EXPECT_EQ(ap(2, W{1, 1, 1, 1}, kHH), (V{1, 1, 0, 0}));
}

TEST(DivisorMethods, SmallHousesAndZeroWeights) {
  for (ApportionMethod m : kAll) {
    EXPECT_EQ(ap(0, W{1, 2}, m), (V{0, 0}));
    EXPECT_EQ(ap(1, W{1, 2}, m), m == kHH ? (V{1, 0}) : (V{0, 1}));  // HH: first units tie at s(0) = 0
    EXPECT_EQ(ap(5, W{0, 3, 0}, m), (V{0, 5, 0}));
    EXPECT_EQ(ap(6, W{1, 1, 1}, m), (V{2, 2, 2}));
    EXPECT_EQ(ap(2, W{1, 1, 1}, m), (V{1, 1, 0}));
  }
}

// ---- brute-force references on seeded random cases ---------------------------------------------

TEST(DivisorMethods, EqualSeatBySeatOnIntegerWeights) {
  // Small integer weights tie often, which exercises the exact threshold comparison.
  std::mt19937_64 rng(1790);
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t n = 1 + rng() % 8;
    const V w = random_int_weights(rng, n, iter % 2 ? 20 : 1000, 0.15);
    if (sum(w) == 0) continue;
    const int64_t t = static_cast<int64_t>(rng() % 60);
    for (ApportionMethod m : kDivisors)
      ASSERT_EQ(ap(t, to_weights(w), m), seat_by_seat(t, w, m)) << apportion_method_name(m) << " t=" << t;
  }
}

TEST(DivisorMethods, EqualSeatBySeatOnRandomDoubles) {
  std::mt19937_64 rng(42);
  for (int iter = 0; iter < 1000; ++iter) {
    const W w = random_weights(rng, 1 + rng() % 12);
    const int64_t t = static_cast<int64_t>(rng() % 100);
    for (ApportionMethod m : kDivisors)
      ASSERT_EQ(ap(t, w, m), seat_by_seat_double(t, w, m)) << apportion_method_name(m) << " t=" << t;
  }
}

TEST(Hamilton, EqualsExactRationalReference) {
  std::mt19937_64 rng(7);
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t n = 1 + rng() % 10;
    const V w = random_int_weights(rng, n, iter % 3 == 0 ? 5 : 1'000'000, 0.1);
    if (sum(w) == 0) continue;
    const int64_t t = static_cast<int64_t>(rng() % 1000) - 500;
    ASSERT_EQ(ap(t, to_weights(w)), hamilton_exact(t, w)) << "t=" << t << " w=" << testing::PrintToString(w);
  }
}

TEST(Hamilton, LargeInputsEqualExactReference) {
  // Weights 1 + i*2^-40 are exact doubles whose remainders differ only in low bits: the radix
  // selection must descend several levels. Scaled by 2^52 they are integers, so the rational
  // reference is exact.
  const size_t n = 100'000;
  W w(n);
  V wi(n);
  for (size_t i = 0; i < n; ++i) {
    w[i] = 1 + std::ldexp(static_cast<double>((i * 7919) % n), -40);
    wi[i] = static_cast<int64_t>(std::ldexp(w[i], 52));
  }
  for (int64_t t : {int64_t{12345}, int64_t{50'000}, int64_t{99'999}, int64_t{1'234'567'891}, int64_t{7}})
    EXPECT_EQ(ap(t, w), hamilton_exact(t, wi)) << t;
  // All equal: every remainder ties, the lowest indexes win.
  const W ones(n, 1.0);
  const V r = ap(n + 5, ones);
  for (size_t i = 0; i < n; ++i) ASSERT_EQ(r[i], i < 5 ? 2 : 1) << i;
  // Random integer weights, many ties between equal weights.
  std::mt19937_64 rng(99);
  const V wr = random_int_weights(rng, n, 1000, 0.05);
  for (int64_t t : {int64_t{1}, int64_t{777}, int64_t{3'000'001}}) EXPECT_EQ(ap(t, to_weights(wr)), hamilton_exact(t, wr)) << t;
}

TEST(Hamilton, WideWeightRangesEqualExactReference) {
  // Weights odd * 2^e for e in [-30, 10]: small weights take the general path next to the fast
  // one. Scaled by 2^30 they are integers, so the rational reference is exact.
  std::mt19937_64 rng(4242);
  for (int iter = 0; iter < 500; ++iter) {
    const size_t n = 1 + rng() % 200;
    V wi(n);
    W w(n);
    for (size_t i = 0; i < n; ++i) {
      const auto mant = static_cast<int64_t>(2 * (rng() % (1 << 20)) + 1);
      const int e = static_cast<int>(rng() % 41) - 30;
      w[i] = std::ldexp(static_cast<double>(mant), e);
      wi[i] = mant << (e + 30);
      if (rng() % 10 == 0) w[i] = 0, wi[i] = 0;
    }
    if (sum(wi) == 0) continue;
    const int64_t t = iter % 2 ? static_cast<int64_t>(rng() % 1'000'000) : static_cast<int64_t>(rng() % 100);
    ASSERT_EQ(ap(t, w), hamilton_exact(t, wi)) << "t=" << t;
  }
}

TEST(Hamilton, ExactToQuotaOnRandomDoubles) {
  std::mt19937_64 rng(2024);
  for (int iter = 0; iter < 2000; ++iter) {
    const size_t n = 1 + rng() % 50;
    W w = random_weights(rng, n);
    if (iter % 4 == 0) w[rng() % n] = 0;
    if (iter % 7 == 0) w[rng() % n] *= 1e-30;  // a tiny weight takes the general path
    const int64_t t = iter % 5 == 0 ? static_cast<int64_t>(rng() % 1'000'000'000'000'000) : static_cast<int64_t>(rng() % 10'000);
    long double wsum = 0;
    for (double x : w) wsum += x;
    if (wsum == 0) continue;
    const V r = ap(t, w);
    ASSERT_EQ(sum(r), t);
    for (size_t i = 0; i < n; ++i) {
      const long double q = static_cast<long double>(t) * w[i] / wsum;
      const long double slack = 1e-6L + q * 1e-17L;
      ASSERT_GE(r[i], std::floor(q - slack)) << i;
      ASSERT_LE(r[i], std::ceil(q + slack)) << i;
      if (w[i] == 0) {
        ASSERT_EQ(r[i], 0);
      }
    }
  }
}

TEST(Hamilton, SmallGroupPathAgreesWithTheGeneralEngine) {
  // Groups of up to 32 take an exact 128-bit path when their weights qualify; the general engine
  // must give the same shares (random doubles have no remainders within 2^-64 of each other).
  namespace ap = detail::apportion_impl;
  std::mt19937_64 rng(31337);
  int fast = 0;
  for (int iter = 0; iter < 20000; ++iter) {
    const size_t n = 1 + rng() % 32;
    W w = random_weights(rng, n);
    if (iter % 3 == 0)
      for (double& x : w) x = std::floor(x * 1e4);               // integer weights, exact ties
    if (iter % 5 == 0) w[rng() % n] = 0;
    if (iter % 11 == 0) w[rng() % n] *= std::ldexp(1.0, static_cast<int>(rng() % 140) - 70);  // wide ranges
    const int64_t t = iter % 4 == 0 ? static_cast<int64_t>(rng() >> 1) * (iter % 8 == 0 ? -1 : 1)
                                    : static_cast<int64_t>(rng() % 100'000) - 50'000;
    if (std::all_of(w.begin(), w.end(), [](double x) { return x == 0; }) || t == 0) continue;
    V small(n), general(n);
    const bool took = ap::hamilton_small(t, w, small);
    size_t positive = 0;
    const ap::WideSum ws = ap::validate(t, w, n, {}, {}, positive);
    ap::hamilton_unbounded(ap::magnitude(t), t < 0, w, general, ws, positive);
    if (!took) continue;
    ++fast;
    ASSERT_EQ(small, general) << "iter " << iter << " t=" << t << " w=" << testing::PrintToString(w);
  }
  EXPECT_GT(fast, 10000);  // the path is really taken
  // Totals at the int64 limits and one weight: the whole total, sign kept.
  const V at_min = apportion(kMin, W{0, 3}), at_max = apportion(kMax, W{1, 1});
  EXPECT_EQ(at_min, (V{0, kMin}));
  EXPECT_EQ(at_max, (V{kMax / 2 + 1, kMax / 2}));
}

TEST(Hamilton, RowsOverSharedWeightsEqualExactReference) {
  // HamiltonRows (phase_many's path for seasonal weights) on weights integer * 2^-20, exact
  // doubles, so the rational reference is exact. Equal weights make exact ties, and groups above
  // 32 take the packed-key and indirect selections; totals past 2^50 take the division path.
  namespace ap = detail::apportion_impl;
  std::mt19937_64 rng(8080);
  int applied = 0;
  for (int iter = 0; iter < 400; ++iter) {
    const size_t n = 1 + rng() % 200;
    V wi(n);
    const uint64_t range = iter % 3 == 0 ? 5 : iter % 3 == 1 ? (uint64_t{1} << 20) : (uint64_t{1} << 40);
    for (auto& x : wi) x = static_cast<int64_t>(rng() % range) + (iter % 2);
    if (sum(wi) == 0) continue;
    W w(n);
    for (size_t i = 0; i < n; ++i) w[i] = std::ldexp(static_cast<double>(wi[i]), -20);
    ap::HamiltonRows rows(w);
    for (int r = 0; r < 20; ++r) {
      int64_t t = r % 4 == 0 ? static_cast<int64_t>(rng() >> 2) : static_cast<int64_t>(rng() % 10'000'000) - 5'000'000;
      if (r == 7) t = kMin;
      if (r == 8) t = kMax;
      V out(n);
      if (!rows.apply(t, out.data())) continue;
      ++applied;
      ASSERT_EQ(out, hamilton_exact(t, wi)) << "iter " << iter << " t=" << t << " n=" << n;
    }
  }
  EXPECT_GT(applied, 4000);
}

// ---- sums, signs, huge totals ----------------------------------------------------------------------

TEST(Apportion, SumsExactForEveryMethod) {
  std::mt19937_64 rng(5);
  std::uniform_int_distribution<int> pick(0, 9);
  for (int iter = 0; iter < 4000; ++iter) {
    const size_t n = 1 + rng() % 30;
    W w = random_weights(rng, n);
    for (double& x : w)
      if (pick(rng) == 0) x = 0;
      else if (pick(rng) == 0) x *= 1e12;
    w[rng() % n] = 0.5;  // at least one positive weight
    const int64_t mag[] = {10, 1000, 1'000'000, 1'000'000'000'000'000, 4'000'000'000'000'000'000};
    int64_t t = static_cast<int64_t>(rng() % static_cast<uint64_t>(mag[iter % 5]));
    if (iter % 3 == 0) t = -t;
    for (ApportionMethod m : kAll) {
      const V r = ap(t, w, m);
      ASSERT_EQ(sum(r), t) << apportion_method_name(m);
      for (size_t i = 0; i < n; ++i) {
        ASSERT_TRUE(t >= 0 ? r[i] >= 0 && r[i] <= t : r[i] <= 0 && r[i] >= t);
        if (w[i] == 0) {
          ASSERT_EQ(r[i], 0);
        }
      }
    }
  }
}

TEST(Apportion, NegativeTotalsAreSymmetric) {
  std::mt19937_64 rng(11);
  for (int iter = 0; iter < 500; ++iter) {
    const W w = random_weights(rng, 1 + rng() % 20);
    const int64_t t = static_cast<int64_t>(rng() % 100'000);
    for (ApportionMethod m : kAll) ASSERT_EQ(ap(-t, w, m), negated(ap(t, w, m)));
  }
  EXPECT_EQ(ap(-3, W{1, 1, 1, 1}), (V{-1, -1, -1, 0}));  // same tie rule, mirrored
  EXPECT_EQ(ap(-10, W{6, 6, 2}), (V{-4, -4, -2}));
}

TEST(Apportion, HugeTotalsDoNotOverflow) {
  const V wi{3, 5, 7, 11};
  const W w = to_weights(wi);
  for (int64_t t : {int64_t{1'000'000'000'000'000}, int64_t{4'000'000'000'000'000'000}, kMax, kMin, kMin + 1}) {
    EXPECT_EQ(ap(t, w), hamilton_exact(t, wi)) << t;
    for (ApportionMethod m : kAll) {
      const V r = ap(t, w, m);
      EXPECT_EQ(sum(r), t);
      if (m != kHamilton) {
        EXPECT_TRUE(divisor_valid(m, w, t < 0 ? negated(r) : r)) << apportion_method_name(m);
      }
    }
  }
  EXPECT_EQ(ap(kMin, W{1}), (V{kMin}));
  EXPECT_EQ(ap(kMax, W{0, 2, 0}, kDhondt), (V{0, kMax, 0}));
  EXPECT_EQ(ap(kMin, W{1, 1}, kWebster), (V{kMin / 2, kMin / 2}));
  // A random large case: divisor methods start from rounded quotas and fix ~n units with the heap.
  std::mt19937_64 rng(3);
  const W wr = random_weights(rng, 2000);
  for (ApportionMethod m : kDivisors) {
    const V r = ap(1'000'000'000'000'000, wr, m);
    EXPECT_EQ(sum(r), 1'000'000'000'000'000);
    EXPECT_TRUE(divisor_valid(m, wr, r)) << apportion_method_name(m);
  }
}

TEST(DivisorMethods, ValidOnLargeRandomInputs) {
  std::mt19937_64 rng(8);
  for (size_t n : {size_t{1000}, size_t{20'000}}) {
    W w = random_weights(rng, n);
    for (size_t i = 0; i < n; i += 17) w[i] = 0;
    for (int64_t t : {int64_t{0}, int64_t{3}, static_cast<int64_t>(n / 2), static_cast<int64_t>(n * 3), int64_t{123'456'789}})
      for (ApportionMethod m : kDivisors) {
        const V r = ap(t, w, m);
        ASSERT_EQ(sum(r), t);
        ASSERT_TRUE(divisor_valid(m, w, r)) << apportion_method_name(m) << " n=" << n << " t=" << t;
      }
  }
}

TEST(Apportion, TotalZeroAndEmptyInputs) {
  for (ApportionMethod m : kAll) {
    EXPECT_EQ(ap(0, W{}, m), V{});
    EXPECT_EQ(ap(0, W{0, 0}, m), (V{0, 0}));
    EXPECT_EQ(ap(0, W{1, 2, 3}, m), (V{0, 0, 0}));
  }
}

// ---- determinism and symmetry ------------------------------------------------------------------------

TEST(Apportion, DeterministicAndOverloadsAgree) {
  std::mt19937_64 rng(17);
  const W w = random_weights(rng, 5000);
  for (ApportionMethod m : kAll) {
    const V a = ap(987'654'321, w, m);
    V b(w.size(), -1);
    apportion(987'654'321, w, b, m);
    EXPECT_EQ(a, b);
    EXPECT_EQ(a, ap(987'654'321, w, m));
  }
}

TEST(Apportion, PermutationSymmetricWithDistinctWeights) {
  std::mt19937_64 rng(23);
  for (int iter = 0; iter < 300; ++iter) {
    const size_t n = 2 + rng() % 40;
    const W w = random_weights(rng, n);  // distinct with probability 1
    std::vector<size_t> perm(n);
    std::iota(perm.begin(), perm.end(), size_t{0});
    std::shuffle(perm.begin(), perm.end(), rng);
    W pw(n);
    for (size_t i = 0; i < n; ++i) pw[i] = w[perm[i]];
    // Huntington-Hill's first units all tie (s(0) = 0), so give everyone one.
    const auto t = static_cast<int64_t>(n + rng() % 5000);
    for (ApportionMethod m : kAll) {
      const V r = ap(t, w, m), pr = ap(t, pw, m);
      for (size_t i = 0; i < n; ++i) ASSERT_EQ(pr[i], r[perm[i]]) << apportion_method_name(m);
    }
  }
}

// ---- bounds ------------------------------------------------------------------------------------------

TEST(Bounds, HandWorked) {
  // Unbounded quotas 4.29, 4.29, 1.43; capping recipient 0 at 3 water-fills the rest: lambda with
  // 3 + 6*l + 2*l = 10 -> l = 7/8: x = 3, 5.25, 1.75 -> Hamilton 3, 5, 2.
  const W w{6, 6, 2};
  const V lo{0, 0, 0}, hi{3, 10, 10};
  EXPECT_EQ(ap(10, w, kHamilton, lo, hi), (V{3, 5, 2}));
  std::vector<double> q(3);
  apportion_quotas(10, w, q, lo, hi);
  EXPECT_DOUBLE_EQ(q[0], 3);
  EXPECT_DOUBLE_EQ(q[1], 5.25);
  EXPECT_DOUBLE_EQ(q[2], 1.75);
  // D'Hondt, bounded seat-by-seat: A 6, B 6, A 3 (A is then full), B 3, C 2, B 2, B 1.5, C 1 ... -> 3, 6, 1.
  EXPECT_EQ(ap(10, w, kDhondt, lo, hi), (V{3, 6, 1}));
  EXPECT_EQ(ap(10, w, kWebster, lo, hi), (V{3, 5, 2}));
  // Lower bounds only: everyone gets at least 2 -> x = max(2, l*w): 2 + ... the small one is pinned.
  EXPECT_EQ(ap(10, w, kHamilton, V{2, 2, 2}, V{}), (V{4, 4, 2}));
  EXPECT_EQ(ap(12, W{1, 1, 10}, kHamilton, V{3, 3, 0}, V{}), (V{3, 3, 6}));
  // Upper bounds only.
  EXPECT_EQ(ap(10, W{1, 1, 10}, kHamilton, V{}, V{5, 5, 4}), (V{3, 3, 4}));
}

TEST(Bounds, TightBoundsPinEveryone) {
  for (ApportionMethod m : kAll) {
    EXPECT_EQ(ap(12, W{1, 2, 3}, m, V{5, 4, 3}, V{5, 4, 3}), (V{5, 4, 3}));
    EXPECT_EQ(ap(12, W{1, 2, 3}, m, V{5, 0, 3}, V{5, 100, 3}), (V{5, 4, 3}));
    EXPECT_EQ(ap(-12, W{1, 2, 3}, m, V{-5, -4, -3}, V{-5, -4, -3}), (V{-5, -4, -3}));
  }
}

TEST(Bounds, ZeroWeightsHoldTheirFloorUntilOthersAreFull) {
  for (ApportionMethod m : kAll) {
    // Zero weights sit at clip(0, lower, upper)...
    EXPECT_EQ(ap(10, W{0, 1, 1}, m, V{2, 0, 0}, V{9, 9, 9}), (V{2, 4, 4}));
    EXPECT_EQ(ap(10, W{0, 1, 1}, m, V{0, 0, 0}, V{9, 9, 9}), (V{0, 5, 5}));
    // ...and take what the positive weights cannot hold, shared as if equally weighted.
    EXPECT_EQ(ap(12, W{0, 1}, m, V{0, 0}, V{10, 5}), (V{7, 5}));
    EXPECT_EQ(ap(20, W{0, 1, 0}, m, V{0, 0, 0}, V{10, 4, 10}), (V{8, 4, 8}));
    EXPECT_EQ(ap(21, W{0, 1, 0}, m, V{0, 0, 0}, V{10, 4, 10}), (V{9, 4, 8}));
    EXPECT_EQ(ap(0, W{0, 0}, m, V{-1, -2}, V{3, 3}), (V{0, 0}));
    EXPECT_EQ(ap(0, W{0, 0}, m, V{1, -2}, V{3, 3}), (V{1, -1}));
  }
  std::vector<double> q(2);
  apportion_quotas(12, W{0, 1}, q, V{0, 0}, V{10, 5});
  EXPECT_EQ(q, (W{7, 5}));
}

TEST(Bounds, NegativeTotalsSwapAndNegateBounds) {
  std::mt19937_64 rng(31);
  for (int iter = 0; iter < 500; ++iter) {
    const size_t n = 1 + rng() % 10;
    const W w = random_weights(rng, n);
    V lo(n), hi(n);
    for (size_t i = 0; i < n; ++i) {
      lo[i] = static_cast<int64_t>(rng() % 20) - 5;
      hi[i] = lo[i] + static_cast<int64_t>(rng() % 30);
    }
    const int64_t t = static_cast<int64_t>(sum(lo) + (sum(hi) - sum(lo)) * static_cast<int64_t>(rng() % 100) / 100);
    for (ApportionMethod m : kAll) ASSERT_EQ(ap(-t, w, m, negated(hi), negated(lo)), negated(ap(t, w, m, lo, hi)));
  }
}

TEST(Bounds, DivisorMethodsEqualBoundedSeatBySeat) {
  std::mt19937_64 rng(1792);
  for (int iter = 0; iter < 2000; ++iter) {
    const size_t n = 1 + rng() % 7;
    const V w = random_int_weights(rng, n, iter % 2 ? 10 : 500);
    V lo(n), hi(n);
    for (size_t i = 0; i < n; ++i) {
      lo[i] = static_cast<int64_t>(rng() % 4);
      hi[i] = lo[i] + static_cast<int64_t>(rng() % 12);
    }
    const i128 span = sum(hi) - sum(lo);
    const int64_t t = static_cast<int64_t>(sum(lo) + (span == 0 ? 0 : static_cast<i128>(rng() % static_cast<uint64_t>(span + 1))));
    for (ApportionMethod m : kDivisors)
      ASSERT_EQ(ap(t, to_weights(w), m, lo, hi), seat_by_seat(t, w, m, lo, hi)) << apportion_method_name(m) << " t=" << t;
  }
}

TEST(Bounds, HamiltonEqualsExactRationalReference) {
  std::mt19937_64 rng(1793);
  for (int iter = 0; iter < 3000; ++iter) {
    const size_t n = 1 + rng() % 8;
    const V w = random_int_weights(rng, n, iter % 2 ? 6 : 300);
    V lo(n), hi(n);
    for (size_t i = 0; i < n; ++i) {
      lo[i] = static_cast<int64_t>(rng() % 10);
      hi[i] = lo[i] + static_cast<int64_t>(rng() % 40);
    }
    const i128 span = sum(hi) - sum(lo);
    const auto t = static_cast<int64_t>(sum(lo) + static_cast<i128>(rng() % static_cast<uint64_t>(span + 1)));
    ASSERT_EQ(ap(t, to_weights(w), kHamilton, lo, hi), hamilton_bounded_exact(t, w, lo, hi))
        << "t=" << t << " w=" << testing::PrintToString(w) << " lo=" << testing::PrintToString(lo)
        << " hi=" << testing::PrintToString(hi);
  }
}

TEST(Bounds, HamiltonRoundsTheWaterFilledQuotas) {
  std::mt19937_64 rng(77);
  for (int iter = 0; iter < 2000; ++iter) {
    const size_t n = 1 + rng() % 25;
    W w = random_weights(rng, n);
    if (iter % 3 == 0) w[rng() % n] = 0;
    V lo(n), hi(n);
    const bool has_lo = iter % 4 != 1, has_hi = iter % 4 != 2;
    for (size_t i = 0; i < n; ++i) {
      lo[i] = static_cast<int64_t>(rng() % 1000) - (iter % 5 == 0 ? 500 : 0);
      hi[i] = lo[i] + static_cast<int64_t>(rng() % 3000);
    }
    const int64_t t = static_cast<int64_t>(sum(lo) + (sum(hi) - sum(lo)) * static_cast<int64_t>(rng() % 101) / 100);
    const V L = has_lo ? lo : V{}, H = has_hi ? hi : V{};
    bool all_zero = true;
    for (double x : w) all_zero &= x == 0;
    if (all_zero && t != 0) continue;
    for (ApportionMethod m : kAll) {
      const V r = ap(t, w, m, L, H);
      ASSERT_EQ(sum(r), t);
      for (size_t i = 0; i < n; ++i) {
        if (has_lo) {
          ASSERT_GE(r[i], lo[i]);
        }
        if (has_hi) {
          ASSERT_LE(r[i], hi[i]);
        }
      }
      if (m != kHamilton) continue;
      std::vector<double> q(n);
      apportion_quotas(t, w, q, L, H);
      long double qs = 0;
      for (size_t i = 0; i < n; ++i) {
        qs += q[i];
        if (has_lo) {
          ASSERT_GE(q[i], static_cast<double>(lo[i]));
        }
        if (has_hi) {
          ASSERT_LE(q[i], static_cast<double>(hi[i]));
        }
        ASSERT_GE(r[i], std::floor(q[i] - 1e-7)) << i;
        ASSERT_LE(r[i], std::ceil(q[i] + 1e-7)) << i;
      }
      ASSERT_NEAR(static_cast<double>(qs), static_cast<double>(t), 1e-6 * (1 + std::fabs(static_cast<double>(t))));
    }
  }
}

TEST(Bounds, HugeBoundsAndTotals) {
  const W w{1, 2, 3};
  const V lo{kMin, kMin, kMin}, hi{kMax, kMax, kMax};
  for (ApportionMethod m : kAll) {
    EXPECT_EQ(ap(600, w, m, lo, hi), (V{100, 200, 300}));
    EXPECT_EQ(ap(-600, w, m, lo, hi), (V{-100, -200, -300}));
    EXPECT_EQ(sum(ap(kMax, w, m, V{0, 0, 0}, hi)), kMax);
    EXPECT_EQ(sum(ap(kMin, w, m, lo, V{0, 0, 0})), kMin);
  }
}

// ---- apportion_quotas ----------------------------------------------------------------------------------

TEST(Quotas, Unbounded) {
  std::vector<double> q(3);
  apportion_quotas(10, W{6, 6, 2}, q);
  EXPECT_NEAR(q[0], 30.0 / 7, 1e-14);
  EXPECT_NEAR(q[1], 30.0 / 7, 1e-14);
  EXPECT_NEAR(q[2], 10.0 / 7, 1e-14);
  apportion_quotas(-8, W{1, 0, 3}, q);
  EXPECT_EQ(q, (W{-2, 0, -6}));
  apportion_quotas(0, W{1, 2, 3}, q);
  EXPECT_EQ(q, (W{0, 0, 0}));
  EXPECT_QF_ERROR(apportion_quotas(5, W{1, 2, 3}, q, V{0, 0, 0}, V{1, 1, 1}), errc::invalid_argument,
                  "sum of upper bounds 3 is less than total 5");
}

// ---- bad inputs ------------------------------------------------------------------------------------------

TEST(ApportionErrors, Lengths) {
  V out(2);
  const W w{1, 2, 3};
  EXPECT_QF_ERROR(apportion(10, w, out), errc::invalid_argument, "length mismatch: weights has 3 elements, out has 2");
  EXPECT_QF_ERROR(ap(10, w, kHamilton, V{0, 0}), errc::invalid_argument, "weights has 3 elements, lower has 2");
  EXPECT_QF_ERROR(ap(10, w, kWebster, V{}, V{9, 9, 9, 9}), errc::invalid_argument, "upper has 4");
  std::vector<double> q(4);
  EXPECT_QF_ERROR(apportion_quotas(10, w, q), errc::invalid_argument, "out has 4");
}

TEST(ApportionErrors, BadWeights) {
  W w(20, 1.0);
  w[17] = std::nan("");
  EXPECT_QF_ERROR(ap(10, w), errc::invalid_argument, "weights[17] is NaN");
  w[17] = std::numeric_limits<double>::infinity();
  EXPECT_QF_ERROR(ap(10, w, kDhondt), errc::invalid_argument, "weights[17] is inf");
  w[17] = -std::numeric_limits<double>::infinity();
  EXPECT_QF_ERROR(ap(10, w), errc::invalid_argument, "weights[17] is -inf");
  w[17] = 1;
  w[2] = -1.5;
  EXPECT_QF_ERROR(ap(10, w), errc::invalid_argument, "weights[2] is -1.5; weights must be >= 0");
  w[2] = -1e-310;  // negative subnormal
  EXPECT_QF_ERROR(ap(0, w), errc::invalid_argument, "weights[2] is -");
  std::vector<double> q(20);
  EXPECT_QF_ERROR(apportion_quotas(10, w, q), errc::invalid_argument, "weights[2]");
  // Bad weights are reported even for a zero total, and before bound errors.
  EXPECT_QF_ERROR(ap(0, W{1, std::nan("")}, kHH, V{5, 5}, V{0, 0}), errc::invalid_argument, "weights[1] is NaN");
}

TEST(ApportionErrors, DegenerateWeights) {
  EXPECT_QF_ERROR(ap(100, W{}), errc::invalid_argument, "weights is empty but total is 100");
  EXPECT_QF_ERROR(ap(100, W{0, 0, 0}), errc::invalid_argument, "weights sum to 0 but total is 100");
  EXPECT_QF_ERROR(ap(-7, W{0, -0.0}, kWebster), errc::invalid_argument, "weights sum to 0 but total is -7");
  EXPECT_QF_ERROR(ap(5, W{0, 0}, kHamilton, V{0, 0}, V{5, 5}), errc::invalid_argument, "weights sum to 0");
  const double big = std::numeric_limits<double>::max();
  EXPECT_QF_ERROR(ap(10, W{big, big}), errc::invalid_argument, "weights sum to at least 2^1024");
  EXPECT_EQ(ap(10, W{big / 2, big / 4}), (V{7, 3}));  // large but finite sum is fine
  EXPECT_EQ(ap(3, W{5e-324, 1e-323, 0}), (V{1, 2, 0}));  // subnormal weights are exact too
}

TEST(ApportionErrors, Bounds) {
  const W w{1, 1, 1};
  EXPECT_QF_ERROR(ap(100, w, kHamilton, V{40, 40, 40}, V{}), errc::invalid_argument, "sum of lower bounds 120 exceeds total 100");
  EXPECT_QF_ERROR(ap(100, w, kDhondt, V{}, V{30, 30, 20}), errc::invalid_argument, "sum of upper bounds 80 is less than total 100");
  EXPECT_QF_ERROR(ap(10, w, kWebster, V{0, 5, 0}, V{9, 4, 9}), errc::invalid_argument, "lower[1] is 5 but upper[1] is 4");
  EXPECT_QF_ERROR(ap(-100, w, kHH, V{-10, -10, -10}, V{0, 0, 0}), errc::invalid_argument, "sum of lower bounds -30 exceeds total -100");
  EXPECT_QF_ERROR(ap(0, w, kHamilton, V{1, 0, 0}, V{1, 1, 1}), errc::invalid_argument, "sum of lower bounds 1 exceeds total 0");
  // Sums of bounds are computed without overflow.
  EXPECT_QF_ERROR(ap(kMax, w, kHamilton, V{kMax, kMax, 0}, V{}), errc::invalid_argument,
                  "sum of lower bounds 18446744073709551614 exceeds total 9223372036854775807");
  EXPECT_EQ(ap(kMax, w, kHamilton, V{}, V{kMax, kMax, kMax}), ap(kMax, w));
}

}  // namespace
