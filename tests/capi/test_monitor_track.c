/* C ABI: roll-up of actuals, plan vs actual and pacing, price/volume/mix. */
#include <math.h>
#include <stdlib.h>

#include "qf_test.h"

static int32_t day(const char* iso) {
  int32_t d = 0;
  qf_date_parse(iso, &d);
  return d;
}

void test_rollup(void) {
  /* root 0 -> {1, 2}; 1 -> {3, 4} */
  const int32_t parents[] = {-1, 0, 0, 1, 1};
  qf_hierarchy* h = NULL;
  qf_calendar* cal = NULL;
  CHECK_OK(qf_hierarchy_create(&h, parents, 5));
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  {
    const int32_t node[] = {3, 4, 3, 1, 2, 2, 3};
    int32_t date[7];
    const int64_t amount[] = {10, 20, 5, 7, 100, 1000, 3};
    const int64_t want[] = {30, 5, 107, 30, 5, 7, 0, 0, 100, 10, 5, 0, 20, 0, 0};
    int64_t out[15], outside_count = -1, outside_amount = -1;
    size_t periods = 0, i;
    date[0] = day("2026-01-05");
    date[1] = day("2026-01-31");
    date[2] = day("2026-02-01");
    date[3] = day("2026-03-15");
    date[4] = day("2026-03-31");
    date[5] = day("2026-04-01");
    date[6] = day("2025-12-31");
    CHECK_OK(qf_rollup(h, cal, node, date, amount, 7, day("2026-01-01"), day("2026-04-01"), QF_GRAIN_MONTH, NULL, 0,
                       &periods, NULL, NULL));
    CHECK_INT_EQ(periods, 3);
    CHECK_OK(qf_rollup(h, cal, node, date, amount, 7, day("2026-01-01"), day("2026-04-01"), QF_GRAIN_MONTH, out, 15,
                       &periods, &outside_count, &outside_amount));
    for (i = 0; i < 15; ++i) CHECK_INT_EQ(out[i], want[i]);
    CHECK_INT_EQ(outside_count, 2);
    CHECK_INT_EQ(outside_amount, 1003);
  }
  qf_calendar_destroy(cal);
  qf_hierarchy_destroy(h);
}

void test_rollup_bad_input(void) {
  const int32_t parents[] = {-1, 0};
  qf_hierarchy* h = NULL;
  qf_calendar* cn = NULL;
  const int32_t bad_node[] = {1, 5};
  int32_t date[2];
  const int64_t amount[] = {1, 2};
  int64_t out[12];
  const int32_t s = day("2026-01-01"), e = day("2026-07-01");
  CHECK_OK(qf_hierarchy_create(&h, parents, 2));
  CHECK_OK(qf_calendar_preset(&cn, "CN"));
  date[0] = s;
  date[1] = s;
  CHECK_ERROR(qf_rollup(h, cn, bad_node, date, amount, 2, s, e, QF_GRAIN_MONTH, out, 12, NULL, NULL, NULL),
              QF_ERR_NOT_FOUND, "node_of_fact[1] is 5");
  date[1] = day("2027-01-05"); /* CN covers 2007..2026 */
  CHECK_OK(qf_rollup(h, cn, parents + 1, date, amount, 1, s, e, QF_GRAIN_MONTH, out, 12, NULL, NULL, NULL));
  {
    const int32_t ok_node[] = {1, 1};
    CHECK_ERROR(qf_rollup(h, cn, ok_node, date, amount, 2, s, e, QF_GRAIN_MONTH, out, 12, NULL, NULL, NULL),
                QF_ERR_OUT_OF_RANGE, "date_of_fact[1] is 2027-01-05");
    date[1] = s;
    CHECK_ERROR(qf_rollup(h, cn, ok_node, date, amount, 2, s, e, QF_GRAIN_MONTH, out, 11, NULL, NULL, NULL),
                QF_ERR_INVALID_ARGUMENT, "n_out is 11");
    CHECK_ERROR(qf_rollup(h, cn, ok_node, NULL, amount, 2, s, e, QF_GRAIN_MONTH, out, 12, NULL, NULL, NULL),
                QF_ERR_NULL_POINTER, "date_of_fact");
    CHECK_ERROR(qf_rollup(NULL, cn, ok_node, date, amount, 2, s, e, QF_GRAIN_MONTH, out, 12, NULL, NULL, NULL),
                QF_ERR_NULL_POINTER, "hierarchy");
    CHECK_ERROR(qf_rollup(h, cn, ok_node, date, amount, 2, s, e, 17, out, 12, NULL, NULL, NULL), QF_ERR_INVALID_ARGUMENT,
                "grain is 17");
  }
  qf_calendar_destroy(cn);
  qf_hierarchy_destroy(h);
}

