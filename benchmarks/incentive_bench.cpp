// Incentive payout benchmark. Target (issue 7, Release, one core): 100,000 people x 12 months x
// 10 tiered components, credits from 10 million sales lines, under 1 s end to end (crediting,
// quotas, evaluation of every cell, statement lines for the month being paid).
#include <algorithm>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "quotaflow/incentive/payout.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::incentive;

Plan make_plan() {
  PlanSpec s;
  s.name = "bench";
  for (int k = 0; k < 10; ++k) {
    ComponentSpec c;
    c.name = "c" + std::to_string(k);
    c.method = k % 2 == 0 ? TierMethod::marginal : TierMethod::retroactive;
    c.tiers = {{0.0, 0.01 + 0.001 * k}, {0.8, 0.02 + 0.001 * k}, {1.0, 0.04}, {1.5, 0.06}};
    if (k % 3 == 0) c.accelerator = Multiplier{1.2, 1.5};
    if (k % 4 == 1) c.cap = 5'000'000;
    s.components.push_back(c);
  }
  s.draw = {100'000, true};
  return Plan(s);
}

struct Data {
  size_t people;
  std::vector<int32_t> seller, qperson, manager;
  std::vector<Date> date, qfrom;
  std::vector<int64_t> amount, qamount;
  PayoutInput input() const {
    PayoutInput in;
    in.people = people;
    in.sales.seller = seller;
    in.sales.date = date;
    in.sales.amount = amount;
    in.quota_person = qperson;
    in.quota_from = qfrom;
    in.quota_amount = qamount;
    in.manager = manager;
    return in;
  }
};

Data make_data(size_t people, size_t sales, uint64_t seed) {
  std::mt19937_64 rng(seed);
  Data d;
  d.people = people;
  const Date start = date_from_string("2026-01-01");
  d.seller.resize(sales);
  d.date.resize(sales);
  d.amount.resize(sales);
  for (size_t i = 0; i < sales; ++i) {
    d.seller[i] = static_cast<int32_t>(rng() % people);
    d.date[i] = start + static_cast<Date>(rng() % 365);
    d.amount[i] = 100 + static_cast<int64_t>(rng() % 2'000'000);
  }
  for (size_t r = 0; r < people; ++r) {
    d.qperson.push_back(static_cast<int32_t>(r));
    d.qfrom.push_back(start);
    d.qamount.push_back(5'000'000 + static_cast<int64_t>(rng() % 10'000'000));
    d.manager.push_back(r < 100 ? -1 : static_cast<int32_t>(rng() % (r / 10 + 1)));
  }
  return d;
}

void BM_PayoutRun(benchmark::State& state) {
  const Plan plan = make_plan();
  const Calendar cal = Calendar::preset("CN");
  const Data d = make_data(100'000, static_cast<size_t>(state.range(0)), 11);
  PayoutInput in = d.input();
  in.rollup = state.range(1) != 0;
  const PayoutOptions opt{.start = date_from_string("2026-01-01"), .end = date_from_string("2027-01-01"), .lines_from = 11};
  size_t lines = 0;
  for (auto _ : state) {
    PayoutResult r = run_payouts(plan, cal, in, opt);
    lines = r.lines.size();
    benchmark::DoNotOptimize(r.cells.data());
  }
  state.counters["december_lines"] = static_cast<double>(lines);
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_PayoutRun)->Args({10'000'000, 0})->Args({10'000'000, 1})->Unit(benchmark::kMillisecond)->UseRealTime();

// The crediting pass alone (10M sales scattered into the 100,000 x 12 array, then roll-up when
// range(1) is 1): the part of the run bound by memory rather than arithmetic.
void BM_Crediting(benchmark::State& state) {
  const Calendar cal = Calendar::preset("CN");
  const Data d = make_data(100'000, static_cast<size_t>(state.range(0)), 11);
  const PayoutInput in = d.input();
  const PeriodIndex pi(cal, date_from_string("2026-01-01"), date_from_string("2027-01-01"), Grain::month);
  std::vector<int64_t> credit(d.people * pi.size());
  for (auto _ : state) {
    std::fill(credit.begin(), credit.end(), 0);
    credit_sales(in.sales, d.people, pi, state.range(1) != 0 ? in.manager : gsl::span<const int32_t>{}, credit);
    benchmark::DoNotOptimize(credit.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Crediting)->Args({10'000'000, 0})->Args({10'000'000, 1})->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
