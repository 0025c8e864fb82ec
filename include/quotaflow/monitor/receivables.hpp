// Receivables: ageing of what customers still owe, overdue alerts by invoice, customer and
// seller, and the gap between what was collected and the collection target.
//
// Definitions, for invoice i as of `as_of`:
//   outstanding  amount[i] - paid[i] (paid: payments up to as_of, e.g. from paid_by_invoice)
//   past due     d = as_of - due[i] in calendar days (due on as_of: 0, not overdue)
//   overdue      outstanding > 0 and d >= 1 (due before as_of)
//   bucket       not_due when d < 0; else the first bucket whose upper bound (days) >= d, the
//                last one open ended. Default bounds {30, 60, 90}: 0-30, 31-60, 61-90, >90.
// Ageing tables sum the outstanding amounts per customer x bucket (and per seller x bucket when
// sellers are given), exactly in int64 minor units.
// Alerts (Rule::receivable_overdue): one per overdue invoice (entity invoice, related customer,
// period = due date, observed = outstanding, expected 0; the message gives the days past due),
// one per customer and one per seller with overdue receivables (observed = overdue outstanding,
// expected 0, period as_of). Severity critical when the oldest is in the last bucket (> 90 days
// by default), else warning.
//
//   auto paid = paid_by_invoice(payment_invoice, payment_amount, payment_date, n_invoices, as_of);
//   Receivables r = receivables(customer, seller, due, amount, paid, n_customers, n_sellers, as_of);
//   r.ageing[c * r.columns() + 1]   // customer c, 0-30 days past due
//
// Thread rule: pure functions.
#pragma once

#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_text.hpp"

