/* C ABI: process models (builder, JSON, DOT, validate, analyses, fit) and conformance checks,
 * called from C99 as an integrator would. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qf_test.h"

#define DAY_NS (86400LL * 1000000000LL)

/* lead -> qualify -> won, with lead -> lost and qualify -> lost; qualify is a finance hand-off
 * with a maximum lead time of 1 day; lead may last 5 days; qualify has a required activity. */
static qf_process_model* small_model(void) {
  qf_process_model* m = NULL;
  qf_process_stage st = QF_PROCESS_STAGE_INIT;
  qf_process_activity act = QF_PROCESS_ACTIVITY_INIT;
  qf_process_transition tr = QF_PROCESS_TRANSITION_INIT;
  int32_t idx = -1;
  CHECK_OK(qf_process_model_create(&m, "small", QF_DURATION_CALENDAR_DAYS));
  st.name = "lead";
  st.department = "sales";
  st.expected_duration = 2;
  st.max_duration = 5;
  st.required = 1;
  CHECK_OK(qf_process_model_add_stage(m, &st, &idx));
  CHECK_INT_EQ(idx, 0);
  st.name = "qualify";
  st.department = "finance";
  st.role = "analyst";
  st.expected_duration = 3;
  st.max_duration = -1;
  CHECK_OK(qf_process_model_add_stage(m, &st, &idx));
  st.name = "won";
  st.role = NULL;
  st.department = "sales";
  st.expected_duration = 0;
  st.terminal = QF_TERMINAL_WON;
  CHECK_OK(qf_process_model_add_stage(m, &st, &idx));
  st.name = "lost";
  st.required = 0;
  st.terminal = QF_TERMINAL_LOST;
  CHECK_OK(qf_process_model_add_stage(m, &st, &idx));
  CHECK_INT_EQ(idx, 3);
  act.name = "check credit";
  act.required = 1;
  CHECK_OK(qf_process_model_add_activity(m, 1, &act, &idx));
  CHECK_INT_EQ(idx, 0);
  tr.from = 0;
  tr.to = 1;
  tr.max_lead_time = 1;
  CHECK_OK(qf_process_model_add_transition(m, &tr, NULL));
  tr.max_lead_time = -1;
  tr.to = 3;
  CHECK_OK(qf_process_model_add_transition(m, &tr, NULL));
  tr.from = 1;
  tr.to = 2;
  CHECK_OK(qf_process_model_add_transition(m, &tr, NULL));
  tr.to = 3;
  CHECK_OK(qf_process_model_add_transition(m, &tr, NULL));
  CHECK_OK(qf_process_model_set_start(m, 0));
  return m;
}

void test_process_model_build(void) {
  qf_process_model* m = small_model();
  size_t stages = 0, acts = 0, trans = 0, needed = 0, n = 0, count = 0;
  int32_t start = -2, unit = -1, idx = -1, dom[8], path[8];
  double total = 0;
  char name[16];
  qf_process_problems* problems = NULL;
  CHECK_OK(qf_process_model_info(m, &stages, &acts, &trans, &start, &unit));
  CHECK_INT_EQ(stages, 4);
  CHECK_INT_EQ(acts, 1);
  CHECK_INT_EQ(trans, 4);
  CHECK_INT_EQ(start, 0);
  CHECK_INT_EQ(unit, QF_DURATION_CALENDAR_DAYS);
  CHECK_OK(qf_process_model_find_stage(m, "won", &idx));
  CHECK_INT_EQ(idx, 2);
  CHECK_ERROR(qf_process_model_find_stage(m, "paid", &idx), QF_ERR_NOT_FOUND, "stage \"paid\" is not in the model");
  CHECK_OK(qf_process_model_stage_name(m, 1, NULL, 0, &needed));
  CHECK_INT_EQ(needed, 7);
  CHECK_OK(qf_process_model_stage_name(m, 1, name, sizeof name, NULL));
  CHECK_STR_EQ(name, "qualify");
  CHECK_OK(qf_process_model_validate(m, &problems));
  CHECK_OK(qf_process_problems_count(problems, &n));
  CHECK_INT_EQ(n, 0);
  qf_process_problems_destroy(problems);
  /* Mandatory: lead, qualify, won; size query first. */
  CHECK_OK(qf_process_model_mandatory_stages(m, NULL, 0, &count));
  CHECK_INT_EQ(count, 3);
  CHECK_ERROR(qf_process_model_mandatory_stages(m, dom, 2, &count), QF_ERR_BUFFER_TOO_SMALL, "capacity is 2");
  CHECK_INT_EQ(count, 3);
  CHECK_OK(qf_process_model_mandatory_stages(m, dom, 8, &count));
  CHECK_INT_EQ(dom[0], 0);
  CHECK_INT_EQ(dom[1], 1);
  CHECK_INT_EQ(dom[2], 2);
  /* Critical path lead (2) -> qualify (3) -> won (0) = 5. */
  CHECK_OK(qf_process_model_critical_path(m, path, 8, &count, &total));
  CHECK_INT_EQ(count, 3);
  CHECK_INT_EQ(path[1], 1);
  CHECK(total == 5.0);
  qf_process_model_destroy(m);
  qf_process_model_destroy(NULL);
}

