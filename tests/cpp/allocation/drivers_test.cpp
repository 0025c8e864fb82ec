// Driver weights: normalised blends, capacity, ramp-up factors prorated by working days.
#include "quotaflow/allocation/drivers.hpp"
#include "test_util.hpp"

using namespace quotaflow;

TEST(Blend, NormalisesEachDriverThenMixes) {
  std::vector<double> history{1, 1, 2}, potential{0, 1, 0}, coef{0.5, 0.5};
  auto w = blend({history, potential}, coef);
  EXPECT_DOUBLE_EQ(w[0], 0.125);
  EXPECT_DOUBLE_EQ(w[1], 0.625);
  EXPECT_DOUBLE_EQ(w[2], 0.25);
  std::vector<double> unnormalised{2, 2};  // coefficients are normalised too
  auto w2 = blend({history, potential}, unnormalised);
  EXPECT_EQ(w, w2);
}

TEST(Blend, BadInput) {
  std::vector<double> a{1, 2}, b{1, 2, 3}, zero{0, 0}, coef{1, 1}, one{1};
  EXPECT_QF_ERROR(blend({a, b}, coef), errc::invalid_argument, "drivers[1] has 3");
  EXPECT_QF_ERROR(blend({a, zero}, coef), errc::invalid_argument, "drivers[1] sums to 0");
  EXPECT_NO_THROW(blend({a, zero}, std::vector<double>{1, 0}));
  EXPECT_QF_ERROR(blend({a, a}, one), errc::invalid_argument, "2 drivers but 1 coefficients");
  std::vector<double> neg{1, -1};
  EXPECT_QF_ERROR(blend({a, neg}, coef), errc::invalid_argument, "drivers[1][1] is -1");
  EXPECT_QF_ERROR(blend({a}, std::vector<double>{0}), errc::invalid_argument, "coefficients sum to 0");
  std::vector<double> nan{NAN, 1};
  EXPECT_QF_ERROR(blend({nan}, one), errc::invalid_argument, "drivers[0][0] is nan");
}

TEST(Capacity, HeadcountTimesHours) {
  std::vector<double> heads{1, 2, 1}, hours{40, 40, 20}, avail{1, 0.5, 1};
  EXPECT_EQ(capacity_weights(heads, hours), (std::vector<double>{40, 80, 20}));
  EXPECT_EQ(capacity_weights(heads, hours, avail), (std::vector<double>{40, 40, 20}));
  std::vector<double> too_much{1, 1.5, 1};
  EXPECT_QF_ERROR(capacity_weights(heads, hours, too_much), errc::invalid_argument, "availability[1] is 1.5");
  EXPECT_QF_ERROR(capacity_weights(heads, std::vector<double>{1}), errc::invalid_argument, "hours_per_week has 1");
}

TEST(Ramp, ProratedByWorkingDays) {
  const Calendar cal;  // plain weekends
  const Date mar = date_from_string("2026-03-01"), apr = date_from_string("2026-04-01");
  std::vector<double> schedule{0.25, 0.5, 0.75, 1.0};
  std::vector<Date> starts{date_from_string("2020-01-01"), date_from_string("2026-03-16"), date_from_string("2026-04-01")};
  auto march = ramp_factors(starts, cal, mar, apr, schedule);
  EXPECT_DOUBLE_EQ(march[0], 1.0);                     // long tenure
  EXPECT_DOUBLE_EQ(march[1], 0.25 * 12 / 22);          // 12 of March's 22 working days, at 25 %
  EXPECT_DOUBLE_EQ(march[2], 0.0);                     // not started yet
  const Date y0 = date_from_string("2026-01-01"), y1 = date_from_string("2027-01-01");
  auto year = ramp_factors(starts, cal, y0, y1, schedule);
  const double expect = (0.25 * 12 + 0.5 * cal.working_days(apr, date_from_string("2026-05-01")) +
                         0.75 * cal.working_days(date_from_string("2026-05-01"), date_from_string("2026-06-01")) +
                         1.0 * cal.working_days(date_from_string("2026-06-01"), y1)) /
                        cal.working_days(y0, y1);
  EXPECT_DOUBLE_EQ(year[1], expect);
}

TEST(Ramp, BadInput) {
  const Calendar cal;
  std::vector<Date> s{0};
  EXPECT_QF_ERROR(ramp_factors(s, cal, 0, 31, std::vector<double>{}), errc::invalid_argument, "schedule is empty");
  EXPECT_QF_ERROR(ramp_factors(s, cal, 0, 31, std::vector<double>{0.5, 1.2}), errc::invalid_argument, "schedule[1] is 1.2");
  EXPECT_QF_ERROR(ramp_factors(s, cal, date_from_string("2026-01-03"), date_from_string("2026-01-05"), std::vector<double>{1}),
                  errc::invalid_argument, "no working days");
  std::vector<Date> bad{100000};
  EXPECT_QF_ERROR(ramp_factors(bad, cal, 0, 31, std::vector<double>{1}), errc::out_of_range, "start_dates[0]");
}
