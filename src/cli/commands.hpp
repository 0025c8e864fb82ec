// Subcommands of the quotaflow CLI; each registers itself on the app.
#pragma once

#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>

#include "quotaflow/calendar/calendar.hpp"

namespace quotaflow::cli {

void add_calendar_command(CLI::App& app);
void add_demo_command(CLI::App& app);
void add_allocate_command(CLI::App& app);
// `quotaflow process`: its subcommands (discover, ...) register on it.
void add_process_command(CLI::App& app);
void add_process_discover(CLI::App& process_app);
void add_process_check(CLI::App& process_app);
// The demo's process step: the sample company's deal histories checked against its process.
void run_process_demo(const std::filesystem::path& sample_company_dir, const std::string& as_of);

// The folder holding sample_company/: --data, then $QUOTAFLOW_DATA, then the source tree, then
// the installed share folder.
std::filesystem::path find_data_dir(const std::string& explicit_dir);

// Prints the periods of [start, end) at a grain as an aligned table or CSV.
void print_periods(const Calendar& cal, Date start, Date end, Grain grain, bool csv);

}  // namespace quotaflow::cli