void test_process_model_bad_input(void) {
  qf_process_model* m = NULL;
  qf_process_stage st = QF_PROCESS_STAGE_INIT;
  qf_process_transition tr = QF_PROCESS_TRANSITION_INIT;
  qf_process_problems* problems = NULL;
  size_t n = 0;
  int32_t kind = -1, stage = -2;
  const char* msg = NULL;
  CHECK_ERROR(qf_process_model_create(NULL, "x", 0), QF_ERR_NULL_POINTER, "out is NULL");
  CHECK_ERROR(qf_process_model_create(&m, "x", 7), QF_ERR_INVALID_ARGUMENT, "duration_unit is 7");
  CHECK(m == NULL);
  CHECK_OK(qf_process_model_create(&m, NULL, QF_DURATION_HOURS));
  CHECK_ERROR(qf_process_model_add_stage(m, &st, NULL), QF_ERR_NULL_POINTER, "stage->name is NULL");
  st.name = "";
  CHECK_ERROR(qf_process_model_add_stage(m, &st, NULL), QF_ERR_INVALID_ARGUMENT, "stages[0].name is empty");
  st.name = "a";
  st.win_probability = 2;
  CHECK_ERROR(qf_process_model_add_stage(m, &st, NULL), QF_ERR_INVALID_ARGUMENT, "win_probability is 2");
  st.win_probability = -1;
  st.version = 99;
  CHECK_ERROR(qf_process_model_add_stage(m, &st, NULL), QF_ERR_INVALID_ARGUMENT, "stage->version is 99");
  st.version = QF_PROCESS_STAGE_VERSION;
  st.terminal = 5;
  CHECK_ERROR(qf_process_model_add_stage(m, &st, NULL), QF_ERR_INVALID_ARGUMENT, "stage->terminal is 5");
  st.terminal = 0;
  CHECK_OK(qf_process_model_add_stage(m, &st, NULL));
  CHECK_OK(qf_process_model_add_stage(m, &st, NULL)); /* duplicate name: validate reports it */
  tr.from = 0;
  tr.to = 4;
  CHECK_ERROR(qf_process_model_add_transition(m, &tr, NULL), QF_ERR_OUT_OF_RANGE, "transitions[0].to is 4");
  tr.to = 1;
  tr.kind = 3;
  CHECK_ERROR(qf_process_model_add_transition(m, &tr, NULL), QF_ERR_INVALID_ARGUMENT, "transition->kind is 3");
  CHECK_ERROR(qf_process_model_set_start(m, 9), QF_ERR_OUT_OF_RANGE, "start is 9");
  CHECK_ERROR(qf_process_model_add_activity(m, 5, NULL, NULL), QF_ERR_NULL_POINTER, "activity is NULL");
  CHECK_OK(qf_process_model_validate(m, &problems));
  CHECK_OK(qf_process_problems_count(problems, &n));
  CHECK_INT_EQ(n, 5); /* no start, no won, duplicate name, two stages without a terminal */
  CHECK_OK(qf_process_problems_get(problems, 0, &kind, &stage, &msg));
  CHECK_INT_EQ(kind, QF_PROBLEM_NO_START_STAGE);
  CHECK_INT_EQ(stage, -1);
  CHECK_STR_EQ(msg, "the model has no start stage");
  CHECK_OK(qf_process_problems_get(problems, 2, &kind, &stage, &msg));
  CHECK_INT_EQ(kind, QF_PROBLEM_DUPLICATE_NAME);
  CHECK_ERROR(qf_process_problems_get(problems, 5, &kind, NULL, NULL), QF_ERR_OUT_OF_RANGE, "i is 5");
  qf_process_problems_destroy(problems);
  CHECK_ERROR(qf_process_model_mandatory_stages(m, NULL, 0, &n), QF_ERR_INVALID_ARGUMENT,
              "mandatory_stages needs a valid model: the model has no start stage (and 4 more problems");
  CHECK_ERROR(qf_process_model_info(NULL, &n, NULL, NULL, NULL, NULL), QF_ERR_NULL_POINTER, "model is NULL");
  qf_process_model_destroy(m);
}

