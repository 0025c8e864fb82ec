// The built-in "CN" preset: China's official holidays and make-up working days, 2007-2026.
#include <gtest/gtest.h>

#include <vector>

#include "quotaflow/calendar/calendar.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {
Date D(const char* s) { return date_from_string(s); }
}  // namespace

TEST(CnPreset, WorkingDaysPerYear) {
  Calendar cn = Calendar::preset("CN");
  EXPECT_EQ(cn.working_days(D("2024-01-01"), D("2025-01-01")), 251);
  EXPECT_EQ(cn.working_days(D("2025-01-01"), D("2026-01-01")), 248);
  EXPECT_EQ(cn.working_days(D("2026-01-01"), D("2027-01-01")), 248);
}

TEST(CnPreset, WorkingDaysByMonthIn2025) {
  Calendar cn = Calendar::preset("CN");
  auto months = cn.periods(D("2025-01-01"), D("2026-01-01"), Grain::month);
  std::vector<int32_t> got;
  for (const Period& p : months) got.push_back(p.working_days);
  EXPECT_EQ(got, (std::vector<int32_t>{19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23}));
  auto quarters = cn.periods(D("2025-01-01"), D("2026-01-01"), Grain::quarter);
  ASSERT_EQ(quarters.size(), 4u);
  EXPECT_EQ(quarters[0].working_days, 19 + 19 + 21);
  EXPECT_EQ(quarters[3].working_days, 18 + 20 + 23);
}

TEST(CnPreset, ValidRange) {
  Calendar cn = Calendar::preset("CN");
  EXPECT_EQ(cn.valid_from(), D("2007-01-01"));
  EXPECT_EQ(cn.valid_until(), D("2027-01-01"));
  EXPECT_EQ(cn.weekend_mask(), weekend_sat_sun);
  EXPECT_EQ(cn.fiscal_year_start_month(), 1);
  EXPECT_NO_THROW((void)cn.is_working_day(D("2007-01-01")));
  EXPECT_NO_THROW((void)cn.is_working_day(D("2026-12-31")));
  EXPECT_QF_ERROR(cn.is_working_day(D("2027-01-01")), errc::out_of_range, "2027-01-01", "2007-01-01..2026-12-31");
  EXPECT_QF_ERROR(cn.is_working_day(D("2006-12-31")), errc::out_of_range, "2006-12-31", "2007-01-01..2026-12-31");
  EXPECT_QF_ERROR(cn.working_days(D("2026-06-01"), D("2027-06-01")), errc::out_of_range, "end");
  EXPECT_QF_ERROR(cn.working_days(D("2006-06-01"), D("2007-06-01")), errc::out_of_range, "start");
  EXPECT_QF_ERROR(cn.add_working_days(D("2026-12-31"), 1), errc::out_of_range);
  EXPECT_QF_ERROR(cn.add_working_days(D("2007-01-04"), -1), errc::out_of_range);  // Jan 1-3 2007 were holidays
}

TEST(CnPreset, KnownFacts) {
  Calendar cn = Calendar::preset("CN");
  ASSERT_EQ(iso_weekday(D("2025-01-26")), 6);
  EXPECT_TRUE(cn.is_working_day(D("2025-01-26")));   // Sunday, make-up day for Spring Festival
  EXPECT_TRUE(cn.is_working_day(D("2025-02-08")));   // Saturday, make-up day
  EXPECT_TRUE(cn.is_working_day(D("2025-09-28")));   // Sunday, make-up day for National Day
  EXPECT_TRUE(cn.is_working_day(D("2025-10-11")));   // Saturday, make-up day
  EXPECT_FALSE(cn.is_working_day(D("2025-10-01")));  // National Day
  for (Date d = D("2025-10-01"); d <= D("2025-10-08"); ++d) EXPECT_FALSE(cn.is_working_day(d)) << date_to_string(d);
  EXPECT_TRUE(cn.is_working_day(D("2025-10-09")));
  EXPECT_FALSE(cn.is_working_day(D("2025-01-01")));  // New Year
  EXPECT_FALSE(cn.is_working_day(D("2025-01-28")));  // Spring Festival eve (Tuesday)
  EXPECT_FALSE(cn.is_working_day(D("2025-01-25")));  // an ordinary Saturday
  EXPECT_FALSE(cn.is_working_day(D("2007-01-01")));
  // The first working day of 2007 and the last of the preset.
  EXPECT_EQ(cn.add_working_days(D("2007-01-01"), 0), D("2007-01-04"));
  EXPECT_EQ(cn.add_working_days(D("2025-09-30"), 1), D("2025-10-09"));
  EXPECT_EQ(cn.add_working_days(D("2025-10-09"), -1), D("2025-09-30"));
}

TEST(CnPreset, HolidayListsAreConsistent) {
  Calendar cn = Calendar::preset("CN");
  EXPECT_EQ(cn.holidays().size(), 545u);
  EXPECT_EQ(cn.workdays().size(), 131u);
  for (Date d : cn.workdays()) {
    EXPECT_TRUE(cn.is_working_day(d)) << date_to_string(d);
    // Make-up days are weekend days, except 2020-02-03: a Monday that holiday-cn lists as a
    // working day after the Spring Festival holiday was extended to 2020-02-02 (harmless: it is
    // a working day either way).
    if (d != D("2020-02-03")) {
      EXPECT_GE(iso_weekday(d), 5) << "make-up day " << date_to_string(d) << " is not on a weekend";
    }
  }
  for (Date d : cn.holidays()) EXPECT_FALSE(cn.is_working_day(d)) << date_to_string(d);
  // Every year has between 240 and 255 working days.
  for (int y = 2007; y <= 2026; ++y) {
    int32_t n = cn.working_days(date_from_ymd(y, 1, 1), date_from_ymd(y + 1, 1, 1));
    EXPECT_GE(n, 240) << y;
    EXPECT_LE(n, 255) << y;
  }
}

TEST(CnPreset, PresetsAreIndependentValues) {
  Calendar a = Calendar::preset("CN"), b = Calendar::preset("CN");
  EXPECT_EQ(a.holidays(), b.holidays());
  Calendar copy = a;
  EXPECT_EQ(copy.working_days(D("2025-01-01"), D("2026-01-01")), 248);
}

TEST(Presets, UnknownPresetIsNotFound) {
  EXPECT_QF_ERROR(Calendar::preset("XX"), errc::not_found, "\"XX\"", "CN", "plain");
  EXPECT_QF_ERROR(Calendar::preset(""), errc::not_found, "\"\"");
  EXPECT_QF_ERROR(Calendar::preset("cn"), errc::not_found, "\"cn\"");  // names are case-sensitive
}
