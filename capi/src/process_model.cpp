// C ABI: process models (builder, JSON, DOT, validate, analyses) and conformance checks of
// event logs against them. Handles wrap the C++ values; results are library-owned handles read
// through accessors that copy columns into caller buffers (NULL skips a column).
#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "calendar_handle.hpp"
#include "process_log_handle.hpp"
#include "quotaflow/process/analysis.hpp"
#include "quotaflow/process/check.hpp"
#include "quotaflow/process/dot.hpp"
#include "quotaflow/process/model_json.hpp"
#include "quotaflow/process/validate.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;
using namespace quotaflow::process;

struct qf_process_model {
  ProcessModel m;
};
struct qf_process_problems {
  std::vector<Problem> p;
};
struct qf_process_fit {
  ModelFit f;
};
struct qf_process_check {
  CheckResult r;
};

namespace {

const ProcessModel& model_of(const qf_process_model* m) {
  require(m, "model");
  return m->m;
}
ProcessModel& mutable_model(qf_process_model* m) {
  require(m, "model");
  return m->m;
}
template <class H>
const H& result_of(const H* h, const char* name) {
  require(h, name);
  return *h;
}

// Negative or NaN means "not set" at the C ABI.
double optional(double v) { return std::isnan(v) || v < 0 ? unset : v; }
std::string text_or_empty(const char* s) { return s ? std::string(s) : std::string(); }

void check_version(uint32_t got, uint32_t known, const char* what, const char* init) {
  if (got != known)
    fail(errc::invalid_argument, what, "->version is ", got, "; this library knows version ", known, " (initialise with ", init, ")");
}

// Copies n_have values into an optional caller column of n entries (n must match exactly).
template <class T, class U>
void column_out(gsl::span<const U> values, T* out, size_t n, const char* name) {
  if (out == nullptr) return;
  if (n != values.size()) fail(errc::invalid_argument, name, ": n is ", n, " but ", values.size(), " values are available");
  for (size_t i = 0; i < values.size(); ++i) out[i] = static_cast<T>(values[i]);
}
template <class T, class U>
void column_out(const std::vector<U>& values, T* out, size_t n, const char* name) {
  column_out<T, U>(gsl::span<const U>(values), out, n, name);
}
template <class T, class F>
void column_from(size_t count, T* out, size_t n, const char* name, F&& get) {
  if (out == nullptr) return;
  if (n != count) fail(errc::invalid_argument, name, ": n is ", n, " but ", count, " values are available");
  for (size_t i = 0; i < count; ++i) out[i] = get(i);
}

// Writes a vector of stage indexes with the size-query convention.
void stages_out(const std::vector<int32_t>& v, int32_t* out, size_t capacity, size_t* count) {
  require(count, "count");
  *count = v.size();
  if (out == nullptr && capacity == 0) return;
  require(out, "stages");
  if (capacity < v.size()) fail(errc::buffer_too_small, "capacity is ", capacity, " but ", v.size(), " stages are needed");
  std::copy(v.begin(), v.end(), out);
}

void publish(qf_process_model** out, ProcessModel&& m) { *out = new qf_process_model{std::move(m)}; }

}  // namespace

extern "C" {

QF_API qf_status qf_process_model_create(qf_process_model** out, const char* name, int32_t duration_unit) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    if (duration_unit < 0 || duration_unit > 2)
      fail(errc::invalid_argument, "duration_unit is ", duration_unit, "; expected 0 (calendar days), 1 (working days) or 2 (hours)");
    publish(out, ProcessModel(text_or_empty(name), static_cast<DurationUnit>(duration_unit)));
  });
}

QF_API void qf_process_model_destroy(qf_process_model* model) { delete model; }

