// Reconciliation benchmarks. Target: reconcile (ols, wls_struct) on a 1-million-node tree of depth 6
// with random fan-out in under 1 s each on one core, Release build; also the integer form.
// Trees come in two node orders: breadth-first (siblings contiguous) and randomly relabelled
// (every child and parent access a cache miss), the worst layout a caller can hand us.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/allocation/reconcile.hpp"

namespace {

using namespace quotaflow;

constexpr size_t kNodes = 1'000'000;

struct Case {
  Hierarchy h;
  std::vector<double> base;       // incoherent forecasts, mostly positive
  std::vector<double> base_neg;   // the same with ~15% of leaves pushed negative (nonnegative benchmarks)
  std::vector<double> targets;    // plan: the root, 30% of depth-1 and 10% of depth-3 nodes (NaN elsewhere)
  std::vector<int64_t> drafts;
};

// Breadth-first random tree: fan-out uniform in 2..18 (mean 10) down to depth 6, cut at kNodes.
// shuffled: node indices randomly permuted.
Case make_case(bool shuffled) {
  std::mt19937_64 rng(2026);
  std::vector<int32_t> parent{-1};
  parent.reserve(kNodes);
  std::vector<int32_t> depth{0};
  std::uniform_int_distribution<int> fan(2, 18);
  for (size_t v = 0; v < parent.size() && parent.size() < kNodes; ++v) {
    if (depth[v] == 6) continue;
    const int k = fan(rng);
    for (int i = 0; i < k && parent.size() < kNodes; ++i) {
      parent.push_back(static_cast<int32_t>(v));
      depth.push_back(depth[v] + 1);
    }
  }
  const size_t n = parent.size();
  if (shuffled) {
    std::vector<int32_t> perm(n);
    std::iota(perm.begin(), perm.end(), 0);
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<int32_t> q(n);
    for (size_t i = 0; i < n; ++i) q[static_cast<size_t>(perm[i])] = parent[i] < 0 ? -1 : perm[static_cast<size_t>(parent[i])];
    parent = std::move(q);
  }
  Case c;
  c.h = Hierarchy::from_parents(parent);
  // Leaves: uniform 0..1000; inner nodes: the true sum times 1 +- 5% noise (independent forecasts).
  std::uniform_real_distribution<double> leaf(0.0, 1000.0);
  std::normal_distribution<double> noise(0.0, 0.05);
  std::vector<double> truth(n, 0.0);
  c.drafts.assign(n, 0);
  for (int32_t l : c.h.leaves()) {
    truth[static_cast<size_t>(l)] = leaf(rng);
    c.drafts[static_cast<size_t>(l)] = static_cast<int64_t>(truth[static_cast<size_t>(l)] * 100);
  }
  c.h.rollup(truth, truth);
  c.base.resize(n);
  c.base_neg.resize(n);
  for (size_t v = 0; v < n; ++v) {
    const bool is_leaf = c.h.is_leaf(static_cast<int32_t>(v));
    c.base[v] = is_leaf ? truth[v] : truth[v] * (1.0 + noise(rng));
    c.base_neg[v] = is_leaf && rng() % 100 < 15 ? -truth[v] : c.base[v];
  }
  c.targets.assign(n, std::numeric_limits<double>::quiet_NaN());
  std::vector<int64_t> bu = c.h.rollup(c.drafts);
  std::uniform_real_distribution<double> uplift(1.0, 1.2);
  for (size_t v = 0; v < n; ++v) {
    const int32_t d = c.h.depth(static_cast<int32_t>(v));
    if (d == 0 || (d == 1 && rng() % 100 < 30) || (d == 3 && rng() % 100 < 10))
      c.targets[v] = std::round(static_cast<double>(bu[v]) * (d == 0 ? 1.12 : uplift(rng)));
  }
  return c;
}

const Case& bfs_case() {
  static const Case c = make_case(false);
  return c;
}
const Case& shuffled_case() {
  static const Case c = make_case(true);
  return c;
}
const Case& pick(benchmark::State& state) { return state.range(0) == 0 ? bfs_case() : shuffled_case(); }

void label(benchmark::State& state, const Case& c) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(c.h.size()));
  state.SetLabel(state.range(0) == 0 ? "bfs order" : "shuffled order");
}