void test_track(void) {
  /* root 0 -> leaves 1, 2, 3; September 2025 on a Sat+Sun calendar, as of Wednesday the 10th:
   * 8 of 22 working days gone. */
  const int32_t parents[] = {-1, 0, 0, 0};
  const int64_t plan[] = {4300, 1100, 1000, 2200}, actual[] = {1520, 500, 300, 720};
  const int64_t want_ptd[] = {1564, 400, 364, 800}, want_proj[] = {4180, 1375, 825, 1980};
  const int32_t want_status[] = {QF_TRACK_ON_TRACK, QF_TRACK_AHEAD, QF_TRACK_AT_RISK, QF_TRACK_BEHIND};
  qf_hierarchy* h = NULL;
  qf_calendar* cal = NULL;
  qf_track* t = NULL;
  qf_track_options opt = QF_TRACK_OPTIONS_INIT;
  int64_t ptd[4], proj[4], days[1];
  double pace[4], share[4], elapsed[1];
  int32_t status[4];
  size_t nodes = 0, periods = 0, i;
  CHECK_OK(qf_hierarchy_create(&h, parents, 4));
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  CHECK_OK(qf_track_create(&t, h, cal, plan, actual, 4, day("2025-09-01"), day("2025-10-01"), day("2025-09-10"), &opt));
  CHECK_OK(qf_track_info(t, &nodes, &periods));
  CHECK_INT_EQ(nodes, 4);
  CHECK_INT_EQ(periods, 1);
  CHECK_OK(qf_track_int64(t, QF_TRACK_PLAN_TO_DATE, ptd, 4));
  CHECK_OK(qf_track_int64(t, QF_TRACK_PROJECTED, proj, 4));
  CHECK_OK(qf_track_int64(t, QF_TRACK_ELAPSED_DAYS, days, 1));
  CHECK_OK(qf_track_double(t, QF_TRACK_PACE, pace, 4));
  CHECK_OK(qf_track_double(t, QF_TRACK_GAP_SHARE, share, 4));
  CHECK_OK(qf_track_double(t, QF_TRACK_ELAPSED, elapsed, 1));
  CHECK_OK(qf_track_statuses(t, status, 4));
  for (i = 0; i < 4; ++i) {
    CHECK_INT_EQ(ptd[i], want_ptd[i]);
    CHECK_INT_EQ(proj[i], want_proj[i]);
    CHECK_INT_EQ(status[i], want_status[i]);
  }
  CHECK_INT_EQ(days[0], 8);
  CHECK(fabs(elapsed[0] - 8.0 / 22.0) < 1e-15);
  CHECK(pace[1] == 1.25);
  CHECK(isnan(share[0]));
  CHECK(fabs(share[1] + share[2] + share[3] - 1.0) < 1e-12);
  CHECK_STR_EQ(qf_track_status_name(status[3]), "behind");
  CHECK_STR_EQ(qf_track_status_name(99), "unknown");
  /* bad reads */
  CHECK_ERROR(qf_track_int64(t, QF_TRACK_PACE, ptd, 4), QF_ERR_INVALID_ARGUMENT, "not an int64 column");
  CHECK_ERROR(qf_track_double(t, QF_TRACK_PACE, pace, 3), QF_ERR_INVALID_ARGUMENT, "n is 3");
  CHECK_ERROR(qf_track_statuses(NULL, status, 4), QF_ERR_NULL_POINTER, "track");
  qf_track_destroy(t);
  qf_track_destroy(NULL);
  /* seasonality: Fridays weigh 3 */
  {
    const double weekday[7] = {1, 1, 1, 1, 3, 0, 0};
    const int64_t plan2[] = {1000, 1000}, actual2[] = {500, 500};
    const int32_t p2[] = {-1, 0};
    qf_hierarchy* h2 = NULL;
    int64_t seasonal[2], ptd2[2];
    opt.weekday_profile = weekday;
    CHECK_OK(qf_hierarchy_create(&h2, p2, 2));
    CHECK_OK(qf_track_create(&t, h2, cal, plan2, actual2, 2, day("2025-09-01"), day("2025-10-01"), day("2025-09-10"),
                             &opt));
    CHECK_OK(qf_track_int64(t, QF_TRACK_PLAN_TO_DATE, ptd2, 2));
    CHECK_OK(qf_track_int64(t, QF_TRACK_PROJECTED_SEASONAL, seasonal, 2));
    CHECK_INT_EQ(ptd2[1], 333);
    CHECK_INT_EQ(seasonal[1], 1500);
    qf_track_destroy(t);
    qf_hierarchy_destroy(h2);
  }
  qf_calendar_destroy(cal);
  qf_hierarchy_destroy(h);
}

