// `quotaflow process check model.json log.csv.gz [--case C --activity A --timestamp T --resource R]
//  [--calendar CN|holidays.csv] [--as-of DATE] [--roles roles.csv] [-o deviations.csv]
//  [--dot model.dot] [--svg model.svg]`: replays every case of a log on a process model.
// `quotaflow process model model.json [--dot F] [--svg F]`: validates a model and prints its
// mandatory stages and critical path.
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "csv_table.hpp"
#include "process_check_report.hpp"
#include "quotaflow/calendar/csv.hpp"
#include "quotaflow/process/analysis.hpp"
#include "quotaflow/process/dot.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/model_json.hpp"
#include "quotaflow/process/validate.hpp"

namespace quotaflow::cli {

namespace {

using namespace quotaflow::process;

struct CheckArgs {
  std::string model, log, case_col = "case:concept:name", activity_col = "concept:name", timestamp_col = "time:timestamp";
  std::string resource_col, calendar, as_of, roles, out, dot, svg;
  double utc_offset_hours = 0;
  size_t show = 20;
};

// Prints the validation problems and fails when there are any.
void require_valid_model(const ProcessModel& m, const std::string& path) {
  auto problems = validate(m);
  if (problems.empty()) return;
  std::fprintf(stderr, "%s has %zu problems:\n", path.c_str(), problems.size());
  for (const auto& p : problems)
    std::fprintf(stderr, "  %-24s %s\n", std::string(problem_kind_name(p.kind)).c_str(), p.message.c_str());
  fail(errc::invalid_argument, "the process model \"", path, "\" is not valid (", problems.size(), " problems)");
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  if (!out || !out.write(text.data(), static_cast<std::streamsize>(text.size())))
    fail(errc::io_error, "cannot write \"", path, "\"");
}

// Renders DOT text to SVG with Graphviz's `dot` when it is installed.
void render_svg(const std::string& dot_text, const std::string& svg_path) {
  if (std::system("command -v dot >/dev/null 2>&1") != 0)
    fail(errc::not_found, "Graphviz `dot` is not installed, so --svg cannot render; write --dot FILE and render it elsewhere");
  const std::string tmp = svg_path + ".dot.tmp";
  write_text(tmp, dot_text);
  const std::string cmd = "dot -Tsvg -o '" + svg_path + "' '" + tmp + "'";
  const int rc = std::system(cmd.c_str());
  std::filesystem::remove(tmp);
  if (rc != 0) fail(errc::io_error, "`dot -Tsvg` failed (exit status ", rc, ") writing \"", svg_path, "\"");
}

void export_graph(const ProcessModel& m, const ModelFit* fit, const std::string& dot_path, const std::string& svg_path) {
  if (dot_path.empty() && svg_path.empty()) return;
  const std::string text = to_dot(m, fit);
  if (!dot_path.empty()) write_text(dot_path, text);
  if (!svg_path.empty()) render_svg(text, svg_path);
}

// A date means the end of that day; anything longer is an ISO 8601 timestamp.
int64_t parse_as_of(const std::string& s) {
  if (s.size() == 10) return (int64_t{date_from_string(s)} + 1) * 86'400'000'000'000;
  return parse_timestamp_ns(s);
}

void run_check(const CheckArgs& a) {
  ProcessModel m = load_model(a.model);
  require_valid_model(m, a.model);
  LogCsvOptions lo;
  lo.case_column = a.case_col;
  lo.activity_column = a.activity_col;
  lo.timestamp_column = a.timestamp_col;
  lo.resource_column = a.resource_col;
  EventLog log = read_log_csv(a.log, lo);

  CheckOptions opt;
  std::unique_ptr<Calendar> cal;
  if (!a.calendar.empty())
    cal = std::make_unique<Calendar>(std::filesystem::exists(a.calendar) ? load_calendar_csv(a.calendar) : Calendar::preset(a.calendar));
  opt.calendar = cal.get();
  if (!a.as_of.empty()) opt.as_of = parse_as_of(a.as_of);
  opt.utc_offset_seconds = static_cast<int64_t>(a.utc_offset_hours * 3600);
  if (!a.roles.empty()) {
    CsvTable roles = read_csv(a.roles);
    const size_t rc = roles.column("resource"), oc = roles.column("role");
    for (const auto& row : roles.rows) opt.resource_roles[row.at(rc)] = row.at(oc);
  }
  CheckResult r = check(m, log, opt);
  auto name = [&](int64_t c) { return log.case_name(static_cast<size_t>(c)); };

  std::printf("%s against %s (%zu events)\n", a.log.c_str(), a.model.c_str(), log.size());
  print_check_summary(r);
  const size_t shown = std::min(a.show, r.deviations().size());
  if (shown) std::printf("Deviations (%zu of %zu):\n", shown, r.deviations().size());
  for (size_t i = 0; i < shown; ++i) print_deviation(r, i, name);
  if (!a.out.empty()) {
    std::ofstream out(a.out, std::ios::binary);
    if (!out) fail(errc::io_error, "cannot write \"", a.out, "\"");
    write_deviations_csv(out, r, log.activity_names(), name);
    std::printf("Wrote %zu deviations to %s\n", r.deviations().size(), a.out.c_str());
  }
  if (!a.dot.empty() || !a.svg.empty()) {
    ModelFit f = fit(m, log);
    export_graph(m, &f, a.dot, a.svg);
  }
}

}  // namespace

void run_process_demo(const std::filesystem::path& dir, const std::string& as_of) {
  ProcessModel m = load_model((dir / "process_model.json").string());
  LogCsvOptions lo;
  lo.case_column = "deal_id";
  lo.activity_column = "stage_id";
  lo.timestamp_column = "entered_at";
  lo.resource_column = "actor_node_id";
  EventLog log = read_log_csv((dir / "deal_events.csv").string(), lo);
  CheckOptions opt;
  opt.as_of = parse_as_of(as_of);
  // Roles: salespeople (org.csv) are key account managers; back-office staff have theirs.
  CsvTable org = read_csv((dir / "org.csv").string());
  for (const auto& row : org.rows)
    if (row.at(org.column("kind")) == "salesperson") opt.resource_roles[row.at(org.column("node_id"))] = "key account manager";
  CsvTable staff = read_csv((dir / "staff.csv").string());
  for (const auto& row : staff.rows) opt.resource_roles[row.at(staff.column("staff_id"))] = row.at(staff.column("role"));
  CheckResult r = check(m, log, opt);
  auto name = [&](int64_t c) { return log.case_name(static_cast<size_t>(c)); };

  std::printf("\nSales process: %zu deal histories (%zu stage entries) checked against %s as of %s\n", log.num_cases(),
              log.size(), m.name().c_str(), as_of.c_str());
  print_check_summary(r);
  std::printf("Skipped stages and stalled deals:\n");
  for (size_t i = 0; i < r.deviations().size(); ++i) {
    const auto k = r.deviations()[i].kind;
    if (k == DeviationKind::illegal_transition || k == DeviationKind::skipped_required_stage || k == DeviationKind::open_too_long)
      print_deviation(r, i, name);
  }
  const ModelFit f = fit(m, log);
  const int32_t lead = m.start();
  std::printf("Win probability from %s (absorbing chain fitted to the histories): %.3f; the model's default: %.3f\n",
              m.stage_name(lead).c_str(), f.win_probability[static_cast<size_t>(lead)],
              m.stage(lead).win_probability);
}

void add_process_check(CLI::App& process_app) {
  auto a = std::make_shared<CheckArgs>();
  CLI::App* cmd = process_app.add_subcommand("check", "Check an event log against a process model: fitness and deviations");
  cmd->add_option("model", a->model, "Process model (JSON, docs/process.md)")->required();
  cmd->add_option("log", a->log, "Event log, CSV or CSV.gz")->required();
  cmd->add_option("--case", a->case_col, "Case id column")->capture_default_str();
  cmd->add_option("--activity", a->activity_col, "Activity column (stage or activity names)")->capture_default_str();
  cmd->add_option("--timestamp", a->timestamp_col, "Timestamp column (ISO 8601; no offset = UTC)")->capture_default_str();
  cmd->add_option("--resource", a->resource_col, "Resource column (needed for --roles)");
  cmd->add_option("--calendar", a->calendar, "Calendar preset (CN, plain) or holiday CSV, for working-day durations");
  cmd->add_option("--as-of", a->as_of, "Judge open cases at this time (a date means the end of that day)");
  cmd->add_option("--utc-offset", a->utc_offset_hours, "Hours east of UTC for working-day dates");
  cmd->add_option("--roles", a->roles, "CSV with columns resource,role: enables wrong_role");
  cmd->add_option("--show", a->show, "How many deviations to print")->capture_default_str();
  cmd->add_option("-o,--output", a->out, "Write every deviation to this CSV");
  cmd->add_option("--dot", a->dot, "Write the model as Graphviz DOT with the log's frequencies and times");
  cmd->add_option("--svg", a->svg, "Render that graph to SVG (needs Graphviz `dot`)");
  cmd->callback([a] { run_check(*a); });

  auto model_path = std::make_shared<std::string>();
  auto dot = std::make_shared<std::string>(), svg = std::make_shared<std::string>();
  CLI::App* show = process_app.add_subcommand("model", "Validate a process model; print its mandatory stages and critical path");
  show->add_option("model", *model_path, "Process model (JSON)")->required();
  show->add_option("--dot", *dot, "Write the model as Graphviz DOT");
  show->add_option("--svg", *svg, "Render it to SVG (needs Graphviz `dot`)");
  show->callback([model_path, dot, svg] {
    ProcessModel m = load_model(*model_path);
    require_valid_model(m, *model_path);
    std::printf("%s: %zu stages, %zu activities, %zu transitions; valid\n", model_path->c_str(), m.num_stages(),
                m.activities().size(), m.transitions().size());
    std::string mand;
    for (int32_t s : mandatory_stages(m)) mand += (mand.empty() ? "" : ", ") + m.stage_name(s);
    std::printf("Mandatory stages: %s\n", mand.c_str());
    CriticalPath cp = critical_path(m);
    std::string path;
    for (int32_t s : cp.stages) path += (path.empty() ? "" : " > ") + m.stage_name(s);
    std::printf("Critical path: %s (%g %s)\n", path.c_str(), cp.total, std::string(duration_unit_name(m.duration_unit())).c_str());
    export_graph(m, nullptr, *dot, *svg);
  });
}

}  // namespace quotaflow::cli
