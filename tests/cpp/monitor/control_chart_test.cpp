// Control charts: hand-worked centre and sigma (mean moving range, robust, baseline masks),
// every Nelson and Western Electric rule on a series built to fire it and on a near miss,
// CUSUM and EWMA worked by hand, in-control average run lengths by seeded simulation, bulk
// equals one-by-one, and bad input.
#include <cmath>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "quotaflow/monitor/control_chart.hpp"
#include "test_util.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::monitor;

struct Hit {
  int64_t index;
  ChartRule rule;
  bool operator==(const Hit&) const = default;
};

void PrintTo(const Hit& h, std::ostream* os) { *os << "{" << h.index << ", " << chart_rule_name(h.rule) << "}"; }

std::vector<Hit> hits(const ChartResult& r) {
  std::vector<Hit> out;
  for (size_t i = 0; i < r.signals.size(); ++i) out.push_back({r.signals.index[i], r.signals.rule[i]});
  return out;
}

std::vector<int64_t> indices(const ChartResult& r) { return r.signals.index; }

// z-scores directly: centre 0 and sigma 1 are given, so each value is its own z.
const double kZero[1] = {0.0};
const double kOne[1] = {1.0};

ChartResult on_z(const std::vector<double>& z, RuleSet rules) {
  ChartOptions o;
  o.rules = rules;
  o.center = kZero;
  o.sigma = kOne;
  return control_chart(z, o);
}

std::vector<int64_t> fires(const std::vector<double>& z, ChartRule rule) { return indices(on_z(z, RuleSet::of(rule))); }

std::vector<double> repeat(double v, size_t n) { return std::vector<double>(n, v); }

