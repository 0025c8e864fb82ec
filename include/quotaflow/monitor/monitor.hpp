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
//     deal_stalled: working days in stage, [entered, as_of), above the stage's limit
//                (MonitorConfig::stage_limit_days; NaN or absent = no limit): warning, critical
//                beyond stalled_critical_factor x limit. observed = days, expected = limit,
//                related = the stage.
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
#include "quotaflow/monitor/late_cases.hpp"
#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/snapshot.hpp"
#include "quotaflow/monitor/track.hpp"

namespace quotaflow::monitor {

// The rules the streaming monitor evaluates itself.
inline constexpr std::array<Rule, 7> monitor_rules = {Rule::pace_behind,        Rule::pace_at_risk,  Rule::period_missed,
                                                      Rule::deal_stalled,       Rule::receivable_overdue,
                                                      Rule::activity_shortfall, Rule::case_late};

struct RuleSettings {
  std::bitset<rule_count> enabled = std::bitset<rule_count>{}.set();  // bit = Rule value
  TrackThresholds pace = {};
  double stalled_critical_factor = 2.0;      // >= 1
  int32_t overdue_grace_days = 0;            // >= 0
  int32_t overdue_critical_days = 30;        // >= 0
  double activity_min_ratio = 0.8;           // in [0, 1]
  double case_late_critical_days = 30;       // >= 0
  [[nodiscard]] bool on(Rule r) const { return enabled.test(static_cast<size_t>(r)); }
};

struct MonitorConfig {
  Date start = 0, end = 0;          // the plan's range [start, end)
  Grain grain = Grain::month;
  std::vector<int64_t> plan;        // nodes x periods, row-major
  std::vector<int64_t> visit_plan;  // empty, or nodes x periods planned visits
  std::vector<double> stage_limit_days;  // per stage id: working days allowed; NaN = no limit
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
    check_rules(cfg_.rules);
    day_period_.resize(static_cast<size_t>(cfg_.end - cfg_.start));
    for (size_t k = 0; k < periods_.size(); ++k)
      for (Date d = periods_[k].start; d < periods_[k].end; ++d) day_period_[static_cast<size_t>(d - cfg_.start)] = static_cast<int32_t>(k);
    actual_.assign(cells, 0);
    visits_.assign(cells, 0);
    fingerprint_ = fingerprint();
  }

  // --- events (columns of equal length; each batch is validated whole before it is applied) ------