void test_process_model_json(void) {
  qf_process_model* m = small_model();
  qf_process_model* back = NULL;
  size_t needed = 0, needed2 = 0;
  char* text;
  char* text2;
  char path[512];
  const char* bad = "{\"stages\": [{\"name\": \"a\"}],\n \"transitions\": [{\"from\": \"a\", \"to\": \"zz\"}]}";
  const char* malformed = "{\"stages\": [\n{\"name\": \"a\",]}";
  CHECK_OK(qf_process_model_to_json(m, NULL, 0, &needed));
  text = (char*)malloc(needed + 1);
  CHECK_ERROR(qf_process_model_to_json(m, text, needed, NULL), QF_ERR_BUFFER_TOO_SMALL, "bytes are needed");
  CHECK_OK(qf_process_model_to_json(m, text, needed + 1, NULL));
  CHECK(strstr(text, "\"schema\": \"quotaflow.process_model/1\"") != NULL);
  CHECK(strstr(text, "\"max_lead_time\": 1") != NULL);
  CHECK_OK(qf_process_model_from_json(&back, text, needed));
  CHECK_OK(qf_process_model_to_json(back, NULL, 0, &needed2));
  CHECK_INT_EQ(needed2, needed);
  text2 = (char*)malloc(needed2 + 1);
  CHECK_OK(qf_process_model_to_json(back, text2, needed2 + 1, NULL));
  CHECK_STR_EQ(text2, text); /* byte-stable round trip */
  qf_process_model_destroy(back);
  back = NULL;
  snprintf(path, sizeof path, "%s/qf_capi_model.json", QF_TEST_TMPDIR);
  CHECK_OK(qf_process_model_save(m, path));
  CHECK_OK(qf_process_model_load(&back, path));
  qf_process_model_destroy(back);
  back = NULL;
  CHECK_ERROR(qf_process_model_from_json(&back, bad, strlen(bad)), QF_ERR_PARSE,
              "$.transitions[0].to (line 2, column 38): stage \"zz\" is not defined");
  CHECK(back == NULL);
  CHECK_ERROR(qf_process_model_from_json(&back, malformed, strlen(malformed)), QF_ERR_PARSE,
              "line 2, column 14 (at $.stages[0]): expected '\"' to start an object key");
  CHECK_ERROR(qf_process_model_from_json(&back, NULL, 3), QF_ERR_NULL_POINTER, "text is NULL");
  CHECK_ERROR(qf_process_model_from_json(&back, "", 0), QF_ERR_PARSE, "unexpected end of input");
  CHECK_ERROR(qf_process_model_load(&back, "/nonexistent/model.json"), QF_ERR_IO, "cannot open process model");
  /* DOT without a fit. */
  CHECK_OK(qf_process_model_to_dot(m, NULL, NULL, 0, &needed));
  free(text);
  text = (char*)malloc(needed + 1);
  CHECK_OK(qf_process_model_to_dot(m, NULL, text, needed + 1, NULL));
  CHECK(strncmp(text, "digraph \"small\" {", 17) == 0);
  CHECK(strstr(text, "s0 -> s1 [label=\"hand-off <= 1 days\"") != NULL);
  free(text);
  free(text2);
  qf_process_model_destroy(m);
}

/* Three cases: c0 conforming (lead, qualify, check credit, won); c1 jumps lead -> won (illegal,
 * skips qualify); c2 stays in lead from day 0 and is open at day 9 (lead max 5). Resource "bob"
 * is a clerk, but qualify needs an analyst. */
static qf_log* small_log(void) {
  static const int64_t cases[10] = {0, 0, 0, 0, 1, 1, 2, 0, 1, 2};
  static const int32_t acts[10] = {0, 1, 4, 2, 0, 2, 0, 5, 5, 5};
  static const double days[10] = {0, 0.5, 0.6, 1, 0, 2, 0, 1.5, 2.5, 0.1};
  static const int32_t res[10] = {0, 1, -1, 0, 0, 0, 0, -1, -1, -1};
  static const char* const names[6] = {"lead", "qualify", "won", "lost", "check credit", "coffee"};
  static const char* const res_names[2] = {"ann", "bob"};
  int64_t ts[10];
  size_t i;
  qf_log* log = NULL;
  qf_log_options opt = QF_LOG_OPTIONS_INIT;
  opt.resources = res;
  opt.resource_names = res_names;
  opt.n_resources = 2;
  for (i = 0; i < 10; ++i) ts[i] = (int64_t)(days[i] * (double)DAY_NS);
  CHECK_OK(qf_log_create(&log, cases, acts, ts, 10, names, 6, &opt));
  return log;
}

