// What `quotaflow pay` and the demo's incentive step share: a payout run with what is needed to
// print it (plan, calendar, names), the statement CSV and the payout summary table.
#pragma once

#include <cstdio>
#include <string>
#include <tuple>
#include <vector>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/incentive/payout.hpp"

namespace quotaflow::cli {

struct PayReport {
  const incentive::Plan* plan = nullptr;
  const Calendar* cal = nullptr;
  Grain grain = Grain::month;
  int scale = 2;
  std::vector<std::string> names;
  std::vector<std::string> sale_ids;  // the user's id of each sale of the run, if known
  incentive::PayoutResult result;
};

// Reads a plan file; JSON errors name the file and the JSON path.
incentive::Plan load_plan_file(const std::string& path);
// The run's range for paying `label`: from the start of its year to the end of the period, and
// the period's index in it. A label that is not a period of the calendar is errc::not_found.
//   auto [start, end, k] = pay_period(cal, "2026-03", Grain::month);  // 2026-01-01, 2026-04-01, 2
std::tuple<Date, Date, size_t> pay_period(const Calendar& cal, const std::string& label, Grain grain);
// A line's component name ("" for lines of no component), its base as text (money at `scale`;
// the KPI score for bonus lines) and its rate as a fraction ("0.05"; "" unless a commission).
std::string line_component(const PayReport& r, const incentive::Line& l);
std::string line_base_text(const incentive::Line& l, int scale);
std::string line_rate_text(const incentive::Line& l);
// Plain words for a statement line ("new business tier 2 at 10%", an adjustment's reason, ...).
std::string line_reason(const PayReport& r, const incentive::Line& l);
// person,period,kind,component,base,rate,tier,amount,reason rows of everyone's lines in `period`.
void write_statement_csv(std::FILE* out, const PayReport& r, size_t period);
// One row per person of `who` in `period`, then the total; returns whether every statement's
// lines sum to its payout.
bool print_payout_summary(const PayReport& r, size_t period, const std::vector<size_t>& who);

}  // namespace quotaflow::cli
