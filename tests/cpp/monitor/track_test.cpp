// monitor::track and monitor::price_volume_mix: every measure on hand-worked cases, statuses at
// each threshold, seasonality profiles, exactness properties, bad input.
#include <cmath>
#include <random>
#include <vector>

#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/track.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Date d(const char* s) { return date_from_string(s); }
// root 0 -> leaves 1, 2, 3
Hierarchy fan(int leaves) {
  std::vector<int32_t> p(static_cast<size_t>(leaves) + 1, 0);
  p[0] = -1;
  return Hierarchy::from_parents(p);
}
// September 2025 on a plain (Sat+Sun) calendar: Monday 1st .. Tuesday 30th, 22 working days.
const Date sep1 = date_from_string("2025-09-01"), oct1 = date_from_string("2025-10-01");
}  // namespace

TEST(Track, HandWorkedMeasures) {
  Hierarchy h = fan(3);
  Calendar cal;
  // as_of Wednesday 10 September: 8 working days elapsed (1-5, 8-10), 14 remain.
  std::vector<int64_t> plan{4300, 1100, 1000, 2200};
  std::vector<int64_t> actual{1520, 500, 300, 720};
  auto t = track(h, cal, plan, actual, sep1, oct1, d("2025-09-10"));
  ASSERT_EQ(t.periods.size(), 1u);
  EXPECT_EQ(t.elapsed_days[0], 8);
  EXPECT_EQ(t.remaining_days[0], 14);
  EXPECT_DOUBLE_EQ(t.elapsed[0], 8.0 / 22.0);
  // plan to date: round-half-up of plan x 8 / 22.
  EXPECT_EQ(t.plan_to_date, (std::vector<int64_t>{1564, 400, 364, 800}));  // 1563.64, 400, 363.64, 800
  EXPECT_EQ(t.variance, (std::vector<int64_t>{-44, 100, -64, -80}));
  EXPECT_DOUBLE_EQ(t.variance_pct[1], 25.0);
  EXPECT_DOUBLE_EQ(t.variance_pct[2], 100.0 * -64 / 364);
  EXPECT_DOUBLE_EQ(t.attainment[2], 0.3);
  EXPECT_DOUBLE_EQ(t.attainment[0], 1520.0 / 4300.0);
  EXPECT_DOUBLE_EQ(t.pace[1], 1.25);
  EXPECT_DOUBLE_EQ(t.pace[3], 0.9);
  // projected: actual x 22 / 8, rounded.
  EXPECT_EQ(t.projected, (std::vector<int64_t>{4180, 1375, 825, 1980}));
  EXPECT_EQ(t.projected_seasonal, t.projected);  // no profile: the same run rate
  EXPECT_DOUBLE_EQ(t.required_rate[2], 50.0);    // (1000 - 300) / 14
  EXPECT_DOUBLE_EQ(t.required_rate[0], 2780.0 / 14.0);
  // statuses: 1.25 ahead; 300/364 = 0.82 at risk; 0.9 behind (needs 105.7/day vs the plan's 100);
  // the root 1520/1564 = 0.97 on track.
  EXPECT_EQ(t.status, (std::vector<TrackStatus>{TrackStatus::on_track, TrackStatus::ahead, TrackStatus::at_risk,
                                                TrackStatus::behind}));
  // gap shares: each leaf's variance over the root's; they sum to 1.
  EXPECT_TRUE(std::isnan(t.gap_share[0]));
  EXPECT_DOUBLE_EQ(t.gap_share[1], 100.0 / -44.0);
  EXPECT_DOUBLE_EQ(t.gap_share[2], -64.0 / -44.0);
  EXPECT_NEAR(t.gap_share[1] + t.gap_share[2] + t.gap_share[3], 1.0, 1e-12);
  EXPECT_EQ(track_status_name(t.status[3]), "behind");
}

