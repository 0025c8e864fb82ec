// Two-way exact integer grids: hand-worked cases, exact margins and floor/ceil on random cases,
// zero patterns, IPF behaviour, infeasible supports, bad inputs with their messages, determinism.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "quotaflow/allocation/grid.hpp"
#include "test_util.hpp"

using namespace quotaflow;

namespace {

using I = std::vector<int64_t>;
using D = std::vector<double>;

// Every guarantee of allocate_grid, checked on one result.
void expect_grid_contract(const I& rows, const I& cols, const D& seed, const GridResult& g) {
  const size_t R = rows.size(), C = cols.size();
  ASSERT_EQ(g.cells.size(), R * C);
  ASSERT_EQ(g.fitted.size(), R * C);
  I col_sum(C, 0);
  for (size_t i = 0; i < R; ++i) {
    int64_t row_sum = 0;
    for (size_t j = 0; j < C; ++j) {
      const size_t k = i * C + j;
      const int64_t v = g.cells[k];
      const double f = g.fitted[k];
      ASSERT_GE(v, 0) << "cell " << i << "," << j;
      ASSERT_TRUE(v == static_cast<int64_t>(std::floor(f)) || v == static_cast<int64_t>(std::ceil(f)))
          << "cell " << i << "," << j << " is " << v << ", fitted " << f;
      if (seed[k] == 0.0 || rows[i] == 0 || cols[j] == 0) {
        ASSERT_EQ(v, 0) << "cell " << i << "," << j << " must stay zero";
        ASSERT_EQ(f, 0.0) << "fitted " << i << "," << j << " must stay zero";
      }
      row_sum += v;
      col_sum[j] += v;
    }
    ASSERT_EQ(row_sum, rows[i]) << "row " << i;
  }
  for (size_t j = 0; j < C; ++j) ASSERT_EQ(col_sum[j], cols[j]) << "column " << j;
}

// Largest miss of a fitted margin in units of IPF's stopping bound max(tolerance, target * 2^-50).
double fitted_error_in_bounds(const I& rows, const I& cols, const GridResult& g, double tolerance = 1e-9) {
  const size_t R = rows.size(), C = cols.size();
  double worst = 0;
  D col_sum(C, 0.0);
  for (size_t i = 0; i < R; ++i) {
    double s = 0;
    for (size_t j = 0; j < C; ++j) {
      s += g.fitted[i * C + j];
      col_sum[j] += g.fitted[i * C + j];
    }
    worst = std::max(worst, std::abs(s - static_cast<double>(rows[i])) /
                                std::max(tolerance, static_cast<double>(rows[i]) * 0x1p-50));
  }
  for (size_t j = 0; j < C; ++j)
    worst = std::max(worst, std::abs(col_sum[j] - static_cast<double>(cols[j])) /
                                std::max(tolerance, static_cast<double>(cols[j]) * 0x1p-50));
  return worst;
}

// A random case whose margins are the sums of a random integer matrix that is positive exactly on
// the seed's support, so the margins are strictly feasible and IPF converges.
struct Case {
  I rows, cols;
  D seed;
};

Case random_case(std::mt19937_64& rng, size_t R, size_t C, double zero_share, int64_t max_cell) {
  Case c;
  c.rows.assign(R, 0);
  c.cols.assign(C, 0);
  c.seed.assign(R * C, 0.0);
  std::uniform_real_distribution<double> coin(0.0, 1.0), weight(0.01, 5.0);
  std::uniform_int_distribution<int64_t> amount(1, max_cell);
  std::bernoulli_distribution zero_line(0.1);
  std::vector<bool> zero_row(R), zero_col(C);
  for (size_t i = 0; i < R; ++i) zero_row[i] = zero_line(rng);
  for (size_t j = 0; j < C; ++j) zero_col[j] = zero_line(rng);
  for (size_t i = 0; i < R; ++i)
    for (size_t j = 0; j < C; ++j) {
      if (coin(rng) < zero_share) continue;
      c.seed[i * C + j] = weight(rng);
      if (zero_row[i] || zero_col[j]) continue;  // seed may be nonzero where a total is 0
      const int64_t v = amount(rng);
      c.rows[i] += v;
      c.cols[j] += v;
    }
  return c;
}

int64_t sum(const I& v) {
  int64_t s = 0;
  for (int64_t x : v) s += x;
  return s;
}

}  // namespace

