// Concurrent use of shared immutable objects: many threads share one calendar, one hierarchy,
// one process model, one event log and one plan, and run allocations, phasing, reconciliation,
// calendar queries, conformance checks and plan-vs-actual tracking at once. Every thread must
// get the single-threaded results. Run under ThreadSanitizer by the tsan preset (CI), where a
// data race is a failure even when the values happen to agree.
#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/allocation/reconcile.hpp"
#include "quotaflow/allocation/tree.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"
#include "quotaflow/monitor/track.hpp"
#include "quotaflow/process/check.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/model_json.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {

Hierarchy random_tree(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<int32_t> parents(n, -1);
  for (size_t i = 1; i < n; ++i) parents[i] = static_cast<int32_t>(rng() % i);
  return Hierarchy::from_parents(parents);
}

// Everything one worker computes; equal across threads or something is shared that should not be.
struct Results {
  std::vector<int64_t> tree, phased, reconciled, apportioned;
  std::vector<int32_t> working_days;
  bool operator==(const Results&) const = default;
};

Results work(const Hierarchy& h, const Calendar& cal, const std::vector<double>& leaf_w,
             const std::vector<double>& base, const std::vector<int32_t>& starts, const std::vector<int32_t>& ends) {
  Results r;
  TreeAllocationOptions topt;
  topt.over_assignment = 0.03;
  const TreeAllocation t = allocate_tree(h, 987'654'321, leaf_w, topt);
  r.tree = t.amounts;
  std::vector<int64_t> leaf_targets;
  for (int32_t leaf : h.leaves()) leaf_targets.push_back(t.amounts[static_cast<size_t>(leaf)]);
  PhaseOptions popt;
  popt.grain = Grain::week;
  static const std::vector<double> month{0.6, 0.4, 0.8, 0.9, 1.0, 1.2, 1.4, 1.3, 1.1, 0.8, 1.0, 1.1};
  popt.month_profile = month;
  phase_many(leaf_targets, cal, date_from_ymd(2026, 1, 1), date_from_ymd(2027, 1, 1), popt, r.phased);
  ReconcileOptions ropt;
  ropt.method = ReconcileMethod::ols;
  r.reconciled = reconcile_integer(h, base, ropt);
  r.apportioned = apportion(1'000'003, leaf_w, ApportionMethod::webster);
  r.working_days.resize(starts.size());
  cal.working_days(starts, ends, r.working_days);
  return r;
}

// Runs work() on kThreads threads kRounds times each; counts results unequal to `reference` and
// exceptions.
template <class Work, class R>
void expect_same_on_every_thread(Work work, const R& reference) {
  constexpr int kThreads = 8, kRounds = 3;
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        try {
          if (!(work() == reference)) ++mismatches;
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_EQ(failures.load(), 0);
}

// What a conformance check and a plan-vs-actual track give; the double columns that can be NaN
// (ratios with a zero denominator) are left out of the comparison, their integer sources are in.
struct ProcessAndTrack {
  std::vector<double> fitness;
  std::vector<int32_t> final_stage, missing;
  std::vector<uint8_t> outcome;
  std::vector<int64_t> deviation_offsets, by_kind, by_stage;
  std::vector<std::string> messages;
  std::vector<int64_t> plan_to_date, variance, projected, projected_seasonal;
  std::vector<monitor::TrackStatus> status;
  std::vector<int32_t> elapsed_days;
  bool operator==(const ProcessAndTrack&) const = default;
};

ProcessAndTrack check_and_track(const process::ProcessModel& model, const process::EventLog& log, const Hierarchy& h,
                                const Calendar& cal, const std::vector<int64_t>& plan,
                                const std::vector<int64_t>& actual) {
  ProcessAndTrack r;
  const process::CheckResult c = process::check(model, log);
  r.fitness.assign(c.fitness().begin(), c.fitness().end());
  r.final_stage.assign(c.final_stage().begin(), c.final_stage().end());
  r.missing.assign(c.missing().begin(), c.missing().end());
  r.outcome.assign(c.outcome().begin(), c.outcome().end());
  r.deviation_offsets.assign(c.deviation_offsets().begin(), c.deviation_offsets().end());
  r.by_kind.assign(c.summary().by_kind.begin(), c.summary().by_kind.end());
  r.by_stage = c.summary().by_stage;
  for (size_t i = 0; i < c.deviations().size(); i += 7) r.messages.push_back(c.message(i));
  static const std::vector<double> month{0.6, 0.4, 0.8, 0.9, 1.0, 1.2, 1.4, 1.3, 1.1, 0.8, 1.0, 1.1};
  monitor::TrackOptions topt;
  topt.month_profile = month;
  const monitor::TrackResult t = monitor::track(h, cal, plan, actual, date_from_ymd(2025, 1, 1),
                                                date_from_ymd(2026, 1, 1), date_from_ymd(2025, 7, 15), topt);
  r.plan_to_date = t.plan_to_date;
  r.variance = t.variance;
  r.projected = t.projected;
  r.projected_seasonal = t.projected_seasonal;
  r.status = t.status;
  r.elapsed_days = t.elapsed_days;
  return r;
}

}  // namespace

