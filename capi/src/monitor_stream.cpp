// C ABI: the streaming monitor (qf_monitor_*) and its change results (qf_monitor_changes_*).
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "calendar_handle.hpp"
#include "guard.hpp"
#include "hierarchy_handle.hpp"
#include "quotaflow/monitor/monitor.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

struct qf_monitor {
  monitor::Monitor m;
};
struct qf_monitor_changes {
  std::vector<monitor::AlertChange> c;
};

namespace {

template <class T>
gsl::span<const T> col(const T* p, size_t n, const char* name) {
  require_column(p, n, name);
  return p == nullptr ? gsl::span<const T>{} : gsl::span<const T>{p, n};
}

monitor::Monitor& monitor_of(qf_monitor* m) {
  require(m, "monitor");
  return m->m;
}

const std::vector<monitor::AlertChange>& changes_of(const qf_monitor_changes* c) {
  require(c, "changes");
  return c->c;
}

void rule_options_of(monitor::MonitorConfig& cfg, size_t n_cells, size_t nodes, size_t n_stages, const qf_monitor_rule_options& o);

monitor::MonitorConfig config_of(const int64_t* plan, size_t n_cells, int32_t start, int32_t end,
                                 const qf_monitor_options* o, size_t nodes) {
  monitor::MonitorConfig cfg;
  cfg.start = start;
  cfg.end = end;
  const auto p = col(plan, n_cells, "plan");
  cfg.plan.assign(p.begin(), p.end());
  if (o == nullptr) return cfg;
  if (o->version != 1 && o->version != QF_MONITOR_OPTIONS_VERSION)
    fail(errc::invalid_argument, "options->version is ", o->version, "; this library knows versions 1 and ", QF_MONITOR_OPTIONS_VERSION);
  cfg.grain = check_grain(o->grain);
  auto& r = cfg.rules;
  if (o->enabled_rules > QF_ALERT_RULES_ALL)
    fail(errc::invalid_argument, "options->enabled_rules is ", o->enabled_rules, "; only bits 0..16 are rules");
  r.enabled = std::bitset<monitor::rule_count>(o->enabled_rules);
  r.pace = {o->ahead_pace, o->behind_pace, o->at_risk_pace, o->at_risk_required};
  r.stalled_critical_factor = o->stalled_critical_factor;
  r.overdue_grace_days = o->overdue_grace_days;
  r.overdue_critical_days = o->overdue_critical_days;
  r.activity_min_ratio = o->activity_min_ratio;
  r.case_late_critical_days = o->case_late_critical_days;
  if (o->visit_plan != nullptr) cfg.visit_plan.assign(o->visit_plan, o->visit_plan + n_cells);
  const auto lim = col(o->stage_limit_days, o->n_stages, "options->stage_limit_days");
  cfg.stage_limit_days.assign(lim.begin(), lim.end());
  if (o->version >= 2 && o->rule_options != nullptr) rule_options_of(cfg, n_cells, nodes, o->n_stages, *o->rule_options);
  return cfg;
}

template <class T>
std::vector<T> copy(const T* p, size_t n, const char* name) {
  const auto c = col(p, n, name);
  return {c.begin(), c.end()};
}
std::vector<std::string> strings(const char* const* p, size_t n, const char* name) {
  std::vector<std::string> out;
  if (p == nullptr) return out;
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == nullptr) fail(errc::invalid_argument, name, "[", i, "] is NULL");
    out.emplace_back(p[i]);
  }
  return out;
}

