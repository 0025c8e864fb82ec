// quotaflow._core: the compiled half of the Python package. The pure-Python package
// `quotaflow` wraps it with date conversion and pandas output.
#include "common.hpp"

namespace quotaflow::python {

void register_incentive_scorecard(py::module_& m);  // incentive_scorecard.cpp
void register_monitor_rules(py::module_& m);        // monitor_rules.cpp
void register_monitor_stream(py::module_& m);  // monitor_stream.cpp
void register_incentive_plan(py::module_& m);  // incentive_plan.cpp

// quotaflow::error becomes the quotaflow._errors class for its code, with the message unchanged
// (those classes also derive from ValueError, OverflowError, KeyError or OSError as fits).
static void translate(std::exception_ptr p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const error& e) {
    py::object cls = py::module_::import("quotaflow._errors").attr("error_class")(static_cast<int>(e.code()));
    PyErr_SetObject(cls.ptr(), py::str(e.what()).ptr());
  }
}

}  // namespace quotaflow::python

PYBIND11_MODULE(_core, m) {
  m.doc() = "quotaflow compiled core (use the `quotaflow` package)";
  pybind11::register_exception_translator(&quotaflow::python::translate);
  quotaflow::python::register_core(m);
  quotaflow::python::register_calendar(m);
  quotaflow::python::register_hierarchy(m);
  quotaflow::python::register_allocation(m);
  quotaflow::python::register_process_log(m);
  quotaflow::python::register_process_model(m);
  quotaflow::python::register_monitor(m);
  quotaflow::python::register_monitor_track(m);
  quotaflow::python::register_monitor_rules(m);
  quotaflow::python::register_monitor_stream(m);
  quotaflow::python::register_incentive_scorecard(m);
  quotaflow::python::register_incentive_plan(m);
}
