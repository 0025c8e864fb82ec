// Bindings: business calendar. Bulk queries take int32 day columns and release the GIL.
#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/calendar/csv.hpp"

namespace quotaflow::python {

namespace {
CalendarOptions make_options(int weekend_mask, int fiscal_year_start, Date valid_from, Date valid_until) {
  if (weekend_mask < 0 || weekend_mask > 0x7f)
    fail(errc::invalid_argument, "weekend mask is ", weekend_mask, "; only bits 0..6 (Mon..Sun) may be set");
  CalendarOptions o;
  o.weekend_mask = static_cast<uint8_t>(weekend_mask);
  o.fiscal_year_start_month = fiscal_year_start;
  o.valid_from = valid_from;
  o.valid_until = valid_until;
  return o;
}

py::array_t<int32_t> to_array(const std::vector<Date>& v) { return py::array_t<int32_t>(static_cast<py::ssize_t>(v.size()), v.data()); }
}  // namespace

py::tuple periods_columns(const Calendar& cal, const std::vector<Period>& ps, Grain g) {
  const auto n = static_cast<py::ssize_t>(ps.size());
  column<int32_t> s(n), e(n), w(n);
  py::list labels;
  for (py::ssize_t i = 0; i < n; ++i) {
    const Period& p = ps[static_cast<size_t>(i)];
    s.mutable_at(i) = p.start;
    e.mutable_at(i) = p.end;
    w.mutable_at(i) = p.working_days;
    labels.append(cal.period_label(p.start, g));
  }
  return py::make_tuple(labels, s, e, w);
}

void register_calendar(py::module_& m) {
  py::class_<Calendar>(m, "Calendar")
      .def(py::init([](int weekend_mask, const column<int32_t>& holidays, const column<int32_t>& workdays,
                       int fiscal_year_start, Date valid_from, Date valid_until) {
             return Calendar(make_options(weekend_mask, fiscal_year_start, valid_from, valid_until), as_span(holidays),
                             as_span(workdays));
           }),
           py::arg("weekend_mask"), py::arg("holidays"), py::arg("workdays"), py::arg("fiscal_year_start"),
           py::arg("valid_from"), py::arg("valid_until"))
      .def_static("preset", &Calendar::preset, py::arg("name"))
      .def_static("from_csv",
                  [](const std::string& path, int weekend_mask, int fiscal_year_start, Date valid_from, Date valid_until) {
                    return load_calendar_csv(path, make_options(weekend_mask, fiscal_year_start, valid_from, valid_until));
                  },
                  py::arg("path"), py::arg("weekend_mask"), py::arg("fiscal_year_start"), py::arg("valid_from"),
                  py::arg("valid_until"))
      .def_property_readonly("weekend_mask", &Calendar::weekend_mask)
      .def_property_readonly("fiscal_year_start", &Calendar::fiscal_year_start_month)
      .def_property_readonly("valid_from", &Calendar::valid_from)
      .def_property_readonly("valid_until", &Calendar::valid_until)
      .def_property_readonly("holidays", [](const Calendar& c) { return to_array(c.holidays()); })
      .def_property_readonly("workdays", [](const Calendar& c) { return to_array(c.workdays()); })
      .def("is_working_day", py::overload_cast<Date>(&Calendar::is_working_day, py::const_), py::arg("date"))
      .def("working_days", py::overload_cast<Date, Date>(&Calendar::working_days, py::const_), py::arg("start"),
           py::arg("end"))
      .def("add_working_days", py::overload_cast<Date, int32_t>(&Calendar::add_working_days, py::const_),
           py::arg("date"), py::arg("n"))
      .def("elapsed_fraction", py::overload_cast<Date, Date, Date>(&Calendar::elapsed_fraction, py::const_),
           py::arg("start"), py::arg("end"), py::arg("as_of"))
      .def("period_label", [](const Calendar& c, Date d, int32_t grain) { return c.period_label(d, check_grain(grain)); },
           py::arg("date"), py::arg("grain"))
      .def("is_working_day_bulk",
           [](const Calendar& c, const column<int32_t>& dates) {
             auto in = as_span(dates);
             py::array_t<bool> out(static_cast<py::ssize_t>(in.size()));
             gsl::span<uint8_t> o(reinterpret_cast<uint8_t*>(out.mutable_data()), in.size());
             {
               py::gil_scoped_release release;
               c.is_working_day(in, o);
             }
             return out;
           },
           py::arg("dates"))
      .def("working_days_bulk",
           [](const Calendar& c, const column<int32_t>& starts, const column<int32_t>& ends) {
             auto s = as_span(starts), e = as_span(ends);
             column<int32_t> out(static_cast<py::ssize_t>(s.size()));
             auto o = as_mutable_span(out);
             {
               py::gil_scoped_release release;
               c.working_days(s, e, o);
             }
             return out;
           },
           py::arg("starts"), py::arg("ends"))
      .def("add_working_days_bulk",
           [](const Calendar& c, const column<int32_t>& dates, const column<int32_t>& n) {
             auto d = as_span(dates), k = as_span(n);
             column<int32_t> out(static_cast<py::ssize_t>(d.size()));
             auto o = as_mutable_span(out);
             {
               py::gil_scoped_release release;
               c.add_working_days(d, k, o);
             }
             return out;
           },
           py::arg("dates"), py::arg("n"))
      .def("elapsed_fraction_bulk",
           [](const Calendar& c, const column<int32_t>& starts, const column<int32_t>& ends,
              const column<int32_t>& as_of) {
             auto s = as_span(starts), e = as_span(ends), a = as_span(as_of);
             column<double> out(static_cast<py::ssize_t>(s.size()));
             auto o = as_mutable_span(out);
             {
               py::gil_scoped_release release;
               c.elapsed_fraction(s, e, a, o);
             }
             return out;
           },
           py::arg("starts"), py::arg("ends"), py::arg("as_of"))
      .def("periods",
           [](const Calendar& c, Date start, Date end, const std::string& grain) {
             Grain g = parse_grain(grain);
             return periods_columns(c, c.periods(start, end, g), g);
           },
           py::arg("start"), py::arg("end"), py::arg("grain"));
}

}  // namespace quotaflow::python
