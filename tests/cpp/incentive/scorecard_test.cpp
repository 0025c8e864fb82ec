// KPI scorecards: curves, weights, gates and reasons worked out by hand; properties on seeded
// random cards (monotone in every KPI, deterministic, total = sum of weighted points); bad input
// in C++ and JSON with paths.
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "quotaflow/incentive/scorecard.hpp"
#include "quotaflow/incentive/scorecard_json.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::incentive;

namespace {

constexpr double inf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Binary-exact breakpoints, so the hand-worked points are exact.
Curve attainment_curve() { return Curve::linear(0.75, 1.0, 150, 50); }
Curve margin_curve() { return Curve::piecewise({{0.25, 50}, {0.5, 100}, {0.75, 150}}); }
Curve outlets_curve() { return Curve::step({{1, 3, 50}, {3, 5, 80}, {5, inf, 100}}); }

ScorecardDef field_sales(Gate collection_gate = Gate{0.8, 0, {}}) {
  ScorecardDef d;
  d.name = "field sales";
  d.kpis.push_back({"", "attainment", 50, attainment_curve(), {}});
  d.kpis.push_back({"", "margin_rate", 30, margin_curve(), {}});
  d.kpis.push_back({"", "new_outlets", 20, outlets_curve(), {}});
  d.kpis.push_back({"", "collection_rate", 0, {}, collection_gate});
  return d;
}

struct Table {
  std::vector<double> att, mr, no, cr;
  std::vector<InputColumn> cols() const {
    return {{"attainment", att}, {"margin_rate", mr}, {"new_outlets", no}, {"collection_rate", cr}};
  }
};

Table three_rows() { return {{0.875, 0.875, 1.5}, {0.375, 0.375, 0.125}, {3, 3, 7}, {0.9, 0.72, 0.8}}; }

}  // namespace

TEST(Curve, LinearWithCap) {
  const Curve c = attainment_curve();
  EXPECT_EQ(c(0.5), 0);
  EXPECT_EQ(c(0.7499), 0);
  EXPECT_EQ(c(0.75), 50);
  EXPECT_EQ(c(0.875), 75);
  EXPECT_EQ(c(1.0), 100);
  bool capped = true;
  EXPECT_EQ(c(1.25, &capped), 150);
  EXPECT_FALSE(capped);
  EXPECT_EQ(c(1.5, &capped), 150);
  EXPECT_TRUE(capped);
  EXPECT_EQ(c.start(), 0.75);
  EXPECT_EQ(c.max_points(), 150);
  // Default cap 100, threshold points 0.
  const Curve d = Curve::linear(0.5, 1.0);
  EXPECT_EQ(d(0.75), 50);
  EXPECT_EQ(d(2), 100);
}

TEST(Curve, PiecewiseThresholdTargetStretch) {
  const Curve c = margin_curve();
  EXPECT_EQ(c(0.125), 0);
  EXPECT_EQ(c(0.25), 50);
  EXPECT_EQ(c(0.375), 75);
  EXPECT_EQ(c(0.5), 100);
  EXPECT_EQ(c(0.625), 125);
  bool capped = false;
  EXPECT_EQ(c(0.75, &capped), 150);
  EXPECT_FALSE(capped);
  EXPECT_EQ(c(1.0, &capped), 150);
  EXPECT_TRUE(capped);
  EXPECT_EQ(Curve::piecewise({{2, 10}})(5), 10);  // a single knot is a step at it
}

TEST(Curve, StepTable) {
  const Curve c = outlets_curve();
  const double want[] = {0, 50, 50, 80, 80, 100, 100, 100};
  for (int v = 0; v < 8; ++v) EXPECT_EQ(c(v), want[v]) << v;
  EXPECT_EQ(c(2.999), 50);
  // The top step holds above its own `to`.
  EXPECT_EQ(Curve::step({{1, 2, 10}, {2, 3, 20}})(9), 20);
}

