// `quotaflow demo`: the main job on the shipped sample company. Today it prints the company's
// business calendar for its plan year; each capability adds its step.
#include <cstdio>
#include <fstream>
#include <map>

#include "commands.hpp"

namespace quotaflow::cli {

namespace {
// company.csv holds key,value rows.
std::map<std::string, std::string> read_company(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) fail(errc::io_error, "cannot open \"", file.string(), "\"");
  std::map<std::string, std::string> kv;
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    auto comma = line.find(',');
    if (comma == std::string::npos) continue;
    kv[line.substr(0, comma)] = line.substr(comma + 1);
  }
  return kv;
}

std::string need(const std::map<std::string, std::string>& kv, const std::string& key, const std::filesystem::path& file) {
  auto it = kv.find(key);
  if (it == kv.end()) fail(errc::parse_error, "\"", file.string(), "\" has no \"", key, "\" row");
  return it->second;
}

int to_int(const std::string& s, const char* what) {
  try {
    size_t used = 0;
    int v = std::stoi(s, &used);
    if (used == s.size()) return v;
  } catch (const std::exception&) {
  }
  fail(errc::parse_error, what, " \"", s, "\" is not an integer");
}
}  // namespace

void add_demo_command(CLI::App& app) {
  auto data = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("demo", "Run the main job on the shipped sample company");
  cmd->add_option("--data", *data, "Folder holding sample_company/ (default: the shipped data)");
  cmd->callback([data] {
    auto dir = find_data_dir(*data) / "sample_company";
    auto company = read_company(dir / "company.csv");
    auto file = dir / "company.csv";
    std::string name = need(company, "name", file);
    std::string preset = need(company, "calendar", file);
    int year = to_int(need(company, "plan_year", file), "plan_year");
    int fiscal_start = to_int(need(company, "fiscal_year_start_month", file), "fiscal_year_start_month");

    Calendar base = Calendar::preset(preset);
    CalendarOptions opt = base.options();
    opt.fiscal_year_start_month = fiscal_start;
    Calendar cal(opt, base.holidays(), base.workdays());
    int first_year = fiscal_start == 1 ? year : year - 1;
    Date start = date_from_ymd(first_year, fiscal_start, 1), end = date_from_ymd(first_year + 1, fiscal_start, 1);

    std::printf("quotaflow demo: %s\n", name.c_str());
    std::printf("Business calendar %s, plan year %s: %d working days\n\n", preset.c_str(),
                cal.period_label(start, Grain::year).c_str(), cal.working_days(start, end));
    std::printf("Working days per month\n");
    print_periods(cal, start, end, Grain::month, false);
    std::printf("\nWorking days per quarter\n");
    print_periods(cal, start, end, Grain::quarter, false);
  });
}

}  // namespace quotaflow::cli
