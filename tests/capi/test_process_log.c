/* C ABI: event logs and discovery, called from C99 as an integrator would. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "qf_test.h"

#define SEC 1000000000LL

/* Cases 10: a@0 b@10 c@40; 20: a@0 b@20 b@50 c@60; 30: a@5 b@15 c@45 (rows deliberately mixed). */
static const int64_t hand_cases[10] = {20, 10, 30, 10, 20, 30, 10, 20, 30, 20};
static const int32_t hand_acts[10] = {0, 0, 0, 1, 1, 1, 2, 1, 2, 2};
static const int64_t hand_secs[10] = {0, 0, 5, 10, 20, 15, 40, 50, 45, 60};
static const char* const hand_names[3] = {"a", "b", "c"};

static qf_log* hand_log(void) {
  int64_t ts[10];
  size_t i;
  qf_log* log = NULL;
  for (i = 0; i < 10; ++i) ts[i] = hand_secs[i] * SEC;
  CHECK_OK(qf_log_create(&log, hand_cases, hand_acts, ts, 10, hand_names, 3, NULL));
  return log;
}

void test_log_create(void) {
  qf_log* log = hand_log();
  size_t n = 0, cases = 0, acts = 0, res = 9, needed = 0;
  int64_t offsets[4], ts[10], rows[10];
  int32_t a[10], id = -1;
  char name[8];
  CHECK_OK(qf_log_info(log, &n, &cases, &acts, &res));
  CHECK_INT_EQ(n, 10);
  CHECK_INT_EQ(cases, 3);
  CHECK_INT_EQ(acts, 3);
  CHECK_INT_EQ(res, 0);
  CHECK_OK(qf_log_case_offsets(log, offsets, 4));
  CHECK_INT_EQ(offsets[1], 3);
  CHECK_INT_EQ(offsets[2], 7);
  CHECK_OK(qf_log_events(log, a, ts, rows, 10));
  CHECK_INT_EQ(rows[0], 1); /* case 10 first: rows 1, 3, 6 */
  CHECK_INT_EQ(rows[3], 0); /* case 20: rows 0, 4, 7, 9 */
  CHECK_INT_EQ(a[5], 1);
  CHECK_INT_EQ(ts[5], 50 * SEC);
  CHECK_OK(qf_log_case_name(log, 1, name, sizeof name, &needed));
  CHECK_STR_EQ(name, "20");
  CHECK_OK(qf_log_activity_name(log, 2, NULL, 0, &needed));
  CHECK_INT_EQ(needed, 1);
  CHECK_OK(qf_log_activity_name(log, 2, name, sizeof name, NULL));
  CHECK_STR_EQ(name, "c");
  CHECK_OK(qf_log_find_activity(log, "b", &id));
  CHECK_INT_EQ(id, 1);
  CHECK_ERROR(qf_log_find_activity(log, "zzz", &id), QF_ERR_NOT_FOUND, "\"zzz\"");
  CHECK_ERROR(qf_log_activity_name(log, 3, name, sizeof name, NULL), QF_ERR_OUT_OF_RANGE, "activity is 3");
  CHECK_ERROR(qf_log_case_offsets(log, offsets, 3), QF_ERR_INVALID_ARGUMENT, "expected 4");
  qf_log_destroy(log);
  qf_log_destroy(NULL);
}

