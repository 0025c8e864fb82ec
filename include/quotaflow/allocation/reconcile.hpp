// Reconciliation on hierarchies: make independently produced figures coherent (every parent equals
// the sum of its children), and meet a management top-down plan with the team's bottom-up drafts.
//   Hierarchy h = Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0});
//   reconcile(h, std::vector<double>{10, 3, 4})            -> {9, 4, 5}  (OLS: the nearest coherent values)
//   reconcile_integer(h, std::vector<double>{10, 3, 4.5})  -> {9, 4, 5}  (coherent whole minor units)
//
// Methods (y: the base forecasts, one per node; x: the coherent result):
//   bottom_up   leaves keep their base, every inner node is the sum of its leaves.
//   top_down    each root keeps its base; leaves get it by historical proportions (Gross-Sohl method A:
//               a leaf's share of its root's total, averaged over the history periods).
//   ols         MinTrace with W = I: minimise sum_v (x_v - y_v)^2, the orthogonal projection.
//   wls_struct  MinTrace with W = diag(leaf_count): minimise sum_v (x_v - y_v)^2 / leaf_count(v).
// ols and wls_struct run in O(n) on the tree (see detail::ReconcileTreeSolver); no summing matrix is built.
//
// Exactness: real results are coherent to the last bit in one defined sense: every parent is
// recomputed as the double sum of its children in child order (0.0 + x_c1 + x_c2 + ...). Integer
// results are exactly coherent, each node within one unit of its real value.
// Thread rule: all functions are pure; call them concurrently on shared inputs.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow {

// ---- methods and options -------------------------------------------------------------------

// Stable numbers (the C ABI passes them as int32_t). Never renumber.
enum class ReconcileMethod : int32_t { bottom_up = 0, top_down = 1, ols = 2, wls_struct = 3 };

// "ols" for ReconcileMethod::ols; "" for a value outside the enum.
constexpr std::string_view reconcile_method_name(ReconcileMethod m) noexcept {
  switch (m) {
    case ReconcileMethod::bottom_up: return "bottom_up";
    case ReconcileMethod::top_down: return "top_down";
    case ReconcileMethod::ols: return "ols";
    case ReconcileMethod::wls_struct: return "wls_struct";
  }
  return "";
}

// parse_reconcile_method("wls_struct") == ReconcileMethod::wls_struct; unknown names are invalid_argument.
inline ReconcileMethod parse_reconcile_method(std::string_view name) {
  for (int32_t i = 0; i <= 3; ++i)
    if (reconcile_method_name(static_cast<ReconcileMethod>(i)) == name) return static_cast<ReconcileMethod>(i);
  fail(errc::invalid_argument, "method \"", name, "\" is unknown; expected bottom_up, top_down, ols or wls_struct");
}

// check_reconcile_method(2) == ReconcileMethod::ols; a number outside 0..3 is invalid_argument.
inline ReconcileMethod check_reconcile_method(int32_t value) {
  if (value < 0 || value > 3)
    fail(errc::invalid_argument, "method is ", value, "; expected 0 (bottom_up), 1 (top_down), 2 (ols) or 3 (wls_struct)");
  return static_cast<ReconcileMethod>(value);
}

//   ReconcileOptions opt;  opt.method = ReconcileMethod::top_down;  opt.history = hist;  opt.history_periods = 12;
struct ReconcileOptions {
  ReconcileMethod method = ReconcileMethod::ols;
  // Every output >= 0. ols / wls_struct: the exact optimum of the same objective under x >= 0 (an
  // active-set solve on the tree). bottom_up / top_down: negative leaves are clamped to 0 before summing.
  bool nonnegative = false;
  // top_down only (other methods ignore it): history_periods rows of one value per node, row-major.
  // Only the leaves' values are read (inner values may be anything finite); they must be >= 0 and the
  // leaves of every root must have a positive total in every period. Empty history is an error for top_down.
  gsl::span<const double> history = {};
  int32_t history_periods = 0;
};

// ---- internals -----------------------------------------------------------------------------

namespace detail {

__extension__ typedef __int128 reconcile_i128;

inline void reconcile_check_len(const Hierarchy& h, size_t len, const char* what) {
  if (len != h.size())
    fail(errc::invalid_argument, "length mismatch: ", what, " has ", len, " elements, the hierarchy has ", h.size(), " nodes");
}

inline void reconcile_check_finite(gsl::span<const double> v, const char* what) {
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i])) fail(errc::invalid_argument, what, "[", i, "] is ", v[i]);
}

// Neumaier's compensated sum: a parent's base sum over thousands of children of mixed sign keeps
// full precision instead of losing (fan-out * eps) of the largest term.
struct ReconcileSum {
  double s = 0.0, c = 0.0;
  void add(double x) {
    const double t = s + x;
    c += std::abs(s) >= std::abs(x) ? (s - t) + x : (x - t) + s;
    s = t;
  }
  [[nodiscard]] double value() const { return s + c; }
};

