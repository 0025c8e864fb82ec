// Discovery from an event log: the directly-follows graph with performance, start and end
// activities, variants.
//
//   auto dfg = directly_follows(log);      // columns: source, target, count, mean .. stdev (seconds)
//   auto starts = start_activities(log);   // activity, count
//   auto vars = variants(log);             // distinct activity sequences with their case counts
//
// Everything is computed from the log's order (stable by case, then timestamp), in O(n) plus a
// selection per edge for the median. Results are plain column structs; activity ids index
// log.activity_names().
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <numeric>
#include <unordered_map>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"
#include "quotaflow/process/event_log.hpp"

namespace quotaflow::detail {

// Dense slot ids for activity pairs (a, b) in first-seen order: a direct table when the
// num_activities^2 table is small, a hash map otherwise.
class PairIds {
 public:
  static constexpr std::size_t default_dense_limit = std::size_t{1} << 20;

  explicit PairIds(std::size_t num_activities, std::size_t dense_limit = default_dense_limit)
      : na_(num_activities), dense_(num_activities * num_activities <= dense_limit) {
    if (dense_) table_.assign(na_ * na_, -1);
  }

  // The slot of (a, b), created when new.
  int32_t id(int32_t a, int32_t b) {
    const std::size_t key = static_cast<std::size_t>(a) * na_ + static_cast<std::size_t>(b);
    if (dense_) {
      int32_t& slot = table_[key];
      if (slot < 0) slot = add(a, b);
      return slot;
    }
    auto [it, inserted] = map_.try_emplace(key, 0);
    if (inserted) it->second = add(a, b);
    return it->second;
  }
  // The slot of (a, b), or -1.
  [[nodiscard]] int32_t find(int32_t a, int32_t b) const {
    const std::size_t key = static_cast<std::size_t>(a) * na_ + static_cast<std::size_t>(b);
    if (dense_) return table_[key];
    auto it = map_.find(key);
    return it == map_.end() ? -1 : it->second;
  }
  [[nodiscard]] std::size_t size() const noexcept { return sources_.size(); }
  [[nodiscard]] const std::vector<int32_t>& sources() const noexcept { return sources_; }
  [[nodiscard]] const std::vector<int32_t>& targets() const noexcept { return targets_; }
  // Slot ids ordered by (source, target).
  [[nodiscard]] std::vector<int32_t> sorted_ids() const {
    std::vector<int32_t> order(size());
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](int32_t x, int32_t y) {
      const auto ux = static_cast<std::size_t>(x), uy = static_cast<std::size_t>(y);
      return sources_[ux] != sources_[uy] ? sources_[ux] < sources_[uy] : targets_[ux] < targets_[uy];
    });
    return order;
  }

 private:
  int32_t add(int32_t a, int32_t b) {
    sources_.push_back(a);
    targets_.push_back(b);
    return static_cast<int32_t>(sources_.size() - 1);
  }
  std::size_t na_;
  bool dense_;
  std::vector<int32_t> table_;
  std::unordered_map<std::size_t, int32_t> map_;
  std::vector<int32_t> sources_, targets_;
};

inline constexpr double ns_per_second = 1e9;

}  // namespace quotaflow::detail

namespace quotaflow::process {

// Directly-follows graph: one row per activity pair (a, b) that occurs as consecutive events of
// a case, ordered by (source, target) id. Times are b's timestamp minus a's, in seconds.
struct DirectlyFollowsGraph {
  std::vector<int32_t> source, target;
  std::vector<int64_t> count;                             // occurrences of the pair
  std::vector<double> mean, median, min, max, sum, stdev;  // stdev: sample (n-1); 0 when count is 1
  [[nodiscard]] std::size_t size() const noexcept { return source.size(); }
};

// Activity ids with a count, ordered by count descending, then id ascending.
struct ActivityCounts {
  std::vector<int32_t> activity;
  std::vector<int64_t> count;
  [[nodiscard]] std::size_t size() const noexcept { return activity.size(); }
};

// Distinct activity sequences (variants). Variant v's sequence is
// activities[offsets[v] .. offsets[v+1]); ordered by case count descending, then by first
// appearance (the first case, in the log's case order, that follows it).
struct Variants {
  std::vector<int64_t> offsets;      // size() + 1 entries
  std::vector<int32_t> activities;   // the sequences, concatenated
  std::vector<int64_t> count;        // cases following each variant
  std::vector<int64_t> first_case;   // index of the first case following it
  std::vector<int32_t> case_variant; // per case of the log: its variant
  [[nodiscard]] std::size_t size() const noexcept { return count.size(); }
  [[nodiscard]] gsl::span<const int32_t> sequence(std::size_t v) const {
    if (v >= size()) fail(errc::out_of_range, "variant ", v, " is out of range; there are ", size(), " variants");
    return gsl::span<const int32_t>(activities).subspan(static_cast<std::size_t>(offsets[v]),
                                                        static_cast<std::size_t>(offsets[v + 1] - offsets[v]));
  }
};

}  // namespace quotaflow::process

