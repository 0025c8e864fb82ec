// Event logs: what happened to each case (deal, lead, order), when, by whom, for how much.
//
// An EventLog is built once from columns (one entry per event) and is immutable afterwards.
// Events are ordered by a stable sort on (case key, timestamp): events of one case with equal
// timestamps keep their input order. Cases are stored in CSR form: the events of case c are
// positions [case_offsets()[c], case_offsets()[c+1]) of activities(), timestamps(), ...; cases
// are in ascending key order.
//
//   auto log = EventLog::from_columns(case_keys, activity_ids, timestamps_ns, {"lead", "won"});
//   for (size_t c = 0; c < log.num_cases(); ++c)
//     for (int64_t e = log.case_offsets()[c]; e < log.case_offsets()[c + 1]; ++e) use(log.activities()[e]);
//
// Timestamps are int64 nanoseconds since 1970-01-01 UTC; INT64_MIN (pandas' NaT) is rejected.
// Building costs O(n) for dense case keys (one counting-sort pass per 16 bits of the key range)
// plus a stable sort of each case whose timestamps are not already ascending.
//
// Thread rule: a built EventLog is immutable; share it freely across threads.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"

namespace quotaflow::process {

}  // namespace quotaflow::process

namespace quotaflow::detail {
// 128-bit integers for exact sums of nanoseconds (a GCC/Clang extension, also in C++20 mode).
__extension__ typedef __int128 int128;
}  // namespace quotaflow::detail

namespace quotaflow::process {

// Timestamp value that marks a missing time (numpy/pandas NaT); always an error in a log.
inline constexpr int64_t nat_ns = std::numeric_limits<int64_t>::min();

class EventLog {
 public:
  EventLog() = default;

  // Builds a log from one entry per event.
  //   case_keys:      any int64 per event; when case_names is given, every key must index it.
  //   activities:     ids in [0, activity_names.size()); names must be distinct.
  //   timestamps_ns:  nanoseconds since the epoch (UTC); INT64_MIN (NaT) is an error.
  //   resources:      empty, or one per event: -1 (none) or an id in [0, resource_names.size()).
  //   amounts:        empty, or one per event (minor units).
  // Every bad input is errc::invalid_argument (errc::out_of_range for ids) naming the argument,
  // the index and the value.
  static EventLog from_columns(gsl::span<const int64_t> case_keys, gsl::span<const int32_t> activities,
                               gsl::span<const int64_t> timestamps_ns, std::vector<std::string> activity_names,
                               gsl::span<const int32_t> resources = {},
                               std::vector<std::string> resource_names = {},
                               gsl::span<const int64_t> amounts = {},
                               std::vector<std::string> case_names = {}) {
    const std::size_t n = case_keys.size();
    validate(case_keys, activities, timestamps_ns, activity_names, resources, resource_names, amounts, case_names);

    EventLog log;
    log.activity_names_ = std::move(activity_names);
    log.resource_names_ = std::move(resource_names);
    log.case_names_ = std::move(case_names);
    log.build_name_index();

    // 1. Stable LSD radix sort of event indexes by case key (16 bits per pass, only as many
    //    passes as the key range needs: one for factorized codes below 65,536).
    std::vector<int64_t> order(n);
    for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<int64_t>(i);
    const auto [kmin_it, kmax_it] = std::minmax_element(case_keys.begin(), case_keys.end());
    const int64_t kmin = *kmin_it;
    const uint64_t range = static_cast<uint64_t>(*kmax_it) - static_cast<uint64_t>(kmin);
    {
      std::vector<int64_t> tmp(n);
      std::vector<std::size_t> count(65537);
      for (int shift = 0; shift < 64 && (shift == 0 || (range >> shift) != 0); shift += 16) {
        std::fill(count.begin(), count.end(), 0);
        auto digit = [&](int64_t i) {
          return static_cast<std::size_t>(((static_cast<uint64_t>(case_keys[static_cast<std::size_t>(i)]) -
                                            static_cast<uint64_t>(kmin)) >> shift) & 0xFFFFu);
        };
        for (std::size_t i = 0; i < n; ++i) ++count[digit(order[i]) + 1];
        for (std::size_t d = 0; d < 65536; ++d) count[d + 1] += count[d];
        for (std::size_t i = 0; i < n; ++i) tmp[count[digit(order[i])]++] = order[i];
        order.swap(tmp);
      }
    }

    // 2. Case boundaries, then a stable sort by timestamp inside each case that needs one.
    log.case_offsets_.push_back(0);
    for (std::size_t i = 0; i < n; ++i) {
      const int64_t key = case_keys[static_cast<std::size_t>(order[i])];
      if (i == 0 || key != log.case_keys_.back()) {
        if (i != 0) log.case_offsets_.push_back(static_cast<int64_t>(i));
        log.case_keys_.push_back(key);
      }
    }
    log.case_offsets_.push_back(static_cast<int64_t>(n));
    auto ts_of = [&](int64_t i) { return timestamps_ns[static_cast<std::size_t>(i)]; };
    for (std::size_t c = 0; c + 1 < log.case_offsets_.size(); ++c) {
      auto first = order.begin() + log.case_offsets_[c], last = order.begin() + log.case_offsets_[c + 1];
      bool sorted = true;
      for (auto it = first; it + 1 < last; ++it)
        if (ts_of(*(it + 1)) < ts_of(*it)) {
          sorted = false;
          break;
        }
      if (!sorted) std::stable_sort(first, last, [&](int64_t a, int64_t b) { return ts_of(a) < ts_of(b); });
    }

    // 3. Gather the columns in the sorted order.
    log.source_rows_ = std::move(order);
    log.activities_.resize(n);
    log.timestamps_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const auto r = static_cast<std::size_t>(log.source_rows_[i]);
      log.activities_[i] = activities[r];
      log.timestamps_[i] = timestamps_ns[r];
    }
    if (!resources.empty()) {
      log.resources_.resize(n);
      for (std::size_t i = 0; i < n; ++i) log.resources_[i] = resources[static_cast<std::size_t>(log.source_rows_[i])];
    }
    if (!amounts.empty()) {
      log.amounts_.resize(n);
      for (std::size_t i = 0; i < n; ++i) log.amounts_[i] = amounts[static_cast<std::size_t>(log.source_rows_[i])];
    }
    return log;
  }

