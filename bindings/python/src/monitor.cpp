// Bindings: deviation detection (control charts). The charts run with the GIL released.
#include <optional>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/monitor/control_chart.hpp"

namespace quotaflow::python {

namespace {

template <class T>
py::array_t<T> column_of(std::vector<T>&& v) {
  auto* holder = new std::vector<T>(std::move(v));
  py::capsule owner(holder, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(holder->size()), holder->data(), owner);
}

// values: 1-d (one chart, messages name values[i]) or 2-d (one chart per row, values[s, i]).
py::tuple control_charts(const column<double>& values, const std::string& chart, const std::string& rules, double k,
                         double h, double lambda, double L, bool robust, const std::optional<column<uint8_t>>& baseline,
                         const std::optional<column<double>>& center, const std::optional<column<double>>& sigma) {
  if (values.ndim() != 1 && values.ndim() != 2)
    fail(errc::invalid_argument, "values has ", values.ndim(), " dimensions; expected 1 (a series) or 2 (series x points)");
  monitor::ChartOptions o;
  o.kind = monitor::parse_chart_kind(chart);
  if (!rules.empty()) o.rules = monitor::parse_rule_set(rules);
  o.k = k;
  o.h = h;
  o.lambda = lambda;
  o.L = L;
  o.robust = robust;
  if (baseline) o.baseline = as_span(*baseline);
  if (center) o.center = as_span(*center);
  if (sigma) o.sigma = as_span(*sigma);
  const gsl::span<const double> x{values.data(), static_cast<size_t>(values.size())};
  const bool bulk = values.ndim() == 2;
  const auto n_series = bulk ? static_cast<size_t>(values.shape(0)) : size_t{1};
  const auto n_points = static_cast<size_t>(values.shape(bulk ? 1 : 0));
  monitor::ChartResult r;
  {
    py::gil_scoped_release release;
    r = bulk ? monitor::control_charts(x, n_series, n_points, o) : monitor::control_chart(x, o);
  }
  std::vector<int32_t> rule(r.signals.rule.size());
  for (size_t i = 0; i < rule.size(); ++i) rule[i] = static_cast<int32_t>(r.signals.rule[i]);
  monitor::ChartSignals& s = r.signals;
  return py::make_tuple(column_of(std::move(s.series)), column_of(std::move(s.index)), column_of(std::move(rule)),
                        column_of(std::move(s.value)), column_of(std::move(s.center)), column_of(std::move(s.lower)),
                        column_of(std::move(s.upper)), column_of(std::move(r.center)), column_of(std::move(r.sigma)));
}

}  // namespace

void register_monitor(py::module_& m) {
  m.def("control_charts", &control_charts, py::arg("values"), py::arg("chart"), py::arg("rules"), py::arg("k"),
        py::arg("h"), py::arg("lam"), py::arg("L"), py::arg("robust"), py::arg("baseline"), py::arg("center"),
        py::arg("sigma"),
        "Control charts of a series (1-d) or of every row (2-d): (series, index, rule, value, center, lower, upper, "
        "centers, sigmas)");
  py::list names;
  for (std::string_view n : monitor::chart_rule_names) names.append(py::str(std::string(n)));
  m.attr("CHART_RULES") = py::tuple(names);
}

}  // namespace quotaflow::python