TEST(Curve, BadCurves) {
  EXPECT_QF_ERROR(check_curve(Curve::linear(1.0, 0.8)), errc::invalid_argument,
                  "curve.threshold is 1, not below target 0.8");
  EXPECT_QF_ERROR(check_curve(Curve::linear(0.8, 1.0, 90)), errc::invalid_argument, "curve.cap is 90; the cap must be at least");
  EXPECT_QF_ERROR(check_curve(Curve::linear(kNaN, 1.0)), errc::invalid_argument, "curve.threshold is nan; it must be a finite number");
  EXPECT_QF_ERROR(check_curve(Curve::linear(0.5, 1.0, 100, 120)), errc::invalid_argument, "curve.threshold_points is 120");
  EXPECT_QF_ERROR(check_curve(Curve::piecewise({{0.8, 100}, {1.0, 90}})), errc::invalid_argument,
                  "curve.points[1].points is 90, below points[0].points (100); a scoring curve must not decrease");
  EXPECT_QF_ERROR(check_curve(Curve::piecewise({{1.0, 50}, {0.8, 100}})), errc::invalid_argument,
                  "curve.points[1].at is 0.8, not above points[0].at (1); the points must be sorted");
  EXPECT_QF_ERROR(check_curve(Curve::piecewise({{0.8, 50}, {0.8, 100}})), errc::invalid_argument, "curve.points[1].at is 0.8");
  EXPECT_QF_ERROR(check_curve(Curve::piecewise({})), errc::invalid_argument, "curve.points is empty");
  EXPECT_QF_ERROR(check_curve(Curve::piecewise({{0.8, -1}})), errc::invalid_argument, "curve.points[0].points is -1; points must be >= 0");
  EXPECT_QF_ERROR(check_curve(Curve::step({{1, 4, 50}, {3, inf, 100}})), errc::invalid_argument,
                  "curve.steps[1].from is 3, inside steps[0] [1, 4); the steps overlap");
  EXPECT_QF_ERROR(check_curve(Curve::step({{3, inf, 50}, {1, inf, 100}})), errc::invalid_argument,
                  "curve.steps[1].from is 1, not above steps[0].from (3); the steps must be sorted");
  EXPECT_QF_ERROR(check_curve(Curve::step({{1, 2, 50}, {3, inf, 100}})), errc::invalid_argument,
                  "curve.steps[1].from is 3, after the end of steps[0] (2); the steps leave a gap");
  EXPECT_QF_ERROR(check_curve(Curve::step({{1, 3, 50}, {3, inf, 40}})), errc::invalid_argument,
                  "curve.steps[1].points is 40, below steps[0].points (50)");
  EXPECT_QF_ERROR(check_curve(Curve::step({{1, 1, 50}})), errc::invalid_argument, "curve.steps[0].to is 1, not above its from (1)");
  EXPECT_QF_ERROR(check_curve(Curve::step({})), errc::invalid_argument, "curve.steps is empty");
}

TEST(Scorecard, WeightsGateOnWholeScoreAndReasons) {
  const Scorecard card(field_sales());
  const Table t = three_rows();
  const auto cols = t.cols();
  const ScoreResult r = card.score(cols);
  ASSERT_EQ(r.rows, 3u);
  ASSERT_EQ(r.kpis, 4u);
  // Row 0: 75, 75, 80 points; weights 50/30/20; the collection gate (90% >= 80%) passes.
  EXPECT_EQ(r.points[r.line(0, 0)], 75);
  EXPECT_EQ(r.points[r.line(0, 1)], 75);
  EXPECT_EQ(r.points[r.line(0, 2)], 80);
  EXPECT_EQ(r.points[r.line(0, 3)], 0);
  EXPECT_DOUBLE_EQ(r.total[0], 37.5 + 22.5 + 16);
  EXPECT_EQ(r.factor[r.line(0, 0)], 1);
  // Row 1: same values, collection 72% < 80%: everything withheld.
  EXPECT_EQ(r.total[1], 0);
  EXPECT_EQ(r.points[r.line(1, 0)], 75);  // points stay, the factor takes them away
  EXPECT_EQ(r.factor[r.line(1, 0)], 0);
  EXPECT_EQ(r.weighted[r.line(1, 0)], 0);
  EXPECT_EQ(r.gate_failed[r.line(1, 3)], 1);
  EXPECT_EQ(r.gate_failed[r.line(1, 0)], 0);
  // Row 2: attainment capped (150), margin below threshold (0), 7 outlets (100); gate at exactly 80% passes.
  EXPECT_EQ(r.points[r.line(2, 0)], 150);
  EXPECT_EQ(r.points[r.line(2, 1)], 0);
  EXPECT_EQ(r.points[r.line(2, 2)], 100);
  EXPECT_DOUBLE_EQ(r.total[2], 75 + 0 + 20);
  EXPECT_EQ(r.value[r.line(2, 3)], 0.8);

  EXPECT_EQ(card.reason(r, 0, 0), "attainment 87.5% scores 75 points");
  EXPECT_EQ(card.reason(r, 0, 2), "new outlets 3 scores 80 points");
  EXPECT_EQ(card.reason(r, 0, 3), "collection rate 90% meets the gate of 80%");
  EXPECT_EQ(card.reason(r, 1, 3), "collection rate 72% is below the gate of 80%: bonus withheld");
  EXPECT_EQ(card.reason(r, 1, 0), "attainment 87.5% scores 75 points; withheld by the collection rate gate");
  EXPECT_EQ(card.reason(r, 2, 0), "attainment 150% scores 150 points (capped)");
  EXPECT_EQ(card.reason(r, 2, 1), "margin rate 12.5% is below the threshold of 25%: 0 points");
  EXPECT_EQ(card.reason(r, 2, 2), "new outlets 7 scores 100 points");
  EXPECT_QF_ERROR(card.reason(r, 3, 0), errc::out_of_range, "row is 3; the result has 3 rows");
  EXPECT_QF_ERROR(card.reason(r, 0, 4), errc::out_of_range, "kpi is 4; the card has 4 KPIs");
}

