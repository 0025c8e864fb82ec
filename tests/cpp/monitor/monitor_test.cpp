// monitor::Monitor: raised/changed/cleared on hand-worked event streams, stable keys, snooze and
// acknowledge through the monitor, every rule, bad input, and the receipt log's late cases.
#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <vector>

#include "quotaflow/monitor/monitor.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Date d(const char* s) { return date_from_string(s); }
// root 0 -> leaves 1, 2; September 2025 on a plain calendar (22 working days, Monday 1st).
Hierarchy org() { return Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0}, {"ALL", "EAST", "WEST"}); }
MonitorConfig september() {
  MonitorConfig c;
  c.start = d("2025-09-01");
  c.end = d("2025-10-01");
  c.plan = {2200, 1100, 1100};
  c.stage_limit_days = {5, std::numeric_limits<double>::quiet_NaN(), 2};
  return c;
}
void sale(Monitor& m, int32_t node, const char* date, int64_t amount) {
  m.push_sales(std::vector<int32_t>{node}, std::vector<Date>{d(date)}, std::vector<int64_t>{amount});
}
void stage(Monitor& m, int64_t deal, int32_t st, const char* date) {
  m.push_stage_changes(std::vector<int64_t>{deal}, std::vector<int32_t>{st}, std::vector<Date>{d(date)});
}
const AlertChange* find(const std::vector<AlertChange>& c, Rule r, int64_t entity) {
  for (const auto& x : c)
    if (x.alert.rule == r && x.alert.entity == entity) return &x;
  return nullptr;
}
}  // namespace

TEST(Monitor, PacingRaisedChangedCleared) {
  Monitor m(org(), Calendar{}, september());
  sale(m, 1, "2025-09-02", 400);
  sale(m, 2, "2025-09-03", 300);
  // As of Wednesday 10th: 8 of 22 working days, plan to date 400 per leaf, 800 for the root.
  // EAST 400/400 on track; WEST 300/400 = 0.75 < 0.85 at risk; ALL 700/800 = 0.875 behind (the
  // required rate 1500/14 is not above 1.5 x 1400/14).
  auto c = m.advance(d("2025-09-10"));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
  EXPECT_EQ(c[0].alert.rule, Rule::pace_behind);
  EXPECT_EQ(c[0].alert.severity, Severity::warning);
  EXPECT_EQ(c[0].alert.entity, 0);
  EXPECT_EQ(c[0].alert.period, 0);
  EXPECT_EQ(c[0].alert.observed, 700);
  EXPECT_EQ(c[0].alert.expected, 800);
  EXPECT_EQ(c[0].alert.message, "ALL is behind in 2025-09: 700 of 800 planned to date (pace 0.88)");
  EXPECT_EQ(c[1].alert.rule, Rule::pace_at_risk);
  EXPECT_EQ(c[1].alert.severity, Severity::critical);
  EXPECT_EQ(c[1].alert.entity, 2);
  EXPECT_EQ(c[1].alert.observed, 300);
  EXPECT_EQ(c[1].alert.message, "WEST is at risk in 2025-09: 300 of 400 planned to date (pace 0.75)");
  // Nothing new: nothing reported.
  EXPECT_TRUE(m.advance(d("2025-09-10")).empty());
  // 20 more for WEST: both alerts change figures, neither clears.
  sale(m, 2, "2025-09-10", 20);
  c = m.advance(d("2025-09-10"));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.observed, 720);
  EXPECT_EQ(c[1].change, ChangeKind::changed);
  EXPECT_EQ(c[1].alert.observed, 320);
  // 80 more: WEST 400/400 and ALL 800/800 are on track: both cleared, as last reported.
  sale(m, 2, "2025-09-10", 80);
  c = m.advance(d("2025-09-10"));
  ASSERT_EQ(c.size(), 2u);
  for (const auto& x : c) EXPECT_EQ(x.change, ChangeKind::cleared);
  ASSERT_NE(find(c, Rule::pace_at_risk, 2), nullptr);
  EXPECT_EQ(find(c, Rule::pace_at_risk, 2)->alert.observed, 320);
  EXPECT_EQ(m.alerts().size(), 0u);
  // The month ends 100 short for EAST (1000 of 1100) and the whole (2100 of 2200): missed.
  sale(m, 1, "2025-09-20", 600);
  sale(m, 2, "2025-09-25", 700);
  c = m.advance(d("2025-09-30"));
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].alert.rule, Rule::period_missed);
  EXPECT_EQ(c[0].alert.entity, 0);
  EXPECT_EQ(c[0].alert.observed, 2100);
  EXPECT_EQ(c[0].alert.expected, 2200);
  EXPECT_EQ(c[1].alert.entity, 1);
  EXPECT_EQ(c[1].alert.message, "EAST missed 2025-09: 1K of 1.1K planned");
}