void run_real(benchmark::State& state, ReconcileMethod m, bool nonnegative) {
  const Case& c = pick(state);
  ReconcileOptions opt;
  opt.method = m;
  opt.nonnegative = nonnegative;
  const auto& base = nonnegative ? c.base_neg : c.base;
  for (auto _ : state) {
    auto x = reconcile(c.h, base, opt);
    benchmark::DoNotOptimize(x.data());
  }
  label(state, c);
}

void run_integer(benchmark::State& state, ReconcileMethod m) {
  const Case& c = pick(state);
  ReconcileOptions opt;
  opt.method = m;
  for (auto _ : state) {
    auto x = reconcile_integer(c.h, c.base, opt);
    benchmark::DoNotOptimize(x.data());
  }
  label(state, c);
}

void BM_ReconcileOls(benchmark::State& state) { run_real(state, ReconcileMethod::ols, false); }
void BM_ReconcileWlsStruct(benchmark::State& state) { run_real(state, ReconcileMethod::wls_struct, false); }
void BM_ReconcileBottomUp(benchmark::State& state) { run_real(state, ReconcileMethod::bottom_up, false); }
void BM_ReconcileIntegerOls(benchmark::State& state) { run_integer(state, ReconcileMethod::ols); }
void BM_ReconcileIntegerWlsStruct(benchmark::State& state) { run_integer(state, ReconcileMethod::wls_struct); }

// ~15% of leaves start negative; the counter reports the active-set rounds (tree solves).
void BM_ReconcileOlsNonnegative(benchmark::State& state) {
  run_real(state, ReconcileMethod::ols, true);
  const Case& c = pick(state);
  detail::ReconcileTreeSolver solver(c.h, c.base_neg, false);
  std::vector<uint8_t> fixed(c.h.size(), 0);
  int rounds = 0;
  for (bool changed = true; changed; ++rounds) {
    solver.solve(fixed.data());
    changed = false;
    for (size_t i = 0; i < solver.size(); ++i)
      if (!fixed[i] && solver.is_leaf(i) && solver.x(i) < 0) fixed[i] = 1, changed = true;
  }
  state.counters["rounds"] = rounds;
}
void BM_ReconcileWlsStructNonnegative(benchmark::State& state) { run_real(state, ReconcileMethod::wls_struct, true); }

void BM_RoundCoherent(benchmark::State& state) {
  const Case& c = pick(state);
  const auto x = reconcile(c.h, c.base);
  for (auto _ : state) {
    auto q = round_coherent(c.h, x);
    benchmark::DoNotOptimize(q.data());
  }
  label(state, c);
}

void run_plan(benchmark::State& state, PlanMethod m) {
  const Case& c = pick(state);
  for (auto _ : state) {
    auto r = reconcile_plan(c.h, c.targets, c.drafts, m, 0.4);
    benchmark::DoNotOptimize(r.plan.data());
  }
  label(state, c);
}
void BM_ReconcilePlanScale(benchmark::State& state) { run_plan(state, PlanMethod::scale); }
void BM_ReconcilePlanBlend(benchmark::State& state) { run_plan(state, PlanMethod::blend); }

#define QF_RECONCILE_BENCH(fn) BENCHMARK(fn)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond)
QF_RECONCILE_BENCH(BM_ReconcileOls);
QF_RECONCILE_BENCH(BM_ReconcileWlsStruct);
QF_RECONCILE_BENCH(BM_ReconcileIntegerOls);
QF_RECONCILE_BENCH(BM_ReconcileIntegerWlsStruct);
QF_RECONCILE_BENCH(BM_ReconcileOlsNonnegative);
QF_RECONCILE_BENCH(BM_ReconcileWlsStructNonnegative);
QF_RECONCILE_BENCH(BM_ReconcileBottomUp);
QF_RECONCILE_BENCH(BM_RoundCoherent);
QF_RECONCILE_BENCH(BM_ReconcilePlanScale);
QF_RECONCILE_BENCH(BM_ReconcilePlanBlend);

}  // namespace

BENCHMARK_MAIN();