void rule_options_of(monitor::MonitorConfig& cfg, size_t n_cells, size_t nodes, size_t n_stages, const qf_monitor_rule_options& o) {
  if (o.version != QF_MONITOR_RULE_OPTIONS_VERSION)
    fail(errc::invalid_argument, "options->rule_options->version is ", o.version, "; this library knows version ",
         QF_MONITOR_RULE_OPTIONS_VERSION);
  auto& r = cfg.rules;
  r.min_coverage = o.min_coverage;
  r.min_target_probability = o.min_target_probability;
  r.target_unit = o.target_unit;
  r.target_cells = o.target_cells;
  r.collection_min_share = o.collection_min_share;
  r.chart_kind = monitor::check_chart_kind(o.chart_kind);
  r.chart_rules = monitor::check_rule_set(o.chart_rules);
  if (o.collection_plan != nullptr) cfg.collection_plan.assign(o.collection_plan, o.collection_plan + n_cells);
  if (o.kpi_history != nullptr) {
    if (o.n_history == 0) fail(errc::invalid_argument, "rule_options->n_history is 0 but kpi_history is given");
    cfg.kpi_history.assign(o.kpi_history, o.kpi_history + nodes * o.n_history);
  }
  cfg.stage_names = strings(o.stage_names, n_stages, "rule_options->stage_names");
  cfg.amount_scale = o.amount_scale;
  auto& p = cfg.sales;
  p.list_price = copy(o.list_price, o.list_price ? o.n_items : 0, "rule_options->list_price");
  p.promotional = copy(o.promotional, o.promotional ? o.n_items : 0, "rule_options->promotional");
  p.item_names = strings(o.item_names, o.n_items, "rule_options->item_names");
  p.max_discount_pct = copy(o.max_discount_pct, o.n_tiers, "rule_options->max_discount_pct");
  p.customer_tier = copy(o.customer_tier, o.n_customers, "rule_options->customer_tier");
  p.floor_share = o.floor_share;
  p.ceiling_share = o.ceiling_share == 0 ? std::numeric_limits<double>::infinity() : o.ceiling_share;
  p.critical_excess_pct = o.critical_excess_pct;
  if (o.territories != nullptr) {
    p.territories = std::make_shared<const Hierarchy>(hierarchy_of(o.territories));
    require(o.seller_territory, "rule_options->seller_territory");
    p.seller_territory.assign(o.seller_territory, o.seller_territory + nodes);
  }
}

template <size_t N>
const char* name_of(const std::array<std::string_view, N>& names, int32_t v) {
  if (v < 0 || static_cast<size_t>(v) >= N) return "unknown";
  return names[static_cast<size_t>(v)].data();  // literals: NUL-terminated
}

}  // namespace

extern "C" {

QF_API qf_status qf_monitor_create(qf_monitor** out, const qf_hierarchy* hierarchy, const qf_calendar* calendar,
                                   const int64_t* plan, size_t n_cells, int32_t start, int32_t end,
                                   const qf_monitor_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const Hierarchy& h = hierarchy_of(hierarchy);
    const Calendar& cal = calendar_of(calendar);
    *out = new qf_monitor{monitor::Monitor(h, cal, config_of(plan, n_cells, start, end, options, h.size()))};
  });
}

QF_API void qf_monitor_destroy(qf_monitor* monitor) { delete monitor; }

QF_API qf_status qf_monitor_push_sales(qf_monitor* monitor, const int32_t* node, const int32_t* date,
                                       const int64_t* amount, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_sales(col(node, n, "node"), col(date, n, "date"), col(amount, n, "amount"));
  });
}

QF_API qf_status qf_monitor_push_stage_changes(qf_monitor* monitor, const int64_t* deal, const int32_t* stage,
                                               const int32_t* date, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_stage_changes(col(deal, n, "deal"), col(stage, n, "stage"), col(date, n, "date"));
  });
}

QF_API qf_status qf_monitor_push_invoices(qf_monitor* monitor, const int64_t* invoice, const int64_t* customer,
                                          const int64_t* amount, const int32_t* due, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_invoices(col(invoice, n, "invoice"), col(customer, n, "customer"), col(amount, n, "amount"),
                                      col(due, n, "due"));
  });
}

QF_API qf_status qf_monitor_push_payments(qf_monitor* monitor, const int64_t* invoice, const int64_t* amount,
                                          const int32_t* date, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_payments(col(invoice, n, "invoice"), col(amount, n, "amount"), col(date, n, "date"));
  });
}