std::vector<double> concat(std::initializer_list<std::vector<double>> parts) {
  std::vector<double> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

std::vector<double> alternating(double a, size_t n) {
  std::vector<double> out(n);
  for (size_t i = 0; i < n; ++i) out[i] = i % 2 == 0 ? a : -a;
  return out;
}

using Idx = std::vector<int64_t>;

// ---- centre and sigma ------------------------------------------------------------------------

TEST(ControlChart, MeanMovingRangeByHandWithBaseline) {
  // Baseline = first 5: mean 58/5 = 11.6; moving ranges 2, 1, 2, 1 -> 1.5; sigma 1.5 / 1.128.
  const std::vector<double> x{10, 12, 11, 13, 12, 20};
  const std::vector<uint8_t> base{1, 1, 1, 1, 1, 0};
  ChartOptions o;
  o.baseline = base;
  const ChartResult r = control_chart(x, o);
  EXPECT_DOUBLE_EQ(r.center[0], 11.6);
  EXPECT_DOUBLE_EQ(r.sigma[0], 1.5 / 1.128);
  ASSERT_EQ(hits(r), (std::vector<Hit>{{5, ChartRule::nelson1}}));
  EXPECT_EQ(r.signals.series[0], 0);
  EXPECT_EQ(r.signals.value[0], 20.0);
  EXPECT_DOUBLE_EQ(r.signals.center[0], 11.6);
  EXPECT_DOUBLE_EQ(r.signals.lower[0], 11.6 - 3 * 1.5 / 1.128);
  EXPECT_DOUBLE_EQ(r.signals.upper[0], 11.6 + 3 * 1.5 / 1.128);
}

TEST(ControlChart, WithoutBaselineTheOutlierWidensTheLimits) {
  // All 6: mean 13; moving ranges 2, 1, 2, 1, 8 -> 2.8; UCL 13 + 3 x 2.482 = 20.45 > 20.
  const std::vector<double> x{10, 12, 11, 13, 12, 20};
  const ChartResult r = control_chart(x);
  EXPECT_DOUBLE_EQ(r.center[0], 13.0);
  EXPECT_DOUBLE_EQ(r.sigma[0], 2.8 / 1.128);
  EXPECT_EQ(r.signals.size(), 0u);
}

TEST(ControlChart, MovingRangesNeverBridgeAGapInTheBaseline) {
  // Baseline {0, 1, 3, 4}: mean 2.75; pairs (0,1) and (3,4) only: (1 + 2) / 2 = 1.5.
  // (Bridging the gap would add |3 - 2| and give 4/3.)
  const std::vector<double> x{1, 2, 100, 3, 5};
  const std::vector<uint8_t> base{1, 1, 0, 1, 1};
  ChartOptions o;
  o.baseline = base;
  const ChartResult r = control_chart(x, o);
  EXPECT_DOUBLE_EQ(r.center[0], 2.75);
  EXPECT_DOUBLE_EQ(r.sigma[0], 1.5 / 1.128);
  EXPECT_EQ(hits(r), (std::vector<Hit>{{2, ChartRule::nelson1}}));
}

TEST(ControlChart, RobustUsesMedianAndScaledMad) {
  ChartOptions o;
  o.robust = true;
  // Median 3; absolute deviations 2, 1, 0, 1, 97 -> median 1; sigma 1.4826.
  const ChartResult odd = control_chart(std::vector<double>{4, 1, 3, 100, 2}, o);
  EXPECT_DOUBLE_EQ(odd.center[0], 3.0);
  EXPECT_DOUBLE_EQ(odd.sigma[0], 1.4826);
  EXPECT_EQ(hits(odd), (std::vector<Hit>{{3, ChartRule::nelson1}}));
  // Even count: median (2 + 3) / 2 = 2.5; deviations 1.5, 0.5, 0.5, 1.5 -> 1.0.
  const ChartResult even = control_chart(std::vector<double>{4, 1, 3, 2}, o);
  EXPECT_DOUBLE_EQ(even.center[0], 2.5);
  EXPECT_DOUBLE_EQ(even.sigma[0], 1.4826);
  // The mean and moving range are pulled by the outlier: mean 22, MR (3 + 2 + 97 + 98) / 4 = 50.
  const ChartResult plain = control_chart(std::vector<double>{4, 1, 3, 100, 2});
  EXPECT_DOUBLE_EQ(plain.center[0], 22.0);
  EXPECT_DOUBLE_EQ(plain.sigma[0], 50.0 / 1.128);
  EXPECT_EQ(plain.signals.size(), 0u);
  // A robust baseline need not have adjacent points: {0, 2, 4} -> median 3 of {1, 3, 5}.
  const std::vector<uint8_t> base{1, 0, 1, 0, 1};
  o.baseline = base;
  const ChartResult gappy = control_chart(std::vector<double>{1, 50, 3, 50, 5}, o);
  EXPECT_DOUBLE_EQ(gappy.center[0], 3.0);
  EXPECT_DOUBLE_EQ(gappy.sigma[0], 2 * 1.4826);
}

TEST(ControlChart, GivenCentreOrSigmaReplacesTheEstimate) {
  const std::vector<double> x{10, 12, 11, 13, 12};
  const double c[1] = {0.0}, s[1] = {4.0};
  ChartOptions o;
  o.center = c;
  ChartResult r = control_chart(x, o);
  EXPECT_EQ(r.center[0], 0.0);
  EXPECT_DOUBLE_EQ(r.sigma[0], 1.5 / 1.128);  // estimated from the points, not about the given centre
  o.sigma = s;
  r = control_chart(std::vector<double>{5}, o);  // both given: one point is enough
  EXPECT_EQ(r.sigma[0], 4.0);
  EXPECT_EQ(r.signals.size(), 0u);
  r = control_chart(std::vector<double>{13}, o);
  EXPECT_EQ(hits(r), (std::vector<Hit>{{0, ChartRule::nelson1}}));
}

TEST(ControlChart, FlatBaselineGivesNoSignalsAndSigmaZero) {
  const std::vector<double> x{5, 5, 5, 5, 9, 100};
  const std::vector<uint8_t> base{1, 1, 1, 1, 0, 0};
  for (ChartKind kind : {ChartKind::xmr, ChartKind::cusum, ChartKind::ewma}) {
    ChartOptions o;
    o.kind = kind;
    o.baseline = base;
    const ChartResult r = control_chart(x, o);
    EXPECT_EQ(r.center[0], 5.0);
    EXPECT_EQ(r.sigma[0], 0.0);
    EXPECT_EQ(r.signals.size(), 0u);
  }
}

// ---- Nelson rules: one series built to fire each rule, and one built not to ------------------

TEST(NelsonRules, Rule1OnePointBeyondThreeSigma) {
  EXPECT_EQ(fires({0, 3.5, -3.1, 0}, ChartRule::nelson1), (Idx{1, 2}));
  EXPECT_EQ(fires({3, -3, 2.9, 0}, ChartRule::nelson1), Idx{});  // exactly 3 is not beyond
}

TEST(NelsonRules, Rule2NineInARowOnOneSide) {
  // A run of 10 fires at the 9th and 10th points.
  EXPECT_EQ(fires(repeat(0.5, 10), ChartRule::nelson2), (Idx{8, 9}));
  EXPECT_EQ(fires(concat({{1}, repeat(-0.2, 9)}), ChartRule::nelson2), (Idx{9}));
  // A point exactly on the centre breaks the run; so does a change of side.
  EXPECT_EQ(fires(concat({repeat(0.5, 8), {0}, repeat(0.5, 8)}), ChartRule::nelson2), Idx{});
  EXPECT_EQ(fires(concat({repeat(0.5, 8), {-0.5}, repeat(0.5, 8)}), ChartRule::nelson2), Idx{});
}

TEST(NelsonRules, Rule3SixInARowIncreasingOrDecreasing) {
  EXPECT_EQ(fires({0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6}, ChartRule::nelson3), (Idx{5, 6}));
  EXPECT_EQ(fires({2, 1.5, 1, 0.5, 0, -0.5}, ChartRule::nelson3), (Idx{5}));
  // A flat step breaks a run; 5 points are not enough.
  EXPECT_EQ(fires({0, 0.1, 0.2, 0.2, 0.3, 0.4, 0.5}, ChartRule::nelson3), Idx{});
  EXPECT_EQ(fires({0, 0.1, 0.2, 0.3, 0.4, 0.3}, ChartRule::nelson3), Idx{});
}

TEST(NelsonRules, Rule4FourteenInARowAlternating) {
  EXPECT_EQ(fires(alternating(0.1, 14), ChartRule::nelson4), (Idx{13}));
  EXPECT_EQ(fires(alternating(0.1, 15), ChartRule::nelson4), (Idx{13, 14}));
  EXPECT_EQ(fires(alternating(0.1, 13), ChartRule::nelson4), Idx{});
  std::vector<double> flat = alternating(0.1, 16);
  flat[7] = flat[6];  // one flat step in the middle
  EXPECT_EQ(fires(flat, ChartRule::nelson4), Idx{});
  std::vector<double> twice = alternating(0.1, 16);
  twice[7] = 0.2;  // -0.1 -> 0.1 -> 0.2: two steps up in a row
  EXPECT_EQ(fires(twice, ChartRule::nelson4), Idx{});
}

TEST(NelsonRules, Rule5TwoOfThreeBeyondTwoSigmaSameSide) {
  EXPECT_EQ(fires({0, 2.5, 0, 2.1, 0, 0}, ChartRule::nelson5), (Idx{3}));
  EXPECT_EQ(fires({0, -2.5, -2.5, 0, 0}, ChartRule::nelson5), (Idx{2, 3}));
  EXPECT_EQ(fires({2.5, 2.5, 0}, ChartRule::nelson5), (Idx{2}));  // the window completes at index 2
  EXPECT_EQ(fires({2.5, 2.5}, ChartRule::nelson5), Idx{});        // no complete window of 3
  EXPECT_EQ(fires({0, 2.5, -2.5, 0, 2.5, 2.0}, ChartRule::nelson5), Idx{});  // opposite sides; 2.0 is not beyond
}

TEST(NelsonRules, Rule6FourOfFiveBeyondOneSigmaSameSide) {
  EXPECT_EQ(fires({1.5, 1.5, 0, 1.5, 1.5, 0}, ChartRule::nelson6), (Idx{4}));
  EXPECT_EQ(fires({-1.2, -1.2, -1.2, -1.2, -1.2, 0, 0}, ChartRule::nelson6), (Idx{4, 5}));
  EXPECT_EQ(fires({1.5, 1.5, 1.5, 1.5}, ChartRule::nelson6), Idx{});  // no complete window of 5
  EXPECT_EQ(fires({1.5, 1.5, 0, 1.0, 1.5, 0}, ChartRule::nelson6), Idx{});  // 1.0 is not beyond
  EXPECT_EQ(fires({1.5, 1.5, -1.5, 1.5, 0}, ChartRule::nelson6), Idx{});
}

TEST(NelsonRules, Rule7FifteenInARowWithinOneSigma) {
  EXPECT_EQ(fires(alternating(0.5, 15), ChartRule::nelson7), (Idx{14}));
  EXPECT_EQ(fires(repeat(0.0, 16), ChartRule::nelson7), (Idx{14, 15}));
  EXPECT_EQ(fires(concat({repeat(0.5, 14), {1.0}, repeat(0.5, 14)}), ChartRule::nelson7), Idx{});  // 1.0 is not within
}

TEST(NelsonRules, Rule8EightInARowBeyondOneSigmaBothSides) {
  EXPECT_EQ(fires(alternating(1.5, 8), ChartRule::nelson8), (Idx{7}));
  EXPECT_EQ(fires(concat({repeat(1.5, 7), {-1.2}, {2}}), ChartRule::nelson8), (Idx{7, 8}));
  EXPECT_EQ(fires(repeat(1.5, 9), ChartRule::nelson8), Idx{});  // one side only
  std::vector<double> touch = alternating(1.5, 8);
  touch[3] = -1.0;  // exactly 1 sigma is not beyond
  EXPECT_EQ(fires(touch, ChartRule::nelson8), Idx{});
}

// ---- Western Electric rules ---------------------------------------------------------------------

TEST(WesternElectricRules, Rule1To3MatchNelson1To5To6) {
  EXPECT_EQ(fires({0, 3.5, -3.1, 3}, ChartRule::we1), (Idx{1, 2}));
  EXPECT_EQ(fires({0, 3, -3}, ChartRule::we1), Idx{});
  EXPECT_EQ(fires({0, 2.5, 0, 2.1, 0}, ChartRule::we2), (Idx{3}));
  EXPECT_EQ(fires({0, 2.5, -2.5, 0}, ChartRule::we2), Idx{});
  EXPECT_EQ(fires({1.5, 1.5, 0, 1.5, 1.5}, ChartRule::we3), (Idx{4}));
  EXPECT_EQ(fires({1.5, 1.5, 0, 1.0, 1.5}, ChartRule::we3), Idx{});
}

TEST(WesternElectricRules, Rule4EightInARowOnOneSide) {
  EXPECT_EQ(fires(repeat(0.5, 8), ChartRule::we4), (Idx{7}));
  EXPECT_EQ(fires(repeat(-0.5, 10), ChartRule::we4), (Idx{7, 8, 9}));
  EXPECT_EQ(fires(concat({repeat(0.5, 7), {0}, repeat(0.5, 7)}), ChartRule::we4), Idx{});
}

TEST(ChartRulesTogether, OrderedByIndexThenRuleAndSetsSelectTheRightRules) {
  // One point at 4 sigma after one at 2.5: nelson1, nelson5, we1, we2 at index 2.
  const std::vector<double> z{0, 2.5, 4};
  const ChartResult r = on_z(z, nelson_rules | western_electric_rules);
  EXPECT_EQ(hits(r), (std::vector<Hit>{{2, ChartRule::nelson1},
                                       {2, ChartRule::nelson5},
                                       {2, ChartRule::we1},
                                       {2, ChartRule::we2}}));
  EXPECT_EQ(hits(on_z(z, western_electric_rules)), (std::vector<Hit>{{2, ChartRule::we1}, {2, ChartRule::we2}}));
  // The default for an X-mR chart is the 8 Nelson rules.
  ChartOptions o;
  o.center = kZero;
  o.sigma = kOne;
  EXPECT_EQ(hits(control_chart(z, o)), (std::vector<Hit>{{2, ChartRule::nelson1}, {2, ChartRule::nelson5}}));
  // A run of 10 above the centre with the full Nelson set: only nelson2, at the 9th and 10th.
  EXPECT_EQ(hits(on_z(repeat(0.5, 10), nelson_rules)),
            (std::vector<Hit>{{8, ChartRule::nelson2}, {9, ChartRule::nelson2}}));
}

TEST(ChartRulesTogether, NamesParseAndRoundTrip) {
  EXPECT_EQ(parse_rule_set("nelson"), nelson_rules);
  EXPECT_EQ(parse_rule_set("western_electric"), western_electric_rules);
  EXPECT_EQ(parse_rule_set("nelson1, we4").bits, 0x801u);
  EXPECT_EQ(rule_set_names(RuleSet{0x801u}), "nelson1,we4");
  for (int32_t r = 0; r < chart_rule_count; ++r)
    EXPECT_EQ(parse_chart_rule(chart_rule_name(static_cast<ChartRule>(r))), static_cast<ChartRule>(r));
  EXPECT_EQ(chart_rule_name(static_cast<ChartRule>(99)), "unknown");
  EXPECT_QF_ERROR(parse_rule_set("nelson9"), errc::invalid_argument, "\"nelson9\" is unknown");
  EXPECT_QF_ERROR(parse_rule_set("nelson1,,we1"), errc::invalid_argument, "empty rule name");
  EXPECT_QF_ERROR(parse_rule_set(""), errc::invalid_argument, "empty rule name");
  EXPECT_QF_ERROR(check_rule_set(0x8000u), errc::invalid_argument, "0x8000");
  EXPECT_EQ(parse_chart_kind("cusum"), ChartKind::cusum);
  EXPECT_QF_ERROR(parse_chart_kind("xbar"), errc::invalid_argument, "\"xbar\" is unknown");
}

// The rules straight from their definitions, window by window: the reference the engine's bit
// registers must match.
std::vector<Hit> reference_rules(const std::vector<double>& z) {
  std::vector<Hit> out;
  const auto n = static_cast<int64_t>(z.size());
  auto count = [&](int64_t i, int64_t w, auto pred) {
    int64_t k = 0;
    for (int64_t j = i - w + 1; j <= i; ++j) k += pred(z[static_cast<size_t>(j)]) ? 1 : 0;
    return k;
  };
  auto steps = [&](int64_t i, int64_t points, int sign) {  // every step in the window goes `sign`
    for (int64_t j = i - points + 2; j <= i; ++j) {
      const double d = z[static_cast<size_t>(j)] - z[static_cast<size_t>(j - 1)];
      if (!(sign > 0 ? d > 0 : d < 0)) return false;
    }
    return true;
  };
  auto alternates = [&](int64_t i) {
    for (int64_t j = i - 12; j <= i; ++j) {  // the 13 steps into points i-12..i
      const double d = z[static_cast<size_t>(j)] - z[static_cast<size_t>(j - 1)];
      if (d == 0) return false;
      if (j > i - 12 && (d > 0) == (z[static_cast<size_t>(j - 1)] - z[static_cast<size_t>(j - 2)] > 0)) return false;
    }
    return true;
  };
  for (int64_t i = 0; i < n; ++i) {
    const double zi = z[static_cast<size_t>(i)];
    const bool r1 = std::fabs(zi) > 3;
    const bool r2 = i >= 8 && (count(i, 9, [](double v) { return v > 0; }) == 9 || count(i, 9, [](double v) { return v < 0; }) == 9);
    const bool r3 = i >= 5 && (steps(i, 6, 1) || steps(i, 6, -1));
    const bool r4 = i >= 13 && alternates(i);
    const bool r5 = i >= 2 && (count(i, 3, [](double v) { return v > 2; }) >= 2 || count(i, 3, [](double v) { return v < -2; }) >= 2);
    const bool r6 = i >= 4 && (count(i, 5, [](double v) { return v > 1; }) >= 4 || count(i, 5, [](double v) { return v < -1; }) >= 4);
    const bool r7 = i >= 14 && count(i, 15, [](double v) { return std::fabs(v) < 1; }) == 15;
    const bool r8 = i >= 7 && count(i, 8, [](double v) { return std::fabs(v) > 1; }) == 8 &&
                    count(i, 8, [](double v) { return v > 1; }) > 0 && count(i, 8, [](double v) { return v < -1; }) > 0;
    const bool w4 = i >= 7 && (count(i, 8, [](double v) { return v > 0; }) == 8 || count(i, 8, [](double v) { return v < 0; }) == 8);
    const bool fired[12] = {r1, r2, r3, r4, r5, r6, r7, r8, r1, r5, r6, w4};
    for (int32_t r = 0; r < 12; ++r)
      if (fired[r]) out.push_back({i, static_cast<ChartRule>(r)});
  }
  return out;
}

TEST(ChartRulesTogether, EveryRuleMatchesItsDefinitionOnRandomSeries) {
  // z on a coarse grid (steps of 0.5, so exact boundaries, ties and flat steps all occur) and
  // biased random walks (long runs and trends), 7 series at a time through the bulk form so
  // every lane of the scan is exercised.
  std::mt19937_64 rng(2026);
  std::uniform_int_distribution<int> grid(-8, 8), flip(0, 3);
  size_t compared = 0, signals = 0;
  for (int round = 0; round < 60; ++round) {
    const size_t S = 7, P = 30 + static_cast<size_t>(round);
    std::vector<double> m(S * P);
    for (size_t s = 0; s < S; ++s) {
      double walk = 0;
      for (size_t i = 0; i < P; ++i) {
        if (s % 2 == 0) {
          m[s * P + i] = 0.5 * grid(rng);
        } else {
          walk += flip(rng) == 0 ? -0.5 : (s % 3 == 0 ? 0.25 : 0.5 * (flip(rng) - 1.5));
          m[s * P + i] = std::max(-4.0, std::min(4.0, walk));
        }
      }
    }
    const double zero[1] = {0.0}, one[1] = {1.0};
    ChartOptions o;
    o.rules = nelson_rules | western_electric_rules;
    o.center = zero;
    o.sigma = one;
    const ChartResult r = control_charts(m, S, P, o);
    size_t at = 0;
    for (size_t s = 0; s < S; ++s) {
      const std::vector<double> z(m.begin() + static_cast<std::ptrdiff_t>(s * P),
                                  m.begin() + static_cast<std::ptrdiff_t>((s + 1) * P));
      const std::vector<Hit> want = reference_rules(z);
      std::vector<Hit> got;
      for (; at < r.signals.size() && r.signals.series[at] == static_cast<int64_t>(s); ++at)
        got.push_back({r.signals.index[at], r.signals.rule[at]});
      ASSERT_EQ(got, want) << "round " << round << ", series " << s;
      ++compared;
      signals += want.size();
    }
  }
  EXPECT_EQ(compared, 420u);
  EXPECT_GT(signals, 2000u);
}

// ---- CUSUM and EWMA by hand ------------------------------------------------------------------

TEST(Cusum, TabularSumsByHandRestartAfterASignal) {
  // centre 10, sigma 1, k 0.5, h 2: K 0.5, H 2.
  //   x    10  11   12   12   9    8    7    7
  //   C+   0   0.5  2.0  3.5* 0    0    0    0
  //   C-   0   0    0    0*   0.5  2.0  4.5* 2.5*    (* signal; both sums restart after it)
  const std::vector<double> x{10, 11, 12, 12, 9, 8, 7, 7};
  const double c[1] = {10.0};
  ChartOptions o;
  o.kind = ChartKind::cusum;
  o.h = 2;
  o.center = c;
  o.sigma = kOne;
  const ChartResult r = control_chart(x, o);
  ASSERT_EQ(hits(r), (std::vector<Hit>{{3, ChartRule::cusum_up}, {6, ChartRule::cusum_down}, {7, ChartRule::cusum_down}}));
  EXPECT_EQ(r.signals.value, (std::vector<double>{3.5, -4.5, -2.5}));
  EXPECT_EQ(r.signals.center, (std::vector<double>{0, 0, 0}));
  EXPECT_EQ(r.signals.lower, (std::vector<double>{-2, -2, -2}));
  EXPECT_EQ(r.signals.upper, (std::vector<double>{2, 2, 2}));
  // One side only: the same upper signal at 3; the lower side alone still signals at 6 and 7
  // (C+ then reaches 3.5 at 3 without signalling and falls back to 0 by 5).
  o.rules = RuleSet::of(ChartRule::cusum_up);
  EXPECT_EQ(hits(control_chart(x, o)), (std::vector<Hit>{{3, ChartRule::cusum_up}}));
  o.rules = RuleSet::of(ChartRule::cusum_down);
  EXPECT_EQ(hits(control_chart(x, o)), (std::vector<Hit>{{6, ChartRule::cusum_down}, {7, ChartRule::cusum_down}}));
  // Sigma scales K and H: sigma 2 -> K 1, H 4: C+ 0, 0, 1, 2, 0...; C- 0, 0, 0, 0, 0, 1, 3, 5* -> index 7.
  const double two[1] = {2.0};
  o.rules = {};
  o.sigma = two;
  const ChartResult r2 = control_chart(x, o);
  EXPECT_EQ(hits(r2), (std::vector<Hit>{{7, ChartRule::cusum_down}}));
  EXPECT_EQ(r2.signals.value[0], -5.0);
  EXPECT_EQ(r2.signals.upper[0], 4.0);
}

TEST(Ewma, StatisticAndExactTimeVaryingLimitsByHand) {
  // lambda 0.5, L 1, centre 0, sigma 1: limits +/- sqrt(1/3 (1 - 0.25^(i+1))).
  //   i  x   E        half-width
  //   0  2   1.0      sqrt(0.25)        = 0.5       signal
  //   1  0   0.5      sqrt(0.3125)      = 0.559
  //   2  0   0.25     sqrt(0.328125)    = 0.573
  //   3  -3  -1.375   sqrt(0.33203125)  = 0.576     signal
  ChartOptions o;
  o.kind = ChartKind::ewma;
  o.lambda = 0.5;
  o.L = 1;
  o.center = kZero;
  o.sigma = kOne;
  const ChartResult r = control_chart(std::vector<double>{2, 0, 0, -3}, o);
  ASSERT_EQ(hits(r), (std::vector<Hit>{{0, ChartRule::ewma}, {3, ChartRule::ewma}}));
  EXPECT_DOUBLE_EQ(r.signals.value[0], 1.0);
  EXPECT_DOUBLE_EQ(r.signals.upper[0], 0.5);
  EXPECT_DOUBLE_EQ(r.signals.lower[0], -0.5);
  EXPECT_DOUBLE_EQ(r.signals.value[1], -1.375);
  EXPECT_DOUBLE_EQ(r.signals.upper[1], std::sqrt(0.33203125));
  EXPECT_EQ(r.signals.center[1], 0.0);
}

TEST(Ewma, LambdaOneIsTheShewhartChart) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0.0, 1.3);
  std::vector<double> x(5000);
  for (double& v : x) v = normal(rng);
  ChartOptions e;
  e.kind = ChartKind::ewma;
  e.lambda = 1;
  e.L = 3;
  ChartOptions s;
  s.rules = RuleSet::of(ChartRule::nelson1);
  const ChartResult re = control_chart(x, e), rs = control_chart(x, s);
  EXPECT_GT(rs.signals.size(), 0u);
  EXPECT_EQ(re.signals.index, rs.signals.index);
  EXPECT_EQ(re.signals.value, rs.signals.value);
}

