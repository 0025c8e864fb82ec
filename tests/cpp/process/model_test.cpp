// Process model: the builder's checks, validate() finding every kind of structural problem, and
// the DOT export.
#include "model_fixtures.hpp"
#include "quotaflow/process/dot.hpp"
#include "quotaflow/process/validate.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;
using qf_test::sales_model;

namespace {
Stage named(const char* name, TerminalKind t = TerminalKind::none) {
  Stage s;
  s.name = name;
  s.terminal = t;
  return s;
}

Activity activity(const char* name, int32_t stage) {
  Activity a;
  a.name = name;
  a.stage = stage;
  return a;
}

std::vector<ProblemKind> kinds(const std::vector<Problem>& ps) {
  std::vector<ProblemKind> out;
  for (const auto& p : ps) out.push_back(p.kind);
  return out;
}
}  // namespace

TEST(ProcessModel, BuildAndRead) {
  ProcessModel m = sales_model();
  EXPECT_EQ(m.num_stages(), 7u);
  EXPECT_EQ(m.start(), 0);
  EXPECT_EQ(m.stage_index("approval"), 3);
  EXPECT_EQ(m.find_stage("nope"), std::nullopt);
  EXPECT_EQ(m.activities().size(), 2u);
  EXPECT_EQ(m.activities()[0].stage, 2);
  EXPECT_EQ(m.transitions().size(), 11u);
  EXPECT_TRUE(m.is_handoff(m.transitions()[4]));   // proposal (sales) -> approval (finance)
  EXPECT_FALSE(m.is_handoff(m.transitions()[0]));  // lead -> qualification, both sales
  EXPECT_TRUE(m.has_durations());
  EXPECT_TRUE(validate(m).empty());
}

TEST(ProcessModel, BuilderRejectsBadPieces) {
  ProcessModel m("x");
  EXPECT_QF_ERROR(m.add_stage(Stage{}), errc::invalid_argument, "stages[0].name is empty");
  Stage s = named("a");
  s.win_probability = 1.5;
  EXPECT_QF_ERROR(m.add_stage(s), errc::invalid_argument, "stages[0] (\"a\").win_probability is 1.5");
  s = named("a");
  s.max_duration = -1;
  EXPECT_QF_ERROR(m.add_stage(s), errc::invalid_argument, "max_duration is -1", ">= 0");
  s.max_duration = std::numeric_limits<double>::infinity();
  EXPECT_QF_ERROR(m.add_stage(s), errc::invalid_argument, "max_duration is inf");
  s = named("a");
  s.terminal = static_cast<TerminalKind>(7);
  EXPECT_QF_ERROR(m.add_stage(s), errc::invalid_argument, "terminal is 7");
  m.add_stage(named("a"));
  EXPECT_QF_ERROR(m.add_transition(Transition{0, 3}), errc::out_of_range, "transitions[0].to is 3", "1 stages");
  EXPECT_QF_ERROR(m.add_transition("a", "b"), errc::not_found, "stage \"b\" is not in the model");
  EXPECT_QF_ERROR(m.add_transition(Transition{0, 0, TransitionKind::forward, -0.1}), errc::invalid_argument,
                  "transitions[0] (\"a->a\").probability is -0.1");
  EXPECT_QF_ERROR(m.add_activity(activity("x", 4)), errc::out_of_range, "activities[0].stage is 4");
  EXPECT_QF_ERROR(m.add_activity(activity("", 0)), errc::invalid_argument, "activities[0].name is empty");
  EXPECT_QF_ERROR(m.set_start(-1), errc::out_of_range, "start is -1");
  EXPECT_QF_ERROR(m.set_duration_unit(static_cast<DurationUnit>(9)), errc::invalid_argument, "duration_unit is 9");
  EXPECT_QF_ERROR(parse_transition_kind("sideways"), errc::invalid_argument, "\"sideways\"", "forward, rework or skip");
  EXPECT_EQ(parse_duration_unit("working_days"), DurationUnit::working_days);
}

TEST(ProcessModelValidate, EmptyModel) {
  ProcessModel m;
  EXPECT_EQ(kinds(validate(m)), (std::vector<ProblemKind>{ProblemKind::no_start_stage, ProblemKind::no_won_stage}));
}