QF_API qf_status qf_process_model_add_stage(qf_process_model* model, const qf_process_stage* stage, int32_t* index) {
  return guard([&] {
    ProcessModel& m = mutable_model(model);
    require(stage, "stage");
    check_version(stage->version, QF_PROCESS_STAGE_VERSION, "stage", "QF_PROCESS_STAGE_INIT");
    require(stage->name, "stage->name");
    if (stage->terminal < 0 || stage->terminal > 2)
      fail(errc::invalid_argument, "stage->terminal is ", stage->terminal, "; expected 0 (none), 1 (won) or 2 (lost)");
    Stage s;
    s.name = stage->name;
    s.role = text_or_empty(stage->role);
    s.department = text_or_empty(stage->department);
    s.win_probability = optional(stage->win_probability);
    s.expected_duration = optional(stage->expected_duration);
    s.max_duration = optional(stage->max_duration);
    s.required = stage->required != 0;
    s.terminal = static_cast<TerminalKind>(stage->terminal);
    const int32_t i = m.add_stage(std::move(s));
    if (index) *index = i;
  });
}

QF_API qf_status qf_process_model_add_activity(qf_process_model* model, int32_t stage, const qf_process_activity* activity,
                                               int32_t* index) {
  return guard([&] {
    ProcessModel& m = mutable_model(model);
    require(activity, "activity");
    check_version(activity->version, QF_PROCESS_ACTIVITY_VERSION, "activity", "QF_PROCESS_ACTIVITY_INIT");
    require(activity->name, "activity->name");
    Activity a;
    a.name = activity->name;
    a.stage = stage;
    a.role = text_or_empty(activity->role);
    a.required = activity->required != 0;
    a.due_within = optional(activity->due_within);
    const int32_t i = m.add_activity(std::move(a));
    if (index) *index = i;
  });
}

QF_API qf_status qf_process_model_add_transition(qf_process_model* model, const qf_process_transition* transition,
                                                 int32_t* index) {
  return guard([&] {
    ProcessModel& m = mutable_model(model);
    require(transition, "transition");
    check_version(transition->version, QF_PROCESS_TRANSITION_VERSION, "transition", "QF_PROCESS_TRANSITION_INIT");
    if (transition->kind < 0 || transition->kind > 2)
      fail(errc::invalid_argument, "transition->kind is ", transition->kind, "; expected 0 (forward), 1 (rework) or 2 (skip)");
    const int32_t i = m.add_transition(Transition{transition->from, transition->to, static_cast<TransitionKind>(transition->kind),
                                                  optional(transition->probability), optional(transition->max_lead_time)});
    if (index) *index = i;
  });
}

QF_API qf_status qf_process_model_set_start(qf_process_model* model, int32_t stage) {
  return guard([&] { mutable_model(model).set_start(stage); });
}

QF_API qf_status qf_process_model_find_stage(const qf_process_model* model, const char* name, int32_t* index) {
  return guard([&] {
    const ProcessModel& m = model_of(model);
    require(name, "name");
    require(index, "index");
    *index = m.stage_index(name);
  });
}

QF_API qf_status qf_process_model_info(const qf_process_model* model, size_t* n_stages, size_t* n_activities,
                                       size_t* n_transitions, int32_t* start, int32_t* duration_unit) {
  return guard([&] {
    const ProcessModel& m = model_of(model);
    if (n_stages) *n_stages = m.num_stages();
    if (n_activities) *n_activities = m.activities().size();
    if (n_transitions) *n_transitions = m.transitions().size();
    if (start) *start = m.start();
    if (duration_unit) *duration_unit = static_cast<int32_t>(m.duration_unit());
  });
}

QF_API qf_status qf_process_model_stage_name(const qf_process_model* model, int32_t stage, char* buf, size_t capacity,
                                             size_t* needed) {
  return guard([&] { write_string(model_of(model).stage_name(stage), buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_process_model_from_json(qf_process_model** out, const char* text, size_t length) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(text, length, "text");
    publish(out, model_from_json(std::string_view(text ? text : "", length)));
  });
}

QF_API qf_status qf_process_model_load(qf_process_model** out, const char* path) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    publish(out, load_model(path));
  });
}

