// Analysis: mandatory stages (dominators), critical path, and the fit of a log (transition
// probabilities, sojourn times, absorbing-chain win probabilities and times, the funnel), all
// worked out by hand on the small sales model.
#include <cmath>

#include "model_fixtures.hpp"
#include "quotaflow/process/analysis.hpp"
#include "quotaflow/process/dot.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;
using qf_test::Row;
using qf_test::sales_model;

namespace {
std::vector<int32_t> v(std::initializer_list<int32_t> x) { return x; }
constexpr double day = 86400.0;
}  // namespace

TEST(ProcessAnalysis, MandatoryStagesAreTheDominatorsOfWon) {
  ProcessModel m = sales_model();
  // negotiation is bypassed by approval -> won; lost is not on the way to a win.
  EXPECT_EQ(mandatory_stages(m), v({0, 1, 2, 3, 5}));
  // A second way from qualification to approval makes proposal optional.
  m.add_transition("qualification", "approval", TransitionKind::skip);
  EXPECT_QF_ERROR(mandatory_stages(m), errc::invalid_argument, "proposal", "is marked required, but a path");
  ProcessModel two_won = sales_model();
  Stage w;
  w.name = "won by partner";
  w.terminal = TerminalKind::won;
  two_won.add_stage(w);
  two_won.add_transition("qualification", "won by partner");
  // Two won stages: only what precedes both is mandatory ("won" itself no longer is, so it may
  // not be marked required).
  ProcessModel fixed = two_won;
  EXPECT_QF_ERROR(mandatory_stages(fixed), errc::invalid_argument, "required");
}

TEST(ProcessAnalysis, MandatoryStagesWithTwoWonStages) {
  ProcessModel m("two");
  for (const char* n : {"a", "b", "c", "w1", "w2"}) {
    Stage s;
    s.name = n;
    if (n[0] == 'w') s.terminal = TerminalKind::won;
    m.add_stage(s);
  }
  m.add_transition("a", "b");
  m.add_transition("b", "w1");
  m.add_transition("b", "c");
  m.add_transition("c", "w2");
  m.set_start("a");
  EXPECT_EQ(mandatory_stages(m), v({0, 1}));
}

TEST(ProcessAnalysis, CriticalPathIsTheLongestExpectedPathIgnoringRework) {
  ProcessModel m = sales_model();
  // lead 2 + qualification 3 + proposal 3 + approval 1 + negotiation 5 + won 0 = 14; the skip
  // approval -> won would give 9; the rework loop does not count.
  CriticalPath cp = critical_path(m);
  EXPECT_EQ(cp.stages, v({0, 1, 2, 3, 4, 5}));
  EXPECT_DOUBLE_EQ(cp.total, 14.0);
  // Make negotiation quick: the skip wins.
  ProcessModel quick("q");
  for (auto s : m.stages()) {
    if (s.name == "negotiation") s.expected_duration = 0;
    quick.add_stage(s);
  }
  for (const auto& t : m.transitions()) quick.add_transition(t);
  quick.set_start(0);
  cp = critical_path(quick);
  EXPECT_DOUBLE_EQ(cp.total, 9.0);
  // Equal lengths: the lower stage index on the way wins, so the skip (from approval, 3) beats
  // the way through negotiation (4).
  EXPECT_EQ(cp.stages, v({0, 1, 2, 3, 5}));
  ProcessModel broken;
  EXPECT_QF_ERROR(critical_path(broken), errc::invalid_argument, "critical_path needs a valid model");
}

