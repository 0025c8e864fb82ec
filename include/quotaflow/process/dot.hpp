// Graphviz DOT export of a process model.
//
//   std::string dot = to_dot(model);              // the model alone
//   std::string dot = to_dot(model, &fitted);     // edge labels with frequency and durations
//
// Stages are nodes (left to right), labelled with name, role and department, and the expected and
// maximum durations when set. The start stage is bold; won stages are double octagons, lost
// stages octagons; required stages have a solid border, optional ones a dashed border.
// Transitions are edges: forward solid, rework dashed and red-ish, skip dotted; hand-offs are
// blue and labelled "hand-off" (with the maximum lead time when set). With a fit, every edge is
// labelled with its observed moves, their share of the moves out of the source stage and their
// mean time in days; observed moves the model does not declare are added as grey edges.
// Output is deterministic (stage and transition order).
#pragma once

#include <cstdio>
#include <string>
#include <string_view>

#include "quotaflow/process/analysis.hpp"
#include "quotaflow/process/model.hpp"

namespace quotaflow::process {

namespace detail {
// A DOT double-quoted string; newlines become centred line breaks.
inline std::string dot_quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out + "\"";
}
inline std::string dot_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}
}  // namespace detail

inline std::string to_dot(const ProcessModel& m, const ModelFit* fit = nullptr) {
  const auto& st = m.stages();
  const size_t n = st.size();
  if (fit && fit->num_stages != n)
    fail(errc::invalid_argument, "the fit has ", fit->num_stages, " stages but the model has ", n, "; fit the same model");
  const std::string unit = m.duration_unit() == DurationUnit::hours ? "h"
                           : m.duration_unit() == DurationUnit::working_days ? " working days" : " days";
  std::string out = "digraph " + detail::dot_quote(m.name().empty() ? "process" : m.name()) + " {\n";
  out += "  rankdir=LR;\n  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n  edge [fontname=\"Helvetica\", fontsize=10];\n";
  for (size_t s = 0; s < n; ++s) {
    const Stage& x = st[s];
    std::string label = x.name;
    if (!x.role.empty() || !x.department.empty())
      label += "\n" + x.role + (x.role.empty() || x.department.empty() ? "" : ", ") + x.department;
    if (is_set(x.expected_duration) || is_set(x.max_duration)) {
      label += "\n";
      if (is_set(x.expected_duration)) label += "expected " + detail::dot_number(x.expected_duration) + unit;
      if (is_set(x.expected_duration) && is_set(x.max_duration)) label += ", ";
      if (is_set(x.max_duration)) label += "max " + detail::dot_number(x.max_duration) + unit;
    }
    if (fit && fit->cases_entered[s]) label += "\n" + std::to_string(fit->cases_entered[s]) + " cases";
    std::string attrs = "label=" + detail::dot_quote(label);
    if (x.terminal == TerminalKind::won) attrs += ", shape=doubleoctagon, color=\"#1a7f37\"";
    else if (x.terminal == TerminalKind::lost) attrs += ", shape=octagon, color=\"#a40e26\"";
    else attrs += x.required ? ", style=\"rounded\"" : ", style=\"rounded,dashed\"";
    if (static_cast<int32_t>(s) == m.start()) attrs += ", penwidth=2.5";
    out += "  s" + std::to_string(s) + " [" + attrs + "];\n";
  }
  auto fitted_label = [&](size_t from, size_t to) {
    const size_t idx = from * n + to;
    if (!fit || fit->move_counts[idx] == 0) return std::string();
    char buf[96];
    std::snprintf(buf, sizeof buf, "%lld (%.0f%%)\nmean %.1f d", static_cast<long long>(fit->move_counts[idx]),
                  100.0 * fit->move_probabilities[idx], fit->move_mean_seconds[idx] / 86400.0);
    return std::string(buf);
  };
  auto edge = [&](size_t from, size_t to, const std::string& label, const std::string& attrs) {
    std::string all = label.empty() ? std::string() : "label=" + detail::dot_quote(label);
    if (!attrs.empty()) all += (all.empty() ? "" : ", ") + attrs;
    out += "  s" + std::to_string(from) + " -> s" + std::to_string(to) + " [" + all + "];\n";
  };
  std::vector<uint8_t> declared(n * n, 0);
  for (const Transition& t : m.transitions()) {
    const auto from = static_cast<size_t>(t.from), to = static_cast<size_t>(t.to);
    declared[from * n + to] = 1;
    std::string label, attrs;
    if (t.kind == TransitionKind::rework) attrs = "style=dashed, color=\"#b35900\"";
    if (t.kind == TransitionKind::skip) attrs = "style=dotted";
    if (m.is_handoff(t)) {
      if (t.kind != TransitionKind::rework) attrs += std::string(attrs.empty() ? "" : ", ") + "color=\"#0550ae\"";
      label = "hand-off";
      if (is_set(t.max_lead_time)) label += " <= " + detail::dot_number(t.max_lead_time) + unit;
    }
    const std::string observed = fitted_label(from, to);
    if (!observed.empty()) label += (label.empty() ? "" : "\n") + observed;
    edge(from, to, label, attrs);
  }
  if (fit)
    for (size_t from = 0; from < n; ++from)
      for (size_t to = 0; to < n; ++to)
        if (!declared[from * n + to] && fit->move_counts[from * n + to] != 0)
          edge(from, to, "not in model\n" + fitted_label(from, to), "color=\"#8c959f\", fontcolor=\"#8c959f\", style=dashed");
  out += "}\n";
  return out;
}

}  // namespace quotaflow::process
