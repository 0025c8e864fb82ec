// allocate_tree and bulk phase benchmarks. Targets (issue 3, Release, one core):
//   allocate_tree, 1 million nodes, depth 6: under 100 ms;
//   bulk phase, 100,000 leaves x 12 months (and x 53 weeks) on the CN calendar: under 100 ms.
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/allocation/tree.hpp"

namespace {

using namespace quotaflow;

// A tree of about n nodes and depth 6: level sizes grow geometrically, each node's parent is a
// random node of the level above (random fan-out), then the node order is shuffled.
Hierarchy make_tree(size_t n, uint64_t seed, bool shuffle = true) {
  std::mt19937_64 rng(seed);
  const size_t levels[7] = {1, 10, 100, 1'000, 10'000, 100'000, 0};
  size_t used = 0;
  for (size_t i = 0; i < 6; ++i) used += levels[i];
  std::vector<size_t> size(std::begin(levels), std::end(levels));
  size[6] = n - used;
  std::vector<int32_t> parents;
  parents.reserve(n);
  size_t first_prev = 0, prev = 0;
  for (size_t lv = 0; lv < 7; ++lv) {
    const size_t first = parents.size();
    for (size_t i = 0; i < size[lv]; ++i)
      parents.push_back(lv == 0 ? -1 : static_cast<int32_t>(first_prev + rng() % prev));
    first_prev = first;
    prev = size[lv];
  }
  if (!shuffle) return Hierarchy::from_parents(parents);  // level by level: parents before children
  std::vector<int32_t> perm(parents.size());
  for (size_t i = 0; i < perm.size(); ++i) perm[i] = static_cast<int32_t>(i);
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<int32_t> shuffled(parents.size());
  for (size_t i = 0; i < parents.size(); ++i)
    shuffled[static_cast<size_t>(perm[i])] = parents[i] < 0 ? -1 : perm[static_cast<size_t>(parents[i])];
  return Hierarchy::from_parents(shuffled);
}

void BM_AllocateTree(benchmark::State& state) {
  const Hierarchy h = make_tree(1'000'000, 11, state.range(1) != 0);
  std::mt19937_64 rng(5);
  std::vector<double> w(h.leaves().size());
  for (auto& x : w) x = 1.0 + static_cast<double>(rng() % 100'000);
  TreeAllocationOptions opt;
  opt.method = static_cast<ApportionMethod>(state.range(0));
  opt.over_assignment = 0.05;
  for (auto _ : state) benchmark::DoNotOptimize(allocate_tree(h, 1'000'000'000'000'00, w, opt));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(h.size()));
  state.SetLabel(std::string(apportion_method_name(opt.method)) + ", depth " + std::to_string(h.max_depth()) +
                 (state.range(1) ? ", shuffled node order" : ", level order"));
}
BENCHMARK(BM_AllocateTree)->Args({0, 0})->Args({0, 1})->Args({1, 0})->Unit(benchmark::kMillisecond);

void BM_PhaseMany(benchmark::State& state) {
  const Calendar cn = Calendar::preset("CN");
  const size_t n = 100'000;
  std::mt19937_64 rng(3);
  std::vector<int64_t> totals(n);
  for (auto& t : totals) t = static_cast<int64_t>(rng() % 10'000'000'000ULL);
  PhaseOptions opt;
  opt.grain = state.range(0) == 0 ? Grain::month : Grain::week;
  std::vector<double> month{0.6, 0.4, 0.8, 0.9, 1.0, 1.2, 1.4, 1.3, 1.1, 0.8, 1.0, 1.1};
  if (state.range(1) == 1) opt.month_profile = month;
  std::vector<int64_t> out;
  size_t periods = 0;
  for (auto _ : state) {
    periods = phase_many(totals, cn, date_from_ymd(2026, 1, 1), date_from_ymd(2027, 1, 1), opt, out).periods.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n * periods));
  state.SetLabel(std::to_string(n) + " x " + std::to_string(periods) + (state.range(1) ? ", month profile" : ""));
}
BENCHMARK(BM_PhaseMany)->Args({0, 0})->Args({1, 0})->Args({0, 1})->Args({1, 1})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
