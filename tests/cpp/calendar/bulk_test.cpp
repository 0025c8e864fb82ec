// Bulk calendar queries over date columns: equal to the single queries, errors name the index.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "quotaflow/calendar/calendar.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {
Date D(const char* s) { return date_from_string(s); }

struct Columns {
  std::vector<Date> dates, starts, ends, as_of;
  std::vector<int32_t> n;
};

Columns random_columns(std::mt19937& rng, Date lo, Date hi, size_t count) {
  Columns c;
  std::uniform_int_distribution<Date> date(lo, hi - 1);
  std::uniform_int_distribution<int32_t> len(1, 400), count_dist(-150, 150), slack(-40, 40);
  for (size_t i = 0; i < count; ++i) {
    c.dates.push_back(date(rng));
    Date s = date(rng);
    Date e = std::min<Date>(s + len(rng), hi);  // s < hi, so the range is never empty
    c.starts.push_back(s);
    c.ends.push_back(e);
    c.as_of.push_back(s + slack(rng) + (e - s) / 2);
    c.n.push_back(count_dist(rng));
  }
  return c;
}

void expect_bulk_equals_single(const Calendar& cal, const Columns& c) {
  const size_t k = c.dates.size();
  std::vector<uint8_t> worked(k);
  cal.is_working_day(c.dates, worked);
  std::vector<int32_t> counts(k);
  cal.working_days(c.starts, c.ends, counts);
  std::vector<Date> added(k);
  cal.add_working_days(c.dates, c.n, added);
  std::vector<double> fractions(k);
  cal.elapsed_fraction(c.starts, c.ends, c.as_of, fractions);
  for (size_t i = 0; i < k; ++i) {
    ASSERT_EQ(worked[i], cal.is_working_day(c.dates[i]) ? 1 : 0) << i;
    ASSERT_EQ(counts[i], cal.working_days(c.starts[i], c.ends[i])) << i;
    ASSERT_EQ(added[i], cal.add_working_days(c.dates[i], c.n[i])) << i;
    ASSERT_EQ(fractions[i], cal.elapsed_fraction(c.starts[i], c.ends[i], c.as_of[i])) << i;
  }
}
}  // namespace

TEST(Bulk, EqualsSingleQueriesOnPlainCalendar) {
  std::mt19937 rng(11);
  Calendar cal;
  expect_bulk_equals_single(cal, random_columns(rng, D("1901-01-01"), D("2199-01-01"), 5000));
}

TEST(Bulk, EqualsSingleQueriesOnCustomCalendar) {
  std::mt19937 rng(12);
  std::uniform_int_distribution<Date> any(D("2010-01-01"), D("2019-12-31"));
  std::vector<Date> holidays, workdays;
  for (int i = 0; i < 400; ++i) {
    Date d = any(rng);
    (iso_weekday(d) >= 5 ? workdays : holidays).push_back(d);
  }
  CalendarOptions o;
  o.valid_from = D("2010-01-01");
  o.valid_until = D("2020-01-01");
  o.fiscal_year_start_month = 4;
  Calendar cal(o, holidays, workdays);
  expect_bulk_equals_single(cal, random_columns(rng, D("2011-01-01"), D("2019-01-01"), 5000));
}

TEST(Bulk, EqualsSingleQueriesOnCnPreset) {
  std::mt19937 rng(13);
  Calendar cal = Calendar::preset("CN");
  expect_bulk_equals_single(cal, random_columns(rng, D("2008-01-01"), D("2026-01-01"), 5000));
}

TEST(Bulk, EmptyColumnsAreFine) {
  Calendar cal;
  std::vector<Date> none;
  std::vector<uint8_t> out8;
  std::vector<int32_t> out32, n;
  std::vector<double> outd;
  EXPECT_NO_THROW(cal.is_working_day(none, out8));
  EXPECT_NO_THROW(cal.working_days(none, none, out32));
  EXPECT_NO_THROW(cal.add_working_days(none, n, out32));
  EXPECT_NO_THROW(cal.elapsed_fraction(none, none, none, outd));
}

TEST(Bulk, WorkingDaysAtValidRangeEdges) {
  Calendar cn = Calendar::preset("CN");
  std::vector<Date> starts{cn.valid_from(), D("2026-12-01")}, ends{D("2007-02-01"), cn.valid_until()};
  std::vector<int32_t> out(2);
  cn.working_days(starts, ends, out);
  EXPECT_EQ(out[0], cn.working_days(starts[0], ends[0]));
  EXPECT_EQ(out[1], cn.working_days(starts[1], ends[1]));
}

TEST(BulkErrors, IsWorkingDayNamesTheIndex) {
  Calendar cn = Calendar::preset("CN");
  std::vector<Date> dates{D("2025-01-01"), D("2025-01-02"), D("2025-01-03"), D("2027-01-01")};
  std::vector<uint8_t> out(dates.size());
  EXPECT_QF_ERROR(cn.is_working_day(dates, out), errc::out_of_range, "dates[3]", "2027-01-01");
  dates[3] = max_supported_date + 10;
  EXPECT_QF_ERROR(cn.is_working_day(dates, out), errc::out_of_range, "dates[3]");
}