  // Sales facts: amount (minor units) booked to node on date.
  void push_sales(gsl::span<const int32_t> node, gsl::span<const Date> date, gsl::span<const int64_t> amount) {
    const size_t n = node.size();
    same_length(n, date.size(), "node", "date");
    same_length(n, amount.size(), "node", "amount");
    for (size_t i = 0; i < n; ++i) {
      check_node(node[i], "node", i);
      check_day(date[i], "date", i);
    }
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
        if (it != deals_.end() && date[i] >= it->second.entered) deals_.erase(it);
        continue;
      }
      auto [it, fresh] = deals_.try_emplace(deal[i], DealState{stage[i], date[i]});
      if (!fresh && date[i] >= it->second.entered) it->second = DealState{stage[i], date[i]};
    }
  }

  // Invoices: id, customer, amount (> 0, minor units), due date. An id already known is an error.
  void push_invoices(gsl::span<const int64_t> invoice, gsl::span<const int64_t> customer, gsl::span<const int64_t> amount,
                     gsl::span<const Date> due) {
    const size_t n = invoice.size();
    same_length(n, customer.size(), "invoice", "customer");
    same_length(n, amount.size(), "invoice", "amount");
    same_length(n, due.size(), "invoice", "due");
    for (size_t i = 0; i < n; ++i) {
      if (amount[i] <= 0) fail(errc::invalid_argument, "amount[", i, "] is ", amount[i], "; an invoice amount must be > 0");
      check_day(due[i], "due", i);
    }
    for (size_t i = 0; i < n; ++i) {
      if (!invoices_.try_emplace(invoice[i], InvoiceState{customer[i], amount[i], 0, due[i]}).second) {
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
      if (__builtin_add_overflow(target[i]->paid, amount[i], &sum)) {
        for (size_t j = 0; j < i; ++j) target[j]->paid -= amount[j];
        fail(errc::overflow, "amount[", i, "] is ", amount[i], "; the payments of invoice ", invoice[i], " overflow int64");
      }
      target[i]->paid = sum;
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
    if (r.on(Rule::deal_stalled)) stalled(as_of, out);
    if (r.on(Rule::receivable_overdue)) overdue(as_of, out);
    if (r.on(Rule::activity_shortfall) && !cfg_.visit_plan.empty()) activity(as_of, out);
    if (r.on(Rule::case_late)) late(out);
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
    w.u64(deals_.size());
    for (int64_t id : sorted(deals_)) {
      const auto& s = deals_.at(id);
      w.i64(id);
      w.i32(s.stage);
      w.i32(s.entered);
    }
    w.u64(invoices_.size());
    for (int64_t id : sorted(invoices_)) {
      const auto& s = invoices_.at(id);
      w.i64(id);
      w.i64(s.customer);
      w.i64(s.amount);
      w.i64(s.paid);
      w.i32(s.due);
    }
    w.u64(cases_.size());
    for (int64_t id : sorted(cases_)) {
      const auto& s = cases_.at(id);
      w.i64(id);
      w.i64(s.end);
      w.i64(s.planned);
    }
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
    int32_t stage;
    Date entered;
  };
  struct InvoiceState {
    int64_t customer, amount, paid;
    Date due;
  };
  struct CaseState {
    int64_t end, planned;
  };

  Hierarchy h_;
  Calendar cal_;
  MonitorConfig cfg_;
  std::vector<Period> periods_;
  std::vector<int32_t> day_period_;  // day - start -> period index
  std::vector<int64_t> actual_, visits_;
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
    auto date_ok = [&](Date d, const std::string& what) {
      if (d < cal_.valid_from() || d >= cal_.valid_until()) fail(errc::parse_error, "snapshot is corrupt: ", what, " is ", d);
    };
    auto ascending = [](bool first, int64_t prev, int64_t id, const std::string& what) {
      if (!first && id <= prev) fail(errc::parse_error, "snapshot is corrupt: ", what, " ids are not strictly ascending");
    };
    const size_t nd = r.count("deals.count", 16);
    deals_.reserve(nd);
    int64_t prev_d = 0;
    for (size_t i = 0; i < nd; ++i) {
      const std::string at = "deals[" + std::to_string(i) + "]";
      const int64_t id = r.i64(at + ".id");
      ascending(i == 0, prev_d, id, "deal");
      prev_d = id;
      DealState s{r.i32(at + ".stage"), r.i32(at + ".entered")};
      if (s.stage < 0) fail(errc::parse_error, "snapshot is corrupt: ", at, ".stage is ", s.stage);
      date_ok(s.entered, at + ".entered");
      deals_.emplace(id, s);
    }
    const size_t ni = r.count("invoices.count", 36);
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
    store_ = AlertStore::load(r);
    r.finish();
  }

  // --- rules -----------------------------------------------------------------------------------------
  [[nodiscard]] std::string node_label(int64_t v) const {
    if (h_.has_names()) return h_.names()[static_cast<size_t>(v)];
    return "node " + std::to_string(v);
  }
  static std::string num(int64_t v) { return std::to_string(v); }
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
          a.message = node_label(v) + " missed " + label + ": " + num(actual[c]) + " of " + num(expected) + " planned";
        else
          a.message = node_label(v) + " is " + (rule == Rule::pace_behind ? "behind" : "at risk") + " in " + label + ": " +
                      num(actual[c]) + " of " + num(expected) + " planned to date (pace " + fixed(t.pace[c], 2) + ")";
        out.push_back(std::move(a));
      }
    }
  }

  void stalled(Date as_of, std::vector<Alert>& out) const {
    const auto& lim = cfg_.stage_limit_days;
    const size_t first = out.size();
    for (const auto& [id, s] : deals_) {
      if (static_cast<size_t>(s.stage) >= lim.size() || std::isnan(lim[static_cast<size_t>(s.stage)]) || s.entered > as_of) continue;
      const double limit = lim[static_cast<size_t>(s.stage)];
      const int32_t days = cal_.working_days(s.entered, as_of);
      if (days <= limit) continue;
      const Severity sev = days > cfg_.rules.stalled_critical_factor * limit ? Severity::critical : Severity::warning;
      Alert a{Rule::deal_stalled, sev, EntityKind::deal, id, s.stage, -1, static_cast<double>(days), limit, {}};
      a.message = "deal " + num(id) + " has been in stage " + num(s.stage) + " for " + num(days) + " working days (limit " +
                  fixed(limit, 0) + ") since " + date_to_string(s.entered);
      out.push_back(std::move(a));
    }
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [](const Alert& a, const Alert& b) { return a.entity < b.entity; });
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
      a.message = "customer " + num(customer) + " has " + num(d.amount) + " overdue on " + num(d.invoices) +
                  " invoice(s), the oldest " + num(d.worst_days) + " days past due";
      out.push_back(std::move(a));
    }
  }

  void activity(Date as_of, std::vector<Alert>& out) const {
    const size_t P = periods_.size();
    for (size_t k = 0; k < P; ++k) {
      const Period& per = periods_[k];
      if (per.start > as_of) continue;
      const Date upto = as_of >= per.end ? per.end : as_of + 1;
      const int32_t ed = cal_.working_days(per.start, upto), wd = per.working_days;
      const bool over = as_of >= per.end - 1;
      const std::string label = cal_.period_label(per.start, cfg_.grain);
      for (size_t v = 0; v < h_.size(); ++v) {
        const size_t c = v * P + k;
        const int64_t plan = cfg_.visit_plan[c];
        if (plan <= 0) continue;
        const int64_t due = over || ed == wd ? plan : wd == 0 || ed == 0 ? 0 : detail::split_elapsed(plan, ed, wd);
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
