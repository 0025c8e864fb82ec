// monitor::rollup's bucketed fast path (large matrices, many facts) against the simplest possible
// reference: one loop over the facts in row order, each amount added to its node and every
// ancestor in 128-bit integers, then checked to fit int64. Seeded random inputs cover both paths
// (direct and bucketed), facts outside the range, negative amounts, amounts on both sides of the
// 48-bit packing limit of the buckets, and sums that overflow int64 (the error must name the same
// row as a row-order loop).
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "quotaflow/monitor/rollup.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using quotaflow::monitor::rollup;

namespace {

__extension__ using i128 = __int128;  // GCC and Clang

struct Case {
  Hierarchy h;
  std::vector<int32_t> node;
  std::vector<Date> date;
  std::vector<int64_t> amount;
};

struct Reference {
  std::vector<i128> values;  // nodes x 12, subtree sums
  int64_t outside_count = 0;
  i128 outside_amount = 0;
  std::optional<size_t> first_cell_overflow;  // first row whose row-order add into its own cell overflows
};

const Date kStart = date_from_string("2026-01-01"), kEnd = date_from_string("2027-01-01");

Reference reference(const Case& c) {
  const size_t n = c.h.size();
  Reference r;
  r.values.assign(n * 12, 0);
  std::vector<int64_t> own(n * 12, 0);  // facts on the node itself, int64 in row order
  const auto parents = c.h.parents();
  for (size_t i = 0; i < c.node.size(); ++i) {
    const Date d = c.date[i];
    if (d < kStart || d >= kEnd) {
      ++r.outside_count;
      r.outside_amount += c.amount[i];
      continue;
    }
    const auto k = static_cast<size_t>(date_to_ymd(d).month - 1);
    int64_t& cell = own[static_cast<size_t>(c.node[i]) * 12 + k];
    if (!r.first_cell_overflow && __builtin_add_overflow(cell, c.amount[i], &cell)) r.first_cell_overflow = i;
    for (int32_t v = c.node[i]; v >= 0; v = parents[static_cast<size_t>(v)]) r.values[static_cast<size_t>(v) * 12 + k] += c.amount[i];
  }
  return r;
}

bool fits(i128 x) { return x >= std::numeric_limits<int64_t>::min() && x <= std::numeric_limits<int64_t>::max(); }

// A random forest of `nodes` nodes (parents before children) and `facts` facts on random nodes,
// 3% dated in December 2025 (outside), amounts drawn by `amount_of`.
template <class Amount>
Case make_case(std::mt19937_64& rng, size_t nodes, size_t facts, Amount amount_of) {
  std::vector<int32_t> parents(nodes);
  for (size_t v = 0; v < nodes; ++v)
    parents[v] = v == 0 || rng() % 500 == 0 ? -1 : static_cast<int32_t>(rng() % v);
  Case c{Hierarchy::from_parents(parents), std::vector<int32_t>(facts), std::vector<Date>(facts), std::vector<int64_t>(facts)};
  for (size_t i = 0; i < facts; ++i) {
    c.node[i] = static_cast<int32_t>(rng() % nodes);
    c.date[i] = rng() % 100 < 3 ? kStart - 1 - static_cast<Date>(rng() % 31) : kStart + static_cast<Date>(rng() % 365);
    c.amount[i] = amount_of(rng);
  }
  return c;
}

// Runs rollup and compares with the reference: equal values when every sum fits, otherwise an
// overflow error (naming the row a row-order loop names, when a node's own cell overflows).
void check(const Case& c, const std::string& label) {
  SCOPED_TRACE(label);
  const Reference want = reference(c);
  bool any_over = !fits(want.outside_amount);
  for (i128 x : want.values) any_over |= !fits(x);
  if (!any_over) {
    auto got = rollup(c.h, Calendar{}, c.node, c.date, c.amount, kStart, kEnd, Grain::month);
    ASSERT_EQ(got.values.size(), want.values.size());
    for (size_t j = 0; j < want.values.size(); ++j)
      ASSERT_EQ(got.values[j], static_cast<int64_t>(want.values[j])) << "cell " << j;
    EXPECT_EQ(got.outside_count, want.outside_count);
    EXPECT_EQ(got.outside_amount, static_cast<int64_t>(want.outside_amount));
  } else if (want.first_cell_overflow) {
    EXPECT_QF_ERROR(rollup(c.h, Calendar{}, c.node, c.date, c.amount, kStart, kEnd, Grain::month), errc::overflow,
                    "adding amount_of_fact[" + std::to_string(*want.first_cell_overflow) + "]");
  } else {
    EXPECT_QF_ERROR(rollup(c.h, Calendar{}, c.node, c.date, c.amount, kStart, kEnd, Grain::month), errc::overflow,
                    "overflows int64");
  }
}

constexpr int64_t k47 = int64_t{1} << 47;

}  // namespace

