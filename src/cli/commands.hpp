// Subcommands of the quotaflow CLI; each registers itself on the app.
#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow::cli {

void add_calendar_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_allocate_command(CLI::App& app);
void add_track_command(CLI::App& app);
void add_pay_command(CLI::App& app);
// `quotaflow process`: its subcommands (discover, ...) register on it.
void add_process_command(CLI::App& app);
void add_process_discover(CLI::App& process_app);
void add_process_check(CLI::App& process_app);
// The demo's process step: the sample company's deal histories checked against its process.
void run_process_demo(const std::filesystem::path& sample_company_dir, const std::string& as_of);

// The demo's tracking step: the sample company's plan (nodes x periods of [start, end)) against its
// sales facts up to as_of, behind and at-risk nodes first.
void run_track_demo(const std::filesystem::path& sample_company_dir, const Hierarchy& h, const Calendar& cal,
                    const std::vector<int64_t>& plan, Date start, Date end, Date as_of, Grain grain, int scale);

// The demo's incentive step: the sample company's people scored on a quarter's scorecard (top and
// bottom with reasons) and one person's full statement under an incentive plan
// (sample_company/incentive_plan.json, sample_company/scorecard.json).
void run_pay_demo(const std::filesystem::path& sample_company_dir, const Hierarchy& h, const Calendar& cal,
                  const std::vector<int64_t>& monthly_plan, Date year_start, int scale);

// The demo's monitor step: the sample company's events pushed through the streaming Monitor
// with every rule on (plan = nodes x months of [start, end)), the alerts as of `as_of` printed
// most severe first, then the events up to `later` streamed on and what was raised.
void run_monitor_demo(const std::filesystem::path& sample_company_dir, const Hierarchy& h, const Calendar& cal,
                      const std::vector<int64_t>& monthly_plan, Date start, Date end, Date as_of, Date later,
                      double max_discount_pct, int scale);

// The folder holding sample_company/: --data, then $QUOTAFLOW_DATA, then the source tree, then
// the installed share folder.
std::filesystem::path find_data_dir(const std::string& explicit_dir);

// Prints the periods of [start, end) at a grain as an aligned table or CSV.
void print_periods(const Calendar& cal, Date start, Date end, Grain grain, bool csv);

}  // namespace quotaflow::cli