TEST(Monitor, StableKeysAcrossRunsAndSeverity) {
  // The same events give the same keys in two monitors; severity is not part of the key.
  auto run = [] {
    Monitor m(org(), Calendar{}, september());
    sale(m, 2, "2025-09-03", 300);
    std::vector<uint64_t> keys;
    for (const auto& c : m.advance(d("2025-09-10"))) keys.push_back(c.alert.key());
    return keys;
  };
  const auto a = run(), b = run();
  ASSERT_EQ(a.size(), 3u);  // ALL 300/800 at risk, EAST 0/400 at risk, WEST 300/400 at risk
  EXPECT_EQ(a, b);
  Alert w{Rule::pace_at_risk, Severity::critical, EntityKind::node, 2, -1, 0, 0, 0, {}};
  EXPECT_EQ(a[2], w.key());
  // Fixed constants: the key of this condition is the same on every platform and in every release.
  EXPECT_EQ(w.key(), Alert({Rule::pace_at_risk, Severity::info, EntityKind::node, 2, -1, 0, 0, 0, {}}).key());
  EXPECT_NE(w.key(), Alert({Rule::pace_at_risk, Severity::info, EntityKind::node, 2, -1, 1, 0, 0, {}}).key());
}

TEST(Monitor, DealStalledSnoozeUntilDate) {
  Monitor m(org(), Calendar{}, september());
  stage(m, 7, 0, "2025-09-01");   // limit 5 working days
  stage(m, 8, 1, "2025-09-01");   // stage 1 has no limit
  stage(m, 9, 5, "2025-09-01");   // no limit given for stage 5
  auto off = m.config().rules;
  for (Rule r : {Rule::pace_behind, Rule::pace_at_risk, Rule::period_missed}) off.enabled.reset(static_cast<size_t>(r));
  m.set_rules(off);
  EXPECT_TRUE(m.advance(d("2025-09-08")).empty());  // [1st, 8th): 5 working days, not beyond 5
  auto c = m.advance(d("2025-09-09"));              // 6 working days
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
  EXPECT_EQ(c[0].alert.rule, Rule::deal_stalled);
  EXPECT_EQ(c[0].alert.entity_kind, EntityKind::deal);
  EXPECT_EQ(c[0].alert.entity, 7);
  EXPECT_EQ(c[0].alert.related, 0);
  EXPECT_EQ(c[0].alert.observed, 6);
  EXPECT_EQ(c[0].alert.expected, 5);
  EXPECT_EQ(c[0].alert.severity, Severity::warning);
  EXPECT_EQ(c[0].alert.message, "Deal 7: 6 working days in #0, limit 5");  // detect_stalled's message
  EXPECT_EQ(c[0].alert.period, -1);  // no period: the same key on every day the deal stays stuck
  // Snoozed until Friday 12th with a wide margin: silent on the 10th and 11th, raised again on the 12th.
  m.snooze(c[0].alert.key(), d("2025-09-12"), "customer on holiday", 10.0);
  EXPECT_TRUE(m.advance(d("2025-09-10")).empty());
  EXPECT_TRUE(m.advance(d("2025-09-11")).empty());
  c = m.advance(d("2025-09-12"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
  EXPECT_EQ(c[0].alert.observed, 9);  // 1-5, 8-11
  // Beyond 2 x 5 days: critical (changed). Moving the deal on clears it.
  c = m.advance(d("2025-09-16"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.severity, Severity::critical);
  stage(m, 7, 1, "2025-09-16");
  c = m.advance(d("2025-09-16"));
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::cleared);
  // A stale change (dated before the current stage's entry) is ignored.
  stage(m, 7, 0, "2025-09-02");
  EXPECT_TRUE(m.advance(d("2025-09-30")).empty());
}

TEST(Monitor, SnoozeBrokenByWorseningPastMargin) {
  Monitor m(org(), Calendar{}, september());
  sale(m, 1, "2025-09-02", 400);
  sale(m, 2, "2025-09-03", 300);
  auto c = m.advance(d("2025-09-10"));
  const auto* west = find(c, Rule::pace_at_risk, 2);
  ASSERT_NE(west, nullptr);
  const uint64_t key = west->alert.key();
  // Deviation at snooze time: |300 - 400| = 100; margin 0.25 allows up to 125.
  m.snooze(key, d("2025-09-30"), "big order expected", 0.25);
  sale(m, 2, "2025-09-10", 10);                 // 310 vs 400: deviation 90, silent
  c = m.advance(d("2025-09-10"));
  EXPECT_EQ(find(c, Rule::pace_at_risk, 2), nullptr);
  ASSERT_NE(find(c, Rule::pace_behind, 0), nullptr);  // the root is not snoozed
  // Thursday 11th: plan to date round(1100 x 9 / 22) = 450; 310 vs 450 = 140 > 125: raised again.
  c = m.advance(d("2025-09-11"));
  const auto* again = find(c, Rule::pace_at_risk, 2);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->change, ChangeKind::raised);
  EXPECT_EQ(again->alert.expected, 450);
  EXPECT_FALSE(m.alerts().entries().at(key).snooze.on);
}

TEST(Monitor, AcknowledgeSilencesFiguresNotEscalation) {
  Monitor m(org(), Calendar{}, september());
  auto off = m.config().rules;
  off.enabled.reset();
  off.enabled.set(static_cast<size_t>(Rule::deal_stalled));
  m.set_rules(off);
  stage(m, 7, 0, "2025-09-01");
  auto c = m.advance(d("2025-09-09"));
  ASSERT_EQ(c.size(), 1u);
  m.acknowledge(c[0].alert.key(), d("2025-09-30"), "called the customer");
  EXPECT_EQ(m.alerts().entries().at(c[0].alert.key()).ack.reason, "called the customer");
  EXPECT_TRUE(m.advance(d("2025-09-10")).empty());  // 7 days: figures changed, silent
  c = m.advance(d("2025-09-16"));                   // 11 days > 10: critical is reported
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.severity, Severity::critical);
  c = m.advance(d("2025-09-17"));                   // the acknowledgement ended with the escalation
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].alert.observed, 12);
  // Snooze or acknowledge of a key that is not active.
  EXPECT_QF_ERROR(m.snooze(12345, d("2025-09-30"), "x", 0), errc::not_found, "alert key 12345", "no active alert");
  EXPECT_QF_ERROR(m.acknowledge(12345, d("2025-09-30"), "x"), errc::not_found, "alert key 12345");
  EXPECT_QF_ERROR(m.snooze(c[0].alert.key(), d("2025-09-30"), "x", std::nan("")), errc::invalid_argument, "margin is nan");
}

