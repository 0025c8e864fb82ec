// Calendars from CSV: inline text, files, errors, and the real published CN holiday tables.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/calendar/csv.hpp"
#include "test_util.hpp"

using namespace quotaflow;
namespace fs = std::filesystem;

namespace {
Date D(const char* s) { return date_from_string(s); }

const std::vector<Date> kExpectedHolidays{D("2025-10-01"), D("2025-10-02")};
const std::vector<Date> kExpectedWorkdays{D("2025-10-11")};

std::string temp_path(const std::string& name) {
  return (fs::path(::testing::TempDir()) / ("quotaflow_csv_test_" + name)).string();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

CalendarOptions cn_range() {
  CalendarOptions o;
  o.valid_from = D("2007-01-01");
  o.valid_until = D("2027-01-01");
  return o;
}
}  // namespace

// ---- inline text -----------------------------------------------------------------------------

TEST(CsvParse, HeaderSkippedAndExtraColumnsIgnored) {
  Calendar cal = parse_calendar_csv(
      "date,kind,name_zh,notice\n"
      "2025-10-01,holiday,National Day,http://example.invalid/a,b\n"
      "2025-10-02,holiday\n"
      "2025-10-11,makeup_workday,National Day\n");
  EXPECT_EQ(cal.holidays(), kExpectedHolidays);
  EXPECT_EQ(cal.workdays(), kExpectedWorkdays);
  EXPECT_TRUE(cal.is_working_day(D("2025-10-11")));
  EXPECT_FALSE(cal.is_working_day(D("2025-10-01")));
}

TEST(CsvParse, NoHeaderIsFine) {
  Calendar cal = parse_calendar_csv("2025-10-01,holiday\n2025-10-02,holiday\n2025-10-11,makeup_workday");
  EXPECT_EQ(cal.holidays(), kExpectedHolidays);
  EXPECT_EQ(cal.workdays(), kExpectedWorkdays);
}

TEST(CsvParse, BlankAndCommentLines) {
  Calendar cal = parse_calendar_csv(
      "date,kind\n"
      "\n"
      "# National Day 2025\n"
      "   \n"
      "2025-10-01,holiday\n"
      "  # indented comment\n"
      "2025-10-02,holiday\n"
      "\t\n"
      "2025-10-11,makeup_workday\n"
      "\n\n");
  EXPECT_EQ(cal.holidays(), kExpectedHolidays);
  EXPECT_EQ(cal.workdays(), kExpectedWorkdays);
}

TEST(CsvParse, CrlfBomQuotesAndSpaces) {
  Calendar cal = parse_calendar_csv(
      "\xEF\xBB\xBF"
      "date,kind,name\r\n"
      "\"2025-10-01\",\"holiday\",\"National Day\"\r\n"
      " 2025-10-02 , holiday \r\n"
      "\r\n"
      "2025-10-11,makeup_workday\r\n");
  EXPECT_EQ(cal.holidays(), kExpectedHolidays);
  EXPECT_EQ(cal.workdays(), kExpectedWorkdays);
}

TEST(CsvParse, BomWithoutHeaderAndOtherDateForms) {
  Calendar cal = parse_calendar_csv("\xEF\xBB\xBF" "2025/10/01,holiday\n20251002,holiday\n2025-10-11,workday\n");
  EXPECT_EQ(cal.holidays(), kExpectedHolidays);
  EXPECT_EQ(cal.workdays(), kExpectedWorkdays);
}

TEST(CsvParse, EmptyTextGivesAPlainCalendar) {
  Calendar empty = parse_calendar_csv("");
  EXPECT_TRUE(empty.holidays().empty());
  EXPECT_EQ(empty.working_days(D("2025-01-01"), D("2026-01-01")), 261);
  Calendar header_only = parse_calendar_csv("date,kind\n");
  EXPECT_TRUE(header_only.holidays().empty());
}

TEST(CsvParse, OptionsApply) {
  CalendarOptions o;
  o.fiscal_year_start_month = 4;
  o.weekend_mask = weekend_fri_sat;
  o.valid_from = D("2025-01-01");
  o.valid_until = D("2026-01-01");
  Calendar cal = parse_calendar_csv("2024-10-01,holiday\n2025-10-01,holiday\n2026-10-01,holiday\n", o);
  EXPECT_EQ(cal.fiscal_year_start_month(), 4);
  EXPECT_EQ(cal.weekend_mask(), weekend_fri_sat);
  EXPECT_EQ(cal.holidays(), (std::vector<Date>{D("2025-10-01")}));  // the others are outside the valid range
  EXPECT_EQ(cal.period_label(D("2025-10-01"), Grain::quarter), "FY2026-Q3");
}

TEST(CsvParse, MalformedLineReportsItsNumber) {
  EXPECT_QF_ERROR(parse_calendar_csv("date,kind\n2025-10-01,holiday\nnonsense\n"), errc::parse_error,
                  "calendar CSV line 3", "date,kind", "nonsense");
  EXPECT_QF_ERROR(parse_calendar_csv("2025-10-01,holiday\r\n\r\n2025-10-02\r\n"), errc::parse_error, "line 3");
  // The source name given by the caller is used.
  EXPECT_QF_ERROR(parse_calendar_csv("x\n", {}, "holidays.csv"), errc::parse_error, "holidays.csv line 1");
}

TEST(CsvParse, UnknownKind) {
  EXPECT_QF_ERROR(parse_calendar_csv("date,kind\n2025-10-01,vacation\n"), errc::parse_error, "line 2",
                  "kind \"vacation\"", "holiday or makeup_workday");
  EXPECT_QF_ERROR(parse_calendar_csv("2025-10-01,\n"), errc::parse_error, "line 1", "kind \"\"");
  EXPECT_QF_ERROR(parse_calendar_csv("2025-10-01,Holiday\n"), errc::parse_error, "line 1", "Holiday");
}

TEST(CsvParse, BadDates) {
  // Malformed text: parse error.
  EXPECT_QF_ERROR(parse_calendar_csv("date,kind\n2025-10-01,holiday\n20x5-10-02,holiday\n"), errc::parse_error,
                  "line 3", "20x5-10-02");
  EXPECT_QF_ERROR(parse_calendar_csv("1.10.2025,holiday\n"), errc::parse_error, "line 1", "1.10.2025");
  // A header row anywhere but the first line is a bad date.
  EXPECT_QF_ERROR(parse_calendar_csv("2025-10-01,holiday\ndate,kind\n"), errc::parse_error, "line 2", "\"date\"");
  // Well-formed but impossible or unsupported dates keep the out_of_range code, with the line.
  EXPECT_QF_ERROR(parse_calendar_csv("date,kind\n2025-02-29,holiday\n"), errc::parse_error, "line 2", "2025-02-29");
  EXPECT_QF_ERROR(parse_calendar_csv("date,kind\n2025-13-01,holiday\n"), errc::parse_error, "line 2", "2025-13-01");
  EXPECT_QF_ERROR(parse_calendar_csv("1899-12-31,holiday\n"), errc::out_of_range, "line 1", "1899-12-31");
}

TEST(CsvParse, SameDateAsHolidayAndWorkday) {
  EXPECT_QF_ERROR(parse_calendar_csv("2025-10-01,holiday\n2025-10-01,makeup_workday\n"), errc::invalid_argument,
                  "2025-10-01", "both");
}

// A comment before the header row makes the header line 2, where "date" is not skipped.
TEST(CsvParse, HeaderAfterLeadingComment) {
  Calendar cal = parse_calendar_csv("# China 2025\ndate,kind\n2025-10-01,holiday\n");
  EXPECT_EQ(cal.holidays(), (std::vector<Date>{D("2025-10-01")}));
}

// ---- files -----------------------------------------------------------------------------------

TEST(CsvLoad, MissingFileIsIoErrorNamingThePath) {
  const std::string path = temp_path("does_not_exist.csv");
  fs::remove(path);
  EXPECT_QF_ERROR(load_calendar_csv(path), errc::io_error, path);
}

// A directory opens as an ifstream on Linux; reading it fails but the failure is not detected,
// so load_calendar_csv returns an empty (weekends-only) calendar instead of errc::io_error.
TEST(CsvLoad, DirectoryIsIoError) {
  EXPECT_QF_ERROR(load_calendar_csv(::testing::TempDir()), errc::io_error, ::testing::TempDir());
}

TEST(CsvLoad, ReadsAFileAndNamesItInErrors) {
  const std::string good = temp_path("good.csv");
  write_file(good, "\xEF\xBB\xBF" "date,kind\r\n2025-10-01,holiday\r\n2025-10-02,holiday\r\n2025-10-11,makeup_workday\r\n");
  Calendar cal = load_calendar_csv(good);
  EXPECT_EQ(cal.holidays(), kExpectedHolidays);
  EXPECT_EQ(cal.workdays(), kExpectedWorkdays);

  const std::string bad = temp_path("bad.csv");
  write_file(bad, "date,kind\n2025-10-01,holiday\n\n2025-10-02;holiday\n");
  EXPECT_QF_ERROR(load_calendar_csv(bad), errc::parse_error, bad + " line 4");
  fs::remove(good);
  fs::remove(bad);
}

// ---- shipped and real data -------------------------------------------------------------------

TEST(CsvRealData, ShippedCnFileEqualsThePreset) {
  const std::string path = std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/calendars/cn_official_2007_2026.csv";
  ASSERT_TRUE(fs::exists(path)) << path << " is missing from the project";
  Calendar file = load_calendar_csv(path, cn_range());
  Calendar preset = Calendar::preset("CN");
  EXPECT_EQ(file.holidays(), preset.holidays());
  EXPECT_EQ(file.workdays(), preset.workdays());
  for (Date d = D("2007-01-01"); d < D("2027-01-01"); ++d)
    ASSERT_EQ(file.is_working_day(d), preset.is_working_day(d)) << date_to_string(d);
}

TEST(CsvRealData, PublishedCnTablesAgreeWithEachOtherAndThePreset) {
  const fs::path dir = fs::path(QUOTAFLOW_SHARED_DATA_DIR) / "calendars";
  if (!fs::is_directory(dir))
    GTEST_SKIP() << "the shared data folder " << dir.string()
                 << " is absent (it exists in CI, not in a user's clone); skipping the real-data test";
  const fs::path holiday_cn = dir / "china_holidays_holiday-cn_2007_2027.csv";
  const fs::path chinese_calendar = dir / "china_holidays_chinese-calendar_2004_2026.csv";
  ASSERT_TRUE(fs::exists(holiday_cn)) << holiday_cn;
  ASSERT_TRUE(fs::exists(chinese_calendar)) << chinese_calendar;

  Calendar a = load_calendar_csv(holiday_cn.string(), cn_range());
  Calendar b = load_calendar_csv(chinese_calendar.string(), cn_range());
  Calendar preset = Calendar::preset("CN");
  int disagreements = 0;
  for (Date d = D("2007-01-01"); d <= D("2026-12-31"); ++d) {
    bool wa = a.is_working_day(d), wb = b.is_working_day(d), wp = preset.is_working_day(d);
    if (wa != wb || wa != wp) {
      ADD_FAILURE() << date_to_string(d) << ": holiday-cn " << wa << ", chinese-calendar " << wb << ", preset " << wp;
      if (++disagreements > 20) FAIL() << "too many disagreements";
    }
  }
  // Known facts from the shared data's README.
  for (const Calendar* cal : {&a, &b}) {
    EXPECT_EQ(cal->working_days(D("2024-01-01"), D("2025-01-01")), 251);
    EXPECT_EQ(cal->working_days(D("2025-01-01"), D("2026-01-01")), 248);
    EXPECT_EQ(cal->working_days(D("2026-01-01"), D("2027-01-01")), 248);
  }
}
