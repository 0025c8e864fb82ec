// Probability of making the target: the exact distribution of the amount still to be won.
//
// Open deals closing in the period are independent Bernoulli trials: deal i is won with
// probability p_i and brings amount a_i. The won amount W = sum of a_i over won deals has a
// distribution that Monte Carlo only estimates; here it is computed exactly by dynamic
// programming over amounts discretised to a stated `unit` (minor units):
//   k_i = round(a_i / unit) (halves away from zero), K = sum k_i,
//   f_0 = point mass at 0;  f_i[s] = (1 - p_i) f_{i-1}[s] + p_i f_{i-1}[s - k_i],  s = 0..K.
// Cost O(n x K) time and O(K) memory, so the unit sets the precision/cost trade-off.
//
// Error bound (why the unit is stated): each amount is replaced by unit x k_i, which differs from
// a_i by at most unit/2, so for every outcome the discretised won amount differs from the true
// one by at most n x unit / 2 (TargetProbability::max_error). P(W >= T) is computed as
// P(unit x S >= T) = P(S >= ceil(T / unit)); with unit = 1 it is exact up to floating-point
// rounding of the probabilities (about 1e-15 per step).
//
// Quantiles: the q-quantile is the smallest discretised amount w with P(W <= w) >= q.
//
//   auto tp = target_probability(amount, probability, 500'000, {.unit = 100});
//   tp.probability   // P(won >= 500000)
//   tp.quantiles     // at levels {0.1, 0.5, 0.9} by default
//
// Thread rule: pure functions.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"

