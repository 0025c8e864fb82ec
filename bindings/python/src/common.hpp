// Shared pieces of the pybind11 bindings: error translation and column helpers.
#pragma once

#include <gsl/span>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow::python {

namespace py = pybind11;

// Input columns: contiguous, converted (not copied when already the right dtype).
template <class T>
using column = py::array_t<T, py::array::c_style | py::array::forcecast>;

template <class T>
gsl::span<const T> as_span(const column<T>& a) {
  if (a.ndim() != 1) fail(errc::invalid_argument, "expected a 1-d array, got ", a.ndim(), " dimensions");
  return {a.data(), static_cast<size_t>(a.size())};
}

template <class T>
gsl::span<T> as_mutable_span(column<T>& a) {
  return {a.mutable_data(), static_cast<size_t>(a.size())};
}

// (labels, starts, ends, working_days) columns of a calendar's periods.
py::tuple periods_columns(const Calendar& cal, const std::vector<Period>& periods, Grain grain);

void register_core(py::module_& m);
void register_calendar(py::module_& m);
void register_hierarchy(py::module_& m);
void register_allocation(py::module_& m);
void register_process_log(py::module_& m);
void register_process_model(py::module_& m);

}  // namespace quotaflow::python
