// monitor::rollup: hand-worked values, properties on random data, bad input.
#include <map>
#include <random>
#include <tuple>
#include <vector>

#include "quotaflow/monitor/rollup.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using quotaflow::monitor::rollup;

namespace {
Date d(const char* s) { return date_from_string(s); }

// root 0 -> {1, 2}; 1 -> {3, 4}
Hierarchy small_tree() { return Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0, 1, 1}); }
}  // namespace

TEST(Rollup, HandWorkedMonthsLeavesInnerNodesAndOutside) {
  Hierarchy h = small_tree();
  Calendar cal;
  std::vector<int32_t> node{3, 4, 3, 1, 2, 2, 3};
  std::vector<Date> date{d("2026-01-05"), d("2026-01-31"), d("2026-02-01"), d("2026-03-15"),
                         d("2026-03-31"), d("2026-04-01"), d("2025-12-31")};
  std::vector<int64_t> amount{10, 20, 5, 7, 100, 1000, 3};
  auto r = rollup(h, cal, node, date, amount, d("2026-01-01"), d("2026-04-01"), Grain::month);
  ASSERT_EQ(r.periods.size(), 3u);
  EXPECT_EQ(r.periods[1].start, d("2026-02-01"));
  EXPECT_EQ(r.periods[1].working_days, 20);
  EXPECT_EQ(r.nodes, 5u);
  std::vector<int64_t> want{
      30, 5, 107,  // root
      30, 5, 7,    // 1: its leaves plus the fact booked on it directly
      0, 0, 100,   // 2
      10, 5, 0,    // 3
      20, 0, 0,    // 4
  };
  EXPECT_EQ(r.values, want);
  EXPECT_EQ(r.at(1, 2), 7);
  EXPECT_EQ(r.row(0)[2], 107);
  EXPECT_EQ(r.outside_count, 2);
  EXPECT_EQ(r.outside_amount, 1003);
}

TEST(Rollup, WeeksClippedToTheRange) {
  Hierarchy h = Hierarchy::from_parents(std::vector<int32_t>{-1});
  Calendar cal;
  // 2026-01-01 is a Thursday: the first ISO week is clipped to Thu..Sun.
  std::vector<int32_t> node{0, 0, 0};
  std::vector<Date> date{d("2026-01-04"), d("2026-01-05"), d("2026-01-14")};
  std::vector<int64_t> amount{1, 2, 4};
  auto r = rollup(h, cal, node, date, amount, d("2026-01-01"), d("2026-01-15"), Grain::week);
  ASSERT_EQ(r.periods.size(), 3u);
  EXPECT_EQ(r.values, (std::vector<int64_t>{1, 2, 4}));
  EXPECT_EQ(r.outside_count, 0);
}

TEST(Rollup, EmptyFactsAndEmptyRange) {
  Hierarchy h = small_tree();
  Calendar cal;
  auto r = rollup(h, cal, {}, {}, {}, d("2026-01-01"), d("2026-07-01"), Grain::quarter);
  EXPECT_EQ(r.values, std::vector<int64_t>(10, 0));
  std::vector<int32_t> node{2};
  std::vector<Date> date{d("2026-01-01")};
  std::vector<int64_t> amount{-5};
  auto e = rollup(h, cal, node, date, amount, d("2026-01-01"), d("2026-01-01"), Grain::month);
  EXPECT_TRUE(e.periods.empty());
  EXPECT_TRUE(e.values.empty());
  EXPECT_EQ(e.outside_count, 1);
  EXPECT_EQ(e.outside_amount, -5);
}

