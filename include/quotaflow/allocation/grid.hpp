// Two-way exact integer grids: split a grand total over rows x columns (reps x days, regions x
// products) so that every row and every column sums exactly to its integer target, in the
// proportions of a seed matrix.
//
// allocate_grid() fits the seed to the margins as a real matrix by iterative proportional fitting
// (IPF, also called RAS or biproportional fitting), then rounds it by controlled rounding: every
// cell becomes the floor or the ceiling of its fitted value and the margins stay exact. Such a
// rounding always exists in two dimensions when the fitted margins are exact; it is found with
// max flows (Boost.Graph push-relabel on a compressed sparse row graph).
//   std::vector<int64_t> rows{5, 7}, cols{6, 6};
//   GridResult g = allocate_grid(rows, cols, std::vector<double>{1, 1, 1, 1});  // g.cells == {3, 2, 3, 4}
//
// Guarantees, whenever allocate_grid returns:
//   - row i of cells sums exactly to row_totals[i] and column j exactly to col_totals[j];
//   - every cell is std::floor or std::ceil of its value in `fitted` (so within 1 of it);
//   - a zero seed cell, and every cell of a row or column whose total is 0, is exactly 0;
//   - the same inputs give the same output bytes (no randomness, no threads, fixed summation order).
// Thread rule: a pure function of its arguments; call it from any number of threads.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/push_relabel_max_flow.hpp>
#include <gsl/span>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {

// Result of allocate_grid. `cells` and `fitted` are rows x cols, row-major.
struct GridResult {
  std::vector<int64_t> cells;  // the exact integer grid
  std::vector<double> fitted;  // the real matrix after iterative proportional fitting
  int32_t ipf_iterations = 0;  // IPF iterations used (one iteration = a row pass and a column pass)
  double ipf_max_error = 0.0;  // largest |margin - target| of `fitted` over all rows and columns
};

// Largest grand total allocate_grid accepts: the fitting and the floor/ceil contract live in
// doubles, which hold every integer only up to 2^53.
inline constexpr int64_t grid_max_total = int64_t{1} << 53;

namespace detail {

// The cells that may be nonzero (positive seed, positive row and column total), row by row with
// columns ascending: cells of row i are arc_col[row_start[i] .. row_start[i+1]).
struct GridSupport {
  std::vector<uint32_t> row_start, arc_col;
};

// Max-flow network over a grid's support, built once per call and re-solved with new capacities.
//
// Vertices: rows 0..R-1, columns R..R+C-1, source R+C, sink R+C+1. Each support cell (i, j) is a
// pair of opposite edges row i <-> column j, and each row and column has an edge pair with the
// source and one with the sink, so the layout does not depend on capacities. Edges are numbered in
// CSR order (grouped by tail vertex), which lets every reverse edge be computed, not searched:
//   row i:    its cells (ascending column), then to-source, then to-sink
//   column j: its cells (ascending row), then to-source, then to-sink
//   source:   to every row, then every column;  sink: the same.
class GridFlowNetwork {
  using Graph = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                                   boost::no_property, uint32_t, uint32_t>;
  using Edge = boost::graph_traits<Graph>::edge_descriptor;