// ---- hand-worked cases ------------------------------------------------------------------------

TEST(Grid, UniformTwoByTwoWithExactFit) {
  // Row-scaling a uniform seed to {4, 6} gives [[2, 2], [3, 3]], whose columns are already {5, 5}.
  const I rows{4, 6}, cols{5, 5};
  const D seed{1, 1, 1, 1};
  const GridResult g = allocate_grid(rows, cols, seed);
  EXPECT_EQ(g.cells, (I{2, 2, 3, 3}));
  EXPECT_EQ(g.fitted, (D{2, 2, 3, 3}));
  EXPECT_EQ(g.ipf_max_error, 0.0);
  EXPECT_LE(g.ipf_iterations, 2);
}

TEST(Grid, HeaderExampleRoundsHalvesWithExactMargins) {
  // Fitted [[2.5, 2.5], [3.5, 3.5]]: each row needs one cell up and one down, and the columns
  // force opposite choices in the two rows.
  const I rows{5, 7}, cols{6, 6};
  const D seed{1, 1, 1, 1};
  const GridResult g = allocate_grid(rows, cols, seed);
  EXPECT_EQ(g.fitted, (D{2.5, 2.5, 3.5, 3.5}));
  expect_grid_contract(rows, cols, seed, g);
  EXPECT_EQ(g.cells, (I{3, 2, 3, 4}));  // the one documented in the header
}

TEST(Grid, RankOneSeedThreeByThreeIsIntegral) {
  // Seed rows proportional to (1, 3, 6); the RAS limit is r_i * c_j / 60, all integers here.
  const I rows{10, 20, 30}, cols{6, 18, 36};
  const D seed{1, 3, 6, 2, 6, 12, 0.5, 1.5, 3};
  const GridResult g = allocate_grid(rows, cols, seed);
  EXPECT_EQ(g.cells, (I{1, 3, 6, 2, 6, 12, 3, 9, 18}));
  for (size_t k = 0; k < 9; ++k) EXPECT_NEAR(g.fitted[k], static_cast<double>(g.cells[k]), 1e-12) << k;
}

TEST(Grid, IpfConvergesToKnownExactFit) {
  // A rank-1 seed u v^T fits in one iteration: the limit is r_i * c_j / T exactly (here with
  // fractional cells), whatever u and v were.
  const I rows{7, 11, 13, 5}, cols{9, 17, 10};
  const D u{0.3, 2.0, 1.1, 7.0}, v{4.0, 0.25, 1.5};
  D seed;
  for (double a : u)
    for (double b : v) seed.push_back(a * b);
  const GridResult g = allocate_grid(rows, cols, seed);
  const double T = 36;
  for (size_t i = 0; i < 4; ++i)
    for (size_t j = 0; j < 3; ++j)
      EXPECT_NEAR(g.fitted[i * 3 + j], static_cast<double>(rows[i] * cols[j]) / T, 1e-12) << i << "," << j;
  EXPECT_LE(g.ipf_iterations, 2);
  EXPECT_LT(g.ipf_max_error, 1e-12);
  expect_grid_contract(rows, cols, seed, g);
}

TEST(Grid, IpfKeepsTheSeedsCrossRatio) {
  // RAS preserves odds ratios: x00 x11 / (x01 x10) == s00 s11 / (s01 s10) = 4 / 6.
  const I rows{30, 70}, cols{50, 50};
  const D seed{1, 2, 3, 4};
  const GridResult g = allocate_grid(rows, cols, seed);
  const auto& x = g.fitted;
  EXPECT_NEAR(x[0] * x[3] / (x[1] * x[2]), 4.0 / 6.0, 1e-12);
  EXPECT_LE(fitted_error_in_bounds(rows, cols, g), 4.0);
  EXPECT_GT(g.ipf_iterations, 2);
  expect_grid_contract(rows, cols, seed, g);
}