namespace quotaflow::detail {
// The median of v (reordered in place): a radix select on the value range narrows the
// candidates in one counting pass per 11 bits of range, then nth_element on the few left.
inline double median_in_place(int64_t* v, std::size_t n, int64_t lo, int64_t hi) {
  auto select = [&](std::size_t k) {  // the k-th smallest (0-based) of v[0, n)
    int64_t* first = v;
    std::size_t size = n;
    std::vector<std::size_t> hist;
    while (size > 64 && hi > lo) {
      const auto range = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo);
      int shift = 0;
      while ((range >> shift) >= 2048) ++shift;
      hist.assign((range >> shift) + 1, 0);
      for (std::size_t i = 0; i < size; ++i) ++hist[(static_cast<uint64_t>(first[i]) - static_cast<uint64_t>(lo)) >> shift];
      std::size_t bucket = 0, below = 0;
      while (below + hist[bucket] <= k) below += hist[bucket++];
      // Move the bucket's values to the front, continue inside it.
      std::size_t kept = 0;
      for (std::size_t i = 0; i < size; ++i)
        if (((static_cast<uint64_t>(first[i]) - static_cast<uint64_t>(lo)) >> shift) == bucket) std::swap(first[kept++], first[i]);
      size = kept;
      k -= below;
      const int64_t new_lo = static_cast<int64_t>(static_cast<uint64_t>(lo) + (static_cast<uint64_t>(bucket) << shift));
      const uint64_t width = shift >= 63 ? ~uint64_t{0} : (uint64_t{1} << shift) - 1;
      hi = static_cast<int64_t>(std::min(static_cast<uint64_t>(new_lo) + width, static_cast<uint64_t>(hi)));
      lo = new_lo;
      if (shift == 0) return lo;  // every value in the bucket is lo
    }
    if (hi == lo) return lo;
    std::nth_element(first, first + k, first + size);
    return first[k];
  };
  const int64_t saved_lo = lo, saved_hi = hi;
  const double upper = static_cast<double>(select(n / 2));
  if (n % 2 == 1) return upper;
  lo = saved_lo;
  hi = saved_hi;
  return (static_cast<double>(select(n / 2 - 1)) + upper) / 2;
}
}  // namespace quotaflow::detail

namespace quotaflow::process {

inline DirectlyFollowsGraph directly_follows(const EventLog& log,
                                             std::size_t dense_limit = detail::PairIds::default_dense_limit) {
  const int32_t* acts = log.activities().data();
  const int64_t* ts = log.timestamps().data();
  const int64_t* off = log.case_offsets().data();
  const std::size_t nc = log.num_cases();

  // Pass 1: a slot per pair (first-seen order) and its count.
  detail::PairIds ids(log.num_activities(), dense_limit);
  std::vector<int64_t> counts;
  for (std::size_t c = 0; c < nc; ++c)
    for (int64_t e = off[c]; e + 1 < off[c + 1]; ++e) {
      const auto s = static_cast<std::size_t>(ids.id(acts[e], acts[e + 1]));
      if (s == counts.size()) counts.push_back(0);
      ++counts[s];
    }

  // Pass 2: durations grouped by slot (CSR buckets), slots later listed in (source, target) order.
  const std::size_t m = ids.size();
  std::vector<int64_t> start(m + 1, 0);
  for (std::size_t s = 0; s < m; ++s) start[s + 1] = start[s] + counts[s];
  std::vector<int64_t> durations(static_cast<std::size_t>(start[m]));
  {
    std::vector<int64_t> next(start.begin(), start.end() - 1);
    int64_t* out = durations.data();
    for (std::size_t c = 0; c < nc; ++c)
      for (int64_t e = off[c]; e + 1 < off[c + 1]; ++e)
        out[next[static_cast<std::size_t>(ids.find(acts[e], acts[e + 1]))]++] = ts[e + 1] - ts[e];
  }

  DirectlyFollowsGraph g;
  const std::vector<int32_t> order = ids.sorted_ids();
  g.source.resize(m);
  g.target.resize(m);
  g.count.resize(m);
  for (auto* col : {&g.mean, &g.median, &g.min, &g.max, &g.sum, &g.stdev}) col->resize(m);
  constexpr double to_s = 1.0 / detail::ns_per_second;
  for (std::size_t r = 0; r < m; ++r) {
    const auto id = static_cast<std::size_t>(order[r]);
    g.source[r] = ids.sources()[id];
    g.target[r] = ids.targets()[id];
    int64_t* first = durations.data() + start[id];
    const auto k = static_cast<std::size_t>(counts[id]);
    g.count[r] = counts[id];
    detail::int128 total = 0;
    int64_t lo = first[0], hi = first[0];
    for (std::size_t i = 0; i < k; ++i) {
      total += first[i];
      lo = std::min(lo, first[i]);
      hi = std::max(hi, first[i]);
    }
    const double mean_ns = static_cast<double>(total) / static_cast<double>(k);
    double ss = 0;  // squared deviations, ns^2 (two-pass: no cancellation)
    for (std::size_t i = 0; i < k; ++i) {
      const double dev = static_cast<double>(first[i]) - mean_ns;
      ss += dev * dev;
    }
    g.sum[r] = static_cast<double>(total) / detail::ns_per_second;
    g.mean[r] = mean_ns / detail::ns_per_second;
    g.min[r] = static_cast<double>(lo) / detail::ns_per_second;
    g.max[r] = static_cast<double>(hi) / detail::ns_per_second;
    g.stdev[r] = k > 1 ? std::sqrt(ss / static_cast<double>(k - 1)) * to_s : 0.0;
    g.median[r] = detail::median_in_place(first, k, lo, hi) / detail::ns_per_second;
  }
  return g;
}

}  // namespace quotaflow::process

