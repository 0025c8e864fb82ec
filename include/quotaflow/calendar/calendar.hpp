// Business calendar: which days are worked, and period arithmetic over working days.
//
// A calendar is weekend days + holidays (dates not worked) + make-up working days (weekend dates
// that are worked, as China's State Council announces each year) + a fiscal year start month.
// It is built once into a prefix count of working days over its valid range, so every count is
// two array reads: O(1) per query, which bulk operations run over whole date columns.
//   Calendar cal = Calendar::preset("CN");
//   cal.working_days(date_from_string("2025-01-01"), date_from_string("2026-01-01")) == 248
//
// Thread rule: a built Calendar is immutable; share it freely across threads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/calendar/grain.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {

// Weekend masks: bit i set means ISO weekday i (Monday = 0 .. Sunday = 6) is not worked.
inline constexpr uint8_t weekend_none = 0;
inline constexpr uint8_t weekend_sat_sun = (1u << 5) | (1u << 6);
inline constexpr uint8_t weekend_fri_sat = (1u << 4) | (1u << 5);

struct CalendarOptions {
  uint8_t weekend_mask = weekend_sat_sun;
  int fiscal_year_start_month = 1;  // 1..12; 4 = April (Japan, India), 7 = July, 10 = October
  // Range the calendar answers for: [valid_from, valid_until). Queries outside it are errors, so
  // a calendar whose holidays are known only for some years never answers silently for others.
  Date valid_from = min_supported_date;
  Date valid_until = max_supported_date + 1;
};

class Calendar {
 public:
  // Weekends only (Sat+Sun), January fiscal year, the whole supported range.
  Calendar() : Calendar(CalendarOptions{}, {}, {}) {}

  // Holidays and make-up working days outside [valid_from, valid_until) are ignored; a date
  // listed as both a holiday and a make-up working day is an error.
  Calendar(const CalendarOptions& options, gsl::span<const Date> holidays, gsl::span<const Date> workdays)
      : opt_(options) {
    if (opt_.weekend_mask > 0x7f)
      fail(errc::invalid_argument, "weekend_mask is ", int(opt_.weekend_mask), "; only bits 0..6 (Mon..Sun) may be set");
    if (opt_.weekend_mask == 0x7f) fail(errc::invalid_argument, "weekend_mask is 127: every weekday is a weekend, no day could be worked");
    if (opt_.fiscal_year_start_month < 1 || opt_.fiscal_year_start_month > 12)
      fail(errc::invalid_argument, "fiscal_year_start_month is ", opt_.fiscal_year_start_month, "; it must be 1..12");
    check_date(opt_.valid_from, "valid_from");
    if (opt_.valid_until < opt_.valid_from + 1 || opt_.valid_until > max_supported_date + 1)
      fail(errc::out_of_range, "valid_until is ", describe_date(opt_.valid_until), "; it must be after valid_from (",
           describe_date(opt_.valid_from), ") and at most 2200-01-01");
    holidays_ = collect(holidays, "holidays");
    workdays_ = collect(workdays, "workdays");
    for (Date d : holidays_)
      if (std::binary_search(workdays_.begin(), workdays_.end(), d))
        fail(errc::invalid_argument, "date ", date_to_string(d), " is listed both as a holiday and as a make-up working day");

    const size_t n = static_cast<size_t>(opt_.valid_until - opt_.valid_from);
    std::vector<uint8_t> working(n);
    for (size_t i = 0; i < n; ++i)
      working[i] = !((opt_.weekend_mask >> iso_weekday(opt_.valid_from + static_cast<Date>(i))) & 1u);
    for (Date d : holidays_) working[static_cast<size_t>(d - opt_.valid_from)] = 0;
    for (Date d : workdays_) working[static_cast<size_t>(d - opt_.valid_from)] = 1;
    prefix_.resize(n + 1);
    prefix_[0] = 0;
    for (size_t i = 0; i < n; ++i) prefix_[i + 1] = prefix_[i] + working[i];
    working_dates_.reserve(static_cast<size_t>(prefix_[n]));
    for (size_t i = 0; i < n; ++i)
      if (working[i]) working_dates_.push_back(opt_.valid_from + static_cast<Date>(i));
  }