TEST(Scorecard, GateScalesTheWholeScore) {
  const Scorecard card(field_sales(Gate{0.8, 0.5, {}}));
  const Table t = three_rows();
  const auto r = card.score(t.cols());
  EXPECT_DOUBLE_EQ(r.total[0], 76);
  EXPECT_DOUBLE_EQ(r.total[1], 38);
  EXPECT_EQ(r.factor[r.line(1, 2)], 0.5);
  EXPECT_EQ(card.reason(r, 1, 3), "collection rate 72% is below the gate of 80%: score scaled to 50%");
  EXPECT_EQ(card.reason(r, 1, 2), "new outlets 3 scores 80 points; scaled to 50% by the collection rate gate");
}

TEST(Scorecard, GateZeroesNamedComponents) {
  ScorecardDef d = field_sales();
  d.kpis[3].gate.reset();
  d.kpis[2].gate = Gate{2, 0, {"margin_rate"}};
  d.kpis[3].weight = 0;
  const Scorecard card(d);
  Table t = three_rows();
  t.no = {1, 2, 7};
  const auto r = card.score(t.cols());
  // Row 0: 1 outlet < 2: margin's 75 points withheld; attainment 75 and outlets 50 stay.
  EXPECT_DOUBLE_EQ(r.total[0], 37.5 + 0 + 10);
  EXPECT_EQ(r.factor[r.line(0, 1)], 0);
  EXPECT_EQ(r.factor[r.line(0, 0)], 1);
  EXPECT_EQ(r.factor[r.line(0, 2)], 1);
  EXPECT_EQ(card.reason(r, 0, 2), "new outlets 1 is below the gate of 2: margin rate withheld");
  EXPECT_EQ(card.reason(r, 0, 1), "margin rate 37.5% scores 75 points; withheld by the new outlets gate");
  EXPECT_EQ(card.reason(r, 0, 0), "attainment 87.5% scores 75 points");
  // Row 1: 2 outlets meet the gate.
  EXPECT_DOUBLE_EQ(r.total[1], 37.5 + 22.5 + 10);
  // Two failing gates multiply: a 50% whole-score gate on collection on top.
  d.kpis[3].gate = Gate{0.8, 0.5, {}};
  const Scorecard both(d);
  const auto r2 = both.score(t.cols());
  EXPECT_EQ(r2.factor[r2.line(0, 0)], 1.0);  // collection 90% passes on row 0
  EXPECT_EQ(r2.factor[r2.line(0, 1)], 0.0);  // margin still withheld by the outlets gate
  EXPECT_EQ(r2.factor[r2.line(1, 0)], 0.5);  // collection 72% fails on row 1
  EXPECT_DOUBLE_EQ(r2.total[1], (37.5 + 22.5 + 10) / 2);
}