// Leaves are final; every inner node becomes the plain sum of its children in child order, so a
// caller summing the same way sees exact equality (the coherence guarantee).
inline void reconcile_sum_up(const Hierarchy& h, gsl::span<double> x) {
  const int32_t* pre = h.preorder().data();
  const int32_t* off = h.child_offsets().data();
  const int32_t* kid = h.child_indices().data();
  for (size_t k = h.size(); k-- > 0;) {
    const auto v = static_cast<size_t>(pre[k]);
    if (off[v] == off[v + 1]) {
      if (x[v] == 0.0) x[v] = 0.0;  // no -0.0 in results
      continue;
    }
    double s = 0.0;
    for (int32_t j = off[v]; j < off[v + 1]; ++j) s += x[static_cast<size_t>(kid[j])];
    x[v] = s;
  }
}

// Weighted least squares on a tree in O(n): minimise sum_v w_v (x_v - y_v)^2 over coherent x, with
// some leaves optionally held at 0.
//
// For the subtree of v, the least cost as a function of its total t is a_v (t - m_v)^2 + const.
// A free leaf has a = w, m = y; a held leaf is pinned: a = inf, m = 0. Children's quadratics combine
// (minimising under sum t_c = t) to 1 / sum(1/a_c) around M = sum m_c, with the optimal split
// t_c = m_c + (t - M) (1/a_c) / sum(1/a_c); adding v's own w_v (t - y_v)^2 gives a_v and m_v.
// The root's total is m_root; totals are then pushed down.
//
// Numerically stable form: we carry r = 1/a (a variance) instead of a. With R = sum r_c:
//   r_v = R / (1 + w_v R),   m_v = M + lambda (y_v - M),  lambda = w_v R / (1 + w_v R) in [0, 1],
//   t_c = m_c + (t_v - M) * r_c / R   (r_c / R in [0, 1]; R = 0 means all below is pinned: t_c = m_c).
// Every coefficient is a sum or ratio of positive numbers (no cancellation, a pinned leaf is an
// exact 0 instead of an infinity), every value a convex combination, and M is a compensated sum.
//
// Layout: the solver relabels the tree once into breadth-first positions (roots first, each node's
// children contiguous and after it, in child order), so each pass is a sequential sweep whatever
// the caller's node order; summation order is unchanged, so results are identical.
class ReconcileTreeSolver {
 public:
  // Weights w_v = 1 (ols) or 1 / leaf_count(v) (structural: wls_struct); a leaf's weight is 1 either way.
  ReconcileTreeSolver(const Hierarchy& h, gsl::span<const double> y, bool structural) {
    const size_t n = h.size();
    const int32_t* off = h.child_offsets().data();
    const int32_t* kid = h.child_indices().data();
    order_.reserve(n);
    first_.resize(n + 1);
    order_.assign(h.roots().begin(), h.roots().end());
    bool identity = true;
    for (size_t i = 0; i < n; ++i) {
      const auto v = static_cast<size_t>(order_[i]);
      identity = identity && v == i;
      first_[i] = static_cast<int32_t>(order_.size());
      order_.insert(order_.end(), kid + off[v], kid + off[v + 1]);
    }
    first_[n] = static_cast<int32_t>(n);
    if (identity) {  // already breadth-first: no relabelling of values
      order_.clear();
      y_ = y.data();
    } else {
      y_copy_.resize(n);
      for (size_t i = 0; i < n; ++i) y_copy_[i] = y[static_cast<size_t>(order_[i])];
      y_ = y_copy_.data();
    }
    if (structural) {
      w_.resize(n);
      const int64_t* lc = h.leaf_counts().data();
      for (size_t i = 0; i < n; ++i) w_[i] = 1.0 / static_cast<double>(lc[order_.empty() ? i : static_cast<size_t>(order_[i])]);
    }
    r_.resize(n);
    m_.resize(n);
  }

  [[nodiscard]] size_t size() const noexcept { return first_.size() - 1; }
  [[nodiscard]] bool is_leaf(size_t i) const noexcept { return first_[i] == first_[i + 1]; }
  [[nodiscard]] double x(size_t i) const noexcept { return m_[i]; }  // by position, after solve()

  // fixed: null, or one flag per position (read at leaves). The solution overwrites m (each m_c is
  // read for the last time just before x_c replaces it); read it with x(i).
  void solve(const uint8_t* fixed) {
    const size_t n = size();
    const int32_t* first = first_.data();
    double* r = r_.data();
    double* m = m_.data();
    for (size_t i = n; i-- > 0;) {  // children sit after their parent: reverse order goes upward
      const auto b = static_cast<size_t>(first[i]), e = static_cast<size_t>(first[i + 1]);
      if (b == e) {
        const bool pinned = fixed != nullptr && fixed[i] != 0;
        r[i] = pinned ? 0.0 : 1.0;
        m[i] = pinned ? 0.0 : y_[i];
        continue;
      }
      double R;
      const double M = children_sums(b, e, R);
      const double wR = (w_.empty() ? 1.0 : w_[i]) * R;
      r[i] = R / (1.0 + wR);
      m[i] = M + (wR / (1.0 + wR)) * (y_[i] - M);
    }
    for (size_t i = 0; i < n; ++i) {  // push totals down; a root's total is its m
      const auto b = static_cast<size_t>(first[i]), e = static_cast<size_t>(first[i + 1]);
      if (b == e) continue;
      double R;
      const double M = children_sums(b, e, R);  // recomputed (the same sums, bit for bit) instead of stored
      const double s = R > 0.0 ? (m[i] - M) / R : 0.0;
      for (size_t c = b; c < e; ++c) m[c] += s * r[c];
    }
  }

