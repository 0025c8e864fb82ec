// monitor::AlertStore: the change semantics on hand-made alert lists (no detectors involved).
#include <vector>

#include "quotaflow/monitor/alert_store.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Alert stalled(int64_t deal, Severity s, double days) {
  Alert a{Rule::deal_stalled, s, EntityKind::deal, deal, 0, -1, days, 5, {}};
  a.message = "deal " + std::to_string(deal);
  return a;
}
}  // namespace

TEST(AlertStore, RaisedChangedClearedInOrder) {
  AlertStore s;
  auto c = s.update(10, {stalled(3, Severity::warning, 6), stalled(1, Severity::warning, 7)});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
  EXPECT_EQ(c[0].alert.entity, 3);  // raised in the order given
  EXPECT_EQ(c[1].alert.entity, 1);
  // Same figures, different message only: no news.
  auto same = stalled(3, Severity::warning, 6);
  same.message = "reworded";
  EXPECT_TRUE(s.update(10, {same, stalled(1, Severity::warning, 7)}).empty());
  // Deal 1 worsens, deal 3 disappears.
  c = s.update(11, {stalled(1, Severity::critical, 11)});
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.severity, Severity::critical);
  EXPECT_EQ(c[1].change, ChangeKind::cleared);
  EXPECT_EQ(c[1].alert.entity, 3);
  EXPECT_EQ(c[1].alert.observed, 6);
  EXPECT_EQ(s.size(), 1u);
  // Everything clears.
  c = s.update(12, {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::cleared);
  EXPECT_EQ(s.size(), 0u);
}

TEST(AlertStore, DuplicateKeysKeepTheMostSevere) {
  AlertStore s;
  auto c = s.update(1, {stalled(4, Severity::warning, 6), stalled(4, Severity::critical, 12), stalled(4, Severity::info, 1)});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].alert.severity, Severity::critical);
  EXPECT_EQ(c[0].alert.observed, 12);
}

TEST(AlertStore, SnoozeWithZeroDeviationBreaksOnAnyDeviation) {
  AlertStore s;
  Alert a = stalled(2, Severity::warning, 5);  // observed == expected: deviation 0
  s.update(1, {a});
  s.snooze(a.key(), 100, "r", 0.5);
  EXPECT_TRUE(s.update(2, {a}).empty());
  auto c = s.update(3, {stalled(2, Severity::warning, 5.5)});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
  // A snoozed alert that clears is reported as cleared.
  s.snooze(a.key(), 100, "r", 100);
  c = s.update(4, {});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::cleared);
}

TEST(AlertStore, SnoozeBrokenBySeverityRise) {
  AlertStore s;
  s.update(1, {stalled(2, Severity::warning, 6)});
  s.snooze(stalled(2, Severity::warning, 6).key(), 100, "r", 1000);
  EXPECT_TRUE(s.update(2, {stalled(2, Severity::warning, 7)}).empty());
  auto c = s.update(3, {stalled(2, Severity::critical, 7)});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::raised);
}

TEST(AlertStore, AcknowledgementExpires) {
  AlertStore s;
  const uint64_t k = stalled(2, Severity::warning, 6).key();
  s.update(1, {stalled(2, Severity::warning, 6)});
  s.acknowledge(k, 3, "seen");
  EXPECT_TRUE(s.update(2, {stalled(2, Severity::warning, 7)}).empty());
  // On the 3rd the acknowledgement is over: 8 differs from the 6 last reported.
  auto c = s.update(3, {stalled(2, Severity::warning, 8)});
  ASSERT_EQ(c.size(), 1u);
  EXPECT_EQ(c[0].change, ChangeKind::changed);
  EXPECT_EQ(c[0].alert.observed, 8);
  EXPECT_FALSE(s.entries().at(k).ack.on);
}

TEST(AlertStore, BadArguments) {
  AlertStore s;
  s.update(1, {stalled(2, Severity::warning, 6)});
  const uint64_t k = stalled(2, Severity::warning, 6).key();
  EXPECT_QF_ERROR(s.snooze(k, max_supported_date + 1, "r", 0), errc::out_of_range, "until is 84006");
  EXPECT_QF_ERROR(s.snooze(k, 5, "r", -0.5), errc::invalid_argument, "margin is -0.5");
  EXPECT_QF_ERROR(s.snooze(k, 5, "r", INFINITY), errc::invalid_argument, "margin is inf");
  EXPECT_QF_ERROR(s.acknowledge(k + 1, 5, "r"), errc::not_found, "no active alert has that key");
}
