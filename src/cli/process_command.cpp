// `quotaflow process ...`: sales process graphs. Each process subcommand registers itself here.
#include "commands.hpp"

namespace quotaflow::cli {

void add_process_command(CLI::App& app) {
  CLI::App* process_sub = app.add_subcommand("process", "Sales process graphs: discovery from event logs, conformance");
  process_sub->require_subcommand(1);
  add_process_discover(*process_sub);
  add_process_check(*process_sub);
}

}  // namespace quotaflow::cli
