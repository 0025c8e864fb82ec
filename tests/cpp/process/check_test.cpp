// Conformance checking: each deviation kind on a hand-made case, fitness by hand, the summary,
// duration units (calendar days, hours, working days), bad input, property tests on random
// models, and the sample company's planted deviations.
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "model_fixtures.hpp"
#include "quotaflow/process/check.hpp"
#include "quotaflow/process/model_json.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;
using qf_test::at;
using qf_test::make_log;
using qf_test::Row;
using qf_test::sales_model;

namespace {

using K = DeviationKind;

std::vector<K> kinds_of(const CheckResult& r, size_t c = 0) {
  std::vector<K> out;
  for (auto i = r.deviation_offsets()[c]; i < r.deviation_offsets()[c + 1]; ++i) out.push_back(r.deviations()[static_cast<size_t>(i)].kind);
  return out;
}

// One case "c" through the given (activity, day) steps.
EventLog one_case(std::initializer_list<std::pair<const char*, double>> steps) {
  std::vector<Row> rows;
  for (const auto& [a, d] : steps) rows.push_back({"c", a, d, ""});
  return make_log(rows);
}

// lead 0, qualification 1, proposal 2, send quote 2.5, approval 3, then `rest`.
EventLog happy_prefix_then(std::initializer_list<std::pair<const char*, double>> rest) {
  std::vector<Row> rows{{"c", "lead", 0, ""}, {"c", "qualification", 1, ""}, {"c", "proposal", 2, ""}, {"c", "send quote", 2.5, ""},
                        {"c", "approval", 3, ""}};
  for (const auto& [a, d] : rest) rows.push_back({"c", a, d, ""});
  return make_log(rows);
}

}  // namespace

TEST(ProcessCheck, ConformingCaseHasFitnessOneAndNoDeviations) {
  CheckResult r = check(sales_model(), happy_prefix_then({{"won", 3.5}}));
  ASSERT_EQ(r.num_cases(), 1u);
  EXPECT_EQ(r.fitness()[0], 1.0);
  EXPECT_EQ(r.produced()[0], 6);  // initial token + 5 stage entries
  EXPECT_EQ(r.consumed()[0], 6);  // 5 stage entries + the end
  EXPECT_EQ(r.missing()[0], 0);
  EXPECT_EQ(r.remaining()[0], 0);
  EXPECT_EQ(r.final_stage()[0], 5);
  EXPECT_EQ(r.outcome()[0], static_cast<uint8_t>(CaseOutcome::won));
  EXPECT_TRUE(r.deviations().empty());
  EXPECT_EQ(r.summary().fitting_cases, 1);
  EXPECT_EQ(r.summary().conforming_cases, 1);
  EXPECT_TRUE(r.summary().top_paths.empty());
}

TEST(ProcessCheck, UnknownActivity) {
  CheckResult r = check(sales_model(), one_case({{"coffee", -1}, {"lead", 0}, {"send quote", 0.5}, {"fax", 0.7}, {"qualification", 1}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::unknown_activity, K::unknown_activity, K::unknown_activity}));
  const auto& d = r.deviations();
  EXPECT_EQ(d[0].second_position, 0);
  EXPECT_EQ(d[0].first_position, -1);
  EXPECT_EQ(d[0].stage, -1);
  EXPECT_EQ(r.message(0), "activity \"coffee\" is not in the process model");
  EXPECT_EQ(d[1].second_position, 2);
  EXPECT_EQ(d[1].stage, 0);
  EXPECT_EQ(d[1].detail, 0);  // model activity "send quote"
  EXPECT_EQ(d[1].second_time, at(0.5));
  EXPECT_EQ(r.message(1), "activity \"send quote\" belongs to stage \"proposal\", but the case was in stage \"lead\"");
  EXPECT_EQ(r.message(2), "activity \"fax\" is not in the process model");
  // Activities move no tokens: the stage path lead -> qualification fits.
  EXPECT_EQ(r.fitness()[0], 1.0);
  EXPECT_EQ(r.outcome()[0], static_cast<uint8_t>(CaseOutcome::open));
  EXPECT_EQ(r.summary().conforming_cases, 0);
  EXPECT_EQ(r.summary().fitting_cases, 1);
}