TEST(Scorecard, RatiosFromTwoColumnsAndUserMeasures) {
  ScorecardDef d;
  d.measures.push_back({"nps", "NPS", MeasureUnit::number, "", ""});
  d.measures.push_back({"win_rate", "", MeasureUnit::rate, "won", "opportunities"});
  d.kpis.push_back({"quota", "attainment", 40, Curve::linear(0.5, 1.0), {}});
  d.kpis.push_back({"", "nps", 35, Curve::step({{0, inf, 50}, {40, inf, 100}}), {}});
  d.kpis.push_back({"", "win_rate", 25, Curve::linear(0, 0.5), {}});
  const Scorecard card(d);
  EXPECT_EQ(card.input_names(), (std::vector<std::string>{"attainment", "actual", "target", "nps", "win_rate", "won", "opportunities"}));
  const std::vector<double> actual = {90, 30}, target = {120, 40}, nps = {45, 12.5}, won = {1, 3}, opps = {4, 8};
  const std::vector<double> unused = {1, 2};
  const std::vector<InputColumn> cols = {{"actual", actual}, {"target", target}, {"nps", nps}, {"won", won},
                                         {"opportunities", opps}, {"region_code", unused}};
  const auto r = card.score(cols);
  EXPECT_EQ(r.value[r.line(0, 0)], 0.75);
  EXPECT_EQ(r.points[r.line(0, 0)], 50);
  EXPECT_EQ(r.points[r.line(0, 1)], 100);
  EXPECT_EQ(r.points[r.line(0, 2)], 50);
  EXPECT_DOUBLE_EQ(r.total[0], 20 + 35 + 12.5);
  EXPECT_EQ(r.value[r.line(1, 2)], 0.375);
  EXPECT_EQ(r.points[r.line(1, 2)], 75);
  EXPECT_EQ(card.reason(r, 0, 0), "quota 75% scores 50 points");
  EXPECT_EQ(card.reason(r, 1, 1), "NPS 12.5 scores 50 points");
  EXPECT_EQ(card.reason(r, 1, 2), "win rate 37.5% scores 75 points");
  // The measure's own column wins over the two parts.
  const std::vector<double> att = {1.0, 1.0};
  std::vector<InputColumn> with_direct = cols;
  with_direct.push_back({"attainment", att});
  EXPECT_EQ(card.score(with_direct).points[0], 100);
}

TEST(Scorecard, DisplayRounding) {
  EXPECT_EQ(incentive::detail::fixed(72.25, 1), "72.3");  // 72.25 is exact in binary: half away from zero
  EXPECT_EQ(incentive::detail::fixed(-72.25, 1), "-72.3");
  EXPECT_EQ(incentive::detail::fixed(80.0, 1), "80");
  EXPECT_EQ(incentive::detail::fixed(-0.001, 2), "0");
  EXPECT_EQ(incentive::detail::fixed(87.125, 2), "87.13");
  EXPECT_EQ(incentive::detail::display(0.7225, MeasureUnit::rate), "72.3%");
  EXPECT_EQ(incentive::detail::fixed(1e300, 2), "1e+300");  // no fixed notation for huge values
}

TEST(Scorecard, BadDefinitions) {
  auto with = [](auto&& change) {
    ScorecardDef d = field_sales();
    change(d);
    return d;
  };
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[0].weight = 40; })), errc::invalid_argument,
                  "scorecard kpis has weights that sum to 90%; they must sum to 100%");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[0].weight = 60; })), errc::invalid_argument, "sum to 110%");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[1].weight = -30; })), errc::invalid_argument,
                  "scorecard kpis[1].weight is -30; a weight must be a finite percentage >= 0");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[2].measure = "outlets"; })), errc::invalid_argument,
                  "scorecard kpis[2].measure is \"outlets\", an unknown measure; known measures: attainment, margin_rate");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[1].curve = Curve::piecewise({{0.2, 100}, {0.3, 90}}); })),
                  errc::invalid_argument, "scorecard kpis[1].curve.points[1].points is 90, below points[0].points (100)");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[2].curve = Curve::step({{1, 4, 50}, {3, inf, 100}}); })),
                  errc::invalid_argument, "scorecard kpis[2].curve.steps[1].from is 3, inside steps[0] [1, 4)");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[0].curve.reset(); })), errc::invalid_argument,
                  "scorecard kpis[0].curve is missing; a KPI with a weight needs a scoring curve");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[1].name = "attainment"; })), errc::invalid_argument,
                  "scorecard kpis[1].name is \"attainment\", already the name of kpis[0]");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[3].gate->below = kNaN; })), errc::invalid_argument,
                  "scorecard kpis[3].gate.below is nan");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[3].gate->scale = 1; })), errc::invalid_argument,
                  "scorecard kpis[3].gate.scale is 1; it must be within [0, 1)");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.kpis[3].gate->applies_to = {"margin"}; })), errc::invalid_argument,
                  "scorecard kpis[3].gate.applies_to[0] is \"margin\", not the name of a KPI of this card");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.measures.push_back({"attainment", "", MeasureUnit::rate, "", ""}); })),
                  errc::invalid_argument, "scorecard measures[0].name is \"attainment\", a built-in measure");
  EXPECT_QF_ERROR(Scorecard(with([](ScorecardDef& d) { d.measures.push_back({"x", "", MeasureUnit::rate, "a", ""}); })),
                  errc::invalid_argument, "scorecard measures[0].denominator is missing");
  EXPECT_QF_ERROR(Scorecard(ScorecardDef{}), errc::invalid_argument, "scorecard kpis is empty");
}

