// Allocation down a hierarchy: a root target split to every node, each parent's children summing
// exactly to the parent's amount times (1 + over-assignment), rounded by an exact apportionment.
//   auto plan = allocate_tree(h, 1'000'000'00, leaf_weights);   // plan.amounts[v] for every node
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include <gsl/span>

#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow {

struct TreeAllocationOptions {
  ApportionMethod method = ApportionMethod::hamilton;
  // Children of every parent get (1 + over_assignment) times the parent's amount (sales managers
  // over-assign so that the sum of quotas beats the target). 0.1 = 10 %. Must be > -1.
  double over_assignment = 0.0;
  // Optional, one per depth of the parent (index 0 = roots' children), overriding over_assignment.
  gsl::span<const double> over_assignment_per_level = {};
  // Optional, one per node (used when the node is a parent), overriding both of the above.
  gsl::span<const double> over_assignment_per_node = {};
  // Optional bounds per node, applied when a node is apportioned among its siblings.
  gsl::span<const int64_t> lower = {};
  gsl::span<const int64_t> upper = {};
  // Fill TreeAllocation::quotas with the real amount each node had before rounding.
  bool explain = false;
};

struct TreeAllocation {
  std::vector<int64_t> amounts;  // one per node
  std::vector<double> weights;   // the weight each node was apportioned by (leaf roll-ups for inner nodes)
  std::vector<double> quotas;    // with explain: the exact real share before rounding (rounding adjustment = amount - quota)
};

namespace detail {
// amount * (1 + r), rounded half away from zero, overflow-checked.
inline int64_t scale_amount(int64_t amount, double r, size_t node) {
  if (r == 0.0) return amount;
  long double x = static_cast<long double>(amount) * (1.0L + static_cast<long double>(r));
  if (!(std::fabs(x) < 9.2233720368547758e18L))
    fail(errc::overflow, "node ", node, ": ", amount, " times (1 + ", r, ") overflows int64");
  return static_cast<int64_t>(std::llround(x));
}
}  // namespace detail

