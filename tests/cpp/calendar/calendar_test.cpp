// Business calendar: construction, working days, add_working_days, elapsed_fraction.
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "quotaflow/calendar/calendar.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {
Date D(const char* s) { return date_from_string(s); }

// Week of Monday 2025-10-06 .. Sunday 2025-10-12.
const Date kMon = D("2025-10-06"), kTue = kMon + 1, kWed = kMon + 2, kFri = kMon + 4, kSat = kMon + 5, kSun = kMon + 6;
}  // namespace

// ---- plain calendar --------------------------------------------------------------------------

TEST(PlainCalendar, Defaults) {
  Calendar cal;
  EXPECT_EQ(cal.weekend_mask(), weekend_sat_sun);
  EXPECT_EQ(cal.fiscal_year_start_month(), 1);
  EXPECT_EQ(cal.valid_from(), min_supported_date);
  EXPECT_EQ(cal.valid_until(), max_supported_date + 1);
  EXPECT_TRUE(cal.holidays().empty());
  EXPECT_TRUE(cal.workdays().empty());
  Calendar plain = Calendar::preset("plain");
  EXPECT_EQ(plain.valid_from(), cal.valid_from());
  EXPECT_EQ(plain.valid_until(), cal.valid_until());
  EXPECT_EQ(plain.weekend_mask(), cal.weekend_mask());
}

TEST(PlainCalendar, IsWorkingDay) {
  Calendar cal;
  ASSERT_EQ(iso_weekday(kMon), 0);
  for (Date d = kMon; d <= kFri; ++d) EXPECT_TRUE(cal.is_working_day(d)) << date_to_string(d);
  EXPECT_FALSE(cal.is_working_day(kSat));
  EXPECT_FALSE(cal.is_working_day(kSun));
  EXPECT_TRUE(cal.is_working_day(min_supported_date));   // Monday 1900-01-01
  EXPECT_TRUE(cal.is_working_day(max_supported_date));   // Tuesday 2199-12-31
}

TEST(PlainCalendar, WorkingDaysHandWorked) {
  Calendar cal;
  EXPECT_EQ(cal.working_days(kMon, kMon + 7), 5);
  EXPECT_EQ(cal.working_days(kMon, kMon), 0);
  EXPECT_EQ(cal.working_days(kSat, kSat), 0);
  EXPECT_EQ(cal.working_days(kSat, kMon + 7), 0);
  EXPECT_EQ(cal.working_days(kFri, kMon + 7), 1);
  EXPECT_EQ(cal.working_days(kWed, kWed + 1), 1);
  EXPECT_EQ(cal.working_days(kMon, kMon + 28), 20);
  EXPECT_EQ(cal.working_days(D("2025-01-01"), D("2026-01-01")), 261);
  EXPECT_EQ(cal.working_days(D("2024-01-01"), D("2025-01-01")), 262);
  EXPECT_EQ(cal.working_days(min_supported_date, max_supported_date + 1), 78267);
}

TEST(PlainCalendar, WorkingDaysEndBeforeStartNamesEnd) {
  Calendar cal;
  EXPECT_QF_ERROR(cal.working_days(kWed, kMon), errc::invalid_argument, "end", "2025-10-06", "before start",
                  "2025-10-08");
}

TEST(PlainCalendar, WorkingDaysOutOfSupportedRange) {
  Calendar cal;
  EXPECT_QF_ERROR(cal.working_days(min_supported_date - 1, kMon), errc::out_of_range, "start");
  EXPECT_QF_ERROR(cal.working_days(kMon, max_supported_date + 2), errc::out_of_range, "end");
  EXPECT_NO_THROW((void)cal.working_days(kMon, max_supported_date + 1));
  EXPECT_QF_ERROR(cal.is_working_day(max_supported_date + 1), errc::out_of_range, "date");
  EXPECT_QF_ERROR(cal.is_working_day(-100000), errc::out_of_range, "date");
}

TEST(PlainCalendar, AddWorkingDaysAcrossWeekends) {
  Calendar cal;
  EXPECT_EQ(cal.add_working_days(kFri, 1), kMon + 7);
  EXPECT_EQ(cal.add_working_days(kFri, 2), kTue + 7);
  EXPECT_EQ(cal.add_working_days(kMon, 5), kMon + 7);
  EXPECT_EQ(cal.add_working_days(kMon, 10), kMon + 14);
  EXPECT_EQ(cal.add_working_days(kMon, -1), kFri - 7);
  EXPECT_EQ(cal.add_working_days(kMon, -5), kMon - 7);
  EXPECT_EQ(cal.add_working_days(kTue, -1), kMon);
  EXPECT_EQ(cal.add_working_days(kSat, 1), kMon + 7);
  EXPECT_EQ(cal.add_working_days(kSun, 1), kMon + 7);
  EXPECT_EQ(cal.add_working_days(kSat, -1), kFri);
  EXPECT_EQ(cal.add_working_days(kSun, -1), kFri);
  EXPECT_EQ(cal.add_working_days(kSun, -5), kMon);
}

