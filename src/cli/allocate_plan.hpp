// The plan the CLI prints: a target down a hierarchy and over a range's periods.
#pragma once

#include <string>
#include <vector>

#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/allocation/tree.hpp"

namespace quotaflow::cli {

struct PlanTable {
  std::vector<int64_t> annual;       // per node
  std::vector<std::string> labels;   // per period
  std::vector<int64_t> cells;        // nodes x periods, row-major
};

// Without over-assignment the leaves are phased and every inner node is the roll-up of its
// leaves in every period, so the plan adds up exactly both ways. With over-assignment children
// do not sum to their parent by design, and each node's own amount is phased.
// node_weights: one per node; only the leaves' values are used.
inline PlanTable allocate_plan(const Hierarchy& h, int64_t total, const std::vector<double>& node_weights,
                               const Calendar& cal, Date start, Date end, Grain grain, ApportionMethod method,
                               double over_assignment, gsl::span<const double> month_profile = {}) {
  TreeAllocationOptions opt;
  opt.method = method;
  opt.over_assignment = over_assignment;
  PlanTable t;
  std::vector<double> leaf_weights;  // the leaves carry the weights; inner nodes weigh their roll-ups
  for (int32_t leaf : h.leaves()) leaf_weights.push_back(node_weights[static_cast<size_t>(leaf)]);
  t.annual = allocate_tree(h, total, leaf_weights, opt).amounts;
  PhaseOptions popt;
  popt.grain = grain;
  popt.method = method;
  popt.month_profile = month_profile;
  std::vector<int64_t> matrix;
  PhasePlan plan = phase_many(t.annual, cal, start, end, popt, matrix);
  const size_t p = plan.periods.size();
  for (const Period& per : plan.periods) t.labels.push_back(cal.period_label(per.start, grain));
  t.cells = std::move(matrix);
  if (over_assignment == 0.0) {
    // Replace inner rows by the roll-up of the leaf rows, period by period.
    for (size_t v = 0; v < h.size(); ++v)
      if (!h.is_leaf(static_cast<int32_t>(v)))
        for (size_t k = 0; k < p; ++k) t.cells[v * p + k] = 0;
    auto pre = h.preorder();
    for (size_t i = pre.size(); i-- > 0;) {
      auto v = static_cast<size_t>(pre[i]);
      int32_t par = h.parents()[v];
      if (par < 0) continue;
      for (size_t k = 0; k < p; ++k) t.cells[static_cast<size_t>(par) * p + k] += t.cells[v * p + k];
    }
  }
  return t;
}

}  // namespace quotaflow::cli
