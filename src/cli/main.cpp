// quotaflow command-line tool: `quotaflow --version`, `quotaflow demo`, `quotaflow calendar ...`.
#include <cstdio>
#include <exception>

#include "commands.hpp"
#include "quotaflow/core/error.hpp"

int main(int argc, char** argv) {
  CLI::App app{"quotaflow: sales targets, process and deviations, exact to the minor unit"};
  app.set_version_flag("--version", std::string("quotaflow ") + QUOTAFLOW_VERSION);
  app.require_subcommand(1);
  quotaflow::cli::add_demo_command(app);
  quotaflow::cli::add_calendar_command(app);
  quotaflow::cli::add_allocate_command(app);
  quotaflow::cli::add_track_command(app);
  quotaflow::cli::add_pay_command(app);
  quotaflow::cli::add_process_command(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const quotaflow::error& e) {
    std::fprintf(stderr, "quotaflow: error (%s): %s\n", quotaflow::errc_name(e.code()).data(), e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "quotaflow: error: %s\n", e.what());
    return 2;
  }
  return 0;
}
