// Event logs from CSV and gzip-compressed CSV (zlib; a plain file is read as is).
//
// The first line is the header; columns are picked by name, others ignored. Fields follow
// RFC 4180 (double quotes, "" inside quotes, CRLF or LF line ends); blank lines are skipped.
// Case ids and activity and resource names are interned in first-seen order, so case c's name
// is log.case_name(c). An empty resource field means "no resource" (-1).
// Timestamps are ISO 8601 (parse_timestamp_ns below). A malformed row is errc::parse_error naming
// the source, the line number and the column; a missing column is errc::not_found listing the
// header; an unreadable file is errc::io_error.
//
//   LogCsvOptions opt;   // defaults: the XES names case:concept:name, concept:name, time:timestamp
//   opt.resource_column = "org:resource";
//   EventLog log = read_log_csv("bpic2012.csv.gz", opt);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "quotaflow/process/event_log.hpp"

namespace quotaflow::process {

struct LogCsvOptions {
  std::string case_column = "case:concept:name";
  std::string activity_column = "concept:name";
  std::string timestamp_column = "time:timestamp";
  std::string resource_column;  // empty: the log has no resources
  std::string amount_column;    // empty: the log has no amounts
  int amount_scale = 0;         // decimals in the amount column (parsed exactly, Amount::parse)
  char delimiter = ',';
};

// Nanoseconds since 1970-01-01 UTC from ISO 8601 text:
//   YYYY-MM-DD[(T| )hh:mm[:ss[.fraction]]][Z | (+|-)hh[:mm] | (+|-)hhmm]
// No offset means UTC. Up to 9 fraction digits count (more are truncated). Times must lie in
// int64 nanoseconds (1677-09-21 .. 2262-04-11). Bad text is errc::parse_error quoting it.
int64_t parse_timestamp_ns(std::string_view text);

// Parses CSV text; `source` names it in error messages.
EventLog parse_log_csv(std::string_view text, const LogCsvOptions& options = {},
                       std::string_view source = "event log CSV");

// Reads a .csv or .csv.gz file (compression is detected from the content, not the name).
EventLog read_log_csv(const std::string& path, const LogCsvOptions& options = {});

}  // namespace quotaflow::process
