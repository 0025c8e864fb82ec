// Small plan builders shared by the incentive tests.
#pragma once

#include <utility>
#include <vector>

#include "quotaflow/incentive/plan.hpp"

namespace qf_test {
// A commission component named "sales" with the given tiers.
inline quotaflow::incentive::ComponentSpec commission(
    std::vector<quotaflow::incentive::Tier> tiers,
    quotaflow::incentive::TierMethod m = quotaflow::incentive::TierMethod::marginal) {
  quotaflow::incentive::ComponentSpec c;
  c.name = "sales";
  c.method = m;
  c.tiers = std::move(tiers);
  return c;
}
}  // namespace qf_test
