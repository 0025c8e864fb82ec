/* C ABI: hierarchies and target allocation, called from C99 as an integrator would. */
#include <math.h>
#include <stdlib.h>

#include "qf_test.h"

/* 0 > {1, 2}, 1 > {3, 4}: leaves 2, 3, 4. */
static const int32_t small_parents[5] = {-1, 0, 0, 1, 1};

void test_hierarchy(void) {
  qf_hierarchy* h = NULL;
  size_t n = 0, leaves = 0;
  int32_t depth = -1, out[5], leaf_ids[3];
  int64_t values[5] = {0, 0, 5, 7, 11}, sums[5];
  CHECK_OK(qf_hierarchy_create(&h, small_parents, 5));
  CHECK_OK(qf_hierarchy_info(h, &n, &leaves, &depth));
  CHECK_INT_EQ(n, 5);
  CHECK_INT_EQ(leaves, 3);
  CHECK_INT_EQ(depth, 2);
  CHECK_OK(qf_hierarchy_depths(h, out, 5));
  CHECK_INT_EQ(out[3], 2);
  CHECK_OK(qf_hierarchy_leaves(h, leaf_ids, 3));
  CHECK_INT_EQ(leaf_ids[0], 2);
  CHECK_INT_EQ(leaf_ids[2], 4);
  CHECK_OK(qf_hierarchy_preorder(h, out, 5));
  CHECK_INT_EQ(out[1], 1);
  CHECK_INT_EQ(out[2], 3);
  CHECK_OK(qf_hierarchy_rollup(h, values, 5, sums));
  CHECK_INT_EQ(sums[0], 23);
  CHECK_INT_EQ(sums[1], 18);
  CHECK_ERROR(qf_hierarchy_leaves(h, leaf_ids, 2), QF_ERR_INVALID_ARGUMENT, "expected 3");
  CHECK_ERROR(qf_hierarchy_rollup(h, values, 4, sums), QF_ERR_INVALID_ARGUMENT, "values has 4");
  CHECK_ERROR(qf_hierarchy_info(NULL, &n, NULL, NULL), QF_ERR_NULL_POINTER, "hierarchy");
  qf_hierarchy_destroy(h);
  qf_hierarchy_destroy(NULL);
}

void test_hierarchy_errors(void) {
  qf_hierarchy* h = (qf_hierarchy*)&h; /* must be reset to NULL on failure */
  const int32_t cycle[3] = {1, 2, 0}, self[2] = {-1, 1}, out_of_range[2] = {-1, 7};
  CHECK_ERROR(qf_hierarchy_create(&h, cycle, 3), QF_ERR_INVALID_ARGUMENT, "cycle");
  CHECK(h == NULL);
  CHECK_ERROR(qf_hierarchy_create(&h, self, 2), QF_ERR_INVALID_ARGUMENT, "parents[1] is 1");
  CHECK_ERROR(qf_hierarchy_create(&h, out_of_range, 2), QF_ERR_INVALID_ARGUMENT, "parents[1] is 7");
  CHECK_ERROR(qf_hierarchy_create(&h, NULL, 2), QF_ERR_NULL_POINTER, "parents");
  CHECK_ERROR(qf_hierarchy_create(NULL, self, 2), QF_ERR_NULL_POINTER, "out");
}