void test_process_check(void) {
  qf_process_model* m = small_model();
  qf_log* log = small_log();
  qf_process_check* chk = NULL;
  qf_process_check_options opt = QF_PROCESS_CHECK_OPTIONS_INIT;
  const char* role_res[2] = {"ann", "bob"};
  const char* role_names[2] = {"manager", "clerk"};
  size_t n_cases = 0, n_dev = 0, needed = 0, n_paths = 0, count = 0, i;
  int64_t fitting = -1, conforming = -1, ndev[3], cases_of[16], by_kind[QF_DEVIATION_KINDS], by_stage[4 * QF_DEVIATION_KINDS];
  int64_t path_cases = 0, second_pos[16], second_time[16];
  int32_t kinds[16], stages[16], final_stage[3], outcome[3], produced[3], missing[3], path[8];
  double fitness[3], mean = 0, value[16], limit[16];
  char msg[256];
  opt.as_of_ns = 9 * DAY_NS;
  opt.role_resources = role_res;
  opt.role_names = role_names;
  opt.n_roles = 2;
  CHECK_OK(qf_process_check_create(&chk, m, log, &opt));
  CHECK_OK(qf_process_check_info(chk, &n_cases, &n_dev, &fitting, &conforming, &mean));
  CHECK_INT_EQ(n_cases, 3);
  /* c0: unknown "coffee", wrong role (bob enters qualify); c1: illegal, skipped qualify, coffee;
   * c2: coffee, open too long. */
  CHECK_INT_EQ(n_dev, 7);
  CHECK_INT_EQ(fitting, 2);
  CHECK_INT_EQ(conforming, 0);
  CHECK_OK(qf_process_check_cases(chk, fitness, final_stage, outcome, ndev, 3));
  CHECK(fitness[0] == 1.0);
  CHECK(fabs(fitness[1] - (1.0 - 1.0 / 3.0)) < 1e-12); /* produced 3, consumed 3, missing 1, remaining 1 */
  CHECK(fitness[2] == 1.0);
  CHECK_INT_EQ(final_stage[1], 2);
  CHECK_INT_EQ(outcome[0], 2);
  CHECK_INT_EQ(outcome[2], 1);
  CHECK_INT_EQ(ndev[0], 2);
  CHECK_INT_EQ(ndev[1], 3);
  CHECK_INT_EQ(ndev[2], 2);
  CHECK_OK(qf_process_check_tokens(chk, produced, NULL, missing, NULL, 3));
  CHECK_INT_EQ(produced[1], 3);
  CHECK_INT_EQ(missing[1], 1);
  CHECK_OK(qf_process_check_deviations(chk, kinds, cases_of, stages, NULL, value, limit, n_dev));
  CHECK_INT_EQ(kinds[0], QF_DEVIATION_WRONG_ROLE);
  CHECK_INT_EQ(kinds[1], QF_DEVIATION_UNKNOWN_ACTIVITY);
  CHECK_INT_EQ(kinds[2], QF_DEVIATION_ILLEGAL_TRANSITION);
  CHECK_INT_EQ(kinds[3], QF_DEVIATION_SKIPPED_REQUIRED_STAGE);
  CHECK_INT_EQ(stages[3], 1);
  CHECK_INT_EQ(cases_of[3], 1);
  CHECK_INT_EQ(kinds[6], QF_DEVIATION_OPEN_TOO_LONG);
  CHECK(value[6] == 9.0);
  CHECK(limit[6] == 5.0);
  CHECK(isnan(value[0]));
  CHECK_STR_EQ(qf_deviation_kind_name(kinds[6]), "open_too_long");
  CHECK_STR_EQ(qf_deviation_kind_name(99), "unknown");
  CHECK_OK(qf_process_check_deviation_events(chk, NULL, second_pos, NULL, NULL, NULL, second_time, n_dev));
  CHECK_INT_EQ(second_pos[2], 1);
  CHECK_INT_EQ(second_time[6], 9 * DAY_NS);
  CHECK_OK(qf_process_check_message(chk, 2, NULL, 0, &needed));
  CHECK_OK(qf_process_check_message(chk, 2, msg, sizeof msg, NULL));
  CHECK_STR_EQ(msg, "moved from stage \"lead\" to \"won\", which the process does not allow");
  CHECK_OK(qf_process_check_message(chk, 0, msg, sizeof msg, NULL));
  CHECK_STR_EQ(msg, "\"bob\" (role \"clerk\") did \"qualify\" in stage \"qualify\", which needs role \"analyst\"");
  CHECK_ERROR(qf_process_check_message(chk, 7, msg, sizeof msg, NULL), QF_ERR_OUT_OF_RANGE, "i is 7");
  CHECK_OK(qf_process_check_by_kind(chk, by_kind, QF_DEVIATION_KINDS));
  CHECK_INT_EQ(by_kind[QF_DEVIATION_UNKNOWN_ACTIVITY], 3);
  CHECK_OK(qf_process_check_by_stage(chk, by_stage, 4 * QF_DEVIATION_KINDS));
  CHECK_INT_EQ(by_stage[1 * QF_DEVIATION_KINDS + QF_DEVIATION_SKIPPED_REQUIRED_STAGE], 1);
  CHECK_ERROR(qf_process_check_by_stage(chk, by_stage, 3), QF_ERR_INVALID_ARGUMENT, "n is 3 but 44 values");
  CHECK_OK(qf_process_check_path_count(chk, &n_paths));
  CHECK_INT_EQ(n_paths, 3);
  for (i = 0; i < n_paths; ++i) {
    CHECK_OK(qf_process_check_path(chk, i, path, 8, &count, &path_cases));
    CHECK_INT_EQ(path_cases, 1);
  }
  CHECK_OK(qf_process_check_path(chk, 0, NULL, 0, &count, NULL));
  CHECK_INT_EQ(count, 1); /* lead (c2), the shortest of the single-case paths */
  qf_process_check_destroy(chk);
  chk = NULL;
  /* Bad options. */
  opt.version = 7;
  CHECK_ERROR(qf_process_check_create(&chk, m, log, &opt), QF_ERR_INVALID_ARGUMENT, "options->version is 7");
  opt.version = QF_PROCESS_CHECK_OPTIONS_VERSION;
  role_names[1] = NULL;
  CHECK_ERROR(qf_process_check_create(&chk, m, log, &opt), QF_ERR_NULL_POINTER, "options->role_names[1] is NULL");
  CHECK_ERROR(qf_process_check_create(&chk, m, NULL, NULL), QF_ERR_NULL_POINTER, "log is NULL");
  CHECK(chk == NULL);
  qf_process_check_destroy(NULL);
  qf_log_destroy(log);
  qf_process_model_destroy(m);
}

