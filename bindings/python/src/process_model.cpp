// Bindings: process models, their analyses and conformance checks. Columns cross as numpy
// arrays; the pure-Python wrapper (quotaflow/process_model.py) takes names and builds DataFrames.
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/process/analysis.hpp"
#include "quotaflow/process/check.hpp"
#include "quotaflow/process/dot.hpp"
#include "quotaflow/process/model_json.hpp"
#include "quotaflow/process/validate.hpp"

namespace quotaflow::python {

namespace {

using namespace quotaflow::process;

template <class T, class C>
py::array_t<T> array_of(const C& values) {
  py::array_t<T> out(static_cast<py::ssize_t>(values.size()));
  T* p = out.mutable_data();
  for (size_t i = 0; i < values.size(); ++i) p[i] = static_cast<T>(values[i]);
  return out;
}

// One column of the deviations, read through a member pointer.
template <class T, class M>
py::array_t<T> deviation_column(const std::vector<Deviation>& d, M Deviation::*member) {
  py::array_t<T> out(static_cast<py::ssize_t>(d.size()));
  T* p = out.mutable_data();
  for (size_t i = 0; i < d.size(); ++i) p[i] = static_cast<T>(d[i].*member);
  return out;
}

double optional_number(const std::optional<double>& v) { return v ? *v : unset; }

}  // namespace

void register_process_model(py::module_& m) {
  py::class_<ModelFit>(m, "ModelFit")
      .def_readonly("num_stages", &ModelFit::num_stages)
      .def_readonly("cases", &ModelFit::cases)
      .def_readonly("cases_started", &ModelFit::cases_started)
      .def_property_readonly("move_counts", [](const ModelFit& f) { return array_of<int64_t>(f.move_counts); })
      .def_property_readonly("move_probabilities", [](const ModelFit& f) { return array_of<double>(f.move_probabilities); })
      .def_property_readonly("move_mean_seconds", [](const ModelFit& f) { return array_of<double>(f.move_mean_seconds); })
      .def_property_readonly("stays", [](const ModelFit& f) { return array_of<int64_t>(f.stays); })
      .def_property_readonly("sojourn_mean_seconds", [](const ModelFit& f) { return array_of<double>(f.sojourn_mean_seconds); })
      .def_property_readonly("sojourn_median_seconds", [](const ModelFit& f) { return array_of<double>(f.sojourn_median_seconds); })
      .def_property_readonly("win_probability", [](const ModelFit& f) { return array_of<double>(f.win_probability); })
      .def_property_readonly("expected_seconds_to_terminal",
                             [](const ModelFit& f) { return array_of<double>(f.expected_seconds_to_terminal); })
      .def_property_readonly("cases_entered", [](const ModelFit& f) { return array_of<int64_t>(f.cases_entered); })
      .def_property_readonly("cases_won", [](const ModelFit& f) { return array_of<int64_t>(f.cases_won); })
      .def_property_readonly("cases_lost", [](const ModelFit& f) { return array_of<int64_t>(f.cases_lost); })
      .def_property_readonly("cases_open", [](const ModelFit& f) { return array_of<int64_t>(f.cases_open); });

  py::class_<CheckResult>(m, "CheckResult")
      .def_property_readonly("num_cases", &CheckResult::num_cases)
      .def_property_readonly("fitness", [](const CheckResult& r) { return array_of<double>(r.fitness()); })
      .def_property_readonly("produced", [](const CheckResult& r) { return array_of<int32_t>(r.produced()); })
      .def_property_readonly("consumed", [](const CheckResult& r) { return array_of<int32_t>(r.consumed()); })
      .def_property_readonly("missing", [](const CheckResult& r) { return array_of<int32_t>(r.missing()); })
      .def_property_readonly("remaining", [](const CheckResult& r) { return array_of<int32_t>(r.remaining()); })
      .def_property_readonly("final_stage", [](const CheckResult& r) { return array_of<int32_t>(r.final_stage()); })
      .def_property_readonly("outcome", [](const CheckResult& r) { return array_of<int32_t>(r.outcome()); })
      .def_property_readonly("deviation_offsets", [](const CheckResult& r) { return array_of<int64_t>(r.deviation_offsets()); })
      // kind, case_index, stage, detail, first/second position, first/second activity, first/second
      // time (ns), value, limit.
      .def("deviation_columns",
           [](const CheckResult& r) {
             const auto& d = r.deviations();
             return py::make_tuple(
                 deviation_column<int32_t>(d, &Deviation::kind), deviation_column<int64_t>(d, &Deviation::case_index),
                 deviation_column<int32_t>(d, &Deviation::stage), deviation_column<int32_t>(d, &Deviation::detail),
                 deviation_column<int64_t>(d, &Deviation::first_position), deviation_column<int64_t>(d, &Deviation::second_position),
                 deviation_column<int32_t>(d, &Deviation::first_activity), deviation_column<int32_t>(d, &Deviation::second_activity),
                 deviation_column<int64_t>(d, &Deviation::first_time), deviation_column<int64_t>(d, &Deviation::second_time),
                 deviation_column<double>(d, &Deviation::value), deviation_column<double>(d, &Deviation::limit));
           })
      .def("messages",
           [](const CheckResult& r) {
             std::vector<std::string> out(r.deviations().size());
             for (size_t i = 0; i < out.size(); ++i) out[i] = r.message(i);
             return out;
           })
      .def_property_readonly("fitting_cases", [](const CheckResult& r) { return r.summary().fitting_cases; })
      .def_property_readonly("conforming_cases", [](const CheckResult& r) { return r.summary().conforming_cases; })
      .def_property_readonly("mean_fitness", [](const CheckResult& r) { return r.summary().mean_fitness; })
      .def_property_readonly("by_kind", [](const CheckResult& r) { return array_of<int64_t>(r.summary().by_kind); })
      .def_property_readonly("by_stage", [](const CheckResult& r) { return array_of<int64_t>(r.summary().by_stage); })
      .def_property_readonly("top_paths", [](const CheckResult& r) {
        py::list out;
        for (const auto& p : r.summary().top_paths) out.append(py::make_tuple(p.stages, p.cases));
        return out;
      });

  m.attr("DEVIATION_KINDS") = [] {
    std::vector<std::string> k;
    for (int i = 0; i < num_deviation_kinds; ++i) k.emplace_back(deviation_kind_name(static_cast<DeviationKind>(i)));
    return k;
  }();

  py::class_<ProcessModel>(m, "ProcessModel")
      .def(py::init([](std::string name, int unit) {
             if (unit < 0 || unit > 2) fail(errc::invalid_argument, "duration unit ", unit, " is not 0, 1 or 2");
             return ProcessModel(std::move(name), static_cast<DurationUnit>(unit));
           }),
           py::arg("name"), py::arg("duration_unit"))
      .def_static("from_json", [](const std::string& text, const std::string& source) { return model_from_json(text, source); },
                  py::arg("text"), py::arg("source"))
      .def_static("load", &load_model, py::arg("path"))
      .def("to_json", [](const ProcessModel& pm) { return to_json(pm); })
      .def("save", [](const ProcessModel& pm, const std::string& path) { save_model(pm, path); }, py::arg("path"))
      .def("add_stage",
           [](ProcessModel& pm, std::string name, std::string role, std::string department, std::optional<double> win_probability,
              std::optional<double> expected_duration, std::optional<double> max_duration, bool required, const std::string& terminal) {
             Stage s;
             s.name = std::move(name);
             s.role = std::move(role);
             s.department = std::move(department);
             s.win_probability = optional_number(win_probability);
             s.expected_duration = optional_number(expected_duration);
             s.max_duration = optional_number(max_duration);
             s.required = required;
             s.terminal = parse_terminal_kind(terminal, "terminal");
             return pm.add_stage(std::move(s));
           },
           py::arg("name"), py::arg("role"), py::arg("department"), py::arg("win_probability"), py::arg("expected_duration"),
           py::arg("max_duration"), py::arg("required"), py::arg("terminal"))
      .def("add_activity",
           [](ProcessModel& pm, int32_t stage, std::string name, std::string role, bool required, std::optional<double> due_within) {
             Activity a;
             a.name = std::move(name);
             a.stage = stage;
             a.role = std::move(role);
             a.required = required;
             a.due_within = optional_number(due_within);
             return pm.add_activity(std::move(a));
           },
           py::arg("stage"), py::arg("name"), py::arg("role"), py::arg("required"), py::arg("due_within"))
      .def("add_transition",
           [](ProcessModel& pm, int32_t from, int32_t to, const std::string& kind, std::optional<double> probability,
              std::optional<double> max_lead_time) {
             return pm.add_transition(Transition{from, to, parse_transition_kind(kind, "kind"), optional_number(probability),
                                                 optional_number(max_lead_time)});
           },
           py::arg("source"), py::arg("target"), py::arg("kind"), py::arg("probability"), py::arg("max_lead_time"))
      .def("set_start", py::overload_cast<int32_t>(&ProcessModel::set_start), py::arg("stage"))
      .def("stage_index", &ProcessModel::stage_index, py::arg("name"))
      .def_property_readonly("name", &ProcessModel::name)
      .def_property_readonly("duration_unit", [](const ProcessModel& pm) { return std::string(duration_unit_name(pm.duration_unit())); })
      .def_property_readonly("start", &ProcessModel::start)
      .def_property_readonly("num_stages", &ProcessModel::num_stages)
      // (name, role, department, win_probability, expected, max, required, terminal) per stage.
      .def("stage_rows",
           [](const ProcessModel& pm) {
             py::list out;
             for (const auto& s : pm.stages())
               out.append(py::make_tuple(s.name, s.role, s.department, s.win_probability, s.expected_duration, s.max_duration,
                                         s.required, std::string(terminal_kind_name(s.terminal))));
             return out;
           })
      .def("activity_rows",
           [](const ProcessModel& pm) {
             py::list out;
             for (const auto& a : pm.activities()) out.append(py::make_tuple(a.name, a.stage, a.role, a.required, a.due_within));
             return out;
           })
      .def("transition_rows",
           [](const ProcessModel& pm) {
             py::list out;
             for (const auto& t : pm.transitions())
               out.append(py::make_tuple(t.from, t.to, std::string(transition_kind_name(t.kind)), t.probability, t.max_lead_time,
                                         pm.is_handoff(t)));
             return out;
           })
      .def("validate",
           [](const ProcessModel& pm) {
             py::list out;
             for (const auto& p : validate(pm)) out.append(py::make_tuple(std::string(problem_kind_name(p.kind)), p.stage, p.message));
             return out;
           })
      .def("mandatory_stages", [](const ProcessModel& pm) { return mandatory_stages(pm); })
      .def("critical_path",
           [](const ProcessModel& pm) {
             CriticalPath cp = critical_path(pm);
             return py::make_tuple(cp.stages, cp.total);
           })
      .def("to_dot", [](const ProcessModel& pm, const ModelFit* fit) { return to_dot(pm, fit); }, py::arg("fit") = py::none())
      .def("fit",
           [](const ProcessModel& pm, const EventLog& log) {
             py::gil_scoped_release release;
             return fit(pm, log);
           },
           py::arg("log"))
      .def("check",
           [](const ProcessModel& pm, const EventLog& log, const Calendar* calendar, std::optional<int64_t> as_of_ns,
              int64_t utc_offset_seconds, std::unordered_map<std::string, std::string> roles, size_t top_paths) {
             CheckOptions opt;
             opt.calendar = calendar;
             opt.as_of = as_of_ns ? *as_of_ns : nat_ns;
             opt.utc_offset_seconds = utc_offset_seconds;
             opt.resource_roles = std::move(roles);
             opt.top_paths = top_paths;
             py::gil_scoped_release release;
             return check(pm, log, opt);
           },
           py::arg("log"), py::arg("calendar"), py::arg("as_of_ns"), py::arg("utc_offset_seconds"), py::arg("roles"),
           py::arg("top_paths"));
}

}  // namespace quotaflow::python