 public:
  // `support` must outlive the network.
  GridFlowNetwork(size_t rows, size_t cols, const GridSupport& support)
      : rows_(rows), row_start_(support.row_start), arc_col_(support.arc_col) {
    const size_t arcs = arc_col_.size(), edges = 2 * arcs + 4 * (rows + cols);
    if (edges > std::numeric_limits<uint32_t>::max())
      fail(errc::out_of_range, "grid has ", arcs, " nonzero seed cells; the flow network supports about 2^31");
    const auto R = static_cast<uint32_t>(rows), C = static_cast<uint32_t>(cols), A = static_cast<uint32_t>(arcs);
    const uint32_t src = R + C, snk = R + C + 1;
    src_base_ = 2 * A + 2 * R + 2 * C;
    snk_base_ = src_base_ + R + C;

    // Column j's block starts after all row blocks (A + 2R edges), its earlier columns' cells and
    // their 2 terminal edges each.
    col_block_.assign(cols + 1, 0);
    for (uint32_t c : arc_col_) ++col_block_[c + 1];
    for (size_t j = 0; j < cols; ++j) col_block_[j + 1] += col_block_[j];
    for (uint32_t j = 0; j <= C; ++j) col_block_[j] += A + 2 * R + 2 * j;
    col_edge_.resize(arcs);
    {
      std::vector<uint32_t> next(col_block_.begin(), col_block_.end() - 1);
      for (uint32_t a = 0; a < A; ++a) col_edge_[a] = next[arc_col_[a]]++;
    }

    rev_.resize(edges);
    {
      std::vector<std::pair<uint32_t, uint32_t>> ends(edges);
      auto link = [&](uint32_t e, uint32_t from, uint32_t to, uint32_t reverse) {
        ends[e] = {from, to};
        rev_[e] = Edge(from, reverse);
      };
      for (uint32_t i = 0; i < R; ++i) {
        for (uint32_t a = row_start_[i]; a < row_start_[i + 1]; ++a) {
          link(a + 2 * i, i, R + arc_col_[a], col_edge_[a]);
          link(col_edge_[a], R + arc_col_[a], i, a + 2 * i);
        }
        const uint32_t t = terminal_edge(i);
        link(t, i, src, src_base_ + i);
        link(t + 1, i, snk, snk_base_ + i);
        link(src_base_ + i, src, i, t);
        link(snk_base_ + i, snk, i, t + 1);
      }
      for (uint32_t v = R; v < R + C; ++v) {
        const uint32_t t = terminal_edge(v);
        link(t, v, src, src_base_ + v);
        link(t + 1, v, snk, snk_base_ + v);
        link(src_base_ + v, src, v, t);
        link(snk_base_ + v, snk, v, t + 1);
      }
      graph_ = Graph(boost::edges_are_sorted, ends.begin(), ends.end(), R + C + 2, static_cast<uint32_t>(edges));
    }
    cap_.assign(edges, 0);
    res_.assign(edges, 0);
  }

  // Capacities of support cell a (in row i) from its row to its column and back.
  void set_arc(size_t a, size_t i, int64_t row_to_col, int64_t col_to_row) {
    cap_[a + 2 * i] = row_to_col;
    cap_[col_edge_[a]] = col_to_row;
  }

  // Max flow where balance[v] > 0 is a supply from the source into v and balance[v] < 0 a demand
  // from v to the sink (v < rows: row v; else column v - rows). Residuals stay for net_flow().
  int64_t solve(gsl::span<const int64_t> balance) {
    for (size_t v = 0; v < balance.size(); ++v) {
      cap_[src_base_ + v] = std::max<int64_t>(balance[v], 0);
      cap_[terminal_edge(static_cast<uint32_t>(v)) + 1] = std::max<int64_t>(-balance[v], 0);
    }
    const auto index = boost::get(boost::edge_index, graph_);
    const auto s = static_cast<uint32_t>(balance.size());
    // Push-relabel (with global relabelling) ran about 4x faster than Boykov-Kolmogorov on these
    // dense bipartite networks of unit capacities.
    return boost::push_relabel_max_flow(graph_, s, s + 1, boost::make_iterator_property_map(cap_.begin(), index),
                                        boost::make_iterator_property_map(res_.begin(), index),
                                        boost::make_iterator_property_map(rev_.begin(), index),
                                        boost::get(boost::vertex_index, graph_));
  }

  // Net flow from row i to the column of its support cell a, after solve().
  [[nodiscard]] int64_t net_flow(size_t a, size_t i) const noexcept { return cap_[a + 2 * i] - res_[a + 2 * i]; }

  // After solve(): the rows and columns the source still reaches in the residual network, i.e. the
  // source side of a minimum cut (indexed like balance).
  [[nodiscard]] std::vector<char> source_side() const {
    const uint32_t source = static_cast<uint32_t>(num_vertices(graph_)) - 2;
    std::vector<char> seen(source + 2, 0);
    std::vector<uint32_t> queue{source};
    seen[source] = 1;
    const auto index = boost::get(boost::edge_index, graph_);
    for (size_t q = 0; q < queue.size(); ++q) {
      auto [e, end] = boost::out_edges(queue[q], graph_);
      for (; e != end; ++e) {
        const uint32_t w = boost::target(*e, graph_);
        if (!seen[w] && res_[get(index, *e)] > 0) {
          seen[w] = 1;
          queue.push_back(w);
        }
      }
    }
    seen.resize(source);
    return seen;
  }