  // Built-in calendars: "plain" (Sat+Sun weekends) and "CN" (China's official holidays and
  // make-up working days 2007-2026; valid for 2007-01-01..2026-12-31). Unknown: errc::not_found.
  static Calendar preset(std::string_view name);

  // --- what the calendar is -------------------------------------------------------------------
  [[nodiscard]] const CalendarOptions& options() const noexcept { return opt_; }
  [[nodiscard]] uint8_t weekend_mask() const noexcept { return opt_.weekend_mask; }
  [[nodiscard]] int fiscal_year_start_month() const noexcept { return opt_.fiscal_year_start_month; }
  [[nodiscard]] Date valid_from() const noexcept { return opt_.valid_from; }
  [[nodiscard]] Date valid_until() const noexcept { return opt_.valid_until; }
  // Sorted, deduplicated, within the valid range.
  [[nodiscard]] const std::vector<Date>& holidays() const noexcept { return holidays_; }
  [[nodiscard]] const std::vector<Date>& workdays() const noexcept { return workdays_; }

  // --- single queries --------------------------------------------------------------------------
  [[nodiscard]] bool is_working_day(Date d) const {
    check_in_range(d, "date");
    return prefix_[idx(d) + 1] != prefix_[idx(d)];
  }

  // Working days in the half-open range [start, end). end < start is an error.
  [[nodiscard]] int32_t working_days(Date start, Date end) const {
    check_range(start, end);
    return prefix_[idx(end)] - prefix_[idx(start)];
  }

  // n >= 1: the n-th working day after `date`; n <= -1: the |n|-th working day before it;
  // n == 0: `date` itself when worked, else the next working day.
  //   cal.add_working_days(friday, 1) == next Monday (on a plain calendar)
  [[nodiscard]] Date add_working_days(Date date, int32_t n) const {
    check_in_range(date, "date");
    if (n == 0) return is_working_day(date) ? date : add_working_days(date, 1);
    // For a working day x, prefix[x+1] is the count through x, so the answer is the
    // target-th working day of the valid range: one array read.
    int64_t target = n > 0 ? int64_t{prefix_[idx(date) + 1]} + n : int64_t{prefix_[idx(date)]} + n + 1;
    if (target < 1 || target > prefix_.back())
      fail(errc::out_of_range, "adding ", n, " working days to ", date_to_string(date), " leaves the calendar's valid range ",
           date_to_string(opt_.valid_from), "..", date_to_string(opt_.valid_until - 1));
    return working_dates_[static_cast<size_t>(target - 1)];
  }

  // Share of the working days of [start, end) elapsed by the end of `as_of` (as_of counts as
  // elapsed). 0 before start, 1 from the last day on. A range without working days gives 0 before
  // its last day and 1 on or after it.
  [[nodiscard]] double elapsed_fraction(Date start, Date end, Date as_of) const {
    check_range(start, end);
    check_date(as_of, "as_of");
    if (end == start) fail(errc::invalid_argument, "range ", date_to_string(start), "..", date_to_string(end), " is empty");
    int32_t total = prefix_[idx(end)] - prefix_[idx(start)];
    Date upto = std::clamp<Date>(as_of + 1, start, end);
    if (total == 0) return as_of >= end - 1 ? 1.0 : 0.0;
    return static_cast<double>(prefix_[idx(upto)] - prefix_[idx(start)]) / total;
  }

  // The periods of [start, end) at a grain, each clipped to the range, with its working days.
  // Year, half and quarter follow the fiscal year start; weeks are ISO weeks (Monday start).
  [[nodiscard]] std::vector<Period> periods(Date start, Date end, Grain grain) const {
    check_range(start, end);
    std::vector<Period> out;
    for (Date s = start; s < end;) {
      Date e = std::min(next_period_start(s, grain), end);
      out.push_back({s, e, prefix_[idx(e)] - prefix_[idx(s)]});
      s = e;
    }
    return out;
  }

  // Start of the period containing d, and of the one after it (not clipped to any range).
  [[nodiscard]] Date period_start(Date d, Grain grain) const { return bounds(d, grain).first; }
  [[nodiscard]] Date next_period_start(Date d, Grain grain) const { return bounds(d, grain).second; }

