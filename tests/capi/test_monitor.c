/* C ABI: control charts, called from C99 as an integrator would. */
#include <math.h>
#include <stdlib.h>

#include "qf_test.h"

static int near(double a, double b) { return fabs(a - b) <= 1e-12 * (fabs(a) + fabs(b) + 1.0); }

void test_control_chart(void) {
  /* Baseline = first 5 points: centre 11.6, sigma 1.5 / 1.128; 20 is beyond 3 sigma. */
  const double x[6] = {10, 12, 11, 13, 12, 20};
  const uint8_t base[6] = {1, 1, 1, 1, 1, 0};
  qf_chart_options o = QF_CHART_OPTIONS_INIT;
  qf_chart_signals* s = NULL;
  size_t n = 99, series = 99;
  int64_t ser[4], idx[4];
  int32_t rule[4];
  double value[4], center[4], lower[4], upper[4], c = 0, sigma = 0;
  uint32_t mask = 0;

  o.baseline = base;
  CHECK_OK(qf_control_chart(&s, x, 6, &o));
  CHECK_OK(qf_chart_signals_size(s, &n, &series));
  CHECK_INT_EQ(n, 1);
  CHECK_INT_EQ(series, 1);
  CHECK_OK(qf_chart_signals_columns(s, ser, idx, rule, value, center, lower, upper, 4));
  CHECK_INT_EQ(ser[0], 0);
  CHECK_INT_EQ(idx[0], 5);
  CHECK_INT_EQ(rule[0], QF_RULE_NELSON1);
  CHECK(value[0] == 20.0);
  CHECK(near(center[0], 11.6));
  CHECK(near(upper[0], 11.6 + 3 * 1.5 / 1.128));
  CHECK(near(lower[0], 11.6 - 3 * 1.5 / 1.128));
  CHECK_OK(qf_chart_signals_parameters(s, &c, &sigma, 1));
  CHECK(near(c, 11.6) && near(sigma, 1.5 / 1.128));
  /* Any column may be NULL; too small a buffer is reported. */
  CHECK_OK(qf_chart_signals_columns(s, NULL, idx, NULL, NULL, NULL, NULL, NULL, 1));
  CHECK_ERROR(qf_chart_signals_columns(s, NULL, idx, NULL, NULL, NULL, NULL, NULL, 0), QF_ERR_BUFFER_TOO_SMALL,
              "index has capacity 0");
  qf_chart_signals_destroy(s);
  qf_chart_signals_destroy(NULL);

  /* NULL options: X-mR, Nelson rules, every point in the baseline (no signal here). */
  CHECK_OK(qf_control_chart(&s, x, 6, NULL));
  CHECK_OK(qf_chart_signals_size(s, &n, NULL));
  CHECK_INT_EQ(n, 0);
  qf_chart_signals_destroy(s);

  /* CUSUM by hand: centre 10, sigma 1, k 0.5, h 2 -> up at 3 (3.5), down at 6 (-4.5) and 7 (-2.5). */
  {
    const double y[8] = {10, 11, 12, 12, 9, 8, 7, 7}, ten = 10.0, one = 1.0;
    qf_chart_options co = QF_CHART_OPTIONS_INIT;
    co.chart = QF_CHART_CUSUM;
    co.h = 2.0;
    co.center = &ten;
    co.n_center = 1;
    co.sigma = &one;
    co.n_sigma = 1;
    CHECK_OK(qf_control_chart(&s, y, 8, &co));
    CHECK_OK(qf_chart_signals_size(s, &n, NULL));
    CHECK_INT_EQ(n, 3);
    CHECK_OK(qf_chart_signals_columns(s, NULL, idx, rule, value, center, lower, upper, 4));
    CHECK(idx[0] == 3 && rule[0] == QF_RULE_CUSUM_UP && value[0] == 3.5);
    CHECK(idx[1] == 6 && rule[1] == QF_RULE_CUSUM_DOWN && value[1] == -4.5);
    CHECK(idx[2] == 7 && rule[2] == QF_RULE_CUSUM_DOWN && value[2] == -2.5);
    CHECK(center[0] == 0.0 && lower[0] == -2.0 && upper[0] == 2.0);
    qf_chart_signals_destroy(s);
  }

  /* Rule names and masks. */
  CHECK_STR_EQ(qf_chart_rule_name(QF_RULE_NELSON8), "nelson8");
  CHECK_STR_EQ(qf_chart_rule_name(QF_RULE_WE4), "we4");
  CHECK_STR_EQ(qf_chart_rule_name(QF_RULE_EWMA), "ewma");
  CHECK_STR_EQ(qf_chart_rule_name(-1), "unknown");
  CHECK_STR_EQ(qf_chart_rule_name(15), "unknown");
  CHECK_OK(qf_chart_rules_parse("nelson", &mask));
  CHECK_INT_EQ(mask, QF_RULES_NELSON);
  CHECK_OK(qf_chart_rules_parse("western_electric, nelson2", &mask));
  CHECK_INT_EQ(mask, QF_RULES_WESTERN_ELECTRIC | QF_RULE_BIT(QF_RULE_NELSON2));
  CHECK_ERROR(qf_chart_rules_parse("nelson9", &mask), QF_ERR_INVALID_ARGUMENT, "\"nelson9\" is unknown");
}

