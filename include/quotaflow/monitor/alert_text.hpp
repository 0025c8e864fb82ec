// Plain-language pieces shared by the monitor's rule detectors: compact amounts ("1.32M"),
// percentages ("22.0%"), entity labels (a name, or "#<id>" without names), and the argument
// checks every detector repeats (lengths, ids, probabilities, dates inside a calendar).
//
// Why one place: an alert message is read by a sales manager, not a developer, so every detector
// must say amounts and shares the same way; and a bad column must be reported with the same
// wording whichever detector receives it ("amount[3] is NaN" style, naming argument and value).
//   compact_amount(132'000'000, 2) == "1.32M";  percent(0.2215) == "22.2%";  label({}, 7) == "#7"
//
// Thread rule: pure functions.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

#include <gsl/span>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/monitor/alert.hpp"

namespace quotaflow::monitor {

// An amount of minor units at `scale` decimals in compact major units: below 1000 as is (up to
// two decimals, trailing zeros dropped), then K, M, B, T with at most two decimals:
//   compact_amount(132000000, 2) == "1.32M";  compact_amount(-95050, 2) == "-950.5";  (0, 2) == "0"
inline std::string compact_amount(int64_t minor, int scale = 0) {
  double v = static_cast<double>(minor);
  for (int i = 0; i < scale; ++i) v /= 10;
  const char* suffix = "";
  static constexpr const char* suffixes[] = {"K", "M", "B", "T"};
  for (const char* s : suffixes) {
    if (std::fabs(v) < 999.995) break;
    v /= 1000;
    suffix = s;
  }
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string out = buf;
  if (out.find('.') != std::string::npos) {
    while (out.back() == '0') out.pop_back();
    if (out.back() == '.') out.pop_back();
  }
  if (out == "-0") out = "0";
  return out + suffix;
}

// A share as a percentage with `decimals` decimals: percent(0.2215) == "22.2%"; NaN gives "n/a".
inline std::string percent(double share, int decimals = 1) {
  if (std::isnan(share)) return "n/a";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f%%", decimals, share * 100.0);
  return buf;
}

// A number as short text: integers without decimals, others with up to two ("2.5", "28").
inline std::string number_text(double v) {
  char buf[48];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string out = buf;
  while (out.back() == '0') out.pop_back();
  if (out.back() == '.') out.pop_back();
  return out;
}

// The entity's name when names are given, else "#<id>": label({}, 7) == "#7".
inline std::string label(gsl::span<const std::string> names, int64_t id) {
  if (id >= 0 && static_cast<uint64_t>(id) < names.size()) return names[static_cast<size_t>(id)];
  return "#" + std::to_string(id);
}

// Builds a message from pieces (the same rules as fail()): message("Deal ", name, ": ", 3, " days").
template <class... Parts>
std::string message(const Parts&... parts) {
  std::string s;
  (quotaflow::detail::append_piece(s, parts), ...);
  return s;
}

// One alert, every field named by position (the detectors' single way to build one).
//   make_alert(Rule::case_late, Severity::warning, EntityKind::case_, 3, -1, day, 1.5, 0, "Case #3: ...")
inline Alert make_alert(Rule rule, Severity severity, EntityKind kind, int64_t entity, int64_t related, int32_t period,
                        double observed, double expected, std::string text) {
  Alert a;
  a.rule = rule;
  a.severity = severity;
  a.entity_kind = kind;
  a.entity = entity;
  a.related = related;
  a.period = period;
  a.observed = observed;
  a.expected = expected;
  a.message = std::move(text);
  return a;
}

namespace detail {

// Every column of a detector has the length of the first one.
inline void check_length(size_t got, size_t expected, const char* name, const char* first) {
  if (got != expected)
    fail(errc::invalid_argument, "length mismatch: ", first, " has ", expected, " elements, ", name, " has ", got);
}

// An optional column (names, flags): empty, or one element per entity.
inline void check_optional_length(size_t got, size_t expected, const char* name, const char* what) {
  if (got != 0 && got != expected)
    fail(errc::invalid_argument, "length mismatch: ", name, " has ", got, " elements; expected 0 or one per ", what, " (",
         expected, ")");
}

// An id column entry naming one of `count` things ("location[3] is 99; expected a node id in 0..19").
inline void check_id(int64_t id, size_t count, const char* name, size_t i, const char* what) {
  if (id < 0 || static_cast<uint64_t>(id) >= count)
    fail(errc::not_found, name, "[", i, "] is ", id, "; expected ", what, " in 0..", static_cast<int64_t>(count) - 1);
}

inline void check_probability(double p, const char* name, size_t i) {
  if (std::isnan(p)) fail(errc::invalid_argument, name, "[", i, "] is NaN");
  if (!(p >= 0 && p <= 1)) fail(errc::invalid_argument, name, "[", i, "] is ", p, "; a probability must be in [0, 1]");
}

inline void check_finite(double v, const char* name, size_t i) {
  if (std::isnan(v)) fail(errc::invalid_argument, name, "[", i, "] is NaN");
  if (!std::isfinite(v)) fail(errc::invalid_argument, name, "[", i, "] is ", v, "; it must be finite");
}

inline void check_finite_nonneg(double v, const char* name) {
  if (!std::isfinite(v) || v < 0) fail(errc::invalid_argument, name, " is ", v, "; it must be finite and >= 0");
}

// A date the calendar can count from (working days need the calendar's valid range).
inline void check_in_calendar(const Calendar& cal, Date d, const char* name, size_t i) {
  if (d < cal.valid_from() || d >= cal.valid_until())
    fail(errc::out_of_range, name, "[", i, "] is ", describe_date(d), ", outside the calendar's valid range ",
         describe_date(cal.valid_from()), "..", describe_date(cal.valid_until() - 1));
}
inline void check_in_calendar(const Calendar& cal, Date d, const char* name) {
  if (d < cal.valid_from() || d >= cal.valid_until())
    fail(errc::out_of_range, name, " is ", describe_date(d), ", outside the calendar's valid range ",
         describe_date(cal.valid_from()), "..", describe_date(cal.valid_until() - 1));
}
}  // namespace detail

}  // namespace quotaflow::monitor
