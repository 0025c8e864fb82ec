// Control-chart rules: the 8 Nelson rules, the 4 Western Electric rules and the CUSUM and EWMA
// signals, by name and as a bitset.
//   parse_rule_set("nelson") == nelson_rules;   parse_rule_set("we1,nelson3").has(ChartRule::we1)
//   chart_rule_name(ChartRule::nelson5) == "nelson5"
//
// Rule ids are stable (they are the C ABI's QF_RULE_* values and the bit positions of its rule
// mask). What each rule means, with z = (x - centre) / sigma and strict comparisons:
//   nelson1  1 point with |z| > 3                     we1  = nelson1 (1 point beyond 3 sigma)
//   nelson2  9 in a row with z > 0, or with z < 0     we2  = nelson5 (2 of 3 beyond 2 sigma)
//   nelson3  6 in a row strictly increasing or        we3  = nelson6 (4 of 5 beyond 1 sigma)
//            strictly decreasing (5 steps)            we4  8 in a row with z > 0, or with z < 0
//   nelson4  14 in a row alternating up and down (13 steps, none flat)
//   nelson5  2 of 3 in a row with z > 2, or 2 of 3 with z < -2
//   nelson6  4 of 5 in a row with z > 1, or 4 of 5 with z < -1
//   nelson7  15 in a row with |z| < 1
//   nelson8  8 in a row with |z| > 1, at least one with z > 1 and at least one with z < -1
//   cusum_up, cusum_down   the tabular CUSUM's upper / lower sum exceeds h sigma (cusum charts)
//   ewma                   the EWMA statistic is outside its limits (ewma charts)
// docs/monitor.md has the full semantics (windows, ties, average run lengths).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "quotaflow/core/error.hpp"

namespace quotaflow::monitor {

// Values are stable: the C ABI's QF_RULE_* values and bit positions of its rule mask.
enum class ChartRule : int32_t {
  nelson1 = 0,
  nelson2 = 1,
  nelson3 = 2,
  nelson4 = 3,
  nelson5 = 4,
  nelson6 = 5,
  nelson7 = 6,
  nelson8 = 7,
  we1 = 8,
  we2 = 9,
  we3 = 10,
  we4 = 11,
  cusum_up = 12,
  cusum_down = 13,
  ewma = 14,
};

inline constexpr int32_t chart_rule_count = 15;

inline constexpr std::array<std::string_view, chart_rule_count> chart_rule_names = {
    "nelson1", "nelson2", "nelson3", "nelson4", "nelson5", "nelson6",   "nelson7",    "nelson8",
    "we1",     "we2",     "we3",     "we4",     "cusum_up", "cusum_down", "ewma"};

// chart_rule_name(ChartRule::we2) == "we2"; an out-of-range value gives "unknown".
constexpr std::string_view chart_rule_name(ChartRule r) noexcept {
  const auto v = static_cast<int32_t>(r);
  return v >= 0 && v < chart_rule_count ? chart_rule_names[static_cast<size_t>(v)] : std::string_view("unknown");
}

// A set of rules as a bitset (bit r = rule r), the C ABI's rule mask.
//   (RuleSet::of(ChartRule::nelson1) | RuleSet::of(ChartRule::we4)).bits == 0x801
struct RuleSet {
  uint32_t bits = 0;

  static constexpr RuleSet of(ChartRule r) noexcept { return RuleSet{uint32_t{1} << static_cast<int32_t>(r)}; }
  [[nodiscard]] constexpr bool has(ChartRule r) const noexcept { return ((bits >> static_cast<int32_t>(r)) & 1u) != 0; }
  [[nodiscard]] constexpr bool empty() const noexcept { return bits == 0; }
  constexpr RuleSet operator|(RuleSet o) const noexcept { return RuleSet{bits | o.bits}; }
  constexpr RuleSet operator&(RuleSet o) const noexcept { return RuleSet{bits & o.bits}; }
  constexpr bool operator==(const RuleSet&) const noexcept = default;
};

inline constexpr RuleSet nelson_rules{0x00FFu};            // nelson1..nelson8
inline constexpr RuleSet western_electric_rules{0x0F00u};  // we1..we4
inline constexpr RuleSet run_rules{0x0FFFu};               // the rules of an X-mR chart
inline constexpr RuleSet cusum_rules{0x3000u};             // cusum_up, cusum_down
inline constexpr RuleSet ewma_rules{0x4000u};              // ewma
inline constexpr RuleSet all_chart_rules{0x7FFFu};

// parse_chart_rule("nelson4") == ChartRule::nelson4; unknown names are errc::invalid_argument.
inline ChartRule parse_chart_rule(std::string_view name) {
  for (size_t i = 0; i < chart_rule_names.size(); ++i)
    if (chart_rule_names[i] == name) return static_cast<ChartRule>(i);
  fail(errc::invalid_argument, "rule \"", std::string(name),
       "\" is unknown; expected nelson1..nelson8, we1..we4, cusum_up, cusum_down, ewma, or the sets nelson, "
       "western_electric");
}

// A comma-separated list of rule names and set names ("nelson", "western_electric"), spaces
// around names ignored: parse_rule_set("nelson1, we4").bits == 0x801. An empty list or an empty
// name is an error.
inline RuleSet parse_rule_set(std::string_view names) {
  RuleSet out;
  size_t pos = 0;
  while (true) {
    const size_t comma = names.find(',', pos);
    std::string_view name = names.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) fail(errc::invalid_argument, "rules \"", std::string(names), "\" has an empty rule name");
    if (name == "nelson")
      out = out | nelson_rules;
    else if (name == "western_electric")
      out = out | western_electric_rules;
    else
      out = out | RuleSet::of(parse_chart_rule(name));
    if (comma == std::string_view::npos) return out;
    pos = comma + 1;
  }
}

// check_rule_set(0xFF) == nelson_rules; for masks from the C ABI: bits beyond ewma are an error.
inline RuleSet check_rule_set(uint32_t bits) {
  if ((bits & ~all_chart_rules.bits) != 0)
    fail(errc::invalid_argument, "rules is 0x", [&] {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%X", static_cast<unsigned>(bits));
      return std::string(buf);
    }(), "; only bits 0..14 (nelson1..ewma) are rules");
  return RuleSet{bits};
}

// The names of the rules in a set, comma-separated in id order: rule_set_names({0x801}) == "nelson1,we4".
inline std::string rule_set_names(RuleSet s) {
  std::string out;
  for (int32_t r = 0; r < chart_rule_count; ++r)
    if (s.has(static_cast<ChartRule>(r))) {
      if (!out.empty()) out.push_back(',');
      out.append(chart_rule_names[static_cast<size_t>(r)]);
    }
  return out;
}

}  // namespace quotaflow::monitor