  // Leaves as solved (no -0.0), every inner node the plain sum of its children in child order;
  // written out in node order.
  void sum_up_into(gsl::span<double> out) {
    const int32_t* first = first_.data();
    double* m = m_.data();
    for (size_t i = size(); i-- > 0;) {
      const auto b = static_cast<size_t>(first[i]), e = static_cast<size_t>(first[i + 1]);
      if (b == e) {
        if (m[i] == 0.0) m[i] = 0.0;
        continue;
      }
      double s = 0.0;
      for (size_t c = b; c < e; ++c) s += m[c];
      m[i] = s;
    }
    if (order_.empty())
      std::copy(m_.begin(), m_.end(), out.begin());
    else
      for (size_t i = 0; i < size(); ++i) out[static_cast<size_t>(order_[i])] = m[i];
  }

 private:
  std::vector<int32_t> order_;  // position -> node; empty when the identity
  std::vector<int32_t> first_;  // first_[i]..first_[i+1]: the children's positions
  const double* y_ = nullptr;
  std::vector<double> y_copy_, w_, r_, m_;  // w_ empty: all weights 1

  // R = sum of the children's r, returns M = compensated sum of their m.
  double children_sums(size_t b, size_t e, double& R) const {
    R = 0.0;
    ReconcileSum M;
    for (size_t c = b; c < e; ++c) {
      R += r_[c];
      M.add(m_[c]);
    }
    return M.value();
  }
};

// MinTrace, optionally under x >= 0.
//
// Non-negative: since parents are sums, x >= 0 everywhere iff every leaf is >= 0, so the problem is
// the strictly convex QP  min f(b) s.t. b >= 0  over the leaf values b (unique optimum). Active set:
// solve with the set F of held leaves (start empty), hold every free leaf that came out negative at
// 0, repeat until no free leaf is negative. Each round adds >= 1 leaf, so at most leaves+1 solves;
// in practice few: 7 on a 1M-node tree with 15% of leaves negative, 11 on a 100k-leaf star with half
// its leaves driven negative, 26 on a 2,000-deep caterpillar.
// Optimality (the KKT conditions, sufficient for a convex QP): free leaves have zero gradient
// (each round is an exact optimum) and are >= 0 at exit; held leaves need gradient >= 0, which holds
// without ever releasing a leaf:
//  * Let G_v = sum over v and its ancestors of w_u (x_u - y_u); the gradient for leaf l is 2 G_l,
//    and at any round's optimum G_v = -(x_v - M_v) / R_v for every inner v with R_v > 0.
//  * Raising held leaves (from their negative free value to 0; holding them first at their current
//    value changes nothing) moves every M and m on the path up by shrinking non-negative amounts
//    (factor 1 - lambda) while r, R stay fixed; pushing down, t_v - M_v then weakly falls at every
//    node (induction from the root), so every free leaf weakly falls and every G_v weakly rises
//    (for fully pinned subtrees G_v differs from its nearest such ancestor by constants).
//  * A leaf l under parent p was held when, free, x_l < 0 with G_l = 0, i.e. G_p = w_l (y_l - x_l)
//    > w_l y_l. Its gradient later is 2 (G_p - w_l y_l) with G_p only rising: it stays > 0.
inline void reconcile_mintrace(const Hierarchy& h, gsl::span<const double> y, bool structural, bool nonnegative, gsl::span<double> x) {
  ReconcileTreeSolver solver(h, y, structural);
  if (!nonnegative) {
    solver.solve(nullptr);
  } else {
    std::vector<uint8_t> fixed(h.size(), 0);
    for (bool changed = true; changed;) {
      solver.solve(fixed.data());
      changed = false;
      for (size_t i = 0; i < solver.size(); ++i) {
        if (fixed[i] == 0 && solver.is_leaf(i) && solver.x(i) < 0.0) {
          fixed[i] = 1;
          changed = true;
        }
      }
    }
  }
  solver.sum_up_into(x);
}