QF_API qf_status qf_process_model_save(const qf_process_model* model, const char* path) {
  return guard([&] {
    const ProcessModel& m = model_of(model);
    require(path, "path");
    save_model(m, path);
  });
}

QF_API qf_status qf_process_model_to_json(const qf_process_model* model, char* buf, size_t capacity, size_t* needed) {
  return guard([&] { write_string(to_json(model_of(model)), buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_process_model_to_dot(const qf_process_model* model, const qf_process_fit* fit, char* buf,
                                         size_t capacity, size_t* needed) {
  return guard([&] { write_string(to_dot(model_of(model), fit ? &fit->f : nullptr), buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_process_model_validate(const qf_process_model* model, qf_process_problems** out) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new qf_process_problems{validate(model_of(model))};
  });
}

QF_API void qf_process_problems_destroy(qf_process_problems* problems) { delete problems; }

QF_API qf_status qf_process_problems_count(const qf_process_problems* problems, size_t* n) {
  return guard([&] {
    const auto& p = result_of(problems, "problems").p;
    require(n, "n");
    *n = p.size();
  });
}

QF_API qf_status qf_process_problems_get(const qf_process_problems* problems, size_t i, int32_t* kind, int32_t* stage,
                                         const char** message) {
  return guard([&] {
    const auto& p = result_of(problems, "problems").p;
    if (i >= p.size()) fail(errc::out_of_range, "i is ", i, "; there are ", p.size(), " problems");
    if (kind) *kind = static_cast<int32_t>(p[i].kind);
    if (stage) *stage = p[i].stage;
    if (message) *message = p[i].message.c_str();
  });
}

QF_API qf_status qf_process_model_mandatory_stages(const qf_process_model* model, int32_t* stages, size_t capacity,
                                                   size_t* count) {
  return guard([&] {
    if (count) *count = 0;
    stages_out(mandatory_stages(model_of(model)), stages, capacity, count);
  });
}

QF_API qf_status qf_process_model_critical_path(const qf_process_model* model, int32_t* stages, size_t capacity,
                                                size_t* count, double* total) {
  return guard([&] {
    if (count) *count = 0;
    CriticalPath cp = critical_path(model_of(model));
    if (total) *total = cp.total;
    stages_out(cp.stages, stages, capacity, count);
  });
}

/* ---- fit ---- */
QF_API qf_status qf_process_fit_create(qf_process_fit** out, const qf_process_model* model, const qf_log* log) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    *out = new qf_process_fit{fit(model_of(model), log_of(log))};
  });
}

QF_API void qf_process_fit_destroy(qf_process_fit* fit) { delete fit; }

QF_API qf_status qf_process_fit_stages(const qf_process_fit* fit, double* win_probability,
                                       double* expected_seconds_to_terminal, double* sojourn_mean_seconds,
                                       double* sojourn_median_seconds, int64_t* stays, size_t n) {
  return guard([&] {
    const ModelFit& f = result_of(fit, "fit").f;
    column_out(f.win_probability, win_probability, n, "win_probability");
    column_out(f.expected_seconds_to_terminal, expected_seconds_to_terminal, n, "expected_seconds_to_terminal");
    column_out(f.sojourn_mean_seconds, sojourn_mean_seconds, n, "sojourn_mean_seconds");
    column_out(f.sojourn_median_seconds, sojourn_median_seconds, n, "sojourn_median_seconds");
    column_out(f.stays, stays, n, "stays");
  });
}

QF_API qf_status qf_process_fit_funnel(const qf_process_fit* fit, int64_t* entered, int64_t* won, int64_t* lost,
                                       int64_t* open, size_t n) {
  return guard([&] {
    const ModelFit& f = result_of(fit, "fit").f;
    column_out(f.cases_entered, entered, n, "entered");
    column_out(f.cases_won, won, n, "won");
    column_out(f.cases_lost, lost, n, "lost");
    column_out(f.cases_open, open, n, "open");
  });
}

QF_API qf_status qf_process_fit_moves(const qf_process_fit* fit, int64_t* counts, double* probabilities,
                                      double* mean_seconds, size_t n) {
  return guard([&] {
    const ModelFit& f = result_of(fit, "fit").f;
    column_out(f.move_counts, counts, n, "counts");
    column_out(f.move_probabilities, probabilities, n, "probabilities");
    column_out(f.move_mean_seconds, mean_seconds, n, "mean_seconds");
  });
}

/* ---- check ---- */
QF_API const char* qf_deviation_kind_name(int32_t kind) {
  if (kind < 0 || kind >= num_deviation_kinds) return "unknown";
  return deviation_kind_name(static_cast<DeviationKind>(kind)).data();
}

QF_API qf_status qf_process_check_create(qf_process_check** out, const qf_process_model* model, const qf_log* log,
                                         const qf_process_check_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const ProcessModel& m = model_of(model);
    const EventLog& l = log_of(log);
    CheckOptions opt;
    if (options != nullptr) {
      check_version(options->version, QF_PROCESS_CHECK_OPTIONS_VERSION, "options", "QF_PROCESS_CHECK_OPTIONS_INIT");
      if (options->calendar) opt.calendar = &calendar_of(options->calendar);
      opt.as_of = options->as_of_ns;
      opt.utc_offset_seconds = options->utc_offset_seconds;
      opt.top_paths = options->top_paths;
      require_column(options->role_resources, options->n_roles, "options->role_resources");
      require_column(options->role_names, options->n_roles, "options->role_names");
      for (size_t i = 0; i < options->n_roles; ++i) {
        if (!options->role_resources[i]) fail(errc::null_pointer, "options->role_resources[", i, "] is NULL");
        if (!options->role_names[i]) fail(errc::null_pointer, "options->role_names[", i, "] is NULL");
        opt.resource_roles[options->role_resources[i]] = options->role_names[i];
      }
    }
    *out = new qf_process_check{check(m, l, opt)};
  });
}

