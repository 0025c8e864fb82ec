// Crediting: who is credited with a sale, and how much, in which period.
//
// A sale credits its seller; with split rows it credits the listed partners instead, by shares
// that must sum to 1 (100%), apportioned exactly (largest remainder, allocation/apportion.hpp) so
// the split credits sum to the sale amount to the minor unit. With roll-up, every manager is also
// credited with the credits of everyone below it (the hierarchy's parent column), so a manager's
// credit is the sum over its subtree. Credits land in a dense people x periods array in one pass
// over the sales, without allocation per sale.
//   PeriodIndex pi(cal, start, end, Grain::month);
//   std::vector<int64_t> credit(people * pi.size());
//   credit_sales(sales, people, pi, {}, credit);
//
// Thread rule: pure functions over their arguments.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <gsl/span>

#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow::incentive {

// Sales lines as columns; split rows (optional) are sorted by split_sale.
struct Sales {
  gsl::span<const int32_t> seller;
  gsl::span<const Date> date;
  gsl::span<const int64_t> amount;
  gsl::span<const int64_t> split_sale;  // index of the sale each split row belongs to
  gsl::span<const int32_t> split_person;
  gsl::span<const double> split_share;  // shares of one sale sum to 1
};

// The periods of a run and a day -> period table, so a date finds its period in one read.
class PeriodIndex {
 public:
  PeriodIndex(const Calendar& cal, Date start, Date end, Grain grain) : start_(start), end_(end) {
    if (end <= start)
      fail(errc::invalid_argument, "end is ", describe_date(end), "; it must be after start (", describe_date(start), ")");
    periods_ = cal.periods(start, end, grain);
    if (periods_.size() > 32767) fail(errc::out_of_range, "the run has ", periods_.size(), " periods; at most 32767");
    day_.resize(static_cast<size_t>(end - start));
    for (size_t p = 0; p < periods_.size(); ++p) {
      if (periods_[p].working_days == 0)
        fail(errc::invalid_argument, "period ", date_to_string(periods_[p].start), "..", date_to_string(periods_[p].end - 1),
             " has no working days; proration by working days needs at least one");
      std::fill(day_.begin() + (periods_[p].start - start), day_.begin() + (periods_[p].end - start), static_cast<int16_t>(p));
    }
  }
  [[nodiscard]] size_t size() const noexcept { return periods_.size(); }
  [[nodiscard]] const std::vector<Period>& periods() const noexcept { return periods_; }
  [[nodiscard]] Date start() const noexcept { return start_; }
  [[nodiscard]] Date end() const noexcept { return end_; }
  // Period of `d`; outside the run is errc::out_of_range naming what[i].
  [[nodiscard]] int32_t of(Date d, const char* what, size_t i) const {
    if (d < start_ || d >= end_)
      fail(errc::out_of_range, what, "[", i, "] is ", describe_date(d), ", outside the run ", date_to_string(start_), "..",
           date_to_string(end_ - 1));
    return day_[static_cast<size_t>(d - start_)];
  }
  // Period of day start() + offset, unchecked: offset < end() - start() (the caller's hot loop checks).
  [[nodiscard]] int32_t of_offset(size_t offset) const noexcept { return day_[offset]; }

 private:
  Date start_, end_;
  std::vector<Period> periods_;
  std::vector<int16_t> day_;
};

namespace detail {
inline void check_person(int32_t p, size_t people, const char* what, size_t i) {
  if (p < 0 || static_cast<size_t>(p) >= people)
    fail(errc::not_found, what, "[", i, "] is ", p, "; people are 0..", static_cast<int64_t>(people) - 1);
}
}  // namespace detail

// Validates the split rows (lengths, order, people, shares summing to 1) once.
inline void check_splits(const Sales& s, size_t people) {
  const size_t n = s.split_sale.size();
  if (s.split_person.size() != n || s.split_share.size() != n)
    fail(errc::invalid_argument, "split_sale has ", n, " rows but split_person has ", s.split_person.size(),
         " and split_share ", s.split_share.size());
  for (size_t i = 0; i < n;) {
    const int64_t sale = s.split_sale[i];
    if (sale < 0 || static_cast<size_t>(sale) >= s.seller.size())
      fail(errc::not_found, "split_sale[", i, "] is ", sale, "; sales are 0..", static_cast<int64_t>(s.seller.size()) - 1);
    if (i > 0 && sale < s.split_sale[i - 1])
      fail(errc::invalid_argument, "split_sale[", i, "] is ", sale, " after ", s.split_sale[i - 1], "; split rows must be sorted by sale");
    double sum = 0;
    size_t j = i;
    for (; j < n && s.split_sale[j] == sale; ++j) {
      detail::check_person(s.split_person[j], people, "split_person", j);
      const double w = s.split_share[j];
      if (std::isnan(w)) fail(errc::invalid_argument, "split_share[", j, "] is NaN");
      if (!(w > 0) || !(w <= 1)) fail(errc::invalid_argument, "split_share[", j, "] is ", w, "; shares must be in (0, 1]");
      sum += w;
    }
    if (std::fabs(sum - 1.0) > 1e-9)
      fail(errc::invalid_argument, "split shares of sale ", sale, " (split rows ", i, "..", j - 1, ") sum to ", sum,
           "; they must sum to 1 (100%)");
    i = j;
  }
}

