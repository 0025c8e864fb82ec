// Fuzzes the C ABI as a foreign caller would use it: the input is decoded into a sequence of
// qf_* calls with arbitrary arguments (lengths, NaN and infinities, extreme int64, out-of-range
// enums, NULL where the contract rejects it). Every call must return a documented status; a
// failure must never be QF_ERR_INTERNAL and must leave a message; a success must keep the
// library's promises: allocations sum to their totals (apportion, tree, grid, phasing), roll-ups
// and reconciled plans are coherent, checked arithmetic agrees with the exact result, formatted
// amounts and dates read back, price/volume/mix adds up to the gap. Destroyed handles are out of
// scope (a C caller can always crash on those).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <limits>
#include <vector>

#include "quotaflow.h"

namespace {

using i128 = __int128;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "broken invariant: %s (last error: %s)\n", what, qf_last_error_message());
  std::abort();
}
void check(bool ok, const char* what) {
  if (!ok) broken(what);
}

// A failure is a documented status with a message; QF_ERR_INTERNAL would be a bug.
bool ok(qf_status s) {
  if (s == QF_OK) return true;
  check(s >= QF_ERR_NULL_POINTER && s <= QF_ERR_INVALID_ARGUMENT, "status is a documented error, not internal");
  check(qf_last_error_message()[0] != '\0', "a failure leaves a message");
  return false;
}

// Reads the fuzz input; past its end every read gives 0. Every read is its own statement (or an
// init-declarator, a braced list element, an operand of ?: or &&): two reads among the arguments
// of one call would be unsequenced, and gcc and clang would decode one input differently.
struct Input {
  const uint8_t* p;
  size_t n;
  uint8_t byte() {
    if (n == 0) return 0;
    --n;
    return *p++;
  }
  uint64_t bits(int bytes) {
    uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = v << 8 | byte();
    return v;
  }
  size_t count(size_t max) { return byte() % (max + 1); }
  bool rare() { return byte() % 16 == 0; }  // e.g. a NULL where the contract rejects it
  int64_t i64() {
    static constexpr int64_t palette[] = {0, 1, -1, 7, 100, 1'000'000, 999'999'999'999, INT64_MAX, INT64_MIN,
                                          INT64_MAX / 2, -1000};
    const uint8_t k = byte();
    if (k < 2 * std::size(palette)) return palette[k % std::size(palette)];
    return static_cast<int64_t>(bits(k % 8 + 1));
  }
  int32_t i32() { return static_cast<int32_t>(i64()); }
  double f64() {
    static constexpr double palette[] = {0.0, 1.0, 2.5, -1.0, 0.5, 1e308, 5e-324, 1e-300, 3.0, 1e18,
                                         std::numeric_limits<double>::quiet_NaN(),
                                         std::numeric_limits<double>::infinity(),
                                         -std::numeric_limits<double>::infinity()};
    const uint8_t k = byte();
    if (k < 3 * std::size(palette)) return palette[k % std::size(palette)];
    uint64_t b = bits(8);
    double d;
    std::memcpy(&d, &b, sizeof d);
    return d;
  }
  template <class T, class F>
  std::vector<T> column(size_t n, F next) {
    std::vector<T> v(n);
    for (auto& x : v) x = next();
    return v;
  }
};

template <class T>
T* data_or_null(std::vector<T>& v, Input& in) {
  return in.rare() ? nullptr : v.data();
}

i128 sum(const std::vector<int64_t>& v, size_t from = 0, size_t n = SIZE_MAX) {
  i128 s = 0;
  for (size_t i = from; i < v.size() && i - from < n; ++i) s += v[i];
  return s;
}

// Parents of a tree of n nodes (node 0 the root, every parent before its child); now and then
// an arbitrary list, which the library must reject or accept as a forest.
std::vector<int32_t> parents_of(Input& in, size_t n) {
  std::vector<int32_t> parents(n);
  const bool arbitrary = in.rare();
  for (size_t i = 0; i < n; ++i)
    parents[i] = arbitrary ? static_cast<int32_t>(in.byte() % (n + 2)) - 1
                           : (i == 0 ? -1 : static_cast<int32_t>(in.byte() % i));
  return parents;
}

