// allocate_tree: hand-worked trees, over-assignment, bounds, node weights, explanations,
// exact sums at every parent on random trees, and bad input.
#include <random>

#include "quotaflow/allocation/tree.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {
// 0 > {1, 2}, 1 > {3, 4}; leaves 2, 3, 4.
Hierarchy small() { return Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0, 1, 1}); }
std::vector<double> d(std::initializer_list<double> x) { return x; }
std::vector<int64_t> i64(std::initializer_list<int64_t> x) { return x; }
}  // namespace

TEST(AllocateTree, LeafWeightsRollUp) {
  auto r = allocate_tree(small(), 100, d({2, 1, 1}));
  EXPECT_EQ(r.amounts, i64({100, 50, 50, 25, 25}));
  EXPECT_EQ(r.weights, d({4, 2, 2, 1, 1}));
}

TEST(AllocateTree, NodeWeightsWeighSiblings) {
  // One weight per node: node 1 weighs 3 against node 2's 1, whatever its leaves weigh.
  auto r = allocate_tree(small(), 100, d({0, 3, 1, 1, 4}));
  EXPECT_EQ(r.amounts, i64({100, 75, 25, 15, 60}));
}

TEST(AllocateTree, OverAssignmentRoundsHalfAwayThenSplitsExactly) {
  TreeAllocationOptions o;
  o.over_assignment = 0.1;
  auto r = allocate_tree(small(), 100, d({2, 1, 1}), o);
  // Root's children share 110: 55 + 55. Node 1's children share 55 x 1.1 = 60.5 -> 61: 31 + 30 (tie: lower index).
  EXPECT_EQ(r.amounts, i64({100, 55, 55, 31, 30}));
}

TEST(AllocateTree, OverAssignmentPerLevelAndPerNode) {
  TreeAllocationOptions o;
  std::vector<double> levels{0.0, 0.2};
  o.over_assignment_per_level = levels;
  auto r = allocate_tree(small(), 100, d({2, 1, 1}), o);
  EXPECT_EQ(r.amounts, i64({100, 50, 50, 30, 30}));
  std::vector<double> nodes{0.1, 0.0, 0.0, 0.0, 0.0};
  o.over_assignment_per_node = nodes;  // overrides the levels
  r = allocate_tree(small(), 100, d({2, 1, 1}), o);
  EXPECT_EQ(r.amounts, i64({100, 55, 55, 28, 27}));
}

TEST(AllocateTree, BoundsPerNode) {
  TreeAllocationOptions o;
  std::vector<int64_t> lo{0, 0, 0, 0, 0}, hi{1000, 1000, 20, 1000, 1000};
  o.lower = lo;
  o.upper = hi;
  auto r = allocate_tree(small(), 100, d({2, 1, 1}), o);
  EXPECT_EQ(r.amounts[2], 20);
  EXPECT_EQ(r.amounts[1], 80);
  EXPECT_EQ(r.amounts[3] + r.amounts[4], 80);
}

TEST(AllocateTree, ExplainGivesQuotasBeforeRounding) {
  TreeAllocationOptions o;
  o.explain = true;
  auto r = allocate_tree(small(), 101, d({1, 1, 1}), o);
  ASSERT_EQ(r.quotas.size(), 5u);
  EXPECT_DOUBLE_EQ(r.quotas[1], 101.0 * 2 / 3);
  EXPECT_DOUBLE_EQ(r.quotas[2], 101.0 / 3);
  EXPECT_EQ(r.amounts[1] + r.amounts[2], 101);
  for (size_t i = 1; i < 5; ++i) EXPECT_LT(std::abs(r.amounts[i] - r.quotas[i]), 1.0);
}

TEST(AllocateTree, MultipleRootsShareTheTotal) {
  auto h = Hierarchy::from_parents(std::vector<int32_t>{-1, -1, 0, 0, 1});
  auto r = allocate_tree(h, 10, d({1, 1, 2}));
  EXPECT_EQ(r.amounts, i64({5, 5, 3, 2, 5}));  // roots 2:2 -> 5/5; node 0's leaves 1:1 -> 3/2 (tie: lower index)
}

