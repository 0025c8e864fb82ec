// Reconciliation: bottom_up, top_down, ols, wls_struct (real, integer, non-negative), round_coherent,
// reconcile_plan (scale, blend, gap report) and every bad input.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "quotaflow/allocation/reconcile.hpp"
#include "test_util.hpp"

using quotaflow::errc;
using quotaflow::Hierarchy;
using quotaflow::PlanMethod;
using quotaflow::ReconcileMethod;
using quotaflow::ReconcileOptions;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

Hierarchy tree(std::vector<int32_t> parents) { return Hierarchy::from_parents(parents); }

ReconcileOptions with(ReconcileMethod m, bool nonnegative = false) {
  ReconcileOptions o;
  o.method = m;
  o.nonnegative = nonnegative;
  return o;
}

// Random forest: `roots` roots, then each node hangs under a random earlier node or (for depth)
// the previous one; optionally relabelled by a random permutation so node order is arbitrary.
std::vector<int32_t> random_parents(std::mt19937_64& rng, size_t n, size_t roots, bool shuffle) {
  roots = std::max<size_t>(1, std::min(roots, n));
  std::vector<int32_t> p(n, -1);
  for (size_t i = roots; i < n; ++i) {
    if (rng() % 3 == 0)
      p[i] = static_cast<int32_t>(i - 1);
    else
      p[i] = static_cast<int32_t>(rng() % i);
  }
  if (!shuffle) return p;
  std::vector<int32_t> perm(n);
  std::iota(perm.begin(), perm.end(), 0);
  std::shuffle(perm.begin(), perm.end(), rng);
  std::vector<int32_t> q(n, -1);
  for (size_t i = 0; i < n; ++i) q[static_cast<size_t>(perm[i])] = p[i] < 0 ? -1 : perm[static_cast<size_t>(p[i])];
  return q;
}

std::vector<double> random_values(std::mt19937_64& rng, size_t n, double lo, double hi) {
  std::uniform_real_distribution<double> d(lo, hi);
  std::vector<double> v(n);
  for (double& x : v) x = d(rng);
  return v;
}

// Every parent equals the double sum of its children in child order, bit for bit.
::testing::AssertionResult coherent_exactly(const Hierarchy& h, const std::vector<double>& x) {
  for (size_t v = 0; v < h.size(); ++v) {
    auto kids = h.children(static_cast<int32_t>(v));
    if (kids.empty()) continue;
    double s = 0.0;
    for (int32_t c : kids) s += x[static_cast<size_t>(c)];
    if (x[v] != s) return ::testing::AssertionFailure() << "node " << v << " is " << x[v] << ", its children sum to " << s;
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult coherent_exactly(const Hierarchy& h, const std::vector<int64_t>& x) {
  for (size_t v = 0; v < h.size(); ++v) {
    auto kids = h.children(static_cast<int32_t>(v));
    if (kids.empty()) continue;
    int64_t s = 0;
    for (int32_t c : kids) s += x[static_cast<size_t>(c)];
    if (x[v] != s) return ::testing::AssertionFailure() << "node " << v << " is " << x[v] << ", its children sum to " << s;
  }
  return ::testing::AssertionSuccess();
}

void expect_near_all(const std::vector<double>& got, const std::vector<double>& want, double tol, const char* what = "") {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol * std::max(1.0, std::abs(want[i]))) << what << " node " << i;
}

// ---- dense reference: weighted least squares through the summing matrix ----------------------

// Solves A z = b (A symmetric positive definite, small) by Gaussian elimination with partial pivoting.
std::vector<double> solve_dense(std::vector<std::vector<double>> A, std::vector<double> b) {
  const size_t k = b.size();
  for (size_t c = 0; c < k; ++c) {
    size_t piv = c;
    for (size_t r = c + 1; r < k; ++r)
      if (std::abs(A[r][c]) > std::abs(A[piv][c])) piv = r;
    std::swap(A[c], A[piv]);
    std::swap(b[c], b[piv]);
    for (size_t r = c + 1; r < k; ++r) {
      const double f = A[r][c] / A[c][c];
      for (size_t j = c; j < k; ++j) A[r][j] -= f * A[c][j];
      b[r] -= f * b[c];
    }
  }
  std::vector<double> z(k);
  for (size_t c = k; c-- > 0;) {
    double s = b[c];
    for (size_t j = c + 1; j < k; ++j) s -= A[c][j] * z[j];
    z[c] = s / A[c][c];
  }
  return z;
}

struct Dense {
  std::vector<int32_t> leaves;
  std::vector<std::vector<double>> S;  // nodes x leaves
  std::vector<double> w;               // per node
};

Dense dense_model(const Hierarchy& h, bool structural) {
  Dense d;
  d.leaves.assign(h.leaves().begin(), h.leaves().end());
  d.S.assign(h.size(), std::vector<double>(d.leaves.size(), 0.0));
  for (size_t j = 0; j < d.leaves.size(); ++j)
    for (int32_t v = d.leaves[j]; v >= 0; v = h.parent(v)) d.S[static_cast<size_t>(v)][j] = 1.0;
  d.w.resize(h.size());
  for (size_t v = 0; v < h.size(); ++v) d.w[v] = structural ? 1.0 / static_cast<double>(h.leaf_count(static_cast<int32_t>(v))) : 1.0;
  return d;
}

// min sum_v w_v ((S b)_v - y_v)^2 with the leaves whose `free_mask` bit is 0 held at 0; returns S b.
std::vector<double> dense_ls(const Dense& d, const std::vector<double>& y, uint32_t free_mask = ~0u) {
  std::vector<size_t> fr;
  for (size_t j = 0; j < d.leaves.size(); ++j)
    if (free_mask >> j & 1u) fr.push_back(j);
  const size_t n = y.size(), k = fr.size();
  std::vector<std::vector<double>> A(k, std::vector<double>(k, 0.0));
  std::vector<double> rhs(k, 0.0);
  for (size_t v = 0; v < n; ++v)
    for (size_t a = 0; a < k; ++a) {
      if (d.S[v][fr[a]] == 0.0) continue;
      rhs[a] += d.w[v] * y[v];
      for (size_t b = 0; b < k; ++b) A[a][b] += d.w[v] * d.S[v][fr[b]];
    }
  std::vector<double> leafval(d.leaves.size(), 0.0);
  if (k > 0) {
    auto z = solve_dense(A, rhs);
    for (size_t a = 0; a < k; ++a) leafval[fr[a]] = z[a];
  }
  std::vector<double> x(n, 0.0);
  for (size_t v = 0; v < n; ++v)
    for (size_t j = 0; j < d.leaves.size(); ++j) x[v] += d.S[v][j] * leafval[j];
  return x;
}

double objective(const Dense& d, const std::vector<double>& x, const std::vector<double>& y) {
  double f = 0.0;
  for (size_t v = 0; v < y.size(); ++v) f += d.w[v] * (x[v] - y[v]) * (x[v] - y[v]);
  return f;
}

// Brute force under x >= 0: try every set of held leaves, keep the best feasible restricted optimum.
std::vector<double> dense_nonnegative(const Dense& d, const std::vector<double>& y) {
  const uint32_t L = static_cast<uint32_t>(d.leaves.size());
  std::vector<double> best;
  double best_f = kInf;
  for (uint32_t mask = 0; mask < (1u << L); ++mask) {
    auto x = dense_ls(d, y, mask);
    bool ok = true;
    for (int32_t l : d.leaves) ok = ok && x[static_cast<size_t>(l)] >= -1e-12;
    if (!ok) continue;
    const double f = objective(d, x, y);
    if (f < best_f) best_f = f, best = x;
  }
  return best;
}

// Gradient of the objective with respect to each leaf's value: 2 sum over ancestors-or-self of w (x - y).
std::vector<double> leaf_gradient(const Hierarchy& h, const std::vector<double>& x, const std::vector<double>& y, bool structural) {
  std::vector<double> G(h.size(), 0.0);
  for (int32_t vi : h.preorder()) {
    const auto v = static_cast<size_t>(vi);
    const double w = structural ? 1.0 / static_cast<double>(h.leaf_count(vi)) : 1.0;
    G[v] = (h.parent(vi) < 0 ? 0.0 : G[static_cast<size_t>(h.parent(vi))]) + w * (x[v] - y[v]);
  }
  std::vector<double> g;
  for (int32_t l : h.leaves()) g.push_back(2.0 * G[static_cast<size_t>(l)]);
  return g;
}

//      0
//    1   2
//   3 4  5 6 7       (the tree the plan cases use)
const std::vector<int32_t> kPlanParents{-1, 0, 0, 1, 1, 2, 2, 2};
const std::vector<int64_t> kDrafts{0, 0, 0, 100, 300, 50, 50, 100};  // bottom-up roll-up: 1 = 400, 2 = 200, 0 = 600

std::vector<double> targets(std::initializer_list<std::pair<int, double>> set, size_t n = 8) {
  std::vector<double> t(n, kNaN);
  for (auto [i, v] : set) t[static_cast<size_t>(i)] = v;
  return t;
}

}  // namespace

