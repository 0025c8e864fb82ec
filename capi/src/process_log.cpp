// C ABI: event logs and discovery. Handles wrap the C++ values; results are library-owned
// handles read through accessors that copy columns into caller buffers.
#include <algorithm>
#include <string>
#include <vector>

#include "process_log_handle.hpp"
#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "quotaflow/process/temporal.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;
using namespace quotaflow::process;

struct qf_dfg {
  DirectlyFollowsGraph g;
};
struct qf_variants {
  Variants v;
};
struct qf_temporal_profile {
  TemporalProfile p;
};
struct qf_temporal_deviations {
  TemporalDeviations d;
};

namespace {

std::vector<std::string> names_from(const char* const* names, size_t n, const char* what) {
  require_column(names, n, what);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (names[i] == nullptr) fail(errc::null_pointer, what, "[", i, "] is NULL");
    out.emplace_back(names[i]);
  }
  return out;
}

template <class H>
const H& handle_of(const H* h, const char* name) {
  require(h, name);
  return *h;
}

// Copies a column into an optional caller buffer (NULL skips it) of `capacity` entries.
template <class T>
void copy_out(const std::vector<T>& col, T* out, size_t capacity, const char* name) {
  if (out == nullptr) return;
  if (capacity < col.size())
    fail(errc::buffer_too_small, name, " has capacity ", capacity, " but ", col.size(), " entries are needed");
  std::copy(col.begin(), col.end(), out);
}

void counts_out(const ActivityCounts& c, int32_t* activity, int64_t* count, size_t capacity, size_t* n) {
  if (n != nullptr) *n = c.size();
  copy_out(c.activity, activity, capacity, "activity");
  copy_out(c.count, count, capacity, "count");
}

}  // namespace

extern "C" {

QF_API qf_status qf_log_create(qf_log** out, const int64_t* case_keys, const int32_t* activities,
                               const int64_t* timestamps_ns, size_t n, const char* const* activity_names,
                               size_t n_activities, const qf_log_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(case_keys, n, "case_keys");
    require_column(activities, n, "activities");
    require_column(timestamps_ns, n, "timestamps_ns");
    auto names = names_from(activity_names, n_activities, "activity_names");
    qf_log_options opt = QF_LOG_OPTIONS_INIT;
    if (options != nullptr) {
      if (options->version != QF_LOG_OPTIONS_VERSION)
        fail(errc::invalid_argument, "options->version is ", options->version, "; expected QF_LOG_OPTIONS_VERSION (",
             QF_LOG_OPTIONS_VERSION, ")");
      opt = *options;
    }
    auto resource_names = names_from(opt.resource_names, opt.n_resources, "options->resource_names");
    auto case_names = names_from(opt.case_names, opt.n_case_names, "options->case_names");
    gsl::span<const int32_t> resources;
    if (opt.resources != nullptr) resources = {opt.resources, n};
    gsl::span<const int64_t> amounts;
    if (opt.amounts != nullptr) amounts = {opt.amounts, n};
    *out = new qf_log{EventLog::from_columns({case_keys, n}, {activities, n}, {timestamps_ns, n}, std::move(names), resources,
                                             std::move(resource_names), amounts, std::move(case_names))};
  });
}

QF_API qf_status qf_log_read_csv(qf_log** out, const char* path, const qf_log_csv_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    LogCsvOptions o;
    if (options != nullptr) {
      if (options->version != QF_LOG_CSV_OPTIONS_VERSION)
        fail(errc::invalid_argument, "options->version is ", options->version, "; expected QF_LOG_CSV_OPTIONS_VERSION (",
             QF_LOG_CSV_OPTIONS_VERSION, ")");
      if (options->case_column) o.case_column = options->case_column;
      if (options->activity_column) o.activity_column = options->activity_column;
      if (options->timestamp_column) o.timestamp_column = options->timestamp_column;
      if (options->resource_column) o.resource_column = options->resource_column;
      if (options->amount_column) o.amount_column = options->amount_column;
      o.amount_scale = options->amount_scale;
      if (options->delimiter != 0) o.delimiter = options->delimiter;
    }
    *out = new qf_log{read_log_csv(path, o)};
  });
}

QF_API void qf_log_destroy(qf_log* log) { delete log; }

QF_API qf_status qf_log_info(const qf_log* log, size_t* n_events, size_t* n_cases, size_t* n_activities,
                             size_t* n_resources) {
  return guard([&] {
    const EventLog& l = log_of(log);
    if (n_events) *n_events = l.size();
    if (n_cases) *n_cases = l.num_cases();
    if (n_activities) *n_activities = l.num_activities();
    if (n_resources) *n_resources = l.num_resources();
  });
}

