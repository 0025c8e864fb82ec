// Conformance checking: replay every case of an event log on a process model and report, per
// case, a fitness in [0, 1] and every deviation, with a plain-language message for each.
//
//   CheckOptions opt;
//   opt.calendar = &cn;                      // needed when the model counts working days
//   opt.as_of = timestamp_ns("2026-07-01");  // open cases idle beyond their stage's maximum
//   CheckResult r = check(model, log, opt);
//   for (size_t i = 0; i < r.deviations().size(); ++i) std::puts(r.message(i).c_str());
//
// Events map onto the model by name (event_map.hpp). Replay, per case, in log order:
//   - a stage entry moves the case from its current stage to that stage. A declared transition
//     is fine (a rework transition is reported as `rework`, which is allowed and only counted);
//     an undeclared one is `backward_move` when the case could have come from the new stage to
//     the old one along forward/skip transitions (or re-enters its own stage), otherwise
//     `illegal_transition`, plus one `skipped_required_stage` for every required stage lying on
//     a forward path between the two. The first stage entry of a case must be the start stage;
//     otherwise it is an `illegal_transition` from the start, skipping required stages the same way.
//   - leaving a stage: `overstay` when the stay (entry to the next stage entry) is longer than
//     the stage's max_duration; `missing_required_activity` for each required activity of the
//     stage not done during the stay; `handoff_too_slow` when the transition has a max_lead_time
//     and the time from the last event in the old stage to the entry of the new one exceeds it.
//   - an activity of the current stage is done; `late_activity` when it comes later than its
//     due_within after the stage entry. An activity of another stage, an activity before any
//     stage entry, and an event matching nothing in the model are `unknown_activity`.
//   - `wrong_role`, when a resource-to-role map is given: the event's resource has a role other
//     than the stage's role (stage entries) or the activity's role (its own, else its stage's).
//     Events without a resource, resources missing from the map, and stages/activities without
//     a role are not checked.
//   - at the end of the case: a case whose last stage is terminal is closed (its last stage's
//     required activities are checked; if it is a won stage, every required stage never visited
//     and not yet reported is a `skipped_required_stage`). Otherwise the case is open, and with
//     as_of set it is `open_too_long` when as_of minus its entry into the current stage exceeds
//     that stage's max_duration.
// Durations are measured in the model's unit: hours and calendar days from the nanosecond
// difference (exact, fractional); working days as the number of working days of the calendar in
// [local date of the earlier time, local date of the later time), local dates taken with
// utc_offset_seconds. A limit is exceeded when the duration is strictly above it.
//
// Fitness (token replay on the stage graph). Counters per case, starting at produced = 1 (the
// token of the case put in front of the start stage) and 0 for the rest:
//   every stage entry consumes one token and produces one: consumed += 1, produced += 1;
//   a stage entry that the model does not allow (undeclared transition, or a first stage other
//   than the start) finds no token: missing += 1, and the token it should have used stays behind
//   in the old stage: remaining += 1;
//   a case that ends in a terminal stage hands its token to the end: consumed += 1. An open case
//   is replayed as a prefix: its token in the current stage is neither remaining nor missing.
//   fitness = 1/2 (1 - missing/consumed) + 1/2 (1 - remaining/produced), a ratio with a zero
//   denominator counting as 0. Activity events move no token, so fitness is about the stage path
//   only; deviations report the rest. A case is `fitting` when its fitness is 1 and `conforming`
//   when it has no deviation other than rework.
//
// Check needs a valid model (validate() empty). Cost: O(events + deviations), independent of the
// model's size except for skipped-stage detection on undeclared moves (O(required stages)).
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/process/event_log.hpp"
#include "quotaflow/process/event_map.hpp"
#include "quotaflow/process/model.hpp"
#include "quotaflow/process/stage_graph.hpp"
#include "quotaflow/process/validate.hpp"