TEST(ProcessCheck, IllegalTransitionSkipsRequiredStagesAndLowersFitness) {
  // lead -> proposal skips qualification.
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"proposal", 1}, {"send quote", 1.5}, {"approval", 2}, {"won", 3}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::illegal_transition, K::skipped_required_stage}));
  const Deviation& ill = r.deviations()[0];
  EXPECT_EQ(ill.first_position, 0);
  EXPECT_EQ(ill.second_position, 1);
  EXPECT_EQ(ill.first_time, at(0));
  EXPECT_EQ(ill.second_time, at(1));
  EXPECT_EQ(ill.stage, 2);
  EXPECT_EQ(ill.detail, 0);
  EXPECT_EQ(r.message(0), "moved from stage \"lead\" to \"proposal\", which the process does not allow");
  EXPECT_EQ(r.deviations()[1].stage, 1);
  EXPECT_EQ(r.message(1), "skipped required stage \"qualification\" (moved from \"lead\" to \"proposal\")");
  // 4 entries: produced 5, consumed 4 + end = 5, missing 1, remaining 1: 1 - 1/5 = 0.8.
  EXPECT_EQ(r.missing()[0], 1);
  EXPECT_EQ(r.remaining()[0], 1);
  EXPECT_DOUBLE_EQ(r.fitness()[0], 0.8);
  EXPECT_EQ(r.summary().fitting_cases, 0);
  EXPECT_EQ(r.summary().count(K::illegal_transition), 1);
  EXPECT_EQ(r.summary().count(1, K::skipped_required_stage), 1);
  ASSERT_EQ(r.summary().top_paths.size(), 1u);
  EXPECT_EQ(r.path_text(0), "lead > proposal > approval > won");
}

TEST(ProcessCheck, JumpingOverSeveralRequiredStages) {
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"won", 1}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::illegal_transition, K::skipped_required_stage, K::skipped_required_stage,
                                         K::skipped_required_stage}));
  EXPECT_EQ(r.deviations()[1].stage, 1);
  EXPECT_EQ(r.deviations()[2].stage, 2);
  EXPECT_EQ(r.deviations()[3].stage, 3);
}

TEST(ProcessCheck, CaseNotBeginningAtTheStart) {
  CheckResult r = check(sales_model(), one_case({{"qualification", 0}, {"lost", 1}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::illegal_transition, K::skipped_required_stage}));
  EXPECT_EQ(r.message(0), "the case began in stage \"qualification\", not in the start stage \"lead\"");
  EXPECT_EQ(r.deviations()[1].stage, 0);
  EXPECT_EQ(r.deviations()[1].detail, -1);
  EXPECT_EQ(r.message(1), "skipped required stage \"lead\": the case began in \"qualification\"");
  // produced 1 + 2, consumed 2 + 1, missing 1, remaining 1 (the initial token).
  EXPECT_DOUBLE_EQ(r.fitness()[0], 0.5 * (1 - 1.0 / 3) + 0.5 * (1 - 1.0 / 3));
  EXPECT_EQ(r.outcome()[0], static_cast<uint8_t>(CaseOutcome::lost));
}