QF_API void qf_process_check_destroy(qf_process_check* check) { delete check; }

QF_API qf_status qf_process_check_info(const qf_process_check* check, size_t* n_cases, size_t* n_deviations,
                                       int64_t* fitting_cases, int64_t* conforming_cases, double* mean_fitness) {
  return guard([&] {
    const CheckResult& r = result_of(check, "check").r;
    if (n_cases) *n_cases = r.num_cases();
    if (n_deviations) *n_deviations = r.deviations().size();
    if (fitting_cases) *fitting_cases = r.summary().fitting_cases;
    if (conforming_cases) *conforming_cases = r.summary().conforming_cases;
    if (mean_fitness) *mean_fitness = r.summary().mean_fitness;
  });
}

QF_API qf_status qf_process_check_cases(const qf_process_check* check, double* fitness, int32_t* final_stage,
                                        int32_t* outcome, int64_t* n_deviations, size_t n) {
  return guard([&] {
    const CheckResult& r = result_of(check, "check").r;
    column_out(r.fitness(), fitness, n, "fitness");
    column_out(r.final_stage(), final_stage, n, "final_stage");
    column_out(r.outcome(), outcome, n, "outcome");
    const auto off = r.deviation_offsets();
    column_from(r.num_cases(), n_deviations, n, "n_deviations", [&](size_t c) { return off[c + 1] - off[c]; });
  });
}

QF_API qf_status qf_process_check_tokens(const qf_process_check* check, int32_t* produced, int32_t* consumed,
                                         int32_t* missing, int32_t* remaining, size_t n) {
  return guard([&] {
    const CheckResult& r = result_of(check, "check").r;
    column_out(r.produced(), produced, n, "produced");
    column_out(r.consumed(), consumed, n, "consumed");
    column_out(r.missing(), missing, n, "missing");
    column_out(r.remaining(), remaining, n, "remaining");
  });
}

