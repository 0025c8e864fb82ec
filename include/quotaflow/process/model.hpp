// Sales process models: stages, the activities inside them, and the transitions between them.
//
// A model is a directed graph of stages. Each stage has a role and a department, optionally a
// default win probability and expected/maximum durations, whether it is required on the way to a
// win, and a terminal kind (won, lost or none). Activities belong to one stage (required or
// optional, with an owning role and a due time counted from entering the stage). Transitions have
// a kind: forward, rework (an allowed loop back) or skip (an allowed jump over stages). A
// transition whose two stages have different (non-empty) departments is a hand-off and may carry a
// maximum lead time.
//
// Every duration of a model (expected and maximum stage durations, activity due times, hand-off
// lead times) is in the model's one duration unit: calendar days, working days of a business
// calendar (given when the model is checked) or hours. NaN means "not set" for every optional
// number, here and at the C ABI; the JSON form simply leaves the key out.
//
//   ProcessModel m("key accounts", DurationUnit::calendar_days);
//   m.add_stage({.name = "lead", .role = "account manager", .department = "sales", .max_duration = 14});
//   m.add_stage({.name = "won", .terminal = TerminalKind::won});
//   m.add_transition("lead", "won");
//   m.set_start("lead");
//
// The builder checks each piece as it is added (names non-empty, numbers in range, stage indexes
// valid); whole-graph problems (unreachable stages, cycles, duplicate names) are reported by
// validate() in validate.hpp. Analysis and conformance checking require a valid model.
//
// Thread rule: building is not synchronised; a finished model may be read by any number of threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "quotaflow/core/error.hpp"

namespace quotaflow::process {

// Stable values: the C ABI and the JSON schema use them.
enum class DurationUnit : uint8_t { calendar_days = 0, working_days = 1, hours = 2 };
enum class TerminalKind : uint8_t { none = 0, won = 1, lost = 2 };
enum class TransitionKind : uint8_t { forward = 0, rework = 1, skip = 2 };

// "Not set" for optional numbers.
inline constexpr double unset = std::numeric_limits<double>::quiet_NaN();
inline bool is_set(double v) noexcept { return !std::isnan(v); }

constexpr std::string_view duration_unit_name(DurationUnit u) noexcept {
  switch (u) {
    case DurationUnit::calendar_days: return "calendar_days";
    case DurationUnit::working_days: return "working_days";
    case DurationUnit::hours: return "hours";
  }
  return "?";
}
constexpr std::string_view terminal_kind_name(TerminalKind k) noexcept {
  switch (k) {
    case TerminalKind::none: return "none";
    case TerminalKind::won: return "won";
    case TerminalKind::lost: return "lost";
  }
  return "?";
}
constexpr std::string_view transition_kind_name(TransitionKind k) noexcept {
  switch (k) {
    case TransitionKind::forward: return "forward";
    case TransitionKind::rework: return "rework";
    case TransitionKind::skip: return "skip";
  }
  return "?";
}

// Parses the names above; anything else is errc::invalid_argument naming `what` and the value.
inline DurationUnit parse_duration_unit(std::string_view s, std::string_view what = "duration_unit") {
  for (auto u : {DurationUnit::calendar_days, DurationUnit::working_days, DurationUnit::hours})
    if (s == duration_unit_name(u)) return u;
  fail(errc::invalid_argument, what, " is \"", s, "\"; expected calendar_days, working_days or hours");
}
inline TerminalKind parse_terminal_kind(std::string_view s, std::string_view what = "terminal") {
  for (auto k : {TerminalKind::none, TerminalKind::won, TerminalKind::lost})
    if (s == terminal_kind_name(k)) return k;
  fail(errc::invalid_argument, what, " is \"", s, "\"; expected won, lost or none");
}
inline TransitionKind parse_transition_kind(std::string_view s, std::string_view what = "kind") {
  for (auto k : {TransitionKind::forward, TransitionKind::rework, TransitionKind::skip})
    if (s == transition_kind_name(k)) return k;
  fail(errc::invalid_argument, what, " is \"", s, "\"; expected forward, rework or skip");
}

struct Stage {
  std::string name;
  std::string role;        // the role that works the stage ("" = any)
  std::string department;  // transitions between departments are hand-offs ("" = none)
  double win_probability = unset;    // the default chance of a win from this stage, 0..1
  double expected_duration = unset;  // >= 0, the model's unit
  double max_duration = unset;       // >= 0; longer stays are overstays
  bool required = false;             // must be passed on the way to a win
  TerminalKind terminal = TerminalKind::none;
};

struct Activity {
  std::string name;
  int32_t stage = -1;       // index of the stage it belongs to
  std::string role;         // owning role ("" = the stage's role)
  bool required = false;    // must be done before the case leaves the stage
  double due_within = unset;  // >= 0: due this long after entering the stage (model's unit)
};

struct Transition {
  int32_t from = -1;
  int32_t to = -1;
  TransitionKind kind = TransitionKind::forward;
  double probability = unset;    // declared probability, 0..1
  double max_lead_time = unset;  // hand-offs: >= 0, the model's unit
};

class ProcessModel {
 public:
  ProcessModel() = default;
  explicit ProcessModel(std::string name, DurationUnit unit = DurationUnit::calendar_days)
      : name_(std::move(name)), unit_(unit) {
    check_unit(unit);
  }