TEST(AllocateTree, NegativeTotalIsSymmetric) {
  auto pos = allocate_tree(small(), 101, d({2, 1, 1})).amounts;
  auto neg = allocate_tree(small(), -101, d({2, 1, 1})).amounts;
  for (size_t i = 0; i < pos.size(); ++i) EXPECT_EQ(neg[i], -pos[i]);
}

TEST(AllocateTree, RandomTreesSumExactlyAtEveryParent) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 100; ++trial) {
    const size_t n = 2 + rng() % 300;
    std::vector<int32_t> parents(n, -1);
    for (size_t i = 1; i < n; ++i) parents[i] = static_cast<int32_t>(rng() % i);
    auto h = Hierarchy::from_parents(parents);
    std::vector<double> w(h.leaves().size());
    for (auto& x : w) x = static_cast<double>(rng() % 1000) / 7.0 + 0.01;
    TreeAllocationOptions o;
    o.over_assignment = (trial % 3) * 0.05;
    o.method = static_cast<ApportionMethod>(trial % 4);
    const int64_t total = static_cast<int64_t>(rng() % 1'000'000'000'000ULL);
    auto r = allocate_tree(h, total, w, o);
    EXPECT_EQ(r.amounts[0], total);
    for (size_t v = 0; v < n; ++v) {
      auto kids = h.children(static_cast<int32_t>(v));
      if (kids.empty()) continue;
      int64_t sum = 0;
      for (int32_t c : kids) sum += r.amounts[static_cast<size_t>(c)];
      EXPECT_EQ(sum, detail::scale_amount(r.amounts[v], o.over_assignment, v)) << "node " << v;
    }
    // Determinism: the same inputs give the same bytes.
    EXPECT_EQ(allocate_tree(h, total, w, o).amounts, r.amounts);
  }
}

TEST(AllocateTree, BadInput) {
  auto h = small();
  EXPECT_QF_ERROR(allocate_tree(h, 100, d({1, 1})), errc::invalid_argument, "weights has 2 elements", "one per leaf (3)", "(5)");
  EXPECT_QF_ERROR(allocate_tree(h, 100, d({1, NAN, 1})), errc::invalid_argument, "weights[1] (leaf node 3) is nan");
  EXPECT_QF_ERROR(allocate_tree(h, 100, d({1, -1, 1})), errc::invalid_argument, "weights[1] (leaf node 3) is -1", ">= 0");
  // Node weights: node 1 gets half, but its children weigh nothing.
  EXPECT_QF_ERROR(allocate_tree(h, 100, d({0, 1, 1, 0, 0})), errc::invalid_argument, "node 1's children");
  auto two_roots = Hierarchy::from_parents(std::vector<int32_t>{-1, -1});
  EXPECT_QF_ERROR(allocate_tree(two_roots, 100, d({0, 0})), errc::invalid_argument, "the roots");
  TreeAllocationOptions o;
  o.over_assignment = -1.5;
  EXPECT_QF_ERROR(allocate_tree(h, 100, d({1, 1, 1}), o), errc::invalid_argument, "over_assignment is -1.5");
  o.over_assignment = 0;
  std::vector<int64_t> lo{0, 0};
  o.lower = lo;
  EXPECT_QF_ERROR(allocate_tree(h, 100, d({1, 1, 1}), o), errc::invalid_argument, "lower has 2 elements");
  TreeAllocationOptions big;
  big.over_assignment = 1.0;
  auto chain = Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 1});
  EXPECT_QF_ERROR(allocate_tree(chain, INT64_MAX / 2 + 1, d({1}), big), errc::overflow, "overflows int64");
  Hierarchy empty = Hierarchy::from_parents(std::vector<int32_t>{});
  EXPECT_QF_ERROR(allocate_tree(empty, 100, d({})), errc::invalid_argument, "empty");
}