// Gross-Sohl method A: leaf l gets base[root] * mean over periods of hist[l] / (sum of its root's leaves).
inline void reconcile_top_down(const Hierarchy& h, gsl::span<const double> base, gsl::span<const double> history,
                               int32_t periods, gsl::span<double> x) {
  const size_t n = h.size();
  if (history.empty()) fail(errc::invalid_argument, "history is empty; method top_down needs historical values (history, history_periods)");
  if (periods < 1) fail(errc::invalid_argument, "history_periods is ", periods, "; method top_down needs at least 1");
  if (history.size() != static_cast<size_t>(periods) * n)
    fail(errc::invalid_argument, "length mismatch: history has ", history.size(), " elements; expected history_periods * nodes = ",
         periods, " * ", n, " = ", static_cast<size_t>(periods) * n);
  reconcile_check_finite(history, "history");
  std::vector<int32_t> root(n);
  for (int32_t v : h.preorder()) {
    const int32_t p = h.parents()[static_cast<size_t>(v)];
    root[static_cast<size_t>(v)] = p < 0 ? v : root[static_cast<size_t>(p)];
  }
  std::vector<double> total(n, 0.0), share(n, 0.0);
  for (size_t t = 0; t < static_cast<size_t>(periods); ++t) {
    const double* row = history.data() + t * n;
    for (int32_t r : h.roots()) total[static_cast<size_t>(r)] = 0.0;
    for (int32_t l : h.leaves()) {
      const auto i = static_cast<size_t>(l);
      if (row[i] < 0.0)
        fail(errc::invalid_argument, "history[", t * n + i, "] (period ", t, ", leaf ", i, ") is ", row[i], "; historical values must be >= 0");
      total[static_cast<size_t>(root[i])] += row[i];
    }
    for (int32_t r : h.roots())
      if (!(total[static_cast<size_t>(r)] > 0.0))
        fail(errc::invalid_argument, "history period ", t, ": the leaves of root ", r,
             " total 0; top_down needs a positive total for every root in every period");
    for (int32_t l : h.leaves()) {
      const auto i = static_cast<size_t>(l);
      share[i] += row[i] / total[static_cast<size_t>(root[i])];
    }
  }
  for (int32_t l : h.leaves()) {
    const auto i = static_cast<size_t>(l);
    x[i] = base[static_cast<size_t>(root[i])] * (share[i] / periods);
  }
}

// Adds k units (any sign) to vals[i] for the positions i in cand, guided by rem[i]:
//  k > 0: one unit each to the largest remainders first, ties to the lower position; a k beyond the
//         number of candidates is first spread evenly.
//  k < 0: one unit each from the smallest remainders first (ties: higher position), taken from
//         positive values before any other so non-negative inputs stay non-negative.
// Exact rounding keeps k in 0..cand.size(); the other cases only absorb last-bit noise.
template <class Rem>
void reconcile_distribute(int64_t k, std::vector<int32_t>& cand, const Rem* rem, int64_t* vals) {
  const auto m = static_cast<int64_t>(cand.size());
  if (k == 0 || m == 0) return;
  if (k > 0) {
    if (k >= m) {
      const int64_t q = k / m;
      for (int32_t i : cand) vals[i] = checked_add(vals[i], q, "rounding");
      k -= q * m;
      if (k == 0) return;
    }
    auto before = [rem](int32_t a, int32_t b) { return rem[a] > rem[b] || (rem[a] == rem[b] && a < b); };
    std::nth_element(cand.begin(), cand.begin() + (k - 1), cand.end(), before);
    for (int64_t j = 0; j < k; ++j) ++vals[cand[static_cast<size_t>(j)]];
    return;
  }
  std::sort(cand.begin(), cand.end(), [rem](int32_t a, int32_t b) { return rem[a] < rem[b] || (rem[a] == rem[b] && a > b); });
  int64_t need = -k;
  for (bool took = true; need > 0 && took;) {
    took = false;
    for (int32_t i : cand) {
      if (need > 0 && vals[i] > 0) {
        --vals[i];
        --need;
        took = true;
      }
    }
  }
  while (need > 0) {
    for (int32_t i : cand) {
      if (need == 0) break;
      vals[i] = checked_sub(vals[i], 1, "rounding");
      --need;
    }
  }
}

// "top_down[3] (\"East\")": argument, index and, when the hierarchy has names, the name.
inline std::string reconcile_label(const Hierarchy& h, const char* what, size_t v) {
  std::string s = std::string(what) + "[" + std::to_string(v) + "]";
  if (h.has_names()) s += " (\"" + h.names()[v] + "\")";
  return s;
}

// Exact largest-remainder split of total >= 0 by integer weights >= 0 (sum > 0): quota_i =
// total * w_i / W in 128-bit integers (no rounding anywhere), floors first, then one unit each to
// the largest remainders, ties to the lower position. Writes out[0..m).
struct ReconcileApportioner {
  std::vector<reconcile_i128> rem_exact;
  std::vector<int64_t> rem_real;
  std::vector<int32_t> cand;

  void exact(int64_t total, const int64_t* w, size_t m, int64_t* out) {
    reconcile_i128 W = 0;
    for (size_t i = 0; i < m; ++i) W += w[i];
    rem_exact.assign(m, 0);
    cand.clear();
    int64_t given = 0;
    for (size_t i = 0; i < m; ++i) {
      out[i] = 0;
      if (w[i] <= 0) continue;
      const reconcile_i128 q = static_cast<reconcile_i128>(total) * w[i];
      out[i] = static_cast<int64_t>(q / W);
      rem_exact[i] = q % W;
      given += out[i];
      cand.push_back(static_cast<int32_t>(i));
    }
    reconcile_distribute(total - given, cand, rem_exact.data(), out);
  }

