// Roll-up of actuals: fact rows (sales lines, units, collections) summed into a node x period
// int64 matrix for every node of a hierarchy, leaves and all their ancestors, over the periods of
// a business calendar.
//   auto r = monitor::rollup(org, cal, node_of_fact, date_of_fact, amount_of_fact,
//                            date_from_string("2026-01-01"), date_from_string("2027-01-01"), Grain::month);
//   r.at(org.index_of("R-EAST"), 2)   // March sales of the East region, all its descendants included
//
// Semantics:
// - A fact on node v counts for v and for every ancestor of v. Facts may sit on inner nodes
//   (a sale booked to a district directly); they count for that node and upwards, never for its
//   children. So values(v) = facts on v + sum of values(c) over v's children.
// - Periods are cal.periods(start, end, grain): clipped to [start, end).
// - A fact dated outside [start, end) is not in the matrix: it is counted in outside_count and its
//   amount summed in outside_amount, so inside + outside always accounts for every fact.
// - Bad input is an error naming the row: a node index outside the hierarchy
//   ("node_of_fact[17] is 123456; the hierarchy has 1000 nodes"), a date the calendar cannot
//   answer for (outside its valid range), columns of different lengths, a sum that overflows int64.
//
// Cost: one pass over the facts through a day -> period lookup table (no sort, no hashing; a large
// matrix is filled block by block through per-block buckets of pending adds, so the adds hit
// cache), then one pass over the nodes adding each row into its parent's:
// O(facts + nodes x periods) time, O(nodes x periods + days) memory (the buckets take about as
// much as the matrix, whatever the number of facts).
//
// Thread rule: a pure function; call it concurrently on shared hierarchies and calendars.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow::monitor {

struct Rollup {
  std::vector<Period> periods;   // the columns
  size_t nodes = 0;              // the rows, in hierarchy node order
  std::vector<int64_t> values;   // nodes x periods.size(), row-major
  int64_t outside_count = 0;     // facts dated outside [start, end)
  int64_t outside_amount = 0;    // the sum of their amounts

  [[nodiscard]] int64_t at(size_t node, size_t period) const { return values[node * periods.size() + period]; }
  [[nodiscard]] gsl::span<const int64_t> row(size_t node) const {
    return {values.data() + node * periods.size(), periods.size()};
  }
};