TEST(PlainCalendar, AddZeroWorkingDays) {
  Calendar cal;
  EXPECT_EQ(cal.add_working_days(kWed, 0), kWed);
  EXPECT_EQ(cal.add_working_days(kFri, 0), kFri);
  EXPECT_EQ(cal.add_working_days(kSat, 0), kMon + 7);
  EXPECT_EQ(cal.add_working_days(kSun, 0), kMon + 7);
}

TEST(PlainCalendar, AddWorkingDaysLeavingTheRange) {
  Calendar cal;
  EXPECT_QF_ERROR(cal.add_working_days(min_supported_date, -1), errc::out_of_range, "1900-01-01", "valid range");
  EXPECT_QF_ERROR(cal.add_working_days(max_supported_date, 1), errc::out_of_range, "2199-12-31", "valid range");
  EXPECT_QF_ERROR(cal.add_working_days(kMon, 2000000000), errc::out_of_range);
  EXPECT_QF_ERROR(cal.add_working_days(kMon, -2000000000), errc::out_of_range);
  EXPECT_QF_ERROR(cal.add_working_days(kMon, INT32_MAX), errc::out_of_range);
  EXPECT_QF_ERROR(cal.add_working_days(kMon, INT32_MIN), errc::out_of_range);
  EXPECT_QF_ERROR(cal.add_working_days(max_supported_date + 1, 1), errc::out_of_range, "date");
  EXPECT_EQ(cal.add_working_days(min_supported_date + 1, -1), min_supported_date);
  EXPECT_EQ(cal.add_working_days(max_supported_date - 1, 1), max_supported_date);
}

TEST(PlainCalendar, ElapsedFractionHandWorked) {
  Calendar cal;
  const Date start = kMon, end = kMon + 7;
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, start - 10), 0.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, start - 1), 0.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, kMon), 0.2);  // as_of counts as elapsed
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, kTue), 0.4);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, kWed), 0.6);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, kFri), 1.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, kSat), 1.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, kSun), 1.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, end + 100), 1.0);
  // A range starting on a weekend: nothing elapses until Monday.
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(kSat, kSat + 7, kSun), 0.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(kSat, kSat + 7, kMon + 7), 0.2);
  // as_of is checked against the supported range only, not the calendar's valid range.
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(start, end, max_supported_date), 1.0);
}

TEST(PlainCalendar, ElapsedFractionWithoutWorkingDays) {
  Calendar cal;
  // Sat..Sun: no working days. 0 before its last day, 1 on or after it.
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(kSat, kSat + 2, kFri), 0.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(kSat, kSat + 2, kSat), 0.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(kSat, kSat + 2, kSun), 1.0);
  EXPECT_DOUBLE_EQ(cal.elapsed_fraction(kSat, kSat + 2, kSun + 5), 1.0);
}

TEST(PlainCalendar, ElapsedFractionErrors) {
  Calendar cal;
  EXPECT_QF_ERROR(cal.elapsed_fraction(kMon, kMon, kMon), errc::invalid_argument, "empty");
  EXPECT_QF_ERROR(cal.elapsed_fraction(kWed, kMon, kMon), errc::invalid_argument, "end");
  EXPECT_QF_ERROR(cal.elapsed_fraction(kMon, kWed, max_supported_date + 1), errc::out_of_range, "as_of");
  EXPECT_QF_ERROR(cal.elapsed_fraction(kMon, kWed, min_supported_date - 1), errc::out_of_range, "as_of");
}

TEST(PlainCalendar, ElapsedFractionIsMonotoneAndMatchesCounts) {
  Calendar cal;
  std::mt19937 rng(99);
  std::uniform_int_distribution<Date> start_dist(D("2000-01-01"), D("2050-01-01"));
  std::uniform_int_distribution<int> len_dist(1, 200);
  for (int i = 0; i < 300; ++i) {
    Date s = start_dist(rng), e = s + len_dist(rng);
    int32_t total = cal.working_days(s, e);
    double prev = 0.0;
    for (Date a = s - 2; a <= e + 1; ++a) {
      double f = cal.elapsed_fraction(s, e, a);
      ASSERT_GE(f, prev);
      ASSERT_GE(f, 0.0);
      ASSERT_LE(f, 1.0);
      if (total > 0 && a >= s && a < e) {
        ASSERT_DOUBLE_EQ(f, static_cast<double>(cal.working_days(s, a + 1)) / total);
      }
      prev = f;
    }
    ASSERT_DOUBLE_EQ(cal.elapsed_fraction(s, e, e - 1), 1.0);
  }
}

// ---- custom holidays and make-up working days -------------------------------------------------

