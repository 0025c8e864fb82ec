// monitor territory rule: the O(1) subtree test against an ancestry walk on random trees,
// hand-worked cross-territory sales with names, bad input.
#include <random>
#include <vector>

#include "quotaflow/monitor/territory.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
// 0 China; 1 Jiangsu; 2 Nanjing; 3 Suzhou; 4 Zhejiang; 5 Hangzhou
Hierarchy geography() {
  return Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 1, 1, 0, 4},
                                 {"China", "Jiangsu", "Nanjing", "Suzhou", "Zhejiang", "Hangzhou"});
}
}  // namespace

TEST(Territory, HandWorked) {
  Hierarchy h = geography();
  TerritoryIndex geo(h);
  EXPECT_TRUE(geo.contains(1, 3));
  EXPECT_TRUE(geo.contains(3, 3));
  EXPECT_TRUE(geo.contains(0, 5));
  EXPECT_FALSE(geo.contains(3, 2));
  EXPECT_FALSE(geo.contains(3, 1));  // a parent is not in its child's subtree
  EXPECT_FALSE(geo.contains(4, 2));
  // Sellers: 0 covers Suzhou, 1 all of Jiangsu, 2 is unrestricted.
  std::vector<int32_t> seller_territory{3, 1, -1};
  std::vector<int32_t> seller{0, 0, 1, 1, 2};
  std::vector<int32_t> location{3, 2, 2, 5, 5};
  std::vector<std::string> sales{"S1", "S2", "S3", "S4", "S5"}, sellers{"Li", "Wang", "Zhao"};
  TerritoryOptions o;
  o.sale_names = sales;
  o.seller_names = sellers;
  o.period = 2;
  auto a = check_territory(geo, seller, location, seller_territory, o);
  ASSERT_EQ(a.size(), 2u);
  EXPECT_EQ(a[0].entity, 1);
  EXPECT_EQ(a[0].related, 2);
  EXPECT_EQ(a[0].observed, 2);
  EXPECT_EQ(a[0].expected, 3);
  EXPECT_EQ(a[0].period, 2);
  EXPECT_EQ(a[0].rule, Rule::territory_violation);
  EXPECT_EQ(a[0].entity_kind, EntityKind::sale);
  EXPECT_EQ(a[0].message, "Sale S2: seller Li (territory Suzhou) sold in Nanjing, outside its territory");
  EXPECT_EQ(a[1].message, "Sale S4: seller Wang (territory Jiangsu) sold in Hangzhou, outside its territory");
  // Without names: "#id" for sales and sellers, "#node" for an unnamed hierarchy.
  Hierarchy plain = Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 1, 1, 0, 4});
  TerritoryIndex g2(plain);
  auto b = check_territory(g2, seller, location, seller_territory);
  ASSERT_EQ(b.size(), 2u);
  EXPECT_EQ(b[0].message, "Sale #1: seller #0 (territory #3) sold in #2, outside its territory");
}

TEST(Territory, RandomTreesMatchAncestryWalk) {
  std::mt19937_64 rng(5);
  for (int trial = 0; trial < 50; ++trial) {
    const size_t n = 1 + rng() % 60;
    std::vector<int32_t> parents(n, -1);
    for (size_t i = 1; i < n; ++i) parents[i] = rng() % 8 == 0 ? -1 : static_cast<int32_t>(rng() % i);
    Hierarchy h = Hierarchy::from_parents(parents);
    TerritoryIndex geo(h);
    for (size_t t = 0; t < n; ++t)
      for (size_t x = 0; x < n; ++x) {
        bool in = false;
        for (int32_t v = static_cast<int32_t>(x); v >= 0; v = parents[static_cast<size_t>(v)]) in |= v == static_cast<int32_t>(t);
        ASSERT_EQ(geo.contains(static_cast<int32_t>(t), static_cast<int32_t>(x)), in) << trial << " " << t << " " << x;
      }
  }
}

TEST(Territory, BadInput) {
  Hierarchy h = geography();
  TerritoryIndex geo(h);
  std::vector<int32_t> st{3, 1};
  std::vector<int32_t> seller{0, 1}, loc{2, 9};
  EXPECT_QF_ERROR(check_territory(geo, seller, loc, st), errc::not_found, "sale_location[1] is 9; expected a territory node in 0..5");
  std::vector<int32_t> bad_seller{0, 2}, loc2{2, 3};
  EXPECT_QF_ERROR(check_territory(geo, bad_seller, loc2, st), errc::not_found, "sale_seller[1] is 2; expected a seller id in 0..1");
  std::vector<int32_t> bad_st{3, 6};
  EXPECT_QF_ERROR(check_territory(geo, seller, loc2, bad_st), errc::not_found,
                  "seller_territory[1] is 6; expected a territory node (or -1) in 0..5");
  EXPECT_QF_ERROR(check_territory(geo, seller, gsl::span<const int32_t>(loc2).first(1), st), errc::invalid_argument,
                  "length mismatch: sale_seller has 2 elements, sale_location has 1");
}