void test_track_bad_input(void) {
  const int32_t parents[] = {-1, 0};
  const int64_t four[] = {1, 2, 3, 4};
  qf_hierarchy* h = NULL;
  qf_calendar* cn = NULL;
  qf_track* t = (qf_track*)&t; /* not NULL: a failed create must set it to NULL */
  qf_track_options opt = QF_TRACK_OPTIONS_INIT;
  const int32_t s = day("2026-01-01"), e = day("2026-03-01");
  CHECK_OK(qf_hierarchy_create(&h, parents, 2));
  CHECK_OK(qf_calendar_preset(&cn, "CN"));
  CHECK_ERROR(qf_track_create(&t, h, cn, four, four, 3, s, e, s, NULL), QF_ERR_INVALID_ARGUMENT, "plan has 3 values");
  CHECK(t == NULL);
  CHECK_ERROR(qf_track_create(&t, h, cn, four, four, 4, s, day("2027-02-01"), s, NULL), QF_ERR_OUT_OF_RANGE, "end");
  CHECK_ERROR(qf_track_create(&t, h, cn, NULL, four, 4, s, e, s, NULL), QF_ERR_NULL_POINTER, "plan");
  opt.version = 99;
  CHECK_ERROR(qf_track_create(&t, h, cn, four, four, 4, s, e, s, &opt), QF_ERR_INVALID_ARGUMENT, "options->version is 99");
  opt.version = QF_TRACK_OPTIONS_VERSION;
  opt.behind_pace = NAN;
  CHECK_ERROR(qf_track_create(&t, h, cn, four, four, 4, s, e, s, &opt), QF_ERR_INVALID_ARGUMENT, "behind_pace");
  qf_calendar_destroy(cn);
  qf_hierarchy_destroy(h);
}

void test_price_volume_mix(void) {
  const int32_t group[] = {0, 0};
  const int64_t qp[] = {100, 100}, rp[] = {1000, 2000}, qa[] = {80, 150}, ra[] = {960, 2850};
  int64_t gap = 0, volume = 0, price = 0, mix = 0;
  const int32_t bad_group[] = {0, 2};
  CHECK_OK(qf_price_volume_mix(group, qp, rp, qa, ra, 2, 1, &gap, &volume, &price, &mix));
  CHECK_INT_EQ(gap, 810);
  CHECK_INT_EQ(volume, 450);
  CHECK_INT_EQ(price, 10);
  CHECK_INT_EQ(mix, 350);
  CHECK_ERROR(qf_price_volume_mix(bad_group, qp, rp, qa, ra, 2, 2, NULL, NULL, NULL, NULL), QF_ERR_OUT_OF_RANGE,
              "group[1] is 2");
  CHECK_ERROR(qf_price_volume_mix(group, qp, NULL, qa, ra, 2, 1, NULL, NULL, NULL, NULL), QF_ERR_NULL_POINTER,
              "plan_revenue");
}