QF_API qf_status qf_log_activity_name(const qf_log* log, int32_t activity, char* buf, size_t capacity, size_t* needed) {
  return guard([&] {
    const EventLog& l = log_of(log);
    if (activity < 0 || static_cast<size_t>(activity) >= l.num_activities())
      fail(errc::out_of_range, "activity is ", activity, "; the log has ", l.num_activities(), " activities");
    write_string(l.activity_names()[static_cast<size_t>(activity)], buf, capacity, needed, "buf");
  });
}

QF_API qf_status qf_log_case_name(const qf_log* log, size_t case_index, char* buf, size_t capacity, size_t* needed) {
  return guard([&] { write_string(log_of(log).case_name(case_index), buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_log_find_activity(const qf_log* log, const char* name, int32_t* activity) {
  return guard([&] {
    const EventLog& l = log_of(log);
    require(name, "name");
    require(activity, "activity");
    auto id = l.find_activity(name);
    if (!id) fail(errc::not_found, "activity \"", name, "\" does not occur in the log");
    *activity = *id;
  });
}

QF_API qf_status qf_log_case_offsets(const qf_log* log, int64_t* offsets, size_t n) {
  return guard([&] {
    const EventLog& l = log_of(log);
    require_column(offsets, n, "offsets");
    if (n != l.num_cases() + 1) fail(errc::invalid_argument, "offsets has length ", n, "; expected ", l.num_cases() + 1);
    std::copy(l.case_offsets().begin(), l.case_offsets().end(), offsets);
  });
}

QF_API qf_status qf_log_events(const qf_log* log, int32_t* activities, int64_t* timestamps_ns, int64_t* source_rows,
                               size_t n) {
  return guard([&] {
    const EventLog& l = log_of(log);
    if (n != l.size()) fail(errc::invalid_argument, "n is ", n, "; the log has ", l.size(), " events");
    if (activities) std::copy(l.activities().begin(), l.activities().end(), activities);
    if (timestamps_ns) std::copy(l.timestamps().begin(), l.timestamps().end(), timestamps_ns);
    if (source_rows) std::copy(l.source_rows().begin(), l.source_rows().end(), source_rows);
  });
}

QF_API qf_status qf_log_start_activities(const qf_log* log, int32_t* activity, int64_t* count, size_t capacity, size_t* n) {
  return guard([&] { counts_out(start_activities(log_of(log)), activity, count, capacity, n); });
}

QF_API qf_status qf_log_end_activities(const qf_log* log, int32_t* activity, int64_t* count, size_t capacity, size_t* n) {
  return guard([&] { counts_out(end_activities(log_of(log)), activity, count, capacity, n); });
}

/* ---- directly-follows graph ---- */
QF_API qf_status qf_dfg_create(qf_dfg** out, const qf_log* log) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new qf_dfg{directly_follows(log_of(log))};
  });
}
QF_API void qf_dfg_destroy(qf_dfg* dfg) { delete dfg; }
QF_API qf_status qf_dfg_size(const qf_dfg* dfg, size_t* n_edges) {
  return guard([&] {
    const auto& g = handle_of(dfg, "dfg").g;
    require(n_edges, "n_edges");
    *n_edges = g.size();
  });
}
QF_API qf_status qf_dfg_edges(const qf_dfg* dfg, int32_t* source, int32_t* target, int64_t* count, size_t capacity) {
  return guard([&] {
    const auto& g = handle_of(dfg, "dfg").g;
    copy_out(g.source, source, capacity, "source");
    copy_out(g.target, target, capacity, "target");
    copy_out(g.count, count, capacity, "count");
  });
}
QF_API qf_status qf_dfg_times(const qf_dfg* dfg, double* mean, double* median, double* min, double* max, double* sum,
                              double* stdev, size_t capacity) {
  return guard([&] {
    const auto& g = handle_of(dfg, "dfg").g;
    copy_out(g.mean, mean, capacity, "mean");
    copy_out(g.median, median, capacity, "median");
    copy_out(g.min, min, capacity, "min");
    copy_out(g.max, max, capacity, "max");
    copy_out(g.sum, sum, capacity, "sum");
    copy_out(g.stdev, stdev, capacity, "stdev");
  });
}

/* ---- variants ---- */
QF_API qf_status qf_variants_create(qf_variants** out, const qf_log* log) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new qf_variants{variants(log_of(log))};
  });
}
QF_API void qf_variants_destroy(qf_variants* variants) { delete variants; }
QF_API qf_status qf_variants_size(const qf_variants* variants, size_t* n_variants, size_t* n_activities) {
  return guard([&] {
    const auto& v = handle_of(variants, "variants").v;
    if (n_variants) *n_variants = v.size();
    if (n_activities) *n_activities = v.activities.size();
  });
}
QF_API qf_status qf_variants_columns(const qf_variants* variants, int64_t* offsets, int64_t* count, int64_t* first_case,
                                     size_t n_variants, int32_t* activities, size_t n_activities) {
  return guard([&] {
    const auto& v = handle_of(variants, "variants").v;
    if (n_variants != v.size()) fail(errc::invalid_argument, "n_variants is ", n_variants, "; there are ", v.size(), " variants");
    if (offsets) std::copy(v.offsets.begin(), v.offsets.end(), offsets);
    copy_out(v.count, count, n_variants, "count");
    copy_out(v.first_case, first_case, n_variants, "first_case");
    copy_out(v.activities, activities, n_activities, "activities");
  });
}
QF_API qf_status qf_variants_of_cases(const qf_variants* variants, int32_t* out, size_t n_cases) {
  return guard([&] {
    const auto& v = handle_of(variants, "variants").v;
    require_column(out, n_cases, "out");
    if (n_cases != v.case_variant.size())
      fail(errc::invalid_argument, "n_cases is ", n_cases, "; the log has ", v.case_variant.size(), " cases");
    std::copy(v.case_variant.begin(), v.case_variant.end(), out);
  });
}