TEST(Track, PlanToDateTiesAndSigns) {
  Hierarchy h = fan(2);
  Calendar cal;
  // as_of Monday 15 September: 11 of 22 working days, exactly half.
  std::vector<int64_t> plan{0, 3, -3}, actual{0, 0, 0};
  auto t = track(h, cal, plan, actual, sep1, oct1, d("2025-09-15"));
  EXPECT_EQ(t.plan_to_date, (std::vector<int64_t>{0, 2, -2}));  // 1.5: the tie goes to the elapsed part
  // The elapsed part plus the remaining part is the plan, exactly, for every plan and day.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 200; ++i) {
    const int64_t p = static_cast<int64_t>(rng() >> 1) * (i % 2 ? 1 : -1);
    std::vector<int64_t> pl{p, p, 0}, ac{0, 0, 0};
    const Date as_of = sep1 + static_cast<Date>(rng() % 30);
    auto r = track(h, cal, pl, ac, sep1, oct1, as_of);
    const int64_t ed = r.elapsed_days[0];
    std::vector<double> w{static_cast<double>(ed), static_cast<double>(22 - ed)};
    if (ed > 0 && ed < 22) {
      EXPECT_EQ(r.plan_to_date[0], apportion(p, w)[0]) << p << " " << ed;
    }
  }
}

TEST(Track, PeriodsBeforeDuringAndAfterAsOf) {
  Hierarchy h = fan(1);
  Calendar cal;
  // Three months; as_of 10 September: August is over, September runs, October has not started.
  const Date aug1 = d("2025-08-01"), nov1 = d("2025-11-01");
  std::vector<int64_t> plan{1000, 2200, 500, 1000, 2200, 500};
  std::vector<int64_t> actual{990, 500, 40, 990, 500, 40};
  auto t = track(h, cal, plan, actual, aug1, nov1, d("2025-09-10"));
  ASSERT_EQ(t.periods.size(), 3u);
  EXPECT_EQ(t.status[0], TrackStatus::missed);
  EXPECT_EQ(t.plan_to_date[0], 1000);
  EXPECT_EQ(t.projected[0], 990);
  EXPECT_TRUE(std::isnan(t.required_rate[0]));  // no working day left and not made
  EXPECT_DOUBLE_EQ(t.elapsed[0], 1.0);
  EXPECT_EQ(t.status[1], TrackStatus::at_risk);  // 500 / 800
  EXPECT_EQ(t.plan_to_date[2], 0);
  EXPECT_DOUBLE_EQ(t.elapsed[2], 0.0);
  EXPECT_EQ(t.status[2], TrackStatus::ahead);  // sold before anything was due
  EXPECT_EQ(t.projected[2], 540);              // no run rate yet: actual + the plan still to come
  EXPECT_TRUE(std::isnan(t.pace[2]));
  EXPECT_TRUE(std::isnan(t.variance_pct[2]));
  // made: at the end of the period, and early.
  std::vector<int64_t> plan2{1000, 2200, 500, 1000, 2200, 500}, actual2{1000, 2300, 0, 1000, 2300, 0};
  auto m = track(h, cal, plan2, actual2, aug1, nov1, d("2025-09-10"));
  EXPECT_EQ(m.status[0], TrackStatus::made);
  EXPECT_EQ(m.status[1], TrackStatus::made);
  EXPECT_DOUBLE_EQ(m.required_rate[1], 0.0);
  EXPECT_EQ(m.status[2], TrackStatus::on_track);  // nothing due, nothing sold
  // The last day of a period closes it.
  auto last = track(h, cal, plan2, actual, aug1, nov1, d("2025-09-30"));
  EXPECT_EQ(last.status[1], TrackStatus::missed);
}