TEST(Grid, ForcedSupportGivesTheOnlyAnswer) {
  const I rows{3, 4}, cols{3, 4};
  const D seed{1, 0, 0, 2};
  const GridResult g = allocate_grid(rows, cols, seed);
  EXPECT_EQ(g.cells, (I{3, 0, 0, 4}));
  EXPECT_EQ(g.fitted, (D{3, 0, 0, 4}));
}

TEST(Grid, SlowIpfOnBoundarySupportStillRoundsExactly) {
  // The only matrix with these margins on this support is [[0, 1], [1, 0]]; IPF approaches it
  // like 1/k and never reaches the tolerance, but its result rounds to the exact answer.
  const I rows{1, 1}, cols{1, 1};
  const D seed{1, 1, 1, 0};
  const GridResult g = allocate_grid(rows, cols, seed, 200);
  EXPECT_EQ(g.cells, (I{0, 1, 1, 0}));
  EXPECT_EQ(g.ipf_iterations, 200);
  EXPECT_GT(g.ipf_max_error, 1e-9);
  EXPECT_LT(g.ipf_max_error, 0.05);
}

TEST(Grid, ZeroTotalsGiveZeroLines) {
  const I rows{0, 10, 0}, cols{4, 0, 6};
  const D seed{5, 5, 5, 1, 9, 1, 5, 5, 5};
  const GridResult g = allocate_grid(rows, cols, seed);
  EXPECT_EQ(g.cells, (I{0, 0, 0, 4, 0, 6, 0, 0, 0}));
  expect_grid_contract(rows, cols, seed, g);
}

TEST(Grid, AllZeroTotalsAndEmptyGrids) {
  GridResult g = allocate_grid(I{0, 0}, I{0, 0, 0}, D(6, 1.0));
  EXPECT_EQ(g.cells, I(6, 0));
  EXPECT_EQ(g.fitted, D(6, 0.0));
  EXPECT_EQ(g.ipf_iterations, 0);
  g = allocate_grid(I{}, I{}, D{});
  EXPECT_TRUE(g.cells.empty());
  EXPECT_TRUE(g.fitted.empty());
  g = allocate_grid(I{}, I{0, 0}, D{});
  EXPECT_TRUE(g.cells.empty());
  g = allocate_grid(I{0}, I{}, D{});
  EXPECT_TRUE(g.cells.empty());
}

TEST(Grid, LargeTotalsKeepExactMargins) {
  // Grand total just under 2^53 (cells near 2^50, where doubles have 1/4 steps): still exact.
  const int64_t big = (int64_t{1} << 53) / 3 - 9;
  const I rows{big, big + 1, big - 7}, cols{big - 3, big + 2, big - 5};
  const D seed{1, 2, 3, 3, 2, 1, 1, 1, 1};
  const GridResult g = allocate_grid(rows, cols, seed);
  expect_grid_contract(rows, cols, seed, g);
  EXPECT_LE(sum(rows), grid_max_total);
}

TEST(Grid, SubnormalAndHugeSeedRowsTogether) {
  const I rows{6, 6, 6}, cols{9, 9};
  const D seed{1e-310, 2e-310, 1e300, 2e300, 1, 2};
  const GridResult g = allocate_grid(rows, cols, seed);
  expect_grid_contract(rows, cols, seed, g);
  EXPECT_NEAR(g.fitted[0], g.fitted[2], 1e-9);  // rows with equal proportions fit alike
  EXPECT_NEAR(g.fitted[2], g.fitted[4], 1e-9);
}

TEST(Grid, SeedScaleDoesNotMatter) {
  // IPF is invariant under scaling the seed; tiny and huge seeds give the same grid.
  const I rows{17, 29, 3}, cols{20, 20, 9};
  const D seed{1, 2, 3, 4, 5, 6, 7, 8, 9};
  const GridResult ref = allocate_grid(rows, cols, seed);
  for (double scale : {1e-300, 1e-5, 1e200, 1e300}) {
    D scaled = seed;
    for (double& s : scaled) s *= scale;
    const GridResult g = allocate_grid(rows, cols, scaled);
    EXPECT_EQ(g.cells, ref.cells) << scale;
    for (size_t k = 0; k < 9; ++k) EXPECT_NEAR(g.fitted[k], ref.fitted[k], 1e-9) << scale << " " << k;
  }
}