void test_control_charts_bulk(void) {
  /* 3 series x 10 points: a run of 10 above a given centre fires nelson2 at 8 and 9 (series 0);
   * series 1 is flat (estimated sigma would be 0, here sigma is given); series 2 alternates. */
  enum { S = 3, P = 10 };
  double m[S * P];
  const double centres[S] = {0, 5, 0}, one = 1.0;
  qf_chart_options o = QF_CHART_OPTIONS_INIT;
  qf_chart_signals* bulk = NULL;
  qf_chart_signals* single = NULL;
  size_t n = 0, n1 = 0, series = 0, i, r, at = 0;
  int64_t ser[16], idx[16], idx1[16];
  int32_t rule[16], rule1[16];
  double c[S], sg[S], v[16], v1[16];
  for (i = 0; i < P; ++i) {
    m[i] = 0.5;
    m[P + i] = 5.0;
    m[2 * P + i] = (i % 2 == 0) ? 1.5 : -1.5;
  }
  o.rules = QF_RULES_NELSON | QF_RULE_BIT(QF_RULE_WE4);
  o.center = centres;
  o.n_center = S;
  o.sigma = &one;
  o.n_sigma = 1;
  CHECK_OK(qf_control_charts(&bulk, m, S, P, &o));
  CHECK_OK(qf_chart_signals_size(bulk, &n, &series));
  CHECK_INT_EQ(series, S);
  CHECK(n > 0 && n <= 16);
  CHECK_OK(qf_chart_signals_columns(bulk, ser, idx, rule, v, NULL, NULL, NULL, 16));
  CHECK_OK(qf_chart_signals_parameters(bulk, c, sg, S));
  CHECK(c[1] == 5.0 && sg[2] == 1.0);
  /* Series 0: we4 at 7, then nelson2 and we4 at 8 and 9. */
  CHECK(ser[0] == 0 && idx[0] == 7 && rule[0] == QF_RULE_WE4);
  CHECK(ser[1] == 0 && idx[1] == 8 && rule[1] == QF_RULE_NELSON2);
  CHECK(ser[2] == 0 && idx[2] == 8 && rule[2] == QF_RULE_WE4);
  /* Bulk equals one chart per row. */
  for (r = 0; r < S; ++r) {
    qf_chart_options one_opt = o;
    one_opt.center = &centres[r];
    one_opt.n_center = 1;
    CHECK_OK(qf_control_chart(&single, m + r * P, P, &one_opt));
    CHECK_OK(qf_chart_signals_size(single, &n1, NULL));
    CHECK_OK(qf_chart_signals_columns(single, NULL, idx1, rule1, v1, NULL, NULL, NULL, 16));
    for (i = 0; i < n1; ++i, ++at) {
      CHECK(at < n);
      if (at >= n) break;
      CHECK_INT_EQ(ser[at], r);
      CHECK_INT_EQ(idx[at], idx1[i]);
      CHECK_INT_EQ(rule[at], rule1[i]);
      CHECK(v[at] == v1[i]);
    }
    qf_chart_signals_destroy(single);
  }
  CHECK_INT_EQ(at, n);
  qf_chart_signals_destroy(bulk);

  /* No series at all: an empty result. */
  CHECK_OK(qf_control_charts(&bulk, NULL, 0, 52, NULL));
  CHECK_OK(qf_chart_signals_size(bulk, &n, &series));
  CHECK(n == 0 && series == 0);
  qf_chart_signals_destroy(bulk);
}

