// Analysis of a process model, alone and fitted to an event log.
//
//   mandatory_stages(m)  the stages every path from the start to a won stage passes: the
//                        dominators of the won stages (Lengauer-Tarjan, Boost.Graph), over all
//                        transitions including rework, in stage order.
//   critical_path(m)     the longest path by expected duration from the start to a won stage over
//                        forward and skip transitions (rework ignored), with its total: the sum of
//                        the expected durations of its stages (unset counts 0), in the model's
//                        unit. Ties go to the lower stage index.
//   fit(m, log)          from the log's stage entries (event_map.hpp): per pair of stages the
//                        observed moves, probabilities and mean times; per stage the completed
//                        stays and their mean and median length in seconds; then the stage graph
//                        as an absorbing Markov chain (terminal stages absorb), giving per stage
//                        the probability of ending in a won stage and the expected seconds until
//                        a terminal stage; and a conversion funnel per stage.
// All require a valid model (validate() empty).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

#include "quotaflow/process/event_log.hpp"
#include "quotaflow/process/event_map.hpp"
#include "quotaflow/process/model.hpp"
#include "quotaflow/process/stage_graph.hpp"
#include "quotaflow/process/validate.hpp"

namespace quotaflow::process {

inline std::vector<int32_t> mandatory_stages(const ProcessModel& m) {
  require_valid(m, "mandatory_stages");
  const std::vector<uint8_t> mask = detail::won_dominators(m);
  std::vector<int32_t> out;
  for (size_t s = 0; s < mask.size(); ++s)
    if (mask[s]) out.push_back(static_cast<int32_t>(s));
  return out;
}

struct CriticalPath {
  std::vector<int32_t> stages;  // from the start stage to a won stage
  double total = 0;             // sum of expected durations, model's unit
};

inline CriticalPath critical_path(const ProcessModel& m) {
  require_valid(m, "critical_path");
  const auto& st = m.stages();
  const size_t n = st.size();
  const detail::StageGraph g = detail::stage_graph(m, false);
  const double none = -std::numeric_limits<double>::infinity();
  std::vector<double> best(n, none);
  std::vector<int32_t> pred(n, -1);
  auto weight = [&](size_t s) { return is_set(st[s].expected_duration) ? st[s].expected_duration : 0.0; };
  best[static_cast<size_t>(m.start())] = weight(static_cast<size_t>(m.start()));
  for (int32_t v : detail::topological_order(g)) {
    const auto u = static_cast<size_t>(v);
    if (best[u] == none) continue;
    for (auto [e, end] = boost::out_edges(static_cast<detail::StageVertex>(u), g); e != end; ++e) {
      const auto w = static_cast<size_t>(boost::target(*e, g));
      const double d = best[u] + weight(w);
      if (d > best[w] || (d == best[w] && static_cast<int32_t>(u) < pred[w])) {
        best[w] = d;
        pred[w] = static_cast<int32_t>(u);
      }
    }
  }
  int32_t end = -1;
  for (size_t s = 0; s < n; ++s)
    if (st[s].terminal == TerminalKind::won && best[s] != none && (end < 0 || best[s] > best[static_cast<size_t>(end)]))
      end = static_cast<int32_t>(s);
  CriticalPath cp;
  if (end < 0) return cp;  // a valid model always reaches a won stage; kept for safety
  cp.total = best[static_cast<size_t>(end)];
  for (int32_t v = end; v >= 0; v = pred[static_cast<size_t>(v)]) cp.stages.push_back(v);
  std::reverse(cp.stages.begin(), cp.stages.end());
  return cp;
}

// What fit() learns from a log. Matrices are num_stages x num_stages, row-major, [from * n + to].
struct ModelFit {
  size_t num_stages = 0;
  int64_t cases = 0;          // cases in the log
  int64_t cases_started = 0;  // cases with at least one stage entry

  std::vector<int64_t> move_counts;          // observed moves between consecutive stage entries
  std::vector<double> move_probabilities;    // rows sum to 1 for non-terminal stages (see below)
  std::vector<double> move_mean_seconds;     // mean time from entering `from` to entering `to` (NaN: none)

  std::vector<int64_t> stays;                // completed stays per stage (followed by another stage entry)
  std::vector<double> sojourn_mean_seconds;  // NaN when no stay was completed
  std::vector<double> sojourn_median_seconds;

  std::vector<double> win_probability;              // P(absorbed in a won stage), absorbing chain
  std::vector<double> expected_seconds_to_terminal; // +inf when the chain may never end from here

  // Funnel: cases that entered each stage at least once, and how they stand at the end of the log.
  std::vector<int64_t> cases_entered, cases_won, cases_lost, cases_open;

