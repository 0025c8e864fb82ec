// Concurrent use of shared immutable objects: many threads share one calendar and one hierarchy
// and run allocations, phasing, reconciliation and calendar queries at once. Every thread must
// get the single-threaded results. Run under ThreadSanitizer by the tsan preset (CI), where a
// data race is a failure even when the values happen to agree.
#include <atomic>
#include <random>
#include <thread>
#include <vector>

#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/allocation/reconcile.hpp"
#include "quotaflow/allocation/tree.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"
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

}  // namespace

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

  constexpr int kThreads = 8, kRounds = 3;
  std::atomic<int> mismatches{0}, failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int round = 0; round < kRounds; ++round) {
        try {
          if (!(work(h, cal, leaf_w, base, starts, ends) == reference)) ++mismatches;
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
