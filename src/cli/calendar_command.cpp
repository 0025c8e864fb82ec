// `quotaflow calendar`: the period table of a business calendar for a year.
#include <cstdio>
#include <cstdlib>

#include "commands.hpp"
#include "quotaflow/calendar/csv.hpp"

namespace quotaflow::cli {

std::filesystem::path find_data_dir(const std::string& explicit_dir) {
  namespace fs = std::filesystem;
  if (!explicit_dir.empty()) return explicit_dir;
  if (const char* env = std::getenv("QUOTAFLOW_DATA"); env != nullptr && *env != '\0') return env;
  for (const char* dir : {QUOTAFLOW_SOURCE_DATA_DIR, QUOTAFLOW_INSTALL_DATA_DIR})
    if (fs::exists(fs::path(dir) / "sample_company")) return dir;
  fail(errc::io_error, "sample data not found: pass --data DIR or set QUOTAFLOW_DATA");
}

void print_periods(const Calendar& cal, Date start, Date end, Grain grain, bool csv) {
  const auto periods = cal.periods(start, end, grain);
  if (csv)
    std::printf("period,start,end,working_days\n");
  else
    std::printf("%-12s %-10s  %-10s  %12s\n", "period", "start", "end", "working_days");
  int32_t total = 0;
  for (const Period& p : periods) {
    std::string label = cal.period_label(p.start, grain);
    std::string s = date_to_string(p.start), e = date_to_string(p.end);
    total += p.working_days;
    if (csv)
      std::printf("%s,%s,%s,%d\n", label.c_str(), s.c_str(), e.c_str(), p.working_days);
    else
      std::printf("%-12s %-10s  %-10s  %12d\n", label.c_str(), s.c_str(), e.c_str(), p.working_days);
  }
  if (!csv) std::printf("%-12s %-10s  %-10s  %12d\n", "total", date_to_string(start).c_str(), date_to_string(end).c_str(), total);
}

void add_calendar_command(CLI::App& app) {
  struct Args {
    std::string preset = "CN", csv_path, grain = "month", format = "table";
    int year = 0, fiscal_start = 1;
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = app.add_subcommand("calendar", "Print a business calendar's periods and working days for a year");
  cmd->add_option("--preset", args->preset, "Built-in calendar: CN or plain")->capture_default_str();
  cmd->add_option("--csv", args->csv_path, "Calendar CSV of date,kind rows (kind: holiday | makeup_workday)");
  cmd->add_option("--year", args->year, "Fiscal year to print (named by the calendar year it ends in)")->required();
  cmd->add_option("--grain", args->grain, "year, half, quarter, month, week or day")->capture_default_str();
  cmd->add_option("--fiscal-start", args->fiscal_start, "Fiscal year start month (1..12)")->capture_default_str();
  cmd->add_option("--format", args->format, "table or csv")->check(CLI::IsMember({"table", "csv"}))->capture_default_str();
  cmd->callback([args] {
    Grain grain = parse_grain(args->grain);
    CalendarOptions opt;
    Calendar base = args->csv_path.empty() ? Calendar::preset(args->preset) : Calendar{};
    opt = base.options();
    opt.fiscal_year_start_month = args->fiscal_start;
    Calendar cal = args->csv_path.empty() ? Calendar(opt, base.holidays(), base.workdays()) : load_calendar_csv(args->csv_path, opt);
    // Fiscal year Y ends in calendar year Y: it starts in Y-1 unless it starts in January.
    int first_year = args->fiscal_start == 1 ? args->year : args->year - 1;
    Date start = date_from_ymd(first_year, args->fiscal_start, 1);
    Date end = date_from_ymd(first_year + 1, args->fiscal_start, 1);
    print_periods(cal, start, end, grain, args->format == "csv");
  });
}

}  // namespace quotaflow::cli