// weights: one per leaf (in h.leaves() order), inner weights being their leaf roll-ups, or one per
// node (each node weighted against its siblings by its own weight). Multi-root hierarchies split
// root_total among the roots first. O(n) plus the apportionment of each sibling group.
inline TreeAllocation allocate_tree(const Hierarchy& h, int64_t root_total, gsl::span<const double> weights,
                                    const TreeAllocationOptions& opt = {}) {
  const size_t n = h.size();
  if (n == 0) fail(errc::invalid_argument, "the hierarchy is empty");
  const auto leaves = h.leaves();
  TreeAllocation r;
  r.weights.assign(n, 0.0);
  if (weights.size() == n) {
    for (size_t i = 0; i < n; ++i) r.weights[i] = weights[i];
  } else if (weights.size() == leaves.size()) {
    for (size_t k = 0; k < leaves.size(); ++k) r.weights[static_cast<size_t>(leaves[k])] = weights[k];
  } else {
    fail(errc::invalid_argument, "length mismatch: weights has ", weights.size(), " elements; expected one per leaf (",
         leaves.size(), ") or one per node (", n, ")");
  }
  for (size_t i = 0; i < n; ++i) {
    double w = r.weights[i];
    if (std::isnan(w) || std::isinf(w)) fail(errc::invalid_argument, "weights[", i, "] is ", w);
    if (w < 0) fail(errc::invalid_argument, "weights[", i, "] is ", w, "; weights must be >= 0");
  }
  if (weights.size() != n) h.rollup(r.weights, r.weights);

  auto check_len = [&](size_t got, const char* what) {
    if (got != 0 && got != n) fail(errc::invalid_argument, "length mismatch: ", what, " has ", got, " elements, the hierarchy has ", n, " nodes");
  };
  check_len(opt.lower.size(), "lower");
  check_len(opt.upper.size(), "upper");
  check_len(opt.over_assignment_per_node.size(), "over_assignment_per_node");
  auto check_rate = [](double v, const std::string& what) {
    if (!std::isfinite(v) || v <= -1.0) fail(errc::invalid_argument, what, " is ", v, "; it must be finite and > -1");
  };
  check_rate(opt.over_assignment, "over_assignment");
  for (size_t i = 0; i < opt.over_assignment_per_level.size(); ++i)
    check_rate(opt.over_assignment_per_level[i], "over_assignment_per_level[" + std::to_string(i) + "]");
  for (size_t i = 0; i < opt.over_assignment_per_node.size(); ++i)
    check_rate(opt.over_assignment_per_node[i], "over_assignment_per_node[" + std::to_string(i) + "]");

  // Work in CSR child order: each sibling group is one contiguous run there, so weights,
  // bounds and results are read and written sequentially instead of gathered node by node.
  const auto csr = h.child_indices();
  const auto off = h.child_offsets();
  const size_t m = csr.size();
  std::vector<double> w_csr(m);
  std::vector<int64_t> out_csr(m), lo_csr, hi_csr;
  std::vector<double> q_csr;
  for (size_t j = 0; j < m; ++j) w_csr[j] = r.weights[static_cast<size_t>(csr[j])];
  if (!opt.lower.empty()) {
    lo_csr.resize(m);
    for (size_t j = 0; j < m; ++j) lo_csr[j] = opt.lower[static_cast<size_t>(csr[j])];
  }
  if (!opt.upper.empty()) {
    hi_csr.resize(m);
    for (size_t j = 0; j < m; ++j) hi_csr[j] = opt.upper[static_cast<size_t>(csr[j])];
  }
  if (opt.explain) q_csr.resize(m);

  r.amounts.assign(n, 0);
  if (opt.explain) r.quotas.assign(n, 0.0);
  auto where = [&](int32_t v) {
    if (v < 0) return std::string("the roots");
    return h.has_names() ? "node \"" + h.name(v) + "\"'s children" : "node " + std::to_string(v) + "'s children";
  };
  int32_t current = -1;  // the parent being split, for error messages
  try {
    // Roots first (they are not in the CSR array).
    const auto roots = h.roots();
    if (roots.size() == 1) {
      const auto root = static_cast<size_t>(roots[0]);
      r.amounts[root] = root_total;  // a single root takes the total whatever it weighs
      if (opt.explain) r.quotas[root] = static_cast<double>(root_total);
    } else {
      std::vector<double> rw;
      std::vector<int64_t> ro, rlo, rhi;
      for (int32_t v : roots) {
        rw.push_back(r.weights[static_cast<size_t>(v)]);
        if (!opt.lower.empty()) rlo.push_back(opt.lower[static_cast<size_t>(v)]);
        if (!opt.upper.empty()) rhi.push_back(opt.upper[static_cast<size_t>(v)]);
      }
      ro.resize(roots.size());
      apportion(root_total, rw, ro, opt.method, rlo, rhi);
      std::vector<double> rq(opt.explain ? roots.size() : 0);
      if (opt.explain) apportion_quotas(root_total, rw, rq, rlo, rhi);
      for (size_t k = 0; k < roots.size(); ++k) {
        r.amounts[static_cast<size_t>(roots[k])] = ro[k];
        if (opt.explain) r.quotas[static_cast<size_t>(roots[k])] = rq[k];
      }
    }
    // Pre-order: a parent's amount is final before its children are split. Amounts of inner
    // nodes are written back to node order as soon as they are known.
    for (int32_t v : h.preorder()) {
      const auto vi = static_cast<size_t>(v);
      const auto b = static_cast<size_t>(off[vi]), e = static_cast<size_t>(off[vi + 1]);
      if (b == e) continue;
      current = v;
      double rate = opt.over_assignment;
      const auto depth = static_cast<size_t>(h.depths()[vi]);
      if (depth < opt.over_assignment_per_level.size()) rate = opt.over_assignment_per_level[depth];
      if (!opt.over_assignment_per_node.empty()) rate = opt.over_assignment_per_node[vi];
      const int64_t total = detail::scale_amount(r.amounts[vi], rate, vi);
      const size_t k = e - b;
      gsl::span<const int64_t> lo_s, hi_s;
      if (!lo_csr.empty()) lo_s = gsl::span<const int64_t>(lo_csr.data() + b, k);
      if (!hi_csr.empty()) hi_s = gsl::span<const int64_t>(hi_csr.data() + b, k);
      gsl::span<const double> w_s(w_csr.data() + b, k);
      apportion(total, w_s, gsl::span<int64_t>(out_csr.data() + b, k), opt.method, lo_s, hi_s);
      if (opt.explain) apportion_quotas(total, w_s, gsl::span<double>(q_csr.data() + b, k), lo_s, hi_s);
      for (size_t j = b; j < e; ++j) {
        const auto c = static_cast<size_t>(csr[j]);
        r.amounts[c] = out_csr[j];
        if (opt.explain) r.quotas[c] = q_csr[j];
      }
    }
  } catch (const error& e) {
    // Apportionment messages index the sibling group; say which group it was.
    fail(e.code(), "allocating ", where(current), ": ", e.what());
  }
  return r;
}

}  // namespace quotaflow
