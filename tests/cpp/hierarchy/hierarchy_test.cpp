// Hierarchy: construction from parents in any order, CSR children, depth, pre-order, leaves,
// roll-up, names, and every kind of bad parent array.
#include <random>

#include "quotaflow/hierarchy/hierarchy.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {
std::vector<int32_t> v(std::initializer_list<int32_t> x) { return x; }
std::vector<int32_t> to_vec(gsl::span<const int32_t> s) { return {s.begin(), s.end()}; }
}  // namespace

TEST(Hierarchy, SmallTreeArrays) {
  // 0 > {1, 2}, 1 > {3, 4}, 2 > {5}
  auto h = Hierarchy::from_parents(v({-1, 0, 0, 1, 1, 2}));
  EXPECT_EQ(h.size(), 6u);
  EXPECT_EQ(to_vec(h.children(0)), v({1, 2}));
  EXPECT_EQ(to_vec(h.children(1)), v({3, 4}));
  EXPECT_EQ(to_vec(h.children(5)), v({}));
  EXPECT_EQ(to_vec(h.leaves()), v({3, 4, 5}));
  EXPECT_EQ(to_vec(h.roots()), v({0}));
  EXPECT_EQ(to_vec(h.preorder()), v({0, 1, 3, 4, 2, 5}));
  EXPECT_EQ(to_vec(h.levelorder()), v({0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(to_vec(h.level_child_offsets()), v({1, 3, 5, 6, 6, 6, 6}));
  EXPECT_EQ(to_vec(h.depths()), v({0, 1, 1, 2, 2, 2}));
  EXPECT_EQ(h.max_depth(), 2);
  EXPECT_EQ(h.leaf_count(0), 3);
  EXPECT_EQ(h.leaf_count(1), 2);
  EXPECT_TRUE(h.is_leaf(5));
  EXPECT_FALSE(h.is_leaf(2));
}

TEST(Hierarchy, AnyNodeOrderAndForests) {
  // Children listed before their parents, two roots.
  auto h = Hierarchy::from_parents(v({2, 2, -1, -1, 3}));
  EXPECT_EQ(to_vec(h.roots()), v({2, 3}));
  EXPECT_EQ(to_vec(h.children(2)), v({0, 1}));
  EXPECT_EQ(to_vec(h.preorder()), v({2, 0, 1, 3, 4}));
  EXPECT_EQ(to_vec(h.leaves()), v({0, 1, 4}));
  // Level order: both roots, then 2's children, then 3's; positions invert it.
  EXPECT_EQ(to_vec(h.levelorder()), v({2, 3, 0, 1, 4}));
  EXPECT_EQ(to_vec(h.level_child_offsets()), v({2, 4, 5, 5, 5, 5}));
  EXPECT_EQ(to_vec(h.level_positions()), v({2, 3, 0, 1, 4}));
}

TEST(Hierarchy, RollupIntAndDouble) {
  auto h = Hierarchy::from_parents(v({-1, 0, 0, 1, 1, 2}));
  std::vector<int64_t> leaf{0, 0, 0, 5, 7, 11};
  EXPECT_EQ(h.rollup(leaf), (std::vector<int64_t>{23, 12, 11, 5, 7, 11}));
  std::vector<int64_t> own{1, 1, 1, 1, 1, 1};  // node values count too: subtree sizes
  EXPECT_EQ(h.rollup(own), (std::vector<int64_t>{6, 3, 2, 1, 1, 1}));
  std::vector<double> d{0, 0, 0, 0.5, 0.25, 1}, out(6);
  h.rollup(d, out);
  EXPECT_DOUBLE_EQ(out[0], 1.75);
  EXPECT_DOUBLE_EQ(out[1], 0.75);
  std::vector<double> nan{0, 0, 0, NAN, 0, 0};
  EXPECT_QF_ERROR(h.rollup(nan, out), errc::invalid_argument, "values[3]");
}

TEST(Hierarchy, RollupOverflowIsAnError) {
  auto h = Hierarchy::from_parents(v({-1, 0, 0}));
  std::vector<int64_t> big{0, INT64_MAX, 1};
  EXPECT_QF_ERROR(h.rollup(big), errc::overflow, "rollup");
  std::vector<int64_t> short_values{1, 2};
  EXPECT_QF_ERROR(h.rollup(short_values), errc::invalid_argument, "values has 2 elements", "3 nodes");
}

TEST(Hierarchy, BadParents) {
  EXPECT_QF_ERROR(Hierarchy::from_parents(v({-1, 1})), errc::invalid_argument, "parents[1] is 1", "own parent");
  EXPECT_QF_ERROR(Hierarchy::from_parents(v({-1, -2})), errc::invalid_argument, "parents[1] is -2");
  EXPECT_QF_ERROR(Hierarchy::from_parents(v({-1, 5})), errc::invalid_argument, "parents[1] is 5", "0..1");
  EXPECT_QF_ERROR(Hierarchy::from_parents(v({-1, 2, 3, 1})), errc::invalid_argument, "cycle");
  EXPECT_QF_ERROR(Hierarchy::from_parents(v({1, 0})), errc::invalid_argument, "cycle");
  EXPECT_NO_THROW(Hierarchy::from_parents(v({})));
}

TEST(Hierarchy, NamesAndEdges) {
  std::vector<std::string> child{"CN", "East", "West", "Shanghai"}, parent{"", "CN", "CN", "East"};
  auto h = Hierarchy::from_edges(child, parent);
  EXPECT_EQ(h.index_of("Shanghai"), 3);
  EXPECT_EQ(h.parent(3), 1);
  EXPECT_EQ(h.name(2), "West");
  EXPECT_QF_ERROR((void)h.index_of("Beijing"), errc::not_found, "\"Beijing\"");
  std::vector<std::string> bad_parent{"", "CN", "CN", "North"};
  EXPECT_QF_ERROR(Hierarchy::from_edges(child, bad_parent), errc::not_found, "parent[3] \"North\"");
  std::vector<std::string> dup{"CN", "East", "East", "Shanghai"};
  EXPECT_QF_ERROR(Hierarchy::from_edges(dup, parent), errc::invalid_argument, "child[2] \"East\" appears twice");
  EXPECT_QF_ERROR(Hierarchy::from_parents(v({-1, 0}), {"a", "a"}), errc::invalid_argument, "names[1]", "duplicate");
  EXPECT_QF_ERROR((void)h.children(9), errc::out_of_range, "node 9");
}

TEST(Hierarchy, RandomTreesAreConsistent) {
  std::mt19937_64 rng(20261127);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 1 + static_cast<int>(rng() % 400);
    // Random tree with a random permutation of labels so parents come in any order.
    std::vector<int32_t> perm(static_cast<size_t>(n));
    for (int i = 0; i < n; ++i) perm[static_cast<size_t>(i)] = i;
    std::shuffle(perm.begin(), perm.end(), rng);
    std::vector<int32_t> parents(static_cast<size_t>(n), -1);
    for (int i = 1; i < n; ++i) parents[static_cast<size_t>(perm[static_cast<size_t>(i)])] = perm[rng() % static_cast<size_t>(i)];
    auto h = Hierarchy::from_parents(parents);
    ASSERT_EQ(h.preorder().size(), static_cast<size_t>(n));
    std::vector<int> pos(static_cast<size_t>(n));
    for (size_t k = 0; k < h.preorder().size(); ++k) pos[static_cast<size_t>(h.preorder()[k])] = static_cast<int>(k);
    int64_t leaves = 0;
    for (int i = 0; i < n; ++i) {
      int32_t p = h.parent(i);
      if (p >= 0) {
        EXPECT_LT(pos[static_cast<size_t>(p)], pos[static_cast<size_t>(i)]);
        EXPECT_EQ(h.depth(i), h.depth(p) + 1);
      }
      for (int32_t c : h.children(i)) EXPECT_EQ(h.parent(c), i);
      if (h.is_leaf(i)) ++leaves;
    }
    EXPECT_EQ(h.leaf_count(h.roots()[0]), leaves);
    std::vector<int64_t> ones(static_cast<size_t>(n), 1);
    EXPECT_EQ(h.rollup(ones)[static_cast<size_t>(h.roots()[0])], n);
  }
}