TEST(Track, ThresholdsAndRequiredRate) {
  Hierarchy h = fan(1);
  Calendar cal;
  // as_of Friday 26 September: 20 of 22 working days gone; plan 2200, plan to date 2000.
  auto status_for = [&](int64_t a, const TrackThresholds& th = {}) {
    std::vector<int64_t> plan{2200, 2200}, actual{a, a};
    TrackOptions o;
    o.thresholds = th;
    return track(h, cal, plan, actual, sep1, oct1, d("2025-09-26"), o).status[1];
  };
  EXPECT_EQ(status_for(2200), TrackStatus::made);
  EXPECT_EQ(status_for(2199), TrackStatus::on_track);  // pace 1.0995 < 1.10
  EXPECT_EQ(status_for(2000), TrackStatus::on_track);  // pace 1.0
  EXPECT_EQ(status_for(1900), TrackStatus::on_track);  // pace 0.95 exactly
  // pace 0.925 >= 0.85, but it needs 175 per day against the plan's 100: more than 1.5x.
  EXPECT_EQ(status_for(1850), TrackStatus::at_risk);
  TrackThresholds lenient;
  lenient.at_risk_required = 2.0;
  EXPECT_EQ(status_for(1850, lenient), TrackStatus::behind);
  EXPECT_EQ(status_for(1690, lenient), TrackStatus::at_risk);  // pace 0.845 < 0.85
  TrackThresholds eager;
  eager.ahead_pace = 1.05;
  EXPECT_EQ(status_for(2150, eager), TrackStatus::ahead);  // pace 1.075
  EXPECT_EQ(status_for(2050, eager), TrackStatus::on_track);
}

TEST(Track, SeasonalProfile) {
  Hierarchy h = fan(1);
  Calendar cal;
  // Fridays weigh 3, other working days 1: September 2025 has 4 Fridays, so W = 18 + 12 = 30;
  // by Wednesday 10th: 1+1+1+1+3 + 1+1+1 = 10 elapsed, 20 remaining.
  std::vector<double> weekday{1, 1, 1, 1, 3, 0, 0};
  TrackOptions o;
  o.weekday_profile = weekday;
  std::vector<int64_t> plan{1000, 1000}, actual{500, 500};
  auto t = track(h, cal, plan, actual, sep1, oct1, d("2025-09-10"), o);
  EXPECT_DOUBLE_EQ(t.elapsed_weight[0], 10.0);
  EXPECT_DOUBLE_EQ(t.remaining_weight[0], 20.0);
  EXPECT_EQ(t.plan_to_date[1], 333);          // 1000 x 10 / 30
  EXPECT_EQ(t.projected[1], 1375);            // working days: 500 x 22 / 8
  EXPECT_EQ(t.projected_seasonal[1], 1500);   // weighted: 500 x 30 / 10
  EXPECT_DOUBLE_EQ(t.elapsed[0], 8.0 / 22.0);  // elapsed stays in working days
  // A month profile gives weights per month; a daily profile one weight per day of the range.
  std::vector<double> month(12, 1.0);
  month[8] = 2.0;
  TrackOptions om;
  om.month_profile = month;
  auto tm = track(h, cal, plan, actual, sep1, oct1, d("2025-09-10"), om);
  EXPECT_EQ(tm.plan_to_date[1], 364);  // a uniform factor inside one month changes nothing
  std::vector<double> daily(30, 0.0);
  daily[0] = 1;   // Monday 1st
  daily[29] = 3;  // Tuesday 30th
  TrackOptions od;
  od.daily_profile = daily;
  auto td = track(h, cal, plan, actual, sep1, oct1, d("2025-09-10"), od);
  EXPECT_EQ(td.plan_to_date[1], 250);
  EXPECT_EQ(td.projected_seasonal[1], 2000);
}