TEST(Scorecard, BadColumns) {
  const Scorecard card(field_sales());
  Table t = three_rows();
  t.mr[1] = kNaN;
  EXPECT_QF_ERROR(card.score(t.cols()), errc::invalid_argument, "margin_rate[1] is NaN");
  t = three_rows();
  t.no[2] = -inf;
  EXPECT_QF_ERROR(card.score(t.cols()), errc::invalid_argument, "new_outlets[2] is -inf");
  t = three_rows();
  t.cr.pop_back();
  EXPECT_QF_ERROR(card.score(t.cols()), errc::invalid_argument, "column collection_rate has 2 values; column attainment has 3");
  t = three_rows();
  auto cols = t.cols();
  cols.erase(cols.begin() + 3);
  EXPECT_QF_ERROR(card.score(cols), errc::not_found,
                  "no column for measure collection_rate (KPI collection_rate): give a column named collection_rate, or both "
                  "collected and billed");
  cols = t.cols();
  cols.erase(cols.begin() + 2);
  EXPECT_QF_ERROR(card.score(cols), errc::not_found, "no column for measure new_outlets (KPI new_outlets): give a column named new_outlets");
  cols = t.cols();
  cols.push_back(cols[0]);
  EXPECT_QF_ERROR(card.score(cols), errc::invalid_argument, "column attainment is given twice");
  // Ratio parts: a zero or NaN denominator names the row.
  ScorecardDef d;
  d.kpis.push_back({"", "attainment", 100, Curve::linear(0.5, 1.0), {}});
  const Scorecard att(d);
  const std::vector<double> actual = {1, 2}, target = {1, 0}, target_nan = {kNaN, 1};
  EXPECT_QF_ERROR(att.score(std::vector<InputColumn>{{"actual", actual}, {"target", target}}), errc::invalid_argument,
                  "target[1] is 0; attainment = actual / target needs a non-zero target");
  EXPECT_QF_ERROR(att.score(std::vector<InputColumn>{{"actual", actual}, {"target", target_nan}}), errc::invalid_argument,
                  "target[0] is NaN");
  // No rows: an empty result.
  const std::vector<double> none;
  const auto r = att.score(std::vector<InputColumn>{{"attainment", none}});
  EXPECT_EQ(r.rows, 0u);
  EXPECT_TRUE(r.total.empty());
}

namespace {
const char* card_json = R"({
  "schema": "quotaflow.scorecard/1",
  "name": "field sales",
  "measures": [{"name": "nps", "label": "NPS", "unit": "number"}],
  "kpis": [
    {"measure": "attainment", "weight": 50,
     "curve": {"kind": "linear", "threshold": 0.75, "target": 1, "cap": 150, "threshold_points": 50}},
    {"measure": "margin_rate", "weight": 30,
     "curve": {"kind": "piecewise", "points": [{"at": 0.25, "points": 50}, {"at": 0.5, "points": 100}, {"at": 0.75, "points": 150}]}},
    {"measure": "new_outlets", "weight": 20,
     "curve": {"kind": "step", "steps": [{"from": 1, "to": 3, "points": 50}, {"from": 3, "to": 5, "points": 80}, {"from": 5, "points": 100}]}},
    {"measure": "collection_rate", "weight": 0, "gate": {"below": 0.8, "scale": 0, "applies_to": "all"}}
  ]
})";
}  // namespace

