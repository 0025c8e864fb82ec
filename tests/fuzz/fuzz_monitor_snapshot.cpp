// Fuzzes Monitor::restore with arbitrary bytes. Invariants: restore either succeeds or throws
// quotaflow::error (never crashes, never another exception); on failure the monitor is exactly as
// before (same snapshot bytes); on success saving again gives back the same bytes (the format has
// one encoding per state), and advance() runs on the loaded state.
// Inputs are used twice: as a whole snapshot, and as a payload sealed with a valid header and
// checksum, so the field checks behind the checksum are reached too.
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "quotaflow/monitor/monitor.hpp"

namespace {
quotaflow::monitor::Monitor& target() {
  using namespace quotaflow;
  static monitor::Monitor m = [] {
    monitor::MonitorConfig c;
    c.start = date_from_string("2026-04-01");
    c.end = date_from_string("2026-07-01");
    c.plan = {300, 100, 200, 100, 0, 0, 200, 0, 0};
    c.stage_limit_days = {3, 5};
    monitor::Monitor mon(Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0}), Calendar{}, c);
    mon.push_sales(std::vector<int32_t>{1}, std::vector<Date>{c.start + 1}, std::vector<int64_t>{40});
    mon.push_stage_changes(std::vector<int64_t>{5}, std::vector<int32_t>{0}, std::vector<Date>{c.start});
    mon.advance(c.start + 20);
    return mon;
  }();
  return m;
}

void check(gsl::span<const uint8_t> bytes) {
  auto& m = target();
  const std::vector<uint8_t> before = m.save();
  quotaflow::monitor::Monitor copy = m;
  try {
    copy.restore(bytes);
  } catch (const quotaflow::error&) {
    if (copy.save() != before) std::abort();
    return;
  }
  if (copy.save() != std::vector<uint8_t>(bytes.begin(), bytes.end())) std::abort();
  try {
    copy.advance(quotaflow::date_from_string("2026-05-15"));
  } catch (const quotaflow::error&) {
    // Loaded figures may overflow when summed; that must be an error, not a crash.
  }
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  check({data, size});
  check(quotaflow::monitor::snapshot::seal({data, size}));
  return 0;
}