TEST(CustomCalendar, HolidayAndMakeupDay) {
  const Date holiday = kWed;        // a weekday off
  const Date makeup = kSat;         // a Saturday worked
  std::vector<Date> holidays{holiday}, workdays{makeup};
  Calendar cal(CalendarOptions{}, holidays, workdays);
  EXPECT_FALSE(cal.is_working_day(holiday));
  EXPECT_TRUE(cal.is_working_day(makeup));
  EXPECT_FALSE(cal.is_working_day(kSun));
  EXPECT_EQ(cal.working_days(kMon, kMon + 7), 5);  // -1 holiday, +1 make-up Saturday
  EXPECT_EQ(cal.working_days(kMon, kSat), 4);
  EXPECT_EQ(cal.add_working_days(kTue, 1), kMon + 3);  // skips the Wednesday holiday
  EXPECT_EQ(cal.add_working_days(kFri, 1), kSat);       // the make-up Saturday
  EXPECT_EQ(cal.add_working_days(kSun, -1), kSat);
  EXPECT_EQ(cal.add_working_days(holiday, 0), kMon + 3);
  EXPECT_EQ(cal.holidays(), holidays);
  EXPECT_EQ(cal.workdays(), workdays);
}

TEST(CustomCalendar, RedundantEntriesChangeNothing) {
  // A holiday on a Sunday and a make-up day on a Tuesday leave the week as it was.
  std::vector<Date> holidays{kSun}, workdays{kTue};
  Calendar cal(CalendarOptions{}, holidays, workdays);
  Calendar plain;
  for (Date d = kMon - 14; d < kMon + 14; ++d) EXPECT_EQ(cal.is_working_day(d), plain.is_working_day(d));
}

TEST(CustomCalendar, ListsAreSortedDeduplicatedAndClippedToValidRange) {
  CalendarOptions o;
  o.valid_from = D("2025-01-01");
  o.valid_until = D("2026-01-01");
  std::vector<Date> holidays{D("2025-10-03"), D("2025-10-01"), D("2025-10-01"), D("2024-12-31"), D("2026-01-01")};
  Calendar cal(o, holidays, {});
  EXPECT_EQ(cal.holidays(), (std::vector<Date>{D("2025-10-01"), D("2025-10-03")}));
  EXPECT_EQ(cal.working_days(D("2025-01-01"), D("2026-01-01")), 261 - 2);
}

TEST(CustomCalendar, HolidayAndWorkdayOnSameDateIsAnError) {
  std::vector<Date> both{D("2025-10-01")};
  EXPECT_QF_ERROR(Calendar(CalendarOptions{}, both, both), errc::invalid_argument, "2025-10-01", "both");
}

TEST(CustomCalendar, DatesOutsideSupportedRangeNameTheirIndex) {
  std::vector<Date> holidays{kMon, kTue, max_supported_date + 5};
  EXPECT_QF_ERROR(Calendar(CalendarOptions{}, holidays, {}), errc::out_of_range, "holidays[2]");
  std::vector<Date> workdays{min_supported_date - 1};
  EXPECT_QF_ERROR(Calendar(CalendarOptions{}, {}, workdays), errc::out_of_range, "workdays[0]");
}

TEST(CustomCalendar, ValidRangeIsEnforced) {
  CalendarOptions o;
  o.valid_from = D("2025-01-01");
  o.valid_until = D("2026-01-01");
  Calendar cal(o, {}, {});
  EXPECT_EQ(cal.working_days(o.valid_from, o.valid_until), 261);
  EXPECT_QF_ERROR(cal.is_working_day(D("2024-12-31")), errc::out_of_range, "date", "2024-12-31", "valid range",
                  "2025-01-01..2025-12-31");
  EXPECT_QF_ERROR(cal.is_working_day(D("2026-01-01")), errc::out_of_range, "2026-01-01");
  EXPECT_QF_ERROR(cal.working_days(D("2024-12-31"), D("2025-02-01")), errc::out_of_range, "start");
  EXPECT_QF_ERROR(cal.working_days(D("2025-12-01"), D("2026-01-02")), errc::out_of_range, "end", "2026-01-02");
  EXPECT_QF_ERROR(cal.add_working_days(D("2025-12-31"), 1), errc::out_of_range, "valid range");
  EXPECT_QF_ERROR(cal.add_working_days(D("2025-01-01"), -1), errc::out_of_range, "valid range");
  EXPECT_EQ(cal.add_working_days(D("2025-01-01"), 0), D("2025-01-01"));
  EXPECT_EQ(cal.add_working_days(D("2025-12-31"), -261 + 1), D("2025-01-01"));
}