namespace {
// Five cases, one day per step:
//   c1 lead, qualification, lost
//   c2 lead, qualification, proposal, approval, won
//   c3 lead, lost
//   c4 lead, qualification, proposal, approval, negotiation, won
//   c5 lead, qualification, proposal, approval, proposal, approval, won   (rework)
//   c6 lead, qualification                                                (open)
EventLog five_cases() {
  std::vector<Row> rows;
  auto add = [&](const std::string& c, std::initializer_list<const char*> stages) {
    double t = 0;
    for (const char* s : stages) rows.push_back({c, s, t++, ""});
  };
  add("c1", {"lead", "qualification", "lost"});
  add("c2", {"lead", "qualification", "proposal", "approval", "won"});
  add("c3", {"lead", "lost"});
  add("c4", {"lead", "qualification", "proposal", "approval", "negotiation", "won"});
  add("c5", {"lead", "qualification", "proposal", "approval", "proposal", "approval", "won"});
  add("c6", {"lead", "qualification"});
  return qf_test::make_log(rows);
}
}  // namespace

TEST(ProcessAnalysis, FitProbabilitiesAbsorbingChainAndFunnel) {
  ProcessModel m = sales_model();
  ModelFit f = fit(m, five_cases());
  // Moves: lead -> qualification 5, lead -> lost 1; qualification -> proposal 3, -> lost 1;
  // proposal -> approval 4; approval -> won 2, -> negotiation 1, -> proposal 1; negotiation -> won 1.
  EXPECT_EQ(f.move_count(0, 1), 5);
  EXPECT_DOUBLE_EQ(f.move_probability(0, 1), 5.0 / 6.0);
  EXPECT_DOUBLE_EQ(f.move_probability(1, 2), 0.75);
  EXPECT_DOUBLE_EQ(f.move_probability(2, 3), 1.0);
  EXPECT_DOUBLE_EQ(f.move_probability(3, 5), 0.5);
  EXPECT_DOUBLE_EQ(f.move_probability(3, 2), 0.25);
  EXPECT_DOUBLE_EQ(f.move_mean_seconds[0 * 7 + 1], day);
  // Completed stays: lead 6, qualification 4 (c6 is still there), proposal 4, approval 4.
  EXPECT_EQ(f.stays[0], 6);
  EXPECT_EQ(f.stays[1], 4);
  EXPECT_EQ(f.stays[5], 0);
  EXPECT_DOUBLE_EQ(f.sojourn_mean_seconds[1], day);
  EXPECT_DOUBLE_EQ(f.sojourn_median_seconds[1], day);
  // Win probabilities: negotiation 1; approval = 0.5 + 0.25 + 0.25 proposal, proposal = approval
  // -> 1; qualification 0.75; lead 5/6 x 0.75 = 0.625.
  EXPECT_NEAR(f.win_probability[4], 1.0, 1e-12);
  EXPECT_NEAR(f.win_probability[3], 1.0, 1e-12);
  EXPECT_NEAR(f.win_probability[2], 1.0, 1e-12);
  EXPECT_NEAR(f.win_probability[1], 0.75, 1e-12);
  EXPECT_NEAR(f.win_probability[0], 0.625, 1e-12);
  EXPECT_EQ(f.win_probability[5], 1.0);
  EXPECT_EQ(f.win_probability[6], 0.0);
  // Days to a terminal: negotiation 1; approval A = 1 + 0.25 x 1 + 0.25 P, P = 1 + A -> A = 2,
  // P = 3; qualification 1 + 0.75 x 3 = 3.25; lead 1 + 5/6 x 3.25 = 3.7083...
  EXPECT_NEAR(f.expected_seconds_to_terminal[4], 1 * day, 1e-6);
  EXPECT_NEAR(f.expected_seconds_to_terminal[3], 2 * day, 1e-6);
  EXPECT_NEAR(f.expected_seconds_to_terminal[2], 3 * day, 1e-6);
  EXPECT_NEAR(f.expected_seconds_to_terminal[1], 3.25 * day, 1e-6);
  EXPECT_NEAR(f.expected_seconds_to_terminal[0], (1 + 5.0 / 6.0 * 3.25) * day, 1e-6);
  EXPECT_EQ(f.expected_seconds_to_terminal[5], 0.0);
  // Funnel: every case entered lead (3 won, 2 lost, 1 open); qualification 5 (3, 1, 1);
  // negotiation 1 (1 won).
  EXPECT_EQ(f.cases, 6);
  EXPECT_EQ(f.cases_started, 6);
  EXPECT_EQ(f.cases_entered, (std::vector<int64_t>{6, 5, 3, 3, 1, 3, 2}));
  EXPECT_EQ(f.cases_won, (std::vector<int64_t>{3, 3, 3, 3, 1, 3, 0}));
  EXPECT_EQ(f.cases_lost, (std::vector<int64_t>{2, 1, 0, 0, 0, 0, 2}));
  EXPECT_EQ(f.cases_open, (std::vector<int64_t>{1, 1, 0, 0, 0, 0, 0}));
}

