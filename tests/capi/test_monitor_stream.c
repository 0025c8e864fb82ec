/* C ABI: the streaming monitor (qf_monitor_*): changes on a hand-worked stream, snooze,
 * acknowledge, snapshots (library and caller buffers, damage), bad arguments. */
#include <math.h>
#include <stdlib.h>

#include "qf_test.h"

static int32_t sday(const char* iso) {
  int32_t d = 0;
  qf_date_parse(iso, &d);
  return d;
}

/* root 0 -> leaves 1, 2; September 2025, plain calendar; plan 2200 / 1100 / 1100. */
static const int32_t parents3[] = {-1, 0, 0};
static const int64_t plan3[] = {2200, 1100, 1100};

void test_monitor_stream(void) {
  qf_hierarchy* h = NULL;
  qf_calendar* cal = NULL;
  qf_monitor* m = NULL;
  qf_monitor* back = NULL;
  qf_monitor_changes* c = NULL;
  qf_monitor_options opt = QF_MONITOR_OPTIONS_INIT;
  const double limits[] = {5.0};
  int32_t change[4], rule[4], sev[4], kind[4], period[4];
  int64_t entity[4];
  double observed[4], expected[4];
  uint64_t key[4];
  size_t n = 99, needed = 0, size = 0, active = 9;
  char msg[128];
  uint8_t* data = NULL;
  uint8_t* buf = NULL;
  CHECK_OK(qf_hierarchy_create(&h, parents3, 3));
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  opt.stage_limit_days = limits;
  opt.n_stages = 1;
  CHECK_OK(qf_monitor_create(&m, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt));
  {
    const int32_t node[] = {1, 2};
    int32_t date[2];
    const int64_t amount[] = {400, 300};
    date[0] = sday("2025-09-02");
    date[1] = sday("2025-09-03");
    CHECK_OK(qf_monitor_push_sales(m, node, date, amount, 2));
  }
  /* As of the 10th: ALL 700/800 behind, WEST 300/400 at risk (see the C++ tests). */
  CHECK_OK(qf_monitor_advance(m, sday("2025-09-10"), &c));
  CHECK_OK(qf_monitor_changes_count(c, &n));
  CHECK_INT_EQ(n, 2);
  CHECK_OK(qf_monitor_changes_columns(c, change, rule, sev, kind, entity, NULL, period, observed, expected, key, 2));
  CHECK_INT_EQ(change[0], QF_CHANGE_RAISED);
  CHECK_STR_EQ(qf_alert_rule_name(rule[0]), "pace_behind");
  CHECK_INT_EQ(sev[0], QF_SEVERITY_WARNING);
  CHECK_STR_EQ(qf_entity_kind_name(kind[0]), "node");
  CHECK_INT_EQ(entity[0], 0);
  CHECK_INT_EQ(period[0], 0);
  CHECK(observed[0] == 700 && expected[0] == 800);
  CHECK_STR_EQ(qf_alert_rule_name(rule[1]), "pace_at_risk");
  CHECK_INT_EQ(entity[1], 2);
  CHECK_OK(qf_monitor_changes_message(c, 1, NULL, 0, &needed));
  CHECK_OK(qf_monitor_changes_message(c, 1, msg, sizeof msg, &needed));
  CHECK_STR_EQ(msg, "node 2 is at risk in 2025-09: 300 of 400 planned to date (pace 0.75)");
  CHECK_ERROR(qf_monitor_changes_message(c, 2, msg, sizeof msg, NULL), QF_ERR_OUT_OF_RANGE, "i is 2; there are 2 changes");
  CHECK_ERROR(qf_monitor_changes_columns(c, change, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 3),
              QF_ERR_INVALID_ARGUMENT, "n is 3; there are 2 changes");
  /* Snooze WEST, acknowledge ALL; more sales change both figures: nothing is reported. */
  CHECK_OK(qf_monitor_snooze(m, key[1], sday("2025-09-30"), "big order coming", 0.25));
  CHECK_OK(qf_monitor_acknowledge(m, key[0], sday("2025-09-30"), "seen"));
  qf_monitor_changes_destroy(c);
  {
    const int32_t node[] = {2};
    int32_t date[1];
    const int64_t amount[] = {10};
    date[0] = sday("2025-09-10");
    CHECK_OK(qf_monitor_push_sales(m, node, date, amount, 1));
  }
  CHECK_OK(qf_monitor_advance(m, sday("2025-09-10"), &c));
  CHECK_OK(qf_monitor_changes_count(c, &n));
  CHECK_INT_EQ(n, 0);
  qf_monitor_changes_destroy(c);
  CHECK_OK(qf_monitor_active(m, &active));
  CHECK_INT_EQ(active, 2);
  /* Snapshot: library buffer and caller buffer give the same bytes; load continues identically. */
  CHECK_OK(qf_monitor_save(m, &data, &size));
  CHECK(size > 24);
  CHECK_OK(qf_monitor_save_to(m, NULL, 0, &needed));
  CHECK_INT_EQ(needed, size);
  buf = (uint8_t*)malloc(size);
  CHECK_ERROR(qf_monitor_save_to(m, buf, size - 1, NULL), QF_ERR_BUFFER_TOO_SMALL, "buf has capacity");
  CHECK_OK(qf_monitor_save_to(m, buf, size, NULL));
  CHECK(memcmp(buf, data, size) == 0);
  CHECK_OK(qf_monitor_load(&back, data, size, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt));
  CHECK_OK(qf_monitor_active(back, &active));
  CHECK_INT_EQ(active, 2);
  {
    /* Thursday 11th: WEST 310 vs 450 is 140 > 125: the snooze breaks in both monitors. */
    qf_monitor_changes* c2 = NULL;
    size_t n2 = 0, i;
    int32_t ch2[4], rule2[4];
    CHECK_OK(qf_monitor_advance(m, sday("2025-09-11"), &c));
    CHECK_OK(qf_monitor_advance(back, sday("2025-09-11"), &c2));
    CHECK_OK(qf_monitor_changes_count(c, &n));
    CHECK_OK(qf_monitor_changes_count(c2, &n2));
    CHECK_INT_EQ(n2, n);
    CHECK(n >= 1 && n <= 4);
    CHECK_OK(qf_monitor_changes_columns(c, change, rule, NULL, NULL, entity, NULL, NULL, NULL, NULL, key, n));
    CHECK_OK(qf_monitor_changes_columns(c2, ch2, rule2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, n2));
    for (i = 0; i < n; ++i) {
      CHECK_INT_EQ(ch2[i], change[i]);
      CHECK_INT_EQ(rule2[i], rule[i]);
    }
    qf_monitor_changes_destroy(c2);
  }
  qf_monitor_changes_destroy(c);
  /* Damage: a truncated and a flipped snapshot are parse errors, and nothing is created. */
  qf_monitor_destroy(back);
  back = (qf_monitor*)&n; /* must be reset to NULL on failure */
  CHECK_ERROR(qf_monitor_load(&back, data, size - 1, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt),
              QF_ERR_PARSE, "snapshot is truncated or padded");
  CHECK(back == NULL);
  data[30] ^= 4;
  CHECK_ERROR(qf_monitor_load(&back, data, size, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt),
              QF_ERR_PARSE, "checksum mismatch");
  CHECK_ERROR(qf_monitor_load(&back, data, 5, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt),
              QF_ERR_PARSE, "snapshot is truncated: 5 bytes");
  CHECK_ERROR(qf_monitor_load(&back, NULL, 5, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt),
              QF_ERR_NULL_POINTER, "data is NULL");
  qf_free(data);
  free(buf);
  qf_monitor_destroy(m);
  qf_monitor_destroy(NULL);
  qf_monitor_changes_destroy(NULL);
  qf_calendar_destroy(cal);
  qf_hierarchy_destroy(h);
}

