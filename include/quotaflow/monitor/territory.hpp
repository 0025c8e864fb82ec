// Territory rule: a sale whose location lies outside the seller's assigned subtree of the
// territory (geography) hierarchy, i.e. cross-territory selling.
//
// Why pre/post-order numbers: "is x in the subtree of t" is asked once per sale, so it must be
// O(1). Numbering nodes in depth-first pre-order makes every subtree one contiguous run
// [pre[t], pre[t] + size[t]); x is in it iff pre[t] <= pre[x] < pre[t] + size[t]. Two array reads
// per sale, built once in O(nodes).
//
//   TerritoryIndex geo(territories);          // Hierarchy with node names ("Jiangsu", "Suzhou")
//   geo.contains(jiangsu, suzhou) == true
//   auto alerts = check_territory(geo, sale_seller, sale_location, seller_territory);
//   alerts[0].message == "Sale SL26-001667: seller SP-08 (territory Suzhou) sold in Nanjing, outside its territory"
//
// Inputs: per sale, the seller (an id into seller_territory) and the location node (a node of the
// territory hierarchy, e.g. the customer's territory); per seller, the assigned territory node
// (-1: unrestricted, never a violation). Alert: entity = sale, related = location node,
// observed = location node, expected = the seller's territory node; severity warning.
//
// Thread rule: a built TerritoryIndex is immutable; check_territory is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/hierarchy/hierarchy.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"

namespace quotaflow::monitor {

class TerritoryIndex {
 public:
  explicit TerritoryIndex(const Hierarchy& h) : h_(&h), pre_(h.size()), size_(h.size(), 1) {
    const auto order = h.preorder();  // depth first: every subtree is one contiguous run
    for (size_t k = 0; k < order.size(); ++k) pre_[static_cast<size_t>(order[k])] = static_cast<int32_t>(k);
    const auto parents = h.parents();
    for (size_t k = order.size(); k-- > 0;) {
      const auto v = static_cast<size_t>(order[k]);
      if (parents[v] >= 0) size_[static_cast<size_t>(parents[v])] += size_[v];
    }
  }
  [[nodiscard]] const Hierarchy& hierarchy() const noexcept { return *h_; }
  [[nodiscard]] size_t size() const noexcept { return pre_.size(); }
  // True when x is t or a descendant of t. Ids are not checked (callers check columns once).
  [[nodiscard]] bool contains(int32_t t, int32_t x) const noexcept {
    const int32_t d = pre_[static_cast<size_t>(x)] - pre_[static_cast<size_t>(t)];
    return d >= 0 && d < size_[static_cast<size_t>(t)];
  }
  [[nodiscard]] std::string name(int32_t v) const {
    return h_->has_names() ? h_->names()[static_cast<size_t>(v)] : "#" + std::to_string(v);
  }

 private:
  const Hierarchy* h_;
  std::vector<int32_t> pre_, size_;
};

struct TerritoryOptions {
  int32_t period = -1;
  gsl::span<const std::string> sale_names{};    // optional, per sale
  gsl::span<const std::string> seller_names{};  // optional, per seller
};

// Cross-territory sales, in sale order.
//   check_territory(geo, {0, 1}, {suzhou, nanjing}, {suzhou_node, suzhou_node})  -> one alert (sale 1)
inline std::vector<Alert> check_territory(const TerritoryIndex& geo, gsl::span<const int32_t> sale_seller,
                                          gsl::span<const int32_t> sale_location,
                                          gsl::span<const int32_t> seller_territory, const TerritoryOptions& opt = {}) {
  const size_t n = sale_seller.size(), S = seller_territory.size(), V = geo.size();
  detail::check_length(sale_location.size(), n, "sale_location", "sale_seller");
  detail::check_optional_length(opt.sale_names.size(), n, "sale_names", "sale");
  detail::check_optional_length(opt.seller_names.size(), S, "seller_names", "seller (seller_territory)");
  for (size_t s = 0; s < S; ++s)
    if (seller_territory[s] != -1) detail::check_id(seller_territory[s], V, "seller_territory", s, "a territory node (or -1)");
  std::vector<Alert> out;
  for (size_t i = 0; i < n; ++i) {
    detail::check_id(sale_seller[i], S, "sale_seller", i, "a seller id");
    detail::check_id(sale_location[i], V, "sale_location", i, "a territory node");
    const int32_t t = seller_territory[static_cast<size_t>(sale_seller[i])], x = sale_location[i];
    if (t < 0 || geo.contains(t, x)) continue;
    out.push_back(make_alert(Rule::territory_violation, Severity::warning,
        EntityKind::sale, static_cast<int64_t>(i), x, opt.period, x, t,
        message("Sale ", label(opt.sale_names, static_cast<int64_t>(i)), ": seller ", label(opt.seller_names, sale_seller[i]),
                        " (territory ", geo.name(t), ") sold in ", geo.name(x), ", outside its territory")));
  }
  return out;
}

}  // namespace quotaflow::monitor