QF_API qf_status qf_monitor_push_visits(qf_monitor* monitor, const int32_t* seller, const int32_t* date,
                                        const int64_t* count, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_visits(col(seller, n, "seller"), col(date, n, "date"), col(count, n, "count"));
  });
}

QF_API qf_status qf_monitor_push_cases(qf_monitor* monitor, const int64_t* case_id, const int64_t* end,
                                       const int64_t* planned_end, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_cases(col(case_id, n, "case_id"), col(end, n, "end"), col(planned_end, n, "planned_end"));
  });
}

QF_API qf_status qf_monitor_push_sale_columns(qf_monitor* monitor, const qf_monitor_sale_columns* sales) {
  return guard([&] {
    auto& m = monitor_of(monitor);
    require(sales, "sales");
    if (sales->version != QF_MONITOR_SALE_COLUMNS_VERSION)
      fail(errc::invalid_argument, "sales->version is ", sales->version, "; this library knows version ", QF_MONITOR_SALE_COLUMNS_VERSION);
    const size_t n = sales->n;
    auto opt = [n](const auto* p) { return p == nullptr ? gsl::span<const std::remove_pointer_t<decltype(p)>>{} : gsl::span{p, n}; };
    monitor::SaleColumns c;
    c.node = col(sales->node, n, "sales->node");
    c.date = col(sales->date, n, "sales->date");
    c.amount = col(sales->amount, n, "sales->amount");
    c.sale = opt(sales->sale);
    c.item = opt(sales->item);
    c.price = opt(sales->price);
    c.discount_pct = opt(sales->discount_pct);
    c.customer = opt(sales->customer);
    c.location = opt(sales->location);
    m.push_sales(c);
  });
}

QF_API qf_status qf_monitor_push_deals(qf_monitor* monitor, const int64_t* deal, const int32_t* owner, const int64_t* amount,
                                       const double* probability, const int32_t* close, size_t n) {
  return guard([&] {
    monitor_of(monitor).push_deals(col(deal, n, "deal"), col(owner, n, "owner"), col(amount, n, "amount"),
                                   col(probability, n, "probability"), col(close, n, "close"));
  });
}

QF_API qf_status qf_monitor_push_invoices_with_seller(qf_monitor* monitor, const int64_t* invoice, const int64_t* customer,
                                                      const int64_t* amount, const int32_t* due, const int32_t* seller,
                                                      size_t n) {
  return guard([&] {
    monitor_of(monitor).push_invoices(col(invoice, n, "invoice"), col(customer, n, "customer"), col(amount, n, "amount"),
                                      col(due, n, "due"), col(seller, n, "seller"));
  });
}

QF_API qf_status qf_monitor_advance(qf_monitor* monitor, int32_t as_of, qf_monitor_changes** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    auto& m = monitor_of(monitor);
    auto result = std::make_unique<qf_monitor_changes>();
    result->c = m.advance(as_of);
    *out = result.release();
  });
}

QF_API qf_status qf_monitor_snooze(qf_monitor* monitor, uint64_t key, int32_t until, const char* reason, double margin) {
  return guard([&] {
    auto& m = monitor_of(monitor);
    require(reason, "reason");
    m.snooze(key, until, reason, margin);
  });
}

QF_API qf_status qf_monitor_acknowledge(qf_monitor* monitor, uint64_t key, int32_t until, const char* reason) {
  return guard([&] {
    auto& m = monitor_of(monitor);
    require(reason, "reason");
    m.acknowledge(key, until, reason);
  });
}

QF_API qf_status qf_monitor_active(const qf_monitor* monitor, size_t* n_active) {
  return guard([&] {
    require(monitor, "monitor");
    require(n_active, "n_active");
    *n_active = monitor->m.alerts().size();
  });
}

QF_API qf_status qf_monitor_save(const qf_monitor* monitor, uint8_t** data, size_t* size) {
  return guard([&] {
    require(data, "data");
    require(size, "size");
    *data = nullptr;
    *size = 0;
    require(monitor, "monitor");
    const auto bytes = monitor->m.save();
    auto* p = static_cast<uint8_t*>(std::malloc(bytes.size()));
    if (p == nullptr) throw std::bad_alloc();
    std::memcpy(p, bytes.data(), bytes.size());
    *data = p;
    *size = bytes.size();
  });
}

