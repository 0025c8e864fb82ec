// validate(): every structural problem of a process model, not just the first.
//
//   for (const Problem& p : validate(model)) std::puts(p.message.c_str());
//
// The problems (ProblemKind, stable values):
//   no_start_stage          no start stage is set
//   no_won_stage            no stage is a won terminal
//   duplicate_name          two stages, two activities, or an activity and a stage share a name
//                           (log events are matched to the model by name)
//   duplicate_transition    the same from -> to pair is declared twice
//   unreachable_stage       a stage cannot be reached from the start stage
//   no_terminal_reachable   no terminal stage can be reached from a stage
//   non_rework_cycle        a cycle made only of forward and skip transitions (loops must be rework)
//   terminal_has_exit       a won or lost stage has an outgoing transition (it is not terminal)
//   required_not_mandatory  a stage marked required can be bypassed on some path from the start to
//                           a won stage (it is not a dominator of the won stages)
// Problems are ordered by kind, then by stage. require_valid() throws when there is any.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "quotaflow/process/model.hpp"
#include "quotaflow/process/stage_graph.hpp"

namespace quotaflow::process {

enum class ProblemKind : uint8_t {
  no_start_stage = 0,
  no_won_stage = 1,
  duplicate_name = 2,
  duplicate_transition = 3,
  unreachable_stage = 4,
  no_terminal_reachable = 5,
  non_rework_cycle = 6,
  terminal_has_exit = 7,
  required_not_mandatory = 8,
};
inline constexpr int num_problem_kinds = 9;

constexpr std::string_view problem_kind_name(ProblemKind k) noexcept {
  switch (k) {
    case ProblemKind::no_start_stage: return "no_start_stage";
    case ProblemKind::no_won_stage: return "no_won_stage";
    case ProblemKind::duplicate_name: return "duplicate_name";
    case ProblemKind::duplicate_transition: return "duplicate_transition";
    case ProblemKind::unreachable_stage: return "unreachable_stage";
    case ProblemKind::no_terminal_reachable: return "no_terminal_reachable";
    case ProblemKind::non_rework_cycle: return "non_rework_cycle";
    case ProblemKind::terminal_has_exit: return "terminal_has_exit";
    case ProblemKind::required_not_mandatory: return "required_not_mandatory";
  }
  return "?";
}

struct Problem {
  ProblemKind kind;
  int32_t stage;        // the stage concerned, -1 for the whole model
  std::string message;  // plain language, names the stages
};

inline std::vector<Problem> validate(const ProcessModel& m) {
  std::vector<Problem> out;
  const auto& st = m.stages();
  const size_t n = st.size();
  auto q = [](const std::string& s) { return "\"" + s + "\""; };
  auto add = [&](ProblemKind k, int32_t stage, std::string msg) { out.push_back({k, stage, std::move(msg)}); };

  if (m.start() < 0) add(ProblemKind::no_start_stage, -1, "the model has no start stage");
  bool any_won = false;
  for (const auto& s : st) any_won = any_won || s.terminal == TerminalKind::won;
  if (!any_won) add(ProblemKind::no_won_stage, -1, "no stage is a won terminal (terminal: won)");

  // Names: stages and activities share one namespace, since log events are matched by name.
  std::unordered_map<std::string, std::string> seen;  // name -> what first used it
  for (size_t i = 0; i < n; ++i) {
    auto [it, fresh] = seen.emplace(st[i].name, "stage " + std::to_string(i));
    if (!fresh)
      add(ProblemKind::duplicate_name, static_cast<int32_t>(i),
          "stage " + std::to_string(i) + " is named " + q(st[i].name) + ", like " + it->second);
  }
  const auto& acts = m.activities();
  for (size_t i = 0; i < acts.size(); ++i) {
    auto [it, fresh] = seen.emplace(acts[i].name, "activity " + std::to_string(i));
    if (!fresh)
      add(ProblemKind::duplicate_name, acts[i].stage,
          "activity " + std::to_string(i) + " (of stage " + q(st[static_cast<size_t>(acts[i].stage)].name) +
              ") is named " + q(acts[i].name) + ", like " + it->second);
  }

  std::vector<int32_t> declared(n * n, -1);
  for (size_t i = 0; i < m.transitions().size(); ++i) {
    const auto& t = m.transitions()[i];
    int32_t& slot = declared[static_cast<size_t>(t.from) * n + static_cast<size_t>(t.to)];
    if (slot >= 0)
      add(ProblemKind::duplicate_transition, t.from,
          "transition " + std::to_string(i) + " " + q(st[static_cast<size_t>(t.from)].name) + " -> " +
              q(st[static_cast<size_t>(t.to)].name) + " repeats transition " + std::to_string(slot));
    else
      slot = static_cast<int32_t>(i);
  }

  const detail::StageGraph all = detail::stage_graph(m, true);
  const std::vector<uint8_t> reach = detail::reachability(all);
  if (m.start() >= 0) {
    const uint8_t* from_start = reach.data() + static_cast<size_t>(m.start()) * n;
    for (size_t s = 0; s < n; ++s)
      if (!from_start[s])
        add(ProblemKind::unreachable_stage, static_cast<int32_t>(s),
            "stage " + q(st[s].name) + " cannot be reached from the start stage " + q(st[static_cast<size_t>(m.start())].name));
  }
  for (size_t s = 0; s < n; ++s) {
    bool ok = false;
    for (size_t t = 0; t < n && !ok; ++t) ok = reach[s * n + t] && st[t].terminal != TerminalKind::none;
    if (!ok) add(ProblemKind::no_terminal_reachable, static_cast<int32_t>(s), "no terminal stage can be reached from stage " + q(st[s].name));
  }

  // Cycles of forward/skip transitions: a strongly connected component with more than one stage,
  // or a non-rework self-loop.
  const detail::StageGraph forward = detail::stage_graph(m, false);
  int ncomp = 0;
  std::vector<int> comp = detail::components(forward, &ncomp);
  std::vector<std::vector<int32_t>> members(static_cast<size_t>(ncomp));
  for (size_t s = 0; s < n; ++s) members[static_cast<size_t>(comp[s])].push_back(static_cast<int32_t>(s));
  std::vector<uint8_t> reported(static_cast<size_t>(ncomp), 0);
  for (size_t s = 0; s < n; ++s) {
    const auto c = static_cast<size_t>(comp[s]);
    const bool self_loop = declared[s * n + s] >= 0 && m.transitions()[static_cast<size_t>(declared[s * n + s])].kind != TransitionKind::rework;
    if (reported[c] || (members[c].size() < 2 && !self_loop)) continue;
    reported[c] = 1;
    std::string names;
    for (int32_t v : members[c]) names += (names.empty() ? "" : ", ") + q(st[static_cast<size_t>(v)].name);
    add(ProblemKind::non_rework_cycle, members[c].front(),
        "stages " + names + " form a cycle of forward/skip transitions; a loop back must be declared as rework");
  }

  for (const auto& t : m.transitions()) {
    const auto& from = st[static_cast<size_t>(t.from)];
    if (from.terminal != TerminalKind::none)
      add(ProblemKind::terminal_has_exit, t.from,
          std::string(terminal_kind_name(from.terminal)) + " stage " + q(from.name) + " is not terminal: it has a transition to " +
              q(st[static_cast<size_t>(t.to)].name));
  }

  if (m.start() >= 0 && any_won) {
    const std::vector<uint8_t> dom = detail::won_dominators(m);
    bool won_reachable = false;
    for (uint8_t d : dom) won_reachable = won_reachable || d;
    if (won_reachable)
      for (size_t s = 0; s < n; ++s)
        if (st[s].required && !dom[s])
          add(ProblemKind::required_not_mandatory, static_cast<int32_t>(s),
              "stage " + q(st[s].name) + " is marked required, but a path from the start to a won stage bypasses it");
  }

  std::stable_sort(out.begin(), out.end(), [](const Problem& a, const Problem& b) {
    if (a.kind != b.kind) return a.kind < b.kind;
    return a.stage < b.stage;
  });
  return out;
}

// Throws errc::invalid_argument when the model has any problem: "<purpose> needs a valid model:
// <first problem> (and N more problems; see validate())".
inline void require_valid(const ProcessModel& m, std::string_view purpose) {
  std::vector<Problem> p = validate(m);
  if (p.empty()) return;
  if (p.size() == 1) fail(errc::invalid_argument, purpose, " needs a valid model: ", p[0].message);
  fail(errc::invalid_argument, purpose, " needs a valid model: ", p[0].message, " (and ", p.size() - 1,
       " more problems; see validate())");
}

}  // namespace quotaflow::process
