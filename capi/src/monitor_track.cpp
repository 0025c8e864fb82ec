// C ABI: roll-up of actuals, plan vs actual and pacing, price/volume/mix effects.
#include <algorithm>
#include <memory>

#include "calendar_handle.hpp"
#include "hierarchy_handle.hpp"
#include "quotaflow/monitor/rollup.hpp"
#include "quotaflow/monitor/track.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

struct qf_track {
  monitor::TrackResult r;
};

namespace {

template <class T>
gsl::span<const T> optional_column(const T* p, size_t n) {
  return p == nullptr ? gsl::span<const T>{} : gsl::span<const T>{p, n};
}

const monitor::TrackResult& track_of(const qf_track* t) {
  require(t, "track");
  return t->r;
}

template <class T, class Src>
void copy_column(const Src& src, T* out, size_t n, int32_t column) {
  require_column(out, n, "out");
  if (n != src.size())
    fail(errc::invalid_argument, "n is ", n, "; column ", column, " has ", src.size(), " values");
  std::copy(src.begin(), src.end(), out);
}

}  // namespace

extern "C" {

QF_API qf_status qf_rollup(const qf_hierarchy* hierarchy, const qf_calendar* calendar, const int32_t* node_of_fact,
                           const int32_t* date_of_fact, const int64_t* amount_of_fact, size_t n_facts, int32_t start,
                           int32_t end, int32_t grain, int64_t* out, size_t n_out, size_t* n_periods,
                           int64_t* outside_count, int64_t* outside_amount) {
  return guard([&] {
    const Hierarchy& h = hierarchy_of(hierarchy);
    const Calendar& cal = calendar_of(calendar);
    const Grain g = check_grain(grain);
    if (out == nullptr && n_out == 0) {
      require(n_periods, "n_periods");
      *n_periods = cal.periods(start, end, g).size();
      return;
    }
    require_column(node_of_fact, n_facts, "node_of_fact");
    require_column(date_of_fact, n_facts, "date_of_fact");
    require_column(amount_of_fact, n_facts, "amount_of_fact");
    require_column(out, n_out, "out");
    auto r = monitor::rollup(h, cal, {node_of_fact, n_facts}, {date_of_fact, n_facts}, {amount_of_fact, n_facts}, start,
                             end, g);
    if (n_out != r.values.size())
      fail(errc::invalid_argument, "n_out is ", n_out, "; the result has ", r.nodes, " nodes x ", r.periods.size(),
           " periods = ", r.values.size(), " values");
    std::copy(r.values.begin(), r.values.end(), out);
    if (n_periods != nullptr) *n_periods = r.periods.size();
    if (outside_count != nullptr) *outside_count = r.outside_count;
    if (outside_amount != nullptr) *outside_amount = r.outside_amount;
  });
}

QF_API qf_status qf_track_create(qf_track** out, const qf_hierarchy* hierarchy, const qf_calendar* calendar,
                                 const int64_t* plan, const int64_t* actual, size_t n_cells, int32_t start,
                                 int32_t end, int32_t as_of, const qf_track_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const Hierarchy& h = hierarchy_of(hierarchy);
    const Calendar& cal = calendar_of(calendar);
    require_column(plan, n_cells, "plan");
    require_column(actual, n_cells, "actual");
    monitor::TrackOptions opt;
    if (options != nullptr) {
      if (options->version != QF_TRACK_OPTIONS_VERSION)
        fail(errc::invalid_argument, "options->version is ", options->version, "; this library knows version ",
             QF_TRACK_OPTIONS_VERSION);
      opt.grain = check_grain(options->grain);
      opt.month_profile = optional_column(options->month_profile, 12);
      opt.weekday_profile = optional_column(options->weekday_profile, 7);
      require_column(options->daily_profile, options->n_daily, "options->daily_profile");
      opt.daily_profile = optional_column(options->daily_profile, options->n_daily);
      opt.thresholds.ahead_pace = options->ahead_pace;
      opt.thresholds.behind_pace = options->behind_pace;
      opt.thresholds.at_risk_pace = options->at_risk_pace;
      opt.thresholds.at_risk_required = options->at_risk_required;
    }
    auto t = std::make_unique<qf_track>();
    t->r = monitor::track(h, cal, {plan, n_cells}, {actual, n_cells}, start, end, as_of, opt);
    *out = t.release();
  });
}