  // --- building ---------------------------------------------------------------------------
  // Returns the new stage's index. Duplicate names are accepted here and reported by validate().
  int32_t add_stage(Stage s) {
    const std::string what = "stages[" + std::to_string(stages_.size()) + "]";
    if (s.name.empty()) fail(errc::invalid_argument, what, ".name is empty");
    check_probability(s.win_probability, what, s.name, "win_probability");
    check_duration(s.expected_duration, what, s.name, "expected_duration");
    check_duration(s.max_duration, what, s.name, "max_duration");
    if (static_cast<uint8_t>(s.terminal) > 2)
      fail(errc::invalid_argument, what, " (\"", s.name, "\").terminal is ", int(s.terminal), "; expected 0 (none), 1 (won) or 2 (lost)");
    stages_.push_back(std::move(s));
    return static_cast<int32_t>(stages_.size() - 1);
  }

  int32_t add_activity(Activity a) {
    const std::string what = "activities[" + std::to_string(activities_.size()) + "]";
    if (a.name.empty()) fail(errc::invalid_argument, what, ".name is empty");
    check_stage_index(a.stage, what + ".stage");
    check_duration(a.due_within, what, a.name, "due_within");
    activities_.push_back(std::move(a));
    return static_cast<int32_t>(activities_.size() - 1);
  }
  int32_t add_activity(std::string_view stage, Activity a) {
    a.stage = stage_index(stage);
    return add_activity(std::move(a));
  }

  int32_t add_transition(Transition t) {
    const std::string what = "transitions[" + std::to_string(transitions_.size()) + "]";
    check_stage_index(t.from, what + ".from");
    check_stage_index(t.to, what + ".to");
    if (static_cast<uint8_t>(t.kind) > 2)
      fail(errc::invalid_argument, what, ".kind is ", int(t.kind), "; expected 0 (forward), 1 (rework) or 2 (skip)");
    const std::string label = stages_[static_cast<size_t>(t.from)].name + "->" + stages_[static_cast<size_t>(t.to)].name;
    check_probability(t.probability, what, label, "probability");
    check_duration(t.max_lead_time, what, label, "max_lead_time");
    transitions_.push_back(t);
    return static_cast<int32_t>(transitions_.size() - 1);
  }
  int32_t add_transition(std::string_view from, std::string_view to, TransitionKind kind = TransitionKind::forward,
                         double probability = unset, double max_lead_time = unset) {
    return add_transition(Transition{stage_index(from), stage_index(to), kind, probability, max_lead_time});
  }

