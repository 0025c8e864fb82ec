// Bindings: KPI scorecards. Scoring runs with the GIL released; results come back as numpy
// arrays that own their buffers (no copy), reasons as one list of str on request.
#include <memory>
#include <string>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/incentive/scorecard.hpp"
#include "quotaflow/incentive/scorecard_json.hpp"

namespace quotaflow::python {

namespace {

using incentive::Scorecard;
using incentive::ScoreResult;

// A result with the card that made it (for reasons).
struct PyScoreResult {
  std::shared_ptr<const Scorecard> card;
  ScoreResult r;
};

// A numpy view of one of the result's vectors, keeping the result alive.
template <class T>
py::array_t<T> view(const std::shared_ptr<PyScoreResult>& owner, const std::vector<T>& v, size_t rows, size_t cols) {
  auto* keep = new std::shared_ptr<PyScoreResult>(owner);
  py::capsule release(keep, [](void* p) { delete static_cast<std::shared_ptr<PyScoreResult>*>(p); });
  std::vector<py::ssize_t> shape = {static_cast<py::ssize_t>(rows)};
  if (cols != 0) shape.push_back(static_cast<py::ssize_t>(cols));
  py::array_t<T> a(shape, v.data(), release);
  a.attr("setflags")(py::arg("write") = false);  // a view of the result: read-only
  return a;
}

}  // namespace

void register_incentive_scorecard(py::module_& m) {
  py::class_<Scorecard, std::shared_ptr<Scorecard>>(m, "Scorecard")
      .def_static(
          "from_json",
          [](const std::string& text, const std::string& source) {
            return std::make_shared<Scorecard>(incentive::scorecard_from_json(text, source));
          },
          py::arg("text"), py::arg("source") = "scorecard JSON")
      .def_static(
          "load", [](const std::string& path) { return std::make_shared<Scorecard>(incentive::load_scorecard(path)); },
          py::arg("path"))
      .def("to_json", [](const Scorecard& c) { return incentive::to_json(c.definition()); })
      .def_property_readonly("name", [](const Scorecard& c) { return c.definition().name; })
      .def_property_readonly("kpi_names",
                             [](const Scorecard& c) {
                               std::vector<std::string> out;
                               for (size_t k = 0; k < c.size(); ++k) out.push_back(c.kpi(k).name);
                               return out;
                             })
      .def_property_readonly("kpi_measures",
                             [](const Scorecard& c) {
                               std::vector<std::string> out;
                               for (size_t k = 0; k < c.size(); ++k) out.push_back(c.kpi(k).measure);
                               return out;
                             })
      .def_property_readonly("kpi_weights",
                             [](const Scorecard& c) {
                               std::vector<double> out;
                               for (size_t k = 0; k < c.size(); ++k) out.push_back(c.kpi(k).weight);
                               return out;
                             })
      .def("input_names", &Scorecard::input_names)
      .def(
          "score",
          [](const std::shared_ptr<Scorecard>& card, const std::vector<std::string>& names,
             const std::vector<column<double>>& columns) {
            if (names.size() != columns.size())
              fail(errc::invalid_argument, "names has ", names.size(), " entries; columns has ", columns.size());
            std::vector<incentive::InputColumn> cols;
            for (size_t i = 0; i < names.size(); ++i) cols.push_back({names[i], as_span(columns[i])});
            auto out = std::make_shared<PyScoreResult>();
            out->card = card;
            {
              py::gil_scoped_release release;
              out->r = card->score(cols);
            }
            return out;
          },
          py::arg("names"), py::arg("columns"));

  py::class_<PyScoreResult, std::shared_ptr<PyScoreResult>>(m, "ScoreResult")
      .def_property_readonly("rows", [](const PyScoreResult& s) { return s.r.rows; })
      .def_property_readonly("kpis", [](const PyScoreResult& s) { return s.r.kpis; })
      .def_property_readonly("total", [](const std::shared_ptr<PyScoreResult>& s) { return view(s, s->r.total, s->r.rows, 0); })
      .def_property_readonly("value",
                             [](const std::shared_ptr<PyScoreResult>& s) { return view(s, s->r.value, s->r.rows, s->r.kpis); })
      .def_property_readonly("points",
                             [](const std::shared_ptr<PyScoreResult>& s) { return view(s, s->r.points, s->r.rows, s->r.kpis); })
      .def_property_readonly("factor",
                             [](const std::shared_ptr<PyScoreResult>& s) { return view(s, s->r.factor, s->r.rows, s->r.kpis); })
      .def_property_readonly(
          "weighted", [](const std::shared_ptr<PyScoreResult>& s) { return view(s, s->r.weighted, s->r.rows, s->r.kpis); })
      .def_property_readonly(
          "gate_failed",
          [](const std::shared_ptr<PyScoreResult>& s) { return view(s, s->r.gate_failed, s->r.rows, s->r.kpis); })
      .def("reason", [](const PyScoreResult& s, size_t row, size_t kpi) { return s.card->reason(s.r, row, kpi); },
           py::arg("row"), py::arg("kpi"))
      .def("reasons", [](const PyScoreResult& s) {
        // Every line's reason, row-major (the order of the lines frame).
        py::list out(s.r.rows * s.r.kpis);
        for (size_t i = 0; i < s.r.rows; ++i)
          for (size_t k = 0; k < s.r.kpis; ++k) out[s.r.line(i, k)] = py::str(s.card->reason(s.r, i, k));
        return out;
      });

  py::list measures;
  for (const auto& mm : incentive::builtin_measures()) measures.append(py::str(mm.name));
  m.attr("SCORECARD_MEASURES") = measures;
}

}  // namespace quotaflow::python