// ---- method names ----------------------------------------------------------------------------

TEST(ReconcileMethods, NamesRoundTrip) {
  for (int32_t i = 0; i <= 3; ++i) {
    auto m = quotaflow::check_reconcile_method(i);
    EXPECT_EQ(static_cast<int32_t>(m), i);
    EXPECT_EQ(quotaflow::parse_reconcile_method(quotaflow::reconcile_method_name(m)), m);
  }
  EXPECT_EQ(quotaflow::parse_reconcile_method("bottom_up"), ReconcileMethod::bottom_up);
  EXPECT_EQ(quotaflow::parse_reconcile_method("top_down"), ReconcileMethod::top_down);
  EXPECT_EQ(quotaflow::parse_reconcile_method("ols"), ReconcileMethod::ols);
  EXPECT_EQ(quotaflow::parse_reconcile_method("wls_struct"), ReconcileMethod::wls_struct);
  EXPECT_EQ(quotaflow::parse_plan_method("scale"), PlanMethod::scale);
  EXPECT_EQ(quotaflow::parse_plan_method("blend"), PlanMethod::blend);
  EXPECT_EQ(quotaflow::check_plan_method(1), PlanMethod::blend);
  EXPECT_EQ(quotaflow::plan_method_name(PlanMethod::scale), "scale");
}

TEST(ReconcileMethods, BadNamesAndNumbers) {
  EXPECT_QF_ERROR(quotaflow::parse_reconcile_method("OLS"), errc::invalid_argument, "method", "\"OLS\"", "wls_struct");
  EXPECT_QF_ERROR(quotaflow::parse_reconcile_method(""), errc::invalid_argument, "method \"\"");
  EXPECT_QF_ERROR(quotaflow::parse_reconcile_method("mint"), errc::invalid_argument, "\"mint\"");
  EXPECT_QF_ERROR(quotaflow::check_reconcile_method(4), errc::invalid_argument, "method is 4");
  EXPECT_QF_ERROR(quotaflow::check_reconcile_method(-1), errc::invalid_argument, "method is -1");
  EXPECT_QF_ERROR(quotaflow::parse_plan_method("proportional"), errc::invalid_argument, "\"proportional\"", "scale or blend");
  EXPECT_QF_ERROR(quotaflow::check_plan_method(2), errc::invalid_argument, "method is 2");
  EXPECT_QF_ERROR(quotaflow::check_plan_method(-7), errc::invalid_argument, "method is -7");
}

// ---- hand-worked cases -----------------------------------------------------------------------