  // Same with real weights: quotas in long double; remainders compared at 2^-30 of a unit so that
  // quotas equal in exact arithmetic tie (and go to the lower position) despite last-bit noise.
  void real(int64_t total, const double* w, size_t m, int64_t* out) {
    long double W = 0;
    for (size_t i = 0; i < m; ++i)
      if (w[i] > 0) W += w[i];
    rem_real.assign(m, 0);
    cand.clear();
    reconcile_i128 given = 0;
    for (size_t i = 0; i < m; ++i) {
      out[i] = 0;
      if (!(w[i] > 0)) continue;
      const long double q = static_cast<long double>(total) * w[i] / W;
      long double f = std::floor(q);
      f = std::min<long double>(std::max<long double>(f, 0), static_cast<long double>(total));
      out[i] = static_cast<int64_t>(f);
      rem_real[i] = static_cast<int64_t>(std::llround((q - f) * 1073741824.0L));
      given += out[i];
      cand.push_back(static_cast<int32_t>(i));
    }
    reconcile_distribute(static_cast<int64_t>(total - given), cand, rem_real.data(), out);
  }
};

}  // namespace detail

// ---- reconciliation ------------------------------------------------------------------------

// Coherent real values, one per node in node order. base: one finite value per node (top_down reads
// only the roots'; bottom_up only the leaves'). O(n) (times the active-set rounds with nonnegative).
//   auto x = reconcile(h, base, {.method = ReconcileMethod::wls_struct});
inline std::vector<double> reconcile(const Hierarchy& h, gsl::span<const double> base, const ReconcileOptions& opt = {}) {
  const ReconcileMethod method = check_reconcile_method(static_cast<int32_t>(opt.method));
  detail::reconcile_check_len(h, base.size(), "base");
  detail::reconcile_check_finite(base, "base");
  std::vector<double> x(h.size(), 0.0);
  switch (method) {
    case ReconcileMethod::bottom_up:
    case ReconcileMethod::top_down:
      if (method == ReconcileMethod::top_down)
        detail::reconcile_top_down(h, base, opt.history, opt.history_periods, x);
      else
        for (int32_t l : h.leaves()) x[static_cast<size_t>(l)] = base[static_cast<size_t>(l)];
      if (opt.nonnegative)
        for (int32_t l : h.leaves()) x[static_cast<size_t>(l)] = std::max(0.0, x[static_cast<size_t>(l)]);
      detail::reconcile_sum_up(h, x);
      break;
    case ReconcileMethod::ols:
      detail::reconcile_mintrace(h, base, false, opt.nonnegative, x);
      break;
    case ReconcileMethod::wls_struct:
      detail::reconcile_mintrace(h, base, true, opt.nonnegative, x);  // variance proportional to leaf count
      break;
  }
  // Finite bases can still sum past the largest double (two values of 1e308): say so instead of
  // returning inf or NaN.
  for (size_t i = 0; i < x.size(); ++i)
    if (!std::isfinite(x[i]))
      fail(errc::overflow, "base: the reconciled value of node ", i, " is ", x[i],
           "; the base values are too large to sum in doubles");
  return x;
}