TEST(Track, WithRollupOnSampleShapedData) {
  // track's plan-to-date over all days of a period adds up across nodes when the plan is coherent
  // and the pieces never exceed the plan.
  std::mt19937_64 rng(11);
  Calendar cal = Calendar::preset("CN");
  Hierarchy h = Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0, 1, 1, 2, 2, 2});
  const Date s = d("2026-01-01"), e = d("2026-07-01");
  std::vector<int64_t> leaf_plan(8 * 6, 0), act(8 * 6, 0);
  for (int32_t v : h.leaves())
    for (size_t k = 0; k < 6; ++k) {
      leaf_plan[static_cast<size_t>(v) * 6 + k] = static_cast<int64_t>(rng() % 1000000);
      act[static_cast<size_t>(v) * 6 + k] = static_cast<int64_t>(rng() % 1000000);
    }
  quotaflow::monitor::detail::rollup_rows(h, leaf_plan.data(), 6, "plan");
  quotaflow::monitor::detail::rollup_rows(h, act.data(), 6, "actual");
  for (Date as_of = s - 3; as_of < e + 3; as_of += 5) {
    auto t = track(h, cal, leaf_plan, act, s, e, as_of);
    for (size_t c = 0; c < t.plan_to_date.size(); ++c) {
      const int64_t p = leaf_plan[c];
      EXPECT_GE(t.plan_to_date[c], 0);
      EXPECT_LE(t.plan_to_date[c], p);
      EXPECT_EQ(t.variance[c], act[c] - t.plan_to_date[c]);
    }
    for (size_t k = 0; k < 6; ++k) {  // gap shares of the root's children sum to 1
      const double g = t.gap_share[1 * 6 + k] + t.gap_share[2 * 6 + k];
      if (t.variance[k] != 0) {
        // shares of children sum to 1 only if the parent's variance is the children's sum
        const int64_t sum = t.variance[6 + k] + t.variance[12 + k];
        if (sum == t.variance[k]) {
          EXPECT_NEAR(g, 1.0, 1e-9);
        }
      }
    }
  }
}

TEST(Track, BadInput) {
  Hierarchy h = fan(1);
  Calendar cn = Calendar::preset("CN");
  const Date s = d("2026-01-01"), e = d("2026-03-01");
  std::vector<int64_t> four{1, 2, 3, 4}, three{1, 2, 3};
  EXPECT_QF_ERROR(track(h, cn, three, four, s, e, s), errc::invalid_argument, "plan has 3 values", "2 x 2 = 4");
  EXPECT_QF_ERROR(track(h, cn, four, three, s, e, s), errc::invalid_argument, "actual has 3 values");
  EXPECT_QF_ERROR(track(h, cn, four, four, s, d("2027-03-01"), s), errc::out_of_range, "end");
  EXPECT_QF_ERROR(track(h, cn, four, four, s, e, max_supported_date + 5), errc::out_of_range, "as_of");
  TrackOptions o;
  o.thresholds.behind_pace = std::nan("");
  EXPECT_QF_ERROR(track(h, cn, four, four, s, e, s, o), errc::invalid_argument, "thresholds.behind_pace is nan");
  o.thresholds.behind_pace = 1.5;
  EXPECT_QF_ERROR(track(h, cn, four, four, s, e, s, o), errc::invalid_argument, "at_risk_pace <= behind_pace <= ahead_pace");
  TrackOptions p;
  std::vector<double> bad_month(11, 1.0);
  p.month_profile = bad_month;
  EXPECT_QF_ERROR(track(h, cn, four, four, s, e, s, p), errc::invalid_argument, "month_profile has 11 values");
  std::vector<double> neg_week{1, 1, 1, -1, 1, 0, 0};
  TrackOptions q;
  q.weekday_profile = neg_week;
  EXPECT_QF_ERROR(track(h, cn, four, four, s, e, s, q), errc::invalid_argument, "weekday_profile[3] is -1");
  std::vector<double> daily(10, 1.0);
  TrackOptions r;
  r.daily_profile = daily;
  EXPECT_QF_ERROR(track(h, cn, four, four, s, e, s, r), errc::invalid_argument, "daily_profile has 10 values");
  std::vector<int64_t> huge{INT64_MAX, INT64_MAX, INT64_MAX, INT64_MAX}, neg{-5, -5, -5, -5};
  EXPECT_QF_ERROR(track(h, cn, huge, neg, s, e, d("2026-01-31")), errc::overflow, "variance");
  EXPECT_QF_ERROR(track(h, cn, four, huge, s, e, d("2026-01-10")), errc::overflow, "projected");
}