TEST(ScorecardJson, ReadsScoresAndRoundTrips) {
  const Scorecard card = scorecard_from_json(card_json);
  EXPECT_EQ(card.definition().name, "field sales");
  ASSERT_EQ(card.size(), 4u);
  const Table t = three_rows();
  const auto a = card.score(t.cols());
  const auto b = Scorecard(field_sales()).score(t.cols());
  EXPECT_EQ(a.total, b.total);
  EXPECT_EQ(card.reason(a, 1, 3), "collection rate 72% is below the gate of 80%: bonus withheld");
  const std::string text = to_json(card.definition());
  EXPECT_NE(text.find("\"schema\": \"quotaflow.scorecard/1\""), std::string::npos);
  const Scorecard again = scorecard_from_json(text);
  EXPECT_EQ(to_json(again.definition()), text);
  EXPECT_EQ(again.score(t.cols()).total, a.total);
}

TEST(ScorecardJson, ErrorsCarryPaths) {
  auto bad = [](std::string text, std::string_view from, std::string_view to) {
    const size_t at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
  };
  const std::string base = card_json;
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"({"at": 0.5, "points": 100})", R"({"at": 0.5, "points": 40})")),
                  errc::parse_error, "scorecard JSON: $.kpis[1].curve.points[1].points (line 9, column 98",
                  "): is 40, below points[0].points (50); a scoring curve must not decrease");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("weight": 30)", R"("weight": 20)")), errc::parse_error,
                  "$.kpis (line 5, column 11): has weights that sum to 90%; they must sum to 100%");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("measure": "new_outlets")", R"("measure": "outlets")")), errc::parse_error,
                  "$.kpis[2].measure (line 10, column 17): is \"outlets\", an unknown measure");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"({"from": 3, "to": 5)", R"({"from": 2, "to": 5)")), errc::parse_error,
                  "$.kpis[2].curve.steps[1].from (line 11, column 87)", "is 2, inside steps[0] [1, 3); the steps overlap");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"({"from": 5, "points": 100})", R"({"from": 0, "points": 100})")),
                  errc::parse_error, "$.kpis[2].curve.steps[2].from", "not above steps[1].from (3)");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("weight": 50)", R"("weight": "50")")), errc::parse_error,
                  "$.kpis[0].weight (line 6, column 41): expected a number, got a string");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("kind": "step")", R"("kind": "stair")")), errc::parse_error,
                  "$.kpis[2].curve.kind", "is \"stair\"; expected \"linear\", \"piecewise\" or \"step\"");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("scale": 0,)", R"("scale": 0, "factor": 1,)")), errc::parse_error,
                  "$.kpis[3].gate.factor", "unknown key; expected one of below, scale, applies_to");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("applies_to": "all")", R"("applies_to": ["margin"])")), errc::parse_error,
                  "$.kpis[3].gate.applies_to[0]", "is \"margin\", not the name of a KPI of this card");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("threshold": 0.75, )", "")), errc::parse_error,
                  "$.kpis[0].curve (line 7", "has no \"threshold\"");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, R"("weight": 0, "gate")", R"("weight": 0, "curve": {"kind": "linear", "threshold": 1, "target": 1}, "gate")")),
                  errc::parse_error, "$.kpis[3].curve.threshold", "is 1, not below target 1");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, "quotaflow.scorecard/1", "quotaflow.scorecard/2")), errc::parse_error,
                  "$.schema (line 2, column 13): is \"quotaflow.scorecard/2\"; this library reads \"quotaflow.scorecard/1\"");
  EXPECT_QF_ERROR(scorecard_from_json(bad(base, "\"weight\": 20,", "\"weight\": 20,,"), "card.json"), errc::parse_error,
                  "card.json line 10, column 45 ", "(at $.kpis[2])");
  EXPECT_QF_ERROR(scorecard_from_json("{}"), errc::parse_error, "$ (line 1, column 1): has no \"kpis\" array");
  EXPECT_QF_ERROR(load_scorecard("/nonexistent/card.json"), errc::io_error, "cannot open scorecard \"/nonexistent/card.json\"");
}

