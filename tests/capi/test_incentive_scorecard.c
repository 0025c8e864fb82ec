/* C ABI: KPI scorecards from JSON, scoring over columns, result accessors and reasons; bad input. */
#include <math.h>
#include <stdlib.h>

#include "qf_test.h"

static const char card_json[] =
    "{\"schema\": \"quotaflow.scorecard/1\", \"name\": \"field sales\",\n"
    " \"kpis\": [\n"
    "  {\"measure\": \"attainment\", \"weight\": 50,\n"
    "   \"curve\": {\"kind\": \"linear\", \"threshold\": 0.75, \"target\": 1, \"cap\": 150, \"threshold_points\": 50}},\n"
    "  {\"measure\": \"margin_rate\", \"weight\": 30, \"curve\": {\"kind\": \"piecewise\", \"points\": [\n"
    "    {\"at\": 0.25, \"points\": 50}, {\"at\": 0.5, \"points\": 100}, {\"at\": 0.75, \"points\": 150}]}},\n"
    "  {\"measure\": \"new_outlets\", \"weight\": 20, \"curve\": {\"kind\": \"step\", \"steps\": [\n"
    "    {\"from\": 1, \"to\": 3, \"points\": 50}, {\"from\": 3, \"to\": 5, \"points\": 80}, {\"from\": 5, \"points\": 100}]}},\n"
    "  {\"measure\": \"collection_rate\", \"weight\": 0, \"gate\": {\"below\": 0.8, \"applies_to\": \"all\"}}\n"
    " ]}\n";

static qf_scorecard* make_card(void) {
  qf_scorecard* card = NULL;
  CHECK_OK(qf_scorecard_from_json(&card, card_json, strlen(card_json)));
  return card;
}