 private:
  // To-source edge of row or column v; its to-sink edge follows.
  [[nodiscard]] uint32_t terminal_edge(uint32_t v) const noexcept {
    const auto R = static_cast<uint32_t>(rows_);
    return v < R ? row_start_[v + 1] + 2 * v : col_block_[v - R + 1] - 2;
  }

  size_t rows_;
  gsl::span<const uint32_t> row_start_, arc_col_;
  std::vector<uint32_t> col_edge_, col_block_;
  uint32_t src_base_ = 0, snk_base_ = 0;
  Graph graph_;
  std::vector<int64_t> cap_, res_;
  std::vector<Edge> rev_;
};

// "2, 5, 7" or "2, 5, 7, ... (12 in all)" for error messages.
inline std::string grid_index_list(const std::vector<size_t>& v) {
  std::string s;
  const size_t shown = std::min<size_t>(v.size(), 8);
  for (size_t k = 0; k < shown; ++k) {
    if (k) s += ", ";
    s += std::to_string(v[k]);
  }
  if (shown < v.size()) s += ", ... (" + std::to_string(v.size()) + " in all)";
  return s;
}

// Largest |margin - target| of x over all rows and columns.
inline double grid_margin_error(gsl::span<const double> x, gsl::span<const int64_t> row_totals,
                                gsl::span<const int64_t> col_totals) {
  const size_t R = row_totals.size(), C = col_totals.size();
  double worst = 0.0;
  std::vector<double> col_sum(C, 0.0);
  for (size_t i = 0; i < R; ++i) {
    double s = 0.0;
    for (size_t j = 0; j < C; ++j) {
      s += x[i * C + j];
      col_sum[j] += x[i * C + j];
    }
    worst = std::max(worst, std::abs(s - static_cast<double>(row_totals[i])));
  }
  for (size_t j = 0; j < C; ++j) worst = std::max(worst, std::abs(col_sum[j] - static_cast<double>(col_totals[j])));
  return worst;
}

// The imbalances a flow must repair: balance[i] = row target - row sum (a row short of its target
// is a supply), balance[R + j] = column sum - column target; supply = sum of the positive ones.
// Returns false if a sum overflows (possible only when IPF is far off).
inline bool grid_balance(gsl::span<const int64_t> cells, gsl::span<const int64_t> row_totals,
                         gsl::span<const int64_t> col_totals, std::vector<int64_t>& balance, int64_t& supply) {
  const size_t R = row_totals.size(), C = col_totals.size();
  std::fill(balance.begin(), balance.end(), int64_t{0});
  for (size_t i = 0; i < R; ++i) {
    int64_t s = 0;
    for (size_t j = 0; j < C; ++j) {
      const int64_t v = cells[i * C + j];
      if (__builtin_add_overflow(s, v, &s) || __builtin_add_overflow(balance[R + j], v, &balance[R + j])) return false;
    }
    balance[i] = row_totals[i] - s;  // both >= 0: cannot overflow
  }
  for (size_t j = 0; j < C; ++j) balance[R + j] -= col_totals[j];
  supply = 0;
  for (int64_t b : balance)
    if (b > 0 && __builtin_add_overflow(supply, b, &supply)) return false;
  return true;
}

// Rounds the fitted matrix x to integers with exact margins, every cell the floor or the ceiling
// of its fitted value. Returns false when no such rounding exists for this x.
//
// Starts from the nearest integer of every cell; max flows then repair the row and column sums by
// moving cells one unit to their other neighbour (a row -> column unit rounds a cell up, a
// column -> row unit rounds it down). Passes allow progressively worse moves, landing within
// 0.55, 0.6, 0.7, 0.8, then 1 of the fitted value, so the cells that move are those with a
// fractional part nearest 0.5. Each pass keeps what earlier ones did and works in their residual
// network (a moved cell may move back), so the last pass succeeds exactly when a rounding exists.
// Cells within 1e-9 of an integer are integral but for IPF noise and do not move, except in a
// final pass that lets every non-integral double move. The network is built on first need.
inline bool grid_round(const GridSupport& support, std::optional<GridFlowNetwork>& net, gsl::span<const double> x,
                       gsl::span<const int64_t> row_totals, gsl::span<const int64_t> col_totals,
                       std::vector<int64_t>& cells) {
  struct Pass {
    double snap, reach;
  };
  static constexpr Pass passes[] = {{1e-9, 0.55}, {1e-9, 0.6}, {1e-9, 0.7}, {1e-9, 0.8}, {1e-9, 1.0}, {0.0, 1.0}};
  const size_t R = row_totals.size(), C = col_totals.size();
  const auto& row_start = support.row_start;
  const auto& arc_col = support.arc_col;
  std::fill(cells.begin(), cells.end(), int64_t{0});
  for (size_t i = 0; i < R; ++i)
    for (size_t a = row_start[i]; a < row_start[i + 1]; ++a) {
      const size_t j = arc_col[a], k = i * C + j;
      const int64_t limit = std::min(row_totals[i], col_totals[j]);
      // A cell above its smaller margin means IPF is far from converged; also keeps the cast in range.
      if (!(x[k] < static_cast<double>(limit) + 1.0)) return false;
      cells[k] = static_cast<int64_t>(std::round(x[k]));
      if (cells[k] > limit) return false;
    }

  std::vector<int64_t> balance(R + C);
  int64_t supply = 0;
  for (const Pass& pass : passes) {
    if (!grid_balance(cells, row_totals, col_totals, balance, supply)) return false;
    if (supply == 0) break;
    if (!net) net.emplace(R, C, support);
    for (size_t i = 0; i < R; ++i)
      for (size_t a = row_start[i]; a < row_start[i + 1]; ++a) {
        const size_t k = i * C + arc_col[a];
        const double v = static_cast<double>(cells[k]), d = x[k] - v;  // cells[k] is floor or ceil of x[k]
        net->set_arc(a, i, d > pass.snap && v + 1.0 - x[k] <= pass.reach ? 1 : 0,
                     d < -pass.snap && x[k] - (v - 1.0) <= pass.reach ? 1 : 0);
      }
    const int64_t flow = net->solve(balance);
    if (flow > 0)
      for (size_t i = 0; i < R; ++i)
        for (size_t a = row_start[i]; a < row_start[i + 1]; ++a) cells[i * C + arc_col[a]] += net->net_flow(a, i);
    if (flow == supply) {
      supply = 0;
      break;
    }
  }
  if (supply != 0) return false;

  // The flow guarantees the margins; verify them exactly anyway, a mismatch is a bug.
  if (!grid_balance(cells, row_totals, col_totals, balance, supply)) fail(errc::internal, "grid rounding overflowed");
  for (size_t v = 0; v < R + C; ++v)
    if (balance[v] != 0)
      fail(errc::internal, "grid rounding missed ", v < R ? "row " : "column ", v < R ? v : v - R, " by ", balance[v]);
  return true;
}

// Called when no rounding was found: decides whether the seed's zero pattern admits the margins at
// all (a transportation problem: a max flow with unbounded cell edges) and throws the matching error.
[[noreturn]] inline void grid_explain_failure(const GridSupport& support, std::optional<GridFlowNetwork>& net,
                                              gsl::span<const int64_t> row_totals, gsl::span<const int64_t> col_totals,
                                              int64_t total, int32_t iterations, double max_error, bool broke_down,
                                              bool converged) {
  const size_t R = row_totals.size(), C = col_totals.size();
  if (!net) net.emplace(R, C, support);
  for (size_t i = 0; i < R; ++i)
    for (size_t a = support.row_start[i]; a < support.row_start[i + 1]; ++a) net->set_arc(a, i, total, 0);
  std::vector<int64_t> balance(R + C);
  for (size_t i = 0; i < R; ++i) balance[i] = row_totals[i];
  for (size_t j = 0; j < C; ++j) balance[R + j] = -col_totals[j];
  if (net->solve(balance) == total) {
    if (broke_down)
      fail(errc::invalid_argument, "iterative proportional fitting broke down after ", iterations,
           " iterations (a scale factor underflowed or overflowed); the seed values span too wide a range");
    if (converged)
      fail(total > (int64_t{1} << 40) ? errc::out_of_range : errc::internal,
           "the fitted matrix could not be rounded with exact margins (grand total ", total,
           "); totals this large exceed what double precision resolves");
    fail(errc::invalid_argument, "iterative proportional fitting did not converge within max_iterations = ",
         iterations, " (largest margin error ", max_error,
         "); the margins are feasible for the seed's zero pattern, so raise max_iterations");
  }
  // Source side of a minimum cut: rows S whose seed cells reach only the columns N(S), with
  // sum(row_totals[S]) > sum(col_totals[N(S)]), the condition (Gale-Hoffman) that fails.
  const std::vector<char> side = net->source_side();
  std::vector<size_t> rs, cs;
  int64_t need = 0, room = 0;
  for (size_t i = 0; i < R; ++i)
    if (side[i]) rs.push_back(i), need += row_totals[i];
  for (size_t j = 0; j < C; ++j)
    if (side[R + j]) cs.push_back(j), room += col_totals[j];
  fail(errc::invalid_argument, "the margins cannot be met with the seed's zero pattern: rows {", grid_index_list(rs),
       "} have totals summing to ", need, " but their nonzero seed cells lie only in columns {", grid_index_list(cs),
       "} whose totals sum to ", room);
}

// Applies the pending column factors b to row x and returns its sum, with four accumulators in a
// fixed order (fast, and reproducible).
inline double grid_scaled_row(double* x, const double* b, size_t n) {
  double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  size_t j = 0;
  for (; j + 4 <= n; j += 4) {
    x[j] *= b[j];
    x[j + 1] *= b[j + 1];
    x[j + 2] *= b[j + 2];
    x[j + 3] *= b[j + 3];
    s0 += x[j];
    s1 += x[j + 1];
    s2 += x[j + 2];
    s3 += x[j + 3];
  }
  for (; j < n; ++j) {
    x[j] *= b[j];
    s0 += x[j];
  }
  return (s0 + s1) + (s2 + s3);
}

}  // namespace detail

