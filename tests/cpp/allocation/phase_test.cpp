// Time phasing: working-day weights on the CN calendar, seasonality profiles, weeks across
// months, fiscal quarters, the bulk matrix, and bad input.
#include <numeric>
#include <random>

#include "quotaflow/allocation/phase.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {
const Calendar& cn() {
  static const Calendar c = Calendar::preset("CN");
  return c;
}
Date D(const char* s) { return date_from_string(s); }
int64_t sum(const std::vector<int64_t>& v) { return std::accumulate(v.begin(), v.end(), int64_t{0}); }
}  // namespace

TEST(Phase, OneUnitPerWorkingDay) {
  auto r = phase(248, cn(), D("2025-01-01"), D("2026-01-01"));
  EXPECT_EQ(r.targets, (std::vector<int64_t>{19, 19, 21, 22, 19, 20, 23, 21, 23, 18, 20, 23}));
}

TEST(Phase, ExactAndWithinQuota) {
  const int64_t total = 1'000'000'007;
  auto r = phase(total, cn(), D("2025-01-01"), D("2026-01-01"));
  EXPECT_EQ(sum(r.targets), total);
  for (size_t i = 0; i < r.targets.size(); ++i) {
    const double q = static_cast<double>(total) * r.weights[i] / 248.0;
    EXPECT_LE(std::abs(static_cast<double>(r.targets[i]) - q), 1.0) << i;
  }
}