/* ---- temporal profile and conformance ---- */
QF_API qf_status qf_temporal_profile_create(qf_temporal_profile** out, const qf_log* log) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new qf_temporal_profile{temporal_profile(log_of(log))};
  });
}
QF_API qf_status qf_temporal_profile_from_columns(qf_temporal_profile** out, const char* const* activity_names,
                                                  size_t n_activities, const int32_t* source, const int32_t* target,
                                                  const double* mean, const double* stdev, size_t n) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(source, n, "source");
    require_column(target, n, "target");
    require_column(mean, n, "mean");
    require_column(stdev, n, "stdev");
    *out = new qf_temporal_profile{TemporalProfile::from_columns(names_from(activity_names, n_activities, "activity_names"),
                                                                 {source, n}, {target, n}, {mean, n}, {stdev, n})};
  });
}
QF_API void qf_temporal_profile_destroy(qf_temporal_profile* profile) { delete profile; }
QF_API qf_status qf_temporal_profile_size(const qf_temporal_profile* profile, size_t* n_pairs) {
  return guard([&] {
    const auto& p = handle_of(profile, "profile").p;
    require(n_pairs, "n_pairs");
    *n_pairs = p.size();
  });
}
QF_API qf_status qf_temporal_profile_columns(const qf_temporal_profile* profile, int32_t* source, int32_t* target,
                                             int64_t* count, double* mean, double* stdev, size_t capacity) {
  return guard([&] {
    const auto& p = handle_of(profile, "profile").p;
    copy_out(p.source, source, capacity, "source");
    copy_out(p.target, target, capacity, "target");
    copy_out(p.count, count, capacity, "count");
    copy_out(p.mean, mean, capacity, "mean");
    copy_out(p.stdev, stdev, capacity, "stdev");
  });
}

QF_API qf_status qf_temporal_conformance_create(qf_temporal_deviations** out, const qf_log* log,
                                                const qf_temporal_profile* profile, double zeta) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const EventLog& l = log_of(log);
    *out = new qf_temporal_deviations{temporal_conformance(l, handle_of(profile, "profile").p, zeta)};
  });
}
QF_API void qf_temporal_deviations_destroy(qf_temporal_deviations* deviations) { delete deviations; }
QF_API qf_status qf_temporal_deviations_size(const qf_temporal_deviations* deviations, size_t* n) {
  return guard([&] {
    const auto& d = handle_of(deviations, "deviations").d;
    require(n, "n");
    *n = d.size();
  });
}
QF_API qf_status qf_temporal_deviations_columns(const qf_temporal_deviations* deviations, int64_t* case_index,
                                                int32_t* source_position, int32_t* target_position, int32_t* source,
                                                int32_t* target, double* seconds, double* zeta, size_t capacity) {
  return guard([&] {
    const auto& d = handle_of(deviations, "deviations").d;
    copy_out(d.case_index, case_index, capacity, "case_index");
    copy_out(d.source_position, source_position, capacity, "source_position");
    copy_out(d.target_position, target_position, capacity, "target_position");
    copy_out(d.source, source, capacity, "source");
    copy_out(d.target, target, capacity, "target");
    copy_out(d.seconds, seconds, capacity, "seconds");
    copy_out(d.zeta, zeta, capacity, "zeta");
  });
}

}  // extern "C"
