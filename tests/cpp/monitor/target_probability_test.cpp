// monitor::target_probability: hand-worked distributions, the DP against brute-force enumeration
// and against a seeded Monte Carlo, the discretisation error bound, per-node alerts, bad input.
#include <cmath>
#include <random>
#include <vector>

#include "quotaflow/monitor/target_probability.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

TEST(TargetProbability, HandWorked) {
  // Outcomes 0, 100, 200, 300 with probability 1/4 each.
  std::vector<int64_t> a{100, 200};
  std::vector<double> p{0.5, 0.5};
  auto r = target_probability(a, p, 200);
  EXPECT_DOUBLE_EQ(r.probability, 0.5);
  EXPECT_DOUBLE_EQ(r.expected, 150);
  EXPECT_EQ(r.quantiles, (std::vector<int64_t>{0, 100, 300}));  // levels 0.1, 0.5, 0.9
  EXPECT_EQ(r.pmf.size(), 301u);
  EXPECT_DOUBLE_EQ(r.pmf[100], 0.25);
  EXPECT_EQ(r.max_error, 1.0);  // 2 deals x unit 1 / 2
  EXPECT_DOUBLE_EQ(target_probability(a, p, 201).probability, 0.25);
  EXPECT_DOUBLE_EQ(target_probability(a, p, 0).probability, 1.0);
  EXPECT_DOUBLE_EQ(target_probability(a, p, 301).probability, 0.0);
  // Unit 100: the same distribution on 4 cells; a target of 150 needs ceil(1.5) = 2 units.
  TargetProbabilityOptions o;
  o.unit = 100;
  auto u = target_probability(a, p, 150, o);
  EXPECT_EQ(u.pmf.size(), 4u);
  EXPECT_DOUBLE_EQ(u.probability, 0.5);
  EXPECT_EQ(u.quantiles, (std::vector<int64_t>{0, 100, 300}));
  EXPECT_EQ(u.max_error, 100.0);
  // Three deals 0.8 x 50, 0.5 x 30, 0.1 x 20: P(won >= 70) = P(50 and (30 or 20)) = 0.8 x (1 - 0.5 x 0.9) = 0.44.
  std::vector<int64_t> a3{50, 30, 20};
  std::vector<double> p3{0.8, 0.5, 0.1};
  EXPECT_NEAR(target_probability(a3, p3, 70).probability, 0.44, 1e-15);
  EXPECT_NEAR(target_probability(a3, p3, 70).expected, 40 + 15 + 2, 1e-12);
  // No deals: nothing can be won.
  auto none = target_probability({}, {}, 10);
  EXPECT_EQ(none.probability, 0.0);
  EXPECT_EQ(none.quantiles, (std::vector<int64_t>{0, 0, 0}));
}

TEST(TargetProbability, MatchesBruteForceEnumeration) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 200; ++trial) {
    const size_t n = 1 + rng() % 12;
    std::vector<int64_t> a(n);
    std::vector<double> p(n);
    for (size_t i = 0; i < n; ++i) {
      a[i] = static_cast<int64_t>(rng() % 60);
      p[i] = static_cast<double>(rng() % 1001) / 1000.0;
    }
    int64_t total = 0;
    for (auto x : a) total += x;
    const int64_t target = total == 0 ? 0 : static_cast<int64_t>(rng() % static_cast<uint64_t>(total + 1));
    auto r = target_probability(a, p, target);
    std::vector<double> pmf(static_cast<size_t>(total) + 1, 0.0);
    for (uint32_t mask = 0; mask < (1u << n); ++mask) {
      double pr = 1;
      int64_t w = 0;
      for (size_t i = 0; i < n; ++i) {
        const bool won = mask >> i & 1u;
        pr *= won ? p[i] : 1 - p[i];
        w += won ? a[i] : 0;
      }
      pmf[static_cast<size_t>(w)] += pr;
    }
    double tail = 0;
    for (int64_t s = target; s <= total; ++s) tail += pmf[static_cast<size_t>(s)];
    ASSERT_NEAR(r.probability, tail, 1e-12) << trial;
    for (size_t s = 0; s < pmf.size(); ++s) ASSERT_NEAR(r.pmf[s], pmf[s], 1e-12) << trial << " " << s;
  }
}

