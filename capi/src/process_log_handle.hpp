// The opaque qf_log handle, shared by the event-log C ABI and any C ABI file that reads logs
// (discovery, conformance checks against a process model).
#pragma once

#include "guard.hpp"
#include "quotaflow/process/event_log.hpp"

struct qf_log {
  quotaflow::process::EventLog log;
};

namespace quotaflow::capi {
inline const process::EventLog& log_of(const qf_log* log) {
  require(log, "log");
  return log->log;
}
}  // namespace quotaflow::capi
