/* C ABI: the streaming monitor's pipeline, per-sale and collection rules (qf_monitor_rule_options,
 * qf_monitor_push_deals, qf_monitor_push_sale_columns, qf_monitor_push_invoices_with_seller),
 * version-1 options still accepted, bad arguments. Values as in the C++ tests. */
#include <math.h>
#include <stdlib.h>

#include "qf_test.h"

static int32_t rday(const char* iso) {
  int32_t d = 0;
  qf_date_parse(iso, &d);
  return d;
}

static const int32_t rparents[] = {-1, 0, 0};
static const int64_t rplan[] = {2200, 1100, 1100};

/* The rule of change i, as a name. */
static const char* rule_of(qf_monitor_changes* c, size_t i, int64_t* entity) {
  int32_t rule[16];
  int64_t ent[16];
  size_t n = 0;
  qf_monitor_changes_count(c, &n);
  if (i >= n || n > 16) return "none";
  qf_monitor_changes_columns(c, NULL, rule, NULL, NULL, ent, NULL, NULL, NULL, NULL, NULL, n);
  if (entity != NULL) *entity = ent[i];
  return qf_alert_rule_name(rule[i]);
}

void test_monitor_rules(void) {
  qf_hierarchy* h = NULL;
  qf_hierarchy* geo = NULL;
  qf_calendar* cal = NULL;
  qf_monitor* m = NULL;
  qf_monitor_changes* c = NULL;
  qf_monitor_options opt = QF_MONITOR_OPTIONS_INIT;
  qf_monitor_rule_options ro = QF_MONITOR_RULE_OPTIONS_INIT;
  qf_monitor_sale_columns s = QF_MONITOR_SALE_COLUMNS_INIT;
  const int64_t list_price[] = {1000, 500};
  const uint8_t promo[] = {0, 1};
  const char* const items[] = {"Water", "Gift"};
  const double max_disc[] = {10, 20};
  const int32_t tier[] = {0, 1};
  const int32_t seller_territory[] = {-1, 1, 2};
  const int64_t collection[] = {2200, 1100, 1100};
  size_t n = 0;
  int64_t entity = -1;
  char msg[160];
  /* Sale 102: 15% off for a tier-0 customer (max 10%) and EAST selling in West; 103: the Gift at 10. */
  const int32_t node[] = {1, 1, 2};
  int32_t date[3];
  const int64_t amount[] = {950, 850, 10};
  const int64_t sale[] = {101, 102, 103};
  const int32_t item[] = {0, 0, 1};
  const int64_t price[] = {950, 850, 10};
  const int32_t customer[] = {0, 0, 1};
  const int32_t location[] = {1, 2, 2};
  CHECK_OK(qf_hierarchy_create(&h, rparents, 3));
  CHECK_OK(qf_hierarchy_create(&geo, rparents, 3));
  CHECK_OK(qf_calendar_create(&cal, NULL, NULL, 0, NULL, 0));
  ro.list_price = list_price;
  ro.promotional = promo;
  ro.item_names = items;
  ro.n_items = 2;
  ro.max_discount_pct = max_disc;
  ro.n_tiers = 2;
  ro.customer_tier = tier;
  ro.n_customers = 2;
  ro.territories = geo;
  ro.seller_territory = seller_territory;
  ro.collection_plan = collection;
  opt.enabled_rules = QF_ALERT_RULE_BIT(4) | QF_ALERT_RULE_BIT(5) | QF_ALERT_RULE_BIT(6) | QF_ALERT_RULE_BIT(9) |
                      QF_ALERT_RULE_BIT(10) | QF_ALERT_RULE_BIT(11) | QF_ALERT_RULE_BIT(13);
  opt.rule_options = &ro;
  CHECK_OK(qf_monitor_create(&m, h, cal, rplan, 3, rday("2025-09-01"), rday("2025-10-01"), &opt));
  {
    date[0] = rday("2025-09-02");
    date[1] = rday("2025-09-03");
    date[2] = rday("2025-09-03");
    s.n = 3;
    s.node = node;
    s.date = date;
    s.amount = amount;
    s.sale = sale;
    s.item = item;
    s.price = price;
    s.customer = customer;
    s.location = location;
    CHECK_OK(qf_monitor_push_sale_columns(m, &s));
  }
  CHECK_OK(qf_monitor_advance(m, rday("2025-09-10"), &c));
  CHECK_OK(qf_monitor_changes_count(c, &n));
  /* The three per-sale findings, then collection_gap for every node: nothing collected yet. */
  CHECK_INT_EQ(n, 6);
  CHECK_STR_EQ(rule_of(c, 3, &entity), "collection_gap");
  CHECK_STR_EQ(rule_of(c, 5, &entity), "collection_gap");
  CHECK_STR_EQ(rule_of(c, 0, &entity), "discount_above_max");
  CHECK_INT_EQ(entity, 102);
  CHECK_OK(qf_monitor_changes_message(c, 0, msg, sizeof msg, NULL));
  CHECK_STR_EQ(msg, "Sale 102: Water discounted 15%, above the tier maximum 10% by 5 points");
  /* Per-sale findings come in sale order, then rule order within a sale. */
  CHECK_STR_EQ(rule_of(c, 1, &entity), "territory_violation");
  CHECK_INT_EQ(entity, 102);
  CHECK_OK(qf_monitor_changes_message(c, 1, msg, sizeof msg, NULL));
  CHECK_STR_EQ(msg, "Sale 102: seller #1 (territory #1) sold in #2, outside its territory");
  CHECK_STR_EQ(rule_of(c, 2, &entity), "promo_not_free");
  CHECK_INT_EQ(entity, 103);
  qf_monitor_changes_destroy(c);
  c = NULL;
  {
    /* Deals: EAST 1000 x 0.5, WEST 2000 x 0.75 closing in September (coverage and probability). */
    const int64_t deal[] = {1, 2};
    const int32_t owner[] = {1, 2};
    const int64_t amount[] = {1000, 2000};
    const double prob[] = {0.5, 0.75};
    int32_t close[2];
    close[0] = rday("2025-09-20");
    close[1] = rday("2025-09-25");
    CHECK_OK(qf_monitor_push_deals(m, deal, owner, amount, prob, close, 2));
    /* Invoice 1 of EAST, 300 paid by the 5th: 300 of 400 due to date. */
    {
      const int64_t inv[] = {1};
      const int64_t cust[] = {7};
      const int64_t iamount[] = {1000};
      int32_t due[1];
      const int32_t seller[] = {1};
      const int64_t paid[] = {300};
      int32_t pdate[1];
      due[0] = rday("2025-09-30");
      pdate[0] = rday("2025-09-05");
      CHECK_OK(qf_monitor_push_invoices_with_seller(m, inv, cust, iamount, due, seller, 1));
      CHECK_OK(qf_monitor_push_payments(m, inv, paid, pdate, 1));
    }
  }
  CHECK_OK(qf_monitor_advance(m, rday("2025-09-10"), &c));
  CHECK_OK(qf_monitor_changes_count(c, &n));
  /* The sales above left EAST over plan (1800 of 1100) and ALL needing 390 (weighted pipeline
   * 2000, P(won >= 390) = 0.875), WEST 1090 (1500, P = 0.75): no pipeline alert. Collections to
   * date (8 of 22 working days): ALL 300 of 800 (still critical, new figures), EAST 300 of 400
   * (now a warning); WEST still 0 of 400, unchanged. */
  CHECK_INT_EQ(n, 2);
  CHECK_STR_EQ(rule_of(c, 0, &entity), "collection_gap");
  CHECK_INT_EQ(entity, 0);
  CHECK_STR_EQ(rule_of(c, 1, &entity), "collection_gap");
  CHECK_OK(qf_monitor_changes_message(c, 1, msg, sizeof msg, NULL));
  CHECK_STR_EQ(msg, "#1: collected 300 of the collection target 400, 100 (25.0%) short");
  qf_monitor_changes_destroy(c);
  c = NULL;
  {
    /* Bad input: a probability of 1.5; a location beyond the geography; no columns struct. */
    const int64_t deal[] = {3};
    const int32_t owner[] = {1};
    const int64_t amount[] = {10};
    const double prob[] = {1.5};
    int32_t close[1];
    const int32_t bad_location[] = {1, 9, 2};
    close[0] = rday("2025-09-20");
    CHECK_ERROR(qf_monitor_push_deals(m, deal, owner, amount, prob, close, 1), QF_ERR_INVALID_ARGUMENT,
                "probability[0] is 1.5; a probability must be in [0, 1]");
    s.location = bad_location;
    CHECK_ERROR(qf_monitor_push_sale_columns(m, &s), QF_ERR_NOT_FOUND, "location[1] is 9; expected a territory node in 0..2");
    CHECK_ERROR(qf_monitor_push_sale_columns(m, NULL), QF_ERR_NULL_POINTER, "sales is NULL");
    s.version = 7;
    CHECK_ERROR(qf_monitor_push_sale_columns(m, &s), QF_ERR_INVALID_ARGUMENT, "sales->version is 7; this library knows version 1");
    CHECK_ERROR(qf_monitor_push_deals(NULL, deal, owner, amount, prob, close, 1), QF_ERR_NULL_POINTER, "monitor is NULL");
  }
  qf_monitor_destroy(m);
  m = NULL;
  /* Version-1 options (without rule_options) are still accepted; a bad rule_options version is not. */
  opt.version = 1;
  CHECK_OK(qf_monitor_create(&m, h, cal, rplan, 3, rday("2025-09-01"), rday("2025-10-01"), &opt));
  qf_monitor_destroy(m);
  m = NULL;
  opt.version = QF_MONITOR_OPTIONS_VERSION;
  ro.version = 9;
  CHECK_ERROR(qf_monitor_create(&m, h, cal, rplan, 3, rday("2025-09-01"), rday("2025-10-01"), &opt), QF_ERR_INVALID_ARGUMENT,
              "options->rule_options->version is 9; this library knows version 1");
  CHECK(m == NULL);
  ro.version = QF_MONITOR_RULE_OPTIONS_VERSION;
  ro.n_tiers = 1; /* customer 1 has tier 1 */
  CHECK_ERROR(qf_monitor_create(&m, h, cal, rplan, 3, rday("2025-09-01"), rday("2025-10-01"), &opt), QF_ERR_NOT_FOUND,
              "sales.customer_tier[1] is 1; expected a tier id in 0..0");
  qf_monitor_destroy(NULL);
  qf_hierarchy_destroy(geo);
  qf_hierarchy_destroy(h);
  qf_calendar_destroy(cal);
}