TEST(BulkErrors, WorkingDaysNamesTheIndex) {
  Calendar cn = Calendar::preset("CN");
  std::vector<Date> starts{D("2025-01-01"), D("2025-01-01"), D("2025-01-01"), D("2006-12-31")};
  std::vector<Date> ends{D("2025-02-01"), D("2025-02-01"), D("2025-02-01"), D("2025-02-01")};
  std::vector<int32_t> out(4);
  EXPECT_QF_ERROR(cn.working_days(starts, ends, out), errc::out_of_range, "starts[3]", "2006-12-31");
  starts[3] = D("2025-01-01");
  ends[2] = D("2024-12-01");
  EXPECT_QF_ERROR(cn.working_days(starts, ends, out), errc::invalid_argument, "ends[2]", "before starts[2]");
  ends[2] = D("2025-02-01");
  ends[1] = D("2027-01-02");
  EXPECT_QF_ERROR(cn.working_days(starts, ends, out), errc::out_of_range, "ends[1]", "2027-01-02");
}

TEST(BulkErrors, AddWorkingDaysNamesTheIndexOfABadDate) {
  Calendar cn = Calendar::preset("CN");
  std::vector<Date> dates{D("2025-01-01"), D("2025-01-01"), D("2025-01-01"), D("2030-01-01")};
  std::vector<int32_t> n{1, 2, 3, 4};
  std::vector<Date> out(4);
  EXPECT_QF_ERROR(cn.add_working_days(dates, n, out), errc::out_of_range, "dates[3]");
}

// When a result leaves the valid range, the message names the date and count but not the row.
TEST(BulkErrors, AddWorkingDaysNamesTheIndexWhenTheResultLeavesTheRange) {
  Calendar cn = Calendar::preset("CN");
  std::vector<Date> dates{D("2025-01-01"), D("2026-12-30")};
  std::vector<int32_t> n{1, 10};
  std::vector<Date> out(2);
  EXPECT_QF_ERROR(cn.add_working_days(dates, n, out), errc::out_of_range, "[1]");
}

TEST(BulkErrors, ElapsedFractionNamesTheIndex) {
  Calendar cn = Calendar::preset("CN");
  std::vector<Date> starts{D("2025-01-01"), D("2025-01-01"), D("2025-01-01"), D("2006-06-01")};
  std::vector<Date> ends{D("2025-02-01"), D("2025-02-01"), D("2025-02-01"), D("2025-02-01")};
  std::vector<Date> as_of{D("2025-01-10"), D("2025-01-10"), D("2025-01-10"), D("2025-01-10")};
  std::vector<double> out(4);
  EXPECT_QF_ERROR(cn.elapsed_fraction(starts, ends, as_of, out), errc::out_of_range, "starts[3]");
  starts[3] = D("2025-01-01");
  ends[1] = D("2024-01-01");
  EXPECT_QF_ERROR(cn.elapsed_fraction(starts, ends, as_of, out), errc::invalid_argument, "ends[1]");
  ends[1] = D("2025-01-01");  // empty range
  EXPECT_QF_ERROR(cn.elapsed_fraction(starts, ends, as_of, out), errc::invalid_argument, "range 1", "empty");
}

// An as_of outside the supported range is reported as "as_of is ..." without its row.
TEST(BulkErrors, ElapsedFractionNamesTheIndexOfABadAsOf) {
  Calendar cal;
  std::vector<Date> starts{D("2025-01-01"), D("2025-01-01"), D("2025-01-01")};
  std::vector<Date> ends{D("2025-02-01"), D("2025-02-01"), D("2025-02-01")};
  std::vector<Date> as_of{D("2025-01-10"), D("2025-01-10"), max_supported_date + 1};
  std::vector<double> out(3);
  EXPECT_QF_ERROR(cal.elapsed_fraction(starts, ends, as_of, out), errc::out_of_range, "as_of[2]");
}

TEST(BulkErrors, LengthMismatch) {
  Calendar cal;
  std::vector<Date> three{D("2025-01-01"), D("2025-01-02"), D("2025-01-03")}, two{D("2025-02-01"), D("2025-02-02")};
  std::vector<uint8_t> out8(2);
  std::vector<int32_t> out3(3), out2(2), n2(2);
  std::vector<double> outd3(3), outd2(2);
  EXPECT_QF_ERROR(cal.is_working_day(three, out8), errc::invalid_argument, "length mismatch", "dates has 3",
                  "out has 2");
  EXPECT_QF_ERROR(cal.working_days(three, two, out3), errc::invalid_argument, "length mismatch", "starts has 3",
                  "ends has 2");
  EXPECT_QF_ERROR(cal.working_days(three, three, out2), errc::invalid_argument, "starts has 3", "out has 2");
  EXPECT_QF_ERROR(cal.add_working_days(three, n2, out3), errc::invalid_argument, "dates has 3", "n has 2");
  EXPECT_QF_ERROR(cal.add_working_days(two, n2, out3), errc::invalid_argument, "dates has 2", "out has 3");
  EXPECT_QF_ERROR(cal.elapsed_fraction(three, two, three, outd3), errc::invalid_argument, "ends has 2");
  EXPECT_QF_ERROR(cal.elapsed_fraction(three, three, two, outd3), errc::invalid_argument, "as_of has 2");
  EXPECT_QF_ERROR(cal.elapsed_fraction(three, three, three, outd2), errc::invalid_argument, "out has 2");
}
