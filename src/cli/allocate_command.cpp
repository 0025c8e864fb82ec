// `quotaflow allocate`: a target down an org hierarchy and over a business calendar, written as a
// long table node,period,target. Without over-assignment the leaves are phased and inner nodes
// are their roll-ups, so every node and every period adds up exactly.
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "allocate_plan.hpp"
#include "commands.hpp"
#include "csv_table.hpp"
#include "org_inputs.hpp"
#include "quotaflow/calendar/csv.hpp"
#include "quotaflow/core/amount.hpp"

namespace quotaflow::cli {

namespace {
struct AllocateArgs {
  std::string hierarchy, child_col = "node_id", parent_col = "parent_id";
  std::string weights, weights_node_col = "node_id", weights_col = "weight", weights_filter;
  std::string total, calendar = "CN", calendar_csv, grain = "month", method = "hamilton", output;
  int scale = 2, year = 0;
  double over_assignment = 0.0;
};
}  // namespace

void add_allocate_command(CLI::App& app) {
  auto a = std::make_shared<AllocateArgs>();
  CLI::App* cmd = app.add_subcommand("allocate", "Allocate a target down a hierarchy and over a year's periods");
  cmd->add_option("--hierarchy", a->hierarchy, "CSV with a node and a parent column (empty parent = root)")->required();
  cmd->add_option("--child-col", a->child_col, "Node column of --hierarchy")->capture_default_str();
  cmd->add_option("--parent-col", a->parent_col, "Parent column of --hierarchy")->capture_default_str();
  cmd->add_option("--weights", a->weights, "CSV of node,weight rows (rows of a node add up; leaves not listed weigh 0)")->required();
  cmd->add_option("--weights-node-col", a->weights_node_col, "Node column of --weights")->capture_default_str();
  cmd->add_option("--weights-col", a->weights_col, "Weight column of --weights")->capture_default_str();
  cmd->add_option("--weights-filter", a->weights_filter, "Only rows where COLUMN starts with PREFIX, as COLUMN=PREFIX");
  cmd->add_option("--total", a->total, "Target as a decimal amount, e.g. 261000000.00")->required();
  cmd->add_option("--scale", a->scale, "Decimals of the currency's minor unit")->capture_default_str();
  cmd->add_option("--calendar", a->calendar, "Calendar preset (CN, plain)")->capture_default_str();
  cmd->add_option("--calendar-csv", a->calendar_csv, "Calendar CSV of date,kind rows instead of a preset");
  cmd->add_option("--year", a->year, "Calendar year to phase over")->required();
  cmd->add_option("--grain", a->grain, "year, half, quarter, month, week or day")->capture_default_str();
  cmd->add_option("--method", a->method, "hamilton, webster, dhondt or huntington_hill")->capture_default_str();
  cmd->add_option("--over-assignment", a->over_assignment, "Children get (1 + this) x parent, e.g. 0.05")->capture_default_str();
  cmd->add_option("-o,--output", a->output, "Output CSV (default: standard output)");
  cmd->callback([a] {
    Hierarchy h = read_hierarchy_csv(a->hierarchy, a->child_col, a->parent_col);

    CsvTable wt = read_csv(a->weights);
    const size_t wn = wt.column(a->weights_node_col), wv = wt.column(a->weights_col);
    size_t fcol = 0;
    std::string fprefix;
    if (!a->weights_filter.empty()) {
      auto eq = a->weights_filter.find('=');
      if (eq == std::string::npos) fail(errc::invalid_argument, "--weights-filter \"", a->weights_filter, "\" is not COLUMN=PREFIX");
      fcol = wt.column(a->weights_filter.substr(0, eq));
      fprefix = a->weights_filter.substr(eq + 1);
    }
    std::vector<double> weights(h.size(), 0.0);
    for (size_t r = 0; r < wt.rows.size(); ++r) {
      const auto& row = wt.rows[r];
      if (!fprefix.empty() && row[fcol].rfind(fprefix, 0) != 0) continue;
      int32_t v = h.index_of(row[wn]);
      char* endp = nullptr;
      double x = std::strtod(row[wv].c_str(), &endp);
      if (row[wv].empty() || *endp != '\0') fail(errc::parse_error, "\"", a->weights, "\" row ", r + 2, ": weight \"", row[wv], "\" is not a number");
      weights[static_cast<size_t>(v)] += x;
    }
    for (size_t i = 0; i < h.size(); ++i)
      if (!h.is_leaf(static_cast<int32_t>(i))) weights[i] = 0.0;  // leaves carry the weights; parents are roll-ups

    Calendar cal = read_calendar(a->calendar, a->calendar_csv);
    const int64_t total = Amount::parse(a->total, a->scale).minor();
    PlanTable plan = allocate_plan(h, total, weights, cal, date_from_ymd(a->year, 1, 1), date_from_ymd(a->year + 1, 1, 1),
                                   parse_grain(a->grain), parse_apportion_method(a->method), a->over_assignment);

    std::ofstream file;
    if (!a->output.empty()) {
      file.open(a->output);
      if (!file) fail(errc::io_error, "cannot write \"", a->output, "\"");
    }
    std::string text = "node,period,target\n";
    for (size_t v = 0; v < h.size(); ++v)
      for (size_t p = 0; p < plan.labels.size(); ++p)
        text += h.name(static_cast<int32_t>(v)) + "," + plan.labels[p] + "," +
                Amount{plan.cells[v * plan.labels.size() + p]}.format(a->scale) + "\n";
    if (a->output.empty())
      std::fputs(text.c_str(), stdout);
    else
      file << text;
  });
}

}  // namespace quotaflow::cli
