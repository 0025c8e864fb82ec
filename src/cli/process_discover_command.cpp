// `quotaflow process discover log.csv.gz --case C --activity A --timestamp T [--resource R]
//  -o dfg.csv [--dot dfg.dot]`: the directly-follows graph of an event log with performance.
#include <charconv>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <memory>
#include <string>

#include "commands.hpp"
#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/log_csv.hpp"

namespace quotaflow::cli {

namespace {

using namespace quotaflow::process;

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) {
    if (ch == '"') out += '"';
    out += ch;
  }
  return out + "\"";
}

std::string dot_label(const std::string& s) {
  std::string out;
  for (char ch : s) {
    if (ch == '"' || ch == '\\') out += '\\';
    out += ch == '\n' ? ' ' : ch;
  }
  return out;
}

// A duration in seconds as a short human figure ("42s", "3.5h", "2.1d").
std::string human(double seconds) {
  char buf[32];
  if (seconds < 120)
    std::snprintf(buf, sizeof buf, "%.0fs", seconds);
  else if (seconds < 7200)
    std::snprintf(buf, sizeof buf, "%.1fm", seconds / 60);
  else if (seconds < 172800)
    std::snprintf(buf, sizeof buf, "%.1fh", seconds / 3600);
  else
    std::snprintf(buf, sizeof buf, "%.1fd", seconds / 86400);
  return buf;
}

std::ofstream open_output(const std::string& path) {
  std::ofstream out(path, std::ios::binary);
  if (!out) fail(errc::io_error, "cannot write \"", path, "\"");
  return out;
}

void write_dfg_csv(std::ostream& out, const EventLog& log, const DirectlyFollowsGraph& g) {
  const auto& names = log.activity_names();
  out << "source,target,count,mean,median,min,max,sum,stdev\n";
  auto num = [](double v) {  // shortest text that reads back as the same double
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    return std::string(buf, res.ptr);
  };
  for (std::size_t e = 0; e < g.size(); ++e) {
    out << csv_field(names[static_cast<std::size_t>(g.source[e])]) << ','
        << csv_field(names[static_cast<std::size_t>(g.target[e])]) << ',' << g.count[e];
    for (const auto* col : {&g.mean, &g.median, &g.min, &g.max, &g.sum, &g.stdev}) out << ',' << num((*col)[e]);
    out << '\n';
  }
}

// Activities as boxes, a start and an end node, edges labelled with count and mean time.
void write_dfg_dot(std::ostream& out, const EventLog& log, const DirectlyFollowsGraph& g) {
  const auto& names = log.activity_names();
  out << "digraph dfg {\n  rankdir=LR;\n  node [shape=box, style=rounded];\n"
      << "  start [shape=circle, label=\"\", style=filled, fillcolor=green];\n"
      << "  end [shape=doublecircle, label=\"\", style=filled, fillcolor=red];\n";
  for (std::size_t a = 0; a < names.size(); ++a) out << "  a" << a << " [label=\"" << dot_label(names[a]) << "\"];\n";
  const auto starts = start_activities(log), ends = end_activities(log);
  for (std::size_t i = 0; i < starts.size(); ++i)
    out << "  start -> a" << starts.activity[i] << " [label=\"" << starts.count[i] << "\"];\n";
  for (std::size_t e = 0; e < g.size(); ++e)
    out << "  a" << g.source[e] << " -> a" << g.target[e] << " [label=\"" << g.count[e] << " / " << human(g.mean[e])
        << "\"];\n";
  for (std::size_t i = 0; i < ends.size(); ++i)
    out << "  a" << ends.activity[i] << " -> end [label=\"" << ends.count[i] << "\"];\n";
  out << "}\n";
}

}  // namespace

void add_process_discover(CLI::App& process_app) {
  struct Args {
    std::string log_path, case_col, activity_col, timestamp_col, resource_col, output, dot;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = process_app.add_subcommand(
      "discover", "Directly-follows graph with performance (seconds) of an event log (.csv or .csv.gz)");
  cmd->add_option("log", args->log_path, "Event log CSV, optionally gzip-compressed")->required();
  cmd->add_option("--case", args->case_col, "Case id column (e.g. case:concept:name)")->required();
  cmd->add_option("--activity", args->activity_col, "Activity column (e.g. concept:name)")->required();
  cmd->add_option("--timestamp", args->timestamp_col, "ISO 8601 timestamp column (e.g. time:timestamp)")->required();
  cmd->add_option("--resource", args->resource_col, "Resource column (optional)");
  cmd->add_option("-o,--output", args->output, "Write the graph as CSV here (default: standard output)");
  cmd->add_option("--dot", args->dot, "Also write a Graphviz DOT file");
  cmd->callback([args] {
    LogCsvOptions opt;
    opt.case_column = args->case_col;
    opt.activity_column = args->activity_col;
    opt.timestamp_column = args->timestamp_col;
    opt.resource_column = args->resource_col;
    const EventLog log = read_log_csv(args->log_path, opt);
    const DirectlyFollowsGraph g = directly_follows(log);
    if (args->output.empty()) {
      std::ostringstream text;
      write_dfg_csv(text, log, g);
      std::fputs(text.str().c_str(), stdout);
    } else {
      auto out = open_output(args->output);
      write_dfg_csv(out, log, g);
      if (!out.flush()) fail(errc::io_error, "cannot write \"", args->output, "\"");
    }
    if (!args->dot.empty()) {
      auto out = open_output(args->dot);
      write_dfg_dot(out, log, g);
      if (!out.flush()) fail(errc::io_error, "cannot write \"", args->dot, "\"");
    }
    const auto vars = variants(log);
    std::fprintf(args->output.empty() ? stderr : stdout,
                 "%zu events, %zu cases, %zu activities, %zu variants; %zu directly-follows edges%s%s%s%s\n", log.size(),
                 log.num_cases(), log.num_activities(), vars.size(), g.size(), args->output.empty() ? "" : " -> ",
                 args->output.c_str(), args->dot.empty() ? "" : ", DOT -> ", args->dot.c_str());
  });
}

}  // namespace quotaflow::cli