namespace detail {
// Adds every node's row into its parent's row, children before parents (reverse level order),
// so each row ends up holding its whole subtree. Overflow is errc::overflow naming the node.
inline void rollup_rows(const Hierarchy& h, int64_t* values, size_t width, const char* what) {
  const auto order = h.levelorder();
  const auto parents = h.parents();
  for (size_t k = order.size(); k-- > 0;) {
    const auto v = static_cast<size_t>(order[k]);
    const int32_t p = parents[v];
    if (p < 0) continue;
    const int64_t* src = values + v * width;
    int64_t* dst = values + static_cast<size_t>(p) * width;
    bool over = false;
    for (size_t j = 0; j < width; ++j) over |= __builtin_add_overflow(dst[j], src[j], &dst[j]);
    if (over) fail(errc::overflow, what, ": the sum for node ", p, " (parent of node ", v, ") overflows int64");
  }
}

// Blocked: a matrix beyond the core's cache is reached at random, one cache miss per fact
// (about 36 ns a fact on the reference VM, where even a 1 MiB target is 3x slower than a
// 256 KiB one). So cells are cut into blocks of 2^14 (128 KiB of int64) and every block has a
// bucket of 2^14 pending (cell, amount) entries: one pass over the facts appends each to its
// block's bucket; a full bucket is emptied into its block after prefetching the block in address
// order, so the adds hit cache. No counting pass, no sort, one reading of every fact; the buckets
// take about as much memory as the matrix (one 8-byte entry per cell), whatever the number of
// facts. An entry packs the cell's offset in its block (16 bits) with the amount (48 bits);
// amounts beyond +-2^47 are added directly instead. Adds wrap and OR an overflow flag (no branch
// per add); on overflow the whole pass is redone in row order so the error names the row.
// Returns true when an add overflowed (the matrix is then garbage); `rare(i)` handles a fact whose
// node or date is out of the fast path's range and says whether it lies inside [start, end).
template <class Rare>
bool scatter_bucketed(const int32_t* node, const Date* date, const int64_t* amount, size_t n, const int32_t* pod,
                      Date start, uint32_t days, uint32_t nodes, size_t P, int64_t* out, size_t cells, Rare& rare) {
  constexpr size_t block_shift = 14, bucket_shift = 14;
  constexpr size_t bucket_size = size_t{1} << bucket_shift, block_mask = (size_t{1} << block_shift) - 1;
  constexpr uint64_t low48 = (uint64_t{1} << 48) - 1;
  const size_t blocks = ((cells - 1) >> block_shift) + 1;
  const std::unique_ptr<uint64_t[]> buckets(new uint64_t[blocks << bucket_shift]);  // not zeroed: written before read
  uint64_t* const bucket = buckets.get();
  std::vector<uint32_t> fill_v(blocks, 0);
  uint32_t* const fill = fill_v.data();
  bool over = false;
  auto empty = [&](size_t b) {
    int64_t* blk = out + (b << block_shift);
    const size_t len = std::min(size_t{1} << block_shift, cells - (b << block_shift));
    for (size_t o = 0; o < len; o += 8) __builtin_prefetch(blk + o, 1, 3);  // 8 int64 per 64-byte line
    const uint64_t* e = bucket + (b << bucket_shift);
    const uint32_t m = fill[b];
    bool o = false;
    for (uint32_t j = 0; j < m; ++j) {
      const uint64_t x = e[j];
      o |= __builtin_add_overflow(blk[x >> 48], static_cast<int64_t>(x << 16) >> 16, &blk[x >> 48]);
    }
    fill[b] = 0;
    return o;
  };
  for (size_t i = 0; i < n; ++i) {
    // The common case (a known node, a date in range) stays inline; rare() is the slow path.
    const auto v = static_cast<uint32_t>(node[i]);
    auto day = static_cast<uint32_t>(date[i] - start);  // wraps for dates before start
    if (v >= nodes || day >= days) [[unlikely]] {
      if (!rare(i)) continue;
      day = static_cast<uint32_t>(date[i] - start);
    }
    const size_t c = size_t{v} * P + static_cast<size_t>(pod[day]);
    const int64_t a = amount[i];
    if (static_cast<int64_t>(static_cast<uint64_t>(a) << 16) >> 16 != a) [[unlikely]] {  // beyond 48 bits
      over |= __builtin_add_overflow(out[c], a, &out[c]);
      continue;
    }
    const size_t b = c >> block_shift;
    const uint32_t f = fill[b];
    uint64_t* slot = bucket + (b << bucket_shift) + f;
    __builtin_prefetch(slot + 8, 1, 3);  // the bucket's next line, fetched before it is written
    *slot = (uint64_t{c & block_mask} << 48) | (static_cast<uint64_t>(a) & low48);
    fill[b] = f + 1;
    if (f + 1 == bucket_size) [[unlikely]]
      over |= empty(b);
  }
  for (size_t b = 0; b < blocks; ++b) over |= empty(b);
  return over;
}
}  // namespace detail