void test_process_fit(void) {
  qf_process_model* m = small_model();
  qf_log* log = small_log();
  qf_process_fit* fit = NULL;
  double win[4], soj[4], prob[16];
  int64_t entered[4], won[4], counts[16];
  size_t needed = 0;
  char* dot;
  CHECK_OK(qf_process_fit_create(&fit, m, log));
  /* Observed: lead -> qualify 1, lead -> won 1; qualify -> won 1. */
  CHECK_OK(qf_process_fit_moves(fit, counts, prob, NULL, 16));
  CHECK_INT_EQ(counts[0 * 4 + 1], 1);
  CHECK_INT_EQ(counts[0 * 4 + 2], 1);
  CHECK(prob[0 * 4 + 1] == 0.5);
  CHECK_OK(qf_process_fit_stages(fit, win, NULL, soj, NULL, NULL, 4));
  CHECK(win[0] == 1.0);
  CHECK(soj[1] == 0.5 * 86400);
  CHECK_OK(qf_process_fit_funnel(fit, entered, won, NULL, NULL, 4));
  CHECK_INT_EQ(entered[0], 3);
  CHECK_INT_EQ(won[0], 2);
  CHECK_ERROR(qf_process_fit_stages(fit, win, NULL, NULL, NULL, NULL, 3), QF_ERR_INVALID_ARGUMENT, "n is 3 but 4");
  CHECK_OK(qf_process_model_to_dot(m, fit, NULL, 0, &needed));
  dot = (char*)malloc(needed + 1);
  CHECK_OK(qf_process_model_to_dot(m, fit, dot, needed + 1, NULL));
  CHECK(strstr(dot, "not in model") != NULL); /* lead -> won */
  free(dot);
  qf_process_fit_destroy(fit);
  qf_log_destroy(log);
  qf_process_model_destroy(m);
}