// Property: on random forests and facts, every row equals its own facts plus its children's rows,
// the roots plus the outside facts conserve every fact, and the matrix equals a naive map-based sum.
TEST(Rollup, PropertiesOnRandomData) {
  std::mt19937_64 rng(20260105);
  Calendar cal = Calendar::preset("CN");
  for (int round = 0; round < 25; ++round) {
    const int n = 1 + static_cast<int>(rng() % 200);
    std::vector<int32_t> parents(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) parents[static_cast<size_t>(i)] = (i == 0 || rng() % 10 == 0) ? -1 : static_cast<int32_t>(rng() % static_cast<uint64_t>(i));
    // Shuffle node indexes so parents do not always precede children.
    std::vector<int32_t> perm(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) perm[static_cast<size_t>(i)] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<int32_t> shuffled(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) {
      int32_t p = parents[static_cast<size_t>(i)];
      shuffled[static_cast<size_t>(perm[static_cast<size_t>(i)])] = p < 0 ? -1 : perm[static_cast<size_t>(p)];
    }
    Hierarchy h = Hierarchy::from_parents(shuffled);
    const Grain grain = static_cast<Grain>(rng() % 5);  // year .. week
    const Date start = d("2025-01-01") + static_cast<Date>(rng() % 200);
    const Date end = start + static_cast<Date>(rng() % 400);
    const size_t facts = rng() % 3000;
    std::vector<int32_t> node(facts);
    std::vector<Date> date(facts);
    std::vector<int64_t> amount(facts);
    int64_t total = 0;
    for (size_t i = 0; i < facts; ++i) {
      node[i] = static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
      date[i] = d("2024-10-01") + static_cast<Date>(rng() % 800);
      amount[i] = static_cast<int64_t>(rng() % 2000001) - 1000000;
      total += amount[i];
    }
    auto r = rollup(h, cal, node, date, amount, start, end, grain);
    const size_t P = r.periods.size();
    ASSERT_EQ(r.values.size(), static_cast<size_t>(n) * P);
    // Naive: facts per (node, period) found by scanning periods.
    std::map<std::pair<int, size_t>, int64_t> own;
    int64_t outside = 0, outside_n = 0;
    for (size_t i = 0; i < facts; ++i) {
      bool in = false;
      for (size_t k = 0; k < P; ++k)
        if (date[i] >= r.periods[k].start && date[i] < r.periods[k].end) {
          own[{node[i], k}] += amount[i];
          in = true;
        }
      if (!in) outside += amount[i], ++outside_n;
    }
    EXPECT_EQ(r.outside_count, outside_n);
    EXPECT_EQ(r.outside_amount, outside);
    int64_t inside = 0;
    for (int v = 0; v < n; ++v) {
      for (size_t k = 0; k < P; ++k) {
        int64_t want = own.count({v, k}) ? own[{v, k}] : 0;
        for (int32_t c : h.children(v)) want += r.at(static_cast<size_t>(c), k);
        ASSERT_EQ(r.at(static_cast<size_t>(v), k), want) << "node " << v << " period " << k;
        if (h.parent(v) < 0) inside += r.at(static_cast<size_t>(v), k);
      }
    }
    EXPECT_EQ(inside + outside, total);  // facts conserved
    // Sum of leaves equals the roots when facts sit on leaves only.
    std::vector<int64_t> leaf_amount = amount;
    std::vector<int32_t> leaf_node = node;
    for (size_t i = 0; i < facts; ++i) leaf_node[i] = h.leaves()[static_cast<size_t>(node[i]) % h.leaves().size()];
    auto rl = rollup(h, cal, leaf_node, date, leaf_amount, start, end, grain);
    for (size_t k = 0; k < P; ++k) {
      int64_t leaves = 0, roots = 0;
      for (int32_t v : h.leaves()) leaves += rl.at(static_cast<size_t>(v), k);
      for (int32_t v : h.roots()) roots += rl.at(static_cast<size_t>(v), k);
      EXPECT_EQ(leaves, roots);
    }
  }
}