QF_API qf_status qf_monitor_save_to(const qf_monitor* monitor, uint8_t* buf, size_t capacity, size_t* needed) {
  return guard([&] {
    require(monitor, "monitor");
    const auto bytes = monitor->m.save();
    if (needed != nullptr) *needed = bytes.size();
    if (buf == nullptr && capacity == 0) return;
    require(buf, "buf");
    if (capacity < bytes.size())
      fail(errc::buffer_too_small, "buf has capacity ", capacity, " but the snapshot needs ", bytes.size(), " bytes");
    std::memcpy(buf, bytes.data(), bytes.size());
  });
}

QF_API qf_status qf_monitor_load(qf_monitor** out, const uint8_t* data, size_t size, const qf_hierarchy* hierarchy,
                                 const qf_calendar* calendar, const int64_t* plan, size_t n_cells, int32_t start,
                                 int32_t end, const qf_monitor_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const auto bytes = col(data, size, "data");
    const Hierarchy& h = hierarchy_of(hierarchy);
    const Calendar& cal = calendar_of(calendar);
    *out = new qf_monitor{monitor::Monitor::load(bytes, h, cal, config_of(plan, n_cells, start, end, options, h.size()))};
  });
}

QF_API void qf_monitor_changes_destroy(qf_monitor_changes* changes) { delete changes; }

QF_API qf_status qf_monitor_changes_count(const qf_monitor_changes* changes, size_t* n) {
  return guard([&] {
    const auto& c = changes_of(changes);
    require(n, "n");
    *n = c.size();
  });
}

QF_API qf_status qf_monitor_changes_columns(const qf_monitor_changes* changes, int32_t* change, int32_t* rule,
                                            int32_t* severity, int32_t* entity_kind, int64_t* entity,
                                            int64_t* related, int32_t* period, double* observed, double* expected,
                                            uint64_t* key, size_t n) {
  return guard([&] {
    const auto& c = changes_of(changes);
    if (n != c.size()) fail(errc::invalid_argument, "n is ", n, "; there are ", c.size(), " changes");
    for (size_t i = 0; i < n; ++i) {
      const auto& a = c[i].alert;
      if (change != nullptr) change[i] = static_cast<int32_t>(c[i].change);
      if (rule != nullptr) rule[i] = static_cast<int32_t>(a.rule);
      if (severity != nullptr) severity[i] = static_cast<int32_t>(a.severity);
      if (entity_kind != nullptr) entity_kind[i] = static_cast<int32_t>(a.entity_kind);
      if (entity != nullptr) entity[i] = a.entity;
      if (related != nullptr) related[i] = a.related;
      if (period != nullptr) period[i] = a.period;
      if (observed != nullptr) observed[i] = a.observed;
      if (expected != nullptr) expected[i] = a.expected;
      if (key != nullptr) key[i] = a.key();
    }
  });
}

QF_API qf_status qf_monitor_changes_message(const qf_monitor_changes* changes, size_t i, char* buf, size_t capacity,
                                            size_t* needed) {
  return guard([&] {
    const auto& c = changes_of(changes);
    if (i >= c.size()) fail(errc::out_of_range, "i is ", i, "; there are ", c.size(), " changes");
    write_string(c[i].alert.message, buf, capacity, needed, "buf");
  });
}

QF_API const char* qf_alert_rule_name(int32_t rule) { return name_of(monitor::rule_names, rule); }
QF_API const char* qf_change_kind_name(int32_t change) { return name_of(monitor::change_kind_names, change); }
QF_API const char* qf_severity_name(int32_t severity) { return name_of(monitor::severity_names, severity); }
QF_API const char* qf_entity_kind_name(int32_t kind) { return name_of(monitor::entity_kind_names, kind); }

}  // extern "C"