void test_log_options(void) {
  const int32_t res[10] = {0, 1, -1, 0, 1, -1, 0, 1, -1, 0};
  const char* const res_names[2] = {"ann", "bob"};
  const char* const case_names[31] = {0};
  const char* names[31];
  int64_t amounts[10] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}, ts[10];
  qf_log_options opt = QF_LOG_OPTIONS_INIT;
  qf_log* log = NULL;
  size_t i, nres = 0;
  char buf[16];
  for (i = 0; i < 31; ++i) names[i] = "?";
  names[10] = "deal-10";
  names[20] = "deal-20";
  names[30] = "deal-30";
  for (i = 0; i < 10; ++i) ts[i] = hand_secs[i] * SEC;
  opt.resources = res;
  opt.resource_names = res_names;
  opt.n_resources = 2;
  opt.amounts = amounts;
  opt.case_names = names;
  opt.n_case_names = 31;
  CHECK_OK(qf_log_create(&log, hand_cases, hand_acts, ts, 10, hand_names, 3, &opt));
  CHECK_OK(qf_log_info(log, NULL, NULL, NULL, &nres));
  CHECK_INT_EQ(nres, 2);
  CHECK_OK(qf_log_case_name(log, 2, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "deal-30");
  qf_log_destroy(log);
  opt.case_names = case_names; /* NULL entries */
  CHECK_ERROR(qf_log_create(&log, hand_cases, hand_acts, ts, 10, hand_names, 3, &opt), QF_ERR_NULL_POINTER,
              "options->case_names[0] is NULL");
  opt.case_names = NULL;
  opt.n_case_names = 0;
  opt.version = 99;
  CHECK_ERROR(qf_log_create(&log, hand_cases, hand_acts, ts, 10, hand_names, 3, &opt), QF_ERR_INVALID_ARGUMENT,
              "options->version is 99");
}

