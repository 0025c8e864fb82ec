// Bindings: version, amounts, dates.
#include "common.hpp"
#include "quotaflow/calendar/date.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/version.hpp"

namespace quotaflow::python {

void register_core(py::module_& m) {
  m.attr("__version__") = version_string;
  m.attr("MIN_DATE") = min_supported_date;
  m.attr("MAX_DATE") = max_supported_date;
  m.def("amount_parse", [](std::string_view text, int scale) { return Amount::parse(text, scale).minor(); },
        py::arg("text"), py::arg("scale"));
  m.def("amount_format", [](int64_t minor, int scale) { return Amount{minor}.format(scale); }, py::arg("minor"),
        py::arg("scale"));
  m.def("amount_add", [](int64_t a, int64_t b) { return (Amount{a} + Amount{b}).minor(); });
  m.def("amount_sub", [](int64_t a, int64_t b) { return (Amount{a} - Amount{b}).minor(); });
  m.def("amount_mul", [](int64_t a, int64_t k) { return (Amount{a} * k).minor(); });
  m.def("date_parse", [](std::string_view s) { return date_from_string(s); }, py::arg("text"));
  m.def("date_format", [](Date d) { return date_to_string(d); }, py::arg("date"));
  m.def("date_from_ymd", &date_from_ymd, py::arg("year"), py::arg("month"), py::arg("day"));
}

}  // namespace quotaflow::python