namespace quotaflow::process {

// Stable values (C ABI, Python).
enum class DeviationKind : uint8_t {
  unknown_activity = 0,
  illegal_transition = 1,
  skipped_required_stage = 2,
  backward_move = 3,
  rework = 4,
  overstay = 5,
  missing_required_activity = 6,
  wrong_role = 7,
  handoff_too_slow = 8,
  open_too_long = 9,
  late_activity = 10,
};
inline constexpr int num_deviation_kinds = 11;

constexpr std::string_view deviation_kind_name(DeviationKind k) noexcept {
  switch (k) {
    case DeviationKind::unknown_activity: return "unknown_activity";
    case DeviationKind::illegal_transition: return "illegal_transition";
    case DeviationKind::skipped_required_stage: return "skipped_required_stage";
    case DeviationKind::backward_move: return "backward_move";
    case DeviationKind::rework: return "rework";
    case DeviationKind::overstay: return "overstay";
    case DeviationKind::missing_required_activity: return "missing_required_activity";
    case DeviationKind::wrong_role: return "wrong_role";
    case DeviationKind::handoff_too_slow: return "handoff_too_slow";
    case DeviationKind::open_too_long: return "open_too_long";
    case DeviationKind::late_activity: return "late_activity";
  }
  return "?";
}

// How a case stands after replay.
enum class CaseOutcome : uint8_t { not_started = 0, open = 1, won = 2, lost = 3 };
constexpr std::string_view case_outcome_name(CaseOutcome o) noexcept {
  switch (o) {
    case CaseOutcome::not_started: return "not_started";
    case CaseOutcome::open: return "open";
    case CaseOutcome::won: return "won";
    case CaseOutcome::lost: return "lost";
  }
  return "?";
}

// One deviation. Positions are 0-based event positions within the case (-1 = none); the
// activities are log activity ids at those positions; the times are ns since the epoch (nat_ns =
// none; open_too_long has as_of as its second time).
//   first/second:  the earlier and the later event the deviation is about: the two stage entries
//                  of a move, a stage entry and the event that left the stage (overstay,
//                  missing_required_activity), a stage entry and a late activity, the last event
//                  in a stage and the next entry (handoff_too_slow); single-event deviations
//                  (unknown_activity, wrong_role) have only `second`.
//   stage:         the model stage concerned (the new stage of a move, the skipped stage, the
//                  stage overstayed, left or handed off from); -1 for none.
//   detail:        the old stage of a move (illegal_transition, backward_move, rework,
//                  skipped_required_stage; -1 at the case start, and -2 for a required stage
//                  found missing when a won stage is reached); the model activity
//                  (missing_required_activity, late_activity, unknown_activity of another
//                  stage, else -1); the log resource (wrong_role); the transition (handoff_too_slow).
//   value, limit:  the measured duration and its limit in the model's unit (NaN otherwise).
struct Deviation {
  int64_t case_index = 0;
  int64_t first_position = -1, second_position = -1;
  int64_t first_time = nat_ns, second_time = nat_ns;
  int32_t first_activity = -1, second_activity = -1;
  int32_t stage = -1;
  int32_t detail = -1;
  double value = unset, limit = unset;
  DeviationKind kind = DeviationKind::unknown_activity;
};

struct CheckOptions {
  const Calendar* calendar = nullptr;  // required when the model's unit is working_days
  int64_t as_of = nat_ns;              // ns since the epoch; nat_ns: open cases are not judged
  int64_t utc_offset_seconds = 0;      // local dates for working days: UTC + this offset
  // resource name -> role; empty: no role check.
  std::unordered_map<std::string, std::string> resource_roles;
  size_t top_paths = 10;  // how many of the most frequent deviating paths the summary keeps
};

struct PathCount {
  std::vector<int32_t> stages;  // the stage entries of the case, in order
  int64_t cases = 0;
};

struct CheckSummary {
  int64_t cases = 0;
  int64_t fitting_cases = 0;     // fitness == 1
  int64_t conforming_cases = 0;  // no deviation other than rework
  double mean_fitness = 1.0;
  std::array<int64_t, num_deviation_kinds> by_kind{};
  std::vector<int64_t> by_stage;    // num_stages x num_deviation_kinds, row-major
  std::vector<PathCount> top_paths;  // deviating cases' stage paths, most frequent first