  // Label of the period containing d: "2025", "2025-H1", "2025-Q3", "2025-07", "2025-W27",
  // "2025-07-01". With a fiscal year not starting in January, years, halves and quarters are
  // named after the calendar year the fiscal year ends in: "FY2026", "FY2026-Q1".
  [[nodiscard]] std::string period_label(Date d, Grain grain) const {
    check_date(d, "date");
    char buf[48];
    const int f = opt_.fiscal_year_start_month;
    const char* fy = f == 1 ? "" : "FY";
    auto ymd = date_to_ymd(d);
    int mi = ymd.year * 12 + ymd.month - 1;
    int off = mi - (f - 1);
    int fy_start = floor_div(off, 12) * 12 + (f - 1);
    int fy_name = (fy_start + 11) / 12;  // calendar year of the fiscal year's last month
    switch (grain) {
      case Grain::year: std::snprintf(buf, sizeof buf, "%s%04d", fy, fy_name); break;
      case Grain::half: std::snprintf(buf, sizeof buf, "%s%04d-H%d", fy, fy_name, (mi - fy_start) / 6 + 1); break;
      case Grain::quarter: std::snprintf(buf, sizeof buf, "%s%04d-Q%d", fy, fy_name, (mi - fy_start) / 3 + 1); break;
      case Grain::month: std::snprintf(buf, sizeof buf, "%04d-%02d", ymd.year, ymd.month); break;
      case Grain::week: {
        // An ISO week belongs to the year of its Thursday, which may lie just outside the
        // supported range (2199-12-30 is in 2200-W01), so Boost computes it directly.
        Date thursday = d - iso_weekday(d) + 3;
        int year = (detail::epoch() + boost::gregorian::date_duration(thursday)).year();
        std::snprintf(buf, sizeof buf, "%04d-W%02d", year, (thursday - detail_days(year, 1, 1)) / 7 + 1);
        break;
      }
      case Grain::day: return date_to_string(d);
    }
    return buf;
  }

  // --- bulk queries over date columns (out must have the inputs' length) -----------------------
  void is_working_day(gsl::span<const Date> dates, gsl::span<uint8_t> out) const {
    check_lengths(dates.size(), out.size(), "dates", "out");
    for (size_t i = 0; i < dates.size(); ++i) {
      Date d = dates[i];
      if (d < opt_.valid_from || d >= opt_.valid_until) check_in_range(d, indexed("dates", i).c_str());
      out[i] = prefix_[idx(d) + 1] != prefix_[idx(d)];
    }
  }

  void working_days(gsl::span<const Date> starts, gsl::span<const Date> ends, gsl::span<int32_t> out) const {
    check_lengths(starts.size(), ends.size(), "starts", "ends");
    check_lengths(starts.size(), out.size(), "starts", "out");
    const Date lo = opt_.valid_from, hi = opt_.valid_until;
    const int32_t* p = prefix_.data();
    for (size_t i = 0; i < starts.size(); ++i) {
      Date s = starts[i], e = ends[i];
      // One branch guards the fast path; the slow path only builds the error message.
      if (s < lo || e > hi || e < s) check_range(s, e, i);
      out[i] = p[e - lo] - p[s - lo];
    }
  }

  void add_working_days(gsl::span<const Date> dates, gsl::span<const int32_t> n, gsl::span<Date> out) const {
    check_lengths(dates.size(), n.size(), "dates", "n");
    check_lengths(dates.size(), out.size(), "dates", "out");
    for (size_t i = 0; i < dates.size(); ++i) {
      if (dates[i] < opt_.valid_from || dates[i] >= opt_.valid_until) check_in_range(dates[i], indexed("dates", i).c_str());
      try {
        out[i] = add_working_days(dates[i], n[i]);
      } catch (const error& e) {
        fail(e.code(), indexed("dates", i), ": ", e.what());
      }
    }
  }