inline Rollup rollup(const Hierarchy& h, const Calendar& cal, gsl::span<const int32_t> node_of_fact,
                     gsl::span<const Date> date_of_fact, gsl::span<const int64_t> amount_of_fact, Date start, Date end,
                     Grain grain) {
  const size_t n = node_of_fact.size();
  if (date_of_fact.size() != n)
    fail(errc::invalid_argument, "length mismatch: node_of_fact has ", n, " elements, date_of_fact has ", date_of_fact.size());
  if (amount_of_fact.size() != n)
    fail(errc::invalid_argument, "length mismatch: node_of_fact has ", n, " elements, amount_of_fact has ",
         amount_of_fact.size());
  check_grain(static_cast<int32_t>(grain));
  Rollup r;
  r.periods = cal.periods(start, end, grain);  // checks that [start, end) lies in the calendar
  r.nodes = h.size();
  const size_t P = r.periods.size();
  r.values.assign(r.nodes * P, 0);

  // day -> period: one int32 per day of [start, end).
  const auto days = static_cast<uint32_t>(end - start);
  std::vector<int32_t> period_of_day(days);
  for (size_t k = 0; k < P; ++k)
    for (Date d = r.periods[k].start; d < r.periods[k].end; ++d) period_of_day[static_cast<size_t>(d - start)] = static_cast<int32_t>(k);

  const auto nodes = static_cast<uint32_t>(r.nodes);
  const Date lo = cal.valid_from(), hi = cal.valid_until();
  const int32_t* node = node_of_fact.data();
  const Date* date = date_of_fact.data();
  const int64_t* amount = amount_of_fact.data();
  const int32_t* pod = period_of_day.data();
  int64_t* out = r.values.data();
  int64_t outside_count = 0, outside_amount = 0;

  // Checks fact i; returns false (after counting it) when it lies outside [start, end).
  auto inside = [&](size_t i) {
    const auto v = static_cast<uint32_t>(node[i]);
    if (v >= nodes) [[unlikely]]
      fail(node[i] < 0 ? errc::invalid_argument : errc::not_found, "node_of_fact[", i, "] is ", node[i],
           "; the hierarchy has ", r.nodes, " nodes (valid indexes 0..", static_cast<int64_t>(r.nodes) - 1, ")");
    if (static_cast<uint32_t>(date[i] - start) < days) [[likely]]  // wraps for dates before start
      return true;
    const Date d = date[i];
    if (d < lo || d >= hi) {
      check_date(d, "date_of_fact[" + std::to_string(i) + "]");
      fail(errc::out_of_range, "date_of_fact[", i, "] is ", date_to_string(d), ", outside the calendar's valid range ",
           date_to_string(lo), "..", date_to_string(hi - 1));
    }
    ++outside_count;
    if (__builtin_add_overflow(outside_amount, amount[i], &outside_amount))
      fail(errc::overflow, "outside_amount overflows int64 at amount_of_fact[", i, "] (", amount[i], ")");
    return false;
  };
  auto cell_of = [&](size_t i) {
    return static_cast<size_t>(static_cast<uint32_t>(node[i])) * P + static_cast<size_t>(pod[date[i] - start]);
  };
  // Direct: add each fact into its cell, in row order; an overflow names the row.
  auto direct = [&] {
    std::fill(r.values.begin(), r.values.end(), 0);
    outside_count = outside_amount = 0;
    for (size_t i = 0; i < n; ++i) {
      if (!inside(i)) continue;
      const size_t c = cell_of(i);
      if (__builtin_add_overflow(out[c], amount[i], &out[c])) [[unlikely]]
        fail(errc::overflow, "rollup: adding amount_of_fact[", i, "] (", amount[i], ") to node ", node[i], ", period ",
             c % P, " overflows int64");
    }
  };
  const size_t cells = r.values.size();
  if (cells > (size_t{1} << 17) && n >= (size_t{1} << 16) && n >= cells / 4) {
    if (detail::scatter_bucketed(node, date, amount, n, pod, start, days, nodes, P, out, cells, inside))
      direct();  // an add overflowed: redo in row order so the error names the row
  } else {
    direct();
  }
  r.outside_count = outside_count;
  r.outside_amount = outside_amount;
  detail::rollup_rows(h, out, P, "rollup");
  return r;
}

}  // namespace quotaflow::monitor