TEST(Reconcile, TwoLevelByHand) {
  auto h = tree({-1, 0, 0});
  const std::vector<double> y{10, 3, 4};
  // bottom-up: leaves kept.
  EXPECT_EQ(quotaflow::reconcile(h, y, with(ReconcileMethod::bottom_up)), (std::vector<double>{7, 3, 4}));
  // ols: (s-10) + (a-3) = 0, (s-10) + (b-4) = 0, s = a + b  =>  s = 9, a = 4, b = 5.
  expect_near_all(quotaflow::reconcile(h, y), {9, 4, 5}, 1e-14);
  // wls_struct: root weight 1/2: (s-10)/2 + (a-3) = 0 ...  =>  s = 8.5, a = 3.75, b = 4.75.
  expect_near_all(quotaflow::reconcile(h, y, with(ReconcileMethod::wls_struct)), {8.5, 3.75, 4.75}, 1e-14);
}

TEST(Reconcile, ThreeLevelSymmetricByHand) {
  //        0
  //     1     2
  //    3 4   5 6      y = 7 at the root, 0 elsewhere; by symmetry every leaf is some beta.
  auto h = tree({-1, 0, 0, 1, 1, 2, 2});
  const std::vector<double> y{7, 0, 0, 0, 0, 0, 0};
  // ols: (4b - 7)^2 + 2 (2b)^2 + 4 b^2 is least at b = 1.
  expect_near_all(quotaflow::reconcile(h, y), {4, 2, 2, 1, 1, 1, 1}, 1e-14);
  // wls: (4b - 7)^2 / 4 + 2 (2b)^2 / 2 + 4 b^2 is least at b = 7/12.
  const double b = 7.0 / 12.0;
  expect_near_all(quotaflow::reconcile(h, y, with(ReconcileMethod::wls_struct)), {4 * b, 2 * b, 2 * b, b, b, b, b}, 1e-14);
  EXPECT_EQ(quotaflow::reconcile(h, y, with(ReconcileMethod::bottom_up)), std::vector<double>(7, 0.0));
}

TEST(Reconcile, UnbalancedByHand) {
  //      0
  //    1    2        1 has three leaves (beta each), 2 is a leaf (gamma); y = 10 at the root.
  //  3 4 5
  auto h = tree({-1, 0, 0, 1, 1, 1});
  const std::vector<double> y{10, 0, 0, 0, 0, 0};
  // ols: 3 beta + 2 gamma = 10 and 7 beta + gamma = 10  =>  beta = 10/11, gamma = 40/11.
  const double be = 10.0 / 11.0, ga = 40.0 / 11.0;
  expect_near_all(quotaflow::reconcile(h, y), {3 * be + ga, 3 * be, ga, be, be, be}, 1e-14);
  // Against the dense reference too, for both weightings and a less special y.
  const std::vector<double> y2{12.5, 4, 3.25, -1, 2, 0.5};
  for (bool structural : {false, true}) {
    auto d = dense_model(h, structural);
    expect_near_all(quotaflow::reconcile(h, y2, with(structural ? ReconcileMethod::wls_struct : ReconcileMethod::ols)), dense_ls(d, y2),
                    1e-12, structural ? "wls" : "ols");
  }
}

TEST(Reconcile, TopDownByHand) {
  //      0
  //    1   2          history: 2 periods; inner values (999, -5) are ignored.
  //   3 4
  auto h = tree({-1, 0, 0, 1, 1});
  // period 0: leaves 2, 3, 4 = 50, 30, 20 (total 100): 0.5, 0.3, 0.2
  // period 1: leaves 2, 3, 4 = 10, 10, 20 (total 40): 0.25, 0.25, 0.5   -> mean 0.375, 0.275, 0.35
  const std::vector<double> hist{999, -5, 50, 30, 20,  //
                                 999, -5, 10, 10, 20};
  ReconcileOptions o = with(ReconcileMethod::top_down);
  o.history = hist;
  o.history_periods = 2;
  const std::vector<double> y{200, 1, 2, 3, 4};  // only the root's 200 matters
  expect_near_all(quotaflow::reconcile(h, y, o), {200, 125, 75, 55, 70}, 1e-14);
  EXPECT_EQ(quotaflow::reconcile_integer(h, y, o), (std::vector<int64_t>{200, 125, 75, 55, 70}));
  // A negative root with nonnegative: the leaves would be negative, so they clamp to 0.
  o.nonnegative = true;
  EXPECT_EQ(quotaflow::reconcile(h, std::vector<double>{-50, 0, 0, 0, 0}, o), std::vector<double>(5, 0.0));
}

TEST(Reconcile, TopDownForestSplitsPerRoot) {
  // Two roots: 0 -> {2, 3}, 1 -> {4}; node 5 is an isolated root (a leaf itself).
  auto h = tree({-1, -1, 0, 0, 1, -1});
  const std::vector<double> hist{0, 0, 1, 3, 7, 2};  // one period: 2 = 1/4, 3 = 3/4, 4 = 1, 5 = 1
  ReconcileOptions o = with(ReconcileMethod::top_down);
  o.history = hist;
  o.history_periods = 1;
  expect_near_all(quotaflow::reconcile(h, std::vector<double>{40, -9, 5, 5, 5, 3.5}, o), {40, -9, 10, 30, -9, 3.5}, 1e-14);
}

TEST(Reconcile, BottomUpNonnegativeClampsLeaves) {
  auto h = tree({-1, 0, 0, 1, 1});
  EXPECT_EQ(quotaflow::reconcile(h, std::vector<double>{0, 0, -2, 5, -1}, with(ReconcileMethod::bottom_up, true)),
            (std::vector<double>{5, 5, 0, 5, 0}));
}

