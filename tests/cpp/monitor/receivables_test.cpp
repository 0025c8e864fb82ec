// monitor receivables: ageing buckets, overdue alerts by invoice, customer and seller, payments
// per invoice, the collection gap; hand-worked, a seeded conservation property, bad input.
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "quotaflow/monitor/receivables.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Date d(const char* s) { return date_from_string(s); }
const Date as_of = date_from_string("2026-06-30");
}  // namespace

TEST(Receivables, HandWorked) {
  // inv0 due today (0 days, not overdue); inv1 1 day; inv2 121 days; inv3 not due; inv4 paid;
  // inv5 60 days.
  std::vector<int32_t> customer{0, 0, 1, 1, 0, 0}, seller{0, 0, 0, 1, 1, 1};
  std::vector<Date> due{d("2026-06-30"), d("2026-06-29"), d("2026-03-01"), d("2026-07-15"), d("2026-05-01"), d("2026-05-01")};
  std::vector<int64_t> amount{100, 200, 1000, 70, 300, 400}, paid{0, 50, 0, 0, 300, 0};
  std::vector<std::string> inv{"I0", "I1", "I2", "I3", "I4", "I5"}, cust{"Acme", "Bolt"}, sell{"Li", "Wang"};
  ReceivableOptions o;
  o.invoice_names = inv;
  o.customer_names = cust;
  o.seller_names = sell;
  auto r = receivables(customer, seller, due, amount, paid, 2, 2, as_of, o);
  EXPECT_EQ(r.bucket_labels, (std::vector<std::string>{"not_due", "0-30", "31-60", "61-90", ">90"}));
  EXPECT_EQ(r.outstanding, (std::vector<int64_t>{100, 150, 1000, 70, 0, 400}));
  EXPECT_EQ(r.days_past_due, (std::vector<int32_t>{0, 1, 121, -15, 60, 60}));
  EXPECT_EQ(r.bucket, (std::vector<int32_t>{1, 1, 4, 0, 2, 2}));
  EXPECT_EQ(r.ageing, (std::vector<int64_t>{0, 250, 400, 0, 0, /* Bolt */ 70, 0, 0, 0, 1000}));
  EXPECT_EQ(r.seller_ageing, (std::vector<int64_t>{0, 250, 0, 0, 1000, /* Wang */ 70, 0, 400, 0, 0}));
  EXPECT_EQ(r.total, (std::vector<int64_t>{70, 250, 400, 0, 1000}));
  ASSERT_EQ(r.alerts.size(), 7u);
  EXPECT_EQ(r.alerts[0].message, "Invoice I1 of customer Acme: 150 outstanding, 1 day past due (due 2026-06-29)");
  EXPECT_EQ(r.alerts[0].severity, Severity::warning);
  EXPECT_EQ(r.alerts[0].entity_kind, EntityKind::invoice);
  EXPECT_EQ(r.alerts[0].related, 0);
  EXPECT_EQ(r.alerts[0].period, d("2026-06-29"));
  EXPECT_EQ(r.alerts[1].message, "Invoice I2 of customer Bolt: 1K outstanding, 121 days past due (due 2026-03-01)");
  EXPECT_EQ(r.alerts[1].severity, Severity::critical);
  EXPECT_EQ(r.alerts[2].entity, 5);
  EXPECT_EQ(r.alerts[3].message, "Customer Acme: 550 overdue on 2 invoices, oldest 60 days past due");
  EXPECT_EQ(r.alerts[3].observed, 550);
  EXPECT_EQ(r.alerts[3].severity, Severity::warning);
  EXPECT_EQ(r.alerts[4].message, "Customer Bolt: 1K overdue on 1 invoice, oldest 121 days past due");
  EXPECT_EQ(r.alerts[4].severity, Severity::critical);
  EXPECT_EQ(r.alerts[5].message, "Seller Li: 1.15K overdue on 2 invoices, oldest 121 days past due");
  EXPECT_EQ(r.alerts[5].entity_kind, EntityKind::seller);
  EXPECT_EQ(r.alerts[6].message, "Seller Wang: 400 overdue on 1 invoice, oldest 60 days past due");
  // Other bounds, no sellers, only customer alerts.
  ReceivableOptions o2;
  o2.bucket_bounds = {7};
  o2.invoice_alerts = false;
  auto r2 = receivables(customer, {}, due, amount, paid, 2, 0, as_of, o2);
  EXPECT_EQ(r2.bucket_labels, (std::vector<std::string>{"not_due", "0-7", ">7"}));
  EXPECT_EQ(r2.ageing, (std::vector<int64_t>{0, 250, 400, 70, 0, 1000}));
  EXPECT_TRUE(r2.seller_ageing.empty());
  ASSERT_EQ(r2.alerts.size(), 2u);
  EXPECT_EQ(r2.alerts[0].message, "Customer #0: 550 overdue on 2 invoices, oldest 60 days past due");
  EXPECT_EQ(r2.alerts[0].severity, Severity::critical);  // 60 > 7
}

TEST(Receivables, PaymentsPerInvoice) {
  std::vector<int32_t> inv{0, 0, 2, 2};
  std::vector<int64_t> amt{50, 25, 10, 99};
  std::vector<Date> when{d("2026-06-01"), d("2026-06-30"), d("2026-06-02"), d("2026-07-01")};
  EXPECT_EQ(paid_by_invoice(inv, amt, when, 3, as_of), (std::vector<int64_t>{75, 0, 10}));  // 07-01 is after as_of
  EXPECT_EQ(paid_by_invoice(inv, amt, {}, 3, as_of), (std::vector<int64_t>{75, 0, 109}));
  std::vector<int32_t> bad{0, 3, 0, 0};
  EXPECT_QF_ERROR(paid_by_invoice(bad, amt, when, 3, as_of), errc::not_found, "payment_invoice[1] is 3; expected an invoice id in 0..2");
}