  [[nodiscard]] double fitting_share() const noexcept { return cases ? double(fitting_cases) / double(cases) : 1.0; }
  [[nodiscard]] double conforming_share() const noexcept { return cases ? double(conforming_cases) / double(cases) : 1.0; }
  [[nodiscard]] int64_t count(DeviationKind k) const noexcept { return by_kind[static_cast<size_t>(k)]; }
  [[nodiscard]] int64_t count(int32_t stage, DeviationKind k) const {
    return by_stage.at(static_cast<size_t>(stage) * num_deviation_kinds + static_cast<size_t>(k));
  }
};

namespace detail {
class Checker;
}

class CheckResult {
 public:
  // --- per case, in the log's case order -------------------------------------------------------
  [[nodiscard]] size_t num_cases() const noexcept { return fitness_.size(); }
  [[nodiscard]] gsl::span<const double> fitness() const noexcept { return fitness_; }
  [[nodiscard]] gsl::span<const int32_t> produced() const noexcept { return produced_; }
  [[nodiscard]] gsl::span<const int32_t> consumed() const noexcept { return consumed_; }
  [[nodiscard]] gsl::span<const int32_t> missing() const noexcept { return missing_; }
  [[nodiscard]] gsl::span<const int32_t> remaining() const noexcept { return remaining_; }
  [[nodiscard]] gsl::span<const int32_t> final_stage() const noexcept { return final_stage_; }  // -1: none
  [[nodiscard]] gsl::span<const uint8_t> outcome() const noexcept { return outcome_; }          // CaseOutcome
  // num_cases()+1 entries: the deviations of case c are [deviation_offsets()[c], [c+1]).
  [[nodiscard]] gsl::span<const int64_t> deviation_offsets() const noexcept { return offsets_; }

  // --- deviations, grouped by case in case order, each case's in replay order -----------------
  [[nodiscard]] const std::vector<Deviation>& deviations() const noexcept { return deviations_; }
  [[nodiscard]] const CheckSummary& summary() const noexcept { return summary_; }

  // Plain-language message of deviation i ("moved from stage \"lead\" to \"proposal\", which
  // the process does not allow").
  [[nodiscard]] std::string message(size_t i) const;
  // "lead > qualification > proposal" for summary().top_paths[i].
  [[nodiscard]] std::string path_text(size_t i) const {
    const auto& p = summary_.top_paths.at(i);
    std::string s;
    for (int32_t st : p.stages) s += (s.empty() ? "" : " > ") + model_.stage_name(st);
    return s;
  }
  [[nodiscard]] const ProcessModel& model() const noexcept { return model_; }

