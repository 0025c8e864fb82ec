// Dates as days since 1970-01-01: conversions, ISO weekday, parsing, range checks.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "quotaflow/calendar/date.hpp"
#include "test_util.hpp"

using namespace quotaflow;

TEST(Date, KnownDates) {
  EXPECT_EQ(date_from_ymd(1970, 1, 1), 0);
  EXPECT_EQ(date_from_ymd(1970, 1, 2), 1);
  EXPECT_EQ(date_from_ymd(1969, 12, 31), -1);
  EXPECT_EQ(date_from_ymd(2000, 1, 1), 10957);
  EXPECT_EQ(date_from_ymd(2000, 3, 1), 11017);  // 2000 is a leap year
  EXPECT_EQ(date_from_ymd(2024, 1, 1), 19723);
  EXPECT_EQ(date_from_ymd(2025, 10, 1), 20362);
  EXPECT_EQ(date_from_ymd(1900, 1, 1), min_supported_date);
  EXPECT_EQ(date_from_ymd(2199, 12, 31), max_supported_date);
  EXPECT_EQ(min_supported_date, -25567);
  EXPECT_EQ(max_supported_date, 84005);
}

TEST(Date, ToYmdAndString) {
  EXPECT_EQ(date_to_ymd(0), (YearMonthDay{1970, 1, 1}));
  EXPECT_EQ(date_to_ymd(-1), (YearMonthDay{1969, 12, 31}));
  EXPECT_EQ(date_to_ymd(20362), (YearMonthDay{2025, 10, 1}));
  EXPECT_EQ(date_to_ymd(min_supported_date), (YearMonthDay{1900, 1, 1}));
  EXPECT_EQ(date_to_ymd(max_supported_date), (YearMonthDay{2199, 12, 31}));
  EXPECT_EQ(date_to_string(20362), "2025-10-01");
  EXPECT_EQ(date_to_string(min_supported_date), "1900-01-01");
  EXPECT_EQ(date_to_string(max_supported_date), "2199-12-31");
  EXPECT_EQ(date_to_string(date_from_ymd(2024, 2, 29)), "2024-02-29");
}

TEST(Date, IsoWeekday) {
  EXPECT_EQ(iso_weekday(0), 3);                             // 1970-01-01 Thursday
  EXPECT_EQ(iso_weekday(-1), 2);                            // 1969-12-31 Wednesday
  EXPECT_EQ(iso_weekday(20362), 2);                         // 2025-10-01 Wednesday
  EXPECT_EQ(iso_weekday(date_from_ymd(2025, 1, 26)), 6);    // Sunday
  EXPECT_EQ(iso_weekday(date_from_ymd(2025, 10, 6)), 0);    // Monday
  EXPECT_EQ(iso_weekday(min_supported_date), 0);            // 1900-01-01 Monday
  EXPECT_EQ(iso_weekday(max_supported_date), 1);            // 2199-12-31 Tuesday
  static_assert(iso_weekday(4) == 0, "1970-01-05 was a Monday");
  for (Date d = -3000; d < 3000; ++d) {
    ASSERT_GE(iso_weekday(d), 0);
    ASSERT_LE(iso_weekday(d), 6);
    ASSERT_EQ(iso_weekday(d + 1), (iso_weekday(d) + 1) % 7) << d;
  }
}

TEST(Date, ParseForms) {
  EXPECT_EQ(date_from_string("2025-10-01"), 20362);
  EXPECT_EQ(date_from_string("2025/10/01"), 20362);
  EXPECT_EQ(date_from_string("20251001"), 20362);
  EXPECT_EQ(date_from_string("1900-01-01"), min_supported_date);
  EXPECT_EQ(date_from_string("2199-12-31"), max_supported_date);
  EXPECT_EQ(date_from_string("2024-02-29"), date_from_ymd(2024, 2, 29));
}

TEST(Date, ParseRejectsMalformedText) {
  for (const char* s : {"", "2025-1-01", "2025-10-1", "25-10-01", "2025-10/01", "2025.10.01", "2025-10-01 ",
                        " 2025-10-01", "2025-10-01T00:00", "abcd-ef-gh", "2025-1a-01", "2025101", "202510011",
                        "+025-10-01"}) {
    EXPECT_QF_ERROR(date_from_string(s), errc::parse_error, "date", std::string("\"") + s + "\"", "YYYY-MM-DD")
        << "text: \"" << s << "\"";
  }
}

