/* C ABI: incentive plans from JSON and payout runs over columns. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "qf_test.h"

static int32_t pday(const char* iso) {
  int32_t d = 0;
  qf_date_parse(iso, &d);
  return d;
}

static const char* plan_json =
    "{\"name\": \"AE\", \"components\": [{\"name\": \"sales\", \"type\": \"commission\", \"method\": \"marginal\","
    " \"tiers\": [{\"from\": 0, \"rate\": 0.02}, {\"from\": 1, \"rate\": 0.05}], \"cap\": 30000}]}";

void test_payout(void) {
  qf_plan* plan = NULL;
  qf_calendar* cal = NULL;
  qf_payout* run = NULL;
  const int32_t seller[] = {0, 0, 1};
  int32_t date[3], qfrom[2];
  const int64_t amount[] = {1000000, 500000, 100000};
  const int32_t qperson[] = {0, 1};
  const int64_t qamount[] = {1000000, 1000000};
  qf_payout_input in = QF_PAYOUT_INPUT_INIT;
  qf_payout_options opt = QF_PAYOUT_OPTIONS_INIT;
  size_t people = 0, periods = 0, lines = 0, needed = 0, i;
  int64_t payout[4], credit[4], sum = 0;
  int32_t kind[16];
  int64_t line_amount[16];
  char* text;
  CHECK_OK(qf_plan_create_json(&plan, plan_json, strlen(plan_json), "plan.json"));
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  date[0] = pday("2026-01-10");
  date[1] = pday("2026-01-20");
  date[2] = pday("2026-02-03");
  qfrom[0] = qfrom[1] = pday("2026-01-01");
  in.n_people = 2;
  in.n_sales = 3;
  in.sale_seller = seller;
  in.sale_date = date;
  in.sale_amount = amount;
  in.n_quotas = 2;
  in.quota_person = qperson;
  in.quota_from = qfrom;
  in.quota_amount = qamount;
  opt.start = pday("2026-01-01");
  opt.end = pday("2026-03-01");
  CHECK_OK(qf_payout_run(&run, (const qf_plan* const*)&plan, 1, cal, &in, &opt));
  CHECK_OK(qf_payout_size(run, &people, &periods, &lines));
  CHECK_INT_EQ(people, 2);
  CHECK_INT_EQ(periods, 2);
  CHECK_INT_EQ(lines, 8); /* p0 Jan: credit, 2 tiers, cap; p0 Feb: credit; p1 Jan: credit; p1 Feb: credit, tier 0 */
  CHECK_OK(qf_payout_cells(run, credit, NULL, NULL, NULL, NULL, payout, NULL, NULL, NULL, NULL, 4));
  CHECK_INT_EQ(credit[0], 1500000);
  CHECK_INT_EQ(payout[0], 30000); /* 20,000 + 25,000 capped at 30,000 */
  CHECK_INT_EQ(payout[1], 0);
  CHECK_INT_EQ(payout[3], 2000); /* 100,000 x 2% */
  CHECK_OK(qf_payout_lines(run, NULL, NULL, kind, NULL, NULL, NULL, NULL, NULL, line_amount, lines));
  CHECK_INT_EQ(kind[3], QF_LINE_COMPONENT_CAP);
  CHECK_INT_EQ(line_amount[3], -15000);
  for (i = 0; i < 4; ++i) sum += line_amount[i];
  CHECK_INT_EQ(sum, payout[0]);
  CHECK_STR_EQ(qf_line_kind_name(QF_LINE_DRAW_RECOVERY), "draw_recovery");
  CHECK_STR_EQ(qf_line_kind_name(99), "unknown");
  CHECK_OK(qf_plan_to_json(plan, NULL, 0, &needed));
  text = (char*)malloc(needed + 1);
  CHECK_OK(qf_plan_to_json(plan, text, needed + 1, NULL));
  CHECK(strstr(text, "\"method\": \"marginal\"") != NULL);
  free(text);
  qf_payout_destroy(run);
  qf_plan_destroy(plan);
  qf_calendar_destroy(cal);
}

void test_payout_bad_input(void) {
  qf_plan* plan = NULL;
  qf_calendar* cal = NULL;
  qf_payout* run = NULL;
  const char* bad = "{\"name\": \"AE\", \"components\": [{\"name\": \"s\", \"type\": \"commission\","
                    " \"tiers\": [{\"from\": 0, \"rate\": -0.02}]}]}";
  const int32_t seller[] = {3};
  int32_t date[1];
  const int64_t amount[] = {10};
  const int64_t split_sale[] = {0, 0};
  const int32_t split_person[] = {0, 1};
  const double split_share[] = {0.5, 0.4};
  qf_payout_input in = QF_PAYOUT_INPUT_INIT;
  qf_payout_options opt = QF_PAYOUT_OPTIONS_INIT;
  CHECK_ERROR(qf_plan_create_json(&plan, bad, strlen(bad), NULL), QF_ERR_INVALID_ARGUMENT,
              "$.components[0].tiers[0].rate is -0.02");
  CHECK(plan == NULL);
  CHECK_ERROR(qf_plan_create_json(&plan, "{", 1, "p.json"), QF_ERR_PARSE, "p.json");
  CHECK_ERROR(qf_plan_create_json(NULL, "{}", 2, NULL), QF_ERR_NULL_POINTER, "out is NULL");
  CHECK_OK(qf_plan_create_json(&plan, plan_json, strlen(plan_json), NULL));
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  date[0] = pday("2026-01-10");
  in.n_people = 2;
  in.n_sales = 1;
  in.sale_seller = seller;
  in.sale_date = date;
  in.sale_amount = amount;
  opt.start = pday("2026-01-01");
  opt.end = pday("2026-02-01");
  CHECK_ERROR(qf_payout_run(&run, (const qf_plan* const*)&plan, 1, cal, &in, &opt), QF_ERR_NOT_FOUND,
              "sale_seller[0] is 3; people are 0..1");
  CHECK(run == NULL);
  in.sale_seller = split_person;
  in.n_splits = 2;
  in.split_sale = split_sale;
  in.split_person = split_person;
  in.split_share = split_share;
  CHECK_ERROR(qf_payout_run(&run, (const qf_plan* const*)&plan, 1, cal, &in, &opt), QF_ERR_INVALID_ARGUMENT,
              "sum to 0.9");
  in.n_splits = 0;
  date[0] = pday("2026-02-01");
  CHECK_ERROR(qf_payout_run(&run, (const qf_plan* const*)&plan, 1, cal, &in, &opt), QF_ERR_OUT_OF_RANGE,
              "sale_date[0] is 2026-02-01");
  in.sale_date = NULL;
  CHECK_ERROR(qf_payout_run(&run, (const qf_plan* const*)&plan, 1, cal, &in, &opt), QF_ERR_NULL_POINTER,
              "sale_date is NULL");
  in.sale_date = date;
  in.version = 99;
  CHECK_ERROR(qf_payout_run(&run, (const qf_plan* const*)&plan, 1, cal, &in, &opt), QF_ERR_INVALID_ARGUMENT,
              "input->version is 99");
  CHECK_ERROR(qf_payout_size(NULL, NULL, NULL, NULL), QF_ERR_NULL_POINTER, "payout is NULL");
  qf_payout_destroy(NULL);
  qf_plan_destroy(NULL);
  qf_plan_destroy(plan);
  qf_calendar_destroy(cal);
}