TEST(Reconcile, NonnegativeByHand) {
  // ols on {root, a, b} with y = (1, -3, 4): a is held at 0, then min (b-1)^2 + (b-4)^2 -> b = 2.5.
  auto h = tree({-1, 0, 0});
  EXPECT_EQ(quotaflow::reconcile(h, std::vector<double>{1, -3, 4}, with(ReconcileMethod::ols, true)), (std::vector<double>{2.5, 0, 2.5}));
  // Unconstrained, a would be -3 (s = 1, a = -3, b = 4): the constraint is active.
  auto free = quotaflow::reconcile(h, std::vector<double>{1, -3, 4});
  EXPECT_LT(free[1], 0.0);
  // Everything negative: all zero.
  EXPECT_EQ(quotaflow::reconcile(h, std::vector<double>{-1, -3, -4}, with(ReconcileMethod::wls_struct, true)), std::vector<double>(3, 0.0));
  // Already non-negative optimum: unchanged by the constraint.
  EXPECT_EQ(quotaflow::reconcile(h, std::vector<double>{10, 3, 4}, with(ReconcileMethod::ols, true)), quotaflow::reconcile(h, std::vector<double>{10, 3, 4}));
}

TEST(Reconcile, EmptyAndSingleNode) {
  Hierarchy empty = tree({});
  EXPECT_TRUE(quotaflow::reconcile(empty, std::vector<double>{}).empty());
  EXPECT_TRUE(quotaflow::reconcile_integer(empty, std::vector<double>{}).empty());
  EXPECT_TRUE(quotaflow::round_coherent(empty, std::vector<double>{}).empty());
  EXPECT_TRUE(quotaflow::reconcile_plan(empty, std::vector<double>{}, std::vector<int64_t>{}).plan.empty());
  auto one = tree({-1});
  for (int m = 0; m <= 3; ++m) {
    if (m == 1) continue;
    EXPECT_EQ(quotaflow::reconcile(one, std::vector<double>{-2.5}, with(static_cast<ReconcileMethod>(m))), std::vector<double>{-2.5});
    EXPECT_EQ(quotaflow::reconcile_integer(one, std::vector<double>{-2.5}, with(static_cast<ReconcileMethod>(m))), std::vector<int64_t>{-3});
    EXPECT_EQ(quotaflow::reconcile(one, std::vector<double>{-2.5}, with(static_cast<ReconcileMethod>(m), true)), std::vector<double>{0.0});
  }
}

// ---- against the dense reference ---------------------------------------------------------------

TEST(Reconcile, MatchesDenseReferenceOnSmallTrees) {
  std::mt19937_64 rng(20261127);
  for (int iter = 0; iter < 300; ++iter) {
    const size_t n = 1 + rng() % 60;
    auto h = tree(random_parents(rng, n, 1 + rng() % 3, iter % 2 == 1));
    auto y = random_values(rng, n, -50, 150);
    for (bool structural : {false, true}) {
      auto d = dense_model(h, structural);
      auto got = quotaflow::reconcile(h, y, with(structural ? ReconcileMethod::wls_struct : ReconcileMethod::ols));
      auto want = dense_ls(d, y);
      for (size_t v = 0; v < n; ++v) ASSERT_NEAR(got[v], want[v], 1e-9 * std::max(1.0, std::abs(want[v]))) << "iter " << iter << " node " << v;
      ASSERT_TRUE(coherent_exactly(h, got));
    }
  }
}

TEST(Reconcile, NonnegativeMatchesBruteForce) {
  std::mt19937_64 rng(77);
  int with_active = 0;
  for (int iter = 0; iter < 400; ++iter) {
    const size_t n = 2 + rng() % 14;
    auto h = tree(random_parents(rng, n, 1 + rng() % 2, iter % 2 == 0));
    if (h.leaves().size() > 8) continue;
    auto y = random_values(rng, n, -60, 40);  // plenty of negatives
    for (bool structural : {false, true}) {
      auto d = dense_model(h, structural);
      auto got = quotaflow::reconcile(h, y, with(structural ? ReconcileMethod::wls_struct : ReconcileMethod::ols, true));
      auto want = dense_nonnegative(d, y);
      for (size_t v = 0; v < n; ++v) {
        ASSERT_GE(got[v], 0.0);
        ASSERT_NEAR(got[v], want[v], 1e-9 * std::max(1.0, std::abs(want[v]))) << "iter " << iter << " node " << v;
      }
      auto free = quotaflow::reconcile(h, y, with(structural ? ReconcileMethod::wls_struct : ReconcileMethod::ols));
      with_active += std::any_of(free.begin(), free.end(), [](double x) { return x < 0; });
    }
  }
  EXPECT_GT(with_active, 100);  // the constraint really was active in many cases
}

// ---- properties on random trees up to 2,000 nodes -------------------------------------------

TEST(Reconcile, CoherentForEveryMethodOnRandomTrees) {
  std::mt19937_64 rng(4242);
  for (int iter = 0; iter < 40; ++iter) {
    const size_t n = 1 + rng() % 2000;
    auto h = tree(random_parents(rng, n, 1 + rng() % 4, iter % 2 == 0));
    auto y = random_values(rng, n, -1e6, 4e6);
    const int32_t periods = 1 + static_cast<int32_t>(rng() % 4);
    auto hist = random_values(rng, n * static_cast<size_t>(periods), 0.5, 100);
    for (int m = 0; m <= 3; ++m)
      for (bool nonneg : {false, true}) {
        ReconcileOptions o = with(static_cast<ReconcileMethod>(m), nonneg);
        o.history = hist;
        o.history_periods = periods;
        auto x = quotaflow::reconcile(h, y, o);
        ASSERT_TRUE(coherent_exactly(h, x)) << "method " << m << " iter " << iter;
        auto q = quotaflow::reconcile_integer(h, y, o);
        ASSERT_TRUE(coherent_exactly(h, q)) << "method " << m << " iter " << iter;
        for (size_t v = 0; v < n; ++v) {
          ASSERT_LT(std::abs(static_cast<double>(q[v]) - x[v]), 1.0) << "node " << v;
          if (nonneg) {
            ASSERT_GE(x[v], 0.0);
            ASSERT_GE(q[v], 0);
          }
        }
        for (int32_t r : h.roots()) ASSERT_EQ(q[static_cast<size_t>(r)], static_cast<int64_t>(std::round(x[static_cast<size_t>(r)])));
      }
  }
}