TEST(Rollup, BadInput) {
  Hierarchy h = small_tree();
  Calendar cn = Calendar::preset("CN");
  const Date s = d("2026-01-01"), e = d("2026-04-01");
  std::vector<int32_t> node{3, 7};
  std::vector<Date> date{s, s};
  std::vector<int64_t> amount{1, 2};
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, s, e, Grain::month), errc::not_found, "node_of_fact[1] is 7",
                  "5 nodes");
  node[1] = -1;
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, s, e, Grain::month), errc::invalid_argument, "node_of_fact[1] is -1");
  node[1] = 2;
  std::vector<Date> short_dates{s};
  EXPECT_QF_ERROR(rollup(h, cn, node, short_dates, amount, s, e, Grain::month), errc::invalid_argument, "length mismatch",
                  "date_of_fact has 1");
  std::vector<int64_t> short_amounts{1};
  EXPECT_QF_ERROR(rollup(h, cn, node, date, short_amounts, s, e, Grain::month), errc::invalid_argument,
                  "amount_of_fact has 1");
  // A fact date the calendar cannot answer for (CN is valid 2007..2026) is an error naming the row.
  date[1] = d("2027-01-04");
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, s, e, Grain::month), errc::out_of_range, "date_of_fact[1] is 2027-01-04",
                  "valid range");
  date[1] = max_supported_date + 1000;
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, s, e, Grain::month), errc::out_of_range, "date_of_fact[1]");
  date[1] = s;
  // The range itself must lie in the calendar.
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, s, d("2027-02-01"), Grain::month), errc::out_of_range, "end");
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, e, s, Grain::month), errc::invalid_argument, "before");
  EXPECT_QF_ERROR(rollup(h, cn, node, date, amount, s, e, static_cast<Grain>(9)), errc::invalid_argument, "grain is 9");
  // Overflow: in a cell, in a parent, and in the outside sum.
  std::vector<int64_t> big{INT64_MAX, 1};
  std::vector<int32_t> same{3, 3};
  EXPECT_QF_ERROR(rollup(h, cn, same, date, big, s, e, Grain::month), errc::overflow, "amount_of_fact[1]");
  std::vector<int32_t> siblings{3, 4};
  EXPECT_QF_ERROR(rollup(h, cn, siblings, date, big, s, e, Grain::month), errc::overflow, "node 1");
  std::vector<Date> outside{d("2025-01-02"), d("2025-01-03")};
  EXPECT_QF_ERROR(rollup(h, cn, siblings, outside, big, s, e, Grain::month), errc::overflow, "outside_amount");
}

// A matrix beyond the cache takes the blocked path (facts bucketed by block of cells): the same
// values as a naive sum, and an overflow still names the row.
TEST(Rollup, LargeMatrixBlockedPathEqualsNaive) {
  std::mt19937_64 rng(99);
  const int n = 12'000;  // 12,000 nodes x 12 months = 144,000 cells
  std::vector<int32_t> parents(static_cast<size_t>(n));
  for (int i = 0; i < n; ++i) parents[static_cast<size_t>(i)] = i == 0 ? -1 : static_cast<int32_t>(rng() % static_cast<uint64_t>(i));
  Hierarchy h = Hierarchy::from_parents(parents);
  Calendar cal;
  const Date s = d("2026-01-01"), e = d("2027-01-01");
  const size_t facts = 200'000;
  std::vector<int32_t> node(facts);
  std::vector<Date> date(facts);
  std::vector<int64_t> amount(facts);
  for (size_t i = 0; i < facts; ++i) {
    node[i] = static_cast<int32_t>(rng() % static_cast<uint64_t>(n));
    date[i] = s - 20 + static_cast<Date>(rng() % 400);
    amount[i] = static_cast<int64_t>(rng() % 1000) - 100;
  }
  auto r = rollup(h, cal, node, date, amount, s, e, Grain::month);
  int64_t out_n = 0, out_a = 0;
  for (size_t i = 0; i < facts; ++i)
    if (date[i] < s || date[i] >= e) ++out_n, out_a += amount[i];
  std::vector<int64_t> want(static_cast<size_t>(n) * 12, 0);
  for (size_t k = 0; k < 12; ++k) {
    std::vector<int64_t> col(static_cast<size_t>(n), 0), up(static_cast<size_t>(n));
    for (size_t i = 0; i < facts; ++i)
      if (date[i] >= s && date[i] < e && static_cast<size_t>(date_to_ymd(date[i]).month - 1) == k) col[static_cast<size_t>(node[i])] += amount[i];
    h.rollup(col, up);
    for (size_t v = 0; v < static_cast<size_t>(n); ++v) want[v * 12 + k] = up[v];
  }
  EXPECT_EQ(r.values, want);
  EXPECT_EQ(r.outside_count, out_n);
  EXPECT_EQ(r.outside_amount, out_a);
  amount[150'000] = INT64_MAX;
  date[150'000] = s;
  node[150'000] = node[3];
  date[3] = s;
  amount[3] = 5;
  EXPECT_QF_ERROR(rollup(h, cal, node, date, amount, s, e, Grain::month), errc::overflow, "amount_of_fact[150000]");
  node[199'999] = n;
  EXPECT_QF_ERROR(rollup(h, cal, node, date, amount, s, e, Grain::month), errc::not_found, "node_of_fact[199999] is 12000");
}
