// Printing and writing the results of a conformance check (shared by `quotaflow process check`
// and the demo).
#pragma once

#include <cstdio>
#include <ostream>
#include <string>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/process/check.hpp"

namespace quotaflow::cli {

// "2026-01-28T12:15:00" (UTC) from ns since the epoch; "" for none.
inline std::string iso_time(int64_t ns) {
  if (ns == process::nat_ns) return "";
  const int64_t day_ns = 86'400'000'000'000;
  int64_t day = ns >= 0 ? ns / day_ns : -((-ns + day_ns - 1) / day_ns);
  const int64_t secs = (ns - day * day_ns) / 1'000'000'000;
  char buf[16];
  std::snprintf(buf, sizeof buf, "T%02d:%02d:%02d", static_cast<int>(secs / 3600), static_cast<int>(secs / 60 % 60),
                static_cast<int>(secs % 60));
  return date_to_string(static_cast<Date>(day)) + buf;
}

// Cases, fitting share, deviations by kind and the most frequent deviating paths.
inline void print_check_summary(const process::CheckResult& r) {
  const auto& s = r.summary();
  std::printf("%lld cases: %lld fitting (%.1f%%), %lld conforming (%.1f%%), mean fitness %.4f\n",
              static_cast<long long>(s.cases), static_cast<long long>(s.fitting_cases), 100 * s.fitting_share(),
              static_cast<long long>(s.conforming_cases), 100 * s.conforming_share(), s.mean_fitness);
  std::printf("Deviations by kind:\n");
  for (int k = 0; k < process::num_deviation_kinds; ++k) {
    const auto kind = static_cast<process::DeviationKind>(k);
    if (s.count(kind) == 0) continue;
    std::printf("  %-26s %8lld%s\n", std::string(process::deviation_kind_name(kind)).c_str(),
                static_cast<long long>(s.count(kind)), kind == process::DeviationKind::rework ? "  (allowed)" : "");
  }
  if (!s.top_paths.empty()) std::printf("Most frequent deviating paths:\n");
  for (size_t i = 0; i < s.top_paths.size(); ++i)
    std::printf("  %6lld  %s\n", static_cast<long long>(s.top_paths[i].cases), r.path_text(i).c_str());
}

// One line per deviation: case, kind, time, message.
template <class CaseName>
void print_deviation(const process::CheckResult& r, size_t i, CaseName&& case_name) {
  const process::Deviation& d = r.deviations()[i];
  const int64_t t = d.second_time != process::nat_ns ? d.second_time : d.first_time;
  std::printf("  %-10s %-26s %-19s %s\n", case_name(d.case_index).c_str(), std::string(process::deviation_kind_name(d.kind)).c_str(),
              iso_time(t).c_str(), r.message(i).c_str());
}

inline std::string csv_quote(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char ch : s) out += ch == '"' ? std::string("\"\"") : std::string(1, ch);
  return out + "\"";
}

// Deviations as CSV: case,kind,stage,first_position,second_position,first_activity,
// second_activity,first_time,second_time,value,limit,message.
template <class CaseName>
void write_deviations_csv(std::ostream& out, const process::CheckResult& r, const std::vector<std::string>& activity_names,
                          CaseName&& case_name) {
  out << "case,kind,stage,first_position,second_position,first_activity,second_activity,first_time,second_time,value,limit,"
         "message\n";
  auto act = [&](int32_t a) { return a < 0 ? std::string() : csv_quote(activity_names[static_cast<size_t>(a)]); };
  auto num = [](double v) {
    if (!process::is_set(v)) return std::string();
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return std::string(buf);
  };
  for (size_t i = 0; i < r.deviations().size(); ++i) {
    const process::Deviation& d = r.deviations()[i];
    out << csv_quote(case_name(d.case_index)) << ',' << process::deviation_kind_name(d.kind) << ','
        << (d.stage >= 0 ? csv_quote(r.model().stage_name(d.stage)) : std::string()) << ',' << d.first_position << ','
        << d.second_position << ',' << act(d.first_activity) << ',' << act(d.second_activity) << ',' << iso_time(d.first_time)
        << ',' << iso_time(d.second_time) << ',' << num(d.value) << ',' << num(d.limit) << ',' << csv_quote(r.message(i)) << '\n';
  }
}

}  // namespace quotaflow::cli