namespace quotaflow::monitor {

struct TargetProbabilityOptions {
  int64_t unit = 1;                                     // discretisation unit, minor units (> 0)
  std::vector<double> quantile_levels = {0.1, 0.5, 0.9};  // each in [0, 1]
  int64_t max_cells = int64_t{1} << 26;                 // refuse K + 1 above this (memory: 8 bytes each)
};

struct TargetProbability {
  double probability = 0;          // P(won >= remaining target)
  double expected = 0;             // E[won] of the discretised amounts (minor units)
  std::vector<int64_t> quantiles;  // per level, minor units (multiples of unit)
  int64_t unit = 1;
  double max_error = 0;            // n x unit / 2: bound on |discretised - true| won amount
  std::vector<double> pmf;         // P(S = s), s = 0..K; the won amount is unit x s
};

namespace detail {
inline int64_t units_of(int64_t a, int64_t unit) {  // round(a / unit), halves away from zero; a >= 0
  return a / unit + ((a % unit) * 2 >= unit ? 1 : 0);
}
}  // namespace detail

// The smallest won amount w (a multiple of unit) with P(won <= w) >= level, from a computed
// distribution: quantile(tp, 0.5) is the median outcome.
inline int64_t quantile(const TargetProbability& tp, double level) {
  detail::check_probability(level, "level", 0);
  double cdf = 0;
  size_t s = 0;
  for (; s + 1 < tp.pmf.size(); ++s) {
    cdf += tp.pmf[s];
    if (cdf >= level * (1 - 1e-12)) break;  // tolerate the running sum's rounding at level 1
  }
  return static_cast<int64_t>(s) * tp.unit;
}

// The distribution of the won amount and P(won >= remaining_target).
//   target_probability({100, 200}, {0.5, 0.5}, 200).probability == 0.5
inline TargetProbability target_probability(gsl::span<const int64_t> amount, gsl::span<const double> probability,
                                            int64_t remaining_target, const TargetProbabilityOptions& opt = {}) {
  const size_t n = amount.size();
  detail::check_length(probability.size(), n, "probability", "amount");
  if (opt.unit <= 0) fail(errc::invalid_argument, "unit is ", opt.unit, "; it must be > 0 minor units");
  for (size_t j = 0; j < opt.quantile_levels.size(); ++j) detail::check_probability(opt.quantile_levels[j], "quantile_levels", j);
  int64_t K = 0;
  for (size_t i = 0; i < n; ++i) {
    if (amount[i] < 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; a deal amount cannot be negative");
    detail::check_probability(probability[i], "probability", i);
    K = quotaflow::detail::checked_add(K, detail::units_of(amount[i], opt.unit), "total amount in units");
  }
  if (K + 1 > opt.max_cells)
    fail(errc::invalid_argument, "the deals total ", K, " units of ", opt.unit, " minor units, more than max_cells (",
         opt.max_cells, "); use a larger unit");
  TargetProbability r;
  r.unit = opt.unit;
  r.max_error = static_cast<double>(n) * static_cast<double>(opt.unit) / 2;
  auto& f = r.pmf;
  f.assign(static_cast<size_t>(K) + 1, 0.0);
  f[0] = 1;
  size_t top = 0;  // highest reachable sum so far
  for (size_t i = 0; i < n; ++i) {
    const double p = probability[i], q = 1 - p;
    const auto k = static_cast<size_t>(detail::units_of(amount[i], opt.unit));
    if (k == 0) continue;  // nothing to win: the distribution is unchanged
    // In place from the top down, so f[s] reads the old f[s - k] before it is overwritten; three
    // branch-free ranges: only the win term above the old top, both terms, only the loss term.
    const auto T = static_cast<std::ptrdiff_t>(top), kk = static_cast<std::ptrdiff_t>(k);
    double* g = f.data();
    for (std::ptrdiff_t x = T + kk; x >= std::max(T + 1, kk); --x) g[x] = g[x - kk] * p;
    for (std::ptrdiff_t x = T; x >= kk; --x) g[x] = g[x] * q + g[x - kk] * p;
    for (std::ptrdiff_t x = std::min(T, kk - 1); x >= 0; --x) g[x] *= q;
    top += k;
  }
  // P(S >= t) with t = ceil(T / unit); expected value.
  int64_t t = remaining_target <= 0 ? 0 : remaining_target / opt.unit + (remaining_target % opt.unit != 0 ? 1 : 0);
  double tail = 0, mean = 0;
  for (size_t s = f.size(); s-- > 0;) {
    if (static_cast<int64_t>(s) >= t) tail += f[s];
    mean += static_cast<double>(s) * f[s];
  }
  r.probability = t > K ? 0.0 : std::min(1.0, tail);
  r.expected = mean * static_cast<double>(opt.unit);
  r.quantiles.reserve(opt.quantile_levels.size());
  for (double level : opt.quantile_levels) r.quantiles.push_back(quantile(r, level));
  return r;
}

struct TargetAlertOptions {
  double min_probability = 0.5;               // below: alert; below half of it: critical
  int32_t period = -1;
  int amount_scale = 0;
  gsl::span<const std::string> node_names{};  // optional
  bool keep_pmf = false;                      // keep each node's distribution (memory: 8 bytes per cell)
};

struct TargetProbabilities {
  std::vector<TargetProbability> nodes;  // per node (pmf empty unless keep_pmf)
  std::vector<Alert> alerts;             // Rule::target_probability_low, entity = node
};

// Per node v: the deals with owner == v and remaining_target[v]. Nodes whose remaining target is
// <= 0 have made it (probability 1, no alert).
//   target_probabilities(owner, amount, probability, remaining, {.unit = 100})
inline TargetProbabilities target_probabilities(gsl::span<const int32_t> owner, gsl::span<const int64_t> amount,
                                                gsl::span<const double> probability,
                                                gsl::span<const int64_t> remaining_target,
                                                const TargetProbabilityOptions& opt = {},
                                                const TargetAlertOptions& alert = {}) {
  const size_t n = owner.size(), N = remaining_target.size();
  detail::check_length(amount.size(), n, "amount", "owner");
  detail::check_length(probability.size(), n, "probability", "owner");
  detail::check_optional_length(alert.node_names.size(), N, "node_names", "node");
  if (!(alert.min_probability >= 0 && alert.min_probability <= 1))
    fail(errc::invalid_argument, "min_probability is ", alert.min_probability, "; it must be in [0, 1]");
  quotaflow::detail::check_scale(alert.amount_scale);
  // Group deal rows by node (counting sort: one pass, no per-row allocation).
  std::vector<size_t> start(N + 1, 0);
  for (size_t i = 0; i < n; ++i) {
    detail::check_id(owner[i], N, "owner", i, "a node id");
    if (amount[i] < 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; a deal amount cannot be negative");
    detail::check_probability(probability[i], "probability", i);
    ++start[static_cast<size_t>(owner[i]) + 1];
  }
  for (size_t v = 0; v < N; ++v) start[v + 1] += start[v];
  std::vector<int64_t> a(n);
  std::vector<double> p(n);
  {
    std::vector<size_t> next(start.begin(), start.end() - 1);
    for (size_t i = 0; i < n; ++i) {
      const size_t at = next[static_cast<size_t>(owner[i])]++;
      a[at] = amount[i];
      p[at] = probability[i];
    }
  }
  TargetProbabilities r;
  r.nodes.reserve(N);
  for (size_t v = 0; v < N; ++v) {
    const size_t b = start[v], m = start[v + 1] - start[v];
    try {
      r.nodes.push_back(target_probability(gsl::span<const int64_t>(a).subspan(b, m),
                                           gsl::span<const double>(p).subspan(b, m), remaining_target[v], opt));
    } catch (const error& e) {
      fail(e.code(), "node ", v, ": ", e.what());
    }
    auto& tp = r.nodes.back();
    const auto drop_pmf = [&] {
      if (!alert.keep_pmf) std::vector<double>().swap(tp.pmf);
    };
    if (remaining_target[v] <= 0 || !(tp.probability < alert.min_probability)) {
      drop_pmf();
      continue;
    }
    r.alerts.push_back(make_alert(Rule::target_probability_low, tp.probability < alert.min_probability / 2 ? Severity::critical : Severity::warning,
        EntityKind::node, static_cast<int64_t>(v), -1, alert.period, tp.probability, alert.min_probability,
        message(label(alert.node_names, static_cast<int64_t>(v)), ": ", percent(tp.probability),
                         " chance of winning the remaining target ", compact_amount(remaining_target[v], alert.amount_scale),
                         " from ", start[v + 1] - start[v], " open deals (median outcome ",
                         compact_amount(quantile(tp, 0.5), alert.amount_scale), "), minimum ",
                         percent(alert.min_probability))));
    drop_pmf();
  }
  return r;
}

}  // namespace quotaflow::monitor
