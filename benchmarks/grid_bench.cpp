// Two-way grid benchmarks. Target: a 1,000 x 366 grid (e.g. sales reps x days of a year) with a
// random positive seed and random margins in minor units, in under 1 s on one core, Release build.
#include <cstdint>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/allocation/grid.hpp"

namespace {

using namespace quotaflow;

struct GridInput {
  std::vector<int64_t> rows, cols;
  std::vector<double> seed;
};

// Row totals uniform in 1e6..1e8; column totals are random weights apportioned to the same grand
// total (floor, remainder spread one unit at a time), so the margins are independent of the seed.
// `zero_share` of the seed cells are zero (0 = a fully positive seed).
GridInput make_grid(size_t R, size_t C, double zero_share, uint64_t seed_value) {
  std::mt19937_64 rng(seed_value);
  GridInput g;
  std::uniform_int_distribution<int64_t> total(1'000'000, 100'000'000);
  int64_t grand = 0;
  for (size_t i = 0; i < R; ++i) grand += g.rows.emplace_back(total(rng));
  std::uniform_real_distribution<double> weight(0.5, 1.5);
  std::vector<double> w(C);
  double wsum = 0;
  for (double& v : w) wsum += v = weight(rng);
  int64_t given = 0;
  for (size_t j = 0; j < C; ++j) given += g.cols.emplace_back(static_cast<int64_t>(static_cast<double>(grand) * w[j] / wsum));
  for (size_t j = 0; given < grand; j = (j + 1) % C, ++given) ++g.cols[j];
  std::uniform_real_distribution<double> cell(0.1, 10.0), coin(0.0, 1.0);
  g.seed.resize(R * C);
  for (double& s : g.seed) s = coin(rng) < zero_share ? 0.0 : cell(rng);
  // A sparse seed must still reach every row and column.
  for (size_t i = 0; i < R; ++i) g.seed[i * C + i % C] = 1.0;
  for (size_t j = 0; j < C; ++j) g.seed[(j % R) * C + j] = 1.0;
  return g;
}

void report(benchmark::State& state, const GridResult& r, size_t cells) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(cells));
  state.counters["ipf_iterations"] = r.ipf_iterations;
  state.counters["ipf_max_error"] = r.ipf_max_error;
}

void BM_AllocateGrid(benchmark::State& state) {
  const auto R = static_cast<size_t>(state.range(0)), C = static_cast<size_t>(state.range(1));
  const GridInput g = make_grid(R, C, 0.0, 42);
  GridResult r;
  for (auto _ : state) {
    r = allocate_grid(g.rows, g.cols, g.seed);
    benchmark::DoNotOptimize(r.cells.data());
    benchmark::ClobberMemory();
  }
  report(state, r, R * C);
}
BENCHMARK(BM_AllocateGrid)->Args({100, 12})->Args({1000, 366})->Args({3000, 366})->Unit(benchmark::kMillisecond);

// Sparse seed: 70% of the cells are zero, so the flow network is smaller but IPF converges slower.
void BM_AllocateGridSparse(benchmark::State& state) {
  const auto R = static_cast<size_t>(state.range(0)), C = static_cast<size_t>(state.range(1));
  const GridInput g = make_grid(R, C, 0.7, 43);
  GridResult r;
  for (auto _ : state) {
    r = allocate_grid(g.rows, g.cols, g.seed);
    benchmark::DoNotOptimize(r.cells.data());
    benchmark::ClobberMemory();
  }
  report(state, r, R * C);
}
BENCHMARK(BM_AllocateGridSparse)->Args({1000, 366})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