  [[nodiscard]] std::size_t size() const noexcept { return activities_.size(); }
  [[nodiscard]] std::size_t num_cases() const noexcept { return case_keys_.size(); }
  [[nodiscard]] std::size_t num_activities() const noexcept { return activity_names_.size(); }
  [[nodiscard]] std::size_t num_resources() const noexcept { return resource_names_.size(); }

  // num_cases()+1 entries: the events of case c are [case_offsets()[c], case_offsets()[c+1]).
  [[nodiscard]] gsl::span<const int64_t> case_offsets() const noexcept { return case_offsets_; }
  // The key of each case, ascending.
  [[nodiscard]] gsl::span<const int64_t> case_keys() const noexcept { return case_keys_; }
  // Per event, in the sorted order.
  [[nodiscard]] gsl::span<const int32_t> activities() const noexcept { return activities_; }
  [[nodiscard]] gsl::span<const int64_t> timestamps() const noexcept { return timestamps_; }
  [[nodiscard]] gsl::span<const int32_t> resources() const noexcept { return resources_; }  // empty when none
  [[nodiscard]] gsl::span<const int64_t> amounts() const noexcept { return amounts_; }      // empty when none
  // The input row of each sorted event.
  [[nodiscard]] gsl::span<const int64_t> source_rows() const noexcept { return source_rows_; }
  // Number of events of case c.
  [[nodiscard]] std::size_t case_size(std::size_t c) const {
    return static_cast<std::size_t>(case_offsets_.at(c + 1) - case_offsets_[c]);
  }

  [[nodiscard]] const std::vector<std::string>& activity_names() const noexcept { return activity_names_; }
  [[nodiscard]] const std::vector<std::string>& resource_names() const noexcept { return resource_names_; }
  [[nodiscard]] const std::vector<std::string>& case_names() const noexcept { return case_names_; }
  // case_names()[key] when names were given, else the key as decimal text.
  [[nodiscard]] std::string case_name(std::size_t c) const {
    if (c >= case_keys_.size()) fail(errc::out_of_range, "case ", c, " is out of range; the log has ", case_keys_.size(), " cases");
    const int64_t key = case_keys_[c];
    if (!case_names_.empty()) return case_names_[static_cast<std::size_t>(key)];
    return std::to_string(key);
  }

