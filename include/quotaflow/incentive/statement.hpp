// Statements: what a payout run returns, per person and period.
//
// Every amount is in minor units. Each line is rounded once, half away from zero, from exact
// integer (128-bit) arithmetic; the payout of a cell is *defined* as the sum of its lines, and
// caps appear as explicit negative "cap" lines, so lines always sum exactly to the payout.
//   const Statement& s = result.cells[person * result.periods.size() + period];
//   sum of result.lines[s.first_line .. s.first_line + s.line_count).amount == s.payout
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "quotaflow/calendar/grain.hpp"

namespace quotaflow::incentive {

// Values are stable (C ABI).
enum class LineKind : int8_t {
  credit = 0,         // base = credit of the period (amount 0: shown for the record)
  commission = 1,     // base = credit in the tier, rate = nano rate, tier = spec tier index
  bonus = 2,          // base = KPI score x 1000 (rounded), tier = step index
  component_cap = 3,  // negative: brings a component down to its cap
  plan_cap = 4,       // negative: brings the plan's components down to the plan cap
  clawback = 5,       // base = credit reversed (negative), ref = sale index
  adjustment = 6,     // ref = adjustment row (its reason is in PayoutResult::reasons)
  draw = 7,           // top-up to the draw guarantee
  draw_recovery = 8,  // negative: recovers an outstanding recoverable draw
};

inline constexpr std::string_view line_kind_names[] = {"credit", "commission", "bonus", "component_cap", "plan_cap",
                                                     "clawback", "adjustment", "draw", "draw_recovery"};
inline std::string_view line_kind_name(LineKind k) noexcept { return line_kind_names[static_cast<int>(k)]; }

struct Line {
  int64_t base = 0;       // what the line is computed on (see LineKind)
  int64_t rate = 0;       // nano rate (commission); 0 otherwise
  int64_t amount = 0;     // minor units paid (negative: taken back)
  int32_t ref = -1;       // plan index (commission, bonus, caps, draw), sale (clawback), row (adjustment)
  int16_t component = -1; // component index in the plan, -1 when not a component line
  LineKind kind = LineKind::credit;
  int8_t tier = -1;
};

struct Statement {
  int32_t person = 0;
  int32_t period = 0;
  int64_t credit = 0;           // credited in the period (after splits and roll-up)
  int64_t quota = 0;            // prorated quota of the period
  double attainment = 0;        // credit / quota (NaN when quota is 0)
  double ytd_attainment = 0;    // running: credits / quotas from the first period of the run
  int64_t earnings = 0;         // components, caps and clawbacks
  int64_t draw_balance = 0;     // recoverable draw outstanding after the period
  int64_t clawback = 0;         // sum of clawback lines
  int64_t payout = 0;           // sum of all lines
  uint64_t first_line = 0;      // lines of this cell (line_count 0 when lines were not kept)
  uint32_t line_count = 0;
};

struct PayoutResult {
  std::vector<Period> periods;
  size_t people = 0;
  std::vector<Statement> cells;  // person-major: cells[person * periods.size() + period]
  std::vector<Line> lines;
  std::vector<std::string> reasons;  // reasons[adjustment row]
};

}  // namespace quotaflow::incentive
