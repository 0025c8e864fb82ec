// C ABI: target allocation (apportionment, trees, time phasing, grids, reconciliation).
#include <cmath>
#include <cstdint>

#include "calendar_handle.hpp"
#include "hierarchy_handle.hpp"
#include "quotaflow/allocation/apportion.hpp"
#include "quotaflow/allocation/grid.hpp"
#include "quotaflow/allocation/phase.hpp"
#include "quotaflow/allocation/reconcile.hpp"
#include "quotaflow/allocation/tree.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

namespace {

template <class T>
gsl::span<const T> optional_column(const T* p, size_t n) {
  return p == nullptr ? gsl::span<const T>{} : gsl::span<const T>{p, n};
}

void check_version(uint32_t got, uint32_t want, const char* what) {
  if (got != want)
    fail(errc::invalid_argument, what, "->version is ", got, "; this library knows version ", want);
}

PhaseOptions phase_options(const qf_phase_options* o) {
  PhaseOptions p;
  if (o == nullptr) return p;
  check_version(o->version, QF_PHASE_OPTIONS_VERSION, "options");
  p.grain = check_grain(o->grain);
  p.method = check_apportion_method(o->method);
  p.month_profile = optional_column(o->month_profile, 12);
  p.weekday_profile = optional_column(o->weekday_profile, 7);
  require_column(o->daily_profile, o->n_daily, "options->daily_profile");
  p.daily_profile = optional_column(o->daily_profile, o->n_daily);
  return p;
}

}  // namespace

extern "C" {

QF_API qf_status qf_apportion(int64_t total, const double* weights, size_t n, int32_t method, const int64_t* lower,
                              const int64_t* upper, int64_t* out) {
  return guard([&] {
    require_column(weights, n, "weights");
    require_column(out, n, "out");
    apportion(total, {weights, n}, {out, n}, check_apportion_method(method), optional_column(lower, n),
              optional_column(upper, n));
  });
}

QF_API qf_status qf_allocate_tree(const qf_hierarchy* hierarchy, int64_t root_total, const double* weights,
                                  size_t n_weights, const qf_tree_options* options, int64_t* out, size_t n_out,
                                  double* quotas) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    require_column(weights, n_weights, "weights");
    require_column(out, n_out, "out");
    if (n_out != h.size()) fail(errc::invalid_argument, "out has length ", n_out, "; the hierarchy has ", h.size(), " nodes");
    TreeAllocationOptions opt;
    if (options != nullptr) {
      check_version(options->version, QF_TREE_OPTIONS_VERSION, "options");
      opt.method = check_apportion_method(options->method);
      opt.over_assignment = options->over_assignment;
      require_column(options->over_assignment_per_level, options->n_levels, "options->over_assignment_per_level");
      opt.over_assignment_per_level = optional_column(options->over_assignment_per_level, options->n_levels);
      opt.over_assignment_per_node = optional_column(options->over_assignment_per_node, h.size());
      opt.lower = optional_column(options->lower, h.size());
      opt.upper = optional_column(options->upper, h.size());
    }
    opt.explain = quotas != nullptr;
    TreeAllocation r = allocate_tree(h, root_total, {weights, n_weights}, opt);
    std::copy(r.amounts.begin(), r.amounts.end(), out);
    if (quotas != nullptr) std::copy(r.quotas.begin(), r.quotas.end(), quotas);
  });
}

QF_API qf_status qf_phase(const qf_calendar* calendar, int64_t total, int32_t start, int32_t end,
                          const qf_phase_options* options, int32_t* period_starts, int32_t* period_ends,
                          int64_t* targets, size_t capacity, size_t* count) {
  return guard([&] {
    const Calendar& cal = calendar_of(calendar);
    require(count, "count");
    *count = 0;
    PhaseResult r = phase(total, cal, start, end, phase_options(options));
    *count = r.periods.size();
    if (capacity == 0 && period_starts == nullptr && period_ends == nullptr && targets == nullptr) return;
    if (capacity < r.periods.size())
      fail(errc::buffer_too_small, "capacity is ", capacity, " but the range has ", r.periods.size(), " periods");
    require_column(targets, r.periods.size(), "targets");
    for (size_t i = 0; i < r.periods.size(); ++i) {
      if (period_starts) period_starts[i] = r.periods[i].start;
      if (period_ends) period_ends[i] = r.periods[i].end;
      targets[i] = r.targets[i];
    }
  });
}

