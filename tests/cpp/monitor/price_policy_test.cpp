// monitor::check_prices: every rule on hand-worked sales, discounts given or derived from list
// prices, severities, a seeded property test against a direct restatement, bad input.
#include <cmath>
#include <random>
#include <vector>

#include "quotaflow/monitor/price_policy.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
const std::vector<int64_t> list{1000, 0, 2000};
const std::vector<uint8_t> promo{0, 1, 0};
const std::vector<double> max_disc{15, 25};
const std::vector<std::string> products{"Water", "Cooler bag", "Tea"};
PricePolicy policy() {
  PricePolicy p;
  p.list_price = list;
  p.promotional = promo;
  p.floor_share = 0.6;
  p.ceiling_share = 1.2;
  p.max_discount_pct = max_disc;
  p.product_names = products;
  return p;
}
}  // namespace

TEST(PricePolicy, HandWorked) {
  std::vector<int32_t> product{0, 1, 1, 0, 2, 2, 2};
  std::vector<int32_t> tier{0, 0, 0, 0, 1, 1, 0};
  std::vector<int64_t> price{900, 0, 1800, 500, 2500, 1500, 1660};
  std::vector<double> disc{10, 0, 0, 50, 0, 25, 17};
  auto a = check_prices(product, tier, price, disc, policy());
  ASSERT_EQ(a.size(), 5u);
  EXPECT_EQ(a[0].rule, Rule::promo_not_free);
  EXPECT_EQ(a[0].entity, 2);
  EXPECT_EQ(a[0].related, 1);
  EXPECT_EQ(a[0].severity, Severity::critical);
  EXPECT_EQ(a[0].message, "Sale #2: Cooler bag is promotional and must be given free, but was sold at 1.8K");
  EXPECT_EQ(a[1].rule, Rule::price_below_floor);
  EXPECT_EQ(a[1].entity, 3);
  EXPECT_EQ(a[1].observed, 500);
  EXPECT_EQ(a[1].expected, 600);
  EXPECT_EQ(a[1].message, "Sale #3: Water sold at 500, below the floor 60.0% of list 1K by 10.0% of list");
  EXPECT_EQ(a[2].rule, Rule::discount_above_max);
  EXPECT_EQ(a[2].entity, 3);
  EXPECT_EQ(a[2].severity, Severity::critical);  // 35 points over
  EXPECT_EQ(a[2].message, "Sale #3: Water discounted 50%, above the tier maximum 15% by 35 points");
  EXPECT_EQ(a[3].rule, Rule::price_above_ceiling);
  EXPECT_EQ(a[3].entity, 4);
  EXPECT_EQ(a[3].expected, 2400);
  EXPECT_EQ(a[3].message, "Sale #4: Tea sold at 2.5K, above the ceiling 120.0% of list 2K by 5.0% of list");
  EXPECT_EQ(a[4].rule, Rule::discount_above_max);  // 25 is not above tier 1's 25; 17 is above tier 0's 15
  EXPECT_EQ(a[4].entity, 6);
  EXPECT_EQ(a[4].severity, Severity::warning);
  EXPECT_EQ(a[4].observed, 17);
  EXPECT_EQ(a[4].expected, 15);
}

TEST(PricePolicy, DiscountFromListPriceAndDefaults) {
  std::vector<int32_t> product{0, 0, 2};
  std::vector<int32_t> tier{0, 0, 1};
  std::vector<int64_t> price{820, 850, 1500};  // 18%, 15%, 25% off
  PricePolicy p;
  p.list_price = list;
  p.max_discount_pct = max_disc;
  p.amount_scale = 2;
  auto a = check_prices(product, tier, price, {}, p);
  ASSERT_EQ(a.size(), 1u);
  EXPECT_EQ(a[0].entity, 0);
  EXPECT_DOUBLE_EQ(a[0].observed, 18);
  EXPECT_EQ(a[0].message, "Sale #0: #0 discounted 18%, above the tier maximum 15% by 3 points");
  // Without tiers and with the default (open) floor and ceiling nothing is checked but promotions.
  PricePolicy open;
  open.list_price = list;
  EXPECT_TRUE(check_prices(product, {}, price, {}, open).empty());
}