// Splits a grand total over a rows x cols grid: cells[i*cols + j] >= 0, row i summing exactly to
// row_totals[i] and column j exactly to col_totals[j], in proportions close to `seed`'s.
//   GridResult g = allocate_grid(rows, cols, seed);  // g.cells[i * cols.size() + j]
//
// rows = row_totals.size(), cols = col_totals.size(); seed holds rows*cols values, row-major, each
// finite and >= 0 (only their proportions matter). Totals are integers (minor units), each >= 0,
// and row_totals and col_totals must have the same sum, at most grid_max_total (2^53). Rows and
// columns with total 0 get zeros; empty totals give an empty grid.
//
// IPF scales the seed's rows and columns alternately and stops when every margin m of the real
// matrix is within max(tolerance, target * 2^-50) of its target (the second term, 4 ulps, is the
// limit of double precision), when the error has stopped shrinking at double precision, or after
// max_iterations. Its fixed point keeps the seed's cross-ratios (s_ij s_kl / (s_il s_kj)), hence
// "the seed's proportions". The fitted matrix is then rounded with exact margins, preferring to
// move the cells nearest .5 (see grid_round); the rounding is tried even when IPF stopped at
// max_iterations, and usually succeeds when IPF got close (sparse seeds with nearly forced cells
// can make IPF crawl). ipf_iterations and ipf_max_error report how IPF ended.
//
// Zero seed cells stay zero, so the margins must be reachable on the seed's nonzero pattern.
// Errors (quotaflow::error):
//   invalid_argument: max_iterations < 1; tolerance NaN, infinite or negative; a negative total
//     ("row_totals[3] is -5; totals must be >= 0"); unequal grand totals (both sums named); seed
//     length != rows*cols; a NaN, infinite or negative seed cell ("seed[3,7] is NaN"); a positive
//     row or column whose seed is zero wherever the other margin is positive ("row_totals[2] is
//     500 but seed row 2 is zero in every column with a positive total"); margins that no matrix
//     on the seed's zero pattern meets (the rows and columns that show it are named); IPF too far
//     from converged to round ("... raise max_iterations"); seed values spanning more than double
//     precision can scale;
//   overflow: a sum of totals does not fit in int64;
//   out_of_range: a grand total above 2^53, or (rarely, near that bound) a fitted matrix whose
//     cells are too large for double precision to round exactly.
inline GridResult allocate_grid(gsl::span<const int64_t> row_totals, gsl::span<const int64_t> col_totals,
                                gsl::span<const double> seed, int32_t max_iterations = 1000,
                                double tolerance = 1e-9) {
  const size_t R = row_totals.size(), C = col_totals.size();
  if (max_iterations < 1) fail(errc::invalid_argument, "max_iterations is ", max_iterations, "; it must be >= 1");
  if (!(tolerance >= 0.0) || std::isinf(tolerance))
    fail(errc::invalid_argument, "tolerance is ", tolerance, "; it must be finite and >= 0");

  int64_t row_sum = 0, col_sum = 0;
  for (size_t i = 0; i < R; ++i) {
    if (row_totals[i] < 0) fail(errc::invalid_argument, "row_totals[", i, "] is ", row_totals[i], "; totals must be >= 0");
    row_sum = detail::checked_add(row_sum, row_totals[i], "sum of row_totals");
  }
  for (size_t j = 0; j < C; ++j) {
    if (col_totals[j] < 0) fail(errc::invalid_argument, "col_totals[", j, "] is ", col_totals[j], "; totals must be >= 0");
    col_sum = detail::checked_add(col_sum, col_totals[j], "sum of col_totals");
  }
  if (row_sum != col_sum)
    fail(errc::invalid_argument, "row_totals sum to ", row_sum, " but col_totals sum to ", col_sum,
         "; the grand totals must be equal");
  if (row_sum > grid_max_total)
    fail(errc::out_of_range, "row_totals and col_totals sum to ", row_sum, "; allocate_grid supports grand totals up to 2^53 = ",
         grid_max_total, ", where every integer is exact as a double");
  size_t n = 0;
  if (__builtin_mul_overflow(R, C, &n)) fail(errc::overflow, "grid size ", R, " x ", C, " overflows");
  if (seed.size() != n)
    fail(errc::invalid_argument, "seed has ", seed.size(), " values but the grid is ", R, " x ", C, " = ", n, " cells");
  for (size_t k = 0; k < n; ++k) {
    const double s = seed[k];
    if (s >= 0.0 && s <= std::numeric_limits<double>::max()) continue;
    const size_t i = k / C, j = k % C;
    if (std::isnan(s)) fail(errc::invalid_argument, "seed[", i, ",", j, "] is NaN");
    if (std::isinf(s))
      fail(errc::invalid_argument, "seed[", i, ",", j, "] is ", s > 0 ? "inf" : "-inf", "; seed cells must be finite");
    fail(errc::invalid_argument, "seed[", i, ",", j, "] is ", s, "; seed cells must be >= 0");
  }

  GridResult out;
  out.cells.assign(n, 0);
  out.fitted.assign(n, 0.0);
  if (row_sum == 0) return out;

  // Working matrix (fitted in place): the seed on positive rows and columns, each row scaled by a
  // power of two to a maximum in [1, 2): exact, IPF's result does not depend on row scaling, and
  // no sum can overflow however large or small the seed is.
  std::vector<double>& x = out.fitted;
  detail::GridSupport support;
  support.row_start.assign(R + 1, 0);
  for (size_t i = 0; i < R; ++i) {
    support.row_start[i + 1] = support.row_start[i];
    if (row_totals[i] == 0) continue;
    double top = 0.0;
    for (size_t j = 0; j < C; ++j)
      if (col_totals[j] > 0) top = std::max(top, seed[i * C + j]);
    if (top == 0.0)
      fail(errc::invalid_argument, "row_totals[", i, "] is ", row_totals[i], " but seed row ", i,
           " is zero in every column with a positive total");
    const double scale = std::ldexp(1.0, -std::max(std::ilogb(top), -1000));  // a subnormal top stays finite
    for (size_t j = 0; j < C; ++j) {
      const double s = seed[i * C + j];
      if (col_totals[j] == 0 || s == 0.0) continue;
      if (support.arc_col.size() >= std::numeric_limits<uint32_t>::max() / 2)
        fail(errc::out_of_range, "grid has more than 2^31 nonzero seed cells");
      x[i * C + j] = s * scale;
      support.arc_col.push_back(static_cast<uint32_t>(j));
      ++support.row_start[i + 1];
    }
  }
  {
    std::vector<char> col_seen(C, 0);
    for (uint32_t j : support.arc_col) col_seen[j] = 1;
    for (size_t j = 0; j < C; ++j)
      if (col_totals[j] > 0 && !col_seen[j])
        fail(errc::invalid_argument, "col_totals[", j, "] is ", col_totals[j], " but seed column ", j,
             " is zero in every row with a positive total");
  }

  // IPF. `b` holds the pending column factors, applied while reading a row: each iteration is a
  // single sweep (apply b, scale the row to its target, accumulate column sums). The convergence
  // test measures the row margins of the previous iteration's result, whose columns are exact.
  std::vector<double> b(C, 1.0), colsum(C);
  int32_t it = 0;
  bool broke_down = false, converged = false;
  double best_rel = std::numeric_limits<double>::infinity();
  int stalled = 0;
  while (it < max_iterations && !broke_down) {
    std::fill(colsum.begin(), colsum.end(), 0.0);
    double worst = 0.0, worst_rel = 0.0;  // in units of the stopping bound; relative to the target
    for (size_t i = 0; i < R && !broke_down; ++i) {
      if (row_totals[i] == 0) continue;
      double* row = x.data() + i * C;
      const double t = detail::grid_scaled_row(row, b.data(), C);
      const auto target = static_cast<double>(row_totals[i]);
      const double miss = std::abs(t - target);
      worst = std::max(worst, miss / std::max(tolerance, target * 0x1p-50));
      worst_rel = std::max(worst_rel, miss / target);
      if (!(t > 0.0 && t <= std::numeric_limits<double>::max())) broke_down = true;
      const double a = target / t;
      for (size_t j = 0; j < C; ++j) {
        row[j] *= a;
        colsum[j] += row[j];
      }
    }
    if (broke_down) break;
    ++it;
    for (size_t j = 0; j < C; ++j) {
      if (col_totals[j] == 0) continue;
      if (!(colsum[j] > 0.0 && colsum[j] <= std::numeric_limits<double>::max())) broke_down = true;
      b[j] = static_cast<double>(col_totals[j]) / colsum[j];
    }
    if (it == 1) continue;  // the first sweep measured the seed itself
    // Rounding noise can hold a long row just above the bound: stop once the error is at double
    // precision (2^-40 relative) and has not improved for three iterations.
    stalled = worst_rel < best_rel ? 0 : stalled + 1;
    best_rel = std::min(best_rel, worst_rel);
    converged = worst <= 1.0 || (worst_rel <= 0x1p-40 && stalled >= 3);
    if (converged) break;
  }
  if (!broke_down)
    for (size_t i = 0; i < R; ++i)
      for (size_t j = 0; j < C; ++j) x[i * C + j] *= b[j];
  for (double v : x)
    if (!(v <= std::numeric_limits<double>::max())) broke_down = true;  // NaN or inf

  out.ipf_iterations = it;
  out.ipf_max_error = broke_down ? std::numeric_limits<double>::infinity() : detail::grid_margin_error(x, row_totals, col_totals);

  std::optional<detail::GridFlowNetwork> net;
  if (!broke_down && detail::grid_round(support, net, x, row_totals, col_totals, out.cells)) return out;
  detail::grid_explain_failure(support, net, row_totals, col_totals, row_sum, it, out.ipf_max_error, broke_down,
                               converged);
}

}  // namespace quotaflow