TEST(ProcessAnalysis, FitFallsBackToDeclaredProbabilities) {
  // Only lead -> qualification observed; qualification has no observed moves, so its declared
  // transitions share equally (no probabilities declared): proposal 1/2, lost 1/2.
  ProcessModel m = sales_model();
  ModelFit f = fit(m, qf_test::make_log({{"a", "lead", 0, ""}, {"a", "qualification", 1, ""}}));
  EXPECT_DOUBLE_EQ(f.move_probability(1, 2), 0.5);
  EXPECT_DOUBLE_EQ(f.move_probability(1, 6), 0.5);
  // Stages without completed stays use their expected duration in seconds.
  EXPECT_DOUBLE_EQ(f.sojourn_mean_seconds[2], 3 * day);
  EXPECT_TRUE(std::isnan(f.sojourn_median_seconds[2]));
  EXPECT_GT(f.win_probability[1], 0.0);
  EXPECT_LT(f.win_probability[1], 1.0);
  EXPECT_TRUE(std::isfinite(f.expected_seconds_to_terminal[0]));
}

TEST(ProcessAnalysis, FitMayGetStuckInAnObservedLoop) {
  // Observed: proposal -> approval and approval -> proposal only (a rework ping-pong). The chain
  // can never leave {proposal, approval}: win probability 0 and infinite time there.
  ProcessModel m = sales_model();
  ModelFit f = fit(m, qf_test::make_log({{"a", "lead", 0, ""},
                                         {"a", "qualification", 1, ""},
                                         {"a", "proposal", 2, ""},
                                         {"a", "approval", 3, ""},
                                         {"a", "proposal", 4, ""},
                                         {"a", "approval", 5, ""}}));
  EXPECT_EQ(f.win_probability[2], 0.0);
  EXPECT_EQ(f.win_probability[3], 0.0);
  EXPECT_TRUE(std::isinf(f.expected_seconds_to_terminal[2]));
  EXPECT_TRUE(std::isinf(f.expected_seconds_to_terminal[0]));
}

TEST(ProcessAnalysis, DotWithFit) {
  ProcessModel m = sales_model();
  ModelFit f = fit(m, five_cases());
  std::string dot = to_dot(m, &f);
  EXPECT_NE(dot.find("s0 -> s1 [label=\"5 (83%)\\nmean 1.0 d\"];"), std::string::npos) << dot;
  EXPECT_NE(dot.find("s2 -> s3 [label=\"hand-off <= 1 days\\n4 (100%)\\nmean 1.0 d\", color=\"#0550ae\"];"), std::string::npos);
  EXPECT_NE(dot.find("\\n6 cases\""), std::string::npos);
  // An observed move the model does not declare gets a grey edge.
  ModelFit g = fit(m, qf_test::make_log({{"a", "lead", 0, ""}, {"a", "proposal", 2, ""}}));
  EXPECT_NE(to_dot(m, &g).find("s0 -> s2 [label=\"not in model\\n1 (100%)\\nmean 2.0 d\""), std::string::npos);
  ModelFit wrong;
  wrong.num_stages = 3;
  EXPECT_QF_ERROR(to_dot(m, &wrong), errc::invalid_argument, "the fit has 3 stages but the model has 7");
}