// Coherent reals -> coherent int64: each root rounded to nearest (half away from zero), then down the
// tree each parent's integer split among its children as floor + largest remainder of their real
// values (ties to the lower index). Every parent equals the sum of its children exactly and every
// node is within one unit of its real value. `coherent` must be finite, within int64, and coherent
// to 1e-9 relative (|x_v - sum x_c| <= 1e-9 max(1, |x_v|, sum |x_c|)), else invalid_argument / overflow.
//   round_coherent(h, std::vector<double>{3, 1.5, 1.5}) -> {3, 2, 1}
inline std::vector<int64_t> round_coherent(const Hierarchy& h, gsl::span<const double> coherent) {
  const size_t n = h.size();
  detail::reconcile_check_len(h, coherent.size(), "coherent");
  detail::reconcile_check_finite(coherent, "coherent");
  constexpr double two63 = 9223372036854775808.0;
  for (size_t i = 0; i < n; ++i)
    if (coherent[i] < -two63 || coherent[i] >= two63)
      fail(errc::overflow, "coherent[", i, "] is ", coherent[i], ": outside the int64 range of minor units");
  const int32_t* off = h.child_offsets().data();
  const int32_t* kid = h.child_indices().data();
  size_t max_fan = 0;
  for (size_t v = 0; v < n; ++v) {
    if (off[v] == off[v + 1]) continue;
    max_fan = std::max(max_fan, static_cast<size_t>(off[v + 1] - off[v]));
    double s = 0.0, mag = 0.0;
    for (int32_t j = off[v]; j < off[v + 1]; ++j) {
      s += coherent[static_cast<size_t>(kid[j])];
      mag += std::abs(coherent[static_cast<size_t>(kid[j])]);
    }
    if (std::abs(coherent[v] - s) > 1e-9 * std::max({1.0, mag, std::abs(coherent[v])}))
      fail(errc::invalid_argument, "coherent[", v, "] is ", coherent[v], " but its children sum to ", s, ": the values are not coherent");
  }
  std::vector<int64_t> out(n, 0);
  for (int32_t r : h.roots()) out[static_cast<size_t>(r)] = static_cast<int64_t>(std::round(coherent[static_cast<size_t>(r)]));
  std::vector<double> rem(max_fan);
  std::vector<int64_t> vals(max_fan);
  std::vector<int32_t> cand;
  cand.reserve(max_fan);
  for (int32_t vi : h.preorder()) {
    const auto v = static_cast<size_t>(vi);
    const int32_t b = off[v], e = off[v + 1];
    if (b == e) continue;
    detail::reconcile_i128 given = 0;
    cand.clear();
    for (int32_t j = b; j < e; ++j) {
      const double xc = coherent[static_cast<size_t>(kid[j])], f = std::floor(xc);
      const auto pos = static_cast<size_t>(j - b);
      vals[pos] = static_cast<int64_t>(f);
      rem[pos] = xc - f;
      given += vals[pos];
      cand.push_back(static_cast<int32_t>(pos));
    }
    const detail::reconcile_i128 k = out[v] - given;  // 0..children for coherent input; noise aside
    if (k > std::numeric_limits<int64_t>::max() || k < std::numeric_limits<int64_t>::min())
      fail(errc::overflow, "round_coherent: the children of node ", v, " overflow int64");
    detail::reconcile_distribute(static_cast<int64_t>(k), cand, rem.data(), vals.data());
    for (int32_t j = b; j < e; ++j) out[static_cast<size_t>(kid[j])] = vals[static_cast<size_t>(j - b)];
  }
  return out;
}

// round_coherent for reconcile's own output: values beyond int64 are blamed on `base`, the
// caller's argument, not on an intermediate.
inline std::vector<int64_t> round_reconciled(const Hierarchy& h, gsl::span<const double> reconciled) {
  constexpr double two63 = 9223372036854775808.0;
  for (size_t i = 0; i < reconciled.size(); ++i)
    if (reconciled[i] < -two63 || reconciled[i] >= two63)
      fail(errc::overflow, "base: the reconciled value of node ", i, " is ", reconciled[i],
           ", outside the int64 range of minor units");
  return round_coherent(h, reconciled);
}

// Coherent int64 values: round_coherent(h, reconcile(h, base, opt)). With nonnegative, all >= 0.
//   auto q = reconcile_integer(h, base, {.method = ReconcileMethod::ols, .nonnegative = true});
inline std::vector<int64_t> reconcile_integer(const Hierarchy& h, gsl::span<const double> base, const ReconcileOptions& opt = {}) {
  return round_reconciled(h, reconcile(h, base, opt));
}

// ---- top-down targets against bottom-up drafts -----------------------------------------------

// Stable numbers (the C ABI passes them as int32_t). Never renumber.
enum class PlanMethod : int32_t { scale = 0, blend = 1 };

constexpr std::string_view plan_method_name(PlanMethod m) noexcept {
  switch (m) {
    case PlanMethod::scale: return "scale";
    case PlanMethod::blend: return "blend";
  }
  return "";
}

// parse_plan_method("blend") == PlanMethod::blend; unknown names are invalid_argument.
inline PlanMethod parse_plan_method(std::string_view name) {
  if (name == "scale") return PlanMethod::scale;
  if (name == "blend") return PlanMethod::blend;
  fail(errc::invalid_argument, "method \"", name, "\" is unknown; expected scale or blend");
}

// check_plan_method(1) == PlanMethod::blend; a number outside 0..1 is invalid_argument.
inline PlanMethod check_plan_method(int32_t value) {
  if (value < 0 || value > 1) fail(errc::invalid_argument, "method is ", value, "; expected 0 (scale) or 1 (blend)");
  return static_cast<PlanMethod>(value);
}

// One node's line in the gap report.
struct PlanGap {
  int64_t top_down;     // the target (0 when has_top_down is false)
  int64_t bottom_up;    // roll-up of the drafts
  int64_t final_value;  // the plan
  int64_t change;       // final_value - bottom_up
  double change_pct;    // change / bottom_up * 100; NaN when bottom_up is 0
  bool has_top_down;
};

struct PlanResult {
  std::vector<int64_t> plan;   // one per node, coherent
  std::vector<PlanGap> gaps;   // one per node
};