TEST(Monitor, ReceivablesActivityAndCases) {
  MonitorConfig cfg = september();
  cfg.visit_plan = {0, 22, 0};  // EAST: one visit per working day
  cfg.rules.overdue_critical_days = 10;
  Monitor m(org(), Calendar{}, cfg);
  auto only = m.config().rules;
  only.enabled.reset();
  for (Rule r : {Rule::receivable_overdue, Rule::activity_shortfall, Rule::case_late}) only.enabled.set(static_cast<size_t>(r));
  m.set_rules(only);
  m.push_invoices(std::vector<int64_t>{100, 101, 102}, std::vector<int64_t>{5, 5, 6}, std::vector<int64_t>{1000, 500, 300},
                  std::vector<Date>{d("2025-09-01"), d("2025-09-15"), d("2025-09-20")});
  m.push_payments(std::vector<int64_t>{100, 102}, std::vector<int64_t>{400, 300}, std::vector<Date>{d("2025-09-05"), d("2025-09-06")});
  m.push_visits(std::vector<int32_t>{1, 1}, std::vector<Date>{d("2025-09-02"), d("2025-09-09")}, std::vector<int64_t>{3, 2});
  m.push_cases(std::vector<int64_t>{1, 2, 3}, std::vector<int64_t>{2000, 1000, no_time}, std::vector<int64_t>{1000, 1000, 0});
  auto c = m.advance(d("2025-09-10"));
  // Customer 5: invoice 100 has 600 open and is 9 days past due (warning); 101 is not due yet.
  // EAST: 5 visits, 8 due to date (22 x 8 / 22), 5 < 0.8 x 8. Case 1 finished 1000 ns late.
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].alert.rule, Rule::receivable_overdue);
  EXPECT_EQ(c[0].alert.entity, 5);
  EXPECT_EQ(c[0].alert.observed, 600);
  EXPECT_EQ(c[0].alert.severity, Severity::warning);
  EXPECT_EQ(c[0].alert.message, "customer 5 has 600 overdue on 1 invoice(s), the oldest 9 days past due");
  EXPECT_EQ(c[1].alert.rule, Rule::activity_shortfall);
  EXPECT_EQ(c[1].alert.entity_kind, EntityKind::seller);
  EXPECT_EQ(c[1].alert.observed, 5);
  EXPECT_EQ(c[1].alert.expected, 8);
  EXPECT_EQ(c[2].alert.rule, Rule::case_late);
  EXPECT_EQ(c[2].alert.entity, 1);
  EXPECT_EQ(c[2].alert.message.rfind("Case 1: finished 1970-01-01 00:00", 0), 0u) << c[2].alert.message;
  // The 16th: invoice 101 is overdue too (1100 in all), invoice 100 15 days: critical.
  m.push_visits(std::vector<int32_t>{1}, std::vector<Date>{d("2025-09-15")}, std::vector<int64_t>{6});
  c = m.advance(d("2025-09-16"));
  ASSERT_EQ(c.size(), 2u);  // receivables changed, activity cleared (11 visits vs 12 due: 11 >= 9.6)
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.observed, 1100);
  EXPECT_EQ(c[0].alert.severity, Severity::critical);
  EXPECT_EQ(c[1].change, ChangeKind::cleared);
  EXPECT_EQ(c[1].alert.rule, Rule::activity_shortfall);
}

