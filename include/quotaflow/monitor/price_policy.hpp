// Price policy rules over sales lines: price below the floor or above the ceiling (shares of the
// product's list price), a non-zero price on an item that must be given free (a promotion), and
// a discount beyond the maximum for the customer's tier.
//
// Why columns of ids plus small per-product and per-tier tables: a sale row carries only what
// varies per row (product, tier, unit price, discount); the policy (list prices, promotion flags,
// maximum discounts) is per product or per tier, so each check is two array reads per row.
//
//   PricePolicy pol{.list_price = list, .promotional = promo, .max_discount_pct = {15}};
//   auto alerts = check_prices(product, tier, unit_price, discount_pct, pol);
//
// Rules, per sale i with product g = product[i], list price L = list_price[g], price P:
//   promo_not_free       promotional[g] and P != 0. (A promotional item has no price rules else.)
//   price_below_floor    L > 0 and P < floor_share x L.   observed P, expected floor_share x L.
//   price_above_ceiling  L > 0 and P > ceiling_share x L. observed P, expected ceiling_share x L.
//   discount_above_max   discount D > max_discount_pct[tier[i]] (percent). D is discount_pct[i]
//                        when given, else 100 x (L - P) / L (L > 0). observed D, expected the max.
// Defaults: floor_share 0 and ceiling_share +inf (both off), no tier limit unless given.
// Severity: promo_not_free and discount_above_max critical when the excess is at least
// `critical_excess_pct` points (default 10) else warning; floor and ceiling warning.
//
// Thread rule: pure functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"