TEST(Date, InvalidCalendarDates) {
  // Well-formed text naming a day that does not exist.
  EXPECT_QF_ERROR(date_from_string("2025-02-29"), errc::parse_error, "2025-02-29", "not a valid date");
  EXPECT_QF_ERROR(date_from_string("2025-13-01"), errc::parse_error, "2025-13-01", "not a valid date");
  EXPECT_QF_ERROR(date_from_string("2025-00-10"), errc::parse_error, "2025-00-10");
  EXPECT_QF_ERROR(date_from_string("2025-04-31"), errc::parse_error, "2025-04-31");
  EXPECT_QF_ERROR(date_from_string("2025-01-00"), errc::parse_error, "2025-01-00");
  EXPECT_QF_ERROR(date_from_string("2100-02-29"), errc::parse_error, "2100-02-29");  // not a leap year
  EXPECT_QF_ERROR(date_from_ymd(2025, 2, 29), errc::invalid_argument, "2025-2-29");
  EXPECT_QF_ERROR(date_from_ymd(2025, 13, 1), errc::invalid_argument, "2025-13-1");
  EXPECT_QF_ERROR(date_from_ymd(2025, 1, 0), errc::invalid_argument);
  EXPECT_QF_ERROR(date_from_ymd(2025, 1, -3), errc::invalid_argument);
  EXPECT_QF_ERROR(date_from_ymd(2025, 0, 1), errc::invalid_argument);
}

TEST(Date, OutOfSupportedRange) {
  EXPECT_QF_ERROR(date_from_string("1899-12-31"), errc::out_of_range, "1899-12-31", "1900-01-01..2199-12-31");
  EXPECT_QF_ERROR(date_from_string("2200-01-01"), errc::out_of_range, "2200-01-01", "1900-01-01..2199-12-31");
  EXPECT_QF_ERROR(date_from_ymd(1899, 12, 31), errc::out_of_range, "1899");
  EXPECT_QF_ERROR(date_from_ymd(2200, 1, 1), errc::out_of_range, "2200");
  EXPECT_QF_ERROR(date_from_ymd(100000, 1, 1), errc::out_of_range);
  EXPECT_QF_ERROR(date_to_ymd(min_supported_date - 1), errc::out_of_range, "date", "-25568");
  EXPECT_QF_ERROR(date_to_ymd(max_supported_date + 1), errc::out_of_range, "date", "84006");
  EXPECT_QF_ERROR(date_to_string(max_supported_date + 1), errc::out_of_range);
  EXPECT_QF_ERROR(check_date(max_supported_date + 1, "as_of"), errc::out_of_range, "as_of");
  EXPECT_NO_THROW(check_date(max_supported_date, "as_of"));
  EXPECT_NO_THROW(check_date(min_supported_date, "as_of"));
}

TEST(Date, DescribeDate) {
  EXPECT_EQ(describe_date(20362), "2025-10-01");
  EXPECT_EQ(describe_date(max_supported_date + 1), "84006 (days since 1970-01-01)");
  EXPECT_EQ(describe_date(-30000), "-30000 (days since 1970-01-01)");
}

TEST(Date, RoundTripOverWholeSupportedRange) {
  // Every supported date: days -> ymd -> days and days -> text -> days are identities, and
  // consecutive dates are consecutive calendar days.
  YearMonthDay prev = date_to_ymd(min_supported_date);
  for (Date d = min_supported_date; d <= max_supported_date; ++d) {
    YearMonthDay ymd = date_to_ymd(d);
    ASSERT_EQ(date_from_ymd(ymd.year, ymd.month, ymd.day), d);
    if (d > min_supported_date) {
      bool next_day = ymd.year == prev.year && ymd.month == prev.month && ymd.day == prev.day + 1;
      bool next_month = ymd.year == prev.year && ymd.month == prev.month + 1 && ymd.day == 1;
      bool next_year = ymd.year == prev.year + 1 && ymd.month == 1 && ymd.day == 1 && prev.month == 12 && prev.day == 31;
      ASSERT_TRUE(next_day || next_month || next_year) << date_to_string(d);
    }
    prev = ymd;
  }
  std::mt19937 rng(1234);
  std::uniform_int_distribution<Date> dist(min_supported_date, max_supported_date);
  for (int i = 0; i < 2000; ++i) {
    Date d = dist(rng);
    std::string s = date_to_string(d);
    ASSERT_EQ(date_from_string(s), d) << s;
    std::string compact = s.substr(0, 4) + s.substr(5, 2) + s.substr(8, 2);
    ASSERT_EQ(date_from_string(compact), d) << compact;
  }
}