// Every parent's value equals the sum of its children's (a coherent tree of values).
void check_coherent(const std::vector<int32_t>& parents, const std::vector<int64_t>& v, const char* what) {
  std::vector<i128> children(parents.size(), 0);
  std::vector<bool> inner(parents.size(), false);
  for (size_t i = 0; i < parents.size(); ++i)
    if (parents[i] >= 0) {
      children[static_cast<size_t>(parents[i])] += v[i];
      inner[static_cast<size_t>(parents[i])] = true;
    }
  for (size_t i = 0; i < parents.size(); ++i)
    if (inner[i]) check(children[i] == v[i], what);
}

struct Fixed {
  qf_calendar* calendar = nullptr;
  qf_hierarchy* hierarchy = nullptr;  // 0 -> {1, 2}, 1 -> {3, 4}
  std::vector<int32_t> parents{-1, 0, 0, 1, 1};
  Fixed() {
    check(qf_calendar_preset(&calendar, "CN") == QF_OK, "CN preset");
    check(qf_hierarchy_create(&hierarchy, parents.data(), parents.size()) == QF_OK, "fixed hierarchy");
  }
};
const Fixed& fixed() {
  static const Fixed f;  // built once, never destroyed: the process ends with the fuzzer
  return f;
}

int32_t date_near_2025(Input& in) {
  const int32_t jan1 = 20089;  // 2025-01-01
  return in.rare() ? in.i32() : jan1 + static_cast<int32_t>(in.byte()) * 3 - 100;
}

void apportion(Input& in) {
  const size_t n = in.count(9);
  const int64_t total = in.i64();
  std::vector<double> w = in.column<double>(n, [&] { return in.f64(); });
  const int32_t method = in.byte() % 5;  // 4 is not a method
  std::vector<int64_t> lower, upper;
  if (in.byte() % 3 == 0) lower = in.column<int64_t>(n, [&] { return in.i64() % 50; });
  if (in.byte() % 3 == 0) upper = in.column<int64_t>(n, [&] { return in.i64(); });
  std::vector<int64_t> out(n, -777);
  double* const w_arg = data_or_null(w, in);  // one read per statement: a defined decoding
  int64_t* const out_arg = data_or_null(out, in);
  if (!ok(qf_apportion(total, w_arg, n, method, lower.empty() ? nullptr : lower.data(),
                       upper.empty() ? nullptr : upper.data(), out_arg)))
    return;
  check(sum(out) == total, "apportion sums to its total");
  for (size_t i = 0; i < n; ++i) {
    if (!lower.empty()) check(out[i] >= lower[i], "apportion respects lower");
    if (!upper.empty()) check(out[i] <= upper[i], "apportion respects upper");
  }
}

void tree(Input& in) {
  const size_t n = 1 + in.count(11);
  std::vector<int32_t> parents = parents_of(in, n);
  qf_hierarchy* h = nullptr;
  if (!ok(qf_hierarchy_create(&h, data_or_null(parents, in), n))) return;
  size_t nodes = 0, leaves = 0;
  int32_t depth = 0;
  check(qf_hierarchy_info(h, &nodes, &leaves, &depth) == QF_OK && nodes == n, "hierarchy info");
  // Roll-up of arbitrary values at the leaves (inner nodes 0): coherent, or an overflow error.
  std::vector<int64_t> values = in.column<int64_t>(n, [&] { return in.i64(); }), rolled(n);
  for (int32_t p : parents)
    if (p >= 0 && static_cast<size_t>(p) < n) values[static_cast<size_t>(p)] = 0;
  if (ok(qf_hierarchy_rollup(h, values.data(), n, rolled.data()))) check_coherent(parents, rolled, "roll-up");
  // Tree allocation with one weight per leaf (now and then a wrong count).
  const size_t n_weights = in.rare() ? in.count(12) : leaves;
  std::vector<double> w = in.column<double>(n_weights, [&] { return in.byte() % 8 == 0 ? in.f64() : in.byte() % 5; });
  const int64_t root_total = in.i64();
  std::vector<int64_t> out(n);
  if (ok(qf_allocate_tree(h, root_total, w.data(), n_weights, nullptr, out.data(), n, nullptr))) {
    check_coherent(parents, out, "tree allocation: siblings sum to their parent");
    if (std::count(parents.begin(), parents.end(), -1) == 1)  // one root, not always node 0
      check(out[static_cast<size_t>(std::find(parents.begin(), parents.end(), -1) - parents.begin())] == root_total,
            "tree allocation: root");
  }
  qf_hierarchy_destroy(h);
}