  [[nodiscard]] double move_probability(int32_t from, int32_t to) const {
    return move_probabilities.at(static_cast<size_t>(from) * num_stages + static_cast<size_t>(to));
  }
  [[nodiscard]] int64_t move_count(int32_t from, int32_t to) const {
    return move_counts.at(static_cast<size_t>(from) * num_stages + static_cast<size_t>(to));
  }
};

namespace detail {

// Solves A x = b in place (A: k x k row-major) by Gaussian elimination with partial pivoting.
// The callers only pass systems I - Q that are nonsingular (every state can leave the set).
inline std::vector<double> solve_dense(std::vector<double> a, std::vector<double> b) {
  const size_t k = b.size();
  for (size_t col = 0; col < k; ++col) {
    size_t piv = col;
    for (size_t r = col + 1; r < k; ++r)
      if (std::abs(a[r * k + col]) > std::abs(a[piv * k + col])) piv = r;
    if (std::abs(a[piv * k + col]) < 1e-300) fail(errc::internal, "absorbing chain: singular system at row ", col);
    if (piv != col) {
      for (size_t j = 0; j < k; ++j) std::swap(a[col * k + j], a[piv * k + j]);
      std::swap(b[col], b[piv]);
    }
    for (size_t r = col + 1; r < k; ++r) {
      const double f = a[r * k + col] / a[col * k + col];
      if (f == 0) continue;
      for (size_t j = col; j < k; ++j) a[r * k + j] -= f * a[col * k + j];
      b[r] -= f * b[col];
    }
  }
  std::vector<double> x(k);
  for (size_t i = k; i-- > 0;) {
    double s = b[i];
    for (size_t j = i + 1; j < k; ++j) s -= a[i * k + j] * x[j];
    x[i] = s / a[i * k + i];
  }
  return x;
}

// For states in `set` (indexes into P, n x n): solves x = b + P_set x restricted to the set,
// the other states contributing 0.
inline std::vector<double> solve_on(const std::vector<double>& p, size_t n, const std::vector<int32_t>& set,
                                    const std::vector<double>& b_full) {
  const size_t k = set.size();
  std::vector<double> a(k * k, 0.0), b(k);
  for (size_t i = 0; i < k; ++i) {
    const auto si = static_cast<size_t>(set[i]);
    a[i * k + i] = 1.0;
    for (size_t j = 0; j < k; ++j) a[i * k + j] -= p[si * n + static_cast<size_t>(set[j])];
    b[i] = b_full[si];
  }
  return solve_dense(std::move(a), std::move(b));
}

}  // namespace detail

// Probabilities: observed moves out of a stage, row-normalised. A non-terminal stage without
// observed moves uses the model's declared probabilities when every transition out of it has
// one, else equal shares over its declared transitions. Sojourn times: observed; a stage without
// completed stays falls back to its expected duration (calendar days or hours; NaN for working
// days), and an unknown sojourn makes the expected time NaN for the stages that may pass it.
inline ModelFit fit(const ProcessModel& m, const EventLog& log) {
  require_valid(m, "fit");
  const size_t n = m.num_stages();
  const auto& st = m.stages();
  const EventMap map = map_events(m, log);
  ModelFit f;
  f.num_stages = n;
  f.cases = static_cast<int64_t>(log.num_cases());
  f.move_counts.assign(n * n, 0);
  f.move_probabilities.assign(n * n, 0.0);
  f.move_mean_seconds.assign(n * n, unset);
  f.stays.assign(n, 0);
  f.sojourn_mean_seconds.assign(n, unset);
  f.sojourn_median_seconds.assign(n, unset);
  f.cases_entered.assign(n, 0);
  f.cases_won.assign(n, 0);
  f.cases_lost.assign(n, 0);
  f.cases_open.assign(n, 0);

  std::vector<double> move_sum(n * n, 0.0);
  std::vector<std::vector<double>> sojourn(n);
  std::vector<int64_t> seen(n, 0);
  std::vector<int32_t> entered;
  const auto offsets = log.case_offsets();
  const auto acts = log.activities();
  const auto ts = log.timestamps();
  for (size_t c = 0; c < log.num_cases(); ++c) {
    int32_t cur = -1;
    int64_t entry_t = 0;
    entered.clear();
    for (auto e = static_cast<size_t>(offsets[c]); e < static_cast<size_t>(offsets[c + 1]); ++e) {
      const int32_t s = map.code[static_cast<size_t>(acts[e])];
      if (!EventMap::is_stage(s)) continue;
      if (cur >= 0) {
        const size_t idx = static_cast<size_t>(cur) * n + static_cast<size_t>(s);
        const double secs = static_cast<double>(ts[e] - entry_t) / 1e9;
        ++f.move_counts[idx];
        move_sum[idx] += secs;
        sojourn[static_cast<size_t>(cur)].push_back(secs);
      }
      if (seen[static_cast<size_t>(s)] != static_cast<int64_t>(c) + 1) {
        seen[static_cast<size_t>(s)] = static_cast<int64_t>(c) + 1;
        entered.push_back(s);
      }
      cur = s;
      entry_t = ts[e];
    }
    if (cur < 0) continue;
    ++f.cases_started;
    const TerminalKind term = st[static_cast<size_t>(cur)].terminal;
    for (int32_t s : entered) {
      const auto i = static_cast<size_t>(s);
      ++f.cases_entered[i];
      if (term == TerminalKind::won) ++f.cases_won[i];
      else if (term == TerminalKind::lost) ++f.cases_lost[i];
      else ++f.cases_open[i];
    }
  }

  for (size_t s = 0; s < n; ++s) {
    auto& v = sojourn[s];
    f.stays[s] = static_cast<int64_t>(v.size());
    if (!v.empty()) {
      double sum = 0;
      for (double x : v) sum += x;
      f.sojourn_mean_seconds[s] = sum / static_cast<double>(v.size());
      const size_t mid = v.size() / 2;
      std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
      double med = v[mid];
      if (v.size() % 2 == 0) med = (med + *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid))) / 2;
      f.sojourn_median_seconds[s] = med;
    } else if (is_set(st[s].expected_duration) && m.duration_unit() != DurationUnit::working_days) {
      f.sojourn_mean_seconds[s] = st[s].expected_duration * (m.duration_unit() == DurationUnit::hours ? 3600.0 : 86400.0);
    }
    int64_t total = 0;
    for (size_t t = 0; t < n; ++t) total += f.move_counts[s * n + t];
    for (size_t t = 0; t < n; ++t) {
      const size_t idx = s * n + t;
      if (f.move_counts[idx]) f.move_mean_seconds[idx] = move_sum[idx] / static_cast<double>(f.move_counts[idx]);
      if (total) f.move_probabilities[idx] = static_cast<double>(f.move_counts[idx]) / static_cast<double>(total);
    }
    if (total || st[s].terminal != TerminalKind::none) continue;
    std::vector<const Transition*> out;
    bool all_declared = true;
    for (const auto& t : m.transitions())
      if (static_cast<size_t>(t.from) == s) {
        out.push_back(&t);
        all_declared = all_declared && is_set(t.probability);
      }
    double declared_sum = 0;
    for (const Transition* t : out) declared_sum += all_declared ? t->probability : 1.0;
    for (const Transition* t : out)
      f.move_probabilities[s * n + static_cast<size_t>(t->to)] += (all_declared ? t->probability : 1.0) / declared_sum;
  }
  // Terminal stages absorb: their rows are not part of the chain.
  for (size_t s = 0; s < n; ++s)
    if (st[s].terminal != TerminalKind::none)
      for (size_t t = 0; t < n; ++t) f.move_probabilities[s * n + t] = 0.0;

  // Absorbing chain. States that can reach a terminal stage (T'), and those that may get stuck
  // (can reach a non-terminal stage with no way out).
  const auto& p = f.move_probabilities;
  std::vector<uint8_t> absorbs(n, 0), stuck(n, 0);
  for (size_t s = 0; s < n; ++s) absorbs[s] = st[s].terminal != TerminalKind::none;
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t s = 0; s < n; ++s)
      for (size_t t = 0; t < n && !absorbs[s]; ++t)
        if (p[s * n + t] > 0 && absorbs[t]) absorbs[s] = changed = true;
  }
  for (size_t s = 0; s < n; ++s) stuck[s] = !absorbs[s];
  for (bool changed = true; changed;) {
    changed = false;
    for (size_t s = 0; s < n; ++s)
      for (size_t t = 0; t < n && !stuck[s]; ++t)
        if (p[s * n + t] > 0 && stuck[t]) stuck[s] = changed = true;
  }
  std::vector<int32_t> transient, finite;
  std::vector<double> to_won(n, 0.0), sojourn_b(n, 0.0);
  for (size_t s = 0; s < n; ++s) {
    if (st[s].terminal != TerminalKind::none) continue;
    if (absorbs[s]) transient.push_back(static_cast<int32_t>(s));
    if (!stuck[s]) finite.push_back(static_cast<int32_t>(s));
    for (size_t t = 0; t < n; ++t)
      if (st[t].terminal == TerminalKind::won) to_won[s] += p[s * n + t];
    sojourn_b[s] = f.sojourn_mean_seconds[s];
  }
  f.win_probability.assign(n, 0.0);
  f.expected_seconds_to_terminal.assign(n, std::numeric_limits<double>::infinity());
  for (size_t s = 0; s < n; ++s) {
    if (st[s].terminal == TerminalKind::won) f.win_probability[s] = 1.0;
    if (st[s].terminal != TerminalKind::none) f.expected_seconds_to_terminal[s] = 0.0;
  }
  if (!transient.empty()) {
    std::vector<double> w = detail::solve_on(p, n, transient, to_won);
    for (size_t i = 0; i < transient.size(); ++i) f.win_probability[static_cast<size_t>(transient[i])] = std::clamp(w[i], 0.0, 1.0);
  }
  if (!finite.empty()) {
    std::vector<double> t = detail::solve_on(p, n, finite, sojourn_b);
    for (size_t i = 0; i < finite.size(); ++i) f.expected_seconds_to_terminal[static_cast<size_t>(finite[i])] = t[i];
  }
  return f;
}

}  // namespace quotaflow::process
