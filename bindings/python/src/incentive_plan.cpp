// Bindings: incentive plans and the payout run. Input columns arrive as a dict of numpy arrays
// (the pure-Python layer interns names into dense ids once, with pandas); they are viewed, not
// copied, when already contiguous and of the right dtype. The run releases the GIL; statements
// come back as numpy columns filled in place.
#include <memory>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/incentive/payout.hpp"
#include "quotaflow/incentive/plan_json.hpp"

namespace quotaflow::python {

namespace {

using incentive::Plan;

// A new numpy column of n values, get(i) each (filled in place: no vector in between).
template <class T, class Get>
py::array_t<T> column_of(size_t n, Get&& get) {
  py::array_t<T> a(static_cast<py::ssize_t>(n));
  T* out = a.mutable_data();
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<T>(get(i));
  return a;
}

// The input columns of one run. Every array converted from the dict is kept here so that the
// spans handed to C++ stay valid while the GIL is released.
class Columns {
 public:
  explicit Columns(const py::dict& d) : d_(d) {}

  // Column `key` as a span of T; an absent (or None) key is an empty column.
  template <class T>
  gsl::span<const T> get(const char* key) {
    if (!d_.contains(key) || d_[key].is_none()) return {};
    auto a = std::make_shared<column<T>>(py::cast<column<T>>(d_[key]));
    if (a->ndim() != 1) fail(errc::invalid_argument, key, " must be 1-dimensional, got ", a->ndim(), " dimensions");
    keep_.push_back(a);
    return {a->data(), static_cast<size_t>(a->size())};
  }
  // A list of str (names, KPI names, reasons).
  gsl::span<const std::string> strings(const char* key) {
    if (!d_.contains(key) || d_[key].is_none()) return {};
    text_.push_back(std::make_shared<std::vector<std::string>>(py::cast<std::vector<std::string>>(d_[key])));
    return {text_.back()->data(), text_.back()->size()};
  }