void grid(Input& in) {
  const size_t rows = in.count(4), cols = in.count(4);
  std::vector<int64_t> r = in.column<int64_t>(rows, [&] { return in.byte() % 4 == 0 ? in.i64() : in.byte(); });
  std::vector<int64_t> c = in.column<int64_t>(cols, [&] { return in.byte() % 4 == 0 ? in.i64() : in.byte(); });
  if (!c.empty() && in.byte() % 2) {  // often equal grand totals, when the fixed-up cell fits in int64
    const i128 fixed = c.back() + sum(r) - sum(c);
    if (fixed >= INT64_MIN && fixed <= INT64_MAX) c.back() = static_cast<int64_t>(fixed);
  }
  std::vector<double> seed = in.column<double>(rows * cols, [&] { return in.byte() % 8 == 0 ? in.f64() : in.byte() % 3; });
  std::vector<int64_t> out(rows * cols);
  if (!ok(qf_allocate_grid(r.data(), rows, c.data(), cols, seed.data(), out.data()))) return;
  for (size_t i = 0; i < rows; ++i) check(sum(out, i * cols, cols) == r[i], "grid row sums");
  for (size_t j = 0; j < cols; ++j) {
    i128 s = 0;
    for (size_t i = 0; i < rows; ++i) s += out[i * cols + j];
    check(s == c[j], "grid column sums");
  }
}

void phase(Input& in) {
  // Any end, also before start or far away: summed in 64 bits, wrapped to int32 (defined in C++20).
  const int32_t start = date_near_2025(in),
                end = static_cast<int32_t>(int64_t{start} + (in.rare() ? in.i32() : in.byte() * 2));
  qf_phase_options o = QF_PHASE_OPTIONS_INIT;
  o.grain = in.byte() % 7;  // 6 is not a grain
  o.method = in.byte() % 5;
  std::vector<double> months = in.column<double>(12, [&] { return in.byte() % 6 == 0 ? in.f64() : in.byte() % 4; });
  if (in.byte() % 2) o.month_profile = months.data();
  if (in.rare()) o.version = in.byte();
  size_t count = 0;
  const int64_t total = in.i64();
  if (!ok(qf_phase(fixed().calendar, total, start, end, &o, nullptr, nullptr, nullptr, 0, &count))) return;
  std::vector<int32_t> ps(count), pe(count);
  std::vector<int64_t> targets(count);
  if (!ok(qf_phase(fixed().calendar, total, start, end, &o, ps.data(), pe.data(), targets.data(), count, &count)))
    return;
  check(sum(targets) == total, "phasing sums to its total");
  std::vector<int64_t> totals = {total, in.i64()}, many(2 * count);
  if (ok(qf_phase_many(fixed().calendar, totals.data(), 2, start, end, &o, many.data(), count))) {
    check(sum(many, 0, count) == totals[0] && sum(many, count, count) == totals[1], "bulk phasing rows");
    check(std::equal(targets.begin(), targets.end(), many.begin()), "bulk phasing agrees with qf_phase");
  }
}

void arithmetic(Input& in) {
  const int64_t a = in.i64(), b = in.i64();
  int64_t got = 0, want = 0;
  const bool add_ok = ok(qf_amount_add(a, b, &got));
  check(add_ok == !__builtin_add_overflow(a, b, &want), "qf_amount_add overflow detection");
  if (add_ok) check(got == want, "qf_amount_add value");
  const bool sub_ok = ok(qf_amount_sub(a, b, &got));
  check(sub_ok == !__builtin_sub_overflow(a, b, &want), "qf_amount_sub overflow detection");
  if (sub_ok) check(got == want, "qf_amount_sub value");
  const bool mul_ok = ok(qf_amount_mul(a, b, &got));
  check(mul_ok == !__builtin_mul_overflow(a, b, &want), "qf_amount_mul overflow detection");
  if (mul_ok) check(got == want, "qf_amount_mul value");
  check(qf_amount_add(a, b, nullptr) == QF_ERR_NULL_POINTER, "NULL out");
}

