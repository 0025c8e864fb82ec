// Bindings: the streaming monitor (quotaflow._core.Monitor). Event columns arrive as numpy
// arrays; pushes and advance run with the GIL released. quotaflow.streaming wraps this class with
// date conversion, name lookup and DataFrames.
#include <optional>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/monitor/monitor.hpp"

namespace quotaflow::python {

namespace {

monitor::MonitorConfig make_config(Date start, Date end, const std::string& grain, const column<int64_t>& plan,
                                   const std::optional<column<int64_t>>& visit_plan,
                                   const std::optional<column<double>>& stage_limits, const py::dict& rules) {
  monitor::MonitorConfig c;
  c.start = start;
  c.end = end;
  c.grain = parse_grain(grain);
  c.plan.assign(plan.data(), plan.data() + plan.size());
  if (visit_plan) c.visit_plan.assign(visit_plan->data(), visit_plan->data() + visit_plan->size());
  if (stage_limits) c.stage_limit_days.assign(stage_limits->data(), stage_limits->data() + stage_limits->size());
  auto& r = c.rules;
  for (auto item : rules) {
    const auto key = item.first.cast<std::string>();
    const py::handle v = item.second;
    if (key == "enabled") r.enabled = std::bitset<monitor::rule_count>(v.cast<uint32_t>());
    else if (key == "ahead_pace") r.pace.ahead_pace = v.cast<double>();
    else if (key == "behind_pace") r.pace.behind_pace = v.cast<double>();
    else if (key == "at_risk_pace") r.pace.at_risk_pace = v.cast<double>();
    else if (key == "at_risk_required") r.pace.at_risk_required = v.cast<double>();
    else if (key == "stalled_critical_factor") r.stalled_critical_factor = v.cast<double>();
    else if (key == "overdue_grace_days") r.overdue_grace_days = v.cast<int32_t>();
    else if (key == "overdue_critical_days") r.overdue_critical_days = v.cast<int32_t>();
    else if (key == "activity_min_ratio") r.activity_min_ratio = v.cast<double>();
    else if (key == "case_late_critical_days") r.case_late_critical_days = v.cast<double>();
    else if (key == "min_coverage") r.min_coverage = v.cast<double>();
    else if (key == "min_target_probability") r.min_target_probability = v.cast<double>();
    else if (key == "target_unit") r.target_unit = v.cast<int64_t>();
    else if (key == "target_cells") r.target_cells = v.cast<int64_t>();
    else if (key == "collection_min_share") r.collection_min_share = v.cast<double>();
    else if (key == "chart_kind") r.chart_kind = monitor::parse_chart_kind(v.cast<std::string>());
    else if (key == "chart_rules") r.chart_rules = monitor::parse_rule_set(v.cast<std::string>());
    else fail(errc::invalid_argument, "rules has an unknown setting \"", key, "\"");
  }
  return c;
}

template <class T>
std::vector<T> values(const py::handle& v) {
  const column<T> a = py::cast<column<T>>(v);
  const auto s = as_span(a);
  return {s.begin(), s.end()};
}

// The inputs of the pipeline, per-sale, collection and chart rules (quotaflow.streaming passes
// only what was given): collection_plan, kpi_history, stage_names, amount_scale and the sales
// policy (list_price, promotional, item_names, max_discount_pct, customer_tier, floor_share,
// ceiling_share, critical_excess_pct, territories, seller_territory).
void add_inputs(monitor::MonitorConfig& c, const py::dict& inputs) {
  auto& p = c.sales;
  for (auto item : inputs) {
    const auto key = item.first.cast<std::string>();
    const py::handle v = item.second;
    if (key == "collection_plan") c.collection_plan = values<int64_t>(v);
    else if (key == "kpi_history") c.kpi_history = values<double>(v);
    else if (key == "stage_names") c.stage_names = v.cast<std::vector<std::string>>();
    else if (key == "amount_scale") c.amount_scale = v.cast<int>();
    else if (key == "list_price") p.list_price = values<int64_t>(v);
    else if (key == "promotional") p.promotional = values<uint8_t>(v);
    else if (key == "item_names") p.item_names = v.cast<std::vector<std::string>>();
    else if (key == "max_discount_pct") p.max_discount_pct = values<double>(v);
    else if (key == "customer_tier") p.customer_tier = values<int32_t>(v);
    else if (key == "floor_share") p.floor_share = v.cast<double>();
    else if (key == "ceiling_share") p.ceiling_share = v.cast<double>();
    else if (key == "critical_excess_pct") p.critical_excess_pct = v.cast<double>();
    else if (key == "territories") p.territories = std::make_shared<const Hierarchy>(v.cast<const Hierarchy&>());
    else if (key == "seller_territory") p.seller_territory = values<int32_t>(v);
    else fail(errc::invalid_argument, "inputs has an unknown entry \"", key, "\"");
  }
}

// The changes as a dict of columns (the Python side makes the DataFrame).
py::dict changes_columns(const std::vector<monitor::AlertChange>& c) {
  const size_t n = c.size();
  py::array_t<int32_t> change(n), rule(n), severity(n), kind(n), period(n);
  py::array_t<int64_t> entity(n), related(n);
  py::array_t<double> observed(n), expected(n);
  py::array_t<uint64_t> key(n);
  py::list message;
  for (size_t i = 0; i < n; ++i) {
    const auto& a = c[i].alert;
    change.mutable_at(i) = static_cast<int32_t>(c[i].change);
    rule.mutable_at(i) = static_cast<int32_t>(a.rule);
    severity.mutable_at(i) = static_cast<int32_t>(a.severity);
    kind.mutable_at(i) = static_cast<int32_t>(a.entity_kind);
    period.mutable_at(i) = a.period;
    entity.mutable_at(i) = a.entity;
    related.mutable_at(i) = a.related;
    observed.mutable_at(i) = a.observed;
    expected.mutable_at(i) = a.expected;
    key.mutable_at(i) = a.key();
    message.append(a.message);
  }
  py::dict d;
  d["change"] = change;
  d["rule"] = rule;
  d["severity"] = severity;
  d["entity_kind"] = kind;
  d["entity"] = entity;
  d["related"] = related;
  d["period"] = period;
  d["observed"] = observed;
  d["expected"] = expected;
  d["message"] = message;
  d["key"] = key;
  return d;
}

template <class T>
gsl::span<const T> sp(const column<T>& a) {
  return as_span(a);
}

}  // namespace

void register_monitor_stream(py::module_& m) {
  py::class_<monitor::Monitor>(m, "Monitor")
      .def(py::init([](const Hierarchy& h, const Calendar& cal, Date start, Date end, const std::string& grain,
                       const column<int64_t>& plan, const std::optional<column<int64_t>>& visit_plan,
                       const std::optional<column<double>>& stage_limits, const py::dict& rules, const py::dict& inputs) {
             auto cfg = make_config(start, end, grain, plan, visit_plan, stage_limits, rules);
             add_inputs(cfg, inputs);
             return monitor::Monitor(h, cal, std::move(cfg));
           }),
           py::arg("hierarchy"), py::arg("calendar"), py::arg("start"), py::arg("end"), py::arg("grain"), py::arg("plan"),
           py::arg("visit_plan"), py::arg("stage_limits"), py::arg("rules"), py::arg("inputs") = py::dict())
      .def_static(
          "load",
          [](const py::bytes& data, const Hierarchy& h, const Calendar& cal, Date start, Date end, const std::string& grain,
             const column<int64_t>& plan, const std::optional<column<int64_t>>& visit_plan,
             const std::optional<column<double>>& stage_limits, const py::dict& rules, const py::dict& inputs) {
            const std::string_view s = data;
            auto cfg = make_config(start, end, grain, plan, visit_plan, stage_limits, rules);
            add_inputs(cfg, inputs);
            return monitor::Monitor::load({reinterpret_cast<const uint8_t*>(s.data()), s.size()}, h, cal, std::move(cfg));
          },
          py::arg("data"), py::arg("hierarchy"), py::arg("calendar"), py::arg("start"), py::arg("end"), py::arg("grain"),
          py::arg("plan"), py::arg("visit_plan"), py::arg("stage_limits"), py::arg("rules"), py::arg("inputs") = py::dict())
      .def(
          "push_sales",
          [](monitor::Monitor& self, const column<int32_t>& node, const column<int32_t>& date, const column<int64_t>& amount,
             const std::optional<column<int64_t>>& sale, const std::optional<column<int32_t>>& item,
             const std::optional<column<int64_t>>& price, const std::optional<column<double>>& discount_pct,
             const std::optional<column<int32_t>>& customer, const std::optional<column<int32_t>>& location) {
            auto opt = [](const auto& col) { return col ? sp(*col) : decltype(sp(*col)){}; };
            monitor::SaleColumns c;
            c.node = sp(node);
            c.date = sp(date);
            c.amount = sp(amount);
            c.sale = opt(sale);
            c.item = opt(item);
            c.price = opt(price);
            c.discount_pct = opt(discount_pct);
            c.customer = opt(customer);
            c.location = opt(location);
            py::gil_scoped_release release;
            self.push_sales(c);
          },
          py::arg("node"), py::arg("date"), py::arg("amount"), py::arg("sale") = py::none(), py::arg("item") = py::none(),
          py::arg("price") = py::none(), py::arg("discount_pct") = py::none(), py::arg("customer") = py::none(),
          py::arg("location") = py::none())
      .def("push_deals",
           [](monitor::Monitor& self, const column<int64_t>& deal, const column<int32_t>& owner, const column<int64_t>& amount,
              const column<double>& probability, const column<int32_t>& close) {
             auto a = sp(deal);
             auto b = sp(owner);
             auto c = sp(amount);
             auto d = sp(probability);
             auto e = sp(close);
             py::gil_scoped_release release;
             self.push_deals(a, b, c, d, e);
           })
      .def("push_stage_changes",
           [](monitor::Monitor& self, const column<int64_t>& deal, const column<int32_t>& stage, const column<int32_t>& date) {
             auto a = sp(deal);
             auto b = sp(stage);
             auto c = sp(date);
             py::gil_scoped_release release;
             self.push_stage_changes(a, b, c);
           })
      .def(
          "push_invoices",
          [](monitor::Monitor& self, const column<int64_t>& invoice, const column<int64_t>& customer,
             const column<int64_t>& amount, const column<int32_t>& due, const std::optional<column<int32_t>>& seller) {
            auto a = sp(invoice);
            auto b = sp(customer);
            auto c = sp(amount);
            auto d = sp(due);
            auto e = seller ? sp(*seller) : gsl::span<const int32_t>{};
            py::gil_scoped_release release;
            self.push_invoices(a, b, c, d, e);
          },
          py::arg("invoice"), py::arg("customer"), py::arg("amount"), py::arg("due"), py::arg("seller") = py::none())
      .def("push_payments",
           [](monitor::Monitor& self, const column<int64_t>& invoice, const column<int64_t>& amount, const column<int32_t>& date) {
             auto a = sp(invoice);
             auto b = sp(amount);
             auto c = sp(date);
             py::gil_scoped_release release;
             self.push_payments(a, b, c);
           })
      .def("push_visits",
           [](monitor::Monitor& self, const column<int32_t>& seller, const column<int32_t>& date, const column<int64_t>& count) {
             auto a = sp(seller);
             auto b = sp(date);
             auto c = sp(count);
             py::gil_scoped_release release;
             self.push_visits(a, b, c);
           })
      .def("push_cases",
           [](monitor::Monitor& self, const column<int64_t>& id, const column<int64_t>& end, const column<int64_t>& planned) {
             auto a = sp(id);
             auto b = sp(end);
             auto c = sp(planned);
             py::gil_scoped_release release;
             self.push_cases(a, b, c);
           })
      .def("advance",
           [](monitor::Monitor& self, Date as_of) {
             std::vector<monitor::AlertChange> c;
             {
               py::gil_scoped_release release;
               c = self.advance(as_of);
             }
             return changes_columns(c);
           })
      .def("snooze", &monitor::Monitor::snooze, py::arg("key"), py::arg("until"), py::arg("reason"), py::arg("margin"))
      .def("acknowledge", &monitor::Monitor::acknowledge, py::arg("key"), py::arg("until"), py::arg("reason"))
      .def("save",
           [](const monitor::Monitor& self) {
             const auto b = self.save();
             return py::bytes(reinterpret_cast<const char*>(b.data()), b.size());
           })
      .def_property_readonly("active", [](const monitor::Monitor& self) { return self.alerts().size(); })
      .def_property_readonly("sale_alerts", &monitor::Monitor::sale_alerts)
      .def_property_readonly("outside_count", &monitor::Monitor::outside_count)
      .def_property_readonly("outside_amount", &monitor::Monitor::outside_amount);
  m.attr("ALERT_RULES") = py::cast(std::vector<std::string>(monitor::rule_names.begin(), monitor::rule_names.end()));
  m.attr("CHANGE_KINDS") =
      py::cast(std::vector<std::string>(monitor::change_kind_names.begin(), monitor::change_kind_names.end()));
  m.attr("SEVERITIES") = py::cast(std::vector<std::string>(monitor::severity_names.begin(), monitor::severity_names.end()));
  m.attr("ENTITY_KINDS") =
      py::cast(std::vector<std::string>(monitor::entity_kind_names.begin(), monitor::entity_kind_names.end()));
}

}  // namespace quotaflow::python