void test_scorecard(void) {
  qf_scorecard* card = make_card();
  qf_scorecard_result* r = NULL;
  /* attainment from actual / target; the other measures directly. */
  const double actual[] = {70, 70, 150}, target[] = {80, 80, 100};
  const double mr[] = {0.375, 0.375, 0.125}, no[] = {3, 3, 7}, cr[] = {0.9, 0.72, 0.8};
  const char* names[] = {"actual", "target", "margin_rate", "new_outlets", "collection_rate"};
  const double* cols[5];
  double totals[3], value[12], points[12], factor[12], weighted[12];
  int32_t gated[12];
  size_t rows = 0, kpis = 0, needed = 0, i;
  char buf[256];
  cols[0] = actual;
  cols[1] = target;
  cols[2] = mr;
  cols[3] = no;
  cols[4] = cr;
  CHECK_OK(qf_scorecard_size(card, &kpis));
  CHECK_INT_EQ(kpis, 4);
  CHECK_OK(qf_scorecard_kpi_name(card, 2, buf, sizeof buf, &needed));
  CHECK_STR_EQ(buf, "new_outlets");
  CHECK_OK(qf_scorecard_kpi_measure(card, 3, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "collection_rate");

  CHECK_OK(qf_scorecard_score(&r, card, names, cols, 5, 3));
  /* The result outlives its card's handle. */
  qf_scorecard_destroy(card);
  CHECK_OK(qf_scorecard_result_size(r, &rows, &kpis));
  CHECK_INT_EQ(rows, 3);
  CHECK_INT_EQ(kpis, 4);
  CHECK_OK(qf_scorecard_result_totals(r, totals, 3));
  /* Row 0: 87.5% -> 75, 37.5% -> 75, 3 outlets -> 80: 37.5 + 22.5 + 16. */
  CHECK(fabs(totals[0] - 76) < 1e-12);
  CHECK(totals[1] == 0); /* collection 72% < 80%: withheld */
  CHECK(fabs(totals[2] - 95) < 1e-12);
  CHECK_OK(qf_scorecard_result_lines(r, value, points, factor, weighted, gated, 12));
  CHECK(value[0] == 0.875);
  CHECK(points[0] == 75 && points[1] == 75 && points[2] == 80 && points[3] == 0);
  CHECK(factor[4] == 0 && factor[0] == 1);
  CHECK(weighted[4] == 0 && weighted[0] == 37.5);
  CHECK_INT_EQ(gated[7], 1);
  CHECK_INT_EQ(gated[3], 0);
  CHECK(points[8] == 150 && points[9] == 0 && points[10] == 100);
  for (i = 0; i < 3; ++i) CHECK(fabs(weighted[4 * i] + weighted[4 * i + 1] + weighted[4 * i + 2] + weighted[4 * i + 3] - totals[i]) < 1e-12);
  /* Any column may be NULL. */
  CHECK_OK(qf_scorecard_result_lines(r, NULL, points, NULL, NULL, NULL, 12));

  CHECK_OK(qf_scorecard_result_reason(r, 1, 3, NULL, 0, &needed));
  CHECK_INT_EQ(needed, strlen("collection rate 72% is below the gate of 80%: bonus withheld"));
  CHECK_OK(qf_scorecard_result_reason(r, 1, 3, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "collection rate 72% is below the gate of 80%: bonus withheld");
  CHECK_OK(qf_scorecard_result_reason(r, 1, 0, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "attainment 87.5% scores 75 points; withheld by the collection rate gate");
  CHECK_OK(qf_scorecard_result_reason(r, 2, 0, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "attainment 150% scores 150 points (capped)");
  CHECK_OK(qf_scorecard_result_reason(r, 2, 1, buf, sizeof buf, NULL));
  CHECK_STR_EQ(buf, "margin rate 12.5% is below the threshold of 25%: 0 points");
  qf_scorecard_result_destroy(r);
  qf_scorecard_result_destroy(NULL);
  qf_scorecard_destroy(NULL);
}

void test_scorecard_json(void) {
  qf_scorecard* card = make_card();
  qf_scorecard* again = NULL;
  size_t needed = 0;
  char* text;
  char* text2;
  CHECK_OK(qf_scorecard_to_json(card, NULL, 0, &needed));
  text = (char*)malloc(needed + 1);
  text2 = (char*)malloc(needed + 1);
  CHECK_OK(qf_scorecard_to_json(card, text, needed + 1, NULL));
  CHECK(strstr(text, "\"schema\": \"quotaflow.scorecard/1\"") != NULL);
  CHECK_OK(qf_scorecard_from_json(&again, text, strlen(text)));
  CHECK_OK(qf_scorecard_to_json(again, text2, needed + 1, NULL));
  CHECK_STR_EQ(text2, text);
  CHECK_ERROR(qf_scorecard_to_json(card, text, needed, NULL), QF_ERR_BUFFER_TOO_SMALL, "buf has capacity");
  free(text);
  free(text2);
  qf_scorecard_destroy(again);
  qf_scorecard_destroy(card);
}

/* Replaces the first `from` in card_json with `to` and reads it; returns the status. */
static qf_status read_changed(const char* from, const char* to) {
  char text[2048];
  const char* at = strstr(card_json, from);
  qf_scorecard* card = NULL;
  qf_status s;
  size_t head;
  if (at == NULL) {
    fprintf(stderr, "test bug: \"%s\" not in the card\n", from);
    qf_test_fail();
    return QF_OK;
  }
  head = (size_t)(at - card_json);
  memcpy(text, card_json, head);
  strcpy(text + head, to);
  strcat(text, at + strlen(from));
  s = qf_scorecard_from_json(&card, text, strlen(text));
  if (s == QF_OK) qf_scorecard_destroy(card);
  else CHECK(card == NULL);
  return s;
}

void test_scorecard_bad_input(void) {
  qf_scorecard* card = NULL; /* made below, after the create errors that reset it */
  qf_scorecard_result* r = NULL;
  const double att[] = {1.0, 0.9}, mr[] = {0.3, 0.3}, no[] = {2, 3}, cr[] = {0.9, 0.9};
  double bad[2];
  const char* names[] = {"attainment", "margin_rate", "new_outlets", "collection_rate"};
  const double* cols[4];
  double out[8];
  char buf[8];
  size_t n = 0;
  cols[0] = att;
  cols[1] = mr;
  cols[2] = no;
  cols[3] = cr;
  /* Definitions: weights, decreasing curves, unsorted and overlapping steps, unknown measures. */
  CHECK_STATUS(read_changed("\"weight\": 30", "\"weight\": 20"), QF_ERR_PARSE);
  CHECK(strstr(qf_last_error_message(), "$.kpis (line 2, column 10): has weights that sum to 90%; they must sum to 100%") != NULL);
  CHECK_STATUS(read_changed("{\"at\": 0.5, \"points\": 100}", "{\"at\": 0.5, \"points\": 40}"), QF_ERR_PARSE);
  CHECK(strstr(qf_last_error_message(), "$.kpis[1].curve.points[1].points (line 6") != NULL);
  CHECK(strstr(qf_last_error_message(), "is 40, below points[0].points (50); a scoring curve must not decrease") != NULL);
  CHECK_STATUS(read_changed("{\"from\": 3, \"to\": 5", "{\"from\": 2, \"to\": 5"), QF_ERR_PARSE);
  CHECK(strstr(qf_last_error_message(), "$.kpis[2].curve.steps[1].from") != NULL);
  CHECK(strstr(qf_last_error_message(), "the steps overlap") != NULL);
  CHECK_STATUS(read_changed("{\"from\": 5, \"points\": 100}", "{\"from\": 0, \"points\": 100}"), QF_ERR_PARSE);
  CHECK(strstr(qf_last_error_message(), "$.kpis[2].curve.steps[2].from") != NULL);
  CHECK(strstr(qf_last_error_message(), "the steps must be sorted by from") != NULL);
  CHECK_STATUS(read_changed("\"measure\": \"new_outlets\"", "\"measure\": \"outlets\""), QF_ERR_PARSE);
  CHECK(strstr(qf_last_error_message(), "$.kpis[2].measure (line 7, column 15): is \"outlets\", an unknown measure") != NULL);
  CHECK_STATUS(read_changed("\"kpis\"", "\"kpi\""), QF_ERR_PARSE);
  CHECK(strstr(qf_last_error_message(), "$.kpi (line 2, column 9): unknown key") != NULL);
  CHECK_ERROR(qf_scorecard_from_json(&card, "{", 1), QF_ERR_PARSE, "scorecard JSON line 1, column 2 (at $): expected");
  CHECK(card == NULL);
  CHECK_ERROR(qf_scorecard_from_json(NULL, "{}", 2), QF_ERR_NULL_POINTER, "out is NULL");
  CHECK_ERROR(qf_scorecard_from_json(&card, NULL, 5), QF_ERR_NULL_POINTER, "text is NULL but its length is 5");
  CHECK_ERROR(qf_scorecard_load(&card, "/nonexistent/card.json"), QF_ERR_IO, "cannot open scorecard \"/nonexistent/card.json\"");
  CHECK_ERROR(qf_scorecard_load(&card, NULL), QF_ERR_NULL_POINTER, "path is NULL");
  card = make_card();

  /* Columns: missing, NaN, NULL. */
  CHECK_ERROR(qf_scorecard_score(&r, card, names, cols, 3, 2), QF_ERR_NOT_FOUND,
              "no column for measure collection_rate (KPI collection_rate): give a column named collection_rate, or both "
              "collected and billed");
  CHECK(r == NULL);
  bad[0] = 0.3;
  bad[1] = NAN;
  cols[1] = bad;
  CHECK_ERROR(qf_scorecard_score(&r, card, names, cols, 4, 2), QF_ERR_INVALID_ARGUMENT, "margin_rate[1] is NaN");
  cols[1] = NULL;
  CHECK_ERROR(qf_scorecard_score(&r, card, names, cols, 4, 2), QF_ERR_NULL_POINTER, "columns[1] (margin_rate) is NULL but n_rows is 2");
  cols[1] = mr;
  names[2] = NULL;
  CHECK_ERROR(qf_scorecard_score(&r, card, names, cols, 4, 2), QF_ERR_NULL_POINTER, "names[2] is NULL");
  names[2] = "new_outlets";
  CHECK_ERROR(qf_scorecard_score(&r, NULL, names, cols, 4, 2), QF_ERR_NULL_POINTER, "card is NULL");
  CHECK_ERROR(qf_scorecard_score(NULL, card, names, cols, 4, 2), QF_ERR_NULL_POINTER, "out is NULL");
  CHECK_ERROR(qf_scorecard_score(&r, card, NULL, cols, 4, 2), QF_ERR_NULL_POINTER, "names is NULL but its length is 4");

  /* Accessors: wrong lengths, bad row or KPI, small buffers. */
  CHECK_OK(qf_scorecard_score(&r, card, names, cols, 4, 2));
  CHECK_ERROR(qf_scorecard_result_totals(r, out, 3), QF_ERR_INVALID_ARGUMENT, "n is 3; the result has 2 rows");
  CHECK_ERROR(qf_scorecard_result_lines(r, out, NULL, NULL, NULL, NULL, 7), QF_ERR_INVALID_ARGUMENT,
              "n is 7; the result has 2 rows x 4 KPIs = 8 lines");
  CHECK_ERROR(qf_scorecard_result_reason(r, 2, 0, NULL, 0, &n), QF_ERR_OUT_OF_RANGE, "row is 2; the result has 2 rows");
  CHECK_ERROR(qf_scorecard_result_reason(r, 0, 4, NULL, 0, &n), QF_ERR_OUT_OF_RANGE, "kpi is 4; the card has 4 KPIs");
  CHECK_ERROR(qf_scorecard_result_reason(r, 0, 0, buf, sizeof buf, &n), QF_ERR_BUFFER_TOO_SMALL, "buf has capacity 8");
  CHECK_ERROR(qf_scorecard_result_totals(NULL, out, 2), QF_ERR_NULL_POINTER, "result is NULL");
  CHECK_ERROR(qf_scorecard_kpi_name(card, 4, NULL, 0, &n), QF_ERR_OUT_OF_RANGE, "kpi is 4; the card has 4 KPIs");
  CHECK_ERROR(qf_scorecard_size(card, NULL), QF_ERR_NULL_POINTER, "n_kpis is NULL");
  qf_scorecard_result_destroy(r);
  qf_scorecard_destroy(card);
}