TEST(Reconcile, MinTraceIsStationaryAndIdempotentOnRandomTrees) {
  std::mt19937_64 rng(99);
  for (int iter = 0; iter < 30; ++iter) {
    const size_t n = 1 + rng() % 2000;
    auto h = tree(random_parents(rng, n, 1 + rng() % 3, iter % 2 == 1));
    auto y = random_values(rng, n, -1e3, 1e4);
    for (bool structural : {false, true}) {
      auto opt = with(structural ? ReconcileMethod::wls_struct : ReconcileMethod::ols);
      auto x = quotaflow::reconcile(h, y, opt);
      // Normal equations S' W (x - y) = 0: every leaf's gradient vanishes.
      double scale = 0;
      for (double v : x) scale = std::max(scale, std::abs(v));
      for (double g : leaf_gradient(h, x, y, structural)) ASSERT_NEAR(g, 0.0, 1e-11 * scale) << "iter " << iter;
      // A projection: reconciling coherent values changes nothing.
      expect_near_all(quotaflow::reconcile(h, x, opt), x, 1e-11);
    }
  }
}

TEST(Reconcile, NonnegativeSatisfiesKktOnRandomTrees) {
  std::mt19937_64 rng(31337);
  for (int iter = 0; iter < 30; ++iter) {
    const size_t n = 2 + rng() % 2000;
    auto h = tree(random_parents(rng, n, 1 + rng() % 3, iter % 2 == 0));
    auto y = random_values(rng, n, -100, 60);
    for (bool structural : {false, true}) {
      auto x = quotaflow::reconcile(h, y, with(structural ? ReconcileMethod::wls_struct : ReconcileMethod::ols, true));
      double scale = 0;
      for (double v : y) scale = std::max(scale, std::abs(v));
      for (double v : x) scale = std::max(scale, std::abs(v));
      auto g = leaf_gradient(h, x, y, structural);
      size_t held = 0;
      for (size_t j = 0; j < g.size(); ++j) {
        const double b = x[static_cast<size_t>(h.leaves()[j])];
        ASSERT_GE(b, 0.0);
        if (b == 0.0) {
          ++held;
          ASSERT_GE(g[j], -1e-10 * scale) << "a held leaf wants to rise";
        } else {
          ASSERT_NEAR(g[j], 0.0, 1e-10 * scale);
        }
      }
      EXPECT_GT(held, 0u);
    }
  }
}

// ---- round_coherent ------------------------------------------------------------------------

TEST(RoundCoherent, ByHand) {
  auto h = tree({-1, 0, 0});
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{3, 1.5, 1.5}), (std::vector<int64_t>{3, 2, 1}));  // tie: lower index
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{2.5, 1.25, 1.25}), (std::vector<int64_t>{3, 2, 1}));  // half away from 0
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{-2.5, -1.25, -1.25}), (std::vector<int64_t>{-3, -1, -2}));
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{2.4, 1.2, 1.2}), (std::vector<int64_t>{2, 1, 1}));
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{1.0, 0.3, 0.7}), (std::vector<int64_t>{1, 0, 1}));
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{1.0, 1.6, -0.6}), (std::vector<int64_t>{1, 2, -1}));
  // Three levels: 0 = 10.6 -> 11; children 1 = 5.3, 2 = 5.3 -> 5 + 5 plus 1 to the lower index;
  // 1 = 6 splits 2.65 + 2.65 -> 3 + 3; 2 = 5 splits 2.65 + 2.65 -> 3 + 2.
  auto h3 = tree({-1, 0, 0, 1, 1, 2, 2});
  EXPECT_EQ(quotaflow::round_coherent(h3, std::vector<double>{10.6, 5.3, 5.3, 2.65, 2.65, 2.65, 2.65}),
            (std::vector<int64_t>{11, 6, 5, 3, 3, 3, 2}));
  // Largest remainders win over index; several roots are rounded separately.
  auto f = tree({-1, 0, 0, 0, -1});
  EXPECT_EQ(quotaflow::round_coherent(f, std::vector<double>{3, 0.2, 1.1, 1.7, 0.5}), (std::vector<int64_t>{3, 0, 1, 2, 1}));
}

TEST(RoundCoherent, WithinOneUnitOnRandomCoherentValues) {
  std::mt19937_64 rng(5);
  for (int iter = 0; iter < 50; ++iter) {
    const size_t n = 1 + rng() % 2000;
    auto h = tree(random_parents(rng, n, 1 + rng() % 3, iter % 2 == 0));
    auto x = random_values(rng, n, -1000, 1000);
    if (iter % 3 == 0)  // many exact ties
      for (double& v : x) v = std::round(v * 2) / 2;
    x = quotaflow::reconcile(h, x, with(ReconcileMethod::bottom_up));
    auto q = quotaflow::round_coherent(h, x);
    ASSERT_TRUE(coherent_exactly(h, q));
    for (size_t v = 0; v < n; ++v) ASSERT_LT(std::abs(static_cast<double>(q[v]) - x[v]), 1.0);
  }
}

TEST(RoundCoherent, BadInput) {
  auto h = tree({-1, 0, 0});
  EXPECT_QF_ERROR(quotaflow::round_coherent(h, std::vector<double>{3, 1, 1}), errc::invalid_argument, "coherent[0] is 3", "sum to 2", "not coherent");
  EXPECT_QF_ERROR(quotaflow::round_coherent(h, std::vector<double>{3, kNaN, 1}), errc::invalid_argument, "coherent[1] is nan");
  EXPECT_QF_ERROR(quotaflow::round_coherent(h, std::vector<double>{kInf, kInf, 1}), errc::invalid_argument, "coherent[0] is inf");
  EXPECT_QF_ERROR(quotaflow::round_coherent(h, std::vector<double>{2e19, 1e19, 1e19}), errc::overflow, "coherent[0]", "int64");
  EXPECT_QF_ERROR(quotaflow::round_coherent(h, std::vector<double>{3, 1}), errc::invalid_argument, "length mismatch", "coherent has 2", "3 nodes");
  // Last-bit noise is accepted.
  EXPECT_EQ(quotaflow::round_coherent(h, std::vector<double>{0.3, 0.1, 0.2}), (std::vector<int64_t>{0, 0, 0}));
}