TEST(ProcessCheck, BackwardMoveAndRework) {
  // qualification -> lead is backwards and undeclared; approval -> proposal is declared rework.
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"qualification", 1}, {"lead", 2}, {"qualification", 3}, {"proposal", 4},
                                                 {"send quote", 4.1}, {"approval", 4.5}, {"proposal", 5}, {"send quote", 5.1},
                                                 {"approval", 5.5}, {"won", 6}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::backward_move, K::rework}));
  EXPECT_EQ(r.message(0), "moved back from stage \"qualification\" to \"lead\", which is not a declared rework loop");
  EXPECT_EQ(r.message(1), "rework: back from stage \"approval\" to \"proposal\" (an allowed loop)");
  EXPECT_EQ(r.deviations()[1].first_position, 6);
  EXPECT_EQ(r.deviations()[1].second_position, 7);
  EXPECT_EQ(r.missing()[0], 1);
  EXPECT_EQ(r.remaining()[0], 1);
  // Re-entering the current stage without a declared self-loop is a backward move too.
  CheckResult again = check(sales_model(), one_case({{"lead", 0}, {"lead", 1}}));
  EXPECT_EQ(kinds_of(again), (std::vector<K>{K::backward_move}));
  // Rework alone keeps the case fitting and conforming.
  CheckResult rework = check(sales_model(), happy_prefix_then({{"proposal", 3.2}, {"send quote", 3.3}, {"approval", 3.5}, {"won", 4}}));
  EXPECT_EQ(kinds_of(rework), (std::vector<K>{K::rework}));
  EXPECT_EQ(rework.fitness()[0], 1.0);
  EXPECT_EQ(rework.summary().conforming_cases, 1);
  EXPECT_EQ(rework.summary().count(K::rework), 1);
}

TEST(ProcessCheck, Overstay) {
  // qualification (max 5) from day 1 to day 7.5: 6.5 calendar days.
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"qualification", 1}, {"lost", 7.5}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::overstay}));
  const Deviation& d = r.deviations()[0];
  EXPECT_EQ(d.stage, 1);
  EXPECT_DOUBLE_EQ(d.value, 6.5);
  EXPECT_EQ(d.limit, 5.0);
  EXPECT_EQ(d.first_position, 1);
  EXPECT_EQ(d.second_position, 2);
  EXPECT_EQ(r.message(0), "stayed 6.5 calendar days in stage \"qualification\"; the maximum is 5");
  EXPECT_EQ(r.fitness()[0], 1.0);
  // Exactly the maximum is fine.
  EXPECT_TRUE(check(sales_model(), one_case({{"lead", 0}, {"qualification", 1}, {"lost", 6}})).deviations().empty());
}

TEST(ProcessCheck, MissingRequiredActivity) {
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"qualification", 1}, {"proposal", 2}, {"call back", 2.2}, {"approval", 3}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::missing_required_activity}));
  const Deviation& d = r.deviations()[0];
  EXPECT_EQ(d.stage, 2);
  EXPECT_EQ(d.detail, 0);
  EXPECT_EQ(d.first_position, 2);
  EXPECT_EQ(d.second_position, 4);
  EXPECT_EQ(r.message(0), "left stage \"proposal\" without doing required activity \"send quote\"");
  // Done in an earlier stay does not count for a later one (after rework).
  CheckResult again = check(sales_model(), happy_prefix_then({{"proposal", 3.2}, {"approval", 3.5}}));
  EXPECT_EQ(kinds_of(again), (std::vector<K>{K::rework, K::missing_required_activity}));
}

TEST(ProcessCheck, LateActivity) {
  // send quote is due within 2 days of entering proposal (day 2); done on day 4.5.
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"qualification", 1}, {"proposal", 2}, {"send quote", 4.5}, {"approval", 4.6}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::late_activity}));
  EXPECT_DOUBLE_EQ(r.deviations()[0].value, 2.5);
  EXPECT_EQ(r.message(0), "activity \"send quote\" was done 2.5 calendar days after entering stage \"proposal\"; it is due within 2");
}

