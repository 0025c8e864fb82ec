// Bindings: roll-up of actuals, plan vs actual and pacing, price/volume/mix. Heavy work runs with
// the GIL released.
#include <optional>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/track.hpp"

namespace quotaflow::python {

namespace {
template <class T>
py::array_t<T> matrix(std::vector<T>&& v, size_t rows, size_t cols) {
  auto* holder = new std::vector<T>(std::move(v));
  py::capsule free_when_done(holder, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>({static_cast<py::ssize_t>(rows), static_cast<py::ssize_t>(cols)}, holder->data(), free_when_done);
}
template <class T>
gsl::span<const T> matrix_span(const column<T>& a, const char* name) {
  if (a.ndim() != 2) fail(errc::invalid_argument, name, " must be a 2-d (nodes, periods) array, got ", a.ndim(), " dimensions");
  return {a.data(), static_cast<size_t>(a.size())};
}
template <class T>
gsl::span<const T> maybe(const std::optional<column<T>>& a) {
  return a ? as_span(*a) : gsl::span<const T>{};
}
}  // namespace

void register_monitor_track(py::module_& m) {
  m.def(
      "rollup",
      [](const Hierarchy& h, const Calendar& cal, const column<int32_t>& node, const column<int32_t>& date,
         const column<int64_t>& amount, Date start, Date end, const std::string& grain) {
        const Grain g = parse_grain(grain);
        auto n = as_span(node);
        auto d = as_span(date);
        auto a = as_span(amount);
        monitor::Rollup r;
        {
          py::gil_scoped_release release;
          r = monitor::rollup(h, cal, n, d, a, start, end, g);
        }
        auto periods = periods_columns(cal, r.periods, g);
        const size_t p = r.periods.size();
        return py::make_tuple(matrix(std::move(r.values), r.nodes, p), periods, r.outside_count, r.outside_amount);
      },
      py::arg("hierarchy"), py::arg("calendar"), py::arg("node"), py::arg("date"), py::arg("amount"), py::arg("start"),
      py::arg("end"), py::arg("grain"));

  m.def(
      "track",
      [](const Hierarchy& h, const Calendar& cal, const column<int64_t>& plan, const column<int64_t>& actual, Date start,
         Date end, Date as_of, const std::string& grain, const std::optional<column<double>>& month,
         const std::optional<column<double>>& weekday, const std::optional<column<double>>& daily, double ahead_pace,
         double behind_pace, double at_risk_pace, double at_risk_required) {
        monitor::TrackOptions o;
        o.grain = parse_grain(grain);
        o.month_profile = maybe(month);
        o.weekday_profile = maybe(weekday);
        o.daily_profile = maybe(daily);
        o.thresholds = {ahead_pace, behind_pace, at_risk_pace, at_risk_required};
        auto p = matrix_span(plan, "plan");
        auto a = matrix_span(actual, "actual");
        monitor::TrackResult r;
        {
          py::gil_scoped_release release;
          r = monitor::track(h, cal, p, a, start, end, as_of, o);
        }
        const size_t n = r.nodes, k = r.periods.size();
        std::vector<int8_t> status(r.status.size());
        for (size_t i = 0; i < status.size(); ++i) status[i] = static_cast<int8_t>(r.status[i]);
        py::dict out;
        out["periods"] = periods_columns(cal, r.periods, o.grain);
        out["plan_to_date"] = matrix(std::move(r.plan_to_date), n, k);
        out["variance"] = matrix(std::move(r.variance), n, k);
        out["projected"] = matrix(std::move(r.projected), n, k);
        out["projected_seasonal"] = matrix(std::move(r.projected_seasonal), n, k);
        out["variance_pct"] = matrix(std::move(r.variance_pct), n, k);
        out["attainment"] = matrix(std::move(r.attainment), n, k);
        out["pace"] = matrix(std::move(r.pace), n, k);
        out["required_rate"] = matrix(std::move(r.required_rate), n, k);
        out["gap_share"] = matrix(std::move(r.gap_share), n, k);
        out["status"] = matrix(std::move(status), n, k);
        out["elapsed"] = matrix(std::move(r.elapsed), 1, k);
        out["elapsed_days"] = matrix(std::move(r.elapsed_days), 1, k);
        out["remaining_days"] = matrix(std::move(r.remaining_days), 1, k);
        return out;
      },
      py::arg("hierarchy"), py::arg("calendar"), py::arg("plan"), py::arg("actual"), py::arg("start"), py::arg("end"),
      py::arg("as_of"), py::arg("grain"), py::arg("month_profile"), py::arg("weekday_profile"), py::arg("daily_profile"),
      py::arg("ahead_pace"), py::arg("behind_pace"), py::arg("at_risk_pace"), py::arg("at_risk_required"));

  m.def(
      "price_volume_mix",
      [](const column<int32_t>& group, const column<int64_t>& qp, const column<int64_t>& rp, const column<int64_t>& qa,
         const column<int64_t>& ra, size_t n_groups) {
        auto e = monitor::price_volume_mix(as_span(group), as_span(qp), as_span(rp), as_span(qa), as_span(ra), n_groups);
        std::vector<int64_t> cols[8];
        for (auto& c : cols) c.reserve(e.size());
        for (const auto& x : e) {
          cols[0].push_back(x.plan_quantity);
          cols[1].push_back(x.actual_quantity);
          cols[2].push_back(x.plan_revenue);
          cols[3].push_back(x.actual_revenue);
          cols[4].push_back(x.gap);
          cols[5].push_back(x.volume);
          cols[6].push_back(x.price);
          cols[7].push_back(x.mix);
        }
        py::list out;
        for (auto& c : cols) out.append(py::array_t<int64_t>(static_cast<py::ssize_t>(c.size()), c.data()));
        return out;
      },
      py::arg("group"), py::arg("plan_quantity"), py::arg("plan_revenue"), py::arg("actual_quantity"),
      py::arg("actual_revenue"), py::arg("n_groups"));

  py::list names;
  for (auto s : monitor::track_status_names) names.append(py::str(std::string(s)));
  m.attr("TRACK_STATUSES") = names;
}

}  // namespace quotaflow::python
