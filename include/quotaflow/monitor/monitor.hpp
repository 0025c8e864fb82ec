// The streaming monitor: ingests sales, stage changes, invoices, payments, visits and case dates
// as they happen, and on advance(as_of) runs the rules over the current state and reports what
// was raised, changed or cleared since the last call.
//
// Why a running state instead of re-reading history: a host feeds events continuously and asks
// often, so each event does O(1) amortised work (a cell add, a hash-map upsert) and advance()
// costs O(state), independent of how many events led there. Every push validates the whole batch
// before it changes anything, so a bad batch leaves the monitor as it was.
//
//   monitor::MonitorConfig cfg;
//   cfg.start = date_from_string("2026-04-01"); cfg.end = date_from_string("2026-07-01");
//   cfg.plan = plan;                                  // nodes x months of [start, end)
//   monitor::Monitor m(org, cal, cfg);
//   m.push_sales(node, date, amount);
//   for (const auto& c : m.advance(date_from_string("2026-05-20"))) ...;   // c.change, c.alert
//   std::vector<uint8_t> saved = m.save();
//   auto again = monitor::Monitor::load(saved, org, cal, cfg);              // same state
//
// State and rules (each can be turned off in RuleSettings::enabled):
//   sales        node x period actuals of [start, end) (facts on inner nodes count for that node
//                and upwards); facts dated outside are counted in outside_count/amount. Ancestors
//                are summed at advance, not per event.
//     pace_behind / pace_at_risk / period_missed: track() status of every node x period whose
//                period has started by as_of: behind -> pace_behind (warning), at_risk ->
//                pace_at_risk (critical), missed -> period_missed (critical). observed = actual,
//                expected = plan to date (period_missed: the period's plan).
//   stage changes  per deal: current stage and the date it was entered (stage -1 closes the deal
//                and forgets it). A change dated before the deal's current entry date is stale
//                and ignored.
//     deal_stalled: detect_stalled() over the deals with a stage: working days in stage,
//                [entered, as_of), above the stage's limit (MonitorConfig::stage_limit_days; NaN
//                or absent = no limit): warning, critical from stalled_critical_factor x limit.
//                observed = days, expected = limit, related = the stage, period -1.
//   deal figures (push_deals)  per deal: owner, amount, win probability, original and current close.
//     deal_slipped: detect_slipped() per started period (the original close in it).
//     pipeline_coverage_low, target_probability_low: pipeline_coverage() and
//                target_probabilities() for the period holding as_of, over the deals closing in
//                it against each node's remaining target (plan - actual, rolled up); each node's
//                subtree deals at a unit keeping at most rules.target_cells cells. Only once deal
//                figures were pushed.
//   sales with SaleColumns (item, price, discount, customer, location) and MonitorConfig::sales
//     price_below_floor, price_above_ceiling, promo_not_free, discount_above_max: check_prices();
//     territory_violation: check_territory(); both run on each pushed batch (a sale never
//                changes) and their findings are kept, entity = the sale id, period = its period.
//   invoices with a seller: payments add to the seller's collected amount in their period.
//     collection_gap: collection_gap() per started period against MonitorConfig::collection_plan
//                due to date (the working-day share, as for visits).
//     chart_signal: control_charts() on each node's series kpi_history + the actuals of the
//                periods over by as_of (baseline: the history); signals on monitored periods,
//                related = the chart rule.
//   invoices and payments  per invoice: customer, amount, due date, paid so far.
//     receivable_overdue: per customer, the outstanding amount of invoices with
//                due + overdue_grace_days < as_of: warning, critical when one of them is more than
//                overdue_critical_days past due. observed = overdue amount, expected = 0.
//   visits       seller x period visit counts.
//     activity_shortfall: where MonitorConfig::visit_plan is given, visits done below
//                activity_min_ratio x the plan to date (working-day share of the period's plan,
//                as track() computes it): warning; critical once the period is over.
//                observed = visits, expected = plan to date.
//   cases        per case: end and planned end (nanoseconds since the epoch; no_time = not set).
//     case_late:  the late_cases detector (late_cases.hpp) over every case: finished after its
//                planned end; critical from case_late_critical_days late. entity = the case id.
//
// Snapshots: save() writes a sealed binary snapshot (snapshot.hpp) of the state, the alert store
// (with snoozes and acknowledgements) and the last as_of; load() rebuilds a monitor from it and
// the same hierarchy, calendar, periods and plan (a fingerprint of them is stored and must
// match; rule settings may differ). A damaged snapshot is an error naming the damage, and the
// monitor being restored into (restore()) is untouched.
//
// Thread rule: not synchronised. One thread pushes and advances at a time; save() may run
// concurrently with other const calls.
#pragma once

#include <algorithm>
#include <bitset>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <numeric>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/alert_store.hpp"
#include "quotaflow/monitor/alert_text.hpp"
#include "quotaflow/monitor/control_chart.hpp"
#include "quotaflow/monitor/deals.hpp"
#include "quotaflow/monitor/late_cases.hpp"
#include "quotaflow/monitor/price_policy.hpp"
#include "quotaflow/monitor/receivables.hpp"
#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/snapshot.hpp"
#include "quotaflow/monitor/target_probability.hpp"
#include "quotaflow/monitor/territory.hpp"
#include "quotaflow/monitor/track.hpp"

