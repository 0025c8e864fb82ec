// Dates as days since 1970-01-01 (int32_t), the form they take in bulk arrays and at the C ABI.
//
// Boost.Date_Time does the Gregorian arithmetic; callers only see plain integers.
//   Date d = date_from_string("2025-10-01");   // 20362
//   date_to_string(d) == "2025-10-01";  iso_weekday(d) == 2 (Wednesday; Monday is 0)
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <boost/date_time/gregorian/gregorian_types.hpp>

#include "quotaflow/core/error.hpp"

namespace quotaflow {

using Date = int32_t;  // days since 1970-01-01

struct YearMonthDay {
  int year;
  int month;  // 1..12
  int day;    // 1..31
  friend constexpr bool operator==(const YearMonthDay&, const YearMonthDay&) = default;
};

// The dates every calendar supports: 1900-01-01 .. 2199-12-31 inclusive.
inline constexpr Date min_supported_date = -25567;  // 1900-01-01
inline constexpr Date max_supported_date = 84005;   // 2199-12-31

namespace detail {
inline const boost::gregorian::date& epoch() {
  static const boost::gregorian::date e(1970, 1, 1);
  return e;
}
inline bool valid_ymd(int y, int m, int d) {
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return false;
  return d <= boost::gregorian::gregorian_calendar::end_of_month_day(static_cast<unsigned short>(y),
                                                                      static_cast<unsigned short>(m));
}
}  // namespace detail

inline std::string date_to_string(Date d);

// Throws errc::out_of_range naming `what` when d is outside the supported range.
inline void check_date(Date d, std::string_view what) {
  if (d < min_supported_date || d > max_supported_date)
    fail(errc::out_of_range, what, " is ", d, " days since 1970-01-01, outside the supported range ",
         "1900-01-01..2199-12-31");
}

// A day that does not exist is errc::invalid_argument; a year outside 1900..2199 errc::out_of_range.
inline Date date_from_ymd(int year, int month, int day) {
  if (!detail::valid_ymd(year, month, day)) {
    if (year < 1900 || year > 2199)
      fail(errc::out_of_range, "date ", year, '-', month, '-', day, " is outside the supported range 1900-01-01..2199-12-31");
    fail(errc::invalid_argument, "date ", year, '-', month, '-', day, " is not a valid date");
  }
  boost::gregorian::date g(static_cast<unsigned short>(year), static_cast<unsigned short>(month),
                           static_cast<unsigned short>(day));
  return static_cast<Date>((g - detail::epoch()).days());
}

inline YearMonthDay date_to_ymd(Date d) {
  check_date(d, "date");
  auto ymd = (detail::epoch() + boost::gregorian::date_duration(d)).year_month_day();
  return {static_cast<int>(ymd.year), static_cast<int>(ymd.month), static_cast<int>(ymd.day)};
}

// ISO weekday: Monday = 0 .. Sunday = 6. 1970-01-01 was a Thursday.
constexpr int iso_weekday(Date d) noexcept {
  int r = (d + 3) % 7;
  return r < 0 ? r + 7 : r;
}

// Parses "YYYY-MM-DD" (also "YYYY/MM/DD" and "YYYYMMDD"). Malformed text or a day that does not
// exist ("2025-02-29") is errc::parse_error; a year outside 1900..2199 is errc::out_of_range.
inline Date date_from_string(std::string_view s) {
  auto digits = [&](size_t pos, size_t n, int& out) {
    if (pos + n > s.size()) return false;
    out = 0;
    for (size_t i = pos; i < pos + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, m = 0, d = 0;
  bool ok = false;
  if (s.size() == 10 && (s[4] == '-' || s[4] == '/') && s[7] == s[4])
    ok = digits(0, 4, y) && digits(5, 2, m) && digits(8, 2, d);
  else if (s.size() == 8)
    ok = digits(0, 4, y) && digits(4, 2, m) && digits(6, 2, d);
  if (!ok) fail(errc::parse_error, "date \"", std::string(s), "\" is not in YYYY-MM-DD form");
  if (y < 1900 || y > 2199)
    fail(errc::out_of_range, "date \"", std::string(s), "\" is outside the supported range 1900-01-01..2199-12-31");
  if (!detail::valid_ymd(y, m, d)) fail(errc::parse_error, "date \"", std::string(s), "\" is not a valid date");
  return date_from_ymd(y, m, d);
}

inline std::string date_to_string(Date d) {
  YearMonthDay ymd = date_to_ymd(d);
  char buf[40];  // room for any three ints, so the compiler can see nothing is truncated
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", ymd.year, ymd.month, ymd.day);
  return buf;
}

// Human form of a date for error messages: "2025-10-01" when supported, else the raw day count.
inline std::string describe_date(Date d) {
  if (d < min_supported_date || d > max_supported_date) return std::to_string(d) + " (days since 1970-01-01)";
  return date_to_string(d);
}

}  // namespace quotaflow
