// Calendar benchmarks. Target (issue 2): working days for 10 million random date ranges in
// under 0.5 s on one core, Release build.
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/calendar/calendar.hpp"

namespace {

using namespace quotaflow;

struct Ranges {
  std::vector<Date> starts, ends;
};

// Random ranges inside the CN preset's valid range (2007-2026), lengths 0..730 days.
Ranges make_ranges(size_t n, uint64_t seed) {
  std::mt19937_64 rng(seed);
  const Date lo = date_from_ymd(2007, 1, 1), hi = date_from_ymd(2027, 1, 1);
  std::uniform_int_distribution<Date> start(lo, hi - 1);
  std::uniform_int_distribution<Date> len(0, 730);
  Ranges r;
  r.starts.resize(n);
  r.ends.resize(n);
  for (size_t i = 0; i < n; ++i) {
    r.starts[i] = start(rng);
    r.ends[i] = std::min<Date>(hi, r.starts[i] + len(rng));
  }
  return r;
}

void BM_WorkingDaysBulk(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Calendar cal = Calendar::preset("CN");
  const Ranges r = make_ranges(n, 42);
  std::vector<int32_t> out(n);
  for (auto _ : state) {
    cal.working_days(r.starts, r.ends, out);
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}
BENCHMARK(BM_WorkingDaysBulk)->Arg(10'000'000)->Unit(benchmark::kMillisecond);

void BM_WorkingDaysSingle(benchmark::State& state) {
  const Calendar cal = Calendar::preset("CN");
  const Ranges r = make_ranges(1 << 16, 7);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(cal.working_days(r.starts[i], r.ends[i]));
    i = (i + 1) & ((1 << 16) - 1);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}
BENCHMARK(BM_WorkingDaysSingle);

void BM_AddWorkingDaysBulk(benchmark::State& state) {
  const size_t n = static_cast<size_t>(state.range(0));
  const Calendar cal = Calendar::preset("CN");
  const Ranges r = make_ranges(n, 9);
  std::vector<int32_t> k(n), out(n);
  std::mt19937 rng(3);
  std::uniform_int_distribution<int32_t> dist(-60, 60);
  for (auto& v : k) v = dist(rng);
  // Keep every answer inside the valid range.
  std::vector<Date> dates(r.starts);
  for (auto& d : dates) d = std::clamp(d, date_from_ymd(2007, 6, 1), date_from_ymd(2026, 6, 1));
  for (auto _ : state) {
    cal.add_working_days(dates, k, out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * static_cast<int64_t>(n));
}
BENCHMARK(BM_AddWorkingDaysBulk)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_BuildCalendarCN(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(Calendar::preset("CN"));
}
BENCHMARK(BM_BuildCalendarCN)->Unit(benchmark::kMicrosecond);

void BM_PeriodsWeeks(benchmark::State& state) {
  const Calendar cal = Calendar::preset("CN");
  for (auto _ : state)
    benchmark::DoNotOptimize(cal.periods(date_from_ymd(2007, 1, 1), date_from_ymd(2027, 1, 1), Grain::week));
}
BENCHMARK(BM_PeriodsWeeks)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