void test_apportion(void) {
  const double w[3] = {6, 6, 2}, four[4] = {1, 1, 1, 1}, bad[2] = {1, NAN};
  int64_t out[4];
  const int64_t lower[3] = {0, 0, 3}, upper[3] = {100, 100, 100};
  CHECK_OK(qf_apportion(10, w, 3, QF_APPORTION_HAMILTON, NULL, NULL, out));
  CHECK(out[0] == 4 && out[1] == 4 && out[2] == 2);
  CHECK_OK(qf_apportion(11, w, 3, QF_APPORTION_HAMILTON, NULL, NULL, out));
  CHECK(out[0] == 5 && out[1] == 5 && out[2] == 1);
  CHECK_OK(qf_apportion(3, four, 4, QF_APPORTION_HAMILTON, NULL, NULL, out));
  CHECK(out[0] == 1 && out[1] == 1 && out[2] == 1 && out[3] == 0);
  CHECK_OK(qf_apportion(-11, w, 3, QF_APPORTION_WEBSTER, NULL, NULL, out));
  CHECK(out[0] + out[1] + out[2] == -11);
  CHECK_OK(qf_apportion(11, w, 3, QF_APPORTION_HAMILTON, lower, upper, out));
  CHECK(out[2] >= 3 && out[0] + out[1] + out[2] == 11);
  CHECK_ERROR(qf_apportion(10, bad, 2, QF_APPORTION_HAMILTON, NULL, NULL, out), QF_ERR_INVALID_ARGUMENT, "weights[1]");
  CHECK_ERROR(qf_apportion(10, w, 3, 7, NULL, NULL, out), QF_ERR_INVALID_ARGUMENT, "7");
  CHECK_ERROR(qf_apportion(10, w, 3, QF_APPORTION_HAMILTON, NULL, NULL, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_apportion(1, w, 3, QF_APPORTION_HAMILTON, lower, upper, out), QF_ERR_INVALID_ARGUMENT, "lower");
}

void test_allocate_tree(void) {
  qf_hierarchy* h = NULL;
  const double leaf_w[3] = {2, 1, 1};
  int64_t out[5];
  double quotas[5];
  qf_tree_options o = QF_TREE_OPTIONS_INIT;
  CHECK_OK(qf_hierarchy_create(&h, small_parents, 5));
  CHECK_OK(qf_allocate_tree(h, 100, leaf_w, 3, NULL, out, 5, NULL));
  CHECK(out[0] == 100 && out[1] == 50 && out[2] == 50 && out[3] == 25 && out[4] == 25);
  o.over_assignment = 0.1;
  CHECK_OK(qf_allocate_tree(h, 100, leaf_w, 3, &o, out, 5, quotas));
  CHECK(out[1] + out[2] == 110 && out[3] + out[4] == 61);
  CHECK(fabs(quotas[3] - 30.5) < 1e-9);
  CHECK_ERROR(qf_allocate_tree(h, 100, leaf_w, 2, NULL, out, 5, NULL), QF_ERR_INVALID_ARGUMENT, "weights has 2");
  CHECK_ERROR(qf_allocate_tree(h, 100, leaf_w, 3, NULL, out, 4, NULL), QF_ERR_INVALID_ARGUMENT, "out has length 4");
  o.version = 99;
  CHECK_ERROR(qf_allocate_tree(h, 100, leaf_w, 3, &o, out, 5, NULL), QF_ERR_INVALID_ARGUMENT, "version is 99");
  CHECK_ERROR(qf_allocate_tree(NULL, 100, leaf_w, 3, NULL, out, 5, NULL), QF_ERR_NULL_POINTER, "hierarchy");
  qf_hierarchy_destroy(h);
}

void test_phase(void) {
  qf_calendar* cn = NULL;
  int32_t start, end, starts[12], ends[12];
  int64_t targets[12], matrix[3 * 12], totals[3] = {248, 0, 1000001};
  size_t count = 0, i;
  qf_phase_options o = QF_PHASE_OPTIONS_INIT;
  CHECK_OK(qf_calendar_preset(&cn, "CN"));
  qf_date_parse("2025-01-01", &start);
  qf_date_parse("2026-01-01", &end);
  CHECK_OK(qf_phase(cn, 248, start, end, NULL, NULL, NULL, NULL, 0, &count));
  CHECK_INT_EQ(count, 12);
  CHECK_OK(qf_phase(cn, 248, start, end, &o, starts, ends, targets, 12, &count));
  CHECK_INT_EQ(targets[0], 19);
  CHECK_INT_EQ(targets[9], 18);
  CHECK_ERROR(qf_phase(cn, 248, start, end, &o, starts, ends, targets, 5, &count), QF_ERR_BUFFER_TOO_SMALL, "capacity is 5");
  CHECK_OK(qf_phase_many(cn, totals, 3, start, end, &o, matrix, 12));
  {
    int64_t sum = 0;
    for (i = 0; i < 12; ++i) sum += matrix[24 + i];
    CHECK_INT_EQ(sum, 1000001);
  }
  CHECK_ERROR(qf_phase_many(cn, totals, 3, start, end, &o, matrix, 11), QF_ERR_INVALID_ARGUMENT, "n_periods is 11");
  CHECK_ERROR(qf_phase(cn, 248, end, start, &o, starts, ends, targets, 12, &count), QF_ERR_INVALID_ARGUMENT, "end");
  o.grain = 42;
  CHECK_ERROR(qf_phase(cn, 248, start, end, &o, starts, ends, targets, 12, &count), QF_ERR_INVALID_ARGUMENT, "grain");
  qf_calendar_destroy(cn);
}

void test_allocate_grid(void) {
  const int64_t rows[2] = {10, 20}, cols[3] = {5, 10, 15};
  const double seed[6] = {1, 1, 1, 1, 1, 1};
  const int64_t bad_cols[3] = {5, 10, 16};
  int64_t out[6];
  CHECK_OK(qf_allocate_grid(rows, 2, cols, 3, seed, out));
  CHECK_INT_EQ(out[0] + out[1] + out[2], 10);
  CHECK_INT_EQ(out[3] + out[4] + out[5], 20);
  CHECK_INT_EQ(out[2] + out[5], 15);
  CHECK_ERROR(qf_allocate_grid(rows, 2, bad_cols, 3, seed, out), QF_ERR_INVALID_ARGUMENT, "31");
  CHECK_ERROR(qf_allocate_grid(rows, 2, cols, 3, NULL, out), QF_ERR_NULL_POINTER, "seed");
}

void test_reconcile(void) {
  qf_hierarchy* h = NULL;
  const double base[5] = {100, 60, 50, 30, 20};
  double real[5];
  int64_t ints[5], plan[5], bottom[5];
  const int64_t drafts[5] = {0, 0, 300, 500, 200};
  double targets[5];
  size_t i;
  CHECK_OK(qf_hierarchy_create(&h, small_parents, 5));
  CHECK_OK(qf_reconcile(h, base, 5, QF_RECONCILE_OLS, 0, NULL, 0, real, ints));
  CHECK(fabs(real[0] - (real[1] + real[2])) < 1e-9 && fabs(real[1] - (real[3] + real[4])) < 1e-9);
  CHECK(ints[0] == ints[1] + ints[2] && ints[1] == ints[3] + ints[4]);
  CHECK_OK(qf_reconcile(h, base, 5, QF_RECONCILE_BOTTOM_UP, 0, NULL, 0, real, NULL));
  CHECK(real[0] == 100.0 && real[1] == 50.0);
  CHECK_ERROR(qf_reconcile(h, base, 5, QF_RECONCILE_TOP_DOWN, 0, NULL, 0, real, NULL), QF_ERR_INVALID_ARGUMENT, "history");
  CHECK_ERROR(qf_reconcile(h, base, 5, 9, 0, NULL, 0, real, NULL), QF_ERR_INVALID_ARGUMENT, "9");
  CHECK_ERROR(qf_reconcile(h, base, 5, QF_RECONCILE_OLS, 0, NULL, 0, NULL, NULL), QF_ERR_NULL_POINTER, "out_real");
  for (i = 0; i < 5; ++i) targets[i] = NAN;
  targets[0] = 1200;
  CHECK_OK(qf_reconcile_plan(h, targets, drafts, 5, QF_PLAN_SCALE, 0.5, plan, bottom));
  CHECK_INT_EQ(plan[0], 1200);
  CHECK_INT_EQ(plan[1] + plan[2], 1200);
  CHECK_INT_EQ(bottom[0], 1000);
  CHECK_ERROR(qf_reconcile_plan(h, targets, drafts, 5, 5, 0.5, plan, NULL), QF_ERR_INVALID_ARGUMENT, "method");
  qf_hierarchy_destroy(h);
}