void text_round_trips(Input& in) {
  const int64_t minor = in.i64();
  const int32_t scale = static_cast<int32_t>(in.byte() % 21) - 1;
  char buf[64];
  size_t needed = 0;
  if (ok(qf_amount_format(minor, scale, buf, in.rare() ? in.count(30) : sizeof buf, &needed))) {
    int64_t back = 0;
    check(qf_amount_parse(buf, scale, &back) == QF_OK && back == minor, "formatted amount parses back");
    check(needed == std::strlen(buf), "size query");
  }
  const int32_t y = in.rare() ? in.i32() : 1900 + in.byte(), m = in.byte() % 14, d = in.byte() % 33;
  int32_t date = 0;
  if (ok(qf_date_from_ymd(y, m, d, &date))) {
    int32_t y2 = 0, m2 = 0, d2 = 0;
    check(qf_date_to_ymd(date, &y2, &m2, &d2) == QF_OK && y2 == y && m2 == m && d2 == d, "date round trip");
  }
  int32_t n = 0;
  const int32_t from = date_near_2025(in), to = date_near_2025(in);  // declarators are sequenced
  (void)ok(qf_calendar_working_days(fixed().calendar, from, to, &n));
  const int32_t day = date_near_2025(in), steps = in.i32() % 4000;
  (void)ok(qf_calendar_add_working_days(fixed().calendar, day, steps, &n));
}

void reconcile(Input& in) {
  const Fixed& f = fixed();
  const size_t n = f.parents.size();
  std::vector<double> base = in.column<double>(n, [&] { return in.byte() % 6 == 0 ? in.f64() : in.byte(); });
  const int32_t method = in.byte() % 5;
  std::vector<double> history = in.column<double>(2 * n, [&] { return static_cast<double>(in.byte()); });
  std::vector<double> real(n);
  std::vector<int64_t> integer(n);
  if (ok(qf_reconcile(f.hierarchy, base.data(), n, method, in.byte() % 2, history.data(), 2, real.data(),
                      integer.data())))
    check_coherent(f.parents, integer, "reconciled integers are coherent");
  std::vector<double> top(n);
  for (auto& t : top) t = in.byte() % 3 == 0 ? std::nan("") : (in.byte() % 8 == 0 ? in.f64() : in.byte() * 10.0);
  std::vector<int64_t> drafts = in.column<int64_t>(n, [&] { return in.byte() % 8 == 0 ? in.i64() : in.byte(); });
  std::vector<int64_t> plan(n), rollup(n);
  const int32_t plan_method = in.byte() % 3;
  const double alpha = in.f64();
  if (ok(qf_reconcile_plan(f.hierarchy, top.data(), drafts.data(), n, plan_method, alpha, plan.data(),
                           rollup.data()))) {
    check_coherent(f.parents, plan, "reconciled plan is coherent");
    check_coherent(f.parents, rollup, "drafts' roll-up is coherent");
  }
}

void price_volume_mix(Input& in) {
  const size_t n = in.count(6), groups = in.count(3);
  std::vector<int32_t> g = in.column<int32_t>(n, [&] { return static_cast<int32_t>(in.byte() % (groups + 1)); });
  auto small = [&] { return in.byte() % 8 == 0 ? in.i64() : static_cast<int64_t>(in.byte()); };
  std::vector<int64_t> pq = in.column<int64_t>(n, small), pr = in.column<int64_t>(n, small),
                       aq = in.column<int64_t>(n, small), ar = in.column<int64_t>(n, small);
  std::vector<int64_t> gap(groups), vol(groups), price(groups), mix(groups);
  if (!ok(qf_price_volume_mix(g.data(), pq.data(), pr.data(), aq.data(), ar.data(), n, groups, gap.data(), vol.data(),
                              price.data(), mix.data())))
    return;
  std::vector<i128> want(groups, 0);
  for (size_t i = 0; i < n; ++i) want[static_cast<size_t>(g[i])] += static_cast<i128>(ar[i]) - pr[i];
  for (size_t k = 0; k < groups; ++k) {
    check(gap[k] == want[k], "gap = actual - plan revenue");
    check(static_cast<i128>(vol[k]) + price[k] + mix[k] == gap[k], "volume + price + mix = gap");
  }
}