  // The id of an activity name, or nullopt.
  [[nodiscard]] std::optional<int32_t> find_activity(std::string_view name) const {
    auto it = std::lower_bound(by_name_.begin(), by_name_.end(), name,
                               [&](int32_t id, std::string_view v) { return activity_names_[static_cast<std::size_t>(id)] < v; });
    if (it == by_name_.end() || activity_names_[static_cast<std::size_t>(*it)] != name) return std::nullopt;
    return *it;
  }

 private:
  static void validate(gsl::span<const int64_t> case_keys, gsl::span<const int32_t> activities,
                       gsl::span<const int64_t> timestamps_ns, const std::vector<std::string>& activity_names,
                       gsl::span<const int32_t> resources, const std::vector<std::string>& resource_names,
                       gsl::span<const int64_t> amounts, const std::vector<std::string>& case_names) {
    const std::size_t n = case_keys.size();
    if (n == 0) fail(errc::invalid_argument, "the event log is empty: case_keys has no entries");
    if (activities.size() != n)
      fail(errc::invalid_argument, "activities has ", activities.size(), " entries but case_keys has ", n);
    if (timestamps_ns.size() != n)
      fail(errc::invalid_argument, "timestamps_ns has ", timestamps_ns.size(), " entries but case_keys has ", n);
    if (!resources.empty() && resources.size() != n)
      fail(errc::invalid_argument, "resources has ", resources.size(), " entries but case_keys has ", n, " (pass none or one per event)");
    if (!amounts.empty() && amounts.size() != n)
      fail(errc::invalid_argument, "amounts has ", amounts.size(), " entries but case_keys has ", n, " (pass none or one per event)");
    if (activity_names.size() > static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
      fail(errc::invalid_argument, "activity_names has ", activity_names.size(), " entries; at most 2^31-1");
    const auto na = static_cast<int64_t>(activity_names.size());
    for (std::size_t i = 0; i < n; ++i)
      if (activities[i] < 0 || activities[i] >= na)
        fail(errc::out_of_range, "activities[", i, "] is ", activities[i], "; expected an id in 0..", na - 1,
             " (activity_names has ", na, " entries)");
    for (std::size_t i = 0; i < n; ++i)
      if (timestamps_ns[i] == nat_ns) fail(errc::invalid_argument, "timestamps_ns[", i, "] is NaT");
    const auto nr = static_cast<int64_t>(resource_names.size());
    for (std::size_t i = 0; i < resources.size(); ++i)
      if (resources[i] < -1 || resources[i] >= nr)
        fail(errc::out_of_range, "resources[", i, "] is ", resources[i], "; expected -1 (none) or an id in 0..", nr - 1,
             " (resource_names has ", nr, " entries)");
    if (!case_names.empty()) {
      const auto nc = static_cast<int64_t>(case_names.size());
      for (std::size_t i = 0; i < n; ++i)
        if (case_keys[i] < 0 || case_keys[i] >= nc)
          fail(errc::out_of_range, "case_keys[", i, "] is ", case_keys[i], "; with case_names given it must be in 0..", nc - 1);
    }
  }

  void build_name_index() {
    by_name_.resize(activity_names_.size());
    for (std::size_t i = 0; i < by_name_.size(); ++i) by_name_[i] = static_cast<int32_t>(i);
    std::sort(by_name_.begin(), by_name_.end(), [&](int32_t a, int32_t b) {
      return activity_names_[static_cast<std::size_t>(a)] < activity_names_[static_cast<std::size_t>(b)];
    });
    for (std::size_t i = 1; i < by_name_.size(); ++i) {
      const auto& a = activity_names_[static_cast<std::size_t>(by_name_[i - 1])];
      if (a == activity_names_[static_cast<std::size_t>(by_name_[i])]) {
        const auto lo = std::min(by_name_[i - 1], by_name_[i]), hi = std::max(by_name_[i - 1], by_name_[i]);
        fail(errc::invalid_argument, "activity_names[", hi, "] is \"", a, "\", a duplicate of activity_names[", lo, "]");
      }
    }
  }

  std::vector<int64_t> case_offsets_, case_keys_;
  std::vector<int32_t> activities_;
  std::vector<int64_t> timestamps_;
  std::vector<int32_t> resources_;
  std::vector<int64_t> amounts_;
  std::vector<int64_t> source_rows_;
  std::vector<std::string> activity_names_, resource_names_, case_names_;
  std::vector<int32_t> by_name_;  // activity ids sorted by name, for find_activity
};

}  // namespace quotaflow::process