// ---- in-control average run lengths, by seeded simulation -------------------------------------

std::vector<double> standard_normals(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> normal;
  std::vector<double> x(n);
  for (double& v : x) v = normal(rng);
  return x;
}

// Points per signal on n in-control points with known centre 0 and sigma 1: the ARL when every
// signal restarts the chart (a single-point rule, or a CUSUM whose sums restart).
double points_per_signal(ChartOptions o, size_t n, uint64_t seed) {
  const std::vector<double> x = standard_normals(n, seed);
  o.center = kZero;
  o.sigma = kOne;
  const double arl = static_cast<double>(n) / static_cast<double>(control_chart(x, o).signals.size());
  ::testing::Test::RecordProperty("arl", std::to_string(arl));
  return arl;
}

TEST(AverageRunLength, ShewhartRule1IsAbout370) {
  // P(|z| > 3) = 0.0027, ARL 370.4. 2M points give ~5,400 signals (relative standard error ~1.4%).
  EXPECT_NEAR(points_per_signal({.rules = RuleSet::of(ChartRule::nelson1)}, 2'000'000, 20261127), 370.4, 0.05 * 370.4);
}

TEST(AverageRunLength, CusumHalfSigmaFiveSigmaIsAbout465) {
  // Both sums restart after a signal, so the mean gap between signals is the ARL (Montgomery
  // Table 9.3: 465 for k = 0.5, h = 5). 3M points give ~6,400 signals.
  EXPECT_NEAR(points_per_signal({.kind = ChartKind::cusum}, 3'000'000, 465), 465.0, 0.05 * 465.0);
}