// ---- random property tests --------------------------------------------------------------------

TEST(Grid, RandomCasesMeetEveryGuarantee) {
  std::mt19937_64 rng(20240601);
  std::uniform_int_distribution<size_t> dim(1, 12);
  std::uniform_real_distribution<double> share(0.0, 0.8);
  int checked = 0;
  for (int n = 0; n < 600; ++n) {
    const size_t R = dim(rng), C = dim(rng);
    const int64_t max_cell = n % 3 == 0 ? 3 : n % 3 == 1 ? 1000 : 2'000'000'000;
    const Case c = random_case(rng, R, C, n % 4 == 0 ? 0.0 : share(rng), max_cell);
    SCOPED_TRACE(::testing::Message() << "case " << n << ": " << R << " x " << C);
    const bool dense = n % 4 == 0;
    const GridResult g = allocate_grid(c.rows, c.cols, c.seed);
    expect_grid_contract(c.rows, c.cols, c.seed, g);
    // Dense seeds converge fast; sparse supports with nearly forced cells can make IPF crawl (a
    // known property of IPF), yet its result still rounds exactly.
    if (dense) {
      EXPECT_LE(fitted_error_in_bounds(c.rows, c.cols, g), 4.0);
      EXPECT_LT(g.ipf_iterations, 200);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 600);
}

TEST(Grid, RandomBoundaryCasesRoundOrSayWhy) {
  // Margins from integer matrices that may be zero on parts of the seed's support: feasible, but
  // IPF may converge only slowly. Each result meets the contract or is a clear invalid_argument.
  std::mt19937_64 rng(77);
  std::uniform_int_distribution<size_t> dim(1, 8);
  std::uniform_int_distribution<int64_t> amount(0, 5);
  int ok = 0;
  for (int n = 0; n < 300; ++n) {
    const size_t R = dim(rng), C = dim(rng);
    Case c{I(R, 0), I(C, 0), D(R * C, 0.0)};
    std::bernoulli_distribution on(0.6);
    for (size_t k = 0; k < R * C; ++k) {
      if (!on(rng)) continue;
      c.seed[k] = 1.0 + static_cast<double>(k % 3);
      const int64_t v = amount(rng);
      c.rows[k / C] += v;
      c.cols[k % C] += v;
    }
    try {
      const GridResult g = allocate_grid(c.rows, c.cols, c.seed, 300);
      expect_grid_contract(c.rows, c.cols, c.seed, g);
      ++ok;
    } catch (const error& e) {
      EXPECT_EQ(e.code(), errc::invalid_argument) << e.what();
      EXPECT_NE(std::string(e.what()).find("max_iterations"), std::string::npos) << e.what();
    }
  }
  EXPECT_GT(ok, 250);
}

TEST(Grid, LargerRandomCaseStaysNearTheFit) {
  std::mt19937_64 rng(5);
  const Case c = random_case(rng, 120, 40, 0.3, 50'000);
  const GridResult g = allocate_grid(c.rows, c.cols, c.seed);
  expect_grid_contract(c.rows, c.cols, c.seed, g);
  // Rounding starts from the nearest integers and moves the cells nearest to .5 first, so few
  // cells end up more than 0.6 from their fitted value (floor/ceil allows up to 1).
  size_t far = 0;
  for (size_t k = 0; k < g.cells.size(); ++k)
    if (std::abs(static_cast<double>(g.cells[k]) - g.fitted[k]) > 0.6) ++far;
  EXPECT_LT(far, g.cells.size() / 20);
}

TEST(Grid, Deterministic) {
  std::mt19937_64 rng(9);
  const Case c = random_case(rng, 150, 30, 0.2, 1'000'000);
  const GridResult a = allocate_grid(c.rows, c.cols, c.seed);
  const GridResult b = allocate_grid(c.rows, c.cols, c.seed);
  ASSERT_EQ(a.cells.size(), b.cells.size());
  EXPECT_EQ(std::memcmp(a.cells.data(), b.cells.data(), a.cells.size() * sizeof(int64_t)), 0);
  EXPECT_EQ(std::memcmp(a.fitted.data(), b.fitted.data(), a.fitted.size() * sizeof(double)), 0);
  EXPECT_EQ(a.ipf_iterations, b.ipf_iterations);
  EXPECT_EQ(std::memcmp(&a.ipf_max_error, &b.ipf_max_error, sizeof(double)), 0);
}

// ---- the rounding fallback --------------------------------------------------------------------

TEST(GridRounding, NearIntegralCellsMoveOnlyWhenNothingElseWorks) {
  // Fitted values within 1e-9 of integers whose nearest rounding breaks the rows: only the last
  // pass, which lets near-integral cells move, can repair them.
  const detail::GridSupport full{{0, 2, 4}, {0, 1, 0, 1}};
  const I rows{1, 1}, cols{1, 1};
  const D x{1 - 1e-10, 1 - 1e-10, 1e-10, 1e-10};
  std::optional<detail::GridFlowNetwork> net;
  I cells(4);
  ASSERT_TRUE(detail::grid_round(full, net, x, rows, cols, cells));
  EXPECT_TRUE(cells == (I{1, 0, 0, 1}) || cells == (I{0, 1, 1, 0})) << cells[0] << cells[1] << cells[2] << cells[3];

  // No floor/ceil choice meets these margins: a cell of 0.2 can be 0 or 1, never 2.
  const detail::GridSupport one_row{{0, 2}, {0, 1}};
  std::optional<detail::GridFlowNetwork> net2;
  I cells2(2);
  EXPECT_FALSE(detail::grid_round(one_row, net2, D{0.2, 0.2}, I{3}, I{2, 1}, cells2));

  // Exact input needs no flow network at all.
  std::optional<detail::GridFlowNetwork> net3;
  ASSERT_TRUE(detail::grid_round(full, net3, D{1, 0, 2, 3}, I{1, 5}, I{3, 3}, cells));
  EXPECT_FALSE(net3.has_value());
  EXPECT_EQ(cells, (I{1, 0, 2, 3}));
}

// ---- infeasible supports ----------------------------------------------------------------------

TEST(GridErrors, AllZeroSeedRowOrColumnIsNamed) {
  EXPECT_QF_ERROR(allocate_grid(I{5, 500}, I{250, 255}, D{1, 1, 0, 0}), errc::invalid_argument,
                  "row_totals[1] is 500", "seed row 1 is zero");
  EXPECT_QF_ERROR(allocate_grid(I{5, 5}, I{0, 7, 3}, D{1, 0, 1, 1, 0, 1}), errc::invalid_argument,
                  "col_totals[1] is 7", "seed column 1 is zero");
  // Nonzero only where the other margin is 0 counts as zero.
  EXPECT_QF_ERROR(allocate_grid(I{4, 0}, I{0, 4}, D{1, 0, 1, 1}), errc::invalid_argument, "row_totals[0] is 4",
                  "zero in every column with a positive total");
}

TEST(GridErrors, InfeasibleSupportNamesTheBottleneck) {
  // Rows 0 and 1 can only use column 0, which holds 5 of the 10 they need.
  EXPECT_QF_ERROR(allocate_grid(I{5, 5, 5}, I{5, 5, 5}, D{1, 0, 0, 1, 0, 0, 1, 1, 1}), errc::invalid_argument,
                  "cannot be met with the seed's zero pattern", "rows {0, 1} have totals summing to 10",
                  "columns {0} whose totals sum to 5");
}

TEST(GridErrors, IpfTooFarFromConvergedSaysRaiseMaxIterations) {
  EXPECT_QF_ERROR(allocate_grid(I{10, 190}, I{100, 100}, D{1, 100, 100, 1}, 1), errc::invalid_argument,
                  "did not converge within max_iterations = 1", "raise max_iterations");
  // The same case with the default budget is fine.
  const GridResult g = allocate_grid(I{10, 190}, I{100, 100}, D{1, 100, 100, 1});
  expect_grid_contract(I{10, 190}, I{100, 100}, D{1, 100, 100, 1}, g);
}

// ---- bad inputs -------------------------------------------------------------------------------

TEST(GridErrors, BadInputsNameTheArgument) {
  const D s4{1, 1, 1, 1};
  EXPECT_QF_ERROR(allocate_grid(I{5, -1}, I{2, 2}, s4), errc::invalid_argument, "row_totals[1] is -1", ">= 0");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{-3, 7}, s4), errc::invalid_argument, "col_totals[0] is -3", ">= 0");
  EXPECT_QF_ERROR(allocate_grid(I{5, 6}, I{2, 8}, s4), errc::invalid_argument, "row_totals sum to 11",
                  "col_totals sum to 10");
  EXPECT_QF_ERROR(allocate_grid(I{}, I{5}, D{}), errc::invalid_argument, "row_totals sum to 0", "col_totals sum to 5");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, D{1, 1, 1}), errc::invalid_argument, "seed has 3 values",
                  "2 x 2 = 4");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, D(5, 1.0)), errc::invalid_argument, "seed has 5 values");

  D seed(2 * 8, 1.0);
  seed[1 * 8 + 7] = std::nan("");
  EXPECT_QF_ERROR(allocate_grid(I{4, 4}, I(8, 1), seed), errc::invalid_argument, "seed[1,7] is NaN");
  seed[1 * 8 + 7] = -0.5;
  EXPECT_QF_ERROR(allocate_grid(I{4, 4}, I(8, 1), seed), errc::invalid_argument, "seed[1,7] is -0.5", ">= 0");
  seed[1 * 8 + 7] = std::numeric_limits<double>::infinity();
  EXPECT_QF_ERROR(allocate_grid(I{4, 4}, I(8, 1), seed), errc::invalid_argument, "seed[1,7] is inf", "finite");
  seed[1 * 8 + 7] = -std::numeric_limits<double>::infinity();
  EXPECT_QF_ERROR(allocate_grid(I{4, 4}, I(8, 1), seed), errc::invalid_argument, "seed[1,7] is -inf");

  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, s4, 0), errc::invalid_argument, "max_iterations is 0");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, s4, -4), errc::invalid_argument, "max_iterations is -4");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, s4, 10, std::nan("")), errc::invalid_argument, "tolerance is nan");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, s4, 10, -1e-9), errc::invalid_argument, "tolerance is -1");
  EXPECT_QF_ERROR(allocate_grid(I{2, 2}, I{1, 3}, s4, 10, std::numeric_limits<double>::infinity()),
                  errc::invalid_argument, "tolerance is inf");
}