namespace quotaflow::monitor {

// Payments summed per invoice (payments dated after as_of are left out).
//   paid_by_invoice({0, 0, 2}, {50, 25, 10}, {d, d, d}, 3, as_of) == {75, 0, 10}
inline std::vector<int64_t> paid_by_invoice(gsl::span<const int32_t> payment_invoice, gsl::span<const int64_t> payment_amount,
                                            gsl::span<const Date> payment_date, size_t n_invoices, Date as_of) {
  const size_t n = payment_invoice.size();
  detail::check_length(payment_amount.size(), n, "payment_amount", "payment_invoice");
  detail::check_optional_length(payment_date.size(), n, "payment_date", "payment");
  std::vector<int64_t> out(n_invoices, 0);
  for (size_t i = 0; i < n; ++i) {
    detail::check_id(payment_invoice[i], n_invoices, "payment_invoice", i, "an invoice id");
    if (!payment_date.empty() && payment_date[i] > as_of) continue;
    auto& acc = out[static_cast<size_t>(payment_invoice[i])];
    acc = quotaflow::detail::checked_add(acc, payment_amount[i], "payments of an invoice");
  }
  return out;
}

struct ReceivableOptions {
  std::vector<int32_t> bucket_bounds = {30, 60, 90};  // ascending upper bounds (days past due), >= 0
  bool invoice_alerts = true, customer_alerts = true, seller_alerts = true;
  int amount_scale = 0;
  gsl::span<const std::string> invoice_names{}, customer_names{}, seller_names{};  // optional
};

struct Receivables {
  std::vector<std::string> bucket_labels;  // "not_due", "0-30", "31-60", "61-90", ">90"
  std::vector<int64_t> outstanding;        // per invoice
  std::vector<int32_t> days_past_due;      // per invoice (negative: not yet due)
  std::vector<int32_t> bucket;             // per invoice: column of the ageing tables
  std::vector<int64_t> ageing;             // customers x columns, row-major
  std::vector<int64_t> seller_ageing;      // sellers x columns (empty without sellers)
  std::vector<int64_t> total;              // per column, all invoices
  std::vector<Alert> alerts;               // invoices, then customers, then sellers
  [[nodiscard]] size_t columns() const noexcept { return bucket_labels.size(); }
};

// Ageing and overdue alerts as of `as_of`. seller may be empty (no seller tables or alerts), and
// an entry -1 means "no seller".
inline Receivables receivables(gsl::span<const int32_t> customer, gsl::span<const int32_t> seller, gsl::span<const Date> due,
                               gsl::span<const int64_t> amount, gsl::span<const int64_t> paid, size_t n_customers,
                               size_t n_sellers, Date as_of, const ReceivableOptions& opt = {}) {
  const size_t n = customer.size();
  detail::check_optional_length(seller.size(), n, "seller", "invoice");
  detail::check_length(due.size(), n, "due", "customer");
  detail::check_length(amount.size(), n, "amount", "customer");
  detail::check_length(paid.size(), n, "paid", "customer");
  detail::check_optional_length(opt.invoice_names.size(), n, "invoice_names", "invoice");
  detail::check_optional_length(opt.customer_names.size(), n_customers, "customer_names", "customer");
  detail::check_optional_length(opt.seller_names.size(), n_sellers, "seller_names", "seller");
  check_date(as_of, "as_of");
  quotaflow::detail::check_scale(opt.amount_scale);
  const auto& bounds = opt.bucket_bounds;
  for (size_t k = 0; k < bounds.size(); ++k)
    if (bounds[k] < 0 || (k > 0 && bounds[k] <= bounds[k - 1]))
      fail(errc::invalid_argument, "bucket_bounds[", k, "] is ", bounds[k], "; bounds must be >= 0 and strictly ascending");
  Receivables r;
  r.bucket_labels.push_back("not_due");
  for (size_t k = 0; k <= bounds.size(); ++k) {
    const int32_t lo = k == 0 ? 0 : bounds[k - 1] + 1;
    r.bucket_labels.push_back(k < bounds.size() ? std::to_string(lo) + "-" + std::to_string(bounds[k])
                              : k == 0           ? std::string(">=0")
                                                 : ">" + std::to_string(bounds[k - 1]));
  }
  const size_t C = r.columns(), last = C - 1;
  const bool sellers = !seller.empty();
  r.outstanding.resize(n);
  r.days_past_due.resize(n);
  r.bucket.resize(n);
  r.ageing.assign(n_customers * C, 0);
  if (sellers) r.seller_ageing.assign(n_sellers * C, 0);
  r.total.assign(C, 0);
  // Per customer and seller: overdue amount, invoice count, oldest days past due.
  struct Over {
    int64_t amount = 0;
    int64_t count = 0;
    int32_t oldest = 0;
  };
  std::vector<Over> by_customer(opt.customer_alerts ? n_customers : 0), by_seller(opt.seller_alerts && sellers ? n_sellers : 0);
  using quotaflow::detail::checked_add;
  auto add_over = [](Over& o, int64_t out, int32_t d) {
    o.amount = checked_add(o.amount, out, "overdue amount");
    ++o.count;
    o.oldest = std::max(o.oldest, d);
  };
  const int sc = opt.amount_scale;
  for (size_t i = 0; i < n; ++i) {
    detail::check_id(customer[i], n_customers, "customer", i, "a customer id");
    if (sellers && seller[i] != -1) detail::check_id(seller[i], n_sellers, "seller", i, "a seller id (or -1)");
    check_date(due[i], "due");
    if (amount[i] < 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; an invoice amount cannot be negative");
    if (paid[i] < 0) fail(errc::invalid_argument, "paid[", i, "] is ", paid[i], "; a payment total cannot be negative");
    const int64_t out = quotaflow::detail::checked_sub(amount[i], paid[i], "outstanding amount");
    const int32_t d = as_of - due[i];
    const size_t b = d < 0 ? 0 : 1 + static_cast<size_t>(std::lower_bound(bounds.begin(), bounds.end(), d) - bounds.begin());
    r.outstanding[i] = out;
    r.days_past_due[i] = d;
    r.bucket[i] = static_cast<int32_t>(b);
    if (out <= 0) continue;  // settled (or overpaid): nothing ages
    const auto c = static_cast<size_t>(customer[i]);
    r.ageing[c * C + b] = checked_add(r.ageing[c * C + b], out, "ageing");
    r.total[b] = checked_add(r.total[b], out, "ageing total");
    const bool has_seller = sellers && seller[i] != -1;
    if (has_seller) {
      auto& cell = r.seller_ageing[static_cast<size_t>(seller[i]) * C + b];
      cell = checked_add(cell, out, "seller ageing");
    }
    if (d < 1) continue;
    if (opt.customer_alerts) add_over(by_customer[c], out, d);
    if (has_seller && opt.seller_alerts) add_over(by_seller[static_cast<size_t>(seller[i])], out, d);
    if (!opt.invoice_alerts) continue;
    r.alerts.push_back(make_alert(Rule::receivable_overdue, b == last ? Severity::critical : Severity::warning,
        EntityKind::invoice, static_cast<int64_t>(i), customer[i], due[i], static_cast<double>(out), 0,
        message("Invoice ", label(opt.invoice_names, static_cast<int64_t>(i)), " of customer ", label(opt.customer_names, customer[i]),
                        ": ", compact_amount(out, sc), " outstanding, ", d, d == 1 ? " day" : " days", " past due (due ",
                        date_to_string(due[i]), ")")));
  }
  const int32_t critical_after = bounds.empty() ? 0 : bounds.back();
  auto summarise = [&](const std::vector<Over>& by, EntityKind kind, const char* what, gsl::span<const std::string> names) {
    for (size_t e = 0; e < by.size(); ++e) {
      const Over& o = by[e];
      if (o.count == 0) continue;
      r.alerts.push_back(make_alert(Rule::receivable_overdue, o.oldest > critical_after ? Severity::critical : Severity::warning, kind, static_cast<int64_t>(e), -1, as_of, static_cast<double>(o.amount), 0,
          message(what, label(names, static_cast<int64_t>(e)), ": ", compact_amount(o.amount, sc), " overdue on ", o.count,
                          o.count == 1 ? " invoice" : " invoices", ", oldest ", o.oldest, o.oldest == 1 ? " day" : " days",
                          " past due")));
    }
  };
  summarise(by_customer, EntityKind::customer, "Customer ", opt.customer_names);
  summarise(by_seller, EntityKind::seller, "Seller ", opt.seller_names);
  return r;
}

struct CollectionOptions {
  double min_share = 1.0;  // collected below min_share x target: alert (critical below half of it)
  int32_t period = -1;
  int amount_scale = 0;
  gsl::span<const std::string> node_names{};
};

struct CollectionGap {
  std::vector<int64_t> gap;     // per node: target - collected (negative: above target)
  std::vector<double> share;    // per node: collected / target (NaN when target is 0)
  std::vector<Alert> alerts;    // Rule::collection_gap, entity node, observed collected, expected target
};

// Collected vs the collection target per node.
//   collection_gap({80}, {100}).alerts[0].message == "#0: collected 80 of the collection target 100, 20 (20.0%) short"
inline CollectionGap collection_gap(gsl::span<const int64_t> collected, gsl::span<const int64_t> target,
                                    const CollectionOptions& opt = {}) {
  const size_t n = collected.size();
  detail::check_length(target.size(), n, "target", "collected");
  detail::check_optional_length(opt.node_names.size(), n, "node_names", "node");
  detail::check_finite_nonneg(opt.min_share, "min_share");
  quotaflow::detail::check_scale(opt.amount_scale);
  CollectionGap r;
  r.gap.resize(n);
  r.share.resize(n);
  for (size_t v = 0; v < n; ++v) {
    if (target[v] < 0) fail(errc::invalid_argument, "target[", v, "] is ", target[v], "; a collection target cannot be negative");
    const int64_t gap = quotaflow::detail::checked_sub(target[v], collected[v], "collection gap");
    const double share = target[v] == 0 ? std::numeric_limits<double>::quiet_NaN() : static_cast<double>(collected[v]) / static_cast<double>(target[v]);
    r.gap[v] = gap;
    r.share[v] = share;
    if (target[v] == 0 || !(share < opt.min_share)) continue;
    r.alerts.push_back(make_alert(Rule::collection_gap, share < opt.min_share / 2 ? Severity::critical : Severity::warning,
        EntityKind::node, static_cast<int64_t>(v), -1, opt.period, static_cast<double>(collected[v]), static_cast<double>(target[v]),
        message(label(opt.node_names, static_cast<int64_t>(v)), ": collected ", compact_amount(collected[v], opt.amount_scale),
                        " of the collection target ", compact_amount(target[v], opt.amount_scale), ", ",
                        compact_amount(gap, opt.amount_scale), " (", percent(static_cast<double>(gap) / static_cast<double>(target[v])),
                        ") short")));
  }
  return r;
}

}  // namespace quotaflow::monitor