TEST(AverageRunLength, WesternElectricRulesTogetherAreAbout92) {
  // Run rules signal in clusters, so the ARL is the mean index of the first signal (+1) over
  // independent series: Champ and Woodall (1987) give 91.75 for rules 1-4 together.
  const size_t series = 4000, points = 1200;
  const std::vector<double> x = standard_normals(series * points, 1987);
  ChartOptions o;
  o.rules = western_electric_rules;
  o.center = kZero;
  o.sigma = kOne;
  const ChartResult r = control_charts(x, series, points, o);
  std::vector<int64_t> first(series, -1);
  for (size_t i = r.signals.size(); i-- > 0;) first[static_cast<size_t>(r.signals.series[i])] = r.signals.index[i];
  double total = 0;
  for (int64_t f : first) {
    ASSERT_GE(f, 0) << "a series of 1200 in-control points without a signal";
    total += static_cast<double>(f + 1);
  }
  RecordProperty("arl", std::to_string(total / static_cast<double>(series)));
  EXPECT_NEAR(total / static_cast<double>(series), 91.75, 0.06 * 91.75);
}

// ---- bulk ------------------------------------------------------------------------------------

void expect_same_signals(const ChartSignals& bulk, size_t from, const ChartSignals& one, int64_t series) {
  for (size_t i = 0; i < one.size(); ++i) {
    const size_t j = from + i;
    ASSERT_LT(j, bulk.size());
    EXPECT_EQ(bulk.series[j], series);
    EXPECT_EQ(bulk.index[j], one.index[i]);
    EXPECT_EQ(bulk.rule[j], one.rule[i]);
    EXPECT_EQ(bulk.value[j], one.value[i]);
    EXPECT_EQ(bulk.center[j], one.center[i]);
    EXPECT_EQ(bulk.lower[j], one.lower[i]);
    EXPECT_EQ(bulk.upper[j], one.upper[i]);
  }
}

