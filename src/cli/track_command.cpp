// `quotaflow track`: a plan (node,period,target as `quotaflow allocate` writes it) against actual
// sales facts as of a date: every node's pacing in the period holding the as-of date (or in every
// period), behind and at-risk nodes first. Also the demo's tracking step.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

#include "commands.hpp"
#include "csv_table.hpp"
#include "org_inputs.hpp"
#include "quotaflow/calendar/csv.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/track.hpp"

namespace quotaflow::cli {

namespace {

struct TrackArgs {
  std::string hierarchy, child_col = "node_id", parent_col = "parent_id";
  std::string plan, plan_node_col = "node", plan_period_col = "period", plan_col = "target";
  std::string actuals, actuals_node_col = "node_id", actuals_date_col = "date", actuals_col = "revenue_minor";
  std::string as_of, calendar = "CN", calendar_csv, grain = "month";
  int scale = 2, year = 0;
  bool all_periods = false;
};

// Amount text: minor units as they are when the column name ends in _minor, else a decimal at `scale`.
int64_t parse_amount_cell(const std::string& text, const std::string& column, int scale, const std::string& where) {
  const bool minor = column.size() >= 6 && column.compare(column.size() - 6, 6, "_minor") == 0;
  try {
    return Amount::parse(text, minor ? 0 : scale).minor();
  } catch (const error& e) {
    fail(e.code(), where, ": ", e.what());
  }
}

int rank(monitor::TrackStatus s) {
  switch (s) {
    case monitor::TrackStatus::at_risk: return 0;
    case monitor::TrackStatus::behind: return 1;
    case monitor::TrackStatus::missed: return 2;
    case monitor::TrackStatus::on_track: return 3;
    case monitor::TrackStatus::ahead: return 4;
    case monitor::TrackStatus::made: return 5;
  }
  return 6;
}

}  // namespace

// Prints the pacing table: behind and at-risk first (then missed, on track, ahead, made), each
// group by variance, most negative first. Only the period holding as_of unless all_periods; with
// limit > 0, only the first `limit` rows that are neither behind nor at risk. Returns the number
// of behind and at-risk rows.
size_t print_track(const Hierarchy& h, const Calendar& cal, const std::vector<int64_t>& plan,
                   const std::vector<int64_t>& actual, Date start, Date end, Date as_of, Grain grain, int scale,
                   bool all_periods, size_t limit) {
  monitor::TrackOptions opt;
  opt.grain = grain;
  auto t = monitor::track(h, cal, plan, actual, start, end, as_of, opt);
  const size_t P = t.periods.size();
  std::vector<size_t> cells;
  for (size_t v = 0; v < h.size(); ++v)
    for (size_t k = 0; k < P; ++k)
      if (all_periods || (t.periods[k].start <= as_of && as_of < t.periods[k].end)) cells.push_back(v * P + k);
  std::stable_sort(cells.begin(), cells.end(), [&](size_t a, size_t b) {
    if (rank(t.status[a]) != rank(t.status[b])) return rank(t.status[a]) < rank(t.status[b]);
    return t.variance[a] < t.variance[b];
  });
  auto money = [&](int64_t x) { return Amount{x}.format(scale); };
  std::printf("%-10s %-8s %8s %16s %16s %16s %16s %6s %16s %14s  %s\n", "node", "period", "elapsed", "plan",
              "plan_to_date", "actual", "variance", "pace", "projected", "needed/day", "status");
  size_t flagged = 0, others = 0;
  for (size_t c : cells) {
    const bool bad = t.status[c] == monitor::TrackStatus::behind || t.status[c] == monitor::TrackStatus::at_risk;
    flagged += bad;
    if (!bad && limit != 0 && others++ >= limit) continue;
    const size_t v = c / P, k = c % P;
    char pace[16], need[32];
    std::snprintf(pace, sizeof pace, "%.2f", t.pace[c]);
    if (std::isnan(t.required_rate[c])) std::snprintf(need, sizeof need, "-");
    else std::snprintf(need, sizeof need, "%.2f", t.required_rate[c] / std::pow(10.0, scale));
    std::printf("%-10s %-8s %7.0f%% %16s %16s %16s %16s %6s %16s %14s  %s\n",
                h.has_names() ? h.name(static_cast<int32_t>(v)).c_str() : std::to_string(v).c_str(),
                cal.period_label(t.periods[k].start, grain).c_str(), 100 * t.elapsed[k], money(plan[c]).c_str(),
                money(t.plan_to_date[c]).c_str(), money(actual[c]).c_str(), money(t.variance[c]).c_str(), pace,
                money(t.projected_seasonal[c]).c_str(), need, std::string(monitor::track_status_name(t.status[c])).c_str());
  }
  return flagged;
}

// Facts (node, date, amount) up to and including as_of, rolled up over [start, end).
std::vector<int64_t> actuals_to_date(const Hierarchy& h, const Calendar& cal, const CsvTable& facts,
                                     const std::string& node_col, const std::string& date_col,
                                     const std::string& amount_col, int scale, Date start, Date end, Date as_of,
                                     Grain grain, size_t* later) {
  const size_t nc = facts.column(node_col), dc = facts.column(date_col), ac = facts.column(amount_col);
  std::vector<int32_t> node;
  std::vector<Date> date;
  std::vector<int64_t> amount;
  size_t skipped = 0;
  for (size_t r = 0; r < facts.rows.size(); ++r) {
    const auto& row = facts.rows[r];
    const std::string where = "\"" + facts.path + "\" row " + std::to_string(r + 2);
    Date d;
    try {
      d = date_from_string(row[dc]);
    } catch (const error& e) {
      fail(e.code(), where, ": ", e.what());
    }
    if (d > as_of) {
      ++skipped;
      continue;
    }
    try {
      node.push_back(h.index_of(row[nc]));
    } catch (const error& e) {
      fail(e.code(), where, ": ", e.what());
    }
    date.push_back(d);
    amount.push_back(parse_amount_cell(row[ac], amount_col, scale, where));
  }
  if (later != nullptr) *later = skipped;
  return monitor::rollup(h, cal, node, date, amount, start, end, grain).values;
}

void add_track_command(CLI::App& app) {
  auto a = std::make_shared<TrackArgs>();
  CLI::App* cmd = app.add_subcommand("track", "Plan vs actual as of a date: pacing per node, behind and at-risk first");
  cmd->add_option("--hierarchy", a->hierarchy, "CSV with a node and a parent column (empty parent = root)")->required();
  cmd->add_option("--child-col", a->child_col, "Node column of --hierarchy")->capture_default_str();
  cmd->add_option("--parent-col", a->parent_col, "Parent column of --hierarchy")->capture_default_str();
  cmd->add_option("--plan", a->plan, "Plan CSV of node,period,target rows (as `quotaflow allocate` writes); a node without rows plans the sum of its children")->required();
  cmd->add_option("--plan-node-col", a->plan_node_col, "Node column of --plan")->capture_default_str();
  cmd->add_option("--plan-period-col", a->plan_period_col, "Period label column of --plan (2026-03, 2026-Q1, ...)")->capture_default_str();
  cmd->add_option("--plan-col", a->plan_col, "Amount column of --plan (decimal; minor units if it ends in _minor)")->capture_default_str();
  cmd->add_option("--actuals", a->actuals, "Sales facts CSV: node, date and amount per row")->required();
  cmd->add_option("--actuals-node-col", a->actuals_node_col, "Node column of --actuals")->capture_default_str();
  cmd->add_option("--actuals-date-col", a->actuals_date_col, "Date column of --actuals (YYYY-MM-DD)")->capture_default_str();
  cmd->add_option("--actuals-col", a->actuals_col, "Amount column of --actuals (minor units if it ends in _minor)")->capture_default_str();
  cmd->add_option("--as-of", a->as_of, "Date the actuals run to, inclusive (YYYY-MM-DD)")->required();
  cmd->add_option("--calendar", a->calendar, "Calendar preset (CN, plain)")->capture_default_str();
  cmd->add_option("--calendar-csv", a->calendar_csv, "Calendar CSV of date,kind rows instead of a preset");
  cmd->add_option("--grain", a->grain, "Grain of the plan's periods: year, half, quarter, month, week or day")->capture_default_str();
  cmd->add_option("--year", a->year, "Calendar year of the plan (default: the as-of date's)");
  cmd->add_option("--scale", a->scale, "Decimals of the currency's minor unit")->capture_default_str();
  cmd->add_flag("--all-periods", a->all_periods, "Every period of the year, not only the one holding --as-of");
  cmd->callback([a] {
    Hierarchy h = read_hierarchy_csv(a->hierarchy, a->child_col, a->parent_col);
    Calendar cal = read_calendar(a->calendar, a->calendar_csv);
    const Grain grain = parse_grain(a->grain);
    const Date as_of = date_from_string(a->as_of);
    const int year = a->year != 0 ? a->year : date_to_ymd(as_of).year;
    const Date start = date_from_ymd(year, 1, 1), end = date_from_ymd(year + 1, 1, 1);
    const auto periods = cal.periods(start, end, grain);
    std::map<std::string, size_t> period_of;
    for (size_t k = 0; k < periods.size(); ++k) period_of[cal.period_label(periods[k].start, grain)] = k;

    CsvTable pt = read_csv(a->plan);
    const size_t pn = pt.column(a->plan_node_col), pp = pt.column(a->plan_period_col), pa = pt.column(a->plan_col);
    std::vector<int64_t> plan(h.size() * periods.size(), 0);
    std::vector<char> planned(h.size(), 0);  // nodes with rows of their own
    for (size_t r = 0; r < pt.rows.size(); ++r) {
      const auto& row = pt.rows[r];
      const std::string where = "\"" + a->plan + "\" row " + std::to_string(r + 2);
      auto it = period_of.find(row[pp]);
      if (it == period_of.end())
        fail(errc::not_found, where, ": period \"", row[pp], "\" is not a ", grain_name(grain), " of ", year);
      int32_t v;
      try {
        v = h.index_of(row[pn]);
      } catch (const error& e) {
        fail(e.code(), where, ": ", e.what());
      }
      int64_t& cell = plan[static_cast<size_t>(v) * periods.size() + it->second];
      cell = detail::checked_add(cell, parse_amount_cell(row[pa], a->plan_col, a->scale, where), "plan");
      planned[static_cast<size_t>(v)] = 1;
    }
    // A node without rows of its own (a plan given for the leaves only) plans the sum of its
    // children's plans, children first.
    const auto order = h.levelorder();
    for (size_t k = order.size(); k-- > 0;) {
      const auto v = static_cast<size_t>(order[k]);
      if (planned[v] || h.children(order[k]).empty()) continue;
      for (int32_t c : h.children(order[k]))
        for (size_t j = 0; j < periods.size(); ++j)
          plan[v * periods.size() + j] = detail::checked_add(plan[v * periods.size() + j],
                                                             plan[static_cast<size_t>(c) * periods.size() + j], "plan");
    }
    size_t later = 0;
    std::vector<int64_t> actual = actuals_to_date(h, cal, read_csv(a->actuals), a->actuals_node_col, a->actuals_date_col,
                                                  a->actuals_col, a->scale, start, end, as_of, grain, &later);
    std::printf("Plan vs actual as of %s (%s calendar; %zu fact rows after the as-of date left out)\n",
                date_to_string(as_of).c_str(), a->calendar_csv.empty() ? a->calendar.c_str() : a->calendar_csv.c_str(), later);
    const size_t flagged = print_track(h, cal, plan, actual, start, end, as_of, grain, a->scale, a->all_periods, 0);
    std::printf("%zu node-period(s) behind or at risk\n", flagged);
  });
}

void run_track_demo(const std::filesystem::path& sample_company_dir, const Hierarchy& h, const Calendar& cal,
                    const std::vector<int64_t>& plan, Date start, Date end, Date as_of, Grain grain, int scale) {
  size_t later = 0;
  std::vector<int64_t> actual = actuals_to_date(h, cal, read_csv((sample_company_dir / "sales_facts.csv").string()),
                                                "node_id", "date", "revenue_minor", scale, start, end, as_of, grain, &later);
  std::printf("\nPlan vs actual as of %s (mid-quarter): behind and at-risk nodes first, then 5 others\n",
              date_to_string(as_of).c_str());
  const size_t flagged = print_track(h, cal, plan, actual, start, end, as_of, grain, scale, false, 5);
  std::printf("%zu node(s) behind or at risk in %s\n", flagged, cal.period_label(as_of, grain).c_str());
}

}  // namespace quotaflow::cli