 private:
  friend class detail::Checker;
  std::vector<double> fitness_;
  std::vector<int32_t> produced_, consumed_, missing_, remaining_, final_stage_;
  std::vector<uint8_t> outcome_;
  std::vector<int64_t> offsets_;
  std::vector<Deviation> deviations_;
  CheckSummary summary_;
  // Context for messages, so a result outlives the model and the log it came from.
  ProcessModel model_;
  std::vector<std::string> activity_names_, resource_names_;
  std::vector<std::string> resource_roles_;  // per log resource, "" when unmapped
};

namespace detail {

inline std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

inline std::string format_duration(double v, DurationUnit u) {
  char buf[64];
  if (u == DurationUnit::working_days) std::snprintf(buf, sizeof buf, "%.0f working days", v);
  else std::snprintf(buf, sizeof buf, "%.1f %s", v, u == DurationUnit::hours ? "hours" : "calendar days");
  return buf;
}
inline std::string format_limit(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// A duration limit in the model's unit, precomputed for the hot loop.
struct Limit {
  bool set = false;
  double max = 0;                                      // in the unit
  int64_t ns = std::numeric_limits<int64_t>::max();  // hours/calendar days: exceeded when d > ns
};

class Checker {
 public:
  Checker(const ProcessModel& m, const EventLog& log, const CheckOptions& opt) : m_(m), log_(log), opt_(opt) {
    require_valid(m, "check");
    n_ = m.num_stages();
    unit_ = m.duration_unit();
    if (unit_ == DurationUnit::working_days && m.has_durations() && opt.calendar == nullptr)
      fail(errc::invalid_argument, "the model counts durations in working days; check needs a calendar");
    if (opt.utc_offset_seconds < -86400 || opt.utc_offset_seconds > 86400)
      fail(errc::invalid_argument, "utc_offset_seconds is ", opt.utc_offset_seconds, "; expected -86400..86400");
    unit_ns_ = unit_ == DurationUnit::hours ? 3'600'000'000'000.0 : 86'400'000'000'000.0;
    map_ = map_events(m, log);

    const auto& st = m.stages();
    trans_.assign(n_ * n_, -1);
    for (size_t i = 0; i < m.transitions().size(); ++i) {
      const auto& t = m.transitions()[i];
      trans_[static_cast<size_t>(t.from) * n_ + static_cast<size_t>(t.to)] = static_cast<int32_t>(i);
    }
    reach_ = reachability(stage_graph(m, false));
    stage_max_.resize(n_);
    terminal_.resize(n_);
    for (size_t s = 0; s < n_; ++s) {
      stage_max_[s] = limit(st[s].max_duration);
      terminal_[s] = static_cast<uint8_t>(st[s].terminal);
      if (st[s].required) required_.push_back(static_cast<int32_t>(s));
    }
    for (const auto& t : m.transitions()) lead_max_.push_back(limit(t.max_lead_time));
    const auto& acts = m.activities();
    act_stage_.resize(acts.size());
    act_due_.resize(acts.size());
    req_offsets_.assign(n_ + 1, 0);
    for (size_t k = 0; k < acts.size(); ++k) {
      act_stage_[k] = acts[k].stage;
      act_due_[k] = limit(acts[k].due_within);
      if (acts[k].required) ++req_offsets_[static_cast<size_t>(acts[k].stage) + 1];
    }
    for (size_t s = 0; s < n_; ++s) req_offsets_[s + 1] += req_offsets_[s];
    req_acts_.resize(static_cast<size_t>(req_offsets_[n_]));
    {
      std::vector<int32_t> fill(req_offsets_.begin(), req_offsets_.end() - 1);
      for (size_t k = 0; k < acts.size(); ++k)
        if (acts[k].required) req_acts_[static_cast<size_t>(fill[static_cast<size_t>(acts[k].stage)]++)] = static_cast<int32_t>(k);
    }
    setup_roles();
  }

  CheckResult run() {
    CheckResult r;
    const size_t nc = log_.num_cases();
    r.fitness_.resize(nc);
    r.produced_.resize(nc);
    r.consumed_.resize(nc);
    r.missing_.resize(nc);
    r.remaining_.resize(nc);
    r.final_stage_.resize(nc);
    r.outcome_.resize(nc);
    r.offsets_.resize(nc + 1);
    r.offsets_[0] = 0;
    visited_.assign(n_, 0);
    skip_reported_.assign(n_, 0);
    done_.assign(m_.activities().size(), 0);
    out_ = &r.deviations_;
    CheckSummary& sum = r.summary_;
    sum.by_stage.assign(n_ * num_deviation_kinds, 0);
    sum.cases = static_cast<int64_t>(nc);
    std::unordered_map<std::string, int64_t> paths;
    double fitness_sum = 0;

    const auto offsets = log_.case_offsets();
    for (size_t c = 0; c < nc; ++c) {
      const size_t before = out_->size();
      CaseCounts k = replay(c, static_cast<size_t>(offsets[c]), static_cast<size_t>(offsets[c + 1]));
      const double f = 0.5 * (1.0 - (k.consumed ? double(k.missing) / k.consumed : 0.0)) +
                       0.5 * (1.0 - (k.produced ? double(k.remaining) / k.produced : 0.0));
      r.fitness_[c] = f;
      r.produced_[c] = k.produced;
      r.consumed_[c] = k.consumed;
      r.missing_[c] = k.missing;
      r.remaining_[c] = k.remaining;
      r.final_stage_[c] = k.final_stage;
      r.outcome_[c] = static_cast<uint8_t>(k.outcome);
      r.offsets_[c + 1] = static_cast<int64_t>(out_->size());
      fitness_sum += f;
      if (f == 1.0) ++sum.fitting_cases;
      bool conforming = true;
      for (size_t i = before; i < out_->size(); ++i) {
        const Deviation& d = (*out_)[i];
        ++sum.by_kind[static_cast<size_t>(d.kind)];
        if (d.stage >= 0) ++sum.by_stage[static_cast<size_t>(d.stage) * num_deviation_kinds + static_cast<size_t>(d.kind)];
        conforming = conforming && d.kind == DeviationKind::rework;
      }
      if (conforming) {
        ++sum.conforming_cases;
      } else if (opt_.top_paths > 0) {
        ++paths[path_key(static_cast<size_t>(offsets[c]), static_cast<size_t>(offsets[c + 1]))];
      }
    }
    sum.mean_fitness = nc ? fitness_sum / double(nc) : 1.0;
    top_paths(paths, sum);

    r.model_ = m_;
    r.activity_names_ = log_.activity_names();
    r.resource_names_ = log_.resource_names();
    r.resource_roles_ = resource_role_names_;
    return r;
  }

 private:
  struct CaseCounts {
    int32_t produced = 1, consumed = 0, missing = 0, remaining = 0;
    int32_t final_stage = -1;
    CaseOutcome outcome = CaseOutcome::not_started;
  };

  const ProcessModel& m_;
  const EventLog& log_;
  const CheckOptions& opt_;
  size_t n_ = 0;
  DurationUnit unit_ = DurationUnit::calendar_days;
  double unit_ns_ = 0;
  EventMap map_;
  std::vector<int32_t> trans_;  // n x n: declared transition index or -1
  std::vector<uint8_t> reach_;  // n x n over forward/skip transitions
  std::vector<Limit> stage_max_, lead_max_, act_due_;
  std::vector<uint8_t> terminal_;
  std::vector<int32_t> required_;
  std::vector<int32_t> act_stage_;
  std::vector<int32_t> req_offsets_, req_acts_;  // required activities per stage (CSR)
  // roles: ids over the union of model roles and mapped roles; -1 = no role / not checked
  bool check_roles_ = false;
  std::vector<int32_t> stage_role_, act_role_, resource_role_;
  std::vector<std::string> resource_role_names_;
  // per-case marks, stamped with case number + 1 (or stay number) so nothing is cleared per case
  std::vector<int64_t> visited_, skip_reported_, done_;
  int64_t stay_ = 0;
  std::vector<Deviation>* out_ = nullptr;

  Limit limit(double max) const {
    Limit l;
    if (!is_set(max)) return l;
    l.set = true;
    l.max = max;
    if (unit_ != DurationUnit::working_days) {
      const double ns = std::floor(max * unit_ns_);
      l.ns = ns >= 9.2e18 ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(ns);
    }
    return l;
  }

  void setup_roles() {
    if (opt_.resource_roles.empty()) return;
    check_roles_ = true;
    std::unordered_map<std::string, int32_t> ids;
    auto id = [&](const std::string& role) -> int32_t {
      if (role.empty()) return -1;
      return ids.emplace(role, static_cast<int32_t>(ids.size())).first->second;
    };
    for (const auto& s : m_.stages()) stage_role_.push_back(id(s.role));
    for (const auto& a : m_.activities())
      act_role_.push_back(a.role.empty() ? stage_role_[static_cast<size_t>(a.stage)] : id(a.role));
    for (const auto& name : log_.resource_names()) {
      auto it = opt_.resource_roles.find(name);
      resource_role_names_.push_back(it == opt_.resource_roles.end() ? std::string() : it->second);
      resource_role_.push_back(it == opt_.resource_roles.end() ? -1 : id(it->second));
    }
  }

  int64_t local_day(int64_t t) const {
    const int64_t day_ns = 86'400'000'000'000;
    const int64_t local = t + opt_.utc_offset_seconds * 1'000'000'000;
    return local >= 0 ? local / day_ns : -((-local + day_ns - 1) / day_ns);
  }

  // The duration from t0 to t1 in the model's unit.
  double measure(int64_t t0, int64_t t1, size_t c) const {
    if (unit_ != DurationUnit::working_days) return static_cast<double>(t1 - t0) / unit_ns_;
    const int64_t d0 = local_day(t0), d1 = local_day(t1);
    if (d1 <= d0) return 0.0;
    try {
      return opt_.calendar->working_days(static_cast<Date>(d0), static_cast<Date>(d1));
    } catch (const error& e) {
      fail(e.code(), "case ", log_.case_name(c), ": counting working days: ", e.what());
    }
  }
  // Whether t1 - t0 exceeds the limit; *value receives the measured duration when it does.
  bool exceeds(const Limit& l, int64_t t0, int64_t t1, size_t c, double* value) const {
    if (!l.set) return false;
    if (unit_ != DurationUnit::working_days) {
      if (t1 - t0 <= l.ns) return false;
      *value = measure(t0, t1, c);
      return true;
    }
    *value = measure(t0, t1, c);
    return *value > l.max;
  }

  Deviation& emit(DeviationKind kind, size_t c, int32_t stage) {
    Deviation& d = out_->emplace_back();
    d.kind = kind;
    d.case_index = static_cast<int64_t>(c);
    d.stage = stage;
    return d;
  }
  void set_first(Deviation& d, size_t begin, size_t e) const {
    d.first_position = static_cast<int64_t>(e - begin);
    d.first_time = log_.timestamps()[e];
    d.first_activity = log_.activities()[e];
  }
  void set_second(Deviation& d, size_t begin, size_t e) const {
    d.second_position = static_cast<int64_t>(e - begin);
    d.second_time = log_.timestamps()[e];
    d.second_activity = log_.activities()[e];
  }

  // A deviation about two events of case c (positions relative to `begin`).
  Deviation& emit_pair(DeviationKind kind, size_t c, int32_t stage, size_t begin, size_t first_e, size_t second_e, int32_t detail) {
    Deviation& d = emit(kind, c, stage);
    set_first(d, begin, first_e);
    set_second(d, begin, second_e);
    d.detail = detail;
    return d;
  }
  // Emits `kind` when the time from event first_e to event second_e exceeds the limit.
  void check_limit(const Limit& l, DeviationKind kind, size_t c, int32_t stage, size_t begin, size_t first_e, size_t second_e,
                   int32_t detail) {
    double v = 0;
    const auto ts = log_.timestamps();
    if (!exceeds(l, ts[first_e], ts[second_e], c, &v)) return;
    Deviation& d = emit_pair(kind, c, stage, begin, first_e, second_e, detail);
    d.value = v;
    d.limit = l.max;
  }

  void check_role(size_t c, size_t begin, size_t e, int32_t needed, int32_t stage) {
    const auto res = log_.resources();
    if (!check_roles_ || needed < 0 || res.empty()) return;
    const int32_t r = res[e];
    if (r < 0) return;
    const int32_t has = resource_role_[static_cast<size_t>(r)];
    if (has < 0 || has == needed) return;
    Deviation& d = emit(DeviationKind::wrong_role, c, stage);
    set_second(d, begin, e);
    d.detail = r;
  }

  // Skipped required stages on an undeclared move from `from` (or from before the start when
  // from_start) to `to`.
  void report_skips(size_t c, size_t begin, size_t prev_e, size_t e, int32_t from, int32_t to, bool from_start,
                    int64_t stamp) {
    const size_t a = static_cast<size_t>(from_start ? m_.start() : from);
    const size_t b = static_cast<size_t>(to);
    for (int32_t rq : required_) {
      const auto r = static_cast<size_t>(rq);
      if (r == b || (!from_start && r == a)) continue;
      if (!reach_[a * n_ + r] || !reach_[r * n_ + b]) continue;
      Deviation& d = emit(DeviationKind::skipped_required_stage, c, rq);
      if (!from_start) set_first(d, begin, prev_e);
      set_second(d, begin, e);
      d.detail = from_start ? -1 : from;
      skip_reported_[r] = stamp;
    }
  }

  // The case leaves stage `cur` (entered at event entry_e) at event e (or ends when e == npos).
  void leave(size_t c, size_t begin, int32_t cur, size_t entry_e, size_t e, bool ends) {
    if (!ends) check_limit(stage_max_[static_cast<size_t>(cur)], DeviationKind::overstay, c, cur, begin, entry_e, e, -1);
    for (int32_t i = req_offsets_[static_cast<size_t>(cur)]; i < req_offsets_[static_cast<size_t>(cur) + 1]; ++i) {
      const int32_t k = req_acts_[static_cast<size_t>(i)];
      if (done_[static_cast<size_t>(k)] == stay_) continue;
      Deviation& d = emit(DeviationKind::missing_required_activity, c, cur);
      set_first(d, begin, entry_e);
      if (!ends) set_second(d, begin, e);
      d.detail = k;
    }
  }

  CaseCounts replay(size_t c, size_t begin, size_t end) {
    CaseCounts k;
    const auto acts = log_.activities();
    const auto ts = log_.timestamps();
    const int32_t* code = map_.code.data();
    const int64_t stamp = static_cast<int64_t>(c) + 1;
    const auto start = m_.start();
    int32_t cur = -1;
    size_t entry_e = 0, last_e = 0;
    for (size_t e = begin; e < end; ++e) {
      const int32_t x = code[acts[e]];
      if (EventMap::is_stage(x)) {
        const int32_t s = x;
        ++k.consumed;
        ++k.produced;
        if (cur < 0) {
          if (s != start) {
            ++k.missing;
            ++k.remaining;
            Deviation& d = emit(DeviationKind::illegal_transition, c, s);
            set_second(d, begin, e);
            report_skips(c, begin, e, e, -1, s, true, stamp);
          }
        } else {
          leave(c, begin, cur, entry_e, e, false);
          const int32_t t = trans_[static_cast<size_t>(cur) * n_ + static_cast<size_t>(s)];
          if (t >= 0) {
            const Transition& tr = m_.transitions()[static_cast<size_t>(t)];
            if (tr.kind == TransitionKind::rework) emit_pair(DeviationKind::rework, c, s, begin, entry_e, e, cur);
            check_limit(lead_max_[static_cast<size_t>(t)], DeviationKind::handoff_too_slow, c, cur, begin, last_e, e, t);
          } else {
            ++k.missing;
            ++k.remaining;
            const bool back = s == cur || reach_[static_cast<size_t>(s) * n_ + static_cast<size_t>(cur)];
            emit_pair(back ? DeviationKind::backward_move : DeviationKind::illegal_transition, c, s, begin, entry_e, e, cur);
            if (!back) report_skips(c, begin, entry_e, e, cur, s, false, stamp);
          }
        }
        if (check_roles_) check_role(c, begin, e, stage_role_[static_cast<size_t>(s)], s);
        cur = s;
        entry_e = e;
        visited_[static_cast<size_t>(s)] = stamp;
        ++stay_;
      } else if (EventMap::is_activity(x)) {
        const int32_t a = EventMap::activity_of(x);
        if (cur < 0 || act_stage_[static_cast<size_t>(a)] != cur) {
          Deviation& d = emit(DeviationKind::unknown_activity, c, cur);
          set_second(d, begin, e);
          d.detail = a;
        } else {
          done_[static_cast<size_t>(a)] = stay_;
          check_limit(act_due_[static_cast<size_t>(a)], DeviationKind::late_activity, c, cur, begin, entry_e, e, a);
          if (check_roles_) check_role(c, begin, e, act_role_[static_cast<size_t>(a)], cur);
        }
      } else {
        Deviation& d = emit(DeviationKind::unknown_activity, c, cur);
        set_second(d, begin, e);
      }
      last_e = e;
    }
    k.final_stage = cur;
    if (cur < 0) return k;
    const auto term = static_cast<TerminalKind>(terminal_[static_cast<size_t>(cur)]);
    if (term != TerminalKind::none) {
      ++k.consumed;
      k.outcome = term == TerminalKind::won ? CaseOutcome::won : CaseOutcome::lost;
      leave(c, begin, cur, entry_e, end, true);
      if (term == TerminalKind::won)
        for (int32_t rq : required_) {
          const auto r = static_cast<size_t>(rq);
          if (visited_[r] == stamp || skip_reported_[r] == stamp) continue;
          Deviation& d = emit(DeviationKind::skipped_required_stage, c, rq);
          set_second(d, begin, entry_e);
          d.detail = -2;
        }
      return k;
    }
    k.outcome = CaseOutcome::open;
    double v = 0;
    if (opt_.as_of != nat_ns && ts[entry_e] < opt_.as_of &&
        exceeds(stage_max_[static_cast<size_t>(cur)], ts[entry_e], opt_.as_of, c, &v)) {
      Deviation& d = emit(DeviationKind::open_too_long, c, cur);
      set_first(d, begin, entry_e);
      d.second_time = opt_.as_of;
      d.value = v;
      d.limit = stage_max_[static_cast<size_t>(cur)].max;
    }
    return k;
  }

  std::string path_key(size_t begin, size_t end) const {
    std::string key;
    const auto acts = log_.activities();
    for (size_t e = begin; e < end; ++e) {
      const int32_t x = map_.code[static_cast<size_t>(acts[e])];
      if (EventMap::is_stage(x)) key.append(reinterpret_cast<const char*>(&x), sizeof x);
    }
    return key;
  }

  void top_paths(const std::unordered_map<std::string, int64_t>& paths, CheckSummary& sum) const {
    std::vector<PathCount> all;
    all.reserve(paths.size());
    for (const auto& [key, count] : paths) {
      PathCount p;
      p.stages.resize(key.size() / sizeof(int32_t));
      std::copy(key.begin(), key.end(), reinterpret_cast<char*>(p.stages.data()));
      p.cases = count;
      all.push_back(std::move(p));
    }
    const size_t keep = std::min(opt_.top_paths, all.size());
    std::partial_sort(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(keep), all.end(), [](const PathCount& a, const PathCount& b) {
      if (a.cases != b.cases) return a.cases > b.cases;
      return a.stages < b.stages;
    });
    all.resize(keep);
    sum.top_paths = std::move(all);
  }
};

}  // namespace detail

inline CheckResult check(const ProcessModel& m, const EventLog& log, const CheckOptions& options = {}) {
  return detail::Checker(m, log, options).run();
}

inline std::string CheckResult::message(size_t i) const {
  const Deviation& d = deviations_.at(i);
  auto stage = [&](int32_t s) { return detail::in_quotes(model_.stage_name(s)); };
  auto act = [&](int32_t a) { return detail::in_quotes(activity_names_[static_cast<size_t>(a)]); };
  auto model_act = [&](int32_t k) { return detail::in_quotes(model_.activities()[static_cast<size_t>(k)].name); };
  const DurationUnit u = model_.duration_unit();
  switch (d.kind) {
    case DeviationKind::unknown_activity:
      if (d.detail >= 0) {
        const int32_t owner = model_.activities()[static_cast<size_t>(d.detail)].stage;
        return "activity " + model_act(d.detail) + " belongs to stage " + stage(owner) +
               (d.stage >= 0 ? ", but the case was in stage " + stage(d.stage) : ", but the case had not entered any stage");
      }
      return "activity " + act(d.second_activity) + " is not in the process model";
    case DeviationKind::illegal_transition:
      if (d.detail < 0)
        return "the case began in stage " + stage(d.stage) + ", not in the start stage " + stage(model_.start());
      return "moved from stage " + stage(d.detail) + " to " + stage(d.stage) + ", which the process does not allow";
    case DeviationKind::skipped_required_stage:
      if (d.detail >= 0)
        return "skipped required stage " + stage(d.stage) + " (moved from " + stage(d.detail) + " to " + act(d.second_activity) + ")";
      if (d.detail == -1) return "skipped required stage " + stage(d.stage) + ": the case began in " + act(d.second_activity);
      return "reached won stage " + act(d.second_activity) + " without passing required stage " + stage(d.stage);
    case DeviationKind::backward_move:
      return "moved back from stage " + stage(d.detail) + " to " + stage(d.stage) + ", which is not a declared rework loop";
    case DeviationKind::rework:
      return "rework: back from stage " + stage(d.detail) + " to " + stage(d.stage) + " (an allowed loop)";
    case DeviationKind::overstay:
      return "stayed " + detail::format_duration(d.value, u) + " in stage " + stage(d.stage) + "; the maximum is " +
             detail::format_limit(d.limit);
    case DeviationKind::missing_required_activity:
      return (d.second_position >= 0 ? "left stage " : "ended in stage ") + stage(d.stage) + " without doing required activity " +
             model_act(d.detail);
    case DeviationKind::wrong_role: {
      const auto r = static_cast<size_t>(d.detail);
      const std::string& what = activity_names_[static_cast<size_t>(d.second_activity)];
      std::string needed = model_.stage(d.stage).role;
      for (const auto& a : model_.activities())
        if (a.name == what && !a.role.empty()) needed = a.role;
      return detail::in_quotes(resource_names_[r]) + " (role " + detail::in_quotes(resource_roles_[r]) + ") did " +
             detail::in_quotes(what) + " in stage " + stage(d.stage) + ", which needs role " + detail::in_quotes(needed);
    }
    case DeviationKind::handoff_too_slow: {
      const Transition& t = model_.transitions()[static_cast<size_t>(d.detail)];
      return "hand-off from stage " + stage(t.from) + " (" + model_.stage(t.from).department + ") to " + stage(t.to) + " (" +
             model_.stage(t.to).department + ") took " + detail::format_duration(d.value, u) + "; the maximum lead time is " +
             detail::format_limit(d.limit);
    }
    case DeviationKind::open_too_long:
      return "open case has been in stage " + stage(d.stage) + " for " + detail::format_duration(d.value, u) +
             " at the as-of time; the maximum is " + detail::format_limit(d.limit);
    case DeviationKind::late_activity:
      return "activity " + model_act(d.detail) + " was done " + detail::format_duration(d.value, u) + " after entering stage " +
             stage(d.stage) + "; it is due within " + detail::format_limit(d.limit);
  }
  return "?";
}

}  // namespace quotaflow::process