QF_API qf_status qf_phase_many(const qf_calendar* calendar, const int64_t* totals, size_t n, int32_t start, int32_t end,
                               const qf_phase_options* options, int64_t* out, size_t n_periods) {
  return guard([&] {
    const Calendar& cal = calendar_of(calendar);
    require_column(totals, n, "totals");
    std::vector<int64_t> matrix;
    PhasePlan plan = phase_many({totals, n}, cal, start, end, phase_options(options), matrix);
    if (n_periods != plan.periods.size())
      fail(errc::invalid_argument, "n_periods is ", n_periods, " but the range has ", plan.periods.size(), " periods");
    require_column(out, matrix.size(), "out");
    std::copy(matrix.begin(), matrix.end(), out);
  });
}

QF_API qf_status qf_allocate_grid(const int64_t* row_totals, size_t rows, const int64_t* col_totals, size_t cols,
                                  const double* seed, int64_t* out) {
  return guard([&] {
    require_column(row_totals, rows, "row_totals");
    require_column(col_totals, cols, "col_totals");
    if (rows != 0 && cols != 0 && rows > SIZE_MAX / cols) fail(errc::overflow, "rows x cols overflows: ", rows, " x ", cols);
    require_column(seed, rows * cols, "seed");
    require_column(out, rows * cols, "out");
    GridResult g = allocate_grid({row_totals, rows}, {col_totals, cols}, {seed, rows * cols});
    std::copy(g.cells.begin(), g.cells.end(), out);
  });
}

QF_API qf_status qf_reconcile(const qf_hierarchy* hierarchy, const double* base, size_t n, int32_t method,
                              int32_t nonnegative, const double* history, size_t history_periods, double* out_real,
                              int64_t* out_int) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    require_column(base, n, "base");
    if (out_real == nullptr && out_int == nullptr) fail(errc::null_pointer, "out_real and out_int are both NULL");
    ReconcileOptions opt;
    opt.method = check_reconcile_method(method);
    opt.nonnegative = nonnegative != 0;
    if (history_periods != 0 && n != 0 && history_periods > SIZE_MAX / n)
      fail(errc::overflow, "history_periods x n overflows: ", history_periods, " x ", n);
    require_column(history, history_periods * n, "history");
    opt.history = optional_column(history, history_periods * n);
    if (history_periods > static_cast<size_t>(INT32_MAX))
      fail(errc::invalid_argument, "history_periods is ", history_periods, "; at most ", INT32_MAX, " periods");
    opt.history_periods = static_cast<int32_t>(history_periods);
    std::vector<double> real = reconcile(h, {base, n}, opt);
    if (out_real != nullptr) std::copy(real.begin(), real.end(), out_real);
    if (out_int != nullptr) {
      std::vector<int64_t> ints = round_reconciled(h, real);
      std::copy(ints.begin(), ints.end(), out_int);
    }
  });
}

QF_API qf_status qf_reconcile_plan(const qf_hierarchy* hierarchy, const double* top_down, const int64_t* bottom_up,
                                   size_t n, int32_t method, double alpha, int64_t* plan, int64_t* bottom_up_rollup) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    require_column(top_down, n, "top_down");
    require_column(bottom_up, n, "bottom_up");
    require_column(plan, n, "plan");
    if (method != 0 && method != 1) fail(errc::invalid_argument, "method is ", method, "; expected 0 (scale) or 1 (blend)");
    PlanResult r = reconcile_plan(h, {top_down, n}, {bottom_up, n}, static_cast<PlanMethod>(method), alpha);
    std::copy(r.plan.begin(), r.plan.end(), plan);
    if (bottom_up_rollup != nullptr)
      for (size_t i = 0; i < n; ++i) bottom_up_rollup[i] = r.gaps[i].bottom_up;
  });
}

}  // extern "C"