TEST(ProcessModelValidate, EveryProblemAtOnce) {
  ProcessModel m;
  m.add_stage(named("start"));              // 0
  m.add_stage(named("a"));                  // 1
  m.add_stage(named("b"));                  // 2
  m.add_stage(named("won", TerminalKind::won));    // 3
  m.add_stage(named("island"));             // 4: unreachable, no terminal reachable
  m.add_stage(named("a"));                  // 5: duplicate name, unreachable
  m.add_activity(activity("b", 1));         // clashes with stage "b"
  Stage req = named("bypassed");
  req.required = true;
  m.add_stage(req);                         // 6: required but bypassed
  m.add_stage(named("lost", TerminalKind::lost));  // 7
  m.add_transition("start", "a");
  m.add_transition("a", "b");
  m.add_transition("b", "a");               // forward cycle a <-> b
  m.add_transition("b", "won");
  m.add_transition("b", "won");             // duplicate transition
  m.add_transition("start", "bypassed");
  m.add_transition("bypassed", "won");
  m.add_transition("won", "lost");          // won is not terminal
  m.add_transition(Transition{5, 3});       // second "a" -> won
  m.set_start("start");
  std::vector<Problem> ps = validate(m);
  EXPECT_EQ(kinds(ps), (std::vector<ProblemKind>{ProblemKind::duplicate_name, ProblemKind::duplicate_name,
                                                 ProblemKind::duplicate_transition, ProblemKind::unreachable_stage,
                                                 ProblemKind::unreachable_stage, ProblemKind::no_terminal_reachable,
                                                 ProblemKind::non_rework_cycle, ProblemKind::terminal_has_exit,
                                                 ProblemKind::required_not_mandatory}));
  auto has = [&](ProblemKind k, std::string_view text) {
    for (const auto& p : ps)
      if (p.kind == k && p.message.find(text) != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(has(ProblemKind::duplicate_name, "stage 5 is named \"a\", like stage 1"));
  EXPECT_TRUE(has(ProblemKind::duplicate_name, "activity 0 (of stage \"a\") is named \"b\", like stage 2"));
  EXPECT_TRUE(has(ProblemKind::duplicate_transition, "\"b\" -> \"won\" repeats transition 3"));
  EXPECT_TRUE(has(ProblemKind::unreachable_stage, "stage \"island\" cannot be reached"));
  EXPECT_TRUE(has(ProblemKind::no_terminal_reachable, "from stage \"island\""));
  EXPECT_TRUE(has(ProblemKind::non_rework_cycle, "stages \"a\", \"b\" form a cycle"));
  EXPECT_TRUE(has(ProblemKind::terminal_has_exit, "won stage \"won\" is not terminal: it has a transition to \"lost\""));
  EXPECT_TRUE(has(ProblemKind::required_not_mandatory, "\"bypassed\" is marked required"));
  EXPECT_QF_ERROR(require_valid(m, "check"), errc::invalid_argument, "check needs a valid model", "(and 8 more problems");
}

TEST(ProcessModelValidate, ReworkCyclesAreFineButForwardSelfLoopsAreNot) {
  ProcessModel m = sales_model();
  EXPECT_TRUE(validate(m).empty());  // approval -> proposal is rework
  m.add_transition("negotiation", "negotiation");
  auto ps = validate(m);
  ASSERT_EQ(ps.size(), 1u);
  EXPECT_EQ(ps[0].kind, ProblemKind::non_rework_cycle);
  EXPECT_EQ(ps[0].stage, 4);
  ProcessModel r = sales_model();
  r.add_transition("negotiation", "negotiation", TransitionKind::rework);
  EXPECT_TRUE(validate(r).empty());
}

TEST(ProcessModelValidate, NoStartAndNoWon) {
  ProcessModel m;
  m.add_stage(named("a"));
  m.add_stage(named("b", TerminalKind::lost));
  m.add_transition("a", "b");
  EXPECT_EQ(kinds(validate(m)), (std::vector<ProblemKind>{ProblemKind::no_start_stage, ProblemKind::no_won_stage}));
  m.set_start("a");
  EXPECT_EQ(kinds(validate(m)), (std::vector<ProblemKind>{ProblemKind::no_won_stage}));
}

TEST(ProcessModelDot, StagesEdgesAndKinds) {
  ProcessModel m = sales_model();
  std::string dot = to_dot(m);
  EXPECT_EQ(dot.rfind("digraph \"sales\" {\n  rankdir=LR;", 0), 0u);
  EXPECT_NE(dot.find("s0 [label=\"lead\\naccount manager, sales\\nexpected 2 days, max 10 days\", style=\"rounded\", penwidth=2.5];"),
            std::string::npos)
      << dot;
  EXPECT_NE(dot.find("s4 [label=\"negotiation\\naccount manager, sales\\nexpected 5 days, max 20 days\", style=\"rounded,dashed\"];"),
            std::string::npos);
  EXPECT_NE(dot.find("s5 [label=\"won\\naccount manager, sales\\nexpected 0 days\", shape=doubleoctagon"), std::string::npos);
  EXPECT_NE(dot.find("s2 -> s3 [label=\"hand-off <= 1 days\", color=\"#0550ae\"];"), std::string::npos);
  EXPECT_NE(dot.find("s3 -> s5 [label=\"hand-off\", style=dotted, color=\"#0550ae\"];"), std::string::npos);
  EXPECT_NE(dot.find("s3 -> s2 [label=\"hand-off\", style=dashed, color=\"#b35900\"];"), std::string::npos);
  EXPECT_EQ(dot.back(), '\n');
  EXPECT_EQ(dot, to_dot(m));  // deterministic
  // Quotes and backslashes in names are escaped.
  ProcessModel q("say \"hi\"\\");
  EXPECT_NE(to_dot(q).find("digraph \"say \\\"hi\\\"\\\\\" {"), std::string::npos);
}
