// Bindings: the monitor's deal, policy, territory, receivables, activity and late-case rules.
// Columns come in as numpy arrays (no copy when the dtype fits), names as lists of str; alerts go
// out as a dict of numpy columns plus a list of messages. Heavy work runs with the GIL released.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/monitor/activity.hpp"
#include "quotaflow/monitor/deals.hpp"
#include "quotaflow/monitor/late_cases.hpp"
#include "quotaflow/monitor/price_policy.hpp"
#include "quotaflow/monitor/receivables.hpp"
#include "quotaflow/monitor/target_probability.hpp"
#include "quotaflow/monitor/territory.hpp"

namespace quotaflow::python {

namespace {
using Names = std::vector<std::string>;

template <class T>
py::array_t<T> owned(std::vector<T>&& v) {
  auto* holder = new std::vector<T>(std::move(v));
  py::capsule free_when_done(holder, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(holder->size()), holder->data(), free_when_done);
}

template <class T>
gsl::span<const T> maybe(const std::optional<column<T>>& a) {
  return a ? as_span(*a) : gsl::span<const T>{};
}

// Alerts as columns: rule, severity, entity_kind (small ints), entity, related, period, observed,
// expected, key (uint64) and message (list of str).
py::dict alert_columns(const std::vector<monitor::Alert>& alerts) {
  const size_t n = alerts.size();
  std::vector<int16_t> rule(n);
  std::vector<int8_t> severity(n), kind(n);
  std::vector<int64_t> entity(n), related(n);
  std::vector<int32_t> period(n);
  std::vector<double> observed(n), expected(n);
  std::vector<uint64_t> key(n);
  py::list message(n);
  for (size_t i = 0; i < n; ++i) {
    const auto& a = alerts[i];
    rule[i] = static_cast<int16_t>(a.rule);
    severity[i] = static_cast<int8_t>(a.severity);
    kind[i] = static_cast<int8_t>(a.entity_kind);
    entity[i] = a.entity;
    related[i] = a.related;
    period[i] = a.period;
    observed[i] = a.observed;
    expected[i] = a.expected;
    key[i] = a.key();
    message[i] = py::str(a.message);
  }
  py::dict d;
  d["rule"] = owned(std::move(rule));
  d["severity"] = owned(std::move(severity));
  d["entity_kind"] = owned(std::move(kind));
  d["entity"] = owned(std::move(entity));
  d["related"] = owned(std::move(related));
  d["period"] = owned(std::move(period));
  d["observed"] = owned(std::move(observed));
  d["expected"] = owned(std::move(expected));
  d["key"] = owned(std::move(key));
  d["message"] = message;
  return d;
}

py::list string_list(const std::vector<std::string_view>& v) {
  py::list out;
  for (auto s : v) out.append(py::str(std::string(s)));
  return out;
}
}  // namespace

void register_monitor_rules(py::module_& m) {
  m.attr("RULE_NAMES") = string_list({monitor::rule_names.begin(), monitor::rule_names.end()});
  m.attr("SEVERITY_NAMES") = string_list({monitor::severity_names.begin(), monitor::severity_names.end()});
  m.attr("ENTITY_KIND_NAMES") = string_list({monitor::entity_kind_names.begin(), monitor::entity_kind_names.end()});

  m.def(
      "rules_stalled",
      [](const column<int32_t>& stage, const column<int32_t>& entered, const column<double>& limit, const Calendar& cal,
         Date as_of, bool calendar_days, double critical_factor, const Names& deal_names, const Names& stage_names) {
        monitor::StallOptions o;
        o.day_count = calendar_days ? monitor::DayCount::calendar_days : monitor::DayCount::working_days;
        o.critical_factor = critical_factor;
        o.deal_names = deal_names;
        o.stage_names = stage_names;
        auto s = as_span(stage);
        auto e = as_span(entered);
        auto l = as_span(limit);
        monitor::StalledDeals r;
        {
          py::gil_scoped_release release;
          r = monitor::detect_stalled(s, e, l, cal, as_of, o);
        }
        return py::make_tuple(owned(std::move(r.days_in_stage)), alert_columns(r.alerts));
      },
      py::arg("stage"), py::arg("entered"), py::arg("limit"), py::arg("calendar"), py::arg("as_of"),
      py::arg("calendar_days"), py::arg("critical_factor"), py::arg("deal_names"), py::arg("stage_names"));

  m.def(
      "rules_sojourn_limits",
      [](const column<int32_t>& stage, const column<double>& days, size_t n_stages, double percentile) {
        return owned(monitor::sojourn_limits(as_span(stage), as_span(days), n_stages, percentile));
      },
      py::arg("stage"), py::arg("days"), py::arg("n_stages"), py::arg("percentile"));

  m.def(
      "rules_stall_limits",
      [](const process::ProcessModel& model, double expected_factor) { return owned(monitor::stall_limits(model, expected_factor)); },
      py::arg("model"), py::arg("expected_factor"));

  m.def(
      "rules_slipped",
      [](const column<int32_t>& original, const column<int32_t>& current, Date start, Date end, int32_t period,
         const Names& deal_names) {
        monitor::SlipOptions o;
        o.period = period;
        o.deal_names = deal_names;
        return alert_columns(monitor::detect_slipped(as_span(original), as_span(current), start, end, o));
      },
      py::arg("original_close"), py::arg("current_close"), py::arg("start"), py::arg("end"), py::arg("period"),
      py::arg("deal_names"));

  m.def(
      "rules_pipeline_coverage",
      [](const column<int32_t>& owner, const column<int64_t>& amount, const column<double>& probability,
         const column<int32_t>& close, Date start, Date end, const column<int64_t>& remaining, double min_coverage,
         int32_t period, int amount_scale, const Hierarchy* h, const Names& node_names) {
        monitor::CoverageOptions o;
        o.min_coverage = min_coverage;
        o.period = period;
        o.amount_scale = amount_scale;
        o.hierarchy = h;
        o.node_names = node_names;
        auto ow = as_span(owner);
        auto a = as_span(amount);
        auto p = as_span(probability);
        auto c = as_span(close);
        auto rem = as_span(remaining);
        monitor::PipelineCoverage r;
        {
          py::gil_scoped_release release;
          r = monitor::pipeline_coverage(ow, a, p, c, start, end, rem, o);
        }
        return py::make_tuple(owned(std::move(r.weighted)), owned(std::move(r.coverage)), alert_columns(r.alerts));
      },
      py::arg("owner"), py::arg("amount"), py::arg("probability"), py::arg("close"), py::arg("start"), py::arg("end"),
      py::arg("remaining_target"), py::arg("min_coverage"), py::arg("period"), py::arg("amount_scale"),
      py::arg("hierarchy").none(true), py::arg("node_names"));

  m.def(
      "rules_target_probabilities",
      [](const column<int32_t>& owner, const column<int64_t>& amount, const column<double>& probability,
         const column<int64_t>& remaining, int64_t unit, const std::vector<double>& levels, int64_t max_cells,
         double min_probability, int32_t period, int amount_scale, const Names& node_names, bool keep_pmf) {
        monitor::TargetProbabilityOptions o;
        o.unit = unit;
        o.quantile_levels = levels;
        o.max_cells = max_cells;
        monitor::TargetAlertOptions ao;
        ao.min_probability = min_probability;
        ao.period = period;
        ao.amount_scale = amount_scale;
        ao.node_names = node_names;
        ao.keep_pmf = keep_pmf;
        auto ow = as_span(owner);
        auto a = as_span(amount);
        auto p = as_span(probability);
        auto rem = as_span(remaining);
        monitor::TargetProbabilities r;
        {
          py::gil_scoped_release release;
          r = monitor::target_probabilities(ow, a, p, rem, o, ao);
        }
        const size_t N = r.nodes.size(), L = levels.size();
        std::vector<double> prob(N), expected(N), max_error(N);
        std::vector<int64_t> quantiles(N * L);
        py::list pmfs;
        for (size_t v = 0; v < N; ++v) {
          prob[v] = r.nodes[v].probability;
          expected[v] = r.nodes[v].expected;
          max_error[v] = r.nodes[v].max_error;
          for (size_t j = 0; j < L; ++j) quantiles[v * L + j] = r.nodes[v].quantiles[j];
          if (keep_pmf) pmfs.append(owned(std::move(r.nodes[v].pmf)));
        }
        py::dict d;
        d["probability"] = owned(std::move(prob));
        d["expected"] = owned(std::move(expected));
        d["max_error"] = owned(std::move(max_error));
        d["quantiles"] = owned(std::move(quantiles)).attr("reshape")(N, L);
        d["pmf"] = pmfs;
        d["alerts"] = alert_columns(r.alerts);
        return d;
      },
      py::arg("owner"), py::arg("amount"), py::arg("probability"), py::arg("remaining_target"), py::arg("unit"),
      py::arg("levels"), py::arg("max_cells"), py::arg("min_probability"), py::arg("period"), py::arg("amount_scale"),
      py::arg("node_names"), py::arg("keep_pmf"));

  m.def(
      "rules_check_prices",
      [](const column<int32_t>& product, const std::optional<column<int32_t>>& tier, const column<int64_t>& unit_price,
         const std::optional<column<double>>& discount_pct, const column<int64_t>& list_price,
         const std::optional<column<uint8_t>>& promotional, double floor_share, double ceiling_share,
         const std::optional<column<double>>& max_discount_pct, double critical_excess_pct, int32_t period,
         int amount_scale, const Names& sale_names, const Names& product_names) {
        monitor::PricePolicy pol;
        pol.list_price = as_span(list_price);
        pol.promotional = maybe(promotional);
        pol.floor_share = floor_share;
        pol.ceiling_share = ceiling_share;
        pol.max_discount_pct = maybe(max_discount_pct);
        pol.critical_excess_pct = critical_excess_pct;
        pol.period = period;
        pol.amount_scale = amount_scale;
        pol.sale_names = sale_names;
        pol.product_names = product_names;
        auto g = as_span(product);
        auto t = maybe(tier);
        auto u = as_span(unit_price);
        auto dd = maybe(discount_pct);
        std::vector<monitor::Alert> r;
        {
          py::gil_scoped_release release;
          r = monitor::check_prices(g, t, u, dd, pol);
        }
        return alert_columns(r);
      },
      py::arg("product"), py::arg("tier").none(true), py::arg("unit_price"), py::arg("discount_pct").none(true),
      py::arg("list_price"), py::arg("promotional").none(true), py::arg("floor_share"), py::arg("ceiling_share"),
      py::arg("max_discount_pct").none(true), py::arg("critical_excess_pct"), py::arg("period"), py::arg("amount_scale"),
      py::arg("sale_names"), py::arg("product_names"));

  m.def(
      "rules_check_territory",
      [](const Hierarchy& h, const column<int32_t>& sale_seller, const column<int32_t>& sale_location,
         const column<int32_t>& seller_territory, int32_t period, const Names& sale_names, const Names& seller_names) {
        monitor::TerritoryOptions o;
        o.period = period;
        o.sale_names = sale_names;
        o.seller_names = seller_names;
        auto s = as_span(sale_seller);
        auto l = as_span(sale_location);
        auto t = as_span(seller_territory);
        std::vector<monitor::Alert> r;
        {
          py::gil_scoped_release release;
          monitor::TerritoryIndex geo(h);
          r = monitor::check_territory(geo, s, l, t, o);
        }
        return alert_columns(r);
      },
      py::arg("hierarchy"), py::arg("sale_seller"), py::arg("sale_location"), py::arg("seller_territory"),
      py::arg("period"), py::arg("sale_names"), py::arg("seller_names"));

  m.def(
      "rules_paid_by_invoice",
      [](const column<int32_t>& invoice, const column<int64_t>& amount, const std::optional<column<int32_t>>& date,
         size_t n_invoices, Date as_of) {
        return owned(monitor::paid_by_invoice(as_span(invoice), as_span(amount), maybe(date), n_invoices, as_of));
      },
      py::arg("payment_invoice"), py::arg("payment_amount"), py::arg("payment_date").none(true), py::arg("n_invoices"),
      py::arg("as_of"));

  m.def(
      "rules_receivables",
      [](const column<int32_t>& customer, const std::optional<column<int32_t>>& seller, const column<int32_t>& due,
         const column<int64_t>& amount, const column<int64_t>& paid, size_t n_customers, size_t n_sellers, Date as_of,
         const std::vector<int32_t>& bounds, bool invoice_alerts, bool customer_alerts, bool seller_alerts,
         int amount_scale, const Names& invoice_names, const Names& customer_names, const Names& seller_names) {
        monitor::ReceivableOptions o;
        o.bucket_bounds = bounds;
        o.invoice_alerts = invoice_alerts;
        o.customer_alerts = customer_alerts;
        o.seller_alerts = seller_alerts;
        o.amount_scale = amount_scale;
        o.invoice_names = invoice_names;
        o.customer_names = customer_names;
        o.seller_names = seller_names;
        auto c = as_span(customer);
        auto s = maybe(seller);
        auto d = as_span(due);
        auto a = as_span(amount);
        auto p = as_span(paid);
        monitor::Receivables r;
        {
          py::gil_scoped_release release;
          r = monitor::receivables(c, s, d, a, p, n_customers, n_sellers, as_of, o);
        }
        const size_t C = r.columns();
        py::dict out;
        py::list labels;
        for (const auto& l : r.bucket_labels) labels.append(py::str(l));
        out["bucket_labels"] = labels;
        out["outstanding"] = owned(std::move(r.outstanding));
        out["days_past_due"] = owned(std::move(r.days_past_due));
        out["bucket"] = owned(std::move(r.bucket));
        out["ageing"] = owned(std::move(r.ageing)).attr("reshape")(n_customers, C);
        out["seller_ageing"] = owned(std::move(r.seller_ageing)).attr("reshape")(s.empty() ? 0 : n_sellers, C);
        out["total"] = owned(std::move(r.total));
        out["alerts"] = alert_columns(r.alerts);
        return out;
      },
      py::arg("customer"), py::arg("seller").none(true), py::arg("due"), py::arg("amount"), py::arg("paid"),
      py::arg("n_customers"), py::arg("n_sellers"), py::arg("as_of"), py::arg("bucket_bounds"), py::arg("invoice_alerts"),
      py::arg("customer_alerts"), py::arg("seller_alerts"), py::arg("amount_scale"), py::arg("invoice_names"),
      py::arg("customer_names"), py::arg("seller_names"));

  m.def(
      "rules_collection_gap",
      [](const column<int64_t>& collected, const column<int64_t>& target, double min_share, int32_t period,
         int amount_scale, const Names& node_names) {
        monitor::CollectionOptions o;
        o.min_share = min_share;
        o.period = period;
        o.amount_scale = amount_scale;
        o.node_names = node_names;
        auto r = monitor::collection_gap(as_span(collected), as_span(target), o);
        return py::make_tuple(owned(std::move(r.gap)), owned(std::move(r.share)), alert_columns(r.alerts));
      },
      py::arg("collected"), py::arg("target"), py::arg("min_share"), py::arg("period"), py::arg("amount_scale"),
      py::arg("node_names"));

  m.def(
      "rules_activity",
      [](const column<int64_t>& planned, const column<int64_t>& done, size_t n_periods, double min_compliance,
         double critical_compliance, const std::string& what, const Names& seller_names, const Names& period_names) {
        monitor::ActivityOptions o;
        o.min_compliance = min_compliance;
        o.critical_compliance = critical_compliance;
        o.what = what;
        o.seller_names = seller_names;
        o.period_names = period_names;
        auto p = as_span(planned);
        auto d = as_span(done);
        monitor::ActivityCompliance r;
        {
          py::gil_scoped_release release;
          r = monitor::activity_compliance(p, d, n_periods, o);
        }
        return py::make_tuple(owned(std::move(r.compliance)), owned(std::move(r.shortfall)), alert_columns(r.alerts));
      },
      py::arg("planned"), py::arg("done"), py::arg("n_periods"), py::arg("min_compliance"),
      py::arg("critical_compliance"), py::arg("what"), py::arg("seller_names"), py::arg("period_names"));

  m.def(
      "rules_late_cases",
      [](const column<int64_t>& end, const column<int64_t>& planned, double critical_days, const Names& case_names) {
        monitor::LateCaseOptions o;
        o.critical_days = critical_days;
        o.case_names = case_names;
        auto e = as_span(end);
        auto p = as_span(planned);
        monitor::LateCases r;
        {
          py::gil_scoped_release release;
          r = monitor::late_cases(e, p, o);
        }
        return py::make_tuple(r.finished, owned(std::move(r.days_late)), alert_columns(r.alerts));
      },
      py::arg("end"), py::arg("planned_end"), py::arg("critical_days"), py::arg("case_names"));
  m.attr("RULES_NO_TIME") = monitor::no_time;
}

}  // namespace quotaflow::python