TEST(Monitor, BadInputLeavesStateUnchanged) {
  Calendar cal(CalendarOptions{.valid_from = d("2025-01-01"), .valid_until = d("2026-01-01")}, {}, {});
  Monitor m(org(), cal, september());
  sale(m, 1, "2025-09-02", 5);
  const auto before = m.save();
  EXPECT_QF_ERROR(m.push_sales(std::vector<int32_t>{1, 3}, std::vector<Date>{d("2025-09-02"), d("2025-09-02")},
                               std::vector<int64_t>{1, 1}),
                  errc::not_found, "node[1] is 3; the hierarchy has 3 nodes");
  EXPECT_QF_ERROR(m.push_sales(std::vector<int32_t>{1}, std::vector<Date>{d("2026-03-01")}, std::vector<int64_t>{1}),
                  errc::out_of_range, "date[0] is 2026-03-01, outside the calendar's valid range 2025-01-01..2025-12-31");
  EXPECT_QF_ERROR(m.push_sales(std::vector<int32_t>{1}, std::vector<Date>{}, std::vector<int64_t>{1}), errc::invalid_argument,
                  "length mismatch: node has 1 elements, date has 0");
  EXPECT_QF_ERROR(m.push_sales(std::vector<int32_t>{1, 1}, std::vector<Date>{d("2025-09-02"), d("2025-09-03")},
                               std::vector<int64_t>{1, INT64_MAX}),
                  errc::overflow, "amount[1] is 9223372036854775807");
  EXPECT_QF_ERROR(m.push_stage_changes(std::vector<int64_t>{1}, std::vector<int32_t>{-2}, std::vector<Date>{d("2025-09-02")}),
                  errc::invalid_argument, "stage[0] is -2");
  EXPECT_QF_ERROR(m.push_invoices(std::vector<int64_t>{1}, std::vector<int64_t>{1}, std::vector<int64_t>{0},
                                  std::vector<Date>{d("2025-09-02")}),
                  errc::invalid_argument, "amount[0] is 0; an invoice amount must be > 0");
  EXPECT_QF_ERROR(m.push_invoices(std::vector<int64_t>{1, 1}, std::vector<int64_t>{1, 1}, std::vector<int64_t>{5, 5},
                                  std::vector<Date>{d("2025-09-02"), d("2025-09-02")}),
                  errc::invalid_argument, "invoice[1] is 1; that invoice was already pushed");
  EXPECT_QF_ERROR(m.push_payments(std::vector<int64_t>{9}, std::vector<int64_t>{5}, std::vector<Date>{d("2025-09-02")}),
                  errc::not_found, "invoice[0] is 9; no invoice with that id was pushed");
  EXPECT_QF_ERROR(m.push_visits(std::vector<int32_t>{-1}, std::vector<Date>{d("2025-09-02")}, std::vector<int64_t>{1}),
                  errc::not_found, "seller[0] is -1");
  EXPECT_QF_ERROR(m.push_visits(std::vector<int32_t>{1}, std::vector<Date>{d("2025-09-02")}, std::vector<int64_t>{-1}),
                  errc::invalid_argument, "count[0] is -1");
  EXPECT_QF_ERROR(m.push_cases(std::vector<int64_t>{1}, std::vector<int64_t>{INT64_MAX}, std::vector<int64_t>{0}),
                  errc::out_of_range, "end[0] is 9223372036854775807 nanoseconds");
  EXPECT_QF_ERROR(m.advance(d("2026-01-01")), errc::out_of_range, "as_of is 2026-01-01, outside the calendar's valid range");
  EXPECT_EQ(m.save(), before);
  // Configuration errors.
  auto cfg = september();
  cfg.plan.pop_back();
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "plan has 2 values; expected nodes x periods = 3");
  cfg = september();
  cfg.stage_limit_days[1] = -1;
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "stage_limit_days[1] is -1");
  cfg = september();
  cfg.rules.pace.behind_pace = 2;
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "at_risk_pace <= behind_pace <= ahead_pace");
  cfg = september();
  cfg.rules.activity_min_ratio = std::nan("");
  EXPECT_QF_ERROR(Monitor(org(), Calendar{}, cfg), errc::invalid_argument, "rules.activity_min_ratio is nan");
}