// Calls f(person, credit) for each person a sale of `amount` credits directly (splits apportioned
// exactly). `first` is the sale's first split row (or split_sale.size() when it has none);
// returns the row after its splits. `scratch` avoids allocation per sale.
template <class F>
size_t for_each_credit(const Sales& s, size_t sale, int64_t amount, size_t first, std::vector<int64_t>& scratch, F&& f) {
  const size_t n = s.split_sale.size();
  if (first >= n || s.split_sale[first] != static_cast<int64_t>(sale)) {
    f(s.seller[sale], amount);
    return first;
  }
  size_t j = first;
  while (j < n && s.split_sale[j] == static_cast<int64_t>(sale)) ++j;
  scratch.resize(j - first);
  apportion(amount, s.split_share.subspan(first, j - first), scratch);
  for (size_t k = first; k < j; ++k) f(s.split_person[k], scratch[k - first]);
  return j;
}

// The first split row of `sale` (binary search), or split_sale.size().
inline size_t first_split(const Sales& s, size_t sale) {
  auto it = std::lower_bound(s.split_sale.begin(), s.split_sale.end(), static_cast<int64_t>(sale));
  return static_cast<size_t>(it - s.split_sale.begin());
}

// Adds each credit to out[person * periods + period] (person-major) in one pass, then rolls the
// credits up to managers when `manager` (parent per person, -1 = none) is given.
//
// Why not bucketed by block of cells as monitor/rollup.hpp does: measured on the payout
// benchmark (10M sales into 100,000 x 12 cells), a counting-sort pass plus block-local adds took
// about twice the time of this loop. The 9.6 MB array fits the last-level cache, so with the cells
// of 64 sales prefetched a block ahead the misses overlap, and the extra passes over 10M buffered
// credits cost more than they save.
inline void credit_sales(const Sales& s, size_t people, const PeriodIndex& pi, gsl::span<const int32_t> manager,
                         gsl::span<int64_t> out) {
  const size_t n = s.seller.size(), P = pi.size();
  if (s.date.size() != n || s.amount.size() != n)
    fail(errc::invalid_argument, "sale_seller has ", n, " rows but sale_date has ", s.date.size(), " and sale_amount ",
         s.amount.size());
  if (out.size() != people * P) fail(errc::invalid_argument, "out has ", out.size(), " cells; expected ", people * P);
  check_splits(s, people);
  std::vector<int64_t> scratch;
  size_t split = 0;
  if (s.split_sale.empty()) {
    // No splits: the array is larger than the core's cache and sellers are in no order, so the
    // cells of the next block of 64 sales are found and prefetched while the current block is
    // added (a block's prefetches get a whole block of work to land). The checks run ahead with
    // the prefetches but do not fail there: the first bad row stops them, and its error is raised
    // when its block is reached, before that block's adds, as checking block by block in order
    // would (so an overflow in an earlier block is still reported first).
    constexpr size_t block = 64;
    size_t cell[2][block];
    int64_t* o = out.data();
    const Date start = pi.start();
    const auto days = static_cast<uint64_t>(int64_t{pi.end()} - pi.start());
    size_t bad = n;
    auto prepare = [&](size_t i0, size_t* c) {
      const size_t m = std::min(block, n - i0);
      for (size_t k = 0; k < m; ++k) {
        const size_t i = i0 + k;
        const auto v = static_cast<uint32_t>(s.seller[i]);
        const auto day = static_cast<uint64_t>(int64_t{s.date[i]} - start);  // wraps for dates before start
        if (v >= people || day >= days) {
          bad = i;
          return;
        }
        c[k] = size_t{v} * P + static_cast<size_t>(pi.of_offset(day));
        __builtin_prefetch(o + c[k], 1);
      }
    };
    if (n > 0) prepare(0, cell[0]);
    for (size_t i0 = 0, b = 0; i0 < n; i0 += block, b ^= 1) {
      const size_t m = std::min(block, n - i0);
      if (bad < i0 + m)  // the block holding the first bad row: its error, as the in-order checks give it
        for (size_t i = i0; i <= bad; ++i) {
          detail::check_person(s.seller[i], people, "sale_seller", i);
          (void)pi.of(s.date[i], "sale_date", i);
        }
      if (i0 + m < n && bad == n) prepare(i0 + m, cell[b ^ 1]);
      const size_t* c = cell[b];
      for (size_t k = 0; k < m; ++k) o[c[k]] = quotaflow::detail::checked_add(o[c[k]], s.amount[i0 + k], "credit");
    }
  }
  for (size_t i = 0; i < n && !s.split_sale.empty(); ++i) {
    detail::check_person(s.seller[i], people, "sale_seller", i);
    const auto p = static_cast<size_t>(pi.of(s.date[i], "sale_date", i));
    split = for_each_credit(s, i, s.amount[i], split, scratch, [&](int32_t person, int64_t credit) {
      int64_t& cell = out[static_cast<size_t>(person) * P + p];
      cell = quotaflow::detail::checked_add(cell, credit, "credit");
    });
  }
  if (manager.empty()) return;
  if (manager.size() != people) fail(errc::invalid_argument, "manager has ", manager.size(), " rows; expected ", people);
  const Hierarchy h = Hierarchy::from_parents(manager);
  const auto pre = h.preorder();
  for (size_t k = pre.size(); k-- > 0;) {
    const int32_t v = pre[k], m = manager[static_cast<size_t>(v)];
    if (m < 0) continue;
    for (size_t p = 0; p < P; ++p) {
      int64_t& cell = out[static_cast<size_t>(m) * P + p];
      cell = quotaflow::detail::checked_add(cell, out[static_cast<size_t>(v) * P + p], "rolled-up credit");
    }
  }
}

}  // namespace quotaflow::incentive