// Meets management's targets with the team's drafts, in whole minor units.
//   top_down:  one per node; a target (whole minor units >= 0, below 2^63, given as double) or NaN for none.
//              Targets may sit at any nodes and any number of levels.
//   bottom_up: one per node; the leaves' drafts (>= 0) are read, inner values are ignored.
// Rules, applied top-down:
//   * a node with a target gets exactly its target; nodes with no targeted ancestor-or-self and no
//     targeted descendant keep their drafts; every inner node is the sum of its children.
//   * a targeted node's amount goes first to the targets below it: each child is owed its "locked"
//     amount (its own target, or else the sum of its children's locked amounts, 0 for a leaf); the
//     rest is shared among the children by their weight (below). Deeper targets thus never depend on
//     how the shares above them fell.
//   * weights, per free leaf (a leaf with no target of its own, whose nearest targeted ancestor is tau),
//     summed over each child's free leaves:
//       scale: the leaf's draft; if all free drafts under tau are 0, 1 per free leaf (equal heads).
//       blend: alpha / FL + (1 - alpha) * draft / FD, FL = free leaves under tau, FD = their drafts
//              (draft / FD -> 1 / FL when FD = 0). The top-down share is equal per free leaf: with no
//              target of its own a leaf is one head of its team, whatever the grouping above it, so
//              each leaf's final share is exactly this mix, at every depth.
//   * splitting: scale is exact (128-bit integer largest remainder, ties to the lower index); blend
//     uses long-double quotas and the same largest remainder, exact in total.
// Errors (invalid_argument, naming the nodes): the targets below a targeted node exceed its target;
// a targeted node with more than its targets below but no free leaf to take the rest; bad lengths,
// targets, drafts, method, or alpha outside [0, 1] (alpha is checked even for scale). int64 overflow of
// a roll-up is errc::overflow.
//   auto r = reconcile_plan(h, targets, drafts, PlanMethod::blend, 0.3);  // r.plan, r.gaps[v].change_pct
inline PlanResult reconcile_plan(const Hierarchy& h, gsl::span<const double> top_down, gsl::span<const int64_t> bottom_up,
                                 PlanMethod method = PlanMethod::scale, double alpha = 0.5) {
  method = check_plan_method(static_cast<int32_t>(method));
  detail::reconcile_check_len(h, top_down.size(), "top_down");
  detail::reconcile_check_len(h, bottom_up.size(), "bottom_up");
  if (!(alpha >= 0.0 && alpha <= 1.0)) fail(errc::invalid_argument, "alpha is ", alpha, "; it must be in [0, 1]");
  const size_t n = h.size();
  const int32_t* pre = h.preorder().data();
  const int32_t* off = h.child_offsets().data();
  const int32_t* kid = h.child_indices().data();
  const int32_t* par = h.parents().data();
  auto is_leaf = [&](size_t v) { return off[v] == off[v + 1]; };

  std::vector<int64_t> target(n, 0);
  std::vector<uint8_t> has(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const double t = top_down[i];
    if (std::isnan(t)) continue;
    if (!(t >= 0.0 && t < 9223372036854775808.0) || t != std::floor(t))
      fail(errc::invalid_argument, "top_down[", i, "] is ", t, "; a target must be a whole number of minor units in 0..2^63-1 (NaN: no target)");
    target[i] = static_cast<int64_t>(t);
    has[i] = 1;
  }
  std::vector<int64_t> draft(n, 0);
  for (int32_t l : h.leaves()) {
    const auto i = static_cast<size_t>(l);
    if (bottom_up[i] < 0) fail(errc::invalid_argument, "bottom_up[", i, "] is ", bottom_up[i], "; a leaf's draft must be >= 0");
    draft[i] = bottom_up[i];
  }
  const std::vector<int64_t> bu = h.rollup(draft);

  // tau: nearest targeted ancestor-or-self (-1: none). locked: what a node is owed by the targets at or below it.
  std::vector<int32_t> tau(n, -1);
  for (size_t k = 0; k < n; ++k) {
    const auto v = static_cast<size_t>(pre[k]);
    tau[v] = has[v] ? static_cast<int32_t>(v) : par[v] < 0 ? -1 : tau[static_cast<size_t>(par[v])];
  }
  std::vector<int64_t> locked(n, 0), free_leaves(n, 0), free_drafts(n, 0);
  for (size_t k = n; k-- > 0;) {
    const auto v = static_cast<size_t>(pre[k]);
    if (has[v]) {
      locked[v] = target[v];
    } else {
      for (int32_t j = off[v]; j < off[v + 1]; ++j)
        locked[v] = detail::checked_add(locked[v], locked[static_cast<size_t>(kid[j])], "targets below a node");
    }
  }
  for (int32_t l : h.leaves()) {
    const auto i = static_cast<size_t>(l);
    if (has[i] || tau[i] < 0) continue;
    const auto t = static_cast<size_t>(tau[i]);
    ++free_leaves[t];
    free_drafts[t] += draft[i];  // bounded by bu[t]: no overflow
  }
  for (size_t v = 0; v < n; ++v) {
    if (!has[v] || is_leaf(v)) continue;
    int64_t below = 0;
    for (int32_t j = off[v]; j < off[v + 1]; ++j)
      below = detail::checked_add(below, locked[static_cast<size_t>(kid[j])], "targets below a node");
    if (below > target[v]) {
      size_t u = v;  // walk down to one target that contributes, to name it
      do {
        for (int32_t j = off[u]; j < off[u + 1]; ++j)
          if (locked[static_cast<size_t>(kid[j])] > 0) {
            u = static_cast<size_t>(kid[j]);
            break;
          }
      } while (!has[u]);
      fail(errc::invalid_argument, detail::reconcile_label(h, "top_down", v), " is ", target[v], " but the targets set below it sum to ",
           below, " (one of them: ", detail::reconcile_label(h, "top_down", u), " is ", target[u], ")");
    }
    if (below < target[v] && free_leaves[v] == 0)
      fail(errc::invalid_argument, detail::reconcile_label(h, "top_down", v), " is ", target[v], " but every leaf below it is under a target",
           " and those targets sum to ", below, ": no leaf is free to take the remaining ", target[v] - below);
  }

  // Weights of free leaves, summed over the free part of each subtree (0 for targeted nodes).
  const bool blend = method == PlanMethod::blend;
  std::vector<int64_t> wi(blend ? 0 : n, 0);
  std::vector<double> wd(blend ? n : 0, 0.0);
  for (size_t k = n; k-- > 0;) {
    const auto v = static_cast<size_t>(pre[k]);
    if (has[v] || tau[v] < 0) continue;
    const auto t = static_cast<size_t>(tau[v]);
    if (is_leaf(v)) {
      if (blend) {
        const double fl = static_cast<double>(free_leaves[t]);
        const double bshare = free_drafts[t] > 0 ? static_cast<double>(draft[v]) / static_cast<double>(free_drafts[t]) : 1.0 / fl;
        wd[v] = alpha / fl + (1.0 - alpha) * bshare;
      } else {
        wi[v] = free_drafts[t] > 0 ? draft[v] : 1;
      }
      continue;
    }
    for (int32_t j = off[v]; j < off[v + 1]; ++j) {
      const auto c = static_cast<size_t>(kid[j]);
      if (blend)
        wd[v] += wd[c];
      else
        wi[v] += wi[c];  // bounded by the drafts' roll-up or the leaf count
    }
  }

  // Governed nodes (tau >= 0) top-down; then the rest bottom-up as sums.
  std::vector<int64_t> plan(n, 0);
  detail::ReconcileApportioner split;
  std::vector<int64_t> share, wbuf;
  std::vector<double> wdbuf;
  for (size_t k = 0; k < n; ++k) {
    const auto v = static_cast<size_t>(pre[k]);
    if (has[v]) plan[v] = target[v];
    if (tau[v] < 0 || is_leaf(v)) continue;
    const int32_t b = off[v], e = off[v + 1];
    const auto m = static_cast<size_t>(e - b);
    int64_t rest = plan[v];
    for (int32_t j = b; j < e; ++j) rest -= locked[static_cast<size_t>(kid[j])];  // >= 0 by the checks above
    share.assign(m, 0);
    if (rest > 0) {
      if (blend) {
        wdbuf.resize(m);
        double sum = 0.0;
        for (size_t i = 0; i < m; ++i) sum += (wdbuf[i] = wd[static_cast<size_t>(kid[b + static_cast<int32_t>(i)])]);
        if (!(sum > 0.0)) fail(errc::internal, "reconcile_plan: node ", v, " has ", rest, " to share but no weight below it");
        split.real(rest, wdbuf.data(), m, share.data());
      } else {
        wbuf.resize(m);
        int64_t sum = 0;
        for (size_t i = 0; i < m; ++i) sum += (wbuf[i] = wi[static_cast<size_t>(kid[b + static_cast<int32_t>(i)])]);
        if (sum <= 0) fail(errc::internal, "reconcile_plan: node ", v, " has ", rest, " to share but no weight below it");
        split.exact(rest, wbuf.data(), m, share.data());
      }
    }
    for (size_t i = 0; i < m; ++i) {
      const auto c = static_cast<size_t>(kid[b + static_cast<int32_t>(i)]);
      plan[c] = locked[c] + share[i];  // share <= rest: no overflow
    }
  }
  for (size_t k = n; k-- > 0;) {
    const auto v = static_cast<size_t>(pre[k]);
    if (tau[v] >= 0) continue;
    if (is_leaf(v)) {
      plan[v] = draft[v];
      continue;
    }
    int64_t s = 0;
    for (int32_t j = off[v]; j < off[v + 1]; ++j) s = detail::checked_add(s, plan[static_cast<size_t>(kid[j])], "plan roll-up");
    plan[v] = s;
  }

  PlanResult result;
  result.gaps.resize(n);
  for (size_t v = 0; v < n; ++v) {
    PlanGap& g = result.gaps[v];
    g.top_down = target[v];
    g.has_top_down = has[v] != 0;
    g.bottom_up = bu[v];
    g.final_value = plan[v];
    g.change = detail::checked_sub(plan[v], bu[v], "plan change");
    g.change_pct = bu[v] == 0 ? std::numeric_limits<double>::quiet_NaN()
                              : static_cast<double>(g.change) / static_cast<double>(bu[v]) * 100.0;
  }
  result.plan = std::move(plan);
  return result;
}

}  // namespace quotaflow