  void set_start(int32_t stage) {
    check_stage_index(stage, "start");
    start_ = stage;
  }
  void set_start(std::string_view stage) { start_ = stage_index(stage); }
  void set_name(std::string name) { name_ = std::move(name); }
  void set_duration_unit(DurationUnit unit) {
    check_unit(unit);
    unit_ = unit;
  }

  // --- reading ----------------------------------------------------------------------------
  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] DurationUnit duration_unit() const noexcept { return unit_; }
  [[nodiscard]] int32_t start() const noexcept { return start_; }  // -1 when not set
  [[nodiscard]] size_t num_stages() const noexcept { return stages_.size(); }
  [[nodiscard]] const std::vector<Stage>& stages() const noexcept { return stages_; }
  [[nodiscard]] const std::vector<Activity>& activities() const noexcept { return activities_; }
  [[nodiscard]] const std::vector<Transition>& transitions() const noexcept { return transitions_; }
  [[nodiscard]] const Stage& stage(int32_t i) const {
    check_stage_index(i, "stage");
    return stages_[static_cast<size_t>(i)];
  }
  [[nodiscard]] const std::string& stage_name(int32_t i) const { return stage(i).name; }

  // The first stage with that name, or nullopt.
  [[nodiscard]] std::optional<int32_t> find_stage(std::string_view name) const noexcept {
    for (size_t i = 0; i < stages_.size(); ++i)
      if (stages_[i].name == name) return static_cast<int32_t>(i);
    return std::nullopt;
  }
  // The first stage with that name; errc::not_found otherwise.
  [[nodiscard]] int32_t stage_index(std::string_view name) const {
    if (auto i = find_stage(name)) return *i;
    fail(errc::not_found, "stage \"", name, "\" is not in the model", stages_.empty() ? " (it has no stages)" : "");
  }

  // A hand-off: both stages have a department and they differ.
  [[nodiscard]] bool is_handoff(const Transition& t) const {
    const auto& a = stage(t.from).department;
    const auto& b = stage(t.to).department;
    return !a.empty() && !b.empty() && a != b;
  }

  // True when some duration limit or expectation is set (so checking may need a calendar).
  [[nodiscard]] bool has_durations() const noexcept {
    for (const auto& s : stages_)
      if (is_set(s.expected_duration) || is_set(s.max_duration)) return true;
    for (const auto& a : activities_)
      if (is_set(a.due_within)) return true;
    for (const auto& t : transitions_)
      if (is_set(t.max_lead_time)) return true;
    return false;
  }

 private:
  std::string name_;
  DurationUnit unit_ = DurationUnit::calendar_days;
  int32_t start_ = -1;
  std::vector<Stage> stages_;
  std::vector<Activity> activities_;
  std::vector<Transition> transitions_;

  static void check_unit(DurationUnit u) {
    if (static_cast<uint8_t>(u) > 2)
      fail(errc::invalid_argument, "duration_unit is ", int(u), "; expected 0 (calendar_days), 1 (working_days) or 2 (hours)");
  }
  void check_stage_index(int32_t i, std::string_view what) const {
    if (i < 0 || static_cast<size_t>(i) >= stages_.size())
      fail(errc::out_of_range, what, " is ", i, "; expected a stage index in 0..", static_cast<int64_t>(stages_.size()) - 1,
           " (the model has ", stages_.size(), " stages)");
  }
  static void check_probability(double p, std::string_view what, std::string_view name, std::string_view field) {
    if (is_set(p) && !(p >= 0.0 && p <= 1.0))
      fail(errc::invalid_argument, what, " (\"", name, "\").", field, " is ", p, "; expected a probability in 0..1");
  }
  static void check_duration(double d, std::string_view what, std::string_view name, std::string_view field) {
    if (is_set(d) && !(d >= 0.0 && std::isfinite(d)))
      fail(errc::invalid_argument, what, " (\"", name, "\").", field, " is ", d, "; expected a finite number >= 0");
  }
};

}  // namespace quotaflow::process
