// C ABI: deviation detection (control charts).
#include <algorithm>
#include <vector>

#include "guard.hpp"
#include "quotaflow/monitor/control_chart.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;
using namespace quotaflow::monitor;

struct qf_chart_signals {
  ChartResult result;
};

namespace {

ChartOptions chart_options(const qf_chart_options* o, size_t n_points) {
  ChartOptions c;
  if (o == nullptr) return c;
  if (o->version != QF_CHART_OPTIONS_VERSION)
    fail(errc::invalid_argument, "options->version is ", o->version, "; this library knows version ",
         QF_CHART_OPTIONS_VERSION);
  c.kind = check_chart_kind(o->chart);
  c.rules = check_rule_set(o->rules);
  c.k = o->k;
  c.h = o->h;
  c.lambda = o->lambda;
  c.L = o->L;
  c.robust = o->robust != 0;
  if (o->baseline != nullptr) c.baseline = {o->baseline, n_points};
  require_column(o->center, o->n_center, "options->center");
  require_column(o->sigma, o->n_sigma, "options->sigma");
  if (o->center != nullptr) {
    if (o->n_center == 0) fail(errc::invalid_argument, "options->center is set but options->n_center is 0");
    c.center = {o->center, o->n_center};
  }
  if (o->sigma != nullptr) {
    if (o->n_sigma == 0) fail(errc::invalid_argument, "options->sigma is set but options->n_sigma is 0");
    c.sigma = {o->sigma, o->n_sigma};
  }
  return c;
}

const ChartResult& result_of(const qf_chart_signals* s) {
  require(s, "signals");
  return s->result;
}

template <class T, class U = T>
void copy_out(const std::vector<T>& col, U* out, size_t capacity, const char* name) {
  if (out == nullptr) return;
  if (capacity < col.size())
    fail(errc::buffer_too_small, name, " has capacity ", capacity, " but ", col.size(), " entries are needed");
  std::transform(col.begin(), col.end(), out, [](const T& v) { return static_cast<U>(v); });
}

}  // namespace

extern "C" {

QF_API qf_status qf_control_chart(qf_chart_signals** out, const double* values, size_t n,
                                  const qf_chart_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(values, n, "values");
    *out = new qf_chart_signals{control_chart({values, n}, chart_options(options, n))};
  });
}

QF_API qf_status qf_control_charts(qf_chart_signals** out, const double* values, size_t n_series, size_t n_points,
                                   const qf_chart_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    if (n_points != 0 && n_series > SIZE_MAX / n_points)
      fail(errc::overflow, "n_series x n_points overflows: ", n_series, " x ", n_points);
    require_column(values, n_series * n_points, "values");
    *out = new qf_chart_signals{
        control_charts({values, n_series * n_points}, n_series, n_points, chart_options(options, n_points))};
  });
}

QF_API void qf_chart_signals_destroy(qf_chart_signals* signals) { delete signals; }

QF_API qf_status qf_chart_signals_size(const qf_chart_signals* signals, size_t* n_signals, size_t* n_series) {
  return guard([&] {
    const ChartResult& r = result_of(signals);
    if (n_signals != nullptr) *n_signals = r.signals.size();
    if (n_series != nullptr) *n_series = r.center.size();
  });
}

QF_API qf_status qf_chart_signals_columns(const qf_chart_signals* signals, int64_t* series, int64_t* index,
                                          int32_t* rule, double* value, double* center, double* lower,
                                          double* upper, size_t capacity) {
  return guard([&] {
    const ChartSignals& s = result_of(signals).signals;
    copy_out(s.series, series, capacity, "series");
    copy_out(s.index, index, capacity, "index");
    copy_out(s.rule, rule, capacity, "rule");
    copy_out(s.value, value, capacity, "value");
    copy_out(s.center, center, capacity, "center");
    copy_out(s.lower, lower, capacity, "lower");
    copy_out(s.upper, upper, capacity, "upper");
  });
}

QF_API qf_status qf_chart_signals_parameters(const qf_chart_signals* signals, double* center, double* sigma,
                                             size_t capacity) {
  return guard([&] {
    const ChartResult& r = result_of(signals);
    copy_out(r.center, center, capacity, "center");
    copy_out(r.sigma, sigma, capacity, "sigma");
  });
}

QF_API const char* qf_chart_rule_name(int32_t rule) {
  // The names are string_view literals from chart_rule_names: NUL-terminated static storage.
  return chart_rule_name(static_cast<ChartRule>(rule)).data();
}

QF_API qf_status qf_chart_rules_parse(const char* names, uint32_t* rules) {
  return guard([&] {
    require(names, "names");
    require(rules, "rules");
    *rules = parse_rule_set(names).bits;
  });
}

}  // extern "C"