 private:
  py::dict d_;
  std::vector<std::shared_ptr<void>> keep_;
  std::vector<std::shared_ptr<std::vector<std::string>>> text_;
};

}  // namespace

void register_incentive_plan(py::module_& m) {
  py::class_<Plan, std::shared_ptr<Plan>>(m, "IncentivePlan")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return std::make_shared<Plan>(incentive::plan_from_json(text, source));
          },
          py::arg("text"), py::arg("source") = "plan JSON")
      .def("to_json", [](const Plan& p) { return incentive::plan_to_json(p); })
      .def_property_readonly("name", &Plan::name)
      .def_property_readonly("component_names", [](const Plan& p) {
        std::vector<std::string> out;
        for (const auto& c : p.spec().components) out.push_back(c.name);
        return out;
      });

  // run_payouts(plans, calendar, columns, start, end, grain, lines_from, lines_until) -> dict.
  // `columns` keys are the PayoutInput fields (people, names, manager, rollup, hired, left,
  // sale_seller, sale_date, sale_amount, split_sale, split_person, split_share, quota_*, assign_*,
  // kpi_names, score_*, adjust_*, clawback_*); absent keys are empty.
  m.def(
      "run_payouts",
      [](const std::vector<std::shared_ptr<Plan>>& plans, const Calendar& cal, const py::dict& columns, Date start, Date end,
         const std::string& grain, int32_t lines_from, int32_t lines_until) {
        std::vector<const Plan*> ptrs;
        for (const auto& p : plans) ptrs.push_back(p.get());
        Columns c(columns);
        incentive::PayoutInput in;
        in.people = columns.contains("people") ? py::cast<size_t>(columns["people"]) : 0;
        in.rollup = columns.contains("rollup") && py::cast<bool>(columns["rollup"]);
        in.names = c.strings("names");
        in.manager = c.get<int32_t>("manager");
        in.hired = c.get<Date>("hired");
        in.left = c.get<Date>("left");
        in.sales.seller = c.get<int32_t>("sale_seller");
        in.sales.date = c.get<Date>("sale_date");
        in.sales.amount = c.get<int64_t>("sale_amount");
        in.sales.split_sale = c.get<int64_t>("split_sale");
        in.sales.split_person = c.get<int32_t>("split_person");
        in.sales.split_share = c.get<double>("split_share");
        in.quota_person = c.get<int32_t>("quota_person");
        in.quota_from = c.get<Date>("quota_from");
        in.quota_amount = c.get<int64_t>("quota_amount");
        in.assign_person = c.get<int32_t>("assign_person");
        in.assign_from = c.get<Date>("assign_from");
        in.assign_plan = c.get<int32_t>("assign_plan");
        in.kpi_names = c.strings("kpi_names");
        in.score_person = c.get<int32_t>("score_person");
        in.score_date = c.get<Date>("score_date");
        in.score_kpi = c.get<int32_t>("score_kpi");
        in.score_value = c.get<double>("score_value");
        in.adjust_person = c.get<int32_t>("adjust_person");
        in.adjust_date = c.get<Date>("adjust_date");
        in.adjust_amount = c.get<int64_t>("adjust_amount");
        in.adjust_reason = c.strings("adjust_reason");
        in.clawback_sale = c.get<int64_t>("clawback_sale");
        in.clawback_date = c.get<Date>("clawback_date");
        in.clawback_amount = c.get<int64_t>("clawback_amount");
        incentive::PayoutOptions opt;
        opt.start = start;
        opt.end = end;
        opt.grain = parse_grain(grain);
        opt.lines_from = lines_from;
        opt.lines_until = lines_until;
        incentive::PayoutResult r;
        {
          py::gil_scoped_release release;
          r = incentive::run_payouts(gsl::span<const Plan* const>(ptrs.data(), ptrs.size()), cal, in, opt);
        }
        // Cells and lines as columns.
        const auto& cells = r.cells;
        const auto& lines = r.lines;
        const size_t nc = cells.size(), nl = lines.size();
        py::dict out;
        out["periods"] = periods_columns(cal, r.periods, opt.grain);
        out["person"] = column_of<int32_t>(nc, [&](size_t i) { return cells[i].person; });
        out["period"] = column_of<int32_t>(nc, [&](size_t i) { return cells[i].period; });
        out["credit"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].credit; });
        out["quota"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].quota; });
        out["attainment"] = column_of<double>(nc, [&](size_t i) { return cells[i].attainment; });
        out["ytd_attainment"] = column_of<double>(nc, [&](size_t i) { return cells[i].ytd_attainment; });
        out["earnings"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].earnings; });
        out["clawback"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].clawback; });
        out["draw_balance"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].draw_balance; });
        out["payout"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].payout; });
        out["line_count"] = column_of<int64_t>(nc, [&](size_t i) { return cells[i].line_count; });
        out["line_base"] = column_of<int64_t>(nl, [&](size_t i) { return lines[i].base; });
        out["line_rate"] = column_of<int64_t>(nl, [&](size_t i) { return lines[i].rate; });
        out["line_amount"] = column_of<int64_t>(nl, [&](size_t i) { return lines[i].amount; });
        out["line_ref"] = column_of<int32_t>(nl, [&](size_t i) { return lines[i].ref; });
        out["line_component"] = column_of<int32_t>(nl, [&](size_t i) { return lines[i].component; });
        out["line_tier"] = column_of<int32_t>(nl, [&](size_t i) { return lines[i].tier; });
        out["line_kind"] = column_of<int8_t>(nl, [&](size_t i) { return static_cast<int8_t>(lines[i].kind); });
        return out;
      },
      py::arg("plans"), py::arg("calendar"), py::arg("columns"), py::arg("start"), py::arg("end"), py::arg("grain"),
      py::arg("lines_from"), py::arg("lines_until"));

  py::list kinds;
  for (auto s : incentive::line_kind_names) kinds.append(py::str(std::string(s)));
  m.attr("STATEMENT_LINE_KINDS") = kinds;
  m.attr("RATE_SCALE") = incentive::rate_scale;
}

}  // namespace quotaflow::python