namespace {

// A random valid card: 1-6 KPIs, random monotone curves, some gates.
ScorecardDef random_card(std::mt19937_64& rng) {
  std::uniform_real_distribution<double> u(0, 1);
  const int K = 1 + static_cast<int>(rng() % 6);
  ScorecardDef d;
  std::vector<double> w(K);
  double sum = 0;
  for (auto& x : w) sum += (x = 1 + u(rng));
  double assigned = 0;
  for (int k = 0; k < K; ++k) {
    Kpi kpi;
    kpi.name = "k" + std::to_string(k);
    kpi.measure = "m" + std::to_string(k);
    d.measures.push_back({kpi.measure, "", u(rng) < 0.5 ? MeasureUnit::rate : MeasureUnit::number, "", ""});
    kpi.weight = k + 1 == K ? 100 - assigned : std::floor(100 * w[k] / sum);
    assigned += kpi.weight;
    const int kind = static_cast<int>(rng() % 3);
    if (kind == 0) {
      const double t = u(rng);
      kpi.curve = Curve::linear(t, t + 0.1 + u(rng), 100 + 100 * u(rng), 100 * u(rng));
    } else {
      const int n = 1 + static_cast<int>(rng() % 4);
      double x = u(rng), y = 100 * u(rng);
      std::vector<CurvePoint> pts;
      std::vector<CurveStep> steps;
      for (int i = 0; i < n; ++i) {
        pts.push_back({x, y});
        steps.push_back({x, inf, y});
        x += 0.05 + u(rng) / 2;
        y += 50 * u(rng);
      }
      kpi.curve = kind == 1 ? Curve::piecewise(pts) : Curve::step(steps);
    }
    if (u(rng) < 0.4) {
      Gate g{u(rng), u(rng) < 0.5 ? 0.0 : std::floor(u(rng) * 10) / 10, {}};
      if (u(rng) < 0.5)
        for (int j = 0; j < K; ++j)
          if (u(rng) < 0.5) g.applies_to.push_back("k" + std::to_string(j));
      kpi.gate = g;
    }
    d.kpis.push_back(std::move(kpi));
  }
  return d;
}

}  // namespace

TEST(ScorecardProperty, MonotoneDeterministicAndAdditive) {
  std::mt19937_64 rng(20261128);
  std::uniform_real_distribution<double> u(-0.2, 2.5);
  for (int trial = 0; trial < 300; ++trial) {
    const Scorecard card(random_card(rng));
    const size_t K = card.size(), rows = 40;
    std::vector<std::vector<double>> vals(K, std::vector<double>(rows));
    for (auto& c : vals)
      for (auto& v : c) v = u(rng);
    std::vector<std::string> names(K);
    std::vector<InputColumn> cols;
    for (size_t k = 0; k < K; ++k) names[k] = card.kpi(k).measure;
    for (size_t k = 0; k < K; ++k) cols.push_back({names[k], vals[k]});
    const auto r = card.score(cols);
    // Deterministic: the same bytes again.
    const auto again = card.score(cols);
    ASSERT_EQ(r.total, again.total);
    ASSERT_EQ(r.weighted, again.weighted);
    for (size_t i = 0; i < rows; ++i) {
      double sum = 0;
      for (size_t k = 0; k < K; ++k) {
        const size_t l = r.line(i, k);
        ASSERT_EQ(r.weighted[l], card.kpi(k).weight / 100.0 * r.points[l] * r.factor[l]);
        sum += r.weighted[l];
        (void)card.reason(r, i, k);  // every line has a reason
      }
      ASSERT_EQ(r.total[i], sum) << "trial " << trial << " row " << i;
    }
    // Monotone: raising one KPI's value never lowers any row's total.
    for (size_t k = 0; k < K; ++k) {
      auto up = vals;
      for (auto& v : up[k]) v += std::uniform_real_distribution<double>(0, 1)(rng);
      std::vector<InputColumn> cols_up;
      for (size_t j = 0; j < K; ++j) cols_up.push_back({names[j], up[j]});
      const auto r2 = card.score(cols_up);
      for (size_t i = 0; i < rows; ++i)
        ASSERT_GE(r2.total[i], r.total[i] - 1e-9) << "trial " << trial << " kpi " << k << " row " << i;
    }
    // JSON round trip keeps the scores.
    const Scorecard back = scorecard_from_json(to_json(card.definition()));
    ASSERT_EQ(back.score(cols).total, r.total);
  }
}