QF_API void qf_track_destroy(qf_track* track) { delete track; }

QF_API qf_status qf_track_info(const qf_track* track, size_t* n_nodes, size_t* n_periods) {
  return guard([&] {
    const auto& r = track_of(track);
    if (n_nodes != nullptr) *n_nodes = r.nodes;
    if (n_periods != nullptr) *n_periods = r.periods.size();
  });
}

QF_API qf_status qf_track_int64(const qf_track* track, int32_t column, int64_t* out, size_t n) {
  return guard([&] {
    const auto& r = track_of(track);
    switch (column) {
      case QF_TRACK_PLAN_TO_DATE: return copy_column(r.plan_to_date, out, n, column);
      case QF_TRACK_VARIANCE: return copy_column(r.variance, out, n, column);
      case QF_TRACK_PROJECTED: return copy_column(r.projected, out, n, column);
      case QF_TRACK_PROJECTED_SEASONAL: return copy_column(r.projected_seasonal, out, n, column);
      case QF_TRACK_ELAPSED_DAYS: return copy_column(r.elapsed_days, out, n, column);
      case QF_TRACK_REMAINING_DAYS: return copy_column(r.remaining_days, out, n, column);
      default: fail(errc::invalid_argument, "column is ", column, "; it is not an int64 column of qf_track");
    }
  });
}

QF_API qf_status qf_track_double(const qf_track* track, int32_t column, double* out, size_t n) {
  return guard([&] {
    const auto& r = track_of(track);
    switch (column) {
      case QF_TRACK_VARIANCE_PCT: return copy_column(r.variance_pct, out, n, column);
      case QF_TRACK_ATTAINMENT: return copy_column(r.attainment, out, n, column);
      case QF_TRACK_PACE: return copy_column(r.pace, out, n, column);
      case QF_TRACK_REQUIRED_RATE: return copy_column(r.required_rate, out, n, column);
      case QF_TRACK_GAP_SHARE: return copy_column(r.gap_share, out, n, column);
      case QF_TRACK_ELAPSED: return copy_column(r.elapsed, out, n, column);
      case QF_TRACK_ELAPSED_WEIGHT: return copy_column(r.elapsed_weight, out, n, column);
      case QF_TRACK_REMAINING_WEIGHT: return copy_column(r.remaining_weight, out, n, column);
      default: fail(errc::invalid_argument, "column is ", column, "; it is not a double column of qf_track");
    }
  });
}

QF_API qf_status qf_track_statuses(const qf_track* track, int32_t* out, size_t n) {
  return guard([&] {
    const auto& r = track_of(track);
    require_column(out, n, "out");
    if (n != r.status.size()) fail(errc::invalid_argument, "n is ", n, "; the track has ", r.status.size(), " cells");
    std::transform(r.status.begin(), r.status.end(), out, [](monitor::TrackStatus s) { return static_cast<int32_t>(s); });
  });
}

QF_API const char* qf_track_status_name(int32_t status) {
  if (status < 0 || status >= static_cast<int32_t>(monitor::track_status_names.size())) return "unknown";
  return monitor::track_status_names[static_cast<size_t>(status)].data();  // literals: NUL-terminated
}

QF_API qf_status qf_price_volume_mix(const int32_t* group, const int64_t* plan_quantity, const int64_t* plan_revenue,
                                     const int64_t* actual_quantity, const int64_t* actual_revenue, size_t n,
                                     size_t n_groups, int64_t* gap, int64_t* volume, int64_t* price, int64_t* mix) {
  return guard([&] {
    require_column(group, n, "group");
    require_column(plan_quantity, n, "plan_quantity");
    require_column(plan_revenue, n, "plan_revenue");
    require_column(actual_quantity, n, "actual_quantity");
    require_column(actual_revenue, n, "actual_revenue");
    auto e = monitor::price_volume_mix({group, n}, {plan_quantity, n}, {plan_revenue, n}, {actual_quantity, n},
                                       {actual_revenue, n}, n_groups);
    for (size_t g = 0; g < n_groups; ++g) {
      if (gap != nullptr) gap[g] = e[g].gap;
      if (volume != nullptr) volume[g] = e[g].volume;
      if (price != nullptr) price[g] = e[g].price;
      if (mix != nullptr) mix[g] = e[g].mix;
    }
  });
}

}  // extern "C"
