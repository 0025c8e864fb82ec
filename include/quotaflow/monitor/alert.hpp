// One alert record for every detector of the monitor.
//
// Every detector (pacing, deal rules, price policy, territory, receivables, activity, late cases,
// control charts) reports what it found as an `Alert`: which rule, how severe, about which entity
// and period, the observed and expected figures, and a plain-language message. The key is stable:
// the same condition on the same entity and period has the same key in every run and on every
// platform, so a streaming monitor reports it once until it clears, and a snooze can name it.
//   Alert a{Rule::deal_stalled, Severity::warning, EntityKind::deal, 42};
//   a.key() == Alert{Rule::deal_stalled, Severity::critical, EntityKind::deal, 42}.key()
//
// Thread rule: plain values.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace quotaflow::monitor {

// Values are stable: they are the C ABI's QF_RULE_* values. Append only; never renumber.
enum class Rule : uint16_t {
  pace_behind = 0,             // node x period: pace below the behind threshold
  pace_at_risk = 1,            // node x period: pace below at-risk, or required rate too high
  period_missed = 2,           // node x period: the period ended below plan
  deal_stalled = 3,            // deal: time in its current stage beyond the stage's limit
  deal_slipped = 4,            // deal: close date moved out of the period
  pipeline_coverage_low = 5,   // node x period: weighted open pipeline / remaining target too low
  target_probability_low = 6,  // node x period: P(won >= remaining target) too low
  price_below_floor = 7,       // sale: price below the floor share of list price
  price_above_ceiling = 8,     // sale: price above the ceiling share of list price
  promo_not_free = 9,          // sale: non-zero price on an item that must be given free
  discount_above_max = 10,     // sale: discount beyond the maximum for the customer's tier
  territory_violation = 11,    // sale: location outside the seller's territory subtree
  receivable_overdue = 12,     // customer or seller: receivables past due
  collection_gap = 13,         // node x period: collected below the collection target
  activity_shortfall = 14,     // seller x period: visits or calls done below planned
  case_late = 15,              // case: finished after its planned end date
  chart_signal = 16,           // node x period: a control-chart rule fired on the node's series
};
inline constexpr size_t rule_count = 17;

inline constexpr std::array<std::string_view, rule_count> rule_names = {
    "pace_behind",         "pace_at_risk",       "period_missed",       "deal_stalled",
    "deal_slipped",        "pipeline_coverage_low", "target_probability_low", "price_below_floor",
    "price_above_ceiling", "promo_not_free",     "discount_above_max",  "territory_violation",
    "receivable_overdue",  "collection_gap",     "activity_shortfall",  "case_late",
    "chart_signal"};
constexpr std::string_view rule_name(Rule r) noexcept { return rule_names[static_cast<size_t>(r)]; }

// Values are stable: the C ABI's QF_SEVERITY_* values.
enum class Severity : uint8_t { info = 0, warning = 1, critical = 2 };
inline constexpr std::array<std::string_view, 3> severity_names = {"info", "warning", "critical"};
constexpr std::string_view severity_name(Severity s) noexcept { return severity_names[static_cast<size_t>(s)]; }

// What `Alert::entity` counts. Values are stable: the C ABI's QF_ENTITY_* values.
enum class EntityKind : uint8_t { node = 0, deal = 1, customer = 2, seller = 3, case_ = 4, invoice = 5, sale = 6 };
inline constexpr std::array<std::string_view, 7> entity_kind_names = {"node", "deal",    "customer", "seller",
                                                                      "case", "invoice", "sale"};
constexpr std::string_view entity_kind_name(EntityKind k) noexcept {
  return entity_kind_names[static_cast<size_t>(k)];
}

struct Alert {
  Rule rule = Rule::pace_behind;
  Severity severity = Severity::warning;
  EntityKind entity_kind = EntityKind::node;
  int64_t entity = -1;   // dense id of the entity (node index, deal id, ...)
  int64_t related = -1;  // a second entity where the rule has one (territory: the sale's location node)
  int32_t period = -1;   // period index or day number as the rule documents; -1 when the rule has none
  double observed = 0;   // rule-specific, documented with the rule
  double expected = 0;
  std::string message;   // what happened and by how much, in plain language

  // The condition's identity: rule, entity kind, entity, related and period. Severity, figures and
  // message are not part of it, so a worsening condition keeps its key.
  [[nodiscard]] uint64_t key() const noexcept {
    uint64_t h = mix(static_cast<uint64_t>(rule) << 8 | static_cast<uint64_t>(entity_kind));
    h = mix(h ^ static_cast<uint64_t>(entity));
    h = mix(h ^ static_cast<uint64_t>(related));
    return mix(h ^ static_cast<uint64_t>(static_cast<int64_t>(period)));
  }

 private:
  // splitmix64's finaliser: fixed constants, so keys are identical across runs and platforms.
  static constexpr uint64_t mix(uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
  }
};

}  // namespace quotaflow::monitor
