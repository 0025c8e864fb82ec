// `quotaflow demo`: the main job on the shipped sample company. Today it prints the company's
// business calendar for its plan year; each capability adds its step.
#include <cstdio>
#include <fstream>
#include <map>

#include "allocate_plan.hpp"
#include "commands.hpp"
#include "csv_table.hpp"
#include "org_inputs.hpp"
#include "quotaflow/core/amount.hpp"

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

    // Target allocation: the annual target down the org by each leaf's share of last year's
    // revenue, then over the plan year's months and weeks by working days.
    const int scale = to_int(need(company, "amount_scale", file), "amount_scale");
    const int64_t target = Amount::parse(need(company, "annual_revenue_target_minor", file), 0).minor();
    Hierarchy h = read_hierarchy_csv((dir / "org.csv").string());
    CsvTable hist = read_csv((dir / "monthly_history.csv").string());
    const size_t mc = hist.column("month"), nc = hist.column("node_id"), rc = hist.column("revenue_minor");
    const std::string last_year = std::to_string(year - 1);
    std::vector<double> weights(h.size(), 0.0);
    for (const auto& row : hist.rows)
      if (row[mc].rfind(last_year, 0) == 0) weights[static_cast<size_t>(h.index_of(row[nc]))] += std::stod(row[rc]);
    // Seasonality: last year's revenue per working day of each month, so a month weighs what its
    // working days sold last year (Chinese New Year, the summer peak, Golden Week).
    std::vector<double> month_revenue(12, 0.0), profile(12, 0.0);
    for (const auto& row : hist.rows)
      if (row[mc].rfind(last_year, 0) == 0) month_revenue[static_cast<size_t>(std::stoi(row[mc].substr(5, 2)) - 1)] += std::stod(row[rc]);
    for (int m = 0; m < 12; ++m) {
      Date m0 = date_from_ymd(year - 1, m + 1, 1), m1 = cal.next_period_start(m0, Grain::month);
      profile[static_cast<size_t>(m)] = month_revenue[static_cast<size_t>(m)] / std::max(1, cal.working_days(m0, m1));
    }
    PlanTable months = allocate_plan(h, target, weights, cal, start, end, Grain::month, ApportionMethod::hamilton, 0.0, profile);
    PlanTable weeks = allocate_plan(h, target, weights, cal, start, end, Grain::week, ApportionMethod::hamilton, 0.0, profile);

    std::printf("\nAnnual target %s %s allocated to %zu nodes by %s revenue shares, phased by working days x %s "
                "seasonality (Hamilton, exact)\n",
                Amount{target}.format(scale).c_str(), need(company, "currency", file).c_str(), h.size(), last_year.c_str(),
                last_year.c_str());
    std::printf("%-24s %16s  %s\n", "node", "annual", "Jan .. Dec (thousands)");
    for (int32_t v : h.preorder()) {
      if (h.depth(v) > 1) continue;  // company and regions
      std::printf("%-24s %16s ", h.name(v).c_str(), Amount{months.annual[static_cast<size_t>(v)]}.format(scale).c_str());
      for (size_t k = 0; k < months.labels.size(); ++k)
        std::printf(" %6lld", static_cast<long long>(months.cells[static_cast<size_t>(v) * months.labels.size() + k] / 100'000));
      std::printf("\n");
    }
    // The promise, checked on the spot: every parent is the sum of its children in every period.
    auto coherent = [&](const PlanTable& t) {
      const size_t p = t.labels.size();
      for (size_t v = 0; v < h.size(); ++v) {
        auto kids = h.children(static_cast<int32_t>(v));
        int64_t year_sum = 0;
        for (size_t k = 0; k < p; ++k) year_sum += t.cells[v * p + k];
        if (year_sum != t.annual[v]) return false;
        if (kids.empty()) continue;
        for (size_t k = 0; k < p; ++k) {
          int64_t s = 0;
          for (int32_t c : kids) s += t.cells[static_cast<size_t>(c) * p + k];
          if (s != t.cells[v * p + k]) return false;
        }
      }
      return true;
    };
    std::printf("Every node and period adds up exactly: %zu nodes x %zu months %s, x %zu weeks %s\n", h.size(),
                months.labels.size(), coherent(months) ? "yes" : "NO", weeks.labels.size(), coherent(weeks) ? "yes" : "NO");

    // Plan vs actual as of a mid-quarter date (20 May): the monthly plan against the sales facts.
    run_track_demo(dir, h, cal, months.cells, start, end, date_from_ymd(year, 5, 20), Grain::month, scale);

    run_process_demo(dir, need(company, "as_of", file));
    run_monitor_demo(dir, h, cal, months.cells, start, end, date_from_ymd(year, 5, 20), date_from_string(need(company, "as_of", file)), std::stod(need(company, "max_discount_pct", file)), scale);
    run_pay_demo(dir, h, cal, months.cells, start, scale);
  });
}

}  // namespace quotaflow::cli
