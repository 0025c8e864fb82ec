// Shared pieces of the process model tests: a small hand-made sales process, event logs written
// as rows, and a seeded generator of random valid models with logs replayed from them.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <unordered_map>
#include <vector>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/process/event_log.hpp"
#include "quotaflow/process/model.hpp"

namespace qf_test {

using namespace quotaflow;
using namespace quotaflow::process;

// Monday 2025-01-06 00:00 UTC plus `days` (fractional).
inline int64_t at(double days) {
  const int64_t base = int64_t{date_from_ymd(2025, 1, 6)} * 86'400'000'000'000;
  return base + static_cast<int64_t>(days * 86'400'000'000'000.0);
}

struct Row {
  std::string case_name, activity;
  double day;
  std::string resource;
};

// A log from rows; cases, activities and resources are interned in first-seen order.
inline EventLog make_log(const std::vector<Row>& rows) {
  std::vector<int64_t> keys, ts;
  std::vector<int32_t> acts, res;
  std::vector<std::string> case_names, act_names, res_names;
  std::unordered_map<std::string, int32_t> ci, ai, ri;
  auto id = [](std::unordered_map<std::string, int32_t>& m, std::vector<std::string>& names, const std::string& s) {
    auto [it, fresh] = m.emplace(s, static_cast<int32_t>(names.size()));
    if (fresh) names.push_back(s);
    return it->second;
  };
  bool any_resource = false;
  for (const Row& r : rows) any_resource = any_resource || !r.resource.empty();
  for (const Row& r : rows) {
    keys.push_back(id(ci, case_names, r.case_name));
    acts.push_back(id(ai, act_names, r.activity));
    ts.push_back(at(r.day));
    if (any_resource) res.push_back(r.resource.empty() ? -1 : id(ri, res_names, r.resource));
  }
  return EventLog::from_columns(keys, acts, ts, act_names, res, res_names, {}, case_names);
}

// lead -> qualification -> proposal -> approval -> (negotiation ->) won, with lost exits, a
// rework loop approval -> proposal and a skip approval -> won. Calendar days.
//   lead: required, max 10, expected 2      qualification: required, max 5, expected 3
//   proposal: required, max 6, expected 3; activity "send quote" (required, due within 2),
//             activity "call back" (optional)
//   approval: finance, role "pricing analyst", required, max 2, expected 1
//   negotiation: optional, max 20, expected 5
//   proposal -> approval is a hand-off (sales -> finance) with max lead time 1
inline ProcessModel sales_model() {
  ProcessModel m("sales", DurationUnit::calendar_days);
  auto stage = [&](const char* name, const char* role, const char* dept, double expected, double max, bool required,
                   TerminalKind term = TerminalKind::none) {
    Stage s;
    s.name = name;
    s.role = role;
    s.department = dept;
    s.expected_duration = expected;
    s.max_duration = max;
    s.required = required;
    s.terminal = term;
    return m.add_stage(s);
  };
  stage("lead", "account manager", "sales", 2, 10, true);
  stage("qualification", "account manager", "sales", 3, 5, true);
  stage("proposal", "account manager", "sales", 3, 6, true);
  stage("approval", "pricing analyst", "finance", 1, 2, true);
  stage("negotiation", "account manager", "sales", 5, 20, false);
  stage("won", "account manager", "sales", 0, unset, true, TerminalKind::won);
  stage("lost", "account manager", "sales", unset, unset, false, TerminalKind::lost);
  m.add_activity("proposal", Activity{"send quote", -1, "", true, 2});
  m.add_activity("proposal", Activity{"call back", -1, "", false, unset});
  m.add_transition("lead", "qualification");
  m.add_transition("lead", "lost");
  m.add_transition("qualification", "proposal");
  m.add_transition("qualification", "lost");
  m.add_transition("proposal", "approval", TransitionKind::forward, unset, 1.0);
  m.add_transition("proposal", "lost");
  m.add_transition("approval", "negotiation");
  m.add_transition("approval", "won", TransitionKind::skip);
  m.add_transition("approval", "proposal", TransitionKind::rework);
  m.add_transition("negotiation", "won");
  m.add_transition("negotiation", "lost");
  m.set_start("lead");
  return m;
}

// A random valid model: a main line of stages (some optional, jumped over by skip transitions),
// then won; lost exits and rework loops at random; activities, roles and departments at random.
struct RandomProcess {
  ProcessModel model;
  std::vector<int32_t> main_line;  // stage indexes in order, won last
  int32_t won = -1, lost = -1;
};

inline RandomProcess random_model(std::mt19937_64& rng) {
  RandomProcess r;
  ProcessModel& m = r.model;
  m.set_name("random");
  std::uniform_int_distribution<int> len(2, 7);
  std::bernoulli_distribution coin(0.5), rare(0.25);
  const int k = len(rng);
  std::vector<bool> optional(static_cast<size_t>(k), false);
  for (int i = 0; i < k; ++i) {
    Stage s;
    s.name = "s" + std::to_string(i);
    s.role = coin(rng) ? "role_a" : "role_b";
    s.department = coin(rng) ? "sales" : "finance";
    s.expected_duration = 2;
    s.max_duration = 10;
    optional[static_cast<size_t>(i)] = i > 0 && i < k - 1 && rare(rng);
    s.required = !optional[static_cast<size_t>(i)];
    r.main_line.push_back(m.add_stage(s));
    const int acts = std::uniform_int_distribution<int>(0, 2)(rng);
    for (int a = 0; a < acts; ++a)
      m.add_activity(Activity{"s" + std::to_string(i) + "_a" + std::to_string(a), r.main_line.back(), coin(rng) ? "" : "role_a",
                              coin(rng), 10});
  }
  Stage won;
  won.name = "won";
  won.required = true;
  won.terminal = TerminalKind::won;
  r.won = m.add_stage(won);
  Stage lost;
  lost.name = "lost";
  lost.terminal = TerminalKind::lost;
  r.lost = m.add_stage(lost);
  r.main_line.push_back(r.won);
  for (int i = 0; i < k; ++i) {
    m.add_transition(Transition{r.main_line[static_cast<size_t>(i)], r.main_line[static_cast<size_t>(i) + 1], TransitionKind::forward, unset,
                                10});
    if (i + 1 < k && optional[static_cast<size_t>(i) + 1])
      m.add_transition(Transition{r.main_line[static_cast<size_t>(i)], r.main_line[static_cast<size_t>(i) + 2], TransitionKind::skip});
    if (rare(rng)) m.add_transition(Transition{r.main_line[static_cast<size_t>(i)], r.lost, TransitionKind::forward});
    if (i > 0 && rare(rng)) {
      const int back = std::uniform_int_distribution<int>(0, i - 1)(rng);
      m.add_transition(Transition{r.main_line[static_cast<size_t>(i)], r.main_line[static_cast<size_t>(back)], TransitionKind::rework});
    }
  }
  bool any_lost = false;
  for (const auto& t : m.transitions()) any_lost = any_lost || t.to == r.lost;
  if (!any_lost)
    m.add_transition(Transition{r.main_line[std::uniform_int_distribution<size_t>(0, static_cast<size_t>(k) - 1)(rng)], r.lost});
  m.set_start(r.main_line.front());
  return r;
}

struct GeneratedLog {
  std::vector<Row> rows;
  std::unordered_map<std::string, std::string> roles;  // resource -> role
  double last_day = 0;
};

// Cases replayed from the model: declared transitions only, stays and hand-offs inside their
// limits, required activities done, every event by a resource of the right role. Some cases stop
// early (open); as_of = last_day + 1 keeps them inside their stage's maximum.
inline GeneratedLog random_log(const RandomProcess& p, std::mt19937_64& rng, int cases) {
  const ProcessModel& m = p.model;
  GeneratedLog g;
  g.roles = {{"ra", "role_a"}, {"rb", "role_b"}};
  auto resource_for = [](const std::string& role) { return role == "role_a" ? "ra" : "rb"; };
  std::uniform_real_distribution<double> step(0.05, 0.9);
  std::bernoulli_distribution stop(0.08);
  for (int c = 0; c < cases; ++c) {
    const std::string name = "case" + std::to_string(c);
    double t = c * 0.01;
    int32_t cur = m.start();
    int reworks = 0;
    for (;;) {
      const Stage& s = m.stage(cur);
      g.rows.push_back({name, s.name, t, resource_for(s.role)});
      for (const auto& a : m.activities())
        if (a.stage == cur && (a.required || stop(rng))) {
          t += step(rng);
          g.rows.push_back({name, a.name, t, resource_for(a.role.empty() ? s.role : a.role)});
        }
      if (s.terminal != TerminalKind::none) break;
      if (stop(rng)) break;  // open case
      std::vector<int32_t> next;
      for (const auto& tr : m.transitions())
        if (tr.from == cur && (tr.kind != TransitionKind::rework || reworks < 2)) next.push_back(tr.to);
      const int32_t to = next[std::uniform_int_distribution<size_t>(0, next.size() - 1)(rng)];
      for (const auto& tr : m.transitions())
        if (tr.from == cur && tr.to == to && tr.kind == TransitionKind::rework) ++reworks;
      t += step(rng);
      cur = to;
    }
    g.last_day = std::max(g.last_day, t);
  }
  return g;
}

}  // namespace qf_test
