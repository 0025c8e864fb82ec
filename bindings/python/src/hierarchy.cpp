// Bindings: hierarchies.
#include <pybind11/stl.h>

#include "common.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow::python {

namespace {
template <class T>
py::array_t<T> copy_out(gsl::span<const T> s) {
  return py::array_t<T>(static_cast<py::ssize_t>(s.size()), s.data());
}
}  // namespace

void register_hierarchy(py::module_& m) {
  py::class_<Hierarchy>(m, "Hierarchy")
      .def_static("from_parents", [](const column<int32_t>& parents) { return Hierarchy::from_parents(as_span(parents)); },
                  py::arg("parents"))
      .def_static("from_parents_named",
                  [](const column<int32_t>& parents, std::vector<std::string> names) {
                    return Hierarchy::from_parents(as_span(parents), std::move(names));
                  },
                  py::arg("parents"), py::arg("names"))
      .def_static("from_edges", &Hierarchy::from_edges, py::arg("child"), py::arg("parent"))
      .def("__len__", &Hierarchy::size)
      .def_property_readonly("parents", [](const Hierarchy& h) { return copy_out(h.parents()); })
      .def_property_readonly("depths", [](const Hierarchy& h) { return copy_out(h.depths()); })
      .def_property_readonly("leaves", [](const Hierarchy& h) { return copy_out(h.leaves()); })
      .def_property_readonly("roots", [](const Hierarchy& h) { return copy_out(h.roots()); })
      .def_property_readonly("preorder", [](const Hierarchy& h) { return copy_out(h.preorder()); })
      .def_property_readonly("child_offsets", [](const Hierarchy& h) { return copy_out(h.child_offsets()); })
      .def_property_readonly("child_indices", [](const Hierarchy& h) { return copy_out(h.child_indices()); })
      .def_property_readonly("leaf_counts", [](const Hierarchy& h) { return copy_out(h.leaf_counts()); })
      .def_property_readonly("max_depth", &Hierarchy::max_depth)
      .def_property_readonly("names", [](const Hierarchy& h) { return h.names(); })
      .def("children", [](const Hierarchy& h, int32_t v) { return copy_out(h.children(v)); }, py::arg("node"))
      .def("index_of", &Hierarchy::index_of, py::arg("name"))
      .def("rollup_int",
           [](const Hierarchy& h, const column<int64_t>& values) {
             column<int64_t> out(static_cast<py::ssize_t>(h.size()));
             auto in = as_span(values);
             auto o = as_mutable_span(out);
             {
               py::gil_scoped_release release;
               h.rollup(in, o);
             }
             return out;
           },
           py::arg("values"))
      .def("rollup_float",
           [](const Hierarchy& h, const column<double>& values) {
             column<double> out(static_cast<py::ssize_t>(h.size()));
             auto in = as_span(values);
             auto o = as_mutable_span(out);
             {
               py::gil_scoped_release release;
               h.rollup(in, o);
             }
             return out;
           },
           py::arg("values"));
}

}  // namespace quotaflow::python