TEST(Receivables, RandomAgeingConservesOutstanding) {
  std::mt19937_64 rng(42);
  const size_t n = 3000;
  std::vector<int32_t> customer(n), seller(n);
  std::vector<Date> due(n);
  std::vector<int64_t> amount(n), paid(n);
  for (size_t i = 0; i < n; ++i) {
    customer[i] = static_cast<int32_t>(rng() % 17);
    seller[i] = static_cast<int32_t>(rng() % 5) - 1;
    due[i] = as_of - 200 + static_cast<Date>(rng() % 260);
    amount[i] = static_cast<int64_t>(rng() % 1'000'000);
    paid[i] = rng() % 3 == 0 ? amount[i] : static_cast<int64_t>(rng() % static_cast<uint64_t>(amount[i] + 1));
  }
  auto r = receivables(customer, seller, due, amount, paid, 17, 4, as_of);
  int64_t open = 0, over = 0, over_customers = 0, over_sellers = 0;
  for (size_t i = 0; i < n; ++i) {
    open += amount[i] - paid[i];
    over += amount[i] - paid[i] > 0 && due[i] < as_of ? amount[i] - paid[i] : 0;
  }
  EXPECT_EQ(std::accumulate(r.total.begin(), r.total.end(), int64_t{0}), open);
  EXPECT_EQ(std::accumulate(r.ageing.begin(), r.ageing.end(), int64_t{0}), open);
  int64_t inv_alerts = 0;
  for (const auto& a : r.alerts) {
    const auto v = static_cast<int64_t>(a.observed);
    if (a.entity_kind == EntityKind::invoice) inv_alerts += v;
    if (a.entity_kind == EntityKind::customer) over_customers += v;
    if (a.entity_kind == EntityKind::seller) over_sellers += v;
  }
  EXPECT_EQ(inv_alerts, over);
  EXPECT_EQ(over_customers, over);
  int64_t over_with_seller = 0;
  for (size_t i = 0; i < n; ++i)
    if (seller[i] >= 0 && amount[i] > paid[i] && due[i] < as_of) over_with_seller += amount[i] - paid[i];
  EXPECT_EQ(over_sellers, over_with_seller);
}

TEST(Receivables, BadInput) {
  std::vector<int32_t> customer{0, 2};
  std::vector<Date> due{d("2026-06-01"), d("2026-06-01")};
  std::vector<int64_t> amount{10, 10}, paid{0, 0};
  EXPECT_QF_ERROR(receivables(customer, {}, due, amount, paid, 2, 0, as_of), errc::not_found,
                  "customer[1] is 2; expected a customer id in 0..1");
  std::vector<int32_t> c{0, 1}, s{0, 5};
  EXPECT_QF_ERROR(receivables(c, s, due, amount, paid, 2, 2, as_of), errc::not_found,
                  "seller[1] is 5; expected a seller id (or -1) in 0..1");
  std::vector<int64_t> neg{10, -3};
  EXPECT_QF_ERROR(receivables(c, {}, due, neg, paid, 2, 0, as_of), errc::invalid_argument,
                  "amount[1] is -3; an invoice amount cannot be negative");
  std::vector<Date> far{d("2026-06-01"), 200000};
  EXPECT_QF_ERROR(receivables(c, {}, far, amount, paid, 2, 0, as_of), errc::out_of_range, "due is 200000 days since 1970-01-01");
  EXPECT_QF_ERROR(receivables(c, {}, gsl::span<const Date>(due).first(1), amount, paid, 2, 0, as_of), errc::invalid_argument,
                  "length mismatch: customer has 2 elements, due has 1");
  ReceivableOptions o;
  o.bucket_bounds = {30, 30};
  EXPECT_QF_ERROR(receivables(c, {}, due, amount, paid, 2, 0, as_of, o), errc::invalid_argument,
                  "bucket_bounds[1] is 30; bounds must be >= 0 and strictly ascending");
}

TEST(CollectionGap, HandWorkedAndBadInput) {
  std::vector<int64_t> collected{80, 120, 30, 5}, target{100, 100, 100, 0};
  std::vector<std::string> names{"East", "West", "North", "South"};
  CollectionOptions o;
  o.node_names = names;
  o.period = 4;
  auto r = collection_gap(collected, target, o);
  EXPECT_EQ(r.gap, (std::vector<int64_t>{20, -20, 70, -5}));
  EXPECT_DOUBLE_EQ(r.share[0], 0.8);
  EXPECT_TRUE(std::isnan(r.share[3]));
  ASSERT_EQ(r.alerts.size(), 2u);
  EXPECT_EQ(r.alerts[0].message, "East: collected 80 of the collection target 100, 20 (20.0%) short");
  EXPECT_EQ(r.alerts[0].severity, Severity::warning);
  EXPECT_EQ(r.alerts[0].observed, 80);
  EXPECT_EQ(r.alerts[0].expected, 100);
  EXPECT_EQ(r.alerts[0].period, 4);
  EXPECT_EQ(r.alerts[1].severity, Severity::critical);  // 30% < 50%
  o.min_share = 0.75;
  EXPECT_EQ(collection_gap(collected, target, o).alerts.size(), 1u);
  std::vector<int64_t> neg{100, -1, 100, 0};
  EXPECT_QF_ERROR(collection_gap(collected, neg), errc::invalid_argument, "target[1] is -1; a collection target cannot be negative");
  EXPECT_QF_ERROR(collection_gap(collected, gsl::span<const int64_t>(target).first(2)), errc::invalid_argument,
                  "length mismatch: collected has 4 elements, target has 2");
}