void test_log_bad_input(void) {
  qf_log* log = (qf_log*)&log; /* reset to NULL on failure */
  int64_t ts[3] = {1, INT64_MIN, 3};
  const int64_t cases[3] = {0, 0, 1};
  const int32_t acts[3] = {0, 1, 2};
  const char* const dup[3] = {"a", "b", "a"};
  CHECK_ERROR(qf_log_create(&log, cases, acts, ts, 0, hand_names, 3, NULL), QF_ERR_INVALID_ARGUMENT, "empty");
  CHECK(log == NULL);
  CHECK_ERROR(qf_log_create(&log, cases, acts, ts, 3, hand_names, 3, NULL), QF_ERR_INVALID_ARGUMENT,
              "timestamps_ns[1] is NaT");
  ts[1] = 2;
  CHECK_ERROR(qf_log_create(&log, cases, acts, ts, 3, hand_names, 2, NULL), QF_ERR_OUT_OF_RANGE, "activities[2] is 2");
  CHECK_ERROR(qf_log_create(&log, cases, acts, ts, 3, dup, 3, NULL), QF_ERR_INVALID_ARGUMENT, "duplicate");
  CHECK_ERROR(qf_log_create(&log, NULL, acts, ts, 3, hand_names, 3, NULL), QF_ERR_NULL_POINTER, "case_keys");
  CHECK_ERROR(qf_log_create(NULL, cases, acts, ts, 3, hand_names, 3, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_log_info(NULL, NULL, NULL, NULL, NULL), QF_ERR_NULL_POINTER, "log");
  CHECK_ERROR(qf_dfg_create((qf_dfg**)&log, NULL), QF_ERR_NULL_POINTER, "log");
}

void test_log_csv(void) {
  const char* path = QF_TEST_TMPDIR "/test_process_log.csv";
  FILE* f = fopen(path, "w");
  qf_log* log = (qf_log*)&log;
  qf_log_csv_options opt = QF_LOG_CSV_OPTIONS_INIT;
  size_t n = 0;
  CHECK(f != NULL);
  if (f == NULL) return;
  fputs("id;step;when;who\nd1;Lead;2025-01-01T09:00:00+01:00;ann\nd1;Won;2025-01-02T08:00:00Z;\n", f);
  fputs("d2;Lead;2025-01-03;bob\nd2;Lost;2025-01-0X;bob\n", f);
  fclose(f);
  opt.case_column = "id";
  opt.activity_column = "step";
  opt.timestamp_column = "when";
  opt.resource_column = "who";
  opt.delimiter = ';';
  CHECK_ERROR(qf_log_read_csv(&log, path, &opt), QF_ERR_PARSE, "line 5, column \"when\"");
  CHECK(log == NULL);
  f = fopen(path, "w");
  if (f == NULL) return;
  fputs("id;step;when;who\nd1;Lead;2025-01-01T09:00:00+01:00;ann\nd1;Won;2025-01-02T08:00:00Z;\n", f);
  fclose(f);
  CHECK_OK(qf_log_read_csv(&log, path, &opt));
  CHECK_OK(qf_log_info(log, &n, NULL, NULL, NULL));
  CHECK_INT_EQ(n, 2);
  qf_log_destroy(log);
  CHECK_ERROR(qf_log_read_csv(&log, path, NULL), QF_ERR_NOT_FOUND, "case:concept:name");
  CHECK_ERROR(qf_log_read_csv(&log, QF_TEST_TMPDIR "/no-such-log.csv.gz", NULL), QF_ERR_IO, "no-such-log");
  remove(path);
}

void test_dfg(void) {
  qf_log* log = hand_log();
  qf_dfg* dfg = NULL;
  size_t n = 0, cap = 0;
  int32_t src[3], dst[3], start_act[3];
  int64_t count[3], start_count[3];
  double mean[3], median[3], mn[3], mx[3], sum[3], sd[3];
  CHECK_OK(qf_dfg_create(&dfg, log));
  CHECK_OK(qf_dfg_size(dfg, &n));
  CHECK_INT_EQ(n, 3);
  CHECK_OK(qf_dfg_edges(dfg, src, dst, count, 3));
  CHECK_INT_EQ(src[0], 0);
  CHECK_INT_EQ(dst[0], 1);
  CHECK_INT_EQ(count[0], 3);
  CHECK_INT_EQ(src[1], 1);
  CHECK_INT_EQ(dst[1], 1);
  CHECK_INT_EQ(count[2], 3);
  CHECK_OK(qf_dfg_times(dfg, mean, median, mn, mx, sum, sd, 3));
  CHECK(fabs(mean[0] - 40.0 / 3) < 1e-12);
  CHECK(median[0] == 10 && mn[0] == 10 && mx[0] == 20 && sum[0] == 40);
  CHECK(fabs(sd[0] - sqrt(300.0 / 9)) < 1e-12);
  CHECK(sd[1] == 0);
  CHECK_OK(qf_dfg_times(dfg, NULL, median, NULL, NULL, NULL, NULL, 3));
  CHECK_ERROR(qf_dfg_edges(dfg, src, NULL, NULL, 2), QF_ERR_BUFFER_TOO_SMALL, "source has capacity 2");
  CHECK_OK(qf_log_start_activities(log, NULL, NULL, 0, &cap));
  CHECK_INT_EQ(cap, 1);
  CHECK_OK(qf_log_start_activities(log, start_act, start_count, 3, &cap));
  CHECK_INT_EQ(start_act[0], 0);
  CHECK_INT_EQ(start_count[0], 3);
  CHECK_OK(qf_log_end_activities(log, start_act, start_count, 3, NULL));
  CHECK_INT_EQ(start_act[0], 2);
  qf_dfg_destroy(dfg);
  qf_dfg_destroy(NULL);
  qf_log_destroy(log);
}

void test_variants(void) {
  qf_log* log = hand_log();
  qf_variants* v = NULL;
  size_t nv = 0, na = 0;
  int64_t offsets[3], count[2], first[2];
  int32_t acts[7], of_case[3];
  CHECK_OK(qf_variants_create(&v, log));
  CHECK_OK(qf_variants_size(v, &nv, &na));
  CHECK_INT_EQ(nv, 2);
  CHECK_INT_EQ(na, 7);
  CHECK_OK(qf_variants_columns(v, offsets, count, first, 2, acts, 7));
  CHECK_INT_EQ(offsets[1], 3);
  CHECK_INT_EQ(count[0], 2);
  CHECK_INT_EQ(count[1], 1);
  CHECK_INT_EQ(first[1], 1);
  CHECK_INT_EQ(acts[4], 1); /* a b b c */
  CHECK_INT_EQ(acts[5], 1);
  CHECK_OK(qf_variants_of_cases(v, of_case, 3));
  CHECK_INT_EQ(of_case[1], 1);
  CHECK_INT_EQ(of_case[2], 0);
  CHECK_ERROR(qf_variants_columns(v, offsets, count, first, 3, acts, 7), QF_ERR_INVALID_ARGUMENT, "n_variants is 3");
  CHECK_ERROR(qf_variants_columns(v, NULL, NULL, NULL, 2, acts, 6), QF_ERR_BUFFER_TOO_SMALL, "activities");
  qf_variants_destroy(v);
  qf_log_destroy(log);
}

void test_temporal(void) {
  qf_log* log = hand_log();
  qf_temporal_profile* p = NULL;
  qf_temporal_profile* strict = NULL;
  qf_temporal_deviations* d = NULL;
  size_t n = 0;
  int32_t src[4], dst[4], spos[3], tpos[3];
  int64_t count[4], cases[3];
  double mean[4], sd[4], secs[3], z[3];
  const char* const names[2] = {"b", "a"};
  const int32_t ps[1] = {1}, pt[1] = {0};
  const double pm[1] = {10}, psd[1] = {0}, bad_sd[1] = {-1};
  CHECK_OK(qf_temporal_profile_create(&p, log));
  CHECK_OK(qf_temporal_profile_size(p, &n));
  CHECK_INT_EQ(n, 4);
  CHECK_OK(qf_temporal_profile_columns(p, src, dst, count, mean, sd, 4));
  CHECK_INT_EQ(count[0], 4);
  CHECK(mean[0] == 22.5);
  CHECK(sd[2] == 0);
  CHECK_OK(qf_temporal_conformance_create(&d, log, p, 1.0));
  CHECK_OK(qf_temporal_deviations_size(d, &n));
  CHECK_INT_EQ(n, 3);
  CHECK_OK(qf_temporal_deviations_columns(d, cases, spos, tpos, src, dst, secs, z, 3));
  CHECK_INT_EQ(cases[0], 1);
  CHECK_INT_EQ(tpos[0], 2);
  CHECK(secs[0] == 50 && secs[1] == 60 && secs[2] == 10);
  CHECK(fabs(z[0] - 27.5 / sd[0]) < 1e-12);
  qf_temporal_deviations_destroy(d);
  /* A hand-made profile: a -> b must take exactly 10 s. */
  CHECK_OK(qf_temporal_profile_from_columns(&strict, names, 2, ps, pt, pm, psd, 1));
  CHECK_OK(qf_temporal_conformance_create(&d, log, strict, 6.0));
  CHECK_OK(qf_temporal_deviations_size(d, &n));
  CHECK_INT_EQ(n, 2);
  CHECK_OK(qf_temporal_deviations_columns(d, NULL, NULL, NULL, NULL, NULL, secs, z, 3));
  CHECK(secs[0] == 20 && isinf(z[0]));
  qf_temporal_deviations_destroy(d);
  qf_temporal_profile_destroy(strict);
  d = NULL;
  CHECK_ERROR(qf_temporal_conformance_create(&d, log, p, -1.0), QF_ERR_INVALID_ARGUMENT, "zeta is -1");
  CHECK(d == NULL);
  CHECK_ERROR(qf_temporal_conformance_create(&d, log, NULL, 6.0), QF_ERR_NULL_POINTER, "profile");
  CHECK_ERROR(qf_temporal_profile_from_columns(&strict, names, 2, ps, pt, pm, bad_sd, 1), QF_ERR_INVALID_ARGUMENT,
              "stdev[0] is -1");
  qf_temporal_profile_destroy(strict);
  qf_temporal_profile_destroy(p);
  qf_temporal_deviations_destroy(NULL);
  qf_log_destroy(log);
}