TEST(ProcessCheck, HandoffTooSlow) {
  // proposal -> approval may take 1 day from the last event in proposal (send quote, 2.5).
  CheckResult r = check(sales_model(), one_case({{"lead", 0}, {"qualification", 1}, {"proposal", 2}, {"send quote", 2.5}, {"approval", 4}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::handoff_too_slow}));
  const Deviation& d = r.deviations()[0];
  EXPECT_EQ(d.stage, 2);
  EXPECT_EQ(d.detail, 4);  // transition index
  EXPECT_EQ(d.first_position, 3);
  EXPECT_EQ(d.second_position, 4);
  EXPECT_DOUBLE_EQ(d.value, 1.5);
  EXPECT_EQ(r.message(0),
            "hand-off from stage \"proposal\" (sales) to \"approval\" (finance) took 1.5 calendar days; the maximum lead time is 1");
}

TEST(ProcessCheck, WrongRole) {
  std::vector<Row> rows{{"c", "lead", 0, "ann"},     {"c", "qualification", 1, "ann"}, {"c", "proposal", 2, "ann"},
                        {"c", "send quote", 2.5, "bob"}, {"c", "approval", 3, "ann"},     {"c", "won", 3.5, ""}};
  CheckOptions opt;
  opt.resource_roles = {{"ann", "account manager"}, {"bob", "pricing analyst"}};
  CheckResult r = check(sales_model(), make_log(rows), opt);
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::wrong_role, K::wrong_role}));
  EXPECT_EQ(r.deviations()[0].second_position, 3);
  EXPECT_EQ(r.deviations()[0].detail, 1);  // resource "bob"
  EXPECT_EQ(r.message(0), "\"bob\" (role \"pricing analyst\") did \"send quote\" in stage \"proposal\", which needs role \"account manager\"");
  EXPECT_EQ(r.message(1), "\"ann\" (role \"account manager\") did \"approval\" in stage \"approval\", which needs role \"pricing analyst\"");
  // Without a role map nothing is judged; unmapped resources are not judged either.
  EXPECT_TRUE(check(sales_model(), make_log(rows)).deviations().empty());
  opt.resource_roles = {{"carol", "pricing analyst"}};
  EXPECT_TRUE(check(sales_model(), make_log(rows), opt).deviations().empty());
}

TEST(ProcessCheck, OpenTooLongAtAsOf) {
  EventLog log = one_case({{"lead", 0}, {"qualification", 1}});
  CheckOptions opt;
  opt.as_of = at(10);
  CheckResult r = check(sales_model(), log, opt);
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::open_too_long}));
  const Deviation& d = r.deviations()[0];
  EXPECT_EQ(d.stage, 1);
  EXPECT_DOUBLE_EQ(d.value, 9.0);
  EXPECT_EQ(d.first_position, 1);
  EXPECT_EQ(d.second_position, -1);
  EXPECT_EQ(d.second_time, at(10));
  EXPECT_EQ(r.message(0), "open case has been in stage \"qualification\" for 9.0 calendar days at the as-of time; the maximum is 5");
  EXPECT_EQ(r.outcome()[0], static_cast<uint8_t>(CaseOutcome::open));
  EXPECT_EQ(r.fitness()[0], 1.0);  // a prefix of the process
  opt.as_of = at(6);
  EXPECT_TRUE(check(sales_model(), log, opt).deviations().empty());
  EXPECT_TRUE(check(sales_model(), log).deviations().empty());  // no as_of, not judged
  // Closed cases are never open too long.
  opt.as_of = at(100);
  EXPECT_TRUE(check(sales_model(), one_case({{"lead", 0}, {"lost", 1}}), opt).deviations().empty());
}