TEST(GridErrors, GrandTotalAbove2To53) {
  const int64_t half = int64_t{1} << 52;
  EXPECT_QF_ERROR(allocate_grid(I{half, half + 1}, I{2 * half + 1}, D{1, 1}), errc::out_of_range,
                  "sum to 9007199254740993", "up to 2^53");
  const GridResult g = allocate_grid(I{half, half}, I{2 * half}, D{1, 1});
  EXPECT_EQ(g.cells, (I{half, half}));
}

TEST(GridErrors, TotalsOverflow) {
  const int64_t max = std::numeric_limits<int64_t>::max();
  EXPECT_QF_ERROR(allocate_grid(I{max, 1}, I{max, 1}, D{1, 1, 1, 1}), errc::overflow, "sum of row_totals",
                  "overflows int64");
  EXPECT_QF_ERROR(allocate_grid(I{max}, I{max, 1}, D{1, 1}), errc::overflow, "sum of col_totals");
}

TEST(Grid, ZeroToleranceMeansDoublePrecision) {
  // tolerance 0 leaves only the double-precision bound (target * 2^-50) and the stall test.
  const I rows{30, 70}, cols{50, 50};
  const D seed{1, 2, 3, 4};
  const GridResult g = allocate_grid(rows, cols, seed, 500, 0.0);
  EXPECT_LT(g.ipf_iterations, 500);
  EXPECT_LT(g.ipf_max_error, 1e-12);
  expect_grid_contract(rows, cols, seed, g);
  EXPECT_EQ(sum(g.cells), 100);
}
