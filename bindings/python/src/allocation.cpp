// Bindings: target allocation. Heavy work runs with the GIL released.
#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/allocation/drivers.hpp"
#include "quotaflow/allocation/grid.hpp"
#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/allocation/reconcile.hpp"
#include "quotaflow/allocation/tree.hpp"

namespace quotaflow::python {

namespace {
template <class T>
gsl::span<const T> maybe(const std::optional<column<T>>& a) {
  return a ? as_span(*a) : gsl::span<const T>{};
}
template <class T>
py::array_t<T> to_numpy(std::vector<T>&& v) {
  auto* holder = new std::vector<T>(std::move(v));
  py::capsule free_when_done(holder, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(holder->size()), holder->data(), free_when_done);
}
}  // namespace

void register_allocation(py::module_& m) {
  m.def(
      "apportion",
      [](int64_t total, const column<double>& weights, const std::string& method,
         const std::optional<column<int64_t>>& lower, const std::optional<column<int64_t>>& upper) {
        ApportionMethod meth = parse_apportion_method(method);
        auto w = as_span(weights);
        auto lo = maybe(lower), hi = maybe(upper);
        column<int64_t> out(static_cast<py::ssize_t>(w.size()));
        auto o = as_mutable_span(out);
        {
          py::gil_scoped_release release;
          apportion(total, w, o, meth, lo, hi);
        }
        return out;
      },
      py::arg("total"), py::arg("weights"), py::arg("method"), py::arg("lower"), py::arg("upper"));

  m.def(
      "apportion_quotas",
      [](int64_t total, const column<double>& weights, const std::optional<column<int64_t>>& lower,
         const std::optional<column<int64_t>>& upper) {
        auto w = as_span(weights);
        column<double> out(static_cast<py::ssize_t>(w.size()));
        apportion_quotas(total, w, as_mutable_span(out), maybe(lower), maybe(upper));
        return out;
      },
      py::arg("total"), py::arg("weights"), py::arg("lower"), py::arg("upper"));

  m.def(
      "blend",
      [](const std::vector<column<double>>& drivers, const column<double>& coefficients) {
        std::vector<gsl::span<const double>> spans;
        for (const auto& d : drivers) spans.push_back(as_span(d));
        return to_numpy(blend(spans, as_span(coefficients)));
      },
      py::arg("drivers"), py::arg("coefficients"));

  m.def(
      "capacity_weights",
      [](const column<double>& headcount, const column<double>& hours, const std::optional<column<double>>& availability) {
        return to_numpy(capacity_weights(as_span(headcount), as_span(hours), maybe(availability)));
      },
      py::arg("headcount"), py::arg("hours_per_week"), py::arg("availability"));

  m.def(
      "ramp_factors",
      [](const column<int32_t>& start_dates, const Calendar& cal, Date start, Date end, const column<double>& schedule) {
        return to_numpy(ramp_factors(as_span(start_dates), cal, start, end, as_span(schedule)));
      },
      py::arg("start_dates"), py::arg("calendar"), py::arg("period_start"), py::arg("period_end"), py::arg("schedule"));

  m.def(
      "allocate_tree",
      [](const Hierarchy& h, int64_t root_total, const column<double>& weights, const std::string& method,
         double over_assignment, const std::optional<column<double>>& per_level,
         const std::optional<column<double>>& per_node, const std::optional<column<int64_t>>& lower,
         const std::optional<column<int64_t>>& upper, bool explain) {
        TreeAllocationOptions opt;
        opt.method = parse_apportion_method(method);
        opt.over_assignment = over_assignment;
        opt.over_assignment_per_level = maybe(per_level);
        opt.over_assignment_per_node = maybe(per_node);
        opt.lower = maybe(lower);
        opt.upper = maybe(upper);
        opt.explain = explain;
        auto w = as_span(weights);
        TreeAllocation r;
        {
          py::gil_scoped_release release;
          r = allocate_tree(h, root_total, w, opt);
        }
        return py::make_tuple(to_numpy(std::move(r.amounts)), to_numpy(std::move(r.weights)),
                              to_numpy(std::move(r.quotas)));
      },
      py::arg("hierarchy"), py::arg("root_total"), py::arg("weights"), py::arg("method"), py::arg("over_assignment"),
      py::arg("over_assignment_per_level"), py::arg("over_assignment_per_node"), py::arg("lower"), py::arg("upper"),
      py::arg("explain"));

  auto phase_opts = [](const std::string& grain, const std::string& method, const std::optional<column<double>>& month,
                       const std::optional<column<double>>& weekday, const std::optional<column<double>>& daily) {
    PhaseOptions o;
    o.grain = parse_grain(grain);
    o.method = parse_apportion_method(method);
    o.month_profile = maybe(month);
    o.weekday_profile = maybe(weekday);
    o.daily_profile = maybe(daily);
    return o;
  };
  m.def(
      "phase",
      [phase_opts](int64_t total, const Calendar& cal, Date start, Date end, const std::string& grain,
                                  const std::string& method, const std::optional<column<double>>& month,
                                  const std::optional<column<double>>& weekday,
                                  const std::optional<column<double>>& daily) {
        PhaseOptions o = phase_opts(grain, method, month, weekday, daily);
        PhaseResult r = phase(total, cal, start, end, o);
        return py::make_tuple(periods_columns(cal, r.periods, o.grain), to_numpy(std::move(r.weights)),
                              to_numpy(std::move(r.targets)));
      },
      py::arg("total"), py::arg("calendar"), py::arg("start"), py::arg("end"), py::arg("grain"), py::arg("method"),
      py::arg("month_profile"), py::arg("weekday_profile"), py::arg("daily_profile"));

  m.def(
      "phase_many",
      [phase_opts](const column<int64_t>& totals, const Calendar& cal, Date start, Date end,
                                  const std::string& grain, const std::string& method,
                                  const std::optional<column<double>>& month, const std::optional<column<double>>& weekday,
                                  const std::optional<column<double>>& daily) {
        PhaseOptions o = phase_opts(grain, method, month, weekday, daily);
        auto t = as_span(totals);
        std::vector<int64_t> matrix;
        PhasePlan plan;
        {
          py::gil_scoped_release release;
          plan = phase_many(t, cal, start, end, o, matrix);
        }
        const auto p = static_cast<py::ssize_t>(plan.periods.size());
        py::array_t<int64_t> flat = to_numpy(std::move(matrix));
        return py::make_tuple(periods_columns(cal, plan.periods, o.grain), flat.reshape({static_cast<py::ssize_t>(t.size()), p}));
      },
      py::arg("totals"), py::arg("calendar"), py::arg("start"), py::arg("end"), py::arg("grain"), py::arg("method"),
      py::arg("month_profile"), py::arg("weekday_profile"), py::arg("daily_profile"));

  m.def(
      "allocate_grid",
      [](const column<int64_t>& rows, const column<int64_t>& cols, const column<double>& seed, int32_t max_iterations,
         double tolerance) {
        auto r = as_span(rows), c = as_span(cols);
        auto s = as_span(seed);
        GridResult g;
        {
          py::gil_scoped_release release;
          g = allocate_grid(r, c, s, max_iterations, tolerance);
        }
        auto cells = to_numpy(std::move(g.cells)).reshape({static_cast<py::ssize_t>(r.size()), static_cast<py::ssize_t>(c.size())});
        auto fitted = to_numpy(std::move(g.fitted)).reshape({static_cast<py::ssize_t>(r.size()), static_cast<py::ssize_t>(c.size())});
        return py::make_tuple(cells, fitted, g.ipf_iterations, g.ipf_max_error);
      },
      py::arg("row_totals"), py::arg("col_totals"), py::arg("seed"), py::arg("max_iterations"), py::arg("tolerance"));

  m.def(
      "reconcile",
      [](const Hierarchy& h, const column<double>& base, const std::string& method, bool integer, bool nonnegative,
         const std::optional<py::array_t<double, py::array::c_style | py::array::forcecast>>& history) -> py::object {
        ReconcileOptions opt;
        opt.method = parse_reconcile_method(method);
        opt.nonnegative = nonnegative;
        if (history) {
          if (history->ndim() != 2)
            fail(errc::invalid_argument, "history must be 2-dimensional (periods x nodes), got ", history->ndim(), " dimensions");
          opt.history = gsl::span<const double>(history->data(), static_cast<size_t>(history->size()));
          opt.history_periods = static_cast<int32_t>(history->shape(0));
          if (static_cast<size_t>(history->shape(1)) != h.size())
            fail(errc::invalid_argument, "history has ", history->shape(1), " columns; the hierarchy has ", h.size(), " nodes");
        }
        auto b = as_span(base);
        std::vector<double> real;
        {
          py::gil_scoped_release release;
          real = reconcile(h, b, opt);
        }
        if (!integer) return to_numpy(std::move(real));
        std::vector<int64_t> ints;
        {
          py::gil_scoped_release release;
          ints = round_reconciled(h, real);
        }
        return to_numpy(std::move(ints));
      },
      py::arg("hierarchy"), py::arg("base"), py::arg("method"), py::arg("integer"), py::arg("nonnegative"),
      py::arg("history"));

  m.def(
      "reconcile_plan",
      [](const Hierarchy& h, const column<double>& top_down, const column<int64_t>& bottom_up, const std::string& method,
         double alpha) {
        PlanResult r = reconcile_plan(h, as_span(top_down), as_span(bottom_up), parse_plan_method(method), alpha);
        const size_t n = r.gaps.size();
        std::vector<int64_t> td(n), bu(n), fin(n), ch(n);
        std::vector<double> pct(n);
        std::vector<uint8_t> has(n);
        for (size_t i = 0; i < n; ++i) {
          td[i] = r.gaps[i].top_down;
          bu[i] = r.gaps[i].bottom_up;
          fin[i] = r.gaps[i].final_value;
          ch[i] = r.gaps[i].change;
          pct[i] = r.gaps[i].change_pct;
          has[i] = r.gaps[i].has_top_down;
        }
        return py::make_tuple(to_numpy(std::move(r.plan)), to_numpy(std::move(td)), to_numpy(std::move(has)),
                              to_numpy(std::move(bu)), to_numpy(std::move(fin)), to_numpy(std::move(ch)),
                              to_numpy(std::move(pct)));
      },
      py::arg("hierarchy"), py::arg("top_down"), py::arg("bottom_up"), py::arg("method"), py::arg("alpha"));
}

}  // namespace quotaflow::python