namespace quotaflow::monitor {

// The rules the streaming monitor evaluates: every rule of alert.hpp.
inline constexpr std::array<Rule, rule_count> monitor_rules = {
    Rule::pace_behind,         Rule::pace_at_risk,        Rule::period_missed,      Rule::deal_stalled,
    Rule::deal_slipped,        Rule::pipeline_coverage_low, Rule::target_probability_low, Rule::price_below_floor,
    Rule::price_above_ceiling, Rule::promo_not_free,      Rule::discount_above_max, Rule::territory_violation,
    Rule::receivable_overdue,  Rule::collection_gap,      Rule::activity_shortfall, Rule::case_late,
    Rule::chart_signal};

struct RuleSettings {
  std::bitset<rule_count> enabled = std::bitset<rule_count>{}.set();  // bit = Rule value
  TrackThresholds pace = {};
  double stalled_critical_factor = 2.0;      // >= 1
  int32_t overdue_grace_days = 0;            // >= 0
  int32_t overdue_critical_days = 30;        // >= 0
  double activity_min_ratio = 0.8;           // in [0, 1]
  double case_late_critical_days = 30;       // >= 0
  double min_coverage = 1.0;                 // pipeline_coverage_low below this (critical below half), >= 0
  double min_target_probability = 0.5;       // target_probability_low below this (critical below half), in [0, 1]
  int64_t target_unit = 1;                   // smallest discretisation unit of target_probability (> 0)
  int64_t target_cells = int64_t{1} << 14;   // per node the unit grows so the distribution has at most this many cells
  double collection_min_share = 1.0;         // collection_gap below this share of the target to date, >= 0
  ChartKind chart_kind = ChartKind::xmr;     // chart_signal: the chart run on each node's period series
  RuleSet chart_rules = {};                  // empty: the chart's default rules
  [[nodiscard]] bool on(Rule r) const { return enabled.test(static_cast<size_t>(r)); }
};

// The policy the per-sale rules check (price policy, territory). Per item (product): list price
// (0: none) and the promotional flag; per tier: the maximum discount; per customer: the tier; per
// org node (seller): the territory node (-1: unrestricted) in `territories`, the geography.
struct SalesPolicy {
  std::vector<int64_t> list_price;       // per item, minor units; empty: no price rules
  std::vector<uint8_t> promotional;      // empty, or per item
  std::vector<std::string> item_names;   // empty, or per item (messages)
  std::vector<double> max_discount_pct;  // per tier; empty: no discount rule
  std::vector<int32_t> customer_tier;    // per customer id (needed with max_discount_pct)
  double floor_share = 0, ceiling_share = std::numeric_limits<double>::infinity(), critical_excess_pct = 10;
  std::shared_ptr<const Hierarchy> territories;  // the geography; null: no territory rule
  std::vector<int32_t> seller_territory;         // per org node: a node of territories, or -1
};

// One batch of sales. node, date and amount are required; the rest are optional columns (empty
// spans): a sale id (default: the running count of sales pushed), the item and unit price (price
// policy), a discount in percent (else derived from the list price), the customer (its tier for
// the discount rule) and the location (a node of SalesPolicy::territories; territory rule).
struct SaleColumns {
  gsl::span<const int32_t> node;
  gsl::span<const Date> date;
  gsl::span<const int64_t> amount;
  gsl::span<const int64_t> sale{};
  gsl::span<const int32_t> item{};
  gsl::span<const int64_t> price{};
  gsl::span<const double> discount_pct{};
  gsl::span<const int32_t> customer{};
  gsl::span<const int32_t> location{};
};

struct MonitorConfig {
  Date start = 0, end = 0;          // the plan's range [start, end)
  Grain grain = Grain::month;
  std::vector<int64_t> plan;        // nodes x periods, row-major
  std::vector<int64_t> visit_plan;  // empty, or nodes x periods planned visits
  std::vector<double> stage_limit_days;  // per stage id: working days allowed; NaN = no limit
  std::vector<std::string> stage_names;  // empty, or one per stage_limit_days entry (messages)
  std::vector<int64_t> collection_plan;  // empty, or nodes x periods collection targets (collection_gap)
  std::vector<double> kpi_history;       // empty, or nodes x H actuals of the H periods before start (chart baseline, H >= 2)
  SalesPolicy sales = {};
  int amount_scale = 0;                  // decimals of amounts, for messages
  RuleSettings rules = {};
};

class Monitor {
 public:
  Monitor(Hierarchy h, Calendar cal, MonitorConfig cfg) : h_(std::move(h)), cal_(std::move(cal)), cfg_(std::move(cfg)) {
    periods_ = cal_.periods(cfg_.start, cfg_.end, cfg_.grain);
    const size_t cells = h_.size() * periods_.size();
    check_matrix(cfg_.plan, cells, "plan", false);
    check_matrix(cfg_.visit_plan, cells, "visit_plan", true);
    for (size_t i = 0; i < cfg_.stage_limit_days.size(); ++i) {
      const double v = cfg_.stage_limit_days[i];
      if (!std::isnan(v) && (std::isinf(v) || v < 0))
        fail(errc::invalid_argument, "stage_limit_days[", i, "] is ", v, "; it must be NaN (no limit) or finite and >= 0");
    }
    if (!cfg_.stage_names.empty() && cfg_.stage_names.size() != cfg_.stage_limit_days.size())
      fail(errc::invalid_argument, "stage_names has ", cfg_.stage_names.size(), " names; expected 0 or one per stage_limit_days entry (",
           cfg_.stage_limit_days.size(), ")");
    check_matrix(cfg_.collection_plan, cells, "collection_plan", true);
    for (size_t c = 0; c < cfg_.collection_plan.size(); ++c)
      if (cfg_.collection_plan[c] < 0) fail(errc::invalid_argument, "collection_plan[", c, "] is ", cfg_.collection_plan[c], "; it cannot be negative");
    if (!cfg_.kpi_history.empty()) {
      if (cfg_.kpi_history.size() % h_.size() != 0 || cfg_.kpi_history.size() / h_.size() < 2)
        fail(errc::invalid_argument, "kpi_history has ", cfg_.kpi_history.size(), " values; expected nodes (", h_.size(),
             ") x H periods with H >= 2 (the chart's baseline)");
      for (size_t c = 0; c < cfg_.kpi_history.size(); ++c) detail::check_finite(cfg_.kpi_history[c], "kpi_history", c);
    }
    quotaflow::detail::check_scale(cfg_.amount_scale);
    check_policy(cfg_.sales);
    if (cfg_.sales.territories) geo_ = std::make_shared<const TerritoryIndex>(*cfg_.sales.territories);
    check_rules(cfg_.rules);
    day_period_.resize(static_cast<size_t>(cfg_.end - cfg_.start));
    for (size_t k = 0; k < periods_.size(); ++k)
      for (Date d = periods_[k].start; d < periods_[k].end; ++d) day_period_[static_cast<size_t>(d - cfg_.start)] = static_cast<int32_t>(k);
    actual_.assign(cells, 0);
    visits_.assign(cells, 0);
    collected_.assign(cells, 0);
    fingerprint_ = fingerprint();
  }

  // --- events (columns of equal length; each batch is validated whole before it is applied) ------

  // Sales facts: amount (minor units) booked to node on date.
  //   m.push_sales(node, date, amount);
  void push_sales(gsl::span<const int32_t> node, gsl::span<const Date> date, gsl::span<const int64_t> amount) {
    push_sales(SaleColumns{node, date, amount});
  }

  // Sales with the optional columns of SaleColumns: the per-sale rules (price policy, territory)
  // run on the batch at push time (a sale never changes), and what they find is kept until
  // advance reports it, with the sale's period.
  //   m.push_sales({.node = node, .date = date, .amount = amount, .item = item, .price = price});
  void push_sales(const SaleColumns& c) {
    const auto node = c.node;
    const auto date = c.date;
    const auto amount = c.amount;
    const size_t n = node.size();
    same_length(n, date.size(), "node", "date");
    same_length(n, amount.size(), "node", "amount");
    optional_length(n, c.sale.size(), "sale");
    optional_length(n, c.item.size(), "item");
    optional_length(n, c.price.size(), "price");
    optional_length(n, c.discount_pct.size(), "discount_pct");
    optional_length(n, c.customer.size(), "customer");
    optional_length(n, c.location.size(), "location");
    if (c.item.empty() != c.price.empty())
      fail(errc::invalid_argument, "item and price go together: item has ", c.item.size(), " elements, price has ", c.price.size());
    for (size_t i = 0; i < n; ++i) {
      check_node(node[i], "node", i);
      check_day(date[i], "date", i);
    }
    const int64_t first_id = inside_count_ + outside_count_;
    std::vector<Alert> found = sale_rules(c, first_id);  // validates the optional columns; nothing changed yet
    for (size_t i = 0; i < n; ++i) {
      int64_t* slot = cell(actual_, node[i], date[i]);
      const bool inside = slot != nullptr;
      if (!inside) slot = &outside_amount_;
      int64_t sum;  // the slot keeps its value when the add overflows
      if (__builtin_add_overflow(*slot, amount[i], &sum)) {
        undo_sales(node, date, amount, i);
        fail(errc::overflow, "amount[", i, "] is ", amount[i], "; adding it to node ", node[i], "'s total for ",
             date_to_string(date[i]), " overflows int64");
      }
      *slot = sum;
      ++(inside ? inside_count_ : outside_count_);
    }
    for (auto& a : found) sale_alerts_.push_back(std::move(a));
  }

