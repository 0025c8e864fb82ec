// C ABI: hierarchies. qf_hierarchy is the C++ Hierarchy behind an opaque pointer.
#include "hierarchy_handle.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

extern "C" {

QF_API qf_status qf_hierarchy_create(qf_hierarchy** out, const int32_t* parents, size_t n) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(parents, n, "parents");
    *out = new qf_hierarchy{Hierarchy::from_parents({parents, n})};
  });
}

QF_API void qf_hierarchy_destroy(qf_hierarchy* hierarchy) { delete hierarchy; }

QF_API qf_status qf_hierarchy_info(const qf_hierarchy* hierarchy, size_t* n_nodes, size_t* n_leaves, int32_t* max_depth) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    if (n_nodes) *n_nodes = h.size();
    if (n_leaves) *n_leaves = h.leaves().size();
    if (max_depth) *max_depth = h.max_depth();
  });
}

namespace {
qf_status copy_column(const qf_hierarchy* hierarchy, gsl::span<const int32_t> (Hierarchy::*get)() const noexcept,
                      int32_t* out, size_t n) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    auto col = (h.*get)();
    require_column(out, n, "out");
    if (n != col.size()) fail(errc::invalid_argument, "out has length ", n, "; expected ", col.size());
    std::copy(col.begin(), col.end(), out);
  });
}
}  // namespace

QF_API qf_status qf_hierarchy_depths(const qf_hierarchy* hierarchy, int32_t* out, size_t n) {
  return copy_column(hierarchy, &Hierarchy::depths, out, n);
}
QF_API qf_status qf_hierarchy_leaves(const qf_hierarchy* hierarchy, int32_t* out, size_t n) {
  return copy_column(hierarchy, &Hierarchy::leaves, out, n);
}
QF_API qf_status qf_hierarchy_preorder(const qf_hierarchy* hierarchy, int32_t* out, size_t n) {
  return copy_column(hierarchy, &Hierarchy::preorder, out, n);
}

QF_API qf_status qf_hierarchy_rollup(const qf_hierarchy* hierarchy, const int64_t* values, size_t n, int64_t* out) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    require_column(values, n, "values");
    require_column(out, n, "out");
    h.rollup({values, n}, {out, n});
  });
}

}  // extern "C"