TEST(ControlCharts, BulkEqualsOneByOne) {
  // 300 series x 40 points: noise, shifts, trends, a few flat rows; every chart, plain and robust,
  // with and without a baseline, per-series given centres.
  const size_t S = 300, P = 40;
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal;
  std::uniform_int_distribution<int> kind_of(0, 4);
  std::vector<double> m(S * P);
  for (size_t s = 0; s < S; ++s) {
    const int kind = kind_of(rng);
    for (size_t i = 0; i < P; ++i) {
      double v = 100 + 5 * normal(rng);
      if (kind == 1 && i >= 25) v += 12;                       // a shift
      if (kind == 2) v += 0.8 * static_cast<double>(i);        // a trend
      if (kind == 3) v = 7;                                    // flat: sigma 0, no signals
      if (kind == 4 && i % 2 == 0) v += 6;                     // alternation
      m[s * P + i] = v;
    }
  }
  std::vector<uint8_t> base(P, 0);
  for (size_t i = 0; i < 20; ++i) base[i] = 1;
  std::vector<double> centres(S);
  for (size_t s = 0; s < S; ++s) centres[s] = 95 + static_cast<double>(s % 11);
  size_t total_signals = 0;
  for (ChartKind kind : {ChartKind::xmr, ChartKind::cusum, ChartKind::ewma})
    for (bool robust : {false, true})
      for (int variant = 0; variant < 3; ++variant) {
        ChartOptions o;
        o.kind = kind;
        o.robust = robust;
        if (kind == ChartKind::xmr) o.rules = nelson_rules | western_electric_rules;
        if (variant >= 1) o.baseline = base;
        if (variant == 2) o.center = centres;
        const ChartResult bulk = control_charts(m, S, P, o);
        size_t at = 0;
        for (size_t s = 0; s < S; ++s) {
          ChartOptions one = o;
          if (variant == 2) one.center = gsl::span<const double>(centres).subspan(s, 1);
          const ChartResult r = control_chart(gsl::span<const double>(m).subspan(s * P, P), one);
          EXPECT_EQ(bulk.center[s], r.center[0]);
          EXPECT_EQ(bulk.sigma[s], r.sigma[0]);
          expect_same_signals(bulk.signals, at, r.signals, static_cast<int64_t>(s));
          at += r.signals.size();
        }
        EXPECT_EQ(at, bulk.signals.size());
        total_signals += at;
      }
  EXPECT_GT(total_signals, 1000u);  // the comparison saw plenty of signals
}