TEST(Phase, WeeksCrossMonthsAndYears) {
  auto r = phase(10'000, cn(), D("2025-01-01"), D("2026-01-01"), {Grain::week});
  EXPECT_EQ(r.periods.size(), 53u);  // 2025-01-01 (Wed) starts a clipped ISO week; 2025-12-29 starts the last
  EXPECT_EQ(r.periods.front().start, D("2025-01-01"));
  EXPECT_EQ(r.periods.front().end, D("2025-01-06"));
  EXPECT_EQ(sum(r.targets), 10'000);
  // The Golden Week (2025-10-01..08 off) weighs almost nothing.
  for (size_t i = 0; i < r.periods.size(); ++i) {
    if (r.periods[i].start == D("2025-09-29")) {
      EXPECT_EQ(r.periods[i].working_days, 2);  // Mon 29, Tue 30; Oct 1-5 off
    }
  }
}

TEST(Phase, MonthAndWeekdayProfiles) {
  std::vector<double> month(12, 1.0);
  month[1] = 0.0;  // nothing in February
  PhaseOptions o;
  o.month_profile = month;
  auto r = phase(1'000'000, cn(), D("2025-01-01"), D("2026-01-01"), o);
  EXPECT_EQ(r.targets[1], 0);
  EXPECT_EQ(sum(r.targets), 1'000'000);
  std::vector<double> weekday{1, 0, 0, 0, 0, 0, 0};  // Mondays only
  PhaseOptions w;
  w.weekday_profile = weekday;
  w.grain = Grain::week;
  auto mondays = phase(52, Calendar(), D("2026-01-05"), D("2027-01-04"), w);  // 52 ISO weeks, each with one Monday
  for (int64_t t : mondays.targets) EXPECT_EQ(t, 1);
}

TEST(Phase, DailyProfile) {
  std::vector<double> daily(7, 0.0);
  daily[2] = 3.0;  // Wednesday 2026-01-07 only (a working day)
  daily[6] = 5.0;  // Sunday 2026-01-11 is not worked: ignored
  PhaseOptions o;
  o.daily_profile = daily;
  o.grain = Grain::day;
  auto r = phase(100, Calendar(), D("2026-01-05"), D("2026-01-12"), o);
  EXPECT_EQ(r.targets, (std::vector<int64_t>{0, 0, 100, 0, 0, 0, 0}));
}

TEST(Phase, FiscalQuarters) {
  CalendarOptions fo = cn().options();
  fo.fiscal_year_start_month = 4;
  Calendar fiscal(fo, cn().holidays(), cn().workdays());
  auto r = phase(248 * 100, fiscal, D("2025-04-01"), D("2026-04-01"), {Grain::quarter});
  ASSERT_EQ(r.periods.size(), 4u);
  EXPECT_EQ(fiscal.period_label(r.periods[0].start, Grain::quarter), "FY2026-Q1");
  EXPECT_EQ(sum(r.targets), 24'800);
  EXPECT_EQ(r.targets[0], 100 * r.periods[0].working_days);
}

TEST(Phase, ManyRowsEachExact) {
  std::vector<int64_t> totals{0, 1, 999, -12345, 1'000'000'000'000};
  std::vector<int64_t> out;
  PhasePlan plan = phase_many(totals, cn(), D("2026-01-01"), D("2027-01-01"), {Grain::week}, out);
  const size_t p = plan.periods.size();
  ASSERT_EQ(out.size(), totals.size() * p);
  for (size_t i = 0; i < totals.size(); ++i) {
    int64_t s = 0;
    for (size_t k = 0; k < p; ++k) s += out[i * p + k];
    EXPECT_EQ(s, totals[i]);
    auto single = phase(totals[i], cn(), D("2026-01-01"), D("2027-01-01"), {Grain::week}).targets;
    EXPECT_TRUE(std::equal(single.begin(), single.end(), out.begin() + static_cast<std::ptrdiff_t>(i * p)));
  }
}

TEST(Phase, ManyMatchesSingleOnRandomTotals) {
  std::mt19937_64 rng(99);
  std::vector<int64_t> totals(300);
  for (auto& t : totals) t = static_cast<int64_t>(rng() >> (rng() % 64)) * ((rng() & 1) ? 1 : -1);
  totals.push_back(INT64_MIN);
  totals.push_back(INT64_MAX);
  for (Grain g : {Grain::month, Grain::week, Grain::quarter}) {
    std::vector<int64_t> out;
    PhasePlan plan = phase_many(totals, cn(), D("2025-01-01"), D("2026-01-01"), {g}, out);
    const size_t p = plan.periods.size();
    for (size_t i = 0; i < totals.size(); ++i) {
      auto single = phase(totals[i], cn(), D("2025-01-01"), D("2026-01-01"), {g}).targets;
      ASSERT_TRUE(std::equal(single.begin(), single.end(), out.begin() + static_cast<std::ptrdiff_t>(i * p)))
          << "total " << totals[i] << " grain " << grain_name(g);
    }
  }
}

TEST(Phase, BadInput) {
  EXPECT_QF_ERROR(phase(100, cn(), D("2025-02-01"), D("2025-01-01")), errc::invalid_argument, "end (2025-01-01) is before start");
  EXPECT_QF_ERROR(phase(100, Calendar(), D("2026-01-03"), D("2026-01-05")), errc::invalid_argument, "no weighted working days", "100");
  std::vector<double> eleven(11, 1.0);
  PhaseOptions o;
  o.month_profile = eleven;
  EXPECT_QF_ERROR(phase(100, cn(), D("2025-01-01"), D("2026-01-01"), o), errc::invalid_argument, "month_profile has 11 values", "12");
  std::vector<double> neg{1, 1, 1, 1, 1, -1, 1};
  PhaseOptions w;
  w.weekday_profile = neg;
  EXPECT_QF_ERROR(phase(100, cn(), D("2025-01-01"), D("2026-01-01"), w), errc::invalid_argument, "weekday_profile[5] is -1");
  std::vector<double> daily(3, 1.0);
  PhaseOptions dd;
  dd.daily_profile = daily;
  EXPECT_QF_ERROR(phase(100, cn(), D("2025-01-01"), D("2025-01-05"), dd), errc::invalid_argument, "daily_profile has 3 values", "4");
  EXPECT_QF_ERROR(phase(100, cn(), D("2030-01-01"), D("2030-02-01")), errc::out_of_range, "2030-01-01");
  std::vector<int64_t> out;
  std::vector<int64_t> totals{5, 7};
  EXPECT_QF_ERROR(phase_many(totals, Calendar(), D("2026-01-03"), D("2026-01-05"), {}, out), errc::invalid_argument, "totals[0] is 5");
}
