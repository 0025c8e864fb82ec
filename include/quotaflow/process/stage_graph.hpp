// The stage graph of a process model as a Boost.Graph, and the graph questions the model asks:
// reachability, strongly connected components, dominators, topological order.
//
// Namespace quotaflow::process::detail: internals shared by validate(), the analyses and check().
#pragma once

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <vector>

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dominator_tree.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/graph/topological_sort.hpp>

#include "quotaflow/process/model.hpp"

namespace quotaflow::process::detail {

using StageGraph = boost::adjacency_list<boost::vecS, boost::vecS, boost::bidirectionalS>;
using StageVertex = boost::graph_traits<StageGraph>::vertex_descriptor;

// Vertices 0..n-1 are the stages (plus `extra` more vertices for callers to use); one edge per
// transition, rework transitions left out when `with_rework` is false.
inline StageGraph stage_graph(const ProcessModel& m, bool with_rework, size_t extra = 0) {
  StageGraph g(m.num_stages() + extra);
  for (const auto& t : m.transitions())
    if (with_rework || t.kind != TransitionKind::rework)
      boost::add_edge(static_cast<StageVertex>(t.from), static_cast<StageVertex>(t.to), g);
  return g;
}

// reach[a * n + b] = 1 when b can be reached from a along zero or more edges of g (n = vertices).
inline std::vector<uint8_t> reachability(const StageGraph& g) {
  const size_t n = boost::num_vertices(g);
  std::vector<uint8_t> reach(n * n, 0);
  std::vector<StageVertex> stack;
  for (size_t a = 0; a < n; ++a) {
    uint8_t* row = reach.data() + a * n;
    row[a] = 1;
    stack.assign(1, static_cast<StageVertex>(a));
    while (!stack.empty()) {
      StageVertex v = stack.back();
      stack.pop_back();
      for (auto [e, end] = boost::out_edges(v, g); e != end; ++e) {
        StageVertex w = boost::target(*e, g);
        if (!row[w]) {
          row[w] = 1;
          stack.push_back(w);
        }
      }
    }
  }
  return reach;
}

// Component number of every vertex (Tarjan's strongly connected components).
inline std::vector<int> components(const StageGraph& g, int* count) {
  std::vector<int> comp(boost::num_vertices(g));
  *count = boost::strong_components(
      g, boost::make_iterator_property_map(comp.begin(), boost::get(boost::vertex_index, g)));
  return comp;
}

// Immediate dominator of every vertex seen from `entry` (-1 for the entry and unreachable ones).
inline std::vector<int32_t> immediate_dominators(const StageGraph& g, StageVertex entry) {
  const size_t n = boost::num_vertices(g);
  const StageVertex none = boost::graph_traits<StageGraph>::null_vertex();
  std::vector<StageVertex> idom(n, none);
  boost::lengauer_tarjan_dominator_tree(
      g, entry, boost::make_iterator_property_map(idom.begin(), boost::get(boost::vertex_index, g)));
  std::vector<int32_t> out(n, -1);
  for (size_t v = 0; v < n; ++v)
    if (idom[v] != none) out[v] = static_cast<int32_t>(idom[v]);
  return out;
}

// Vertices in topological order (g must be acyclic).
inline std::vector<int32_t> topological_order(const StageGraph& g) {
  std::vector<StageVertex> rev;
  boost::topological_sort(g, std::back_inserter(rev));  // reverse topological order
  return {rev.rbegin(), rev.rend()};
}

// mask[s] = 1 when every path from the start stage to a won stage passes s (all transitions
// count, rework included): the dominators of a virtual sink fed by every won stage. All zeros
// when there is no start stage or no won stage can be reached.
inline std::vector<uint8_t> won_dominators(const ProcessModel& m) {
  const size_t n = m.num_stages();
  std::vector<uint8_t> mask(n, 0);
  if (m.start() < 0) return mask;
  StageGraph g = stage_graph(m, true, 1);
  const auto sink = static_cast<StageVertex>(n);
  for (size_t s = 0; s < n; ++s)
    if (m.stages()[s].terminal == TerminalKind::won) boost::add_edge(static_cast<StageVertex>(s), sink, g);
  std::vector<int32_t> idom = immediate_dominators(g, static_cast<StageVertex>(m.start()));
  if (idom[n] < 0) return mask;  // no won stage reachable
  for (int32_t v = idom[n]; v >= 0; v = idom[static_cast<size_t>(v)]) mask[static_cast<size_t>(v)] = 1;
  return mask;
}

}  // namespace quotaflow::process::detail