TEST(ProcessCheck, HoursAndWorkingDays) {
  ProcessModel h("h", DurationUnit::hours);
  Stage a;
  a.name = "a";
  a.max_duration = 4;
  h.add_stage(a);
  Stage w;
  w.name = "w";
  w.terminal = TerminalKind::won;
  h.add_stage(w);
  h.add_transition("a", "w");
  h.set_start("a");
  CheckResult r = check(h, one_case({{"a", 0}, {"w", 5.0 / 24}}));
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::overstay}));
  EXPECT_NEAR(r.deviations()[0].value, 5.0, 1e-9);
  EXPECT_EQ(r.message(0), "stayed 5.0 hours in stage \"a\"; the maximum is 4");

  // Day 4 is Friday 2025-01-10; day 9.5 is Wednesday: [Fri, Wed) has Fri, Mon, Tue = 3 working
  // days on a Sat+Sun calendar, above a maximum of 2.
  ProcessModel wd2("wd", DurationUnit::working_days);
  a.max_duration = 2;
  wd2.add_stage(a);
  wd2.add_stage(w);
  wd2.add_transition("a", "w");
  wd2.set_start("a");
  EventLog log = one_case({{"a", 4.4}, {"w", 9.5}});
  EXPECT_QF_ERROR(check(wd2, log), errc::invalid_argument, "working days; check needs a calendar");
  Calendar plain;
  CheckOptions opt;
  opt.calendar = &plain;
  r = check(wd2, log, opt);
  EXPECT_EQ(kinds_of(r), (std::vector<K>{K::overstay}));
  EXPECT_EQ(r.deviations()[0].value, 3.0);
  EXPECT_EQ(r.message(0), "stayed 3 working days in stage \"a\"; the maximum is 2");
  // Friday to Tuesday is Fri, Mon = 2: within the maximum.
  EXPECT_TRUE(check(wd2, one_case({{"a", 4.4}, {"w", 8.5}}), opt).deviations().empty());
  // Local dates: 23:00 UTC on Friday is Saturday 07:00 at UTC+8, so the stay counts Mon, Tue only.
  opt.utc_offset_seconds = 8 * 3600;
  EXPECT_TRUE(check(wd2, one_case({{"a", 4 + 23.0 / 24}, {"w", 9.5}}), opt).deviations().empty());
  opt.utc_offset_seconds = 0;
  EXPECT_EQ(check(wd2, one_case({{"a", 4 + 23.0 / 24}, {"w", 9.5}}), opt).deviations().size(), 1u);
  // A date outside the calendar's range is an error naming the case.
  Calendar cn = Calendar::preset("CN");
  opt.calendar = &cn;
  EXPECT_QF_ERROR(check(wd2, one_case({{"a", 0}, {"w", 10000}}), opt), errc::out_of_range, "case c: counting working days");
  opt.utc_offset_seconds = 90000;
  opt.calendar = &plain;
  EXPECT_QF_ERROR(check(wd2, log, opt), errc::invalid_argument, "utc_offset_seconds is 90000");
}

TEST(ProcessCheck, InvalidModelIsAnError) {
  ProcessModel m = sales_model();
  Stage dup;
  dup.name = "lead";
  m.add_stage(dup);
  EXPECT_QF_ERROR(check(m, one_case({{"lead", 0}})), errc::invalid_argument, "check needs a valid model", "\"lead\"");
}