TEST(PricePolicy, RandomMatchesRestatement) {
  std::mt19937_64 rng(99);
  const size_t n = 2000;
  std::vector<int32_t> product(n), tier(n);
  std::vector<int64_t> price(n);
  std::vector<double> disc(n);
  for (size_t i = 0; i < n; ++i) {
    product[i] = static_cast<int32_t>(rng() % 3);
    tier[i] = static_cast<int32_t>(rng() % 2);
    price[i] = product[i] == 1 ? (rng() % 4 == 0 ? 100 : 0) : static_cast<int64_t>(rng() % 3000);
    disc[i] = static_cast<double>(rng() % 40);
  }
  auto a = check_prices(product, tier, price, disc, policy());
  size_t expected = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto g = static_cast<size_t>(product[i]);
    if (promo[g]) {
      expected += price[i] != 0;
      continue;
    }
    expected += static_cast<double>(price[i]) < 0.6 * static_cast<double>(list[g]);
    expected += static_cast<double>(price[i]) > 1.2 * static_cast<double>(list[g]);
    expected += disc[i] > max_disc[static_cast<size_t>(tier[i])];
  }
  EXPECT_EQ(a.size(), expected);
  for (size_t k = 1; k < a.size(); ++k) EXPECT_LE(a[k - 1].entity, a[k].entity);
}

TEST(PricePolicy, BadInput) {
  std::vector<int32_t> product{0, 3};
  std::vector<int32_t> tier{0, 0};
  std::vector<int64_t> price{900, 900};
  EXPECT_QF_ERROR(check_prices(product, tier, price, {}, policy()), errc::not_found,
                  "product[1] is 3; expected a product id in 0..2");
  std::vector<int32_t> p2{0, 0};
  std::vector<int32_t> bad_tier{0, 2};
  EXPECT_QF_ERROR(check_prices(p2, bad_tier, price, {}, policy()), errc::not_found, "tier[1] is 2; expected a tier id in 0..1");
  std::vector<double> nan_disc{1, std::nan("")};
  EXPECT_QF_ERROR(check_prices(p2, tier, price, nan_disc, policy()), errc::invalid_argument, "discount_pct[1] is NaN");
  std::vector<int64_t> neg{900, -1};
  EXPECT_QF_ERROR(check_prices(p2, tier, neg, {}, policy()), errc::invalid_argument,
                  "unit_price[1] is -1; a price cannot be negative");
  EXPECT_QF_ERROR(check_prices(p2, tier, gsl::span<const int64_t>(price).first(1), {}, policy()), errc::invalid_argument,
                  "length mismatch: product has 2 elements, unit_price has 1");
  auto pol = policy();
  pol.ceiling_share = 0.5;
  EXPECT_QF_ERROR(check_prices(p2, tier, price, {}, pol), errc::invalid_argument,
                  "ceiling_share is 0.5; it must be >= floor_share (0.6)");
  pol = policy();
  pol.floor_share = std::nan("");
  EXPECT_QF_ERROR(check_prices(p2, tier, price, {}, pol), errc::invalid_argument, "floor_share is nan; it must be finite and >= 0");
  pol = policy();
  const std::vector<double> nan_max{std::nan(""), 1};
  pol.max_discount_pct = nan_max;
  EXPECT_QF_ERROR(check_prices(p2, tier, price, {}, pol), errc::invalid_argument, "max_discount_pct[0] is NaN");
  EXPECT_QF_ERROR(check_prices(p2, {}, price, {}, policy()), errc::invalid_argument,
                  "max_discount_pct is given but tier is empty: the rule needs each sale's tier");
}
