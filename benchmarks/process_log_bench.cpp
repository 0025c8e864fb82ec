// Event-log and discovery benchmarks on BPIC 2012 (262,200 events, 13,087 cases). Targets
// (issue 4, Release, one core), log already built: directly-follows graph with performance
// < 5 ms; temporal profile < 100 ms; temporal conformance (zeta 6) < 100 ms; peak memory of the
// temporal profile < 100 MB.
//
//   taskset -c 0 build-release/bin/bench_process_log
//   /usr/bin/time -v build-release/bin/bench_process_log --peak-memory   # load + temporal profile only
// The log is found in $QUOTAFLOW_SHARED_DATA_DIR/eventlogs (default: ../shared/data next to the
// source tree); without it every benchmark is skipped with a message.
#include <sys/resource.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/temporal.hpp"

namespace {

using namespace quotaflow::process;

std::string log_path() {
  const char* env = std::getenv("QUOTAFLOW_SHARED_DATA_DIR");
  std::filesystem::path dir = env && *env ? env : QUOTAFLOW_SHARED_DATA_DIR;
  return (dir / "eventlogs" / "bpic2012_loan_application.csv.gz").string();
}

LogCsvOptions bpic_options() {
  LogCsvOptions o;
  o.resource_column = "org:resource";
  return o;
}

// Loaded once, shared by the benchmarks; nullptr when the data is absent.
const EventLog* bpic() {
  static const std::optional<EventLog> log = []() -> std::optional<EventLog> {
    if (!std::filesystem::exists(log_path())) return std::nullopt;
    return read_log_csv(log_path(), bpic_options());
  }();
  return log ? &*log : nullptr;
}

bool skip_without_data(benchmark::State& state) {
  if (bpic() != nullptr) return false;
  state.SkipWithError(("BPIC 2012 log not found at " + log_path() + "; set QUOTAFLOW_SHARED_DATA_DIR").c_str());
  return true;
}

void BM_ReadCsvGz(benchmark::State& state) {
  if (skip_without_data(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(read_log_csv(log_path(), bpic_options()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(bpic()->size()));
}

// EventLog::from_columns on the columns in the file's original row order (interning done).
void BM_BuildFromColumns(benchmark::State& state) {
  if (skip_without_data(state)) return;
  const EventLog& log = *bpic();
  const std::size_t n = log.size();
  std::vector<int64_t> cases(n), ts(n);
  std::vector<int32_t> acts(n), res(n);
  for (std::size_t c = 0; c < log.num_cases(); ++c)
    for (int64_t e = log.case_offsets()[c]; e < log.case_offsets()[c + 1]; ++e) {
      const auto row = static_cast<std::size_t>(log.source_rows()[static_cast<std::size_t>(e)]);
      cases[row] = log.case_keys()[c];
      acts[row] = log.activities()[static_cast<std::size_t>(e)];
      ts[row] = log.timestamps()[static_cast<std::size_t>(e)];
      res[row] = log.resources()[static_cast<std::size_t>(e)];
    }
  for (auto _ : state)
    benchmark::DoNotOptimize(EventLog::from_columns(cases, acts, ts, log.activity_names(), res, log.resource_names(), {},
                                                    log.case_names()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(n));
}

void BM_DirectlyFollows(benchmark::State& state) {
  if (skip_without_data(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(directly_follows(*bpic()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(bpic()->size()));
}

void BM_StartEndActivities(benchmark::State& state) {
  if (skip_without_data(state)) return;
  for (auto _ : state) {
    benchmark::DoNotOptimize(start_activities(*bpic()));
    benchmark::DoNotOptimize(end_activities(*bpic()));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(bpic()->num_cases()));
}

void BM_Variants(benchmark::State& state) {
  if (skip_without_data(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(variants(*bpic()));
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(bpic()->size()));
}

// Items: event pairs visited (5,098,156 on BPIC 2012).
int64_t pair_count(const EventLog& log) {
  int64_t pairs = 0;
  for (std::size_t c = 0; c < log.num_cases(); ++c) {
    const auto k = static_cast<int64_t>(log.case_size(c));
    pairs += k * (k - 1) / 2;
  }
  return pairs;
}

void BM_TemporalProfile(benchmark::State& state) {
  if (skip_without_data(state)) return;
  for (auto _ : state) benchmark::DoNotOptimize(temporal_profile(*bpic()));
  state.SetItemsProcessed(state.iterations() * pair_count(*bpic()));
}

void BM_TemporalConformance(benchmark::State& state) {
  if (skip_without_data(state)) return;
  const TemporalProfile profile = temporal_profile(*bpic());
  std::size_t deviations = 0;
  for (auto _ : state) {
    auto d = temporal_conformance(*bpic(), profile, 6.0);
    deviations = d.size();
    benchmark::DoNotOptimize(d);
  }
  state.counters["deviations"] = static_cast<double>(deviations);
  state.SetItemsProcessed(state.iterations() * pair_count(*bpic()));
}

BENCHMARK(BM_ReadCsvGz)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_BuildFromColumns)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DirectlyFollows)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_StartEndActivities)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Variants)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TemporalProfile)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_TemporalConformance)->Unit(benchmark::kMillisecond);

long max_rss_kib() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_maxrss;
}

// --peak-memory: builds the log from columns (as a caller holding the log in memory would have
// it), then computes the temporal profile, printing the process's peak RSS after each step.
int peak_memory() {
  if (!std::filesystem::exists(log_path())) {
    std::fprintf(stderr, "BPIC 2012 log not found at %s\n", log_path().c_str());
    return 1;
  }
  const long start = max_rss_kib();
  EventLog log = read_log_csv(log_path(), bpic_options());
  const long loaded = max_rss_kib();
  TemporalProfile p = temporal_profile(log);
  const long profiled = max_rss_kib();
  std::printf("peak RSS: start %.1f MB, after reading the CSV.gz %.1f MB, after the temporal profile %.1f MB "
              "(%zu pairs)\n",
              static_cast<double>(start) / 1024, static_cast<double>(loaded) / 1024, static_cast<double>(profiled) / 1024,
              p.size());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--peak-memory") == 0) return peak_memory();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