TEST(ReconcileInteger, ByHand) {
  auto h = tree({-1, 0, 0});
  // ols of (10, 3, 4.5) is (9.1667, 3.8333, 5.3333): root 9, floors 3 + 5, the unit to 3.8333.
  EXPECT_EQ(quotaflow::reconcile_integer(h, std::vector<double>{10, 3, 4.5}), (std::vector<int64_t>{9, 4, 5}));
  EXPECT_EQ(quotaflow::reconcile_integer(h, std::vector<double>{10, 3, 4}, with(ReconcileMethod::wls_struct)), (std::vector<int64_t>{9, 4, 5}));
  EXPECT_EQ(quotaflow::reconcile_integer(h, std::vector<double>{1, -3, 4}, with(ReconcileMethod::ols, true)), (std::vector<int64_t>{3, 0, 3}));
}

// ---- reconcile errors ----------------------------------------------------------------------

TEST(Reconcile, BadInput) {
  auto h = tree({-1, 0, 0, 1, 1});
  const std::vector<double> y{1, 2, 3, 4, 5};
  EXPECT_QF_ERROR(quotaflow::reconcile(h, std::vector<double>{1, 2}), errc::invalid_argument, "length mismatch", "base has 2", "5 nodes");
  EXPECT_QF_ERROR(quotaflow::reconcile(h, std::vector<double>{1, 2, kNaN, 4, 5}), errc::invalid_argument, "base[2] is nan");
  EXPECT_QF_ERROR(quotaflow::reconcile(h, std::vector<double>{1, 2, 3, -kInf, 5}), errc::invalid_argument, "base[3] is -inf");
  EXPECT_QF_ERROR(quotaflow::reconcile_integer(h, std::vector<double>{1, 2, 3, 4, kInf}), errc::invalid_argument, "base[4] is inf");
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, with(static_cast<ReconcileMethod>(9))), errc::invalid_argument, "method is 9");
  EXPECT_QF_ERROR(quotaflow::reconcile_integer(h, std::vector<double>{1e300, 0, 0, 0, 0}, with(ReconcileMethod::ols)), errc::overflow, "int64");

  ReconcileOptions td = with(ReconcileMethod::top_down);
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "history is empty", "top_down");
  const std::vector<double> hist{0, 0, 1, 1, 1, 0, 0, 2, 2, 2};
  td.history = hist;
  td.history_periods = 0;
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "history_periods is 0");
  td.history_periods = -2;
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "history_periods is -2");
  td.history_periods = 3;
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "length mismatch", "history has 10", "3 * 5 = 15");
  td.history_periods = 2;
  EXPECT_NO_THROW(quotaflow::reconcile(h, y, td));
  const std::vector<double> zero_row{0, 0, 1, 1, 1, 5, 5, 0, 0, 0};
  td.history = zero_row;
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "history period 1", "root 0", "total 0");
  const std::vector<double> negative{0, 0, 1, 1, 1, 0, 0, 2, -2, 2};
  td.history = negative;
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "history[8]", "period 1, leaf 3", "is -2");
  const std::vector<double> nan_hist{0, kNaN, 1, 1, 1, 0, 0, 2, 2, 2};
  td.history = nan_hist;
  EXPECT_QF_ERROR(quotaflow::reconcile(h, y, td), errc::invalid_argument, "history[1] is nan");
  // Other methods ignore history entirely.
  ReconcileOptions ols = with(ReconcileMethod::ols);
  ols.history = nan_hist;
  ols.history_periods = 7;
  EXPECT_NO_THROW(quotaflow::reconcile(h, y, ols));
}

// ---- reconcile_plan ----------------------------------------------------------------------------

TEST(ReconcilePlan, ScaleRootTargetOnly) {
  auto h = tree(kPlanParents);
  auto r = quotaflow::reconcile_plan(h, targets({{0, 900}}), kDrafts);
  EXPECT_EQ(r.plan, (std::vector<int64_t>{900, 600, 300, 150, 450, 75, 75, 150}));
}

TEST(ReconcilePlan, ScaleTargetsAtSeveralLevels) {
  auto h = tree(kPlanParents);
  // Root 900, node 2 = 400: node 2 keeps 400, node 1 gets the remaining 500.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 900}, {2, 400}}), kDrafts).plan,
            (std::vector<int64_t>{900, 500, 400, 125, 375, 100, 100, 200}));
  // Only node 1 targeted: node 2's team keeps its drafts, the root is the sum.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{1, 1000}}), kDrafts).plan,
            (std::vector<int64_t>{1200, 1000, 200, 250, 750, 50, 50, 100}));
  // Root 1000 and leaf 7 = 500: 7's target is owed first; the other 500 goes by free drafts
  // (node 1: 400, node 2: 5 + 6 = 100).
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 1000}, {7, 500}}), kDrafts).plan,
            (std::vector<int64_t>{1000, 400, 600, 100, 300, 50, 50, 500}));
  // Three levels: root 1000, node 2 = 450, leaf 7 = 250. Node 1 gets 550 = 137.5 + 412.5 (tie: lower
  // index takes the unit); node 2's 200 left after leaf 7 goes 100 / 100.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 1000}, {2, 450}, {7, 250}}), kDrafts).plan,
            (std::vector<int64_t>{1000, 550, 450, 138, 412, 100, 100, 250}));
  // A target equal to the targets below it (nothing left to share).
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 700}, {1, 400}, {2, 300}}), kDrafts).plan,
            (std::vector<int64_t>{700, 400, 300, 100, 300, 75, 75, 150}));
  // A targeted leaf under an untargeted root.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{4, 10}}), kDrafts).plan, (std::vector<int64_t>{310, 110, 200, 100, 10, 50, 50, 100}));
}