TEST(Concurrency, ThreadsShareOneProcessModelLogAndPlan) {
  const std::string data = QUOTAFLOW_PROJECT_DATA_DIR;
  const process::ProcessModel model = process::load_model(data + "/sample_company/process_model.json");
  process::LogCsvOptions lo;
  lo.case_column = "deal_id";
  lo.activity_column = "stage_id";
  lo.timestamp_column = "entered_at";
  lo.resource_column = "actor_node_id";
  const process::EventLog log = process::read_log_csv(data + "/sample_company/deal_events.csv", lo);
  const Calendar cal = Calendar::preset("CN");
  const Hierarchy h = random_tree(400, 29);
  // The plan: a tree allocation of the year's target phased by month for every node (rows in
  // hierarchy order); the actuals a seeded share of it.
  const TreeAllocation t = allocate_tree(h, 123'456'789, std::vector<double>(h.leaves().size(), 1.0), {});
  std::vector<int64_t> plan;
  phase_many(t.amounts, cal, date_from_ymd(2025, 1, 1), date_from_ymd(2026, 1, 1), {}, plan);
  ASSERT_EQ(plan.size(), h.size() * 12);
  std::mt19937_64 rng(31);
  std::vector<int64_t> actual(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) actual[i] = plan[i] / 100 * static_cast<int64_t>(rng() % 130);
  const ProcessAndTrack reference = check_and_track(model, log, h, cal, plan, actual);
  ASSERT_EQ(reference.fitness.size(), log.num_cases());
  ASSERT_FALSE(reference.messages.empty());  // the sample log has deviations to describe
  ASSERT_EQ(reference.status.size(), plan.size());
  expect_same_on_every_thread([&] { return check_and_track(model, log, h, cal, plan, actual); }, reference);
}

TEST(Concurrency, ThreadsShareOneCalendarAndHierarchy) {
  const Calendar cal = Calendar::preset("CN");
  const Hierarchy h = random_tree(5'000, 17);
  std::mt19937_64 rng(23);
  std::vector<double> leaf_w(h.leaves().size()), base(h.size());
  for (double& w : leaf_w) w = 1.0 + static_cast<double>(rng() % 1000);
  for (double& b : base) b = static_cast<double>(rng() % 100'000);
  std::vector<int32_t> starts(2'000), ends(2'000);
  for (size_t i = 0; i < starts.size(); ++i) {
    starts[i] = date_from_ymd(2024, 1, 1) + static_cast<int32_t>(rng() % 700);
    ends[i] = starts[i] + static_cast<int32_t>(rng() % 300);
  }
  const Results reference = work(h, cal, leaf_w, base, starts, ends);
  ASSERT_EQ(reference.tree.size(), h.size());

  expect_same_on_every_thread([&] { return work(h, cal, leaf_w, base, starts, ends); }, reference);
}