  void elapsed_fraction(gsl::span<const Date> starts, gsl::span<const Date> ends, gsl::span<const Date> as_of,
                        gsl::span<double> out) const {
    check_lengths(starts.size(), ends.size(), "starts", "ends");
    check_lengths(starts.size(), as_of.size(), "starts", "as_of");
    check_lengths(starts.size(), out.size(), "starts", "out");
    for (size_t i = 0; i < starts.size(); ++i) {
      if (starts[i] < opt_.valid_from || ends[i] > opt_.valid_until || ends[i] <= starts[i]) {
        check_range(starts[i], ends[i], i);
        if (ends[i] == starts[i]) fail(errc::invalid_argument, "range ", i, " (", date_to_string(starts[i]), "..", date_to_string(ends[i]), ") is empty");
      }
      if (as_of[i] < min_supported_date || as_of[i] > max_supported_date) check_date(as_of[i], indexed("as_of", i));
      out[i] = elapsed_fraction(starts[i], ends[i], as_of[i]);
    }
  }

 private:
  CalendarOptions opt_;
  std::vector<Date> holidays_, workdays_;
  std::vector<int32_t> prefix_;  // prefix_[i] = working days in [valid_from, valid_from + i)
  std::vector<Date> working_dates_;  // the k-th working day of the range is working_dates_[k]

  size_t idx(Date d) const noexcept { return static_cast<size_t>(d - opt_.valid_from); }

  static int floor_div(int a, int b) noexcept { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  static Date detail_days(int y, int m, int d) {
    // Boost supports 1400..9999, so period bounds just outside 1900..2199 still compute.
    boost::gregorian::date g(static_cast<unsigned short>(y), static_cast<unsigned short>(m), static_cast<unsigned short>(d));
    return static_cast<Date>((g - detail::epoch()).days());
  }

  static std::string indexed(const char* name, size_t i) { return std::string(name) + "[" + std::to_string(i) + "]"; }

  std::vector<Date> collect(gsl::span<const Date> dates, const char* name) const {
    std::vector<Date> out;
    out.reserve(dates.size());
    for (size_t i = 0; i < dates.size(); ++i) {
      check_date(dates[i], indexed(name, i));
      if (dates[i] >= opt_.valid_from && dates[i] < opt_.valid_until) out.push_back(dates[i]);
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  void check_in_range(Date d, std::string_view what) const {
    check_date(d, what);
    if (d < opt_.valid_from || d >= opt_.valid_until)
      fail(errc::out_of_range, what, " ", date_to_string(d), " is outside the calendar's valid range ",
           date_to_string(opt_.valid_from), "..", date_to_string(opt_.valid_until - 1));
  }

  void check_range(Date start, Date end, size_t i = static_cast<size_t>(-1)) const {
    // start may equal valid_until only for the empty range at the very end, as in the bulk path.
    if (start >= opt_.valid_from && end >= start && end <= opt_.valid_until) return;
    const bool bulk = i != static_cast<size_t>(-1);
    std::string s = bulk ? indexed("starts", i) : "start", e = bulk ? indexed("ends", i) : "end";
    if (start != opt_.valid_until || end != start) check_in_range(start, s);
    if (end < start) fail(errc::invalid_argument, e, " (", describe_date(end), ") is before ", s, " (", date_to_string(start), ")");
    if (end > opt_.valid_until) {
      check_date(end - 1, e);
      fail(errc::out_of_range, e, " ", date_to_string(end), " (exclusive) is beyond the calendar's valid range ",
           date_to_string(opt_.valid_from), "..", date_to_string(opt_.valid_until - 1));
    }
  }

  static void check_lengths(size_t a, size_t b, const char* an, const char* bn) {
    if (a != b) fail(errc::invalid_argument, "length mismatch: ", an, " has ", a, " elements, ", bn, " has ", b);
  }

  std::pair<Date, Date> bounds(Date d, Grain grain) const {
    check_date(d, "date");
    if (grain == Grain::day) return {d, d + 1};
    if (grain == Grain::week) {
      Date s = d - iso_weekday(d);
      return {s, s + 7};
    }
    auto ymd = date_to_ymd(d);
    int mi = ymd.year * 12 + ymd.month - 1;
    int len = grain == Grain::month ? 1 : grain == Grain::quarter ? 3 : grain == Grain::half ? 6 : 12;
    int start_mi = mi;
    if (len > 1) {
      int f = opt_.fiscal_year_start_month - 1;
      start_mi = floor_div(mi - f, len) * len + f;
    }
    int end_mi = start_mi + len;
    return {detail_days(start_mi / 12, start_mi % 12 + 1, 1), detail_days(end_mi / 12, end_mi % 12 + 1, 1)};
  }
};

}  // namespace quotaflow