  // Deal figures for the pipeline rules: owner (a node), amount (>= 0, minor units), win
  // probability in [0, 1] and expected close date. The first close date pushed for a deal is its
  // original one (deal_slipped compares with it); later pushes update the figures.
  //   m.push_deals(deal, owner, amount, probability, close);
  void push_deals(gsl::span<const int64_t> deal, gsl::span<const int32_t> owner, gsl::span<const int64_t> amount,
                  gsl::span<const double> probability, gsl::span<const Date> close) {
    const size_t n = deal.size();
    same_length(n, owner.size(), "deal", "owner");
    same_length(n, amount.size(), "deal", "amount");
    same_length(n, probability.size(), "deal", "probability");
    same_length(n, close.size(), "deal", "close");
    for (size_t i = 0; i < n; ++i) {
      check_node(owner[i], "owner", i);
      if (amount[i] < 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; a deal amount cannot be negative");
      detail::check_probability(probability[i], "probability", i);
      check_day(close[i], "close", i);
    }
    for (size_t i = 0; i < n; ++i) {
      auto [it, fresh] = deals_.try_emplace(deal[i], DealState{});
      DealState& s = it->second;
      if (s.owner < 0) s.original_close = close[i];
      s.owner = owner[i];
      s.amount = amount[i];
      s.probability = probability[i];
      s.close = close[i];
    }
  }

  // Stage changes: deal entered stage on date; stage -1 closes the deal.
  void push_stage_changes(gsl::span<const int64_t> deal, gsl::span<const int32_t> stage, gsl::span<const Date> date) {
    const size_t n = deal.size();
    same_length(n, stage.size(), "deal", "stage");
    same_length(n, date.size(), "deal", "date");
    for (size_t i = 0; i < n; ++i) {
      if (stage[i] < -1) fail(errc::invalid_argument, "stage[", i, "] is ", stage[i], "; stages are >= 0, or -1 to close the deal");
      check_day(date[i], "date", i);
    }
    for (size_t i = 0; i < n; ++i) {
      if (stage[i] < 0) {
        auto it = deals_.find(deal[i]);
        if (it != deals_.end() && (it->second.stage < 0 || date[i] >= it->second.entered)) deals_.erase(it);
        continue;
      }
      auto [it, fresh] = deals_.try_emplace(deal[i], DealState{});
      if (fresh || it->second.stage < 0 || date[i] >= it->second.entered) {
        it->second.stage = stage[i];
        it->second.entered = date[i];
      }
    }
  }

  // Invoices: id, customer, amount (> 0, minor units), due date. An id already known is an error.
  void push_invoices(gsl::span<const int64_t> invoice, gsl::span<const int64_t> customer, gsl::span<const int64_t> amount,
                     gsl::span<const Date> due) {
    push_invoices(invoice, customer, amount, due, {});
  }
  // The same with the seller (a node) each invoice's payments are collected for (collection_gap);
  // an empty seller column, or -1, collects for nobody.
  //   m.push_invoices(invoice, customer, amount, due, seller);
  void push_invoices(gsl::span<const int64_t> invoice, gsl::span<const int64_t> customer, gsl::span<const int64_t> amount,
                     gsl::span<const Date> due, gsl::span<const int32_t> seller) {
    const size_t n = invoice.size();
    optional_length(n, seller.size(), "seller");
    for (size_t i = 0; i < seller.size(); ++i)
      if (seller[i] != -1) check_node(seller[i], "seller", i);
    same_length(n, customer.size(), "invoice", "customer");
    same_length(n, amount.size(), "invoice", "amount");
    same_length(n, due.size(), "invoice", "due");
    for (size_t i = 0; i < n; ++i) {
      if (amount[i] <= 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; an invoice amount must be > 0");
      check_day(due[i], "due", i);
    }
    for (size_t i = 0; i < n; ++i) {
      if (!invoices_.try_emplace(invoice[i], InvoiceState{customer[i], amount[i], 0, due[i], seller.empty() ? -1 : seller[i]}).second) {
        for (size_t j = 0; j < i; ++j) invoices_.erase(invoice[j]);
        fail(errc::invalid_argument, "invoice[", i, "] is ", invoice[i], "; that invoice was already pushed");
      }
    }
  }

  // Payments against known invoices: amount > 0. Overpayment is kept (the invoice is then settled).
  void push_payments(gsl::span<const int64_t> invoice, gsl::span<const int64_t> amount, gsl::span<const Date> date) {
    const size_t n = invoice.size();
    same_length(n, amount.size(), "invoice", "amount");
    same_length(n, date.size(), "invoice", "date");
    std::vector<InvoiceState*> target(n);
    for (size_t i = 0; i < n; ++i) {
      auto it = invoices_.find(invoice[i]);
      if (it == invoices_.end()) fail(errc::not_found, "invoice[", i, "] is ", invoice[i], "; no invoice with that id was pushed");
      if (amount[i] <= 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; a payment must be > 0");
      check_day(date[i], "date", i);
      target[i] = &it->second;
    }
    for (size_t i = 0; i < n; ++i) {
      int64_t sum;
      int64_t* got = target[i]->seller < 0 ? nullptr : cell(collected_, target[i]->seller, date[i]);
      int64_t total = 0;
      if (__builtin_add_overflow(target[i]->paid, amount[i], &sum) || (got && __builtin_add_overflow(*got, amount[i], &total))) {
        for (size_t j = 0; j < i; ++j) {
          target[j]->paid -= amount[j];
          if (int64_t* back = target[j]->seller < 0 ? nullptr : cell(collected_, target[j]->seller, date[j])) *back -= amount[j];
        }
        fail(errc::overflow, "amount[", i, "] is ", amount[i], "; the payments of invoice ", invoice[i], " overflow int64");
      }
      target[i]->paid = sum;
      if (got) *got = total;
    }
  }

  // Visits (or calls): count (>= 0) made by seller (a node) on date.
  void push_visits(gsl::span<const int32_t> seller, gsl::span<const Date> date, gsl::span<const int64_t> count) {
    const size_t n = seller.size();
    same_length(n, date.size(), "seller", "date");
    same_length(n, count.size(), "seller", "count");
    for (size_t i = 0; i < n; ++i) {
      check_node(seller[i], "seller", i);
      check_day(date[i], "date", i);
      if (count[i] < 0) fail(errc::invalid_argument, "count[", i, "] is ", count[i], "; it must be >= 0");
    }
    for (size_t i = 0; i < n; ++i) {
      int64_t* slot = cell(visits_, seller[i], date[i]);
      if (slot == nullptr) continue;
      int64_t sum;
      if (__builtin_add_overflow(*slot, count[i], &sum)) {
        for (size_t j = 0; j < i; ++j)
          if (int64_t* back = cell(visits_, seller[j], date[j])) *back -= count[j];
        fail(errc::overflow, "count[", i, "] is ", count[i], "; the visits of seller ", seller[i], " overflow int64");
      }
      *slot = sum;
    }
  }

  // Case dates: end and planned end (nanoseconds since the epoch, or no_time). A later push for the
  // same case replaces the earlier one.
  void push_cases(gsl::span<const int64_t> case_id, gsl::span<const int64_t> end, gsl::span<const int64_t> planned_end) {
    const size_t n = case_id.size();
    same_length(n, end.size(), "case_id", "end");
    same_length(n, planned_end.size(), "case_id", "planned_end");
    for (size_t i = 0; i < n; ++i) {
      check_time(end[i], "end", i);
      check_time(planned_end[i], "planned_end", i);
    }
    for (size_t i = 0; i < n; ++i) cases_[case_id[i]] = CaseState{end[i], planned_end[i]};
  }

  // --- evaluation --------------------------------------------------------------------------------

  // Runs every enabled rule as of `as_of` (a date the calendar covers) and returns the changes
  // since the last call (see alert_store.hpp). as_of may go backwards (a replay); the rules just
  // see the state as of that date.
  std::vector<AlertChange> advance(Date as_of) {
    check_day(as_of, "as_of", static_cast<size_t>(-1));
    auto found = evaluate(as_of);
    auto changes = store_.update(as_of, std::move(found));
    last_as_of_ = as_of;
    return changes;
  }

  // Every condition that holds as of `as_of`, without touching the alert store.
  [[nodiscard]] std::vector<Alert> evaluate(Date as_of) const {
    check_day(as_of, "as_of", static_cast<size_t>(-1));
    std::vector<Alert> out;
    const auto& r = cfg_.rules;
    if (r.on(Rule::pace_behind) || r.on(Rule::pace_at_risk) || r.on(Rule::period_missed)) pacing(as_of, out);
    const DealColumns deals = deal_columns();
    if (r.on(Rule::deal_stalled)) stalled(deals, as_of, out);
    if (r.on(Rule::deal_slipped)) slipped(deals, as_of, out);
    const bool figures = std::any_of(deals.owner.begin(), deals.owner.end(), [](int32_t o) { return o >= 0; });
    if (figures && (r.on(Rule::pipeline_coverage_low) || r.on(Rule::target_probability_low))) pipeline(deals, as_of, out);
    for (const Alert& a : sale_alerts_)
      if (r.on(a.rule)) out.push_back(a);
    if (r.on(Rule::receivable_overdue)) overdue(as_of, out);
    if (r.on(Rule::collection_gap) && !cfg_.collection_plan.empty()) collections(as_of, out);
    if (r.on(Rule::activity_shortfall) && !cfg_.visit_plan.empty()) activity(as_of, out);
    if (r.on(Rule::case_late)) late(out);
    if (r.on(Rule::chart_signal) && !cfg_.kpi_history.empty()) charts(as_of, out);
    return out;
  }

  void snooze(uint64_t key, Date until, std::string_view reason, double margin) { store_.snooze(key, until, reason, margin); }
  void acknowledge(uint64_t key, Date until, std::string_view reason) { store_.acknowledge(key, until, reason); }

  // Rule settings may change between advances (a rule turned off clears its alerts at the next advance).
  void set_rules(const RuleSettings& rules) {
    check_rules(rules);
    cfg_.rules = rules;
  }

  // --- inspection --------------------------------------------------------------------------------
  [[nodiscard]] const Hierarchy& hierarchy() const noexcept { return h_; }
  [[nodiscard]] const Calendar& calendar() const noexcept { return cal_; }
  [[nodiscard]] const MonitorConfig& config() const noexcept { return cfg_; }
  [[nodiscard]] const std::vector<Period>& periods() const noexcept { return periods_; }
  [[nodiscard]] const AlertStore& alerts() const noexcept { return store_; }
  // Node x period actuals with ancestors summed (what pacing sees).
  [[nodiscard]] std::vector<int64_t> actuals() const {
    std::vector<int64_t> a = actual_;
    detail::rollup_rows(h_, a.data(), periods_.size(), "monitor actuals");
    return a;
  }
  [[nodiscard]] int64_t outside_count() const noexcept { return outside_count_; }
  [[nodiscard]] int64_t outside_amount() const noexcept { return outside_amount_; }
  [[nodiscard]] size_t open_deals() const noexcept { return deals_.size(); }
  [[nodiscard]] size_t invoices() const noexcept { return invoices_.size(); }
  [[nodiscard]] size_t cases() const noexcept { return cases_.size(); }
  [[nodiscard]] size_t sale_alerts() const noexcept { return sale_alerts_.size(); }
  [[nodiscard]] Date last_as_of() const noexcept { return last_as_of_; }

  // --- snapshots ---------------------------------------------------------------------------------
  [[nodiscard]] std::vector<uint8_t> save() const {
    snapshot::Writer w;
    w.u64(fingerprint_);
    w.i32(last_as_of_);
    w.i64(inside_count_);
    w.i64(outside_count_);
    w.i64(outside_amount_);
    w.u64(actual_.size());
    for (int64_t v : actual_) w.i64(v);
    for (int64_t v : visits_) w.i64(v);
    auto sorted = [](const auto& map) {
      std::vector<int64_t> ids;
      ids.reserve(map.size());
      for (const auto& kv : map) ids.push_back(kv.first);
      std::sort(ids.begin(), ids.end());
      return ids;
    };
    for (int64_t v : collected_) w.i64(v);
    w.u64(deals_.size());
    for (int64_t id : sorted(deals_)) {
      const auto& s = deals_.at(id);
      w.i64(id);
      w.i32(s.stage);
      w.i32(s.entered);
      w.i32(s.owner);
      w.i64(s.amount);
      w.f64(s.probability);
      w.i32(s.original_close);
      w.i32(s.close);
    }
    w.u64(invoices_.size());
    for (int64_t id : sorted(invoices_)) {
      const auto& s = invoices_.at(id);
      w.i64(id);
      w.i64(s.customer);
      w.i64(s.amount);
      w.i64(s.paid);
      w.i32(s.due);
      w.i32(s.seller);
    }
    w.u64(cases_.size());
    for (int64_t id : sorted(cases_)) {
      const auto& s = cases_.at(id);
      w.i64(id);
      w.i64(s.end);
      w.i64(s.planned);
    }
    w.u64(sale_alerts_.size());
    for (const Alert& a : sale_alerts_) AlertStore::put_alert(w, a);
    store_.save(w);
    return snapshot::seal(w.bytes());
  }

  // A monitor rebuilt from a snapshot and the configuration it was saved with (rules may differ).
  static Monitor load(gsl::span<const uint8_t> bytes, Hierarchy h, Calendar cal, MonitorConfig cfg) {
    Monitor m(std::move(h), std::move(cal), std::move(cfg));
    m.read(snapshot::unseal(bytes));
    return m;
  }
  // Replaces this monitor's state with a snapshot's; on any error this monitor is unchanged.
  void restore(gsl::span<const uint8_t> bytes) {
    Monitor fresh(h_, cal_, cfg_);
    fresh.read(snapshot::unseal(bytes));
    *this = std::move(fresh);
  }

 private:
  struct DealState {
    int32_t stage = -1;  // -1: no stage known yet (only pipeline figures)
    Date entered = std::numeric_limits<Date>::min();
    int32_t owner = -1;  // -1: no pipeline figures pushed yet
    int64_t amount = 0;
    double probability = 0;
    Date original_close = 0, close = 0;
  };
  struct InvoiceState {
    int64_t customer, amount, paid;
    Date due;
    int32_t seller = -1;
  };
  // The open deals as columns in id order, built once per evaluation for the deal detectors.
  struct DealColumns {
    std::vector<int64_t> id;
    std::vector<std::string> name;
    std::vector<int32_t> stage, owner;
    std::vector<Date> entered, original_close, close;
    std::vector<int64_t> amount;
    std::vector<double> probability;
  };
  struct CaseState {
    int64_t end, planned;
  };

  Hierarchy h_;
  Calendar cal_;
  MonitorConfig cfg_;
  std::vector<Period> periods_;
  std::vector<int32_t> day_period_;  // day - start -> period index
  std::vector<int64_t> actual_, visits_, collected_;  // collected_: payments per invoice seller x period
  std::vector<Alert> sale_alerts_;                    // per-sale rule findings, in push order
  std::shared_ptr<const TerritoryIndex> geo_;         // over cfg_.sales.territories (shared, immutable)
  int64_t inside_count_ = 0, outside_count_ = 0, outside_amount_ = 0;
  std::unordered_map<int64_t, DealState> deals_;
  std::unordered_map<int64_t, InvoiceState> invoices_;
  std::unordered_map<int64_t, CaseState> cases_;
  AlertStore store_;
  Date last_as_of_ = std::numeric_limits<Date>::min();  // no advance yet
  uint64_t fingerprint_ = 0;

  // --- checks --------------------------------------------------------------------------------------
  static void same_length(size_t n, size_t m, const char* a, const char* b) {
    if (m != n) fail(errc::invalid_argument, "length mismatch: ", a, " has ", n, " elements, ", b, " has ", m);
  }
  static void optional_length(size_t n, size_t m, const char* what) {
    if (m != 0 && m != n) fail(errc::invalid_argument, "length mismatch: node has ", n, " elements, ", what, " has ", m, " (expected 0 or ", n, ")");
  }
  // check_prices' view of the policy (spans into cfg_.sales).
  [[nodiscard]] PricePolicy price_policy() const {
    const SalesPolicy& pol = cfg_.sales;
    PricePolicy pp;
    pp.list_price = pol.list_price;
    pp.promotional = pol.promotional;
    pp.floor_share = pol.floor_share;
    pp.ceiling_share = pol.ceiling_share;
    pp.max_discount_pct = pol.max_discount_pct;
    pp.critical_excess_pct = pol.critical_excess_pct;
    pp.amount_scale = cfg_.amount_scale;
    pp.product_names = pol.item_names;
    return pp;
  }
  void check_policy(const SalesPolicy& p) const {
    try {
      detail::check_price_policy(price_policy());
    } catch (const error& e) {
      fail(e.code(), "sales.", e.what());
    }
    const size_t T = p.max_discount_pct.size();
    for (size_t c = 0; c < p.customer_tier.size(); ++c) detail::check_id(p.customer_tier[c], T, "sales.customer_tier", c, "a tier id");
    if (!p.territories) {
      if (!p.seller_territory.empty()) fail(errc::invalid_argument, "sales.seller_territory is given without sales.territories");
      return;
    }
    if (p.seller_territory.size() != h_.size())
      fail(errc::invalid_argument, "sales.seller_territory has ", p.seller_territory.size(), " elements; expected one per node (", h_.size(), ")");
    for (size_t v = 0; v < h_.size(); ++v)
      if (p.seller_territory[v] != -1)
        detail::check_id(p.seller_territory[v], p.territories->size(), "sales.seller_territory", v, "a territory node (or -1)");
  }
  static void check_matrix(const std::vector<int64_t>& m, size_t cells, const char* what, bool optional) {
    if (optional && m.empty()) return;
    if (m.size() != cells) fail(errc::invalid_argument, what, " has ", m.size(), " values; expected nodes x periods = ", cells);
  }
  static void check_rules(const RuleSettings& r) {
    if (!(r.stalled_critical_factor >= 1) || std::isinf(r.stalled_critical_factor))
      fail(errc::invalid_argument, "rules.stalled_critical_factor is ", r.stalled_critical_factor, "; it must be finite and >= 1");
    if (r.overdue_grace_days < 0) fail(errc::invalid_argument, "rules.overdue_grace_days is ", r.overdue_grace_days, "; it must be >= 0");
    if (r.overdue_critical_days < 0)
      fail(errc::invalid_argument, "rules.overdue_critical_days is ", r.overdue_critical_days, "; it must be >= 0");
    if (!(r.activity_min_ratio >= 0 && r.activity_min_ratio <= 1))
      fail(errc::invalid_argument, "rules.activity_min_ratio is ", r.activity_min_ratio, "; it must be in [0, 1]");
    if (!(r.case_late_critical_days >= 0) || std::isinf(r.case_late_critical_days))
      fail(errc::invalid_argument, "rules.case_late_critical_days is ", r.case_late_critical_days, "; it must be finite and >= 0");
    detail::check_finite_nonneg(r.min_coverage, "rules.min_coverage");
    if (!(r.min_target_probability >= 0 && r.min_target_probability <= 1))
      fail(errc::invalid_argument, "rules.min_target_probability is ", r.min_target_probability, "; it must be in [0, 1]");
    if (r.target_unit <= 0) fail(errc::invalid_argument, "rules.target_unit is ", r.target_unit, "; it must be > 0");
    if (r.target_cells < 16) fail(errc::invalid_argument, "rules.target_cells is ", r.target_cells, "; it must be >= 16");
    detail::check_finite_nonneg(r.collection_min_share, "rules.collection_min_share");
    ChartOptions co;  // a rule set that does not belong to the chart fails here, not at advance
    co.kind = r.chart_kind;
    co.rules = r.chart_rules;
    const std::vector<double> probe{0, 1};
    (void)control_chart(probe, co);
    // track() checks the pace thresholds too; checking here makes a bad setting fail at once.
    const auto& t = r.pace;
    for (double v : {t.ahead_pace, t.behind_pace, t.at_risk_pace, t.at_risk_required})
      if (!std::isfinite(v) || v < 0) fail(errc::invalid_argument, "rules.pace thresholds must be finite and >= 0; got ", v);
    if (!(t.at_risk_pace <= t.behind_pace && t.behind_pace <= t.ahead_pace))
      fail(errc::invalid_argument, "rules.pace must satisfy at_risk_pace <= behind_pace <= ahead_pace; got ", t.at_risk_pace,
           ", ", t.behind_pace, ", ", t.ahead_pace);
  }
  void check_node(int32_t v, const char* what, size_t i) const {
    if (v < 0 || static_cast<size_t>(v) >= h_.size())
      fail(errc::not_found, what, "[", i, "] is ", v, "; the hierarchy has ", h_.size(), " nodes");
  }
  // A date the calendar answers for; i == size_t(-1) names a scalar argument.
  void check_day(Date d, const char* what, size_t i) const {
    if (d >= cal_.valid_from() && d < cal_.valid_until()) return;
    const std::string name = i == static_cast<size_t>(-1) ? std::string(what) : std::string(what) + "[" + std::to_string(i) + "]";
    fail(errc::out_of_range, name, " is ", describe_date(d), ", outside the calendar's valid range ", date_to_string(cal_.valid_from()),
         "..", date_to_string(cal_.valid_until() - 1));
  }
  static void check_time(int64_t t, const char* what, size_t i) {
    // Nanoseconds within the supported dates (1900..2199), or no_time.
    constexpr int64_t lo = int64_t{min_supported_date} * ns_per_day, hi = (int64_t{max_supported_date} + 1) * ns_per_day;
    if (t != no_time && (t < lo || t >= hi))
      fail(errc::out_of_range, what, "[", i, "] is ", t, " nanoseconds since 1970-01-01, outside 1900-01-01..2199-12-31");
  }
  // The node x period slot of a matrix for a date, or nullptr when the date is outside [start, end).
  int64_t* cell(std::vector<int64_t>& m, int32_t node, Date date) {
    if (date < cfg_.start || date >= cfg_.end) return nullptr;
    return &m[static_cast<size_t>(node) * periods_.size() + static_cast<size_t>(day_period_[static_cast<size_t>(date - cfg_.start)])];
  }
  void undo_sales(gsl::span<const int32_t> node, gsl::span<const Date> date, gsl::span<const int64_t> amount, size_t upto) {
    for (size_t j = 0; j < upto; ++j) {
      if (int64_t* slot = cell(actual_, node[j], date[j])) {
        *slot -= amount[j];
        --inside_count_;
      } else {
        outside_amount_ -= amount[j];
        --outside_count_;
      }
    }
  }

  [[nodiscard]] uint64_t fingerprint() const {
    uint64_t f = 1469598103934665603ULL;  // FNV-1a over the configuration that shapes the state
    auto mix = [&f](uint64_t v) {
      for (int i = 0; i < 8; ++i) {
        f ^= (v >> (8 * i)) & 0xFFu;
        f *= 1099511628211ULL;
      }
    };
    mix(h_.size());
    for (int32_t p : h_.parents()) mix(static_cast<uint64_t>(static_cast<int64_t>(p)));
    mix(static_cast<uint64_t>(static_cast<int64_t>(cfg_.start)));
    mix(static_cast<uint64_t>(static_cast<int64_t>(cfg_.end)));
    mix(static_cast<uint64_t>(cfg_.grain));
    mix(static_cast<uint64_t>(static_cast<int64_t>(cal_.valid_from())));
    mix(static_cast<uint64_t>(static_cast<int64_t>(cal_.valid_until())));
    for (const Period& p : periods_) mix(static_cast<uint64_t>(static_cast<int64_t>(p.working_days)));
    for (int64_t v : cfg_.plan) mix(static_cast<uint64_t>(v));
    return f;
  }

  void read(gsl::span<const uint8_t> payload) {
    snapshot::Reader r(payload);
    const uint64_t fp = r.u64("fingerprint");
    if (fp != fingerprint_)
      fail(errc::invalid_argument, "snapshot was saved by a monitor with a different hierarchy, calendar, periods or plan ",
           "(fingerprint ", fp, ", this monitor's is ", fingerprint_, ")");
    last_as_of_ = r.i32("last_as_of");
    if (last_as_of_ != std::numeric_limits<Date>::min() && (last_as_of_ < cal_.valid_from() || last_as_of_ >= cal_.valid_until()))
      fail(errc::parse_error, "snapshot is corrupt: last_as_of is ", last_as_of_);
    inside_count_ = r.i64("inside_count");
    outside_count_ = r.i64("outside_count");
    outside_amount_ = r.i64("outside_amount");
    if (inside_count_ < 0 || outside_count_ < 0) fail(errc::parse_error, "snapshot is corrupt: negative fact counts");
    const uint64_t cells = r.u64("cells");
    if (cells != actual_.size())
      fail(errc::parse_error, "snapshot is corrupt: it has ", cells, " cells, this monitor has ", actual_.size());
    for (auto& v : actual_) v = r.i64("actuals");
    for (auto& v : visits_) {
      v = r.i64("visits");
      if (v < 0) fail(errc::parse_error, "snapshot is corrupt: a visit count is ", v);
    }
    for (auto& v : collected_) v = r.i64("collected");
    auto date_ok = [&](Date d, const std::string& what) {
      if (d < cal_.valid_from() || d >= cal_.valid_until()) fail(errc::parse_error, "snapshot is corrupt: ", what, " is ", d);
    };
    auto ascending = [](bool first, int64_t prev, int64_t id, const std::string& what) {
      if (!first && id <= prev) fail(errc::parse_error, "snapshot is corrupt: ", what, " ids are not strictly ascending");
    };
    const size_t nd = r.count("deals.count", 40);
    deals_.reserve(nd);
    int64_t prev_d = 0;
    for (size_t i = 0; i < nd; ++i) {
      const std::string at = "deals[" + std::to_string(i) + "]";
      const int64_t id = r.i64(at + ".id");
      ascending(i == 0, prev_d, id, "deal");
      prev_d = id;
      DealState s;
      s.stage = r.i32(at + ".stage");
      s.entered = r.i32(at + ".entered");
      s.owner = r.i32(at + ".owner");
      s.amount = r.i64(at + ".amount");
      s.probability = r.f64(at + ".probability");
      s.original_close = r.i32(at + ".original_close");
      s.close = r.i32(at + ".close");
      if (s.stage < -1) fail(errc::parse_error, "snapshot is corrupt: ", at, ".stage is ", s.stage);
      if (s.stage >= 0) date_ok(s.entered, at + ".entered");
      else if (s.entered != std::numeric_limits<Date>::min()) fail(errc::parse_error, "snapshot is corrupt: ", at, ".entered is ", s.entered);
      if (s.owner < -1 || s.owner >= static_cast<int64_t>(h_.size())) fail(errc::parse_error, "snapshot is corrupt: ", at, ".owner is ", s.owner);
      if (s.stage < 0 && s.owner < 0) fail(errc::parse_error, "snapshot is corrupt: ", at, " has neither a stage nor an owner");
      if (s.owner >= 0) {
        if (s.amount < 0) fail(errc::parse_error, "snapshot is corrupt: ", at, ".amount is ", s.amount);
        if (!(s.probability >= 0 && s.probability <= 1)) fail(errc::parse_error, "snapshot is corrupt: ", at, ".probability is ", s.probability);
        date_ok(s.original_close, at + ".original_close");
        date_ok(s.close, at + ".close");
      }
      deals_.emplace(id, s);
    }
    const size_t ni = r.count("invoices.count", 40);
    invoices_.reserve(ni);
    int64_t prev_i = 0;
    for (size_t i = 0; i < ni; ++i) {
      const std::string at = "invoices[" + std::to_string(i) + "]";
      const int64_t id = r.i64(at + ".id");
      ascending(i == 0, prev_i, id, "invoice");
      prev_i = id;
      InvoiceState s{};
      s.customer = r.i64(at + ".customer");
      s.amount = r.i64(at + ".amount");
      s.paid = r.i64(at + ".paid");
      s.due = r.i32(at + ".due");
      s.seller = r.i32(at + ".seller");
      if (s.seller < -1 || s.seller >= static_cast<int64_t>(h_.size())) fail(errc::parse_error, "snapshot is corrupt: ", at, ".seller is ", s.seller);
      if (s.amount <= 0 || s.paid < 0) fail(errc::parse_error, "snapshot is corrupt: ", at, " has amount ", s.amount, ", paid ", s.paid);
      date_ok(s.due, at + ".due");
      invoices_.emplace(id, s);
    }
    const size_t nc = r.count("cases.count", 24);
    cases_.reserve(nc);
    int64_t prev_c = 0;
    for (size_t i = 0; i < nc; ++i) {
      const std::string at = "cases[" + std::to_string(i) + "]";
      const int64_t id = r.i64(at + ".id");
      ascending(i == 0, prev_c, id, "case");
      prev_c = id;
      CaseState s{r.i64(at + ".end"), r.i64(at + ".planned")};
      check_time(s.end, (at + ".end").c_str(), 0);
      check_time(s.planned, (at + ".planned").c_str(), 0);
      cases_.emplace(id, s);
    }
    const size_t ns = r.count("sale_alerts.count", 48);
    sale_alerts_.reserve(ns);
    for (size_t i = 0; i < ns; ++i) {
      const std::string at = "sale_alerts[" + std::to_string(i) + "]";
      sale_alerts_.push_back(AlertStore::get_alert(r, at));
      const Rule rule = sale_alerts_.back().rule;
      if (rule < Rule::price_below_floor || rule > Rule::territory_violation)
        fail(errc::parse_error, "snapshot is corrupt: ", at, ".rule is ", rule_name(rule), ", not a per-sale rule");
    }
    store_ = AlertStore::load(r);
    r.finish();
  }

  // --- rules -----------------------------------------------------------------------------------------
  [[nodiscard]] std::string node_label(int64_t v) const {
    if (h_.has_names()) return h_.names()[static_cast<size_t>(v)];
    return "node " + std::to_string(v);
  }
  static std::string num(int64_t v) { return std::to_string(v); }
  // Amounts in messages are read by managers: major units at amount_scale, compact ("1.32M").
  [[nodiscard]] std::string money(int64_t minor) const { return compact_amount(minor, cfg_.amount_scale); }
  static std::string fixed(double v, int digits) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
  }

  void pacing(Date as_of, std::vector<Alert>& out) const {
    const auto actual = actuals();
    TrackOptions opt;
    opt.grain = cfg_.grain;
    opt.thresholds = cfg_.rules.pace;
    const auto t = track(h_, cal_, cfg_.plan, actual, cfg_.start, cfg_.end, as_of, opt);
    const size_t P = periods_.size();
    const auto& r = cfg_.rules;
    for (size_t k = 0; k < P; ++k) {
      if (periods_[k].start > as_of) continue;
      const std::string label = cal_.period_label(periods_[k].start, cfg_.grain);
      for (size_t v = 0; v < t.nodes; ++v) {
        const size_t c = v * P + k;
        const TrackStatus s = t.status[c];
        Rule rule;
        Severity sev = Severity::critical;
        if (s == TrackStatus::behind) {
          rule = Rule::pace_behind;
          sev = Severity::warning;
        } else if (s == TrackStatus::at_risk) {
          rule = Rule::pace_at_risk;
        } else if (s == TrackStatus::missed) {
          rule = Rule::period_missed;
        } else {
          continue;
        }
        if (!r.on(rule)) continue;
        Alert a{rule, sev, EntityKind::node, static_cast<int64_t>(v), -1, static_cast<int32_t>(k), 0, 0, {}};
        a.observed = static_cast<double>(actual[c]);
        const int64_t expected = rule == Rule::period_missed ? cfg_.plan[c] : t.plan_to_date[c];
        a.expected = static_cast<double>(expected);
        if (rule == Rule::period_missed)
          a.message = node_label(v) + " missed " + label + ": " + money(actual[c]) + " of " + money(expected) + " planned";
        else
          a.message = node_label(v) + " is " + (rule == Rule::pace_behind ? "behind" : "at risk") + " in " + label + ": " +
                      money(actual[c]) + " of " + money(expected) + " planned to date (pace " + fixed(t.pace[c], 2) + ")";
        out.push_back(std::move(a));
      }
    }
  }

  [[nodiscard]] DealColumns deal_columns() const {
    DealColumns d;
    d.id.reserve(deals_.size());
    for (const auto& kv : deals_) d.id.push_back(kv.first);
    std::sort(d.id.begin(), d.id.end());
    for (int64_t id : d.id) {
      const DealState& s = deals_.at(id);
      d.name.push_back(std::to_string(id));
      d.stage.push_back(s.stage);
      d.entered.push_back(s.entered);
      d.owner.push_back(s.owner);
      d.amount.push_back(s.amount);
      d.probability.push_back(s.probability);
      d.original_close.push_back(s.original_close);
      d.close.push_back(s.close);
    }
    return d;
  }
  // Row i of a detector's input was deal rows[i]: its alert is about that deal id.
  static void to_deal_ids(std::vector<Alert>& found, const std::vector<size_t>& rows, const DealColumns& d,
                          std::vector<Alert>& out) {
    for (auto& a : found) {
      a.entity = d.id[rows[static_cast<size_t>(a.entity)]];
      out.push_back(std::move(a));
    }
  }
  // The period index holding `day`, or -1 outside [start, end).
  [[nodiscard]] int32_t period_of(Date day) const {
    return day < cfg_.start || day >= cfg_.end ? -1 : day_period_[static_cast<size_t>(day - cfg_.start)];
  }
  [[nodiscard]] gsl::span<const std::string> node_names() const {
    return h_.has_names() ? gsl::span<const std::string>(h_.names()) : gsl::span<const std::string>();
  }

  // detect_stalled over the deals that have a stage with a limit and entered it by as_of.
  void stalled(const DealColumns& d, Date as_of, std::vector<Alert>& out) const {
    const auto& lim = cfg_.stage_limit_days;
    std::vector<size_t> rows;
    std::vector<int32_t> stage;
    std::vector<Date> entered;
    std::vector<std::string> names;
    for (size_t i = 0; i < d.id.size(); ++i) {
      const int32_t st = d.stage[i];
      if (st < 0 || static_cast<size_t>(st) >= lim.size() || std::isnan(lim[static_cast<size_t>(st)]) || d.entered[i] > as_of) continue;
      rows.push_back(i);
      stage.push_back(st);
      entered.push_back(d.entered[i]);
      names.push_back(d.name[i]);
    }
    StallOptions o;
    o.critical_factor = cfg_.rules.stalled_critical_factor;
    o.deal_names = names;
    o.stage_names = cfg_.stage_names;
    auto r = detect_stalled(stage, entered, lim, cal_, as_of, o);
    to_deal_ids(r.alerts, rows, d, out);
  }

  // detect_slipped per period that has started: deals whose original close was in it.
  void slipped(const DealColumns& d, Date as_of, std::vector<Alert>& out) const {
    for (size_t k = 0; k < periods_.size() && periods_[k].start <= as_of; ++k) {
      std::vector<size_t> rows;
      std::vector<Date> orig, now;
      std::vector<std::string> names;
      for (size_t i = 0; i < d.id.size(); ++i) {
        if (d.owner[i] < 0 || period_of(d.original_close[i]) != static_cast<int32_t>(k)) continue;
        rows.push_back(i);
        orig.push_back(d.original_close[i]);
        now.push_back(d.close[i]);
        names.push_back(d.name[i]);
      }
      SlipOptions o;
      o.period = static_cast<int32_t>(k);
      o.deal_names = names;
      auto found = detect_slipped(orig, now, periods_[k].start, periods_[k].end, o);
      to_deal_ids(found, rows, d, out);
    }
  }

  // Pipeline coverage and target probability of the period holding as_of: open deals closing in it
  // against each node's remaining target (plan - actual, rolled up).
  void pipeline(const DealColumns& d, Date as_of, std::vector<Alert>& out) const {
    const int32_t k = period_of(as_of);
    if (k < 0) return;
    const size_t P = periods_.size(), N = h_.size(), kk = static_cast<size_t>(k);
    const auto actual = actuals();
    std::vector<int64_t> remaining(N);
    for (size_t v = 0; v < N; ++v)
      remaining[v] = quotaflow::detail::checked_sub(cfg_.plan[v * P + kk], actual[v * P + kk], "remaining target");
    std::vector<int32_t> owner;
    std::vector<int64_t> amount;
    std::vector<double> prob;
    std::vector<Date> close;
    for (size_t i = 0; i < d.id.size(); ++i) {
      if (d.owner[i] < 0 || period_of(d.close[i]) != k) continue;
      owner.push_back(d.owner[i]);
      amount.push_back(d.amount[i]);
      prob.push_back(d.probability[i]);
      close.push_back(d.close[i]);
    }
    const auto& r = cfg_.rules;
    if (r.on(Rule::pipeline_coverage_low)) {
      CoverageOptions o;
      o.min_coverage = r.min_coverage;
      o.period = k;
      o.amount_scale = cfg_.amount_scale;
      o.hierarchy = &h_;
      auto cov = pipeline_coverage(owner, amount, prob, close, periods_[kk].start, periods_[kk].end, remaining, o);
      for (auto& a : cov.alerts) out.push_back(std::move(a));
    }
    if (!r.on(Rule::target_probability_low)) return;
    // Per node, the deals of its subtree (each deal counted at its owner and every ancestor), with
    // a unit that keeps the node's distribution within target_cells.
    std::vector<std::vector<size_t>> of(N);
    const auto parents = h_.parents();
    for (size_t i = 0; i < owner.size(); ++i)
      for (int32_t v = owner[i]; v >= 0; v = parents[static_cast<size_t>(v)]) of[static_cast<size_t>(v)].push_back(i);
    const auto names = node_names();
    for (size_t v = 0; v < N; ++v) {
      if (remaining[v] <= 0) continue;
      std::vector<int64_t> a;
      std::vector<double> p;
      int64_t total = 0;
      for (size_t i : of[v]) {
        a.push_back(amount[i]);
        p.push_back(prob[i]);
        total = quotaflow::detail::checked_add(total, amount[i], "pipeline total");
      }
      TargetProbabilityOptions o;
      o.unit = std::max(r.target_unit, total / r.target_cells + 1);
      o.quantile_levels = {0.5};
      TargetAlertOptions ao;
      ao.min_probability = r.min_target_probability;
      ao.period = k;
      ao.amount_scale = cfg_.amount_scale;
      const std::string name = label(names, static_cast<int64_t>(v));
      ao.node_names = gsl::span<const std::string>(&name, 1);
      const std::vector<int32_t> zero(a.size(), 0);
      const int64_t rem = remaining[v];
      auto tp = target_probabilities(zero, a, p, gsl::span<const int64_t>(&rem, 1), o, ao);
      for (auto& al : tp.alerts) {
        al.entity = static_cast<int64_t>(v);
        out.push_back(std::move(al));
      }
    }
  }

  // The plan of node x period k due by as_of: all of it once the period is over (as_of on or after
  // its last day), else its working-day share as track() computes it (0 before the period starts).
  [[nodiscard]] int64_t due_to_date(const std::vector<int64_t>& plan, size_t c, size_t k, Date as_of) const {
    const Period& per = periods_[k];
    if (per.start > as_of) return 0;
    const int64_t p = plan[c];
    if (as_of >= per.end - 1) return p;
    const int32_t ed = cal_.working_days(per.start, as_of + 1), wd = per.working_days;
    return ed == wd ? p : wd == 0 || ed == 0 ? 0 : detail::split_elapsed(p, ed, wd);
  }

  // collection_gap per started period: payments collected (by the invoices' sellers, rolled up)
  // against the collection plan due to date.
  void collections(Date as_of, std::vector<Alert>& out) const {
    const size_t P = periods_.size(), N = h_.size();
    std::vector<int64_t> got = collected_;
    detail::rollup_rows(h_, got.data(), P, "monitor collections");
    std::vector<int64_t> col(N), target(N);
    for (size_t k = 0; k < P && periods_[k].start <= as_of; ++k) {
      for (size_t v = 0; v < N; ++v) {
        col[v] = got[v * P + k];
        target[v] = due_to_date(cfg_.collection_plan, v * P + k, k, as_of);
      }
      CollectionOptions o;
      o.min_share = cfg_.rules.collection_min_share;
      o.period = static_cast<int32_t>(k);
      o.amount_scale = cfg_.amount_scale;
      o.node_names = node_names();
      auto r = collection_gap(col, target, o);
      for (auto& a : r.alerts) out.push_back(std::move(a));
    }
  }

  // Control charts on each node's period series: kpi_history (the baseline), then the actuals of
  // the periods over by as_of. A signal on a monitored period is a chart_signal alert.
  void charts(Date as_of, std::vector<Alert>& out) const {
    const size_t N = h_.size(), P = periods_.size(), H = cfg_.kpi_history.size() / N;
    size_t done = 0;
    while (done < P && as_of >= periods_[done].end) ++done;
    if (done == 0) return;
    const auto actual = actuals();
    const size_t W = H + done;
    std::vector<double> m(N * W);
    for (size_t v = 0; v < N; ++v) {
      for (size_t j = 0; j < H; ++j) m[v * W + j] = cfg_.kpi_history[v * H + j];
      for (size_t k = 0; k < done; ++k) m[v * W + H + k] = static_cast<double>(actual[v * P + k]);
    }
    std::vector<uint8_t> base(W, 0);
    std::fill(base.begin(), base.begin() + static_cast<std::ptrdiff_t>(H), uint8_t{1});
    ChartOptions o;
    o.kind = cfg_.rules.chart_kind;
    o.rules = cfg_.rules.chart_rules;
    o.baseline = base;
    const auto r = control_charts(m, N, W, o);
    const auto names = node_names();
    const auto& sg = r.signals;
    for (size_t i = 0; i < sg.size(); ++i) {
      if (static_cast<size_t>(sg.index[i]) < H) continue;
      const auto k = static_cast<size_t>(sg.index[i]) - H;
      const int64_t v = sg.series[i];
      const int sc = cfg_.amount_scale;
      auto amt = [sc](double x) { return compact_amount(static_cast<int64_t>(std::llround(x)), sc); };
      out.push_back(make_alert(Rule::chart_signal, Severity::warning, EntityKind::node, v, static_cast<int64_t>(sg.rule[i]),
          static_cast<int32_t>(k), sg.value[i], sg.center[i],
          message(label(names, v), ": ", chart_rule_name(sg.rule[i]), " signal in ", cal_.period_label(periods_[k].start, cfg_.grain),
                  ", ", amt(sg.value[i]), " against centre ", amt(sg.center[i]), " (limits ", amt(sg.lower[i]), "..", amt(sg.upper[i]), ")")));
    }
  }

  // check_prices and check_territory over one batch of sales (validating its optional columns);
  // alerts name the sale id and carry the sale's period. Names are built only when something was found.
  [[nodiscard]] std::vector<Alert> sale_rules(const SaleColumns& c, int64_t first_id) const {
    const size_t n = c.node.size();
    const SalesPolicy& pol = cfg_.sales;
    for (size_t i = 0; i < c.customer.size(); ++i)
      if (!pol.customer_tier.empty()) detail::check_id(c.customer[i], pol.customer_tier.size(), "customer", i, "a customer id");
    for (size_t i = 0; i < c.item.size(); ++i) detail::check_id(c.item[i], pol.list_price.size(), "item", i, "an item id (sales.list_price)");
    if (!c.location.empty() && !geo_) fail(errc::invalid_argument, "location is given but the monitor has no sales.territories");
    for (size_t i = 0; i < c.location.size(); ++i) detail::check_id(c.location[i], geo_->size(), "location", i, "a territory node");
    const bool tiers = !pol.max_discount_pct.empty() && !c.customer.empty() && !pol.customer_tier.empty();
    std::vector<int32_t> tier;
    if (tiers) {
      tier.resize(n);
      for (size_t i = 0; i < n; ++i) tier[i] = pol.customer_tier[static_cast<size_t>(c.customer[i])];
    }
    auto sale_id = [&](size_t i) { return c.sale.empty() ? first_id + static_cast<int64_t>(i) : c.sale[i]; };
    auto run = [&](gsl::span<const std::string> names) {
      std::vector<Alert> found;
      if (!c.item.empty()) {
        PricePolicy pp = price_policy();
        if (!tiers) pp.max_discount_pct = {};
        pp.sale_names = names;
        found = check_prices(c.item, tier, c.price, c.discount_pct, pp);
      }
      if (!c.location.empty()) {
        TerritoryOptions to;
        to.sale_names = names;
        to.seller_names = node_names();
        for (auto& a : check_territory(*geo_, c.node, c.location, pol.seller_territory, to)) found.push_back(std::move(a));
      }
      return found;
    };
    auto found = run({});
    if (found.empty()) return found;
    std::vector<std::string> names(n);
    for (size_t i = 0; i < n; ++i) names[i] = std::to_string(sale_id(i));
    found = run(names);
    // Sale order, then rule order, whatever the batching (the kept findings are part of snapshots).
    std::stable_sort(found.begin(), found.end(), [](const Alert& x, const Alert& y) {
      return x.entity != y.entity ? x.entity < y.entity : x.rule < y.rule;
    });
    for (auto& a : found) {
      const auto row = static_cast<size_t>(a.entity);
      a.entity = sale_id(row);
      a.period = period_of(c.date[row]);
    }
    return found;
  }

  void overdue(Date as_of, std::vector<Alert>& out) const {
    struct Due {
      int64_t amount = 0;
      int32_t worst_days = 0;
      int32_t invoices = 0;
    };
    std::unordered_map<int64_t, Due> by_customer;
    for (const auto& [id, s] : invoices_) {
      const int64_t open = s.amount - s.paid;
      if (open <= 0 || as_of <= s.due + cfg_.rules.overdue_grace_days) continue;
      Due& d = by_customer[s.customer];
      d.amount = quotaflow::detail::checked_add(d.amount, open, "overdue receivables");
      d.worst_days = std::max(d.worst_days, as_of - s.due);
      ++d.invoices;
    }
    std::vector<std::pair<int64_t, Due>> rows(by_customer.begin(), by_customer.end());
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (const auto& [customer, d] : rows) {
      const Severity sev = d.worst_days > cfg_.rules.overdue_critical_days ? Severity::critical : Severity::warning;
      Alert a{Rule::receivable_overdue, sev, EntityKind::customer, customer, -1, -1, static_cast<double>(d.amount), 0.0, {}};
      a.message = "customer " + num(customer) + " has " + money(d.amount) + " overdue on " + num(d.invoices) +
                  " invoice(s), the oldest " + num(d.worst_days) + " days past due";
      out.push_back(std::move(a));
    }
  }

  void activity(Date as_of, std::vector<Alert>& out) const {
    const size_t P = periods_.size();
    for (size_t k = 0; k < P; ++k) {
      const Period& per = periods_[k];
      if (per.start > as_of) continue;
      const bool over = as_of >= per.end - 1;
      const std::string label = cal_.period_label(per.start, cfg_.grain);
      for (size_t v = 0; v < h_.size(); ++v) {
        const size_t c = v * P + k;
        const int64_t plan = cfg_.visit_plan[c];
        if (plan <= 0) continue;
        const int64_t due = due_to_date(cfg_.visit_plan, c, k, as_of);
        if (due <= 0 || static_cast<double>(visits_[c]) >= cfg_.rules.activity_min_ratio * static_cast<double>(due)) continue;
        Alert a{Rule::activity_shortfall, over ? Severity::critical : Severity::warning, EntityKind::seller,
                static_cast<int64_t>(v), -1, static_cast<int32_t>(k), static_cast<double>(visits_[c]), static_cast<double>(due), {}};
        a.message = node_label(static_cast<int64_t>(v)) + " made " + num(visits_[c]) + " visits in " + label + "; " + num(due) +
                    " were planned to date";
        out.push_back(std::move(a));
      }
    }
  }

  // The late_cases detector over the cases in id order; its entity (a row index) becomes the case id.
  void late(std::vector<Alert>& out) const {
    std::vector<int64_t> ids, end, planned;
    ids.reserve(cases_.size());
    for (const auto& kv : cases_) ids.push_back(kv.first);
    std::sort(ids.begin(), ids.end());
    end.reserve(ids.size());
    planned.reserve(ids.size());
    std::vector<std::string> names;
    names.reserve(ids.size());
    for (int64_t id : ids) {
      const auto& s = cases_.at(id);
      end.push_back(s.end);
      planned.push_back(s.planned);
      names.push_back(std::to_string(id));
    }
    LateCaseOptions o;
    o.critical_days = cfg_.rules.case_late_critical_days;
    o.case_names = names;
    auto r = late_cases(end, planned, o);
    for (auto& a : r.alerts) {
      a.entity = ids[static_cast<size_t>(a.entity)];
      out.push_back(std::move(a));
    }
  }
};

}  // namespace quotaflow::monitor