TEST(ProcessCheck, SummaryAndDeviatingPaths) {
  std::vector<Row> rows;
  auto add = [&](const std::string& c, std::initializer_list<const char*> stages) {
    double t = 0;
    for (const char* s : stages) rows.push_back({c, s, t += 0.5, ""});
  };
  add("a", {"lead", "qualification", "lost"});
  add("b", {"lead", "proposal", "lost"});
  add("c", {"lead", "proposal", "lost"});
  add("d", {"lead", "won"});
  CheckResult r = check(sales_model(), make_log(rows));
  const CheckSummary& s = r.summary();
  EXPECT_EQ(s.cases, 4);
  EXPECT_EQ(s.fitting_cases, 1);
  EXPECT_DOUBLE_EQ(s.fitting_share(), 0.25);
  EXPECT_DOUBLE_EQ(s.conforming_share(), 0.25);
  EXPECT_EQ(s.count(K::illegal_transition), 3);
  EXPECT_EQ(s.count(K::skipped_required_stage), 2 + 3);
  EXPECT_EQ(s.count(2, K::illegal_transition), 2);  // into proposal
  EXPECT_EQ(s.count(5, K::illegal_transition), 1);  // into won
  EXPECT_EQ(s.count(1, K::skipped_required_stage), 3);
  ASSERT_EQ(s.top_paths.size(), 2u);
  EXPECT_EQ(s.top_paths[0].cases, 2);
  EXPECT_EQ(r.path_text(0), "lead > proposal > lost");
  EXPECT_EQ(r.path_text(1), "lead > won");
  // b and c: 3 entries, produced 4, consumed 4, 1 missing, 1 remaining: 0.75; d: 2 entries: 2/3.
  EXPECT_DOUBLE_EQ(r.fitness()[1], 0.75);
  EXPECT_DOUBLE_EQ(r.fitness()[3], 1 - 1.0 / 3);
  EXPECT_DOUBLE_EQ(s.mean_fitness, (1.0 + 0.75 + 0.75 + (1 - 1.0 / 3)) / 4);
}

// ---- property tests ------------------------------------------------------------------------

TEST(ProcessCheckProperty, LogsGeneratedFromRandomModelsFitCompletely) {
  std::mt19937_64 rng(20260101);
  for (int round = 0; round < 60; ++round) {
    qf_test::RandomProcess p = qf_test::random_model(rng);
    ASSERT_TRUE(validate(p.model).empty()) << validate(p.model)[0].message;
    qf_test::GeneratedLog g = qf_test::random_log(p, rng, 40);
    EventLog log = make_log(g.rows);
    CheckOptions opt;
    opt.resource_roles = g.roles;
    CheckResult r = check(p.model, log, opt);
    for (size_t c = 0; c < r.num_cases(); ++c) ASSERT_EQ(r.fitness()[c], 1.0) << "round " << round << " case " << c;
    for (size_t i = 0; i < r.deviations().size(); ++i)
      ASSERT_EQ(r.deviations()[i].kind, K::rework) << "round " << round << ": " << r.message(i);
    EXPECT_EQ(r.summary().conforming_cases, static_cast<int64_t>(r.num_cases()));
  }
}

TEST(ProcessCheckProperty, ARemovedRequiredStageIsAlwaysReported) {
  std::mt19937_64 rng(7);
  int tried = 0;
  for (int round = 0; round < 80; ++round) {
    qf_test::RandomProcess p = qf_test::random_model(rng);
    qf_test::GeneratedLog g = qf_test::random_log(p, rng, 30);
    // For every won case and every required stage it passed (other than won), drop all its
    // entries and its activities: the check must report that stage as skipped.
    std::map<std::string, std::vector<Row>> by_case;
    for (const Row& row : g.rows) by_case[row.case_name].push_back(row);
    for (const auto& [name, rows] : by_case) {
      if (rows.back().activity != "won") continue;
      for (int32_t s : p.main_line) {
        const Stage& st = p.model.stage(s);
        if (!st.required || s == p.won) continue;
        std::vector<Row> cut;
        bool inside = false;
        for (const Row& row : rows) {
          auto code = p.model.find_stage(row.activity);
          if (code) inside = *code == s;
          if (!inside) cut.push_back(row);
        }
        CheckResult r = check(p.model, make_log(cut));
        bool reported = false;
        for (const Deviation& d : r.deviations()) reported = reported || (d.kind == K::skipped_required_stage && d.stage == s);
        ASSERT_TRUE(reported) << "round " << round << ", case " << name << ", stage " << st.name;
        EXPECT_LT(r.fitness()[0], 1.0);
        ++tried;
      }
    }
  }
  EXPECT_GT(tried, 200);
}

// ---- the sample company ----------------------------------------------------------------------