void test_monitor_stream_bad_input(void) {
  qf_hierarchy* h = NULL;
  qf_calendar* cal = NULL;
  qf_monitor* m = NULL;
  qf_monitor_changes* c = NULL;
  qf_monitor_options opt = QF_MONITOR_OPTIONS_INIT;
  qf_calendar_options co = QF_CALENDAR_OPTIONS_INIT;
  const int32_t node[] = {1, 3};
  int32_t date[2];
  const int64_t amount[] = {1, 1};
  const int64_t inv[] = {7};
  const int64_t big[] = {INT64_MAX};
  const int64_t zero[] = {0};
  size_t n = 0;
  CHECK_OK(qf_hierarchy_create(&h, parents3, 3));
  co.valid_from = sday("2025-01-01");
  co.valid_until = sday("2026-01-01");
  CHECK_OK(qf_calendar_create(&cal, &co, NULL, 0, NULL, 0));
  CHECK_ERROR(qf_monitor_create(NULL, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), NULL), QF_ERR_NULL_POINTER,
              "out is NULL");
  CHECK_ERROR(qf_monitor_create(&m, NULL, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), NULL), QF_ERR_NULL_POINTER,
              "hierarchy");
  CHECK_ERROR(qf_monitor_create(&m, h, cal, plan3, 2, sday("2025-09-01"), sday("2025-10-01"), NULL), QF_ERR_INVALID_ARGUMENT,
              "plan has 2 values");
  CHECK_ERROR(qf_monitor_create(&m, h, cal, NULL, 3, sday("2025-09-01"), sday("2025-10-01"), NULL), QF_ERR_NULL_POINTER,
              "plan is NULL but its length is 3");
  opt.version = 99;
  CHECK_ERROR(qf_monitor_create(&m, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt), QF_ERR_INVALID_ARGUMENT,
              "options->version is 99");
  opt.version = QF_MONITOR_OPTIONS_VERSION;
  opt.activity_min_ratio = NAN;
  CHECK_ERROR(qf_monitor_create(&m, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt), QF_ERR_INVALID_ARGUMENT,
              "rules.activity_min_ratio is nan");
  opt.activity_min_ratio = 0.8;
  opt.enabled_rules = 1u << 20;
  CHECK_ERROR(qf_monitor_create(&m, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt), QF_ERR_INVALID_ARGUMENT,
              "options->enabled_rules is 1048576");
  opt.enabled_rules = QF_ALERT_RULES_ALL;
  CHECK(m == NULL);
  CHECK_OK(qf_monitor_create(&m, h, cal, plan3, 3, sday("2025-09-01"), sday("2025-10-01"), &opt));
  date[0] = sday("2025-09-02");
  date[1] = sday("2025-09-02");
  CHECK_ERROR(qf_monitor_push_sales(m, node, date, amount, 2), QF_ERR_NOT_FOUND, "node[1] is 3; the hierarchy has 3 nodes");
  CHECK_ERROR(qf_monitor_push_sales(NULL, node, date, amount, 1), QF_ERR_NULL_POINTER, "monitor is NULL");
  CHECK_ERROR(qf_monitor_push_sales(m, node, NULL, amount, 1), QF_ERR_NULL_POINTER, "date is NULL but its length is 1");
  date[0] = sday("2026-02-01");
  CHECK_ERROR(qf_monitor_push_sales(m, node, date, amount, 1), QF_ERR_OUT_OF_RANGE, "date[0] is 2026-02-01, outside the calendar");
  date[0] = sday("2025-09-02");
  CHECK_ERROR(qf_monitor_push_payments(m, inv, amount, date, 1), QF_ERR_NOT_FOUND, "invoice[0] is 7");
  CHECK_ERROR(qf_monitor_push_invoices(m, inv, inv, zero, date, 1), QF_ERR_INVALID_ARGUMENT, "amount[0] is 0");
  CHECK_ERROR(qf_monitor_push_cases(m, inv, big, big, 1), QF_ERR_OUT_OF_RANGE, "end[0] is 9223372036854775807");
  CHECK_ERROR(qf_monitor_advance(m, sday("2026-03-01"), &c), QF_ERR_OUT_OF_RANGE, "as_of is 2026-03-01");
  CHECK(c == NULL);
  CHECK_ERROR(qf_monitor_advance(m, sday("2025-09-10"), NULL), QF_ERR_NULL_POINTER, "out is NULL");
  CHECK_ERROR(qf_monitor_snooze(m, 42, sday("2025-09-20"), "r", 0.1), QF_ERR_NOT_FOUND, "alert key 42");
  CHECK_ERROR(qf_monitor_snooze(m, 42, sday("2025-09-20"), NULL, 0.1), QF_ERR_NULL_POINTER, "reason is NULL");
  CHECK_ERROR(qf_monitor_acknowledge(m, 42, sday("2025-09-20"), "r"), QF_ERR_NOT_FOUND, "alert key 42");
  CHECK_ERROR(qf_monitor_changes_count(NULL, &n), QF_ERR_NULL_POINTER, "changes is NULL");
  CHECK_ERROR(qf_monitor_save(m, NULL, &n), QF_ERR_NULL_POINTER, "data is NULL");
  CHECK_STR_EQ(qf_alert_rule_name(15), "case_late");
  CHECK_STR_EQ(qf_alert_rule_name(17), "unknown");
  CHECK_STR_EQ(qf_change_kind_name(2), "cleared");
  CHECK_STR_EQ(qf_severity_name(-1), "unknown");
  qf_monitor_destroy(m);
  qf_calendar_destroy(cal);
  qf_hierarchy_destroy(h);
}