void test_control_chart_bad_input(void) {
  const double x[4] = {1, 2, 3, 4}, zero = 0.0;
  double bad[4] = {1, 2, 3, 4};
  const uint8_t one_point[4] = {0, 1, 0, 0};
  qf_chart_options o = QF_CHART_OPTIONS_INIT;
  qf_chart_signals* s = (qf_chart_signals*)&s; /* must be reset to NULL on failure */

  bad[2] = NAN;
  CHECK_ERROR(qf_control_chart(&s, bad, 4, NULL), QF_ERR_INVALID_ARGUMENT, "values[2] is NaN");
  CHECK(s == NULL);
  CHECK_ERROR(qf_control_charts(&s, bad, 2, 2, NULL), QF_ERR_INVALID_ARGUMENT, "values[1, 0] is NaN");
  CHECK_ERROR(qf_control_chart(&s, x, 0, NULL), QF_ERR_INVALID_ARGUMENT, "values is empty");
  CHECK_ERROR(qf_control_chart(&s, NULL, 4, NULL), QF_ERR_NULL_POINTER, "values");
  CHECK_ERROR(qf_control_chart(NULL, x, 4, NULL), QF_ERR_NULL_POINTER, "out");
  CHECK_ERROR(qf_control_charts(&s, x, 2, 0, NULL), QF_ERR_INVALID_ARGUMENT, "n_points is 0");
  CHECK_ERROR(qf_control_charts(&s, x, (size_t)-1 / 2, 4, NULL), QF_ERR_OVERFLOW, "overflows");

  o.version = 99;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "options->version is 99");
  o.version = QF_CHART_OPTIONS_VERSION;
  o.chart = 5;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "chart is 5");
  o.chart = QF_CHART_EWMA;
  o.rules = QF_RULES_NELSON;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "ewma charts take only ewma");
  o.rules = 0x10000u;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "rules is 0x10000");
  o.rules = 0;
  o.lambda = 0;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "lambda is 0");
  o.lambda = 0.2;
  o.L = -1;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "L is -1");
  o.L = 3;
  o.chart = QF_CHART_CUSUM;
  o.k = -1;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "k is -1");
  o.k = 0.5;
  o.h = 0;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "h is 0");
  o.h = 5;
  o.baseline = one_point;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "baseline has 1 point");
  o.baseline = NULL;
  o.sigma = &zero;
  o.n_sigma = 1;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "sigma[0] is 0");
  o.n_sigma = 0;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_INVALID_ARGUMENT, "n_sigma is 0");
  o.sigma = NULL;
  o.n_center = 2;
  CHECK_ERROR(qf_control_chart(&s, x, 4, &o), QF_ERR_NULL_POINTER, "options->center");
  CHECK(s == NULL);

  CHECK_ERROR(qf_chart_signals_size(NULL, NULL, NULL), QF_ERR_NULL_POINTER, "signals");
  CHECK_ERROR(qf_chart_rules_parse(NULL, NULL), QF_ERR_NULL_POINTER, "names");
}