TEST(Monitor, OutsideFactsAreCounted) {
  Monitor m(org(), Calendar{}, september());
  m.push_sales(std::vector<int32_t>{1, 2, 2}, std::vector<Date>{d("2025-08-31"), d("2025-09-01"), d("2025-10-01")},
               std::vector<int64_t>{5, 7, 11});
  EXPECT_EQ(m.outside_count(), 2);
  EXPECT_EQ(m.outside_amount(), 16);
  EXPECT_EQ(m.actuals(), (std::vector<int64_t>{7, 0, 7}));
}

// Acceptance on real data: the WABO receipt log's cases, fed as (end, planned end) events, give
// exactly the 389 finished cases that ended after their planned end (an independent pandas count
// over case:enddate > case:enddate_planned).
TEST(MonitorRealData, ReceiptLogLateCases) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(QUOTAFLOW_SHARED_DATA_DIR) / "eventlogs" / "receipt_wabo.csv.gz";
  if (!fs::exists(path))
    GTEST_SKIP() << "the shared data file " << path.string()
                 << " is absent (it exists in CI, not in a user's clone); skipping the real-data test";
  // The case attributes repeat on every event; read them through the log reader's name columns.
  process::LogCsvOptions o;
  o.activity_column = "case:enddate_planned";
  o.resource_column = "case:enddate";  // empty for unfinished cases: "no resource"
  const auto log = process::read_log_csv(path.string(), o);
  const size_t n = log.num_cases();
  std::vector<int64_t> ids(n), end(n), planned(n);
  const auto off = log.case_offsets();
  for (size_t c = 0; c < n; ++c) {
    const auto e = static_cast<size_t>(off[c]);
    ids[c] = static_cast<int64_t>(c);
    planned[c] = process::parse_timestamp_ns(log.activity_names()[static_cast<size_t>(log.activities()[e])]);
    const int32_t r = log.resources()[e];
    end[c] = r < 0 ? no_time : process::parse_timestamp_ns(log.resource_names()[static_cast<size_t>(r)]);
  }
  ASSERT_EQ(n, 1434u);
  MonitorConfig cfg;
  cfg.start = d("2010-01-01");
  cfg.end = d("2016-01-01");
  cfg.grain = Grain::year;
  cfg.plan.assign(6, 0);
  Monitor m(Hierarchy::from_parents(std::vector<int32_t>{-1}), Calendar{}, cfg);
  m.push_cases(ids, end, planned);
  const auto c = m.advance(d("2015-12-31"));
  std::set<int64_t> late;
  for (const auto& x : c) {
    EXPECT_EQ(x.alert.rule, Rule::case_late);
    late.insert(x.alert.entity);
  }
  EXPECT_EQ(late.size(), 389u);
  EXPECT_EQ(c.size(), 389u);
  size_t finished_late = 0;
  for (size_t i = 0; i < n; ++i) {
    const bool is_late = end[i] != no_time && end[i] > planned[i];
    finished_late += is_late;
    EXPECT_EQ(late.count(static_cast<int64_t>(i)) == 1, is_late) << log.case_name(i);
  }
  EXPECT_EQ(finished_late, 389u);
}
