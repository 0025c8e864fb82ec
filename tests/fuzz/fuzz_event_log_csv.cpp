// Fuzzes the event-log CSV parser. The first byte picks the options (resource and amount
// columns, amount scale, ';' as delimiter); the rest is the file. A parsed log must be well
// formed (case offsets cover every event once, events of a case in time order, ids in range),
// and writing it back as CSV (every field quoted, timestamps with nanoseconds) and parsing that
// must give the same cases, events, names, resources and amounts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/process/log_csv.hpp"

namespace {

using namespace quotaflow;
using process::EventLog;

void check(bool ok) {
  if (!ok) std::abort();
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

// "YYYY-MM-DDThh:mm:ss.nnnnnnnnnZ" for nanoseconds since the epoch.
std::string iso(int64_t ns) {
  constexpr int64_t day = 86'400'000'000'000;
  int64_t days = ns / day, rem = ns % day;
  if (rem < 0) {
    rem += day;
    --days;
  }
  // Civil date of a day number (H. Hinnant's algorithm): timestamps reach 1677..2262, beyond the
  // calendar's date range, so date_to_ymd cannot be used here.
  const int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097, doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365, doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153, day_of_month = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
  const int64_t year = yoe + era * 400 + (month <= 2);
  const int64_t s = rem / 1'000'000'000;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%09lldZ", static_cast<long long>(year),
                static_cast<long long>(month), static_cast<long long>(day_of_month),
                static_cast<long long>(s / 3600), static_cast<long long>(s / 60 % 60), static_cast<long long>(s % 60),
                static_cast<long long>(rem % 1'000'000'000));
  return buf;
}

void check_well_formed(const EventLog& log) {
  const auto off = log.case_offsets();
  check(off.size() == log.num_cases() + 1 && off[0] == 0 && off[log.num_cases()] == static_cast<int64_t>(log.size()));
  for (size_t c = 0; c < log.num_cases(); ++c) {
    check(off[c] < off[c + 1]);  // no empty case
    for (int64_t i = off[c] + 1; i < off[c + 1]; ++i) check(log.timestamps()[i - 1] <= log.timestamps()[i]);
  }
  for (int32_t a : log.activities()) check(a >= 0 && static_cast<size_t>(a) < log.num_activities());
  for (int32_t r : log.resources()) check(r >= -1 && r < static_cast<int32_t>(log.num_resources()));
  for (size_t a = 0; a < log.num_activities(); ++a)
    check(log.find_activity(log.activity_names()[a]) == static_cast<int32_t>(a));
}

std::string to_csv(const EventLog& log, const process::LogCsvOptions& o) {
  const char d = o.delimiter;
  std::string out = quoted(o.case_column) + d + quoted(o.activity_column) + d + quoted(o.timestamp_column);
  if (!o.resource_column.empty()) out += d + quoted(o.resource_column);
  if (!o.amount_column.empty()) out += d + quoted(o.amount_column);
  out += '\n';
  for (size_t c = 0; c < log.num_cases(); ++c) {
    for (int64_t i = log.case_offsets()[c]; i < log.case_offsets()[c + 1]; ++i) {
      const auto e = static_cast<size_t>(i);
      out += quoted(log.case_name(c)) + d + quoted(log.activity_names()[static_cast<size_t>(log.activities()[e])]) + d +
             iso(log.timestamps()[e]);
      if (!o.resource_column.empty()) {
        out += d;
        if (log.resources()[e] >= 0) out += quoted(log.resource_names()[static_cast<size_t>(log.resources()[e])]);
      }
      if (!o.amount_column.empty()) out += d + Amount{log.amounts()[e]}.format(o.amount_scale);
      out += "\r\n";
    }
  }
  return out;
}

void check_same(const EventLog& a, const EventLog& b) {
  check(a.size() == b.size() && a.num_cases() == b.num_cases());
  for (size_t c = 0; c < a.num_cases(); ++c) {
    check(a.case_name(c) == b.case_name(c));
    check(a.case_offsets()[c + 1] == b.case_offsets()[c + 1]);
  }
  for (size_t e = 0; e < a.size(); ++e) {
    check(a.activity_names()[static_cast<size_t>(a.activities()[e])] ==
          b.activity_names()[static_cast<size_t>(b.activities()[e])]);
    check(a.timestamps()[e] == b.timestamps()[e]);
    check(a.resources().size() == b.resources().size() && a.amounts().size() == b.amounts().size());
    if (!a.resources().empty()) {
      const int32_t ra = a.resources()[e], rb = b.resources()[e];
      check((ra < 0) == (rb < 0));
      if (ra >= 0) check(a.resource_names()[static_cast<size_t>(ra)] == b.resource_names()[static_cast<size_t>(rb)]);
    }
    if (!a.amounts().empty()) check(a.amounts()[e] == b.amounts()[e]);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  process::LogCsvOptions o;
  const uint8_t flags = data[0];
  if (flags & 1) o.resource_column = "res";
  if (flags & 2) o.amount_column = "amt";
  o.amount_scale = (flags >> 2) & 3;
  if (flags & 16) o.delimiter = ';';
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  EventLog log;
  try {
    log = process::parse_log_csv(text, o, "fuzz");
  } catch (const error&) {
    return 0;  // rejected with a quotaflow error: fine
  }
  check_well_formed(log);
  EventLog back;
  const std::string csv = to_csv(log, o);
  try {
    back = process::parse_log_csv(csv, o, "round trip");
  } catch (const error& e) {
    std::fprintf(stderr, "the written log does not parse: %s\n%s\n", e.what(), csv.c_str());
    std::abort();
  }
  check_well_formed(back);
  check_same(log, back);
  return 0;
}
