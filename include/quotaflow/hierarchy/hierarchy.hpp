// Hierarchies (org, product, channel, geography) as flat arrays: a parent index per node,
// children in CSR order, depth, pre-order, leaves. No pointer trees: a million-node hierarchy is
// a few contiguous arrays, walked in O(n).
//   Hierarchy h = Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0, 1});
//   h.children(0) -> {1, 2};  h.leaves() -> {2, 3};  h.depth(3) == 2
//
// Thread rule: a built Hierarchy is immutable; share it freely across threads.
#pragma once

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {

class Hierarchy {
 public:
  Hierarchy() = default;

  // Nodes may come in any order; roots have parent -1. Self-parents, other negative values,
  // out-of-range parents and cycles are errc::invalid_argument naming the node.
  static Hierarchy from_parents(gsl::span<const int32_t> parents) {
    Hierarchy h;
    const size_t n = parents.size();
    if (n > static_cast<size_t>(std::numeric_limits<int32_t>::max() - 1))
      fail(errc::invalid_argument, "a hierarchy holds at most 2^31-2 nodes, got ", n);
    h.parent_.assign(parents.begin(), parents.end());
    const auto ni = static_cast<int32_t>(n);
    for (size_t i = 0; i < n; ++i) {
      int32_t p = parents[i];
      if (p == static_cast<int32_t>(i)) fail(errc::invalid_argument, "parents[", i, "] is ", p, ": a node cannot be its own parent");
      if (p < -1 || p >= ni)
        fail(errc::invalid_argument, "parents[", i, "] is ", p, "; expected -1 (root) or a node index in 0..", ni - 1);
    }
    // CSR children: count, prefix, fill (children keep their index order).
    h.child_offset_.assign(n + 1, 0);
    for (size_t i = 0; i < n; ++i)
      if (parents[i] >= 0) ++h.child_offset_[static_cast<size_t>(parents[i]) + 1];
    for (size_t i = 0; i < n; ++i) h.child_offset_[i + 1] += h.child_offset_[i];
    h.child_.resize(static_cast<size_t>(h.child_offset_[n]));
    {
      std::vector<int32_t> next(h.child_offset_.begin(), h.child_offset_.end() - 1);
      for (size_t i = 0; i < n; ++i)
        if (parents[i] >= 0) h.child_[static_cast<size_t>(next[static_cast<size_t>(parents[i])]++)] = static_cast<int32_t>(i);
    }
    // Pre-order from the roots with an explicit stack; nodes never reached sit on a cycle.
    h.depth_.assign(n, -1);
    h.preorder_.reserve(n);
    std::vector<int32_t> stack;
    for (size_t r = 0; r < n; ++r) {
      if (parents[r] != -1) continue;
      h.roots_.push_back(static_cast<int32_t>(r));
      stack.push_back(static_cast<int32_t>(r));
      h.depth_[r] = 0;
      while (!stack.empty()) {
        int32_t v = stack.back();
        stack.pop_back();
        h.preorder_.push_back(v);
        auto kids = h.children(v);
        for (size_t k = kids.size(); k-- > 0;) {  // reversed so the first child is visited first
          h.depth_[static_cast<size_t>(kids[k])] = h.depth_[static_cast<size_t>(v)] + 1;
          stack.push_back(kids[k]);
        }
      }
    }
    if (h.preorder_.size() != n) {
      for (size_t i = 0; i < n; ++i)
        if (h.depth_[i] < 0) fail(errc::invalid_argument, "parents: node ", i, " is on a cycle (it never reaches a root)");
    }
    // Level order (breadth first, siblings in CSR order): every sibling group is one contiguous
    // run and parents come before children, so top-down passes stream instead of gathering.
    h.levelorder_.reserve(n);
    h.level_child_offset_.reserve(n + 1);
    h.levelorder_.assign(h.roots_.begin(), h.roots_.end());
    for (size_t p = 0; p < n; ++p) {
      h.level_child_offset_.push_back(static_cast<int32_t>(h.levelorder_.size()));
      const auto kids = h.children(h.levelorder_[p]);
      h.levelorder_.insert(h.levelorder_.end(), kids.begin(), kids.end());
    }
    h.level_child_offset_.push_back(static_cast<int32_t>(n));
    h.level_position_.resize(n);
    for (size_t p = 0; p < n; ++p) h.level_position_[static_cast<size_t>(h.levelorder_[p])] = static_cast<int32_t>(p);
    for (size_t i = 0; i < n; ++i)
      if (h.child_offset_[i] == h.child_offset_[i + 1]) h.leaves_.push_back(static_cast<int32_t>(i));
    h.leaf_count_.assign(n, 0);
    for (size_t k = n; k-- > 0;) {
      auto v = static_cast<size_t>(h.preorder_[k]);
      if (h.child_offset_[v] == h.child_offset_[v + 1]) h.leaf_count_[v] = 1;
      if (h.parent_[v] >= 0) h.leaf_count_[static_cast<size_t>(h.parent_[v])] += h.leaf_count_[v];
    }
    for (int32_t d : h.depth_) h.max_depth_ = std::max(h.max_depth_, d);
    return h;
  }

  // Same, with a name per node (unique, non-empty); names resolve to indices with index_of().
  static Hierarchy from_parents(gsl::span<const int32_t> parents, std::vector<std::string> names) {
    if (names.size() != parents.size())
      fail(errc::invalid_argument, "length mismatch: parents has ", parents.size(), " elements, names has ", names.size());
    Hierarchy h = from_parents(parents);
    h.index_.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i].empty()) fail(errc::invalid_argument, "names[", i, "] is empty");
      if (!h.index_.emplace(names[i], static_cast<int32_t>(i)).second)
        fail(errc::invalid_argument, "names[", i, "] \"", names[i], "\" is a duplicate");
    }
    h.names_ = std::move(names);
    return h;
  }

  // From (child, parent) name pairs; an empty parent marks a root. Node order is the order of the
  // child column. Unknown parent names are errc::not_found.
  static Hierarchy from_edges(const std::vector<std::string>& child, const std::vector<std::string>& parent) {
    if (child.size() != parent.size())
      fail(errc::invalid_argument, "length mismatch: child has ", child.size(), " elements, parent has ", parent.size());
    std::unordered_map<std::string, int32_t> index;
    index.reserve(child.size());
    for (size_t i = 0; i < child.size(); ++i) {
      if (child[i].empty()) fail(errc::invalid_argument, "child[", i, "] is empty");
      if (!index.emplace(child[i], static_cast<int32_t>(i)).second)
        fail(errc::invalid_argument, "child[", i, "] \"", child[i], "\" appears twice");
    }
    std::vector<int32_t> parents(child.size(), -1);
    for (size_t i = 0; i < child.size(); ++i) {
      if (parent[i].empty()) continue;
      auto it = index.find(parent[i]);
      if (it == index.end()) fail(errc::not_found, "parent[", i, "] \"", parent[i], "\" is not a node (not in the child column)");
      parents[i] = it->second;
    }
    return from_parents(parents, child);
  }

  [[nodiscard]] size_t size() const noexcept { return parent_.size(); }
  [[nodiscard]] int32_t parent(int32_t v) const { return parent_[check(v)]; }
  [[nodiscard]] int32_t depth(int32_t v) const { return depth_[check(v)]; }
  [[nodiscard]] int32_t max_depth() const noexcept { return max_depth_; }
  [[nodiscard]] bool is_leaf(int32_t v) const { return child_offset_[check(v)] == child_offset_[check(v) + 1]; }
  // Leaves in the subtree of v (1 for a leaf).
  [[nodiscard]] int64_t leaf_count(int32_t v) const { return leaf_count_[check(v)]; }
  [[nodiscard]] gsl::span<const int32_t> children(int32_t v) const {
    size_t i = check(v);
    return {child_.data() + child_offset_[i], static_cast<size_t>(child_offset_[i + 1] - child_offset_[i])};
  }

  [[nodiscard]] gsl::span<const int32_t> parents() const noexcept { return parent_; }
  [[nodiscard]] gsl::span<const int32_t> depths() const noexcept { return depth_; }
  [[nodiscard]] gsl::span<const int32_t> child_offsets() const noexcept { return child_offset_; }  // size()+1
  [[nodiscard]] gsl::span<const int32_t> child_indices() const noexcept { return child_; }
  [[nodiscard]] gsl::span<const int32_t> preorder() const noexcept { return preorder_; }  // parents before children
  // Breadth first from the roots, siblings in CSR order: levelorder()[p]'s children are
  // levelorder()[level_child_offsets()[p] .. level_child_offsets()[p + 1]).
  [[nodiscard]] gsl::span<const int32_t> levelorder() const noexcept { return levelorder_; }
  [[nodiscard]] gsl::span<const int32_t> level_child_offsets() const noexcept { return level_child_offset_; }  // size()+1
  [[nodiscard]] gsl::span<const int32_t> level_positions() const noexcept { return level_position_; }  // inverse of levelorder()
  [[nodiscard]] gsl::span<const int32_t> leaves() const noexcept { return leaves_; }      // ascending index
  [[nodiscard]] gsl::span<const int32_t> roots() const noexcept { return roots_; }
  [[nodiscard]] gsl::span<const int64_t> leaf_counts() const noexcept { return leaf_count_; }

  [[nodiscard]] bool has_names() const noexcept { return !names_.empty(); }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  [[nodiscard]] const std::string& name(int32_t v) const {
    if (names_.empty()) fail(errc::invalid_argument, "the hierarchy has no names");
    return names_[check(v)];
  }
  // Index of a named node; errc::not_found names the missing name.
  [[nodiscard]] int32_t index_of(std::string_view name) const {
    auto it = index_.find(std::string(name));
    if (it == index_.end()) fail(errc::not_found, "node \"", std::string(name), "\" is not in the hierarchy");
    return it->second;
  }

  // Subtree sums: out[v] = values[v] + sum of out[c] over v's children, in O(n). Give values at
  // the leaves only (zeros elsewhere) to roll leaf figures up. Overflow is errc::overflow.
  void rollup(gsl::span<const int64_t> values, gsl::span<int64_t> out) const {
    check_len(values.size(), "values");
    check_len(out.size(), "out");
    if (values.data() != out.data()) std::copy(values.begin(), values.end(), out.begin());
    for (size_t k = size(); k-- > 0;) {
      auto v = static_cast<size_t>(preorder_[k]);
      if (parent_[v] >= 0) {
        auto p = static_cast<size_t>(parent_[v]);
        out[p] = detail::checked_add(out[p], out[v], "rollup");
      }
    }
  }
  void rollup(gsl::span<const double> values, gsl::span<double> out) const {
    check_len(values.size(), "values");
    check_len(out.size(), "out");
    for (size_t i = 0; i < values.size(); ++i)
      if (!std::isfinite(values[i])) fail(errc::invalid_argument, "values[", i, "] is ", values[i]);
    if (values.data() != out.data()) std::copy(values.begin(), values.end(), out.begin());
    for (size_t k = size(); k-- > 0;) {
      auto v = static_cast<size_t>(preorder_[k]);
      if (parent_[v] >= 0) out[static_cast<size_t>(parent_[v])] += out[v];
    }
  }
  [[nodiscard]] std::vector<int64_t> rollup(gsl::span<const int64_t> values) const {
    std::vector<int64_t> out(size());
    rollup(values, out);
    return out;
  }

 private:
  std::vector<int32_t> parent_, depth_, child_offset_{0}, child_, preorder_, levelorder_, level_child_offset_,
      level_position_, leaves_, roots_;
  std::vector<int64_t> leaf_count_;
  std::vector<std::string> names_;
  std::unordered_map<std::string, int32_t> index_;
  int32_t max_depth_ = -1;

  size_t check(int32_t v) const {
    if (v < 0 || static_cast<size_t>(v) >= parent_.size())
      fail(errc::out_of_range, "node ", v, " is not in the hierarchy (", parent_.size(), " nodes)");
    return static_cast<size_t>(v);
  }
  void check_len(size_t n, const char* what) const {
    if (n != size()) fail(errc::invalid_argument, "length mismatch: ", what, " has ", n, " elements, the hierarchy has ", size(), " nodes");
  }
};

}  // namespace quotaflow