namespace {
// deal_events.csv as a log: timestamps as written (China time, read as UTC), actors as resources.
EventLog sample_deal_events() {
  std::ifstream in(std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/sample_company/deal_events.csv");
  std::string line;
  std::getline(in, line);
  std::vector<int64_t> keys, ts;
  std::vector<int32_t> acts, res;
  std::vector<std::string> cases, act_names, res_names;
  std::map<std::string, int32_t> ci, ai, ri;
  auto id = [](std::map<std::string, int32_t>& m, std::vector<std::string>& names, const std::string& s) {
    auto [it, fresh] = m.emplace(s, static_cast<int32_t>(names.size()));
    if (fresh) names.push_back(s);
    return it->second;
  };
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string deal, stage, when, actor;
    std::getline(ss, deal, ',');
    std::getline(ss, stage, ',');
    std::getline(ss, when, ',');
    std::getline(ss, actor, ',');
    keys.push_back(id(ci, cases, deal));
    acts.push_back(id(ai, act_names, stage));
    res.push_back(id(ri, res_names, actor));
    const int64_t day = date_from_string(when.substr(0, 10));
    const int64_t secs = std::stoi(when.substr(11, 2)) * 3600 + std::stoi(when.substr(14, 2)) * 60 + std::stoi(when.substr(17, 2));
    ts.push_back((day * 86400 + secs) * 1'000'000'000);
  }
  return EventLog::from_columns(keys, acts, ts, act_names, res, res_names, {}, cases);
}
}  // namespace

TEST(ProcessCheckSample, FindsExactlyThePlantedSkippedAndStalledDeals) {
  ProcessModel m = load_model(std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/sample_company/process_model.json");
  EventLog log = sample_deal_events();
  ASSERT_EQ(log.num_cases(), 312u);
  CheckOptions opt;
  opt.as_of = int64_t{date_from_string("2026-07-01")} * 86'400'000'000'000;  // the end of 2026-06-30
  CheckResult r = check(m, log, opt);
  std::map<K, std::set<std::string>> found;
  for (const Deviation& d : r.deviations()) found[d.kind].insert(log.case_name(static_cast<size_t>(d.case_index)));
  const std::set<std::string> skipped{"DL-0030", "DL-0034", "DL-0150", "DL-0288"};
  EXPECT_EQ(found[K::illegal_transition], skipped);
  EXPECT_EQ(found[K::skipped_required_stage], skipped);
  EXPECT_EQ(found[K::open_too_long], (std::set<std::string>{"DL-0149", "DL-0154", "DL-0155", "DL-0171"}));
  EXPECT_TRUE(found[K::backward_move].empty());
  EXPECT_TRUE(found[K::unknown_activity].empty());
  // The skipped stages are the planted ones.
  std::map<std::string, std::string> skipped_stage;
  for (const Deviation& d : r.deviations())
    if (d.kind == K::skipped_required_stage) skipped_stage[log.case_name(static_cast<size_t>(d.case_index))] = m.stage_name(d.stage);
  EXPECT_EQ(skipped_stage, (std::map<std::string, std::string>{{"DL-0030", "qualification"},
                                                               {"DL-0034", "price_approval"},
                                                               {"DL-0150", "contract"},
                                                               {"DL-0288", "price_approval"}}));
  // Roles from org.csv and staff.csv: every actor works in the right role.
  CheckOptions roles = opt;
  for (const auto& name : log.resource_names())
    if (name.rfind("SP-", 0) == 0) roles.resource_roles[name] = "key account manager";
  {
    std::ifstream staff(std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/sample_company/staff.csv");
    std::string line;
    std::getline(staff, line);
    while (std::getline(staff, line)) {
      auto first = line.find(','), last = line.rfind(',');
      roles.resource_roles[line.substr(0, first)] = line.substr(last + 1);
    }
  }
  CheckResult rr = check(m, log, roles);
  EXPECT_EQ(rr.summary().count(K::wrong_role), 0);
  EXPECT_EQ(rr.deviations().size(), r.deviations().size());
}