TEST(TargetProbability, MatchesMonteCarloAndErrorBound) {
  std::mt19937_64 rng(20261128);
  const size_t n = 40;
  std::vector<int64_t> a(n);
  std::vector<double> p(n);
  for (size_t i = 0; i < n; ++i) {
    a[i] = 1'000 + static_cast<int64_t>(rng() % 99'000);  // 10.00 .. 1,000.00
    p[i] = 0.05 + 0.9 * static_cast<double>(rng() % 1000) / 1000.0;
  }
  const int64_t target = 800'000;
  TargetProbabilityOptions o;
  o.unit = 100;
  auto r = target_probability(a, p, target, o);
  // Monte Carlo, 200,000 seeded draws: standard error <= 0.5 / sqrt(2e5) = 0.0011; tolerance 0.006
  // covers 5 standard errors plus the discretisation (n x unit / 2 = 2000 minor units).
  const int draws = 200'000;
  std::uniform_real_distribution<double> u(0, 1);
  int hits = 0;
  for (int k = 0; k < draws; ++k) {
    int64_t w = 0;
    for (size_t i = 0; i < n; ++i) w += u(rng) < p[i] ? a[i] : 0;
    hits += w >= target;
  }
  EXPECT_NEAR(r.probability, static_cast<double>(hits) / draws, 0.006);
  // The bound: with true W and discretised W', |W - W'| <= n x unit / 2, so
  // P(W >= T + e) <= P(W' >= T) <= P(W >= T - e) with the exact (unit 1) distribution.
  const auto e = static_cast<int64_t>(r.max_error);
  EXPECT_EQ(e, 2000);
  auto exact_hi = target_probability(a, p, target + e);
  auto exact_lo = target_probability(a, p, target - e);
  EXPECT_LE(exact_hi.probability, r.probability + 1e-12);
  EXPECT_GE(exact_lo.probability, r.probability - 1e-12);
  // Quantiles are monotone and the median brackets half the mass.
  EXPECT_LE(r.quantiles[0], r.quantiles[1]);
  EXPECT_LE(r.quantiles[1], r.quantiles[2]);
  double below = 0;
  for (size_t s = 0; s * 100 <= static_cast<size_t>(r.quantiles[1]); ++s) below += r.pmf[s];
  EXPECT_GE(below, 0.5 - 1e-12);
  EXPECT_LT(below - r.pmf[static_cast<size_t>(r.quantiles[1] / 100)], 0.5);
}

TEST(TargetProbability, PerNodeAlerts) {
  std::vector<int32_t> owner{0, 1, 0, 1, 2};
  std::vector<int64_t> amount{100, 500, 200, 500, 50};
  std::vector<double> p{0.5, 0.9, 0.5, 0.9, 1.0};
  std::vector<int64_t> remaining{200, 600, 0};
  std::vector<std::string> names{"East", "West", "North"};
  TargetAlertOptions ao;
  ao.node_names = names;
  ao.period = 3;
  auto r = target_probabilities(owner, amount, p, remaining, {}, ao);
  ASSERT_EQ(r.nodes.size(), 3u);
  EXPECT_DOUBLE_EQ(r.nodes[0].probability, 0.5);   // as HandWorked
  EXPECT_DOUBLE_EQ(r.nodes[1].probability, 0.81);  // both 500s needed
  EXPECT_DOUBLE_EQ(r.nodes[2].probability, 1.0);   // made
  EXPECT_TRUE(r.alerts.empty());                   // 0.5 is not below the minimum 0.5
  ao.min_probability = 0.9;
  r = target_probabilities(owner, amount, p, remaining, {}, ao);
  ASSERT_EQ(r.alerts.size(), 2u);
  EXPECT_EQ(r.alerts[0].entity, 0);
  EXPECT_EQ(r.alerts[0].severity, Severity::warning);  // 0.5 >= 0.45
  EXPECT_EQ(r.alerts[0].period, 3);
  EXPECT_EQ(r.alerts[0].message,
            "East: 50.0% chance of winning the remaining target 200 from 2 open deals (median outcome 100), minimum 90.0%");
  EXPECT_EQ(r.alerts[1].message,
            "West: 81.0% chance of winning the remaining target 600 from 2 open deals (median outcome 1K), minimum 90.0%");
}

TEST(TargetProbability, BadInput) {
  std::vector<int64_t> a{100, 200};
  std::vector<double> nanp{0.5, std::nan("")}, big{0.5, 1.5}, p{0.5, 0.5};
  EXPECT_QF_ERROR(target_probability(a, nanp, 10), errc::invalid_argument, "probability[1] is NaN");
  EXPECT_QF_ERROR(target_probability(a, big, 10), errc::invalid_argument, "probability[1] is 1.5; a probability must be in [0, 1]");
  std::vector<int64_t> neg{100, -1};
  EXPECT_QF_ERROR(target_probability(neg, p, 10), errc::invalid_argument, "amount[1] is -1; a deal amount cannot be negative");
  EXPECT_QF_ERROR(target_probability(gsl::span<const int64_t>(a).first(1), p, 10), errc::invalid_argument,
                  "length mismatch: amount has 1 elements, probability has 2");
  TargetProbabilityOptions o;
  o.unit = 0;
  EXPECT_QF_ERROR(target_probability(a, p, 10, o), errc::invalid_argument, "unit is 0; it must be > 0 minor units");
  o.unit = 1;
  o.max_cells = 100;
  EXPECT_QF_ERROR(target_probability(a, p, 10, o), errc::invalid_argument,
                  "the deals total 300 units of 1 minor units, more than max_cells (100); use a larger unit");
  o.max_cells = 1000;
  o.quantile_levels = {0.5, 2.0};
  EXPECT_QF_ERROR(target_probability(a, p, 10, o), errc::invalid_argument, "quantile_levels[1] is 2");
  std::vector<int32_t> owner{0, 5};
  std::vector<int64_t> rem{10, 10};
  EXPECT_QF_ERROR(target_probabilities(owner, a, p, rem), errc::not_found, "owner[1] is 5; expected a node id in 0..1");
}