namespace quotaflow::monitor {

struct PricePolicy {
  gsl::span<const int64_t> list_price{};      // per product, minor units (0: no list price)
  gsl::span<const uint8_t> promotional{};     // per product (empty: none), non-zero = must be free
  double floor_share = 0;                     // price below floor_share x list: alert
  double ceiling_share = std::numeric_limits<double>::infinity();
  gsl::span<const double> max_discount_pct{};  // per tier, percent (empty: no discount rule)
  double critical_excess_pct = 10;
  int32_t period = -1;                         // the period the alerts carry
  int amount_scale = 0;                        // decimals of prices, for messages
  gsl::span<const std::string> sale_names{};   // optional, per sale
  gsl::span<const std::string> product_names{};  // optional, per product
};

namespace detail {
// The per-product and per-tier tables and the thresholds of a policy (check_prices and the
// streaming monitor check a policy the same way).
inline void check_price_policy(const PricePolicy& pol) {
  const size_t G = pol.list_price.size(), T = pol.max_discount_pct.size();
  check_optional_length(pol.promotional.size(), G, "promotional", "product (list_price)");
  check_optional_length(pol.product_names.size(), G, "product_names", "product (list_price)");
  check_finite_nonneg(pol.floor_share, "floor_share");
  if (std::isnan(pol.ceiling_share) || pol.ceiling_share < pol.floor_share)
    fail(errc::invalid_argument, "ceiling_share is ", pol.ceiling_share, "; it must be >= floor_share (", pol.floor_share, ")");
  check_finite_nonneg(pol.critical_excess_pct, "critical_excess_pct");
  quotaflow::detail::check_scale(pol.amount_scale);
  for (size_t g = 0; g < G; ++g)
    if (pol.list_price[g] < 0) fail(errc::invalid_argument, "list_price[", g, "] is ", pol.list_price[g], "; it cannot be negative");
  for (size_t t = 0; t < T; ++t) {
    check_finite(pol.max_discount_pct[t], "max_discount_pct", t);
    if (pol.max_discount_pct[t] < 0)
      fail(errc::invalid_argument, "max_discount_pct[", t, "] is ", pol.max_discount_pct[t], "; it cannot be negative");
  }
}
}  // namespace detail

// Alerts in sale order (and, per sale, in rule order).
//   check_prices(product, tier, unit_price, {}, policy)   // discounts from list prices
inline std::vector<Alert> check_prices(gsl::span<const int32_t> product, gsl::span<const int32_t> tier,
                                       gsl::span<const int64_t> unit_price, gsl::span<const double> discount_pct,
                                       const PricePolicy& pol) {
  const size_t n = product.size(), G = pol.list_price.size(), T = pol.max_discount_pct.size();
  detail::check_length(unit_price.size(), n, "unit_price", "product");
  detail::check_optional_length(tier.size(), n, "tier", "sale");
  detail::check_optional_length(discount_pct.size(), n, "discount_pct", "sale");
  detail::check_optional_length(pol.sale_names.size(), n, "sale_names", "sale");
  if (T > 0 && tier.empty()) fail(errc::invalid_argument, "max_discount_pct is given but tier is empty: the rule needs each sale's tier");
  detail::check_price_policy(pol);
  std::vector<Alert> out;
  auto emit = [&](size_t i, Rule rule, Severity sev, double observed, double expected, int64_t g, std::string msg) {
    out.push_back(make_alert(rule, sev, EntityKind::sale, static_cast<int64_t>(i), g, pol.period, observed, expected,
        message("Sale ", label(pol.sale_names, static_cast<int64_t>(i)), ": ", msg)));
  };
  const int sc = pol.amount_scale;
  for (size_t i = 0; i < n; ++i) {
    detail::check_id(product[i], G, "product", i, "a product id");
    const auto g = static_cast<size_t>(product[i]);
    const int64_t P = unit_price[i], L = pol.list_price[g];
    if (P < 0) fail(errc::invalid_argument, "unit_price[", i, "] is ", P, "; a price cannot be negative");
    if (!discount_pct.empty()) detail::check_finite(discount_pct[i], "discount_pct", i);
    if (!pol.promotional.empty() && pol.promotional[g]) {
      if (P != 0)
        emit(i, Rule::promo_not_free, Severity::critical, static_cast<double>(P), 0, product[i],
             message(label(pol.product_names, product[i]), " is promotional and must be given free, but was sold at ",
                     compact_amount(P, sc)));
      continue;
    }
    if (L > 0) {
      const double floor = pol.floor_share * static_cast<double>(L), ceil = pol.ceiling_share * static_cast<double>(L);
      if (static_cast<double>(P) < floor)
        emit(i, Rule::price_below_floor, Severity::warning, static_cast<double>(P), floor, product[i],
             message(label(pol.product_names, product[i]), " sold at ", compact_amount(P, sc), ", below the floor ",
                     percent(pol.floor_share), " of list ", compact_amount(L, sc), " by ",
                     percent((floor - static_cast<double>(P)) / static_cast<double>(L)), " of list"));
      if (static_cast<double>(P) > ceil)
        emit(i, Rule::price_above_ceiling, Severity::warning, static_cast<double>(P), ceil, product[i],
             message(label(pol.product_names, product[i]), " sold at ", compact_amount(P, sc), ", above the ceiling ",
                     percent(pol.ceiling_share), " of list ", compact_amount(L, sc), " by ",
                     percent((static_cast<double>(P) - ceil) / static_cast<double>(L)), " of list"));
    }
    if (T == 0) continue;
    detail::check_id(tier[i], T, "tier", i, "a tier id");
    const double max = pol.max_discount_pct[static_cast<size_t>(tier[i])];
    double D;
    if (!discount_pct.empty())
      D = discount_pct[i];
    else if (L > 0)
      D = static_cast<double>(L - P) * 100.0 / static_cast<double>(L);  // exact when the discount is a whole percent
    else
      continue;  // no list price: no discount to measure
    if (!(D > max)) continue;
    emit(i, Rule::discount_above_max, D - max >= pol.critical_excess_pct ? Severity::critical : Severity::warning, D, max,
         product[i],
         message(label(pol.product_names, product[i]), " discounted ", number_text(D), "%, above the tier maximum ",
                 number_text(max), "% by ", number_text(D - max), " points"));
  }
  return out;
}

}  // namespace quotaflow::monitor