TEST(ControlCharts, EmptyMatrixAndShapes) {
  const ChartResult r = control_charts({}, 0, 52);
  EXPECT_EQ(r.signals.size(), 0u);
  EXPECT_TRUE(r.center.empty());
  const std::vector<double> m(10, 1.0);
  EXPECT_QF_ERROR(control_charts(m, 3, 4), errc::invalid_argument, "values has 10 entries", "3 x 4");
  EXPECT_QF_ERROR(control_charts(m, 10, 0), errc::invalid_argument, "n_points is 0");
  EXPECT_QF_ERROR(control_charts(m, SIZE_MAX / 2, 4), errc::overflow, "overflows");
  const double c2[2] = {0, 1};
  ChartOptions o;
  o.center = c2;
  EXPECT_QF_ERROR(control_charts(m, 5, 2, o), errc::invalid_argument, "center has 2 entries", "(5)");
}

// ---- bad input -------------------------------------------------------------------------------

TEST(ControlChart, BadInputNamesArgumentAndValue) {
  const std::vector<double> ok{1, 2, 3, 4};
  EXPECT_QF_ERROR(control_chart(std::vector<double>{}), errc::invalid_argument, "values is empty");
  EXPECT_QF_ERROR(control_chart(std::vector<double>{1, 2, NAN, 4}), errc::invalid_argument, "values[2] is NaN");
  EXPECT_QF_ERROR(control_chart(std::vector<double>{1, INFINITY}), errc::invalid_argument, "values[1] is inf");
  const std::vector<double> m{1, 2, 3, 4, 5, -INFINITY};
  EXPECT_QF_ERROR(control_charts(m, 2, 3), errc::invalid_argument, "values[1, 2] is -inf");
  EXPECT_QF_ERROR(control_chart(std::vector<double>{1}), errc::invalid_argument, "baseline has 1 point", "at least 2");

  ChartOptions o;
  const std::vector<uint8_t> one{0, 1, 0, 0}, gappy{1, 0, 1, 0}, short_mask{1, 1};
  o.baseline = one;
  EXPECT_QF_ERROR(control_chart(ok, o), errc::invalid_argument, "baseline has 1 point");
  o.baseline = gappy;
  EXPECT_QF_ERROR(control_chart(ok, o), errc::invalid_argument, "no two adjacent points");
  o.baseline = short_mask;
  EXPECT_QF_ERROR(control_chart(ok, o), errc::invalid_argument, "baseline has 2 entries", "(4)");

  auto with = [](auto set) {
    ChartOptions x;
    set(x);
    return x;
  };
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.k = -0.5; })), errc::invalid_argument, "k is -0.5");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.k = NAN; })), errc::invalid_argument, "k is nan");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.h = 0; })), errc::invalid_argument, "h is 0");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.lambda = 0; })), errc::invalid_argument, "lambda is 0");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.lambda = 1.5; })), errc::invalid_argument,
                  "lambda is 1.5");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.L = -3; })), errc::invalid_argument, "L is -3");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.L = INFINITY; })), errc::invalid_argument, "L is inf");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.kind = static_cast<ChartKind>(7); })),
                  errc::invalid_argument, "chart is 7");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.rules = RuleSet{0x10000u}; })),
                  errc::invalid_argument, "0x10000");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) { x.rules = ewma_rules | nelson_rules; })),
                  errc::invalid_argument, "rules select ewma", "xmr charts take only nelson1");
  EXPECT_QF_ERROR(control_chart(ok, with([](ChartOptions& x) {
                    x.kind = ChartKind::cusum;
                    x.rules = nelson_rules;
                  })),
                  errc::invalid_argument, "rules select nelson1,nelson2", "cusum charts take only cusum_up,cusum_down");
  const double zero[1] = {0.0}, nan[1] = {NAN}, two[2] = {1, 1};
  EXPECT_QF_ERROR(control_chart(ok, with([&](ChartOptions& x) { x.sigma = zero; })), errc::invalid_argument,
                  "sigma[0] is 0");
  EXPECT_QF_ERROR(control_chart(ok, with([&](ChartOptions& x) { x.center = nan; })), errc::invalid_argument,
                  "center[0] is nan");
  EXPECT_QF_ERROR(control_chart(ok, with([&](ChartOptions& x) { x.center = two; })), errc::invalid_argument,
                  "one given centre");
  const std::vector<double> huge{1.7e308, 1.7e308, -1.7e308};
  EXPECT_QF_ERROR(control_chart(huge), errc::overflow, "overflows a double");
}

}  // namespace