TEST(PriceVolumeMix, HandWorked) {
  // Product A: plan 100 @ 10, actual 80 @ 12; product B: plan 100 @ 20, actual 150 @ 19.
  std::vector<int32_t> group{0, 0};
  std::vector<int64_t> qp{100, 100}, rp{1000, 2000}, qa{80, 150}, ra{960, 2850};
  auto e = price_volume_mix(group, qp, rp, qa, ra, 1);
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(e[0].plan_revenue, 3000);
  EXPECT_EQ(e[0].actual_revenue, 3810);
  EXPECT_EQ(e[0].gap, 810);
  EXPECT_EQ(e[0].price, 10);    // 80 x (12 - 10) + 150 x (19 - 20)
  EXPECT_EQ(e[0].volume, 450);  // (230 - 200) x 15
  EXPECT_EQ(e[0].mix, 350);     // 80 x 10 + 150 x 20 - 230 x 15
}

TEST(PriceVolumeMix, ConventionsAndExactSum) {
  // An unplanned product: its price effect is 0. A group without planned quantity: all volume.
  std::vector<int32_t> group{0, 0, 1};
  std::vector<int64_t> qp{10, 0, 0}, rp{100, 0, 0}, qa{10, 5, 3}, ra{100, 70, 30};
  auto e = price_volume_mix(group, qp, rp, qa, ra, 2);
  EXPECT_EQ(e[0].price, 0);
  EXPECT_EQ(e[0].volume, 50);  // 5 more units at the planned average price 10
  EXPECT_EQ(e[0].mix, 20);     // the new product sells at 14, above the average
  EXPECT_EQ(e[1].volume, 30);
  EXPECT_EQ(e[1].mix, 0);
  // Random: the effects always sum exactly to the gap, and mix stays within rounding of its formula.
  std::mt19937_64 rng(3);
  for (int round = 0; round < 200; ++round) {
    const size_t n = 1 + rng() % 20;
    std::vector<int32_t> g(n, 0);
    std::vector<int64_t> a(n), b(n), c(n), dd(n);
    long double mix_formula = 0, qa_tot = 0, qp_tot = 0, rp_tot = 0;
    for (size_t i = 0; i < n; ++i) {
      a[i] = 1 + static_cast<int64_t>(rng() % 1000);
      b[i] = static_cast<int64_t>(rng() % 100000);
      c[i] = static_cast<int64_t>(rng() % 1000);
      dd[i] = static_cast<int64_t>(rng() % 100000);
      mix_formula += static_cast<long double>(c[i]) * b[i] / a[i];
      qa_tot += c[i], qp_tot += a[i], rp_tot += b[i];
    }
    mix_formula -= qa_tot * rp_tot / qp_tot;
    auto r = price_volume_mix(g, a, b, c, dd, 1)[0];
    EXPECT_EQ(r.price + r.volume + r.mix, r.gap);
    EXPECT_LE(std::fabs(static_cast<double>(r.mix - mix_formula)), 0.5 * static_cast<double>(n) + 0.5 + 1e-6);
  }
}

TEST(PriceVolumeMix, BadInput) {
  std::vector<int32_t> group{0, 3};
  std::vector<int64_t> two{1, 1}, one{1};
  EXPECT_QF_ERROR(price_volume_mix(group, two, two, two, two, 2), errc::out_of_range, "group[1] is 3");
  EXPECT_QF_ERROR(price_volume_mix(group, two, one, two, two, 4), errc::invalid_argument, "plan_revenue has 1");
  std::vector<int32_t> g0{0, 0};
  std::vector<int64_t> big{INT64_MAX, 1};
  EXPECT_QF_ERROR(price_volume_mix(g0, two, big, two, two, 1), errc::overflow, "plan_revenue");
}
