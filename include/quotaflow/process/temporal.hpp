// Temporal profile and temporal conformance (Stertz, Mangler, Rinderle-Ma 2020).
//
// The temporal profile aggregates, over every case and every pair of event positions i < j
// (t_i <= t_j holds by the log's order), the time t_j - t_i per activity pair (a_i, a_j) into a
// count, mean and sample standard deviation (n-1; 0 when the pair was seen once).
// Temporal conformance reports every such pair of a case whose time lies outside
// [mean - zeta * stdev, mean + zeta * stdev] of the profile.
//
//   TemporalProfile p = temporal_profile(log);
//   TemporalDeviations d = temporal_conformance(log, p, 6.0);
//
// Cost: the pairs are quadratic in case length, but nothing quadratic is stored: each pair is
// added to a per-activity-pair accumulator (count, shifted sum, shifted sum of squares) as it is
// visited. Accumulation is numerically sound: durations are shifted by the first duration seen
// for their pair, the shifted sum is exact (128-bit integer nanoseconds).
//
// Decisions (documented in docs/process.md):
//  - Pairs of the log that the profile does not contain are not checked (as pm4py).
//  - A profile pair with stdev 0 (seen once, or always the same time) accepts exactly its mean;
//    any other time is a deviation with zeta = +infinity (pm4py reports sys.maxsize).
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"
#include "quotaflow/core/intern.hpp"
#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/event_log.hpp"

namespace quotaflow::process {

// One row per activity pair; times in seconds. source/target index activity_names.
struct TemporalProfile {
  std::vector<std::string> activity_names;
  std::vector<int32_t> source, target;
  std::vector<int64_t> count;
  std::vector<double> mean, stdev;
  [[nodiscard]] std::size_t size() const noexcept { return source.size(); }

  // A profile from columns (e.g. one saved earlier, or edited by hand). count may be empty.
  // Ids out of range, duplicate pairs, non-finite means, negative or non-finite stdevs and
  // duplicate names are errc::invalid_argument naming the row.
  static TemporalProfile from_columns(std::vector<std::string> activity_names, gsl::span<const int32_t> source,
                                      gsl::span<const int32_t> target, gsl::span<const double> mean,
                                      gsl::span<const double> stdev, gsl::span<const int64_t> count = {}) {
    const std::size_t n = source.size();
    if (target.size() != n) fail(errc::invalid_argument, "target has ", target.size(), " entries but source has ", n);
    if (mean.size() != n) fail(errc::invalid_argument, "mean has ", mean.size(), " entries but source has ", n);
    if (stdev.size() != n) fail(errc::invalid_argument, "stdev has ", stdev.size(), " entries but source has ", n);
    if (!count.empty() && count.size() != n)
      fail(errc::invalid_argument, "count has ", count.size(), " entries but source has ", n, " (pass none or one per row)");
    {
      Interner check;
      for (std::size_t i = 0; i < activity_names.size(); ++i)
        if (static_cast<std::size_t>(check.intern(activity_names[i])) != i)
          fail(errc::invalid_argument, "activity_names[", i, "] is \"", activity_names[i], "\", a duplicate of activity_names[",
               *check.find(activity_names[i]), "]");
    }
    const auto na = static_cast<int64_t>(activity_names.size());
    detail::PairIds seen(activity_names.size());
    TemporalProfile p;
    for (std::size_t i = 0; i < n; ++i) {
      if (source[i] < 0 || source[i] >= na)
        fail(errc::out_of_range, "source[", i, "] is ", source[i], "; expected an id in 0..", na - 1);
      if (target[i] < 0 || target[i] >= na)
        fail(errc::out_of_range, "target[", i, "] is ", target[i], "; expected an id in 0..", na - 1);
      if (!std::isfinite(mean[i])) fail(errc::invalid_argument, "mean[", i, "] is ", mean[i], "; expected a finite number of seconds");
      if (!(stdev[i] >= 0) || !std::isfinite(stdev[i]))
        fail(errc::invalid_argument, "stdev[", i, "] is ", stdev[i], "; expected a finite value >= 0");
      if (!count.empty() && count[i] < 1) fail(errc::invalid_argument, "count[", i, "] is ", count[i], "; expected >= 1");
      if (static_cast<std::size_t>(seen.id(source[i], target[i])) != i)
        fail(errc::invalid_argument, "row ", i, " repeats the pair (\"", activity_names[static_cast<std::size_t>(source[i])],
             "\", \"", activity_names[static_cast<std::size_t>(target[i])], "\")");
    }
    p.activity_names = std::move(activity_names);
    p.source.assign(source.begin(), source.end());
    p.target.assign(target.begin(), target.end());
    p.mean.assign(mean.begin(), mean.end());
    p.stdev.assign(stdev.begin(), stdev.end());
    if (count.empty())
      p.count.assign(n, 1);
    else
      p.count.assign(count.begin(), count.end());
    return p;
  }
};

// Deviations in the log's case order, then by source position, then target position.
// Positions count from 0 inside the case; source/target are the log's activity ids.
struct TemporalDeviations {
  std::vector<int64_t> case_index;
  std::vector<int32_t> source_position, target_position;
  std::vector<int32_t> source, target;
  std::vector<double> seconds, zeta;  // zeta = |seconds - mean| / stdev; +inf when stdev is 0
  [[nodiscard]] std::size_t size() const noexcept { return case_index.size(); }
};


}  // namespace quotaflow::process

