// monitor::activity_compliance: hand-worked shortfalls, thresholds, a seeded property, bad input.
#include <cmath>
#include <random>
#include <vector>

#include "quotaflow/monitor/activity.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

TEST(Activity, HandWorked) {
  // 2 sellers x 3 periods.
  std::vector<int64_t> planned{10, 10, 0, 8, 4, 5}, done{6, 12, 3, 3, 4, 5};
  std::vector<std::string> sellers{"Li", "Wang"}, periods{"2026-04", "2026-05", "2026-06"};
  ActivityOptions o;
  o.what = "visits";
  o.seller_names = sellers;
  o.period_names = periods;
  auto r = activity_compliance(planned, done, 3, o);
  EXPECT_DOUBLE_EQ(r.compliance[0], 0.6);
  EXPECT_DOUBLE_EQ(r.compliance[1], 1.2);
  EXPECT_TRUE(std::isnan(r.compliance[2]));
  EXPECT_EQ(r.shortfall, (std::vector<int64_t>{4, 0, 0, 5, 0, 0}));
  ASSERT_EQ(r.alerts.size(), 2u);
  EXPECT_EQ(r.alerts[0].message, "Seller Li: 6 of 10 planned visits done in period 2026-04, 4 short (60.0%)");
  EXPECT_EQ(r.alerts[0].severity, Severity::warning);
  EXPECT_EQ(r.alerts[0].entity, 0);
  EXPECT_EQ(r.alerts[0].period, 0);
  EXPECT_EQ(r.alerts[0].observed, 6);
  EXPECT_EQ(r.alerts[0].expected, 10);
  EXPECT_EQ(r.alerts[1].message, "Seller Wang: 3 of 8 planned visits done in period 2026-04, 5 short (37.5%)");
  EXPECT_EQ(r.alerts[1].severity, Severity::critical);
  EXPECT_EQ(r.alerts[1].rule, Rule::activity_shortfall);
  EXPECT_EQ(r.alerts[1].entity_kind, EntityKind::seller);
  // A tolerance: 60% and above is compliant.
  ActivityOptions t;
  t.min_compliance = 0.6;
  auto r2 = activity_compliance(planned, done, 3, t);
  ASSERT_EQ(r2.alerts.size(), 1u);
  EXPECT_EQ(r2.alerts[0].message, "Seller #1: 3 of 8 planned activities done in period 0, 5 short (37.5%)");
}

TEST(Activity, RandomAlertsAreExactlyTheShortfalls) {
  std::mt19937_64 rng(11);
  const size_t sellers = 50, periods = 12;
  std::vector<int64_t> planned(sellers * periods), done(sellers * periods);
  for (size_t c = 0; c < planned.size(); ++c) {
    planned[c] = static_cast<int64_t>(rng() % 20);
    done[c] = static_cast<int64_t>(rng() % 25);
  }
  auto r = activity_compliance(planned, done, periods);
  size_t expected = 0;
  for (size_t c = 0; c < planned.size(); ++c) {
    expected += done[c] < planned[c];
    EXPECT_EQ(r.shortfall[c], std::max<int64_t>(planned[c] - done[c], 0));
  }
  EXPECT_EQ(r.alerts.size(), expected);
  for (const auto& a : r.alerts) {
    const size_t c = static_cast<size_t>(a.entity) * periods + static_cast<size_t>(a.period);
    EXPECT_EQ(a.observed, static_cast<double>(done[c]));
    EXPECT_EQ(a.expected, static_cast<double>(planned[c]));
  }
}

TEST(Activity, BadInput) {
  std::vector<int64_t> planned{1, 2, 3, 4}, done{1, 2, 3, -4};
  EXPECT_QF_ERROR(activity_compliance(planned, done, 2), errc::invalid_argument, "done[3] is -4; a done count cannot be negative");
  std::vector<int64_t> ok{1, 2, 3, 4};
  EXPECT_QF_ERROR(activity_compliance(planned, ok, 3), errc::invalid_argument,
                  "planned has 4 values, not a multiple of n_periods (3)");
  EXPECT_QF_ERROR(activity_compliance(planned, ok, 0), errc::invalid_argument, "n_periods is 0");
  EXPECT_QF_ERROR(activity_compliance(planned, gsl::span<const int64_t>(ok).first(3), 2), errc::invalid_argument,
                  "length mismatch: planned has 4 elements, done has 3");
  ActivityOptions o;
  o.min_compliance = std::nan("");
  EXPECT_QF_ERROR(activity_compliance(planned, ok, 2, o), errc::invalid_argument, "min_compliance is nan; it must be finite and >= 0");
}