void rollup(Input& in) {
  const Fixed& f = fixed();
  const size_t n = in.count(8);
  // Facts on the leaves 2, 3, 4 (a fact counts for its node and its ancestors, so then every
  // parent is the sum of its children); now and then any id, unknown ones included.
  std::vector<int32_t> node = in.column<int32_t>(
      n, [&] { return in.rare() ? static_cast<int32_t>(in.byte() % 8) - 1 : 2 + static_cast<int32_t>(in.byte() % 3); });
  std::vector<int32_t> date = in.column<int32_t>(n, [&] { return date_near_2025(in); });
  std::vector<int64_t> amount = in.column<int64_t>(n, [&] { return in.i64(); });
  const int32_t start = date_near_2025(in), end = start + in.byte() * 2;
  const int32_t grain = in.byte() % 7;
  size_t periods = 0;
  if (!ok(qf_rollup(f.hierarchy, f.calendar, node.data(), date.data(), amount.data(), n, start, end, grain, nullptr, 0,
                    &periods, nullptr, nullptr)))
    return;
  // With no period the second call would also be a size query (out NULL, n_out 0), which sets
  // only *n_periods: the outside totals of an empty range cannot be asked for.
  if (periods == 0) return;
  const size_t nodes = f.parents.size();
  std::vector<int64_t> out(nodes * periods);
  int64_t outside_count = 0, outside_amount = 0;
  if (!ok(qf_rollup(f.hierarchy, f.calendar, node.data(), date.data(), amount.data(), n, start, end, grain, out.data(),
                    out.size(), &periods, &outside_count, &outside_amount)))
    return;
  for (size_t p = 0; p < periods; ++p) {
    std::vector<int64_t> column(nodes);
    for (size_t v = 0; v < nodes; ++v) column[v] = out[v * periods + p];
    if (std::all_of(node.begin(), node.end(), [](int32_t v) { return v >= 2; }))
      check_coherent(f.parents, column, "roll-up: parents are the sum of their children");
  }
  // Every fact is either inside (its leaf-to-root path) or counted outside.
  i128 inside = 0;
  for (size_t p = 0; p < periods; ++p) inside += out[p];  // the root's row
  check(inside + outside_amount == sum(amount), "roll-up: inside + outside = all facts");
}

void chart(Input& in) {
  const size_t n = in.count(24);
  std::vector<double> values = in.column<double>(n, [&] { return in.byte() % 10 == 0 ? in.f64() : in.byte() % 16; });
  qf_chart_options o = QF_CHART_OPTIONS_INIT;
  o.chart = in.byte() % 4;
  o.rules = in.byte() % 4 == 0 ? static_cast<uint32_t>(in.bits(2)) : 0u;
  o.k = in.byte() % 4 == 0 ? in.f64() : o.k;
  o.lambda = in.byte() % 4 == 0 ? in.f64() : o.lambda;
  o.robust = in.byte() % 2;
  qf_chart_signals* s = nullptr;
  if (!ok(qf_control_chart(&s, data_or_null(values, in), n, &o))) return;
  size_t n_signals = 0, n_series = 0;
  check(qf_chart_signals_size(s, &n_signals, &n_series) == QF_OK && n_series == 1, "one series");
  std::vector<int64_t> index(n_signals);
  check(qf_chart_signals_columns(s, nullptr, index.data(), nullptr, nullptr, nullptr, nullptr, nullptr, n_signals) ==
            QF_OK,
        "signal columns");
  for (int64_t i : index) check(i >= 0 && static_cast<size_t>(i) < n, "signal index inside the series");
  qf_chart_signals_destroy(s);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Input in{data, size};
  for (int calls = 0; in.n > 0 && calls < 64; ++calls) {
    switch (in.byte() % 11) {
      case 0: apportion(in); break;
      case 1: tree(in); break;
      case 2: grid(in); break;
      case 3: phase(in); break;
      case 4: arithmetic(in); break;
      case 5: text_round_trips(in); break;
      case 6: reconcile(in); break;
      case 7: price_volume_mix(in); break;
      case 8: rollup(in); break;
      case 9: chart(in); break;
      default: {
        qf_hierarchy* h = nullptr;  // NULL where the contract rejects it: a status, not a crash
        check(qf_hierarchy_create(nullptr, nullptr, 1) == QF_ERR_NULL_POINTER, "NULL out");
        check(qf_hierarchy_info(h, nullptr, nullptr, nullptr) == QF_ERR_NULL_POINTER, "NULL handle");
        check(qf_calendar_is_working_day(fixed().calendar, date_near_2025(in), nullptr) == QF_ERR_NULL_POINTER,
              "NULL out");
      }
    }
  }
  return 0;
}