TEST(CustomCalendar, BadOptions) {
  CalendarOptions o;
  o.weekend_mask = 0x80;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::invalid_argument, "weekend_mask", "128");
  o.weekend_mask = 0x7f;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::invalid_argument, "weekend_mask", "127");
  o = {};
  o.fiscal_year_start_month = 0;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::invalid_argument, "fiscal_year_start_month", "0");
  o.fiscal_year_start_month = 13;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::invalid_argument, "fiscal_year_start_month", "13");
  o = {};
  o.valid_from = min_supported_date - 1;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::out_of_range, "valid_from");
  o = {};
  o.valid_from = D("2025-01-01");
  o.valid_until = o.valid_from;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::out_of_range, "valid_until");
  o.valid_until = max_supported_date + 2;
  EXPECT_QF_ERROR(Calendar(o, {}, {}), errc::out_of_range, "valid_until");
  o.valid_until = o.valid_from + 1;  // a one-day calendar is fine
  Calendar one(o, {}, {});
  EXPECT_EQ(one.working_days(o.valid_from, o.valid_until), 1);  // 2025-01-01 is a Wednesday
}

// ---- weekend masks ---------------------------------------------------------------------------

TEST(WeekendMask, FridaySaturday) {
  CalendarOptions o;
  o.weekend_mask = weekend_fri_sat;
  Calendar cal(o, {}, {});
  EXPECT_EQ(cal.weekend_mask(), weekend_fri_sat);
  EXPECT_TRUE(cal.is_working_day(kMon));
  EXPECT_TRUE(cal.is_working_day(kWed));
  EXPECT_FALSE(cal.is_working_day(kFri));
  EXPECT_FALSE(cal.is_working_day(kSat));
  EXPECT_TRUE(cal.is_working_day(kSun));
  EXPECT_EQ(cal.working_days(kMon, kMon + 7), 5);
  EXPECT_EQ(cal.add_working_days(kMon + 3, 1), kSun);  // Thursday -> Sunday
  EXPECT_EQ(cal.add_working_days(kSun, -1), kMon + 3);
  EXPECT_EQ(cal.add_working_days(kFri, 0), kSun);
}

TEST(WeekendMask, NoWeekendAndSingleDayWeekend) {
  CalendarOptions o;
  o.weekend_mask = weekend_none;
  Calendar all(o, {}, {});
  EXPECT_EQ(all.working_days(kMon, kMon + 7), 7);
  EXPECT_EQ(all.add_working_days(kMon, 10), kMon + 10);
  o.weekend_mask = 1u << 6;  // Sunday only
  Calendar six(o, {}, {});
  EXPECT_EQ(six.working_days(kMon, kMon + 7), 6);
  EXPECT_TRUE(six.is_working_day(kSat));
  EXPECT_FALSE(six.is_working_day(kSun));
}

TEST(WeekendMask, EveryMaskCountsItsDays) {
  for (unsigned mask = 0; mask < 0x7f; ++mask) {
    CalendarOptions o;
    o.weekend_mask = static_cast<uint8_t>(mask);
    o.valid_from = D("2025-01-01");
    o.valid_until = D("2026-01-01");
    Calendar cal(o, {}, {});
    int off = __builtin_popcount(mask);
    EXPECT_EQ(cal.working_days(kMon, kMon + 7), 7 - off) << mask;
    EXPECT_EQ(cal.working_days(kMon, kMon + 70), 10 * (7 - off)) << mask;
  }
}

// ---- add_working_days property -----------------------------------------------------------------

TEST(CalendarProperty, AddWorkingDaysAgreesWithWorkingDays) {
  std::mt19937 rng(2024);
  std::vector<Date> holidays, workdays;
  std::uniform_int_distribution<Date> any(D("2020-01-01"), D("2030-12-31"));
  for (int i = 0; i < 300; ++i) {
    Date d = any(rng);
    if (iso_weekday(d) >= 5) workdays.push_back(d);
    else holidays.push_back(d);
  }
  CalendarOptions o;
  o.valid_from = D("2020-01-01");
  o.valid_until = D("2031-01-01");
  Calendar cal(o, holidays, workdays);
  std::uniform_int_distribution<Date> mid(D("2022-01-01"), D("2028-12-31"));
  std::uniform_int_distribution<int32_t> nd(-300, 300);
  for (int i = 0; i < 5000; ++i) {
    Date d = mid(rng);
    int32_t n = nd(rng);
    Date r = cal.add_working_days(d, n);
    ASSERT_TRUE(cal.is_working_day(r)) << date_to_string(d) << " n=" << n;
    if (n > 0) {
      ASSERT_GT(r, d);
      ASSERT_EQ(cal.working_days(d + 1, r + 1), n);
    } else if (n < 0) {
      ASSERT_LT(r, d);
      ASSERT_EQ(cal.working_days(r, d), -n);
    } else {
      ASSERT_GE(r, d);
      ASSERT_EQ(cal.working_days(d, r), 0);
    }
  }
}
