// Bindings: event logs and discovery. Results cross as numpy columns that take over the C++
// vectors (no copy); the pure-Python wrapper (quotaflow/process_log.py) builds the DataFrames.
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/temporal.hpp"

namespace quotaflow::python {

namespace {

using process::EventLog;

// A numpy array owning the vector's buffer (moved, not copied).
template <class T>
py::array_t<T> take(std::vector<T>&& v) {
  auto* owner = new std::vector<T>(std::move(v));
  py::capsule free_when_done(owner, [](void* p) { delete static_cast<std::vector<T>*>(p); });
  return py::array_t<T>(static_cast<py::ssize_t>(owner->size()), owner->data(), free_when_done);
}

template <class T>
py::array_t<T> copy_out(gsl::span<const T> s) {
  return py::array_t<T>(static_cast<py::ssize_t>(s.size()), s.data());
}

template <class T>
gsl::span<const T> optional_span(const std::optional<column<T>>& a) {
  return a ? as_span(*a) : gsl::span<const T>{};
}

py::tuple deviation_columns(process::TemporalDeviations&& d) {
  return py::make_tuple(take(std::move(d.case_index)), take(std::move(d.source_position)),
                        take(std::move(d.target_position)), take(std::move(d.source)), take(std::move(d.target)),
                        take(std::move(d.seconds)), take(std::move(d.zeta)));
}

}  // namespace

void register_process_log(py::module_& m) {
  py::class_<EventLog>(m, "EventLog")
      .def_static(
          "from_columns",
          [](const column<int64_t>& case_keys, const column<int32_t>& activities, const column<int64_t>& timestamps_ns,
             std::vector<std::string> activity_names, const std::optional<column<int32_t>>& resources,
             std::vector<std::string> resource_names, const std::optional<column<int64_t>>& amounts,
             std::vector<std::string> case_names) {
            auto k = as_span(case_keys);
            auto a = as_span(activities);
            auto t = as_span(timestamps_ns);
            auto r = optional_span(resources);
            auto am = optional_span(amounts);
            py::gil_scoped_release release;
            return EventLog::from_columns(k, a, t, std::move(activity_names), r, std::move(resource_names), am,
                                          std::move(case_names));
          },
          py::arg("case_keys"), py::arg("activities"), py::arg("timestamps_ns"), py::arg("activity_names"),
          py::arg("resources") = py::none(), py::arg("resource_names") = std::vector<std::string>{},
          py::arg("amounts") = py::none(), py::arg("case_names") = std::vector<std::string>{})
      .def_static(
          "read_csv",
          [](const std::string& path, const std::string& case_col, const std::string& activity_col,
             const std::string& timestamp_col, const std::string& resource_col, const std::string& amount_col,
             int amount_scale, const std::string& delimiter) {
            process::LogCsvOptions o;
            o.case_column = case_col;
            o.activity_column = activity_col;
            o.timestamp_column = timestamp_col;
            o.resource_column = resource_col;
            o.amount_column = amount_col;
            o.amount_scale = amount_scale;
            if (delimiter.size() != 1) fail(errc::invalid_argument, "delimiter is \"", delimiter, "\"; expected one character");
            o.delimiter = delimiter[0];
            py::gil_scoped_release release;
            return process::read_log_csv(path, o);
          },
          py::arg("path"), py::arg("case"), py::arg("activity"), py::arg("timestamp"), py::arg("resource") = "",
          py::arg("amount") = "", py::arg("amount_scale") = 0, py::arg("delimiter") = ",")
      .def("__len__", &EventLog::size)
      .def_property_readonly("num_cases", &EventLog::num_cases)
      .def_property_readonly("activity_names", &EventLog::activity_names)
      .def_property_readonly("resource_names", &EventLog::resource_names)
      .def_property_readonly("case_names", &EventLog::case_names)
      .def_property_readonly("case_keys", [](const EventLog& l) { return copy_out(l.case_keys()); })
      .def_property_readonly("case_offsets", [](const EventLog& l) { return copy_out(l.case_offsets()); })
      .def_property_readonly("activities", [](const EventLog& l) { return copy_out(l.activities()); })
      .def_property_readonly("timestamps_ns", [](const EventLog& l) { return copy_out(l.timestamps()); })
      .def_property_readonly("resources", [](const EventLog& l) { return copy_out(l.resources()); })
      .def_property_readonly("amounts", [](const EventLog& l) { return copy_out(l.amounts()); })
      .def_property_readonly("source_rows", [](const EventLog& l) { return copy_out(l.source_rows()); })
      .def("case_name", &EventLog::case_name, py::arg("case_index"))
      .def("dfg",
           [](const EventLog& l) {
             process::DirectlyFollowsGraph g;
             {
               py::gil_scoped_release release;
               g = process::directly_follows(l);
             }
             return py::make_tuple(take(std::move(g.source)), take(std::move(g.target)), take(std::move(g.count)),
                                   take(std::move(g.mean)), take(std::move(g.median)), take(std::move(g.min)),
                                   take(std::move(g.max)), take(std::move(g.sum)), take(std::move(g.stdev)));
           })
      .def("start_activities",
           [](const EventLog& l) {
             auto c = process::start_activities(l);
             return py::make_tuple(take(std::move(c.activity)), take(std::move(c.count)));
           })
      .def("end_activities",
           [](const EventLog& l) {
             auto c = process::end_activities(l);
             return py::make_tuple(take(std::move(c.activity)), take(std::move(c.count)));
           })
      .def("variants",
           [](const EventLog& l) {
             process::Variants v;
             {
               py::gil_scoped_release release;
               v = process::variants(l);
             }
             return py::make_tuple(take(std::move(v.offsets)), take(std::move(v.activities)), take(std::move(v.count)),
                                   take(std::move(v.first_case)), take(std::move(v.case_variant)));
           })
      .def("temporal_profile",
           [](const EventLog& l) {
             process::TemporalProfile p;
             {
               py::gil_scoped_release release;
               p = process::temporal_profile(l);
             }
             return py::make_tuple(take(std::move(p.source)), take(std::move(p.target)), take(std::move(p.count)),
                                   take(std::move(p.mean)), take(std::move(p.stdev)));
           })
      .def(
          "temporal_conformance",
          [](const EventLog& l, std::vector<std::string> names, const column<int32_t>& source,
             const column<int32_t>& target, const column<double>& mean, const column<double>& stdev, double zeta) {
            auto p = process::TemporalProfile::from_columns(std::move(names), as_span(source), as_span(target),
                                                            as_span(mean), as_span(stdev));
            process::TemporalDeviations d;
            {
              py::gil_scoped_release release;
              d = process::temporal_conformance(l, p, zeta);
            }
            return deviation_columns(std::move(d));
          },
          py::arg("activity_names"), py::arg("source"), py::arg("target"), py::arg("mean"), py::arg("stdev"),
          py::arg("zeta"))
      .def(
          "temporal_conformance_self",
          [](const EventLog& l, double zeta) {
            process::TemporalDeviations d;
            {
              py::gil_scoped_release release;
              d = process::temporal_conformance(l, process::temporal_profile(l), zeta);
            }
            return deviation_columns(std::move(d));
          },
          py::arg("zeta"));
}

}  // namespace quotaflow::python
