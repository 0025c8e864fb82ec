// The opaque qf_hierarchy handle, shared by the hierarchy and allocation C ABI files.
#pragma once

#include "guard.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

struct qf_hierarchy {
  quotaflow::Hierarchy h;
};

namespace quotaflow::capi {
inline const Hierarchy& hierarchy_of(const qf_hierarchy* h) {
  require(h, "hierarchy");
  return h->h;
}
}  // namespace quotaflow::capi