TEST(ReconcilePlan, ScaleRoundingAndZeroDrafts) {
  auto h = tree({-1, 0, 0, 0});
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 1000}}, 4), std::vector<int64_t>{0, 1, 1, 1}).plan,
            (std::vector<int64_t>{1000, 334, 333, 333}));
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 10}}, 4), std::vector<int64_t>{0, 2, 3, 5}).plan, (std::vector<int64_t>{10, 2, 3, 5}));
  // All drafts 0: equal per head.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 10}}, 4), std::vector<int64_t>{0, 0, 0, 0}).plan, (std::vector<int64_t>{10, 4, 3, 3}));
  // A zero draft among non-zero ones gets nothing; 7 = 1 * 7/3 + ... exact largest remainder.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 7}}, 4), std::vector<int64_t>{0, 1, 0, 2}).plan, (std::vector<int64_t>{7, 2, 0, 5}));
  // Huge amounts: 128-bit quotas stay exact.
  const int64_t big = std::numeric_limits<int64_t>::max() - 1;
  auto r = quotaflow::reconcile_plan(h, targets({{0, 9.2e18}}, 4), std::vector<int64_t>{0, big / 3, big / 3, big / 3});
  EXPECT_EQ(r.plan[0], 9200000000000000000);
  EXPECT_EQ(r.plan[1] + r.plan[2] + r.plan[3], r.plan[0]);
  EXPECT_LE(r.plan[1] - r.plan[3], 1);
}

TEST(ReconcilePlan, Blend) {
  auto h = tree(kPlanParents);
  // alpha = 0.5, root 900: leaf weight 0.5/5 + 0.5 draft/600; leaves 5 and 6 get 127.5 each (tie: 5 gets the unit).
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 900}}), kDrafts, PlanMethod::blend, 0.5).plan,
            (std::vector<int64_t>{900, 480, 420, 165, 315, 128, 127, 165}));
  // alpha = 1: equal per free leaf. alpha = 0: the scale plan.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 900}}), kDrafts, PlanMethod::blend, 1.0).plan,
            (std::vector<int64_t>{900, 360, 540, 180, 180, 180, 180, 180}));
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 900}}), kDrafts, PlanMethod::blend, 0.0).plan,
            quotaflow::reconcile_plan(h, targets({{0, 900}}), kDrafts, PlanMethod::scale).plan);
  // Several levels: root 1000, node 2 = 400, alpha 0.5. Node 1 takes 600 split 0.375 / 0.625; node 2's
  // 400 splits 116.67, 116.67, 166.67: the three equal remainders go to the lower indices 5 and 6.
  EXPECT_EQ(quotaflow::reconcile_plan(h, targets({{0, 1000}, {2, 400}}), kDrafts, PlanMethod::blend, 0.5).plan,
            (std::vector<int64_t>{1000, 600, 400, 225, 375, 117, 117, 166}));
  // Targets at three levels are honoured exactly.
  auto r = quotaflow::reconcile_plan(h, targets({{0, 1000}, {2, 450}, {7, 250}}), kDrafts, PlanMethod::blend, 0.3);
  EXPECT_EQ(r.plan[0], 1000);
  EXPECT_EQ(r.plan[2], 450);
  EXPECT_EQ(r.plan[7], 250);
  EXPECT_TRUE(coherent_exactly(h, r.plan));
}

TEST(ReconcilePlan, GapReport) {
  auto h = tree(kPlanParents);
  std::vector<int64_t> drafts = kDrafts;
  drafts[5] = drafts[6] = drafts[7] = 0;  // node 2's roll-up is 0
  auto r = quotaflow::reconcile_plan(h, targets({{0, 900}, {2, 300}}), drafts);
  EXPECT_EQ(r.plan, (std::vector<int64_t>{900, 600, 300, 150, 450, 100, 100, 100}));
  ASSERT_EQ(r.gaps.size(), 8u);
  const auto& g0 = r.gaps[0];
  EXPECT_TRUE(g0.has_top_down);
  EXPECT_EQ(g0.top_down, 900);
  EXPECT_EQ(g0.bottom_up, 400);
  EXPECT_EQ(g0.final_value, 900);
  EXPECT_EQ(g0.change, 500);
  EXPECT_DOUBLE_EQ(g0.change_pct, 125.0);
  const auto& g1 = r.gaps[1];
  EXPECT_FALSE(g1.has_top_down);
  EXPECT_EQ(g1.top_down, 0);
  EXPECT_EQ(g1.bottom_up, 400);
  EXPECT_EQ(g1.final_value, 600);
  EXPECT_EQ(g1.change, 200);
  EXPECT_DOUBLE_EQ(g1.change_pct, 50.0);
  EXPECT_EQ(r.gaps[2].bottom_up, 0);
  EXPECT_EQ(r.gaps[2].change, 300);
  EXPECT_TRUE(std::isnan(r.gaps[2].change_pct));
  EXPECT_EQ(r.gaps[4].change, 150);
  EXPECT_DOUBLE_EQ(r.gaps[4].change_pct, 50.0);
  for (size_t v = 0; v < 8; ++v) EXPECT_EQ(r.gaps[v].final_value, r.plan[v]);
  // A cut: change_pct negative.
  auto cut = quotaflow::reconcile_plan(h, targets({{0, 300}}), kDrafts);
  EXPECT_EQ(cut.gaps[0].change, -300);
  EXPECT_DOUBLE_EQ(cut.gaps[0].change_pct, -50.0);
  // No targets at all: the plan is the drafts' roll-up and every change is 0.
  auto none = quotaflow::reconcile_plan(h, targets({}), kDrafts);
  EXPECT_EQ(none.plan, (std::vector<int64_t>{600, 400, 200, 100, 300, 50, 50, 100}));
  for (const auto& g : none.gaps) EXPECT_EQ(g.change, 0);
}

