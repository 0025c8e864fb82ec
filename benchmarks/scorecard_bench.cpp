// KPI scorecard benchmark (issue 7): 100,000 people x 12 periods = 1.2 million rows, 10 KPIs
// (linear, piecewise and step curves; attainment computed from actual / target; two gates, one
// on the whole score, one on named components). Items = scored lines (rows x KPIs).
// Reasons are made on demand and are not part of the scoring time; BM_ScorecardReasons measures
// them separately.
#include <random>
#include <string>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/incentive/scorecard.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::incentive;

constexpr double inf = std::numeric_limits<double>::infinity();

Scorecard make_card() {
  ScorecardDef d;
  d.measures = {{"nps", "NPS", MeasureUnit::number, "", ""},     {"calls", "", MeasureUnit::number, "", ""},
                {"upsell_rate", "", MeasureUnit::rate, "", ""},   {"renewal_rate", "", MeasureUnit::rate, "", ""},
                {"training", "", MeasureUnit::rate, "", ""}};
  d.kpis.push_back({"", "attainment", 30, Curve::linear(0.8, 1.0, 150, 50), {}});
  d.kpis.push_back({"", "margin_rate", 15, Curve::piecewise({{0.15, 50}, {0.25, 100}, {0.35, 150}}), {}});
  d.kpis.push_back({"", "new_outlets", 10, Curve::step({{1, 3, 40}, {3, 6, 80}, {6, inf, 100}}), Gate{1, 0, {"upsell_rate"}}});
  d.kpis.push_back({"", "conformance_rate", 10, Curve::linear(0.6, 0.95), {}});
  d.kpis.push_back({"", "activity_compliance", 5, Curve::piecewise({{0.5, 25}, {0.8, 75}, {1.0, 100}}), {}});
  d.kpis.push_back({"", "nps", 10, Curve::step({{0, 20, 30}, {20, 50, 70}, {50, inf, 100}}), {}});
  d.kpis.push_back({"", "calls", 5, Curve::linear(100, 300, 120), {}});
  d.kpis.push_back({"", "upsell_rate", 10, Curve::piecewise({{0.05, 50}, {0.1, 100}}), {}});
  d.kpis.push_back({"", "renewal_rate", 5, Curve::linear(0.7, 0.95, 110), {}});
  d.kpis.push_back({"", "collection_rate", 0, {}, Gate{0.8, 0, {}}});
  return Scorecard(d);
}

struct Inputs {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;
  std::vector<InputColumn> columns() const {
    std::vector<InputColumn> c;
    for (size_t i = 0; i < names.size(); ++i) c.push_back({names[i], values[i]});
    return c;
  }
};

Inputs make_inputs(size_t rows, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_real_distribution<double> u(0, 1);
  Inputs in;
  in.names = {"actual", "target", "margin_rate", "new_outlets", "conformance_rate", "activity_compliance", "nps",
              "calls", "upsell_rate", "renewal_rate", "collection_rate"};
  in.values.assign(in.names.size(), std::vector<double>(rows));
  for (size_t i = 0; i < rows; ++i) {
    const double target = 50'000 + 100'000 * u(rng);
    in.values[0][i] = target * (0.5 + u(rng));
    in.values[1][i] = target;
    in.values[2][i] = 0.1 + 0.3 * u(rng);
    in.values[3][i] = static_cast<double>(rng() % 9);
    in.values[4][i] = 0.5 + 0.5 * u(rng);
    in.values[5][i] = 0.4 + 0.6 * u(rng);
    in.values[6][i] = -20 + 100 * u(rng);
    in.values[7][i] = 50 + 300 * u(rng);
    in.values[8][i] = 0.15 * u(rng);
    in.values[9][i] = 0.6 + 0.4 * u(rng);
    in.values[10][i] = 0.7 + 0.3 * u(rng);
  }
  return in;
}

void BM_Scorecard(benchmark::State& state) {
  const size_t people = static_cast<size_t>(state.range(0)), periods = 12, rows = people * periods;
  const Scorecard card = make_card();
  const Inputs in = make_inputs(rows, 7);
  const auto cols = in.columns();
  for (auto _ : state) {
    ScoreResult r = card.score(cols);
    benchmark::DoNotOptimize(r.total.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows * card.size()));
  state.counters["rows"] = static_cast<double>(rows);
}
BENCHMARK(BM_Scorecard)->Arg(1'000)->Arg(100'000)->Unit(benchmark::kMillisecond);

void BM_ScorecardReasons(benchmark::State& state) {
  const size_t rows = 10'000;
  const Scorecard card = make_card();
  const Inputs in = make_inputs(rows, 7);
  const ScoreResult r = card.score(in.columns());
  for (auto _ : state) {
    size_t bytes = 0;
    for (size_t i = 0; i < rows; ++i)
      for (size_t k = 0; k < card.size(); ++k) bytes += card.reason(r, i, k).size();
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * rows * card.size()));
}
BENCHMARK(BM_ScorecardReasons)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