namespace quotaflow::detail {
// Calls f(case, first event of the case, i, j) for every pair of events i < j of every case, in
// the log's order. Nothing is stored: the visit is the aggregation.
template <class F>
void for_each_event_pair(const process::EventLog& log, F&& f) {
  const auto off = log.case_offsets();
  for (std::size_t c = 0; c < log.num_cases(); ++c) {
    const auto b = static_cast<std::size_t>(off[c]), e = static_cast<std::size_t>(off[c + 1]);
    for (std::size_t i = b; i + 1 < e; ++i)
      for (std::size_t j = i + 1; j < e; ++j) f(c, b, i, j);
  }
}
}  // namespace quotaflow::detail

namespace quotaflow::process {

inline TemporalProfile temporal_profile(const EventLog& log,
                                        std::size_t dense_limit = detail::PairIds::default_dense_limit) {
  struct Acc {
    detail::int128 sum = 0;  // exact sum of (d - shift), ns
    double sum_sq = 0;       // sum of (d - shift)^2, ns^2
    int64_t shift = 0;       // the first duration seen
    int64_t n = 0;
  };
  const auto acts = log.activities();
  const auto ts = log.timestamps();
  detail::PairIds ids(log.num_activities(), dense_limit);
  std::vector<Acc> acc;
  detail::for_each_event_pair(log, [&](std::size_t, std::size_t, std::size_t i, std::size_t j) {
    const auto s = static_cast<std::size_t>(ids.id(acts[i], acts[j]));
    if (s == acc.size()) acc.emplace_back();
    Acc& a = acc[s];
    const int64_t d = ts[j] - ts[i];
    if (a.n == 0) a.shift = d;
    const int64_t x = d - a.shift;
    a.sum += x;
    a.sum_sq += static_cast<double>(x) * static_cast<double>(x);
    ++a.n;
  });
  TemporalProfile p;
  p.activity_names = log.activity_names();
  for (int32_t id : ids.sorted_ids()) {
    const Acc& a = acc[static_cast<std::size_t>(id)];
    const auto k = static_cast<double>(a.n);
    const double mean_shifted = static_cast<double>(a.sum) / k;
    double var = 0;
    if (a.n > 1) var = std::max(0.0, (a.sum_sq - static_cast<double>(a.sum) * mean_shifted) / (k - 1));
    p.source.push_back(ids.sources()[static_cast<std::size_t>(id)]);
    p.target.push_back(ids.targets()[static_cast<std::size_t>(id)]);
    p.count.push_back(a.n);
    p.mean.push_back((static_cast<double>(a.shift) + mean_shifted) / detail::ns_per_second);
    p.stdev.push_back(std::sqrt(var) / detail::ns_per_second);
  }
  return p;
}

inline TemporalDeviations temporal_conformance(const EventLog& log, const TemporalProfile& profile, double zeta = 6.0) {
  if (!std::isfinite(zeta) || zeta < 0) fail(errc::invalid_argument, "zeta is ", zeta, "; expected a finite value >= 0");
  const std::size_t rows = profile.source.size();
  if (profile.target.size() != rows || profile.mean.size() != rows || profile.stdev.size() != rows)
    fail(errc::invalid_argument, "profile columns differ in length: source ", rows, ", target ", profile.target.size(),
         ", mean ", profile.mean.size(), ", stdev ", profile.stdev.size());
  // The profile's pairs, mapped onto the log's activity ids by name.
  struct Bound {
    double lo, hi, mean, stdev;
  };
  std::vector<int32_t> to_log(profile.activity_names.size(), -1);
  for (std::size_t a = 0; a < to_log.size(); ++a)
    if (auto id = log.find_activity(profile.activity_names[a])) to_log[a] = *id;
  detail::PairIds ids(log.num_activities());
  std::vector<Bound> bounds;
  for (std::size_t r = 0; r < rows; ++r) {
    const auto ps = static_cast<std::size_t>(profile.source[r]), pt = static_cast<std::size_t>(profile.target[r]);
    if (ps >= to_log.size() || pt >= to_log.size())
      fail(errc::out_of_range, "profile row ", r, " has activity ids (", profile.source[r], ", ", profile.target[r],
           ") outside its ", to_log.size(), " activity names");
    if (to_log[ps] < 0 || to_log[pt] < 0) continue;  // the log never has this pair
    const auto s = static_cast<std::size_t>(ids.id(to_log[ps], to_log[pt]));
    const double m = profile.mean[r], sd = profile.stdev[r];
    if (s < bounds.size()) fail(errc::invalid_argument, "profile row ", r, " repeats an activity pair");
    bounds.push_back({m - zeta * sd, m + zeta * sd, m, sd});
  }
  TemporalDeviations out;
  const auto acts = log.activities();
  const auto ts = log.timestamps();
  detail::for_each_event_pair(log, [&](std::size_t c, std::size_t b, std::size_t i, std::size_t j) {
    const int32_t s = ids.find(acts[i], acts[j]);
    if (s < 0) return;
    const Bound& bd = bounds[static_cast<std::size_t>(s)];
    const double secs = static_cast<double>(ts[j] - ts[i]) / detail::ns_per_second;
    if (secs >= bd.lo && secs <= bd.hi) return;
    out.case_index.push_back(static_cast<int64_t>(c));
    out.source_position.push_back(static_cast<int32_t>(i - b));
    out.target_position.push_back(static_cast<int32_t>(j - b));
    out.source.push_back(acts[i]);
    out.target.push_back(acts[j]);
    out.seconds.push_back(secs);
    out.zeta.push_back(bd.stdev > 0 ? std::abs(secs - bd.mean) / bd.stdev : std::numeric_limits<double>::infinity());
  });
  return out;
}

}  // namespace quotaflow::process