QF_API qf_status qf_process_check_deviations(const qf_process_check* check, int32_t* kind, int64_t* case_index,
                                             int32_t* stage, int32_t* detail, double* value, double* limit, size_t n) {
  return guard([&] {
    const auto& d = result_of(check, "check").r.deviations();
    column_from(d.size(), kind, n, "kind", [&](size_t i) { return static_cast<int32_t>(d[i].kind); });
    column_from(d.size(), case_index, n, "case_index", [&](size_t i) { return d[i].case_index; });
    column_from(d.size(), stage, n, "stage", [&](size_t i) { return d[i].stage; });
    column_from(d.size(), detail, n, "detail", [&](size_t i) { return d[i].detail; });
    column_from(d.size(), value, n, "value", [&](size_t i) { return d[i].value; });
    column_from(d.size(), limit, n, "limit", [&](size_t i) { return d[i].limit; });
  });
}

QF_API qf_status qf_process_check_deviation_events(const qf_process_check* check, int64_t* first_position,
                                                   int64_t* second_position, int32_t* first_activity,
                                                   int32_t* second_activity, int64_t* first_time_ns,
                                                   int64_t* second_time_ns, size_t n) {
  return guard([&] {
    const auto& d = result_of(check, "check").r.deviations();
    column_from(d.size(), first_position, n, "first_position", [&](size_t i) { return d[i].first_position; });
    column_from(d.size(), second_position, n, "second_position", [&](size_t i) { return d[i].second_position; });
    column_from(d.size(), first_activity, n, "first_activity", [&](size_t i) { return d[i].first_activity; });
    column_from(d.size(), second_activity, n, "second_activity", [&](size_t i) { return d[i].second_activity; });
    column_from(d.size(), first_time_ns, n, "first_time_ns", [&](size_t i) { return d[i].first_time; });
    column_from(d.size(), second_time_ns, n, "second_time_ns", [&](size_t i) { return d[i].second_time; });
  });
}

QF_API qf_status qf_process_check_message(const qf_process_check* check, size_t i, char* buf, size_t capacity,
                                          size_t* needed) {
  return guard([&] {
    const CheckResult& r = result_of(check, "check").r;
    if (i >= r.deviations().size()) fail(errc::out_of_range, "i is ", i, "; there are ", r.deviations().size(), " deviations");
    write_string(r.message(i), buf, capacity, needed, "buf");
  });
}

QF_API qf_status qf_process_check_by_kind(const qf_process_check* check, int64_t* counts, size_t n) {
  return guard([&] {
    const auto& k = result_of(check, "check").r.summary().by_kind;
    require(counts, "counts");
    column_out(gsl::span<const int64_t>(k.data(), k.size()), counts, n, "counts");
  });
}

QF_API qf_status qf_process_check_by_stage(const qf_process_check* check, int64_t* counts, size_t n) {
  return guard([&] {
    const auto& s = result_of(check, "check").r.summary().by_stage;
    require(counts, "counts");
    column_out(s, counts, n, "counts");
  });
}

QF_API qf_status qf_process_check_path_count(const qf_process_check* check, size_t* n_paths) {
  return guard([&] {
    const CheckResult& r = result_of(check, "check").r;
    require(n_paths, "n_paths");
    *n_paths = r.summary().top_paths.size();
  });
}

QF_API qf_status qf_process_check_path(const qf_process_check* check, size_t i, int32_t* stages, size_t capacity,
                                       size_t* count, int64_t* cases) {
  return guard([&] {
    const auto& paths = result_of(check, "check").r.summary().top_paths;
    if (count) *count = 0;
    if (i >= paths.size()) fail(errc::out_of_range, "i is ", i, "; there are ", paths.size(), " paths");
    if (cases) *cases = paths[i].cases;
    stages_out(paths[i].stages, stages, capacity, count);
  });
}

}  // extern "C"
