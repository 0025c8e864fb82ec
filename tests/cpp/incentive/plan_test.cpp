// Incentive plans: compilation of rate tables and the JSON schema (values, round trip, errors).
#include <gtest/gtest.h>

#include "quotaflow/incentive/plan_json.hpp"
#include "incentive/plan_fixtures.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::incentive;
using qf_test::commission;

namespace {
PlanSpec one(ComponentSpec c) {
  PlanSpec s;
  s.name = "AE";
  s.components.push_back(std::move(c));
  return s;
}
}  // namespace

TEST(IncentivePlan, RatesAreNanoAndMultipliersSplitTheTable) {
  ComponentSpec c = commission({{0.0, 0.04}, {2.0, 0.1}});
  c.accelerator = Multiplier{1.0, 1.5};
  c.decelerator = Multiplier{0.5, 0.5};
  Plan p(one(c));
  const auto& t = p.component(0).tiers;
  ASSERT_EQ(t.size(), 4u);
  // [0, 0.5): 4% x 0.5 = 2%; [0.5, 1): 4%; [1, 2): 4% x 1.5 = 6%; [2, inf): 10% x 1.5 = 15%
  EXPECT_EQ(t[0].from_nano, 0);
  EXPECT_EQ(t[0].rate_nano, 20'000'000);
  EXPECT_EQ(t[1].from_nano, 500'000'000);
  EXPECT_EQ(t[1].rate_nano, 40'000'000);
  EXPECT_EQ(t[2].from_nano, 1'000'000'000);
  EXPECT_EQ(t[2].rate_nano, 60'000'000);
  EXPECT_EQ(t[3].rate_nano, 150'000'000);
  EXPECT_EQ(t[2].tier, 0);
  EXPECT_EQ(t[3].tier, 1);
}

TEST(IncentivePlan, BadPlansNameTheField) {
  EXPECT_QF_ERROR(Plan(one(commission({{0.0, 0.02}, {1.0, -0.5}}))), errc::invalid_argument,
                  "components[0].tiers[1].rate is -0.5; it must be in [0, 1000]");
  EXPECT_QF_ERROR(Plan(one(commission({{0.0, 0.02}, {1.0, 0.03}, {0.8, 0.05}}))), errc::invalid_argument,
                  "components[0].tiers[2].from is 0.8 but tiers[1] starts at 1", "tiers overlap");
  EXPECT_QF_ERROR(Plan(one(commission({{0.5, 0.02}}))), errc::invalid_argument, "components[0].tiers[0].from is 0.5; the first tier must start at 0");
  EXPECT_QF_ERROR(Plan(one(commission({{0.0, std::nan("")}}))), errc::invalid_argument, "components[0].tiers[0].rate is NaN");
  EXPECT_QF_ERROR(Plan(one(commission({}))), errc::invalid_argument, "components[0].tiers is empty");
  PlanSpec s = one(commission({{0.0, 0.02}}));
  s.cap = -1;
  EXPECT_QF_ERROR(Plan(s), errc::invalid_argument, "cap is -1; it must be >= 0");
  s.cap.reset();
  s.components.push_back(s.components[0]);
  EXPECT_QF_ERROR(Plan(s), errc::invalid_argument, "components[1].name \"sales\" is also the name of components[0]");
}

namespace {
const char* kPlan = R"({
  "schema": "quotaflow.incentive_plan/1",
  "name": "AE 2026",
  "effective_from": "2026-01-01",
  "cap": 5000000,
  "draw": {"amount": 300000, "recoverable": true},
  "components": [
    {"name": "new business", "type": "commission", "method": "retroactive",
     "tiers": [{"from": 0, "rate": 0.03}, {"from": 1, "rate": 0.05}],
     "accelerator": {"above": 1.5, "factor": 1.2}, "cap": 2000000},
    {"name": "csat", "type": "bonus", "kpi": "csat", "steps": [{"score": 80, "amount": 50000}, {"score": 90, "amount": 80000}]}
  ]
})";
}

TEST(IncentivePlanJson, ReadsTheSchema) {
  Plan p = plan_from_json(kPlan, "plan.json");
  const PlanSpec& s = p.spec();
  EXPECT_EQ(s.name, "AE 2026");
  EXPECT_EQ(s.effective_from, date_from_string("2026-01-01"));
  EXPECT_EQ(*s.cap, 5000000);
  EXPECT_EQ(s.draw.amount, 300000);
  EXPECT_TRUE(s.draw.recoverable);
  ASSERT_EQ(s.components.size(), 2u);
  EXPECT_EQ(s.components[0].method, TierMethod::retroactive);
  EXPECT_EQ(p.component(0).tiers.size(), 3u);
  EXPECT_EQ(p.component(0).tiers[2].rate_nano, 60'000'000);
  EXPECT_EQ(s.components[1].kind, ComponentKind::bonus);
  EXPECT_EQ(s.components[1].steps[1].amount, 80000);
}

TEST(IncentivePlanJson, RoundTripIsByteIdentical) {
  Plan p = plan_from_json(kPlan);
  const std::string a = plan_to_json(p);
  const std::string b = plan_to_json(plan_from_json(a));
  EXPECT_EQ(a, b);
  EXPECT_NE(a.find("\"method\": \"retroactive\""), std::string::npos);
}

TEST(IncentivePlanJson, ErrorsCarryThePath) {
  std::string bad = kPlan;
  bad.replace(bad.find("\"rate\": 0.05"), 12, "\"rate\": \"5%\"");
  EXPECT_QF_ERROR(plan_from_json(bad, "plan.json"), errc::parse_error,
                  "plan.json: $.components[0].tiers[1].rate (line 9, column 63)", "expected a number, got a string");
  bad = kPlan;
  bad.replace(bad.find("\"rate\": 0.05"), 12, "\"rate\": -0.05");
  EXPECT_QF_ERROR(plan_from_json(bad), errc::invalid_argument, "$.components[0].tiers[1].rate is -0.05");
  bad = kPlan;
  bad.replace(bad.find("\"from\": 1,"), 10, "\"from\": 0,");
  EXPECT_QF_ERROR(plan_from_json(bad), errc::invalid_argument, "$.components[0].tiers[1].from is 0 but tiers[0] starts at 0", "overlap");
  bad = kPlan;
  bad.replace(bad.find("\"kpi\""), 5, "\"kip\"");
  EXPECT_QF_ERROR(plan_from_json(bad), errc::parse_error, "$.components[1].kip", "unknown key");
  bad = kPlan;
  bad.replace(bad.find("\"amount\": 300000"), 16, "\"amount\": 300000.5");
  EXPECT_QF_ERROR(plan_from_json(bad), errc::parse_error, "$.draw.amount", "expected an integer amount");
  EXPECT_QF_ERROR(plan_from_json("{\"name\": \"x\", \"components\": []}"), errc::invalid_argument, "$.components is empty");
  EXPECT_QF_ERROR(plan_from_json("{\"name\": \"x\", \"components\": [1,]}"), errc::parse_error, "line 1");
}