TEST(ReconcilePlan, PropertiesOnRandomTrees) {
  std::mt19937_64 rng(8080);
  for (int iter = 0; iter < 60; ++iter) {
    const size_t n = 1 + rng() % 2000;
    auto h = tree(random_parents(rng, n, 1 + rng() % 3, iter % 2 == 0));
    std::vector<int64_t> drafts(n);
    for (auto& d : drafts) d = static_cast<int64_t>(rng() % 1000) * (rng() % 5 == 0 ? 0 : 1);
    // Targets: roots always, random nodes sometimes; each is at least what is locked below (so valid).
    std::vector<double> t(n, kNaN);
    std::vector<int64_t> locked(n, 0);
    std::vector<char> pick(n, 0);
    for (size_t v = 0; v < n; ++v) pick[v] = h.parent(static_cast<int32_t>(v)) < 0 || rng() % 10 == 0;
    auto pre = h.preorder();
    for (size_t k = n; k-- > 0;) {
      const auto v = static_cast<size_t>(pre[k]);
      int64_t below = 0;
      for (int32_t c : h.children(static_cast<int32_t>(v))) below += locked[static_cast<size_t>(c)];
      if (pick[v]) {
        // Leave room for free leaves, or set exactly the locked sum when none is free below.
        const int64_t extra = static_cast<int64_t>(rng() % 5000);
        bool any_free = false;
        std::vector<int32_t> st(h.children(static_cast<int32_t>(v)).begin(), h.children(static_cast<int32_t>(v)).end());
        while (!st.empty() && !any_free) {
          const int32_t u = st.back();
          st.pop_back();
          if (pick[static_cast<size_t>(u)]) continue;
          if (h.is_leaf(u)) any_free = true;
          for (int32_t c : h.children(u)) st.push_back(c);
        }
        locked[v] = below + (any_free || h.is_leaf(static_cast<int32_t>(v)) ? extra : 0);
        t[v] = static_cast<double>(locked[v]);
      } else {
        locked[v] = below;
      }
    }
    for (PlanMethod m : {PlanMethod::scale, PlanMethod::blend}) {
      auto r = quotaflow::reconcile_plan(h, t, drafts, m, std::uniform_real_distribution<double>(0, 1)(rng));
      ASSERT_TRUE(coherent_exactly(h, r.plan));
      for (size_t v = 0; v < n; ++v) {
        ASSERT_GE(r.plan[v], 0);
        if (pick[v]) {
          ASSERT_EQ(r.plan[v], static_cast<int64_t>(t[v])) << "target at " << v << " not honoured";
        }
        ASSERT_EQ(r.gaps[v].change, r.plan[v] - r.gaps[v].bottom_up);
      }
    }
  }
}

TEST(ReconcilePlan, BadInput) {
  auto h = tree(kPlanParents);
  const auto T = targets({{0, 900}});
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, std::vector<double>{1, 2}, kDrafts), errc::invalid_argument, "length mismatch", "top_down has 2");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, T, std::vector<int64_t>{1}), errc::invalid_argument, "length mismatch", "bottom_up has 1");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{3, -1}}), kDrafts), errc::invalid_argument, "top_down[3] is -1");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{1, 10.5}}), kDrafts), errc::invalid_argument, "top_down[1] is 10.5", "whole number");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{2, kInf}}), kDrafts), errc::invalid_argument, "top_down[2] is inf");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{0, 9223372036854775808.0}}), kDrafts), errc::invalid_argument, "top_down[0] is 9223372036854775808");
  std::vector<int64_t> bad = kDrafts;
  bad[6] = -4;
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, T, bad), errc::invalid_argument, "bottom_up[6] is -4");
  bad = kDrafts;
  bad[1] = -4;  // inner drafts are ignored
  EXPECT_EQ(quotaflow::reconcile_plan(h, T, bad).plan, quotaflow::reconcile_plan(h, T, kDrafts).plan);
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, T, kDrafts, PlanMethod::blend, 1.5), errc::invalid_argument, "alpha is 1.5", "[0, 1]");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, T, kDrafts, PlanMethod::blend, -0.1), errc::invalid_argument, "alpha is -0.1");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, T, kDrafts, PlanMethod::scale, kNaN), errc::invalid_argument, "alpha is nan");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, T, kDrafts, static_cast<PlanMethod>(5)), errc::invalid_argument, "method is 5");
  // Conflicts: the targets below a node exceed its target (both nodes named).
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{0, 500}, {2, 600}}), kDrafts), errc::invalid_argument, "top_down[0] is 500",
                  "sum to 600", "top_down[2] is 600");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{0, 100}, {7, 200}}), kDrafts), errc::invalid_argument, "top_down[0] is 100",
                  "top_down[7] is 200");
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{2, 100}, {5, 40}, {6, 40}, {7, 40}}), kDrafts), errc::invalid_argument,
                  "top_down[2] is 100", "sum to 120", "top_down[5] is 40");
  // More than the targets below, but nobody free to take the rest.
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({{0, 1000}, {1, 400}, {2, 500}}), kDrafts), errc::invalid_argument, "top_down[0] is 1000",
                  "no leaf is free", "remaining 100");
  // Overflow of the drafts' roll-up.
  std::vector<int64_t> huge(8, 0);
  huge[3] = huge[4] = std::numeric_limits<int64_t>::max();
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(h, targets({}), huge), errc::overflow, "overflows int64");
  // With names, messages carry them.
  auto named = Hierarchy::from_parents(kPlanParents, {"All", "North", "South", "n1", "n2", "s1", "s2", "s3"});
  EXPECT_QF_ERROR(quotaflow::reconcile_plan(named, targets({{0, 500}, {2, 600}}), kDrafts), errc::invalid_argument,
                  "top_down[0] (\"All\") is 500", "top_down[2] (\"South\") is 600");
}