namespace quotaflow::detail {
inline process::ActivityCounts sorted_counts(const std::vector<int64_t>& per_activity) {
  process::ActivityCounts out;
  for (std::size_t a = 0; a < per_activity.size(); ++a)
    if (per_activity[a] > 0) out.activity.push_back(static_cast<int32_t>(a));
  std::stable_sort(out.activity.begin(), out.activity.end(), [&](int32_t x, int32_t y) {
    return per_activity[static_cast<std::size_t>(x)] > per_activity[static_cast<std::size_t>(y)];
  });
  for (int32_t a : out.activity) out.count.push_back(per_activity[static_cast<std::size_t>(a)]);
  return out;
}
inline process::ActivityCounts boundary_activities(const process::EventLog& log, bool first) {
  std::vector<int64_t> per(log.num_activities(), 0);
  const auto off = log.case_offsets();
  const auto acts = log.activities();
  for (std::size_t c = 0; c < log.num_cases(); ++c)
    ++per[static_cast<std::size_t>(acts[static_cast<std::size_t>(first ? off[c] : off[c + 1] - 1)])];
  return sorted_counts(per);
}
}  // namespace quotaflow::detail

namespace quotaflow::process {

// The first activity of every case, counted.
inline ActivityCounts start_activities(const EventLog& log) { return detail::boundary_activities(log, true); }
// The last activity of every case, counted.
inline ActivityCounts end_activities(const EventLog& log) { return detail::boundary_activities(log, false); }

inline Variants variants(const EventLog& log) {
  const auto acts = log.activities();
  const auto off = log.case_offsets();
  const std::size_t nc = log.num_cases();
  struct Seq {
    const int32_t* p;
    std::size_t n;
  };
  struct SeqHash {
    std::size_t operator()(const Seq& s) const noexcept {
      uint64_t h = 0x9E3779B97F4A7C15ull ^ s.n;
      for (std::size_t i = 0; i < s.n; ++i) {
        h ^= static_cast<uint32_t>(s.p[i]);
        h *= 0x100000001B3ull;
        h ^= h >> 29;
      }
      return static_cast<std::size_t>(h);
    }
  };
  struct SeqEq {
    bool operator()(const Seq& x, const Seq& y) const noexcept {
      return x.n == y.n && std::equal(x.p, x.p + x.n, y.p);
    }
  };
  std::unordered_map<Seq, int32_t, SeqHash, SeqEq> index;
  std::vector<int32_t> case_variant(nc);
  std::vector<int64_t> counts, first_case;
  std::vector<Seq> seqs;
  for (std::size_t c = 0; c < nc; ++c) {
    Seq s{acts.data() + off[c], static_cast<std::size_t>(off[c + 1] - off[c])};
    auto [it, inserted] = index.try_emplace(s, static_cast<int32_t>(seqs.size()));
    if (inserted) {
      seqs.push_back(s);
      counts.push_back(0);
      first_case.push_back(static_cast<int64_t>(c));
    }
    ++counts[static_cast<std::size_t>(it->second)];
    case_variant[c] = it->second;
  }
  // First-seen ids are in order of first appearance, so a stable sort by count does the rest.
  std::vector<int32_t> order(seqs.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int32_t x, int32_t y) {
    return counts[static_cast<std::size_t>(x)] > counts[static_cast<std::size_t>(y)];
  });
  std::vector<int32_t> rank(order.size());
  Variants v;
  v.offsets.push_back(0);
  for (std::size_t r = 0; r < order.size(); ++r) {
    const auto id = static_cast<std::size_t>(order[r]);
    rank[id] = static_cast<int32_t>(r);
    v.activities.insert(v.activities.end(), seqs[id].p, seqs[id].p + seqs[id].n);
    v.offsets.push_back(static_cast<int64_t>(v.activities.size()));
    v.count.push_back(counts[id]);
    v.first_case.push_back(first_case[id]);
  }
  for (auto& cv : case_variant) cv = rank[static_cast<std::size_t>(cv)];
  v.case_variant = std::move(case_variant);
  return v;
}

}  // namespace quotaflow::process