TEST(RollupFastPath, EqualsReferenceOnRandomInputs) {
  for (uint64_t seed = 1; seed <= 6; ++seed) {
    std::mt19937_64 rng(seed);
    // Small matrices (direct path) and 12,000+ nodes x 12 months with enough facts (bucketed).
    const size_t nodes = seed % 2 == 0 ? 50 + rng() % 500 : 12'000 + rng() % 5'000;
    const size_t facts = seed % 2 == 0 ? 5'000 : 70'000 + rng() % 60'000;
    // Small signed amounts, and amounts at and beyond the +-2^47 packing limit.
    check(make_case(rng, nodes, facts, [](std::mt19937_64& g) { return static_cast<int64_t>(g() % 2001) - 1000; }),
          "small amounts, seed " + std::to_string(seed));
    check(make_case(rng, nodes, facts,
                    [](std::mt19937_64& g) {
                      static constexpr int64_t edge[] = {k47 - 1, k47, -k47, -k47 - 1, k47 + 12345, -(k47 << 4)};
                      return g() % 4 == 0 ? edge[g() % 6] : static_cast<int64_t>(g() % 1'000'000);
                    }),
          "48-bit edges, seed " + std::to_string(seed));
  }
}

TEST(RollupFastPath, OverflowNamesTheSameRowAsARowOrderLoop) {
  for (uint64_t seed = 11; seed <= 14; ++seed) {
    std::mt19937_64 rng(seed);
    const size_t nodes = seed % 2 == 0 ? 300 : 12'500;
    const size_t facts = seed % 2 == 0 ? 4'000 : 80'000;
    // Positive amounts only, so a cell's sum overflows in any order once it overflows in row order.
    Case c = make_case(rng, nodes, facts, [](std::mt19937_64& g) { return static_cast<int64_t>(g() % 1'000'000); });
    // Three huge facts on node 7 in February: the third overflows that cell.
    const size_t a = facts / 5, b = facts / 2, z = facts - 10;
    for (size_t i : {a, b, z}) {
      c.node[i] = 7;
      c.date[i] = kStart + 40;  // February
    }
    c.amount[a] = std::numeric_limits<int64_t>::max() / 2;
    c.amount[b] = std::numeric_limits<int64_t>::max() / 3;
    c.amount[z] = std::numeric_limits<int64_t>::max() / 4;
    const Reference want = reference(c);
    ASSERT_TRUE(want.first_cell_overflow.has_value());
    EXPECT_EQ(*want.first_cell_overflow, z);
    check(c, "cell overflow, seed " + std::to_string(seed));
    // Moved to two siblings' cells, no cell overflows but their parent's sum does.
    c.amount[z] = 0;
    c.amount[a] = c.amount[b] = std::numeric_limits<int64_t>::max() / 2 + 1000;
    c.node[b] = 8;
    c.h = Hierarchy::from_parents([&] {
      std::vector<int32_t> p(c.h.parents().begin(), c.h.parents().end());
      p[7] = p[8] = 3;
      return p;
    }());
    check(c, "parent overflow, seed " + std::to_string(seed));
    EXPECT_QF_ERROR(rollup(c.h, Calendar{}, c.node, c.date, c.amount, kStart, kEnd, Grain::month), errc::overflow, "node 3");
  }
}
