// Exact integer apportionment: split an integer total (cents, units, seats, headcount) into
// integer shares proportional to non-negative weights, summing exactly to the total.
//   std::vector<double> w{6, 6, 2};
//   apportion(10, w) == std::vector<int64_t>{4, 4, 2};   apportion(11, w) == {5, 5, 1}
//
// Methods (ApportionMethod; values are the C ABI's):
//   hamilton         Largest remainder. Each share is the floor of its quota total*w_i/W
//                    (W = sum of weights); the units left over go to the largest fractional
//                    remainders, ties to the lower index. Exact to quota: every share is the floor
//                    or the ceiling of its quota. Not house-monotone (the Alabama paradox above).
//   webster          Sainte-Lague: divisor method with signposts s(k) = k + 1/2 (rounds to nearest).
//   dhondt           Jefferson: signposts s(k) = k + 1 (rounds down; favours large weights).
//   huntington_hill  Signposts s(k) = sqrt(k(k+1)); s(0) = 0, so every positive weight gets one
//                    unit before any gets a second, whenever the total allows.
// A divisor method's result is the seat-by-seat one: units are handed out one at a time, each to
// the recipient with the largest w_i / s(x_i) (x_i = units it holds), ties to the lower index.
// It is computed in O(n log n) whatever the total (1e15 is fine): the quotas are rounded at one
// common divisor (a valid result for its own house size), then at most about n units are added
// or removed with a heap by the same criterion (removal: smallest w_i / s(x_i - 1) first, ties:
// the higher index gives up its unit first, so removal undoes seat-by-seat exactly).
//
// Exactness. W is summed exactly (the doubles' mantissas are added as integers), and each quota
// is the exact product w_i * S with S = |total| / W rounded toward zero to 128 significant bits:
// every quota is below its true value by a relative error under 2^-125, and its floor and its
// remainder (a 64-bit fixed-point fraction) are read exactly from that product. It is all integer
// arithmetic (no long double, no FMA), so results are bit-identical on every platform and
// compiler. For Hamilton this means: with integer weights (or integers times one power of two)
// and |total| * sum(weights) < 2^61, the result is exactly the rational largest-remainder one,
// ties included (an exact tie stays a tie). For other doubles, floors and the order of remainders
// are those of the exact quotas except for remainders closer than about 2^-64, or a quota within
// |quota| * 2^-125 above an integer. Groups of up to 32 weights lying within 2^70 of each other
// (tree siblings, a year's months) and phase_many's shared period weights are computed wholly in
// integers (each weight an integer times one power of two), so there every remainder comparison
// is exact, ties included. Divisor methods compare their thresholds s(k)/w_i exactly
// (128/256-bit integer products behind a floating-point filter), so their result is exactly the
// seat-by-seat one for the given double weights. Whatever the method, shares always sum exactly
// to total and always respect the bounds.
//
// Bounds (lower/upper, empty span = unbounded on that side). The real-valued allocation is
// water-filling: x_i = clip(lambda * w_i, lower_i, upper_i) with lambda chosen so that the x_i
// sum to total (apportion_quotas returns it). Recipients with zero weight hold
// clip(0, lower_i, upper_i) (their lower bound when it is >= 0) and move only when the positive
// weights are all pinned at their bounds and still cannot absorb the total; they then share the
// rest as if they had equal infinitesimal weights. Rounding keeps both the bounds and the total:
// hamilton floors the x_i and gives the remaining units to the largest remainders among
// recipients below their upper bound; a divisor method becomes its bounded seat-by-seat form
// (start every recipient at lower_i, never pass upper_i; where bounds allow negative shares the
// signposts extend odd-symmetrically, s(-k-1) = -s(k), and Huntington-Hill keeps a share of 0 at
// lambda = 0). lambda is the exact 128-bit quotient on its linear piece (located in doubles, then
// checked exactly), so the guarantees above carry over. Feasible iff sum(lower) <= total <=
// sum(upper); lower_i > upper_i is an error naming i.
//
// Signs. apportion(-t, w) == -apportion(t, w); with bounds, a negative total is solved as
// apportion(t, w, lower = -upper, upper = -lower) and negated, so zero-weight recipients then sit
// at clip(0, lower_i, upper_i) as well. total 0 gives all zeros when the bounds allow it. Shares
// cannot overflow: each lies within [0, |total|] (unbounded) or within its bounds.
//
// Determinism: same inputs, byte-identical outputs. Results are symmetric under permuting the
// recipients except where ties are broken by index. Complexity: hamilton O(n) (no sort: radix
// selection of the largest remainders); divisor methods O(n log n); bounds add an O(n) expected
// water-filling (quickselect on the breakpoints lower_i/w_i, upper_i/w_i).
//
// Thread rule: the functions are pure; call them concurrently on distinct output buffers.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"

namespace quotaflow {

// Values are stable: they are the C ABI's qf_apportion_method values.
enum class ApportionMethod : int32_t { hamilton = 0, webster = 1, dhondt = 2, huntington_hill = 3 };

inline constexpr std::array<std::string_view, 4> apportion_method_names = {"hamilton", "webster", "dhondt",
                                                                           "huntington_hill"};

// apportion_method_name(ApportionMethod::dhondt) == "dhondt"; an out-of-range value gives "unknown".
constexpr std::string_view apportion_method_name(ApportionMethod m) noexcept {
  const auto v = static_cast<int32_t>(m);
  return v >= 0 && v < 4 ? apportion_method_names[static_cast<size_t>(v)] : std::string_view("unknown");
}

// parse_apportion_method("webster") == ApportionMethod::webster; unknown names are
// errc::invalid_argument listing the valid ones.
inline ApportionMethod parse_apportion_method(std::string_view name) {
  for (size_t i = 0; i < apportion_method_names.size(); ++i)
    if (apportion_method_names[i] == name) return static_cast<ApportionMethod>(i);
  fail(errc::invalid_argument, "apportionment method \"", std::string(name),
       "\" is unknown; expected one of hamilton, webster, dhondt, huntington_hill");
}

// check_apportion_method(2) == ApportionMethod::dhondt; for values from the C ABI.
inline ApportionMethod check_apportion_method(int32_t value) {
  if (value < 0 || value > 3)
    fail(errc::invalid_argument, "method is ", value,
         "; expected 0 (hamilton), 1 (webster), 2 (dhondt) or 3 (huntington_hill)");
  return static_cast<ApportionMethod>(value);
}

namespace detail::apportion_impl {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

// Bounds absent on one side are stored as these sentinels; no share can come near them.
inline constexpr i128 kNoUpper = i128{1} << 122;
inline constexpr i128 kNoLower = -kNoUpper;
inline constexpr u128 kSaturated = u128{1} << 121;  // |lambda * w| beyond any bound

inline std::string to_string(i128 v) {
  u128 mag = v < 0 ? u128{0} - static_cast<u128>(v) : static_cast<u128>(v);
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(mag % 10)));
    mag /= 10;
  } while (mag != 0);
  if (v < 0) s.insert(s.begin(), '-');
  return s;
}

inline uint64_t bits_of(double w) {
  uint64_t b;
  std::memcpy(&b, &w, sizeof b);
  return b;
}

inline int clz128(u128 v) {
  const auto hi = static_cast<uint64_t>(v >> 64);
  return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll(static_cast<uint64_t>(v));
}

// A finite non-negative double as m * 2^e with m < 2^53 (the sign bit is ignored: -0.0 is 0).
struct Decomposed {
  uint64_t m;
  int e;
};
inline Decomposed decompose(double w) {
  const uint64_t b = bits_of(w);
  const auto field = static_cast<int>((b >> 52) & 0x7ff);
  const uint64_t frac = b & ((uint64_t{1} << 52) - 1);
  return field ? Decomposed{frac | (uint64_t{1} << 52), field - 1075} : Decomposed{frac, -1074};
}

inline double to_double(i128 v) {
  if (v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max())
    return static_cast<double>(static_cast<int64_t>(v));
  return static_cast<double>(v);
}

// ---- validation --------------------------------------------------------------------------------

inline void check_length(size_t weights, size_t other, const char* name) {
  if (weights != other)
    fail(errc::invalid_argument, "length mismatch: weights has ", weights, " elements, ", name, " has ", other);
}

[[noreturn]] inline void report_bad_weight(gsl::span<const double> weights) {
  for (size_t i = 0; i < weights.size(); ++i) {
    const double w = weights.data()[i];
    if (std::isnan(w)) fail(errc::invalid_argument, "weights[", i, "] is NaN; weights must be finite and >= 0");
    if (std::isinf(w))
      fail(errc::invalid_argument, "weights[", i, "] is ", w < 0 ? "-inf" : "inf", "; weights must be finite and >= 0");
    if (w < 0) fail(errc::invalid_argument, "weights[", i, "] is ", w, "; weights must be >= 0");
  }
  fail(errc::internal, "weights validation found no bad weight");
}

// Integer-only and branch-free, so it vectorizes: flags NaN/inf (exponent all ones) and negative
// nonzero values (-0.0 is a zero weight), counts the positive weights.
inline size_t validate_weights(gsl::span<const double> weights) {
  const double* w = weights.data();
  const size_t n = weights.size();
  uint64_t bad = 0, positive = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint64_t b = bits_of(w[i]);
    const uint64_t nonzero = ((b & 0x7fffffffffffffff) + 0x7fffffffffffffff) >> 63;
    bad |= ((b & 0x7ff0000000000000) + 0x0010000000000000) | (b & (nonzero << 63));  // bit 63 = bad
    positive += nonzero;
  }
  if (bad >> 63) report_bad_weight(weights);
  return static_cast<size_t>(positive);
}

// ---- exact sum of weights ----------------------------------------------------------------------

// A positive sum rounded up to 128 significant bits: mant * 2^exp >= exact, mant in [2^127, 2^128).
struct WideSum {
  bool zero = true;
  u128 mant = 0;
  int exp = 0;
  int top = 0;    // floor(log2(exact sum))
  int base = 52;  // exponent field of the "hot" range, see HotScale
};

// Weights with exponent field in [base, base + 10] are "hot": w * 2^(1075 - base) is then an
// exact integer below 2^63, so sums and quotas of hot weights need one multiply and one
// conversion. base >= 52 keeps the scale a finite double. Smaller weights take a slower exact path.
struct HotScale {
  double lo = 0, hi = 0, scale = 0;  // hot iff lo <= w < hi; m = w * scale
  int k = 0;                         // w = m * 2^-k
  explicit HotScale(int base)
      : lo(std::ldexp(1.0, base - 1023)), hi(std::ldexp(1.0, base + 11 - 1023)), scale(std::ldexp(1.0, 1075 - base)),
        k(1075 - base) {}
  HotScale() = default;
  [[nodiscard]] uint64_t mantissa(double w) const { return static_cast<uint64_t>(static_cast<int64_t>(w * scale)); }
};

// Exact: hot weights are summed as 128-bit integers; when a larger weight arrives the range is
// rebased (the partial sum is kept exactly per exponent); other weights are binned by exponent at
// the end. The result is one long binary number, rounded once.
template <class Get>
WideSum exact_sum(size_t n, Get get) {
  WideSum r;
  int base = 52;
  HotScale hs(base);
  u128 hot = 0;
  std::vector<std::pair<int, u128>> parts;  // (exponent field, sum of mantissas at that field)
  std::vector<double> cold;
  for (size_t i = 0; i < n; ++i) {
    {  // the hot run, everything in registers
      const double lo = hs.lo, hi = hs.hi, scale = hs.scale;
      u128 acc = 0;
      for (; i < n; ++i) {
        const double x = get(i);
        if (!(x >= lo && x < hi)) [[unlikely]]
          break;
        acc += static_cast<uint64_t>(static_cast<int64_t>(x * scale));
      }
      hot += acc;
      if (i == n) break;
    }
    const double x = get(i);
    if (!(x > 0)) continue;  // zeros (validated inputs have no NaN or negative)
    if (x >= hs.hi) {
      if (hot != 0) parts.emplace_back(base, hot);
      hot = 0;
      base = std::max(static_cast<int>(bits_of(x) >> 52) - 10, 52);
      hs = HotScale(base);
      hot += hs.mantissa(x);
      continue;
    }
    cold.push_back(x);
  }
  r.base = base;
  if (hot != 0) parts.emplace_back(base, hot);
  int fmin = 2047, fmax = 0;
  for (const auto& [f, v] : parts) {
    fmin = std::min(fmin, f);
    fmax = std::max(fmax, f);
  }
  for (double x : cold) {
    const auto f = static_cast<int>(bits_of(x) >> 52);
    fmin = std::min(fmin, std::max(f, 1));
    fmax = std::max(fmax, std::max(f, 1));
  }
  if (fmax == 0) return r;
  // bins[j] counts units of 2^(fmin + j - 1075); each holds well under 2^127.
  const auto width = static_cast<size_t>(fmax - fmin + 1);
  std::vector<u128> bins(width);
  for (const auto& [f, v] : parts) bins[static_cast<size_t>(f - fmin)] += v;
  for (double x : cold) {
    const Decomposed d = decompose(x);
    bins[static_cast<size_t>(d.e + 1075 - fmin)] += d.m;
  }
  std::vector<uint64_t> bitset(width / 64 + 4);
  u128 carry = 0;
  size_t k = 0;
  auto emit = [&](u128 t) {
    if (t & 1) bitset[k / 64] |= uint64_t{1} << (k % 64);
    ++k;
  };
  for (size_t j = 0; j < width; ++j) {
    const u128 t = bins[j] + carry;
    emit(t);
    carry = t >> 1;
  }
  for (; carry != 0; carry >>= 1) emit(carry);
  auto bit = [&](long long pos) -> uint64_t {
    return pos < 0 ? 0 : (bitset[static_cast<size_t>(pos) / 64] >> (static_cast<size_t>(pos) % 64)) & 1;
  };
  auto hi = static_cast<long long>(k) - 1;
  while (hi >= 0 && !bit(hi)) --hi;
  if (hi < 0) return r;
  u128 mant = 0;
  for (int j = 0; j < 128; ++j) mant = (mant << 1) | bit(hi - j);
  bool sticky = false;
  for (long long pos = hi - 128; pos >= 0 && !sticky; --pos) sticky = bit(pos);
  int exp = static_cast<int>(hi) - 127 + fmin - 1075;
  if (sticky && ++mant == 0) {
    mant = u128{1} << 127;
    ++exp;
  }
  r.zero = false;
  r.mant = mant;
  r.exp = exp;
  r.top = static_cast<int>(hi) + fmin - 1075;
  return r;
}

inline WideSum weight_sum(gsl::span<const double> weights) {
  const double* w = weights.data();
  WideSum s = exact_sum(weights.size(), [w](size_t i) { return w[i]; });
  if (!s.zero && s.top >= 1024)
    fail(errc::invalid_argument, "weights sum to at least 2^", s.top,
         ", beyond the largest double (1.7976931348623157e+308)");
  return s;
}

// ---- scales and quotas -------------------------------------------------------------------------

// A multiplier +-mant * 2^exp (mant in [2^127, 2^128), or 0): lambda, or |total| / W.
struct Scale {
  bool neg = false;
  u128 mant = 0;
  int exp = 0;
};

// num / den rounded toward zero to 128 significant bits (binary long division; once per call).
inline Scale make_scale(u128 num, bool neg, const WideSum& den) {
  if (num == 0 || den.zero) return {};
  const int lz = clz128(num);
  const u128 n = num << lz, d = den.mant;  // both in [2^127, 2^128): n/d in (1/2, 2)
  const bool whole = n >= d;
  u128 rem = whole ? n - d : n, q = 0;
  for (int i = 0; i < 128; ++i) {  // q = floor(rem * 2^128 / d), rem < d
    const bool top = (rem >> 127) != 0;
    rem <<= 1;
    const bool bit = top || rem >= d;
    if (bit) rem -= d;  // wraps correctly when `top` was set
    q = (q << 1) | static_cast<u128>(bit);
  }
  int e = -128 - lz - den.exp;
  if (whole) {  // quotient is 2^128 + q: keep its top 128 bits
    q = (q >> 1) | (u128{1} << 127);
    ++e;
  }
  return {neg, q, e};
}

inline Scale scale_from(long double v) {
  if (v == 0 || !std::isfinite(v)) return {};
  int ex = 0;
  const long double fr = std::frexp(std::fabs(v), &ex);  // [0.5, 1)
  return {v < 0, static_cast<u128>(static_cast<uint64_t>(std::ldexp(fr, 64))) << 64, ex - 128};
}

// |quota| = m * mant * 2^-r split into its floor and its fraction truncated to 64 bits: an exact
// 64x128-bit product, so floor(quota * 2^64) is exact whatever the path.
struct Split {
  u128 floor;
  uint64_t frac;
};
inline Split split_product(uint64_t m, u128 mant, int r) {
  const u128 a = static_cast<u128>(m) * static_cast<uint64_t>(mant);
  const u128 hi = static_cast<u128>(m) * static_cast<uint64_t>(mant >> 64) + (a >> 64);
  const auto lo = static_cast<uint64_t>(a);  // product = hi * 2^64 + lo
  const int rh = r - 64;                     // quota = hi * 2^-rh + lo * 2^-r
  if (hi == 0 && lo == 0) return {0, 0};
  if (rh >= 192) return {0, 0};
  if (rh >= 128) return {0, static_cast<uint64_t>(hi >> (rh - 64))};
  if (rh >= 64) return {hi >> rh, static_cast<uint64_t>(hi >> (rh - 64))};
  if (rh > 0) return {hi >> rh, static_cast<uint64_t>(hi << (64 - rh)) | (lo >> rh)};
  if (rh == 0) return {hi, lo};
  const int sh = -rh;  // large integer: saturate far beyond any bound
  if (sh >= 64 || (hi != 0 && clz128(hi) <= 7 + sh)) return {kSaturated, 0};
  return {(hi << sh) | (lo >> (64 - sh)), lo << sh};
}

inline Split quota_of(double w, const Scale& s) {
  const Decomposed d = decompose(w);
  return split_product(d.m, s.mant, -(d.e + s.exp));
}

// The quota as a double: w * lambda with lambda rounded to a double (relative error < 2^-52).
inline double scale_double(const Scale& s) {
  const double v = std::ldexp(static_cast<double>(s.mant), s.exp);  // mant rounds to 53 bits
  return s.neg ? -v : v;
}

// ---- selection of the k largest keys -----------------------------------------------------------

struct Cand {
  uint64_t key;
  size_t index;
};

// Calls chosen(index) for the k candidates with the largest keys; among equal keys the earlier
// candidate wins. Key bits at and above `shift` must be equal for all candidates. MSD radix
// selection, 12 bits a level: O(size) per level, no sort.
template <class Chosen>
void select_largest(std::vector<Cand>& c, size_t k, int shift, Chosen&& chosen) {
  std::vector<size_t> hist;
  while (k > 0 && !c.empty()) {
    if (k >= c.size()) {
      for (const Cand& e : c) chosen(e.index);
      return;
    }
    if (shift <= 0) {  // all keys equal: the first k win
      for (size_t j = 0; j < k; ++j) chosen(c[j].index);
      return;
    }
    if (c.size() <= 32) {
      std::stable_sort(c.begin(), c.end(), [](const Cand& a, const Cand& b) { return a.key > b.key; });
      for (size_t j = 0; j < k; ++j) chosen(c[j].index);
      return;
    }
    const int bits = std::min(shift, 12);
    shift -= bits;
    const uint64_t mask = (uint64_t{1} << bits) - 1;
    hist.assign(size_t{1} << bits, 0);
    for (const Cand& e : c) ++hist[(e.key >> shift) & mask];
    size_t above = 0, d = hist.size();
    while (d-- > 0 && above + hist[d] < k) above += hist[d];
    size_t kept = 0;
    for (const Cand& e : c) {
      const uint64_t digit = (e.key >> shift) & mask;
      if (digit > d) chosen(e.index);
      else if (digit == d) c[kept++] = e;
    }
    c.resize(kept);
    k -= above;
  }
}

// ---- quotas of many weights: the hot loop ---------------------------------------------------------

// floor and 64-bit fraction of w * S for S = |total| / W, hot weights in two multiplies: with
// m = w * 2^k exact, quota = m * S.mant * 2^(S.exp - k) = hi * 2^-R + (bits below 2^-64), where
// hi = (m * S.mant) >> 64. `Mode` fixes where the binary point falls in hi for every hot weight:
// 0 inside its high word, 1 below it (all quotas < 1/2), 2 anywhere (general shifts). Every path
// yields exactly floor(quota) and floor(frac(quota) * 2^64), so hot and cold weights agree.
struct QuotaKernel {
  Scale s;
  HotScale hs;
  int big_r = 0;  // hot: quota = hi * 2^-big_r
  int shift = 0;  // big_r - 64 (mode 0) or big_r - 128 (mode 1)
  int mode = 2;
  QuotaKernel(const Scale& scale, int base) : s(scale), hs(base), big_r(hs.k - scale.exp - 64) {
    mode = big_r >= 64 && big_r < 128 ? 0 : big_r >= 128 && big_r < 192 ? 1 : 2;
    shift = mode == 0 ? big_r - 64 : mode == 1 ? big_r - 128 : 0;
  }
};

// The kernel as a lambda over local copies (kept in registers: stores through the caller's
// pointers could otherwise alias it). Every weight is below hs.hi (the sum pass rebased until it
// was), so one comparison remains.
template <int Mode>
auto quota_fn(const QuotaKernel& qk) {
  const double lo = qk.hs.lo, scale = qk.hs.scale;
  const auto mh = static_cast<uint64_t>(qk.s.mant >> 64), ml = static_cast<uint64_t>(qk.s.mant);
  const int sh = qk.shift;
  const Scale s = qk.s;
  return [=](double x, uint64_t& fl, uint64_t& fr) __attribute__((always_inline)) {
    if (x < lo) [[unlikely]] {
      const Split q = quota_of(x, s);  // exact general path; 0 for zero weights
      fl = static_cast<uint64_t>(q.floor);
      fr = q.frac;
      return;
    }
    const auto m = static_cast<uint64_t>(static_cast<int64_t>(x * scale));
    const u128 p = static_cast<u128>(m) * mh + ((static_cast<u128>(m) * ml) >> 64);
    const auto ph = static_cast<uint64_t>(p >> 64), pl = static_cast<uint64_t>(p);
    if constexpr (Mode == 0) {
      fl = ph >> sh;
      fr = (pl >> sh) | ((ph << 1) << (63 - sh));
    } else {
      fl = 0;
      fr = ph >> sh;
    }
  };
}

// Calls f(mode, kernel) with mode a compile-time 0 or 1; mode 2 runs as 1 with every weight on
// the general path (rare: quotas near 2^62, or all of them tiny).
template <class F>
void with_quota_mode(QuotaKernel qk, F&& f) {
  if (qk.mode == 0) return f(std::integral_constant<int, 0>{}, qk);
  if (qk.mode == 2) qk.hs.lo = std::numeric_limits<double>::infinity();
  f(std::integral_constant<int, 1>{}, qk);
}

// Packed (total < 2^51): pass 1 parks floor << 12 | bucket in the output, so pass 2 streams
// over the output alone and recomputes a quota only for the threshold bucket.
template <int Mode, class Count, bool Packed>
void hamilton_passes(uint64_t t, bool neg, const double* w, int64_t* o, size_t n, size_t positive,
                     const QuotaKernel& qk) {
  const auto quota = quota_fn<Mode>(qk);
  if (n <= 32) {
    // Small groups (tree siblings, periods) are the common call: the same selection (largest
    // fraction first, ties to the lower index, zero weights never win) on the stack, without
    // the 4096-bucket histogram whose clearing would dominate.
    Cand c[32];
    uint64_t fls[32];
    size_t m = 0;
    uint64_t floors = 0;
    for (size_t i = 0; i < n; ++i) {
      uint64_t fr;
      quota(w[i], fls[i], fr);
      floors += fls[i];
      if (w[i] != 0) c[m++] = {fr, i};
    }
    if (floors > t) fail(errc::internal, "apportion: quota floors exceed the total");
    uint64_t k = t - floors;
    const uint64_t extra = k / positive;
    k %= positive;
    for (size_t i = 0; i < n; ++i) fls[i] += w[i] != 0 ? extra : 0;
    std::stable_sort(c, c + m, [](const Cand& a, const Cand& b) { return a.key > b.key; });
    for (size_t j = 0; j < k; ++j) ++fls[c[j].index];
    const uint64_t sign = neg ? ~uint64_t{0} : 0;
    for (size_t i = 0; i < n; ++i) o[i] = static_cast<int64_t>((fls[i] ^ sign) - sign);
    return;
  }
  std::vector<Count> hist(4096);
  uint64_t floors = 0;  // <= t: every quota is at most its exact value
  for (size_t i = 0; i < n; ++i) {
    uint64_t fl, fr;
    quota(w[i], fl, fr);
    floors += fl;
    ++hist[fr >> 52];
    if constexpr (Packed) o[i] = static_cast<int64_t>((fl << 12) | (fr >> 52));
  }
  hist[0] -= static_cast<Count>(n - positive);  // zero weights sit in bucket 0 and never win
  if (floors > t) fail(errc::internal, "apportion: quota floors exceed the total");
  uint64_t k = t - floors;
  // k < positive unless the quotas' tiny error is a whole unit (totals near 2^63): then every
  // positive weight first gets k / positive more units.
  const uint64_t extra = k / positive;
  k %= positive;
  size_t bstar = 4096, above = 0;  // bstar: bucket holding the k-th largest remainder
  if (k > 0) {
    bstar = 4095;
    while (above + hist[bstar] < k) above += hist[bstar--];
  }
  const uint64_t sign = neg ? ~uint64_t{0} : 0;
  std::vector<Cand> tied;
  if (bstar < 4096) tied.reserve(hist[bstar]);
  for (size_t i = 0; i < n; ++i) {
    uint64_t fl, fr;
    if constexpr (Packed) {
      const auto packed = static_cast<uint64_t>(o[i]);
      fl = packed >> 12;
      fr = packed << 52;  // the bucket only; the full fraction is recomputed when it matters
    } else {
      quota(w[i], fl, fr);
    }
    const uint64_t bucket = fr >> 52;
    const uint64_t v = fl + (bucket > bstar);
    o[i] = static_cast<int64_t>((v ^ sign) - sign);
    if (bucket == bstar && w[i] != 0) [[unlikely]] {
      if constexpr (Packed) quota(w[i], fl, fr);
      tied.push_back({fr, i});
    }
  }
  const int64_t unit = neg ? -1 : 1;
  select_largest(tied, k - above, 52, [&](size_t i) { o[i] += unit; });
  if (extra != 0)
    for (size_t i = 0; i < n; ++i)
      if (w[i] != 0) o[i] += static_cast<int64_t>(neg ? uint64_t{0} - extra : extra);
}

inline void hamilton_unbounded(uint64_t t, bool neg, gsl::span<const double> weights, gsl::span<int64_t> out,
                               const WideSum& wsum, size_t positive) {
  const QuotaKernel qk(make_scale(t, false, wsum), wsum.base);
  const double* w = weights.data();
  int64_t* o = out.data();
  const size_t n = weights.size();
  const bool packed = t < (uint64_t{1} << 51);
  with_quota_mode(qk, [&](auto mode, const QuotaKernel& k) {
    if (n > std::numeric_limits<uint32_t>::max()) hamilton_passes<mode(), uint64_t, false>(t, neg, w, o, n, positive, k);
    else if (packed) hamilton_passes<mode(), uint32_t, true>(t, neg, w, o, n, positive, k);
    else hamilton_passes<mode(), uint32_t, false>(t, neg, w, o, n, positive, k);
  });
}

// ---- divisor methods -----------------------------------------------------------------------------

// Rounds |quota| = fl + fr/2^64 at the method's signposts (ties at a signpost round up).
inline u128 divisor_round(ApportionMethod m, u128 fl, uint64_t fr) {
  switch (m) {
    case ApportionMethod::webster: return fl + (fr >> 63);
    case ApportionMethod::dhondt: return fl;
    case ApportionMethod::huntington_hill: {
      if (fr == 0) return fl;
      if (fl == 0) return 1;
      // q >= sqrt(F(F+1))  <=>  f(2F + f) >= F. Approximate; the exchange pass repairs near-misses.
      const double f = static_cast<double>(fr) * 0x1p-64, F = static_cast<double>(fl);
      return fl + (f * (2 * F + f) >= F);
    }
    default: return fl + (fr >> 63);
  }
}

// Signpost numerator of threshold s(c)/w compared as num*w' (webster uses 2c+1, hh c(c+1) squared).
struct SignpostNum {
  int sign;
  u128 mag;
};
inline SignpostNum signpost_num(ApportionMethod m, i128 c) {
  i128 v;
  int sign;
  if (m == ApportionMethod::dhondt) {
    v = c + 1;
    sign = v > 0 ? 1 : v < 0 ? -1 : 0;
  } else if (m == ApportionMethod::huntington_hill) {
    v = c * (c + 1);  // >= 0 for every integer c; sign of s(c) is the sign of 2c+1
    sign = v == 0 ? 0 : c >= 0 ? 1 : -1;
  } else {
    v = 2 * c + 1;
    sign = v > 0 ? 1 : -1;
  }
  return {sign, v < 0 ? u128{0} - static_cast<u128>(v) : static_cast<u128>(v)};
}

struct U256 {
  uint64_t l[4];  // little-endian limbs
};
inline U256 mul256(u128 a, u128 b) {
  const auto a0 = static_cast<uint64_t>(a), a1 = static_cast<uint64_t>(a >> 64);
  const auto b0 = static_cast<uint64_t>(b), b1 = static_cast<uint64_t>(b >> 64);
  const u128 p00 = static_cast<u128>(a0) * b0, p01 = static_cast<u128>(a0) * b1;
  const u128 p10 = static_cast<u128>(a1) * b0, p11 = static_cast<u128>(a1) * b1;
  const u128 mid = (p00 >> 64) + static_cast<uint64_t>(p01) + static_cast<uint64_t>(p10);
  const u128 high = (mid >> 64) + (p01 >> 64) + (p10 >> 64) + static_cast<uint64_t>(p11);
  return {{static_cast<uint64_t>(p00), static_cast<uint64_t>(mid), static_cast<uint64_t>(high),
           static_cast<uint64_t>((high >> 64) + (p11 >> 64))}};
}
inline int bitlen(const U256& a) {
  for (int j = 3; j >= 0; --j)
    if (a.l[j]) return 64 * j + 64 - __builtin_clzll(a.l[j]);
  return 0;
}
inline U256 shl(const U256& a, int s) {
  U256 r{{0, 0, 0, 0}};
  const int limbs = s / 64, bits = s % 64;
  for (int j = 3; j >= limbs; --j) {
    uint64_t v = a.l[j - limbs] << bits;
    if (bits && j - limbs - 1 >= 0) v |= a.l[j - limbs - 1] >> (64 - bits);
    r.l[j] = v;
  }
  return r;
}
// Compares a * 2^ea with b * 2^eb (both nonzero).
inline int cmp_scaled(U256 a, int ea, U256 b, int eb) {
  const int la = bitlen(a) + ea, lb = bitlen(b) + eb;
  if (la != lb) return la < lb ? -1 : 1;
  if (ea > eb) a = shl(a, ea - eb);
  else if (eb > ea) b = shl(b, eb - ea);
  for (int j = 3; j >= 0; --j)
    if (a.l[j] != b.l[j]) return a.l[j] < b.l[j] ? -1 : 1;
  return 0;
}

// Exact sign of s(ca)/wa - s(cb)/wb (wa, wb > 0); out of line, it runs only on near-ties. Huntington-Hill has two zero signposts,
// s(-1) = s(0) = 0; the unit below zero ranks first, so a share of 0 is stable at lambda = 0.
[[gnu::noinline]] inline int cmp_threshold_exact(ApportionMethod m, i128 ca, double wa, i128 cb, double wb) {
  const SignpostNum a = signpost_num(m, ca), b = signpost_num(m, cb);
  if (a.sign != b.sign) return a.sign < b.sign ? -1 : 1;
  if (a.sign == 0) return static_cast<int>(ca >= 0) - static_cast<int>(cb >= 0);
  const Decomposed da = decompose(wa), db = decompose(wb);
  const bool squared = m == ApportionMethod::huntington_hill;
  // s(ca)/wa vs s(cb)/wb  <=>  num_a * wb vs num_b * wa (squared for huntington_hill).
  const u128 fb = squared ? static_cast<u128>(db.m) * db.m : db.m;
  const u128 fa = squared ? static_cast<u128>(da.m) * da.m : da.m;
  const int c = cmp_scaled(mul256(a.mag, fb), squared ? 2 * db.e : db.e, mul256(b.mag, fa), squared ? 2 * da.e : da.e);
  return a.sign > 0 ? c : -c;
}

// Threshold s(c)/w in double, the fast filter in front of the exact comparison.
inline double approx_threshold(ApportionMethod m, i128 c, double w) {
  const double cd = to_double(c);
  switch (m) {
    case ApportionMethod::dhondt: return (cd + 1) / w;
    case ApportionMethod::huntington_hill: {
      const double r = std::sqrt(cd * (cd + 1)) / w;
      return c >= 0 ? r : -r;
    }
    default: return (cd + 0.5) / w;
  }
}

[[gnu::always_inline]] inline int cmp_threshold(ApportionMethod m, double ka, i128 ca, double wa, double kb, i128 cb,
                                                double wb) {
  // The doubles are within 2^-50 relative of the truth: a wider gap decides (never for inf/NaN).
  const double d = ka - kb, mx = std::max(std::fabs(ka), std::fabs(kb));
  if (std::fabs(d) > mx * 0x1p-40 + 0x1p-1000 && mx < std::numeric_limits<double>::infinity()) return d < 0 ? -1 : 1;
  if (ca == cb && wa == wb) return 0;
  return cmp_threshold_exact(m, ca, wa, cb, wb);
}

struct HeapEntry {
  i128 x;      // the recipient's share when the entry was pushed (stale once it differs)
  double key;  // approx threshold
  size_t i;
};

// Moves x (a valid divisor-method state for some house size, within [lo, hi]) to sum `target`,
// then exchanges units until no held unit ranks after an unheld one, so x is exactly the
// bounded seat-by-seat result. The order of a unit is (s(k)/w_i, i) for the unit taking i from k
// to k+1: units are given in increasing order and taken back in decreasing order.
template <class Lo, class Hi>
void divisor_fixup(ApportionMethod m, const double* w, i128* x, size_t n, i128 target, Lo lo, Hi hi) {
  i128 sum = 0;
  for (size_t i = 0; i < n; ++i) sum += x[i];
  // add_after: a's next unit ranks after b's; rem_before: a's last unit ranks before b's.
  auto add_after = [&](const HeapEntry& a, const HeapEntry& b) {
    const int c = cmp_threshold(m, a.key, a.x, w[a.i], b.key, b.x, w[b.i]);
    return c != 0 ? c > 0 : a.i > b.i;
  };
  auto add_before = [&](const HeapEntry& a, const HeapEntry& b) { return add_after(b, a); };
  auto rem_before = [&](const HeapEntry& a, const HeapEntry& b) {
    const int c = cmp_threshold(m, a.key, a.x - 1, w[a.i], b.key, b.x - 1, w[b.i]);
    return c != 0 ? c < 0 : a.i < b.i;
  };
  auto rem_after = [&](const HeapEntry& a, const HeapEntry& b) { return rem_before(b, a); };
  auto add_entry = [&](size_t i) { return HeapEntry{x[i], approx_threshold(m, x[i], w[i]), i}; };
  auto rem_entry = [&](size_t i) { return HeapEntry{x[i], approx_threshold(m, x[i] - 1, w[i]), i}; };
  auto top = [&](std::vector<HeapEntry>& h, auto& cmp) -> const HeapEntry* {
    while (!h.empty() && x[h.front().i] != h.front().x) {  // drop stale entries
      std::pop_heap(h.begin(), h.end(), cmp);
      h.pop_back();
    }
    return h.empty() ? nullptr : &h.front();
  };
  auto pop = [&](std::vector<HeapEntry>& h, auto& cmp) {
    std::pop_heap(h.begin(), h.end(), cmp);
    h.pop_back();
  };
  auto push = [&](std::vector<HeapEntry>& h, auto& cmp, const HeapEntry& e) {
    h.push_back(e);
    std::push_heap(h.begin(), h.end(), cmp);
  };
  std::vector<HeapEntry> h;
  if (sum != target) {
    // Greedy: only the d best candidates can be touched in d steps (a recipient's later units
    // rank after its first), so keep those d in a bounded heap, then hand out or take back.
    const bool adding = sum < target;
    const i128 gap = adding ? target - sum : sum - target;
    const size_t d = gap < static_cast<i128>(n) ? static_cast<size_t>(gap) : n;
    h.reserve(d + 1);
    for (size_t i = 0; i < n; ++i) {
      if (adding ? x[i] >= hi(i) : x[i] <= lo(i)) continue;
      const HeapEntry e = adding ? add_entry(i) : rem_entry(i);
      if (h.size() < d) {
        adding ? push(h, add_before, e) : push(h, rem_after, e);
      } else if (adding ? add_before(e, h.front()) : rem_after(e, h.front())) {
        adding ? pop(h, add_before) : pop(h, rem_after);
        adding ? push(h, add_before, e) : push(h, rem_after, e);
      }
    }
    if (adding) std::make_heap(h.begin(), h.end(), add_after);
    else std::make_heap(h.begin(), h.end(), rem_before);
    for (i128 step = 0; step < gap; ++step) {
      const HeapEntry* e = adding ? top(h, add_after) : top(h, rem_before);
      if (!e) fail(errc::internal, "apportion: no recipient can ", adding ? "take" : "give up", " a unit");
      const size_t i = e->i;
      if (adding) {
        pop(h, add_after);
        if (++x[i] < hi(i)) push(h, add_after, add_entry(i));
      } else {
        pop(h, rem_before);
        if (--x[i] > lo(i)) push(h, rem_before, rem_entry(i));
      }
    }
  }
  // Check: the first unit not given must rank after the last unit given. It holds unless the
  // starting rounding was inexact (huntington_hill's signpost test is approximate); then swap
  // units until it does, with two full heaps.
  auto violated = [&](const HeapEntry& a, const HeapEntry& r) {  // r's last unit ranks after a's next
    const int c = cmp_threshold(m, r.key, r.x - 1, w[r.i], a.key, a.x, w[a.i]);
    return c > 0 || (c == 0 && r.i > a.i);
  };
  HeapEntry first_out{}, last_in{};
  bool any_out = false, any_in = false;
  for (size_t i = 0; i < n; ++i) {
    if (x[i] < hi(i)) {
      const HeapEntry e = add_entry(i);
      if (!any_out || add_after(first_out, e)) first_out = e;
      any_out = true;
    }
    if (x[i] > lo(i)) {
      const HeapEntry e = rem_entry(i);
      if (!any_in || rem_before(last_in, e)) last_in = e;
      any_in = true;
    }
  }
  if (!any_out || !any_in || !violated(first_out, last_in)) return;
  std::vector<HeapEntry> addh, remh;
  for (size_t i = 0; i < n; ++i) {
    if (x[i] < hi(i)) addh.push_back(add_entry(i));
    if (x[i] > lo(i)) remh.push_back(rem_entry(i));
  }
  std::make_heap(addh.begin(), addh.end(), add_after);
  std::make_heap(remh.begin(), remh.end(), rem_before);
  while (true) {
    const HeapEntry* a = top(addh, add_after);
    const HeapEntry* r = top(remh, rem_before);
    if (!a || !r || !violated(*a, *r)) break;
    const size_t ia = a->i, ir = r->i;
    pop(addh, add_after);
    top(remh, rem_before);
    pop(remh, rem_before);
    ++x[ia];
    --x[ir];
    for (size_t i : {ia, ir}) {  // their old entries are now stale
      if (x[i] < hi(i)) push(addh, add_after, add_entry(i));
      if (x[i] > lo(i)) push(remh, rem_before, rem_entry(i));
    }
  }
}

inline void divisor_unbounded(ApportionMethod m, uint64_t t, bool neg, gsl::span<const double> weights,
                              gsl::span<int64_t> out, const WideSum& wsum, size_t positive) {
  const double* w = weights.data();
  const size_t n = weights.size();
  // Start near the target: floors lose about half a unit each, so d'Hondt starts from a house
  // larger by positive/2.
  const u128 house = u128{t} + (m == ApportionMethod::dhondt ? positive / 2 : 0);
  std::vector<i128> x(n);
  with_quota_mode(QuotaKernel(make_scale(house, false, wsum), wsum.base), [&](auto mode, const QuotaKernel& k) {
    const auto quota = quota_fn<mode()>(k);
    for (size_t i = 0; i < n; ++i) {
      uint64_t fl, fr;
      quota(w[i], fl, fr);
      x[i] = static_cast<i128>(divisor_round(m, fl, fr));
    }
  });
  divisor_fixup(
      m, w, x.data(), n, i128{t}, [](size_t) { return i128{0}; },
      [w](size_t i) { return w[i] > 0 ? kNoUpper : i128{0}; });
  int64_t* o = out.data();
  for (size_t i = 0; i < n; ++i) {
    const auto v = static_cast<uint64_t>(x[i]);  // <= t <= 2^63
    o[i] = static_cast<int64_t>(neg ? uint64_t{0} - v : v);
  }
}

// ---- bounds --------------------------------------------------------------------------------------

// One stage of a bounded problem in the frame where the total is >= 0: positive weights, or the
// zero-weight recipients with unit weights. `index` maps back to the caller's positions.
struct Stage {
  std::vector<double> w;
  std::vector<i128> lo, hi;
  std::vector<size_t> index;
  bool has_lo = false, has_hi = false;
};

// clip(lambda * w, lo, hi) as an integer floor and a 64-bit fraction, exactly.
struct Clipped {
  i128 floor;
  uint64_t frac;
  bool pinned;  // at or beyond a bound: floor is that bound, frac 0
};
inline Clipped clip_quota(u128 mag_floor, uint64_t mag_frac, bool neg, i128 lo, i128 hi) {
  i128 fl = static_cast<i128>(mag_floor);
  uint64_t fr = mag_frac;
  if (neg) {
    fl = -fl - (fr != 0);
    fr = uint64_t{0} - fr;
  }
  if (fl >= hi) return {hi, 0, true};
  if (fl < lo || (fl == lo && fr == 0)) return {lo, 0, true};
  return {fl, fr, false};
}
inline Clipped clipped_quota(double w, const Scale& s, i128 lo, i128 hi) {
  const Split q = quota_of(w, s);
  return clip_quota(q.floor, q.frac, s.neg, lo, hi);
}
// |lambda * w| back from a clipped quota that is not pinned.
inline Split magnitude_of(const Clipped& c, bool neg) {
  if (!neg) return {static_cast<u128>(c.floor), c.frac};
  if (c.frac == 0) return {static_cast<u128>(-c.floor), 0};
  return {static_cast<u128>(-c.floor - 1), uint64_t{0} - c.frac};
}

// lambda for the recipients `free` (the rest pinned, summing to `pinned`): exact division.
inline Scale solve_piece(const Stage& st, i128 target, i128 pinned, const std::vector<size_t>& free) {
  const WideSum wf = exact_sum(free.size(), [&](size_t j) { return st.w[free[j]]; });
  const i128 num = target - pinned;
  return make_scale(num < 0 ? u128{0} - static_cast<u128>(num) : static_cast<u128>(num), num < 0, wf);
}

// lambda with sum_i clip(lambda*w_i, lo_i, hi_i) = target. The sum is piecewise linear in lambda
// with breakpoints lo_i/w_i and hi_i/w_i; a quickselect over them keeps an interval (L, R)
// holding the solution. Each round takes the median breakpoint of an evenly spaced sample of the
// undecided recipients as pivot, and one pass both evaluates the sum there and settles the
// recipients that are pinned or free on the whole interval, so the work shrinks geometrically
// (O(n) expected, in doubles). The breakpoints only locate the linear piece; lambda itself is
// (target - pinned) / (exact sum of the free weights), and refine() re-checks the piece exactly.
inline Scale waterfill(const Stage& st, i128 target) {
  constexpr double inf = std::numeric_limits<double>::infinity();
  struct Item {
    double lo, hi, w;  // breakpoints are lo/w and hi/w; tests multiply instead of dividing
    size_t i;
  };
  const size_t n = st.w.size();
  std::vector<Item> active;
  active.reserve(n);
  i128 pinned = 0;
  double slope = 0;
  std::vector<size_t> free;
  for (size_t i = 0; i < n; ++i) {
    if (st.lo[i] == st.hi[i]) pinned += st.lo[i];
    else active.push_back({st.has_lo ? to_double(st.lo[i]) : -inf, st.has_hi ? to_double(st.hi[i]) : inf, st.w[i], i});
  }
  const double goal = to_double(target);
  double L = -inf, R = inf;
  std::vector<double> sample;
  while (!active.empty()) {
    // Settle what the last round decided; gather the pivot sample from the rest.
    const size_t stride = std::max<size_t>(1, active.size() / 255);
    size_t kept = 0, countdown = 0;
    sample.clear();
    for (const Item& it : active) {
      const double lw = L * it.w, rw = R * it.w;
      if (it.hi <= lw) pinned += st.hi[it.i];
      else if (it.lo >= rw) pinned += st.lo[it.i];
      else if (it.lo <= lw && it.hi >= rw) {
        slope += it.w;
        free.push_back(it.i);
      } else {
        active[kept++] = it;
        if (countdown-- == 0) {
          countdown = stride - 1;
          if (it.lo > lw && it.lo < rw) sample.push_back(it.lo / it.w);
          if (it.hi > lw && it.hi < rw) sample.push_back(it.hi / it.w);
        }
      }
    }
    active.resize(kept);
    sample.erase(std::remove_if(sample.begin(), sample.end(), [&](double p) { return !(p > L && p < R); }),
                 sample.end());
    if (sample.empty()) {
      if (active.empty()) break;
      // Rounding put every remaining breakpoint on an end of (L, R): decide them at the middle.
      const double mid = std::isfinite(L) && std::isfinite(R) ? L + (R - L) / 2 : std::isfinite(L) ? L : R;
      for (const Item& it : active) {
        const double v = mid * it.w;
        if (v >= it.hi) pinned += st.hi[it.i];
        else if (v <= it.lo) pinned += st.lo[it.i];
        else {
          slope += it.w;
          free.push_back(it.i);
        }
      }
      break;
    }
    auto mid = sample.begin() + static_cast<std::ptrdiff_t>(sample.size() / 2);
    std::nth_element(sample.begin(), mid, sample.end());
    const double p = *mid;
    double f = to_double(pinned) + slope * p;
    for (const Item& it : active) f += std::clamp(p * it.w, it.lo, it.hi);
    (f >= goal ? R : L) = p;
  }
  if (free.empty()) {  // the sum is flat on (L, R): any interior lambda pins everyone
    const double lam = std::isfinite(L) && std::isfinite(R) ? L + (R - L) / 2
                       : std::isfinite(L)                   ? L + std::max(1.0, std::fabs(L))
                       : std::isfinite(R)                   ? R - std::max(1.0, std::fabs(R))
                                                            : 0.0;
    return scale_from(lam);
  }
  return solve_piece(st, target, pinned, free);
}

// One exact step: classify every recipient at lambda with exact products and solve that piece.
// Used when the rounded sum shows that the double-precision search chose a neighbouring piece.
inline Scale refine(const Stage& st, i128 target, const Scale& lam) {
  i128 pinned = 0;
  std::vector<size_t> free;
  for (size_t i = 0; i < st.w.size(); ++i) {
    const Clipped q = clipped_quota(st.w[i], lam, st.lo[i], st.hi[i]);
    if (q.pinned) pinned += q.floor;
    else free.push_back(i);
  }
  return free.empty() ? lam : solve_piece(st, target, pinned, free);
}

// The water level by variable fixing (Bitran and Hax 1981; Kiwiel 2008), exact and at most n
// rounds, for when the double-precision search and one refine() step did not land on the right
// piece (e.g. a product beyond the largest double misread a breakpoint). Each round solves the
// free recipients alone, lambda = (target - pinned) / (exact sum of their weights), and reads
// x_i = lambda * w_i exactly. If no x_i passes a bound, that lambda is the answer. Otherwise, with
// grad = sum(lo_i - x_i) over the x_i at or below lo_i and delta = sum(x_i - hi_i) over those at
// or above hi_i: grad >= delta means the clipped sum at lambda is >= target, so the true level is
// <= lambda and every recipient at or below its lower bound there stays there; fix them at lo_i
// (else, symmetrically, fix those at or above hi_i). Every round fixes at least one recipient, so
// it ends. grad - delta is summed exactly (integer parts and 64-bit fractions apart; the free
// quotas are bounded by |target - pinned|, so nothing saturates).
inline Scale water_level_exact(const Stage& st, i128 target) {
  const size_t n = st.w.size();
  enum : signed char { kFree = 0, kAtLo = -1, kAtHi = 1 };
  std::vector<signed char> side(n, kFree);
  std::vector<size_t> free, low, high;
  i128 pinned = 0;
  for (size_t i = 0; i < n; ++i) {
    if (st.lo[i] == st.hi[i]) {
      side[i] = kAtLo;
      pinned += st.lo[i];
    } else {
      free.push_back(i);
    }
  }
  while (!free.empty()) {
    const Scale lam = solve_piece(st, target, pinned, free);
    low.clear();
    high.clear();
    i128 whole = 0, frac = 0;  // grad - delta = whole - frac / 2^64
    for (size_t i : free) {
      const Split mag = quota_of(st.w[i], lam);
      i128 fl = static_cast<i128>(mag.floor);  // x_i = fl + fr / 2^64, as in clip_quota
      uint64_t fr = mag.frac;
      if (lam.neg) {
        fl = -fl - (fr != 0);
        fr = uint64_t{0} - fr;
      }
      if (fl < st.lo[i] || (fl == st.lo[i] && fr == 0)) {  // lo - x
        low.push_back(i);
        whole += st.lo[i] - fl;
        frac += fr;
      } else if (fl >= st.hi[i]) {  // -(x - hi)
        high.push_back(i);
        whole -= fl - st.hi[i];
        frac += fr;
      }
    }
    if (low.empty() && high.empty()) return lam;
    const i128 floored = whole - (frac >> 64);  // grad - delta = floored - (frac mod 2^64) / 2^64
    const bool fix_low = high.empty() || (!low.empty() && floored >= 1) ||
                         (!low.empty() && floored == 0 && static_cast<uint64_t>(frac) == 0);
    for (size_t i : fix_low ? low : high) {
      side[i] = fix_low ? kAtLo : kAtHi;
      pinned += fix_low ? st.lo[i] : st.hi[i];
    }
    free.erase(std::remove_if(free.begin(), free.end(), [&](size_t i) { return side[i] != kFree; }), free.end());
  }
  // Everyone sits at a bound: any lambda between the largest breakpoint hi_i / w_i of those at
  // their upper bound and the smallest lo_i / w_i of those at their lower bound. Take the former
  // rounded up (or, without one, the latter rounded down), so that the quotas pin at the same
  // bounds, except that a quota exactly on its breakpoint may read as free with the same floor.
  auto breakpoint = [&](size_t i, bool upper, bool round_up) {
    const i128 b = upper ? st.hi[i] : st.lo[i];
    const WideSum wi = exact_sum(1, [&](size_t) { return st.w[i]; });
    Scale s = make_scale(b < 0 ? u128{0} - static_cast<u128>(b) : static_cast<u128>(b), b < 0, wi);
    if (s.mant != 0 && round_up != s.neg && ++s.mant == 0) {  // away from zero by one unit
      s.mant = u128{1} << 127;
      ++s.exp;
    }
    return s;
  };
  auto less = [](const Scale& a, const Scale& b) {  // a < b
    const int sa = a.mant == 0 ? 0 : a.neg ? -1 : 1, sb = b.mant == 0 ? 0 : b.neg ? -1 : 1;
    if (sa != sb) return sa < sb;
    if (sa == 0) return false;
    const bool mag_less = a.exp != b.exp ? a.exp < b.exp : a.mant < b.mant;
    const bool mag_equal = a.exp == b.exp && a.mant == b.mant;
    return sa > 0 ? mag_less : !mag_less && !mag_equal;
  };
  Scale best{};
  bool found = false;
  for (size_t i = 0; i < n; ++i)
    if (side[i] == kAtHi) {
      const Scale s = breakpoint(i, true, true);
      if (!found || less(best, s)) best = s;
      found = true;
    }
  const bool any_at_hi = found;
  for (size_t i = 0; i < n && !any_at_hi; ++i)
    if (side[i] == kAtLo && st.lo[i] != st.hi[i]) {
      const Scale s = breakpoint(i, false, false);
      if (!found || less(s, best)) best = s;
      found = true;
    }
  return best;
}

// Clipped quotas (exact at lambda) through the fast kernel. When their floors sum further from
// the target than rounding can explain (0 <= target - sum <= unpinned count), lambda lies on
// another linear piece: one refine() step fixes a neighbouring piece (the usual miss of the
// double search); past that, water_level_exact() solves it. With check = false, the quotas at
// lambda as given.
inline Scale clipped_floors(const Stage& st, i128 target, Scale lam, std::vector<Clipped>& q, bool check = true) {
  const size_t n = st.w.size();
  q.resize(n);
  double wmax = 0;
  for (double w : st.w) wmax = std::max(wmax, w);
  const int base = std::max(static_cast<int>(bits_of(wmax) >> 52) - 10, 52);  // every weight < HotScale.hi
  for (int round = 0;; ++round) {
    i128 sum = 0, inside = 0;
    Scale mag = lam;
    mag.neg = false;
    const QuotaKernel qk(mag, base);
    if (qk.mode == 2) {  // quotas may exceed 2^64 here: keep the wide floors
      for (size_t i = 0; i < n; ++i) {
        q[i] = clipped_quota(st.w[i], lam, st.lo[i], st.hi[i]);
        sum += q[i].floor;
        inside += !q[i].pinned;
      }
    } else {
      with_quota_mode(qk, [&](auto mode, const QuotaKernel& k) {
        const auto quota = quota_fn<mode()>(k);  // floors < 2^64 in modes 0 and 1
        for (size_t i = 0; i < n; ++i) {
          uint64_t fl, fr;
          quota(st.w[i], fl, fr);
          q[i] = clip_quota(fl, fr, lam.neg, st.lo[i], st.hi[i]);
          sum += q[i].floor;
          inside += !q[i].pinned;
        }
      });
    }
    if (!check || (sum <= target && target - sum <= inside)) return lam;
    if (round == 0) {
      lam = refine(st, target, lam);
    } else {  // exact: the quotas at its lambda are final (rounding repairs a unit either way)
      lam = water_level_exact(st, target);
      check = false;
    }
  }
}

// Hamilton on a bounded stage: floors, then the missing units to the largest remainders among
// those below their upper bound (ties: lower index). Should precision leave the floors above the
// target, units are taken back from the smallest remainders (ties: higher index first).
inline void hamilton_bounded(const Stage& st, const Scale& lam, i128 target, std::vector<i128>& x) {
  const size_t n = st.w.size();
  std::vector<Clipped> q;
  clipped_floors(st, target, lam, q);
  x.resize(n);
  i128 sum = 0;
  for (size_t i = 0; i < n; ++i) {
    x[i] = q[i].floor;
    sum += q[i].floor;
  }
  auto frac = [&](size_t i) { return q[i].frac; };
  std::vector<Cand> c;
  while (sum < target) {
    c.clear();
    for (size_t i = 0; i < n; ++i)
      if (x[i] < st.hi[i]) c.push_back({frac(i), i});
    if (c.empty()) fail(errc::internal, "apportion: no recipient below its upper bound");
    const i128 k = target - sum;
    if (k >= static_cast<i128>(c.size())) {  // only after a precision shortfall: spread evenly
      const i128 step = k / static_cast<i128>(c.size());
      for (const Cand& e : c) {
        const i128 add = std::min(step, st.hi[e.index] - x[e.index]);
        x[e.index] += add;
        sum += add;
      }
      continue;
    }
    select_largest(c, static_cast<size_t>(k), 64, [&](size_t i) { ++x[i]; });
    sum = target;
  }
  while (sum > target) {
    c.clear();
    for (size_t i = n; i-- > 0;)
      if (x[i] > st.lo[i]) c.push_back({~frac(i), i});
    if (c.empty()) fail(errc::internal, "apportion: no recipient above its lower bound");
    const i128 k = sum - target;
    if (k >= static_cast<i128>(c.size())) {
      const i128 step = k / static_cast<i128>(c.size());
      for (const Cand& e : c) {
        const i128 sub = std::min(step, x[e.index] - st.lo[e.index]);
        x[e.index] -= sub;
        sum -= sub;
      }
      continue;
    }
    select_largest(c, static_cast<size_t>(k), 64, [&](size_t i) { --x[i]; });
    sum = target;
  }
}

inline void divisor_bounded(ApportionMethod m, const Stage& st, const Scale& lam, i128 target, std::vector<i128>& x) {
  const size_t n = st.w.size();
  std::vector<Clipped> qs;
  Scale used = clipped_floors(st, target, lam, qs);
  if (m == ApportionMethod::dhondt) {
    // Floors lose about half a unit per free recipient: start from the piece's lambda for a
    // house larger by half their count, so that few units remain for the heap.
    const auto inside = static_cast<i128>(std::count_if(qs.begin(), qs.end(), [](const Clipped& c) { return !c.pinned; }));
    if (inside > 1) used = clipped_floors(st, target, refine(st, target + inside / 2, used), qs, false);
  }
  x.resize(n);
  for (size_t i = 0; i < n; ++i) {
    if (qs[i].pinned) {
      x[i] = qs[i].floor;
      continue;
    }
    // Signposts are odd-symmetric (s(-k-1) = -s(k)), so a negative quota rounds as -round(|q|).
    const Split mag = magnitude_of(qs[i], used.neg);
    const auto r = static_cast<i128>(divisor_round(m, mag.floor, mag.frac));
    x[i] = std::clamp(used.neg ? -r : r, st.lo[i], st.hi[i]);
  }
  divisor_fixup(
      m, st.w.data(), x.data(), n, target, [&](size_t i) { return st.lo[i]; }, [&](size_t i) { return st.hi[i]; });
}

// Validated bounded problem in the frame where the total is >= 0 (a negative total is negated
// with the bounds swapped and negated).
struct Bounded {
  i128 total = 0;
  bool neg = false;
  Stage all;  // every recipient, in order
};

inline Bounded make_bounded(int64_t total, gsl::span<const double> weights, gsl::span<const int64_t> lower,
                            gsl::span<const int64_t> upper) {
  const size_t n = weights.size();
  const bool has_lower = !lower.empty(), has_upper = !upper.empty();
  i128 sum_lo = 0, sum_hi = 0;
  for (size_t i = 0; i < n; ++i) {
    if (has_lower && has_upper && lower.data()[i] > upper.data()[i])
      fail(errc::invalid_argument, "lower[", i, "] is ", lower.data()[i], " but upper[", i, "] is ", upper.data()[i],
           "; lower bounds must not exceed upper bounds");
    if (has_lower) sum_lo += lower.data()[i];
    if (has_upper) sum_hi += upper.data()[i];
  }
  if (has_lower && sum_lo > total)
    fail(errc::invalid_argument, "sum of lower bounds ", to_string(sum_lo), " exceeds total ", total);
  if (has_upper && sum_hi < total)
    fail(errc::invalid_argument, "sum of upper bounds ", to_string(sum_hi), " is less than total ", total);
  Bounded b;
  b.neg = total < 0;
  b.total = b.neg ? -i128{total} : i128{total};
  Stage& s = b.all;
  s.w.assign(weights.begin(), weights.end());
  s.lo.resize(n);
  s.hi.resize(n);
  s.index.resize(n);
  s.has_lo = b.neg ? has_upper : has_lower;
  s.has_hi = b.neg ? has_lower : has_upper;
  for (size_t i = 0; i < n; ++i) {
    s.index[i] = i;
    if (b.neg) {
      s.lo[i] = has_upper ? -i128{upper.data()[i]} : kNoLower;
      s.hi[i] = has_lower ? -i128{lower.data()[i]} : kNoUpper;
    } else {
      s.lo[i] = has_lower ? i128{lower.data()[i]} : kNoLower;
      s.hi[i] = has_upper ? i128{upper.data()[i]} : kNoUpper;
    }
  }
  return b;
}

// Splits the problem into its stages. `solve(stage, target)` fills stage results; `pin(i, v)`
// sets recipient i (caller position) to the integer v.
template <class Solve, class Pin>
void bounded_stages(const Bounded& b, Solve solve, Pin pin) {
  const Stage& all = b.all;
  const size_t n = all.w.size();
  if (std::all_of(all.w.begin(), all.w.end(), [](double w) { return w > 0; })) return solve(all, b.total);
  Stage pos, zero;
  pos.has_lo = zero.has_lo = all.has_lo;
  pos.has_hi = zero.has_hi = all.has_hi;
  i128 held = 0, pos_lo = 0, pos_hi = 0;  // held: zero-weight recipients at clip(0, lo, hi)
  for (size_t i = 0; i < n; ++i) {
    Stage& s = all.w[i] > 0 ? pos : zero;
    s.w.push_back(all.w[i] > 0 ? all.w[i] : 1.0);
    s.lo.push_back(all.lo[i]);
    s.hi.push_back(all.hi[i]);
    s.index.push_back(i);
    if (all.w[i] > 0) {
      pos_lo += all.has_lo ? all.lo[i] : 0;
      pos_hi += all.has_hi ? all.hi[i] : 0;
    } else {
      held += std::clamp(i128{0}, all.lo[i], all.hi[i]);
    }
  }
  const i128 rest = b.total - held;
  const bool fits_lo = pos.w.empty() ? rest >= 0 : !all.has_lo || rest >= pos_lo;
  const bool fits_hi = pos.w.empty() ? rest <= 0 : !all.has_hi || rest <= pos_hi;
  if (fits_lo && fits_hi) {
    solve(pos, rest);
    for (size_t j = 0; j < zero.w.size(); ++j) pin(zero.index[j], std::clamp(i128{0}, zero.lo[j], zero.hi[j]));
    return;
  }
  // The positive weights cannot absorb the total: pin them at the bound they hit and let the
  // zero-weight recipients share what is left with equal weights.
  const bool at_hi = pos.w.empty() ? rest > 0 : !fits_hi;
  for (size_t j = 0; j < pos.w.size(); ++j) pin(pos.index[j], at_hi ? pos.hi[j] : pos.lo[j]);
  solve(zero, b.total - (pos.w.empty() ? 0 : at_hi ? pos_hi : pos_lo));
}

inline void store(gsl::span<int64_t> out, size_t i, i128 v, bool neg) {
  const i128 r = neg ? -v : v;
  if (r < std::numeric_limits<int64_t>::min() || r > std::numeric_limits<int64_t>::max())
    fail(errc::overflow, "share of recipient ", i, " is ", to_string(r), ", which overflows int64");
  out.data()[i] = static_cast<int64_t>(r);
}

inline void apportion_bounded(ApportionMethod m, const Bounded& b, gsl::span<int64_t> out) {
  std::vector<i128> x;
  bounded_stages(
      b,
      [&](const Stage& st, i128 target) {
        if (st.w.empty()) return;
        const Scale lam = waterfill(st, target);
        if (m == ApportionMethod::hamilton) hamilton_bounded(st, lam, target, x);
        else divisor_bounded(m, st, lam, target, x);
        for (size_t j = 0; j < st.w.size(); ++j) store(out, st.index[j], x[j], b.neg);
      },
      [&](size_t i, i128 v) { store(out, i, v, b.neg); });
}

inline void quotas_bounded(const Bounded& b, gsl::span<double> out) {
  double* o = out.data();
  const double sign = b.neg ? -1.0 : 1.0;
  bounded_stages(
      b,
      [&](const Stage& st, i128 target) {
        if (st.w.empty()) return;
        std::vector<Clipped> q;
        const double lam = scale_double(clipped_floors(st, target, waterfill(st, target), q));
        for (size_t j = 0; j < st.w.size(); ++j)
          o[st.index[j]] = sign * (q[j].pinned ? to_double(q[j].floor) : st.w[j] * lam);
      },
      [&](size_t i, i128 v) { o[i] = sign * to_double(v); });
}

// Checks shared by apportion and apportion_quotas; returns the exact weight sum.
inline WideSum validate(int64_t total, gsl::span<const double> weights, size_t out_size,
                        gsl::span<const int64_t> lower, gsl::span<const int64_t> upper, size_t& positive) {
  check_length(weights.size(), out_size, "out");
  if (!lower.empty()) check_length(weights.size(), lower.size(), "lower");
  if (!upper.empty()) check_length(weights.size(), upper.size(), "upper");
  positive = validate_weights(weights);
  const WideSum s = weight_sum(weights);
  if (total != 0 && weights.empty()) fail(errc::invalid_argument, "weights is empty but total is ", total);
  if (total != 0 && s.zero) fail(errc::invalid_argument, "weights sum to 0 but total is ", total);
  return s;
}

inline uint64_t magnitude(int64_t v) {
  return v < 0 ? uint64_t{0} - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
}

}  // namespace detail::apportion_impl

// Writes into out (same length as weights) integer shares that sum exactly to total, by `method`,
// within [lower_i, upper_i] when bounds are given (empty span = unbounded on that side).
//   std::vector<int64_t> out(3);  apportion(10, w, out);   // w = {6, 6, 2} -> {4, 4, 2}
// Errors, all errc::invalid_argument and all raised before anything is written to out: length
// mismatches, NaN/inf/negative weights, weights summing beyond the largest double, empty or
// all-zero weights with a nonzero total, lower[i] > upper[i], sum(lower) > total or
// sum(upper) < total, an unknown method.
namespace detail::apportion_impl {
// Scaling every weight by the same power of two changes no share and is exact when scaling up.
// The bounded solver and the double quotas want weights of ordinary size, so tiny ones (all
// below 2^-256, e.g. 1e-304) are brought up next to 1 first. Returns false when nothing to do.
inline bool rescale_tiny(gsl::span<const double> w, std::vector<double>& tmp) {
  double wmax = 0;
  for (double x : w) wmax = std::max(wmax, std::fabs(x));
  if (!(wmax > 0) || wmax >= 0x1p-256 || !std::isfinite(wmax)) return false;
  const int e = std::ilogb(wmax);
  tmp.resize(w.size());
  for (size_t i = 0; i < w.size(); ++i) tmp[i] = std::ldexp(w[i], -e);
  return true;
}
}  // namespace detail::apportion_impl

namespace detail::apportion_impl {
// Small unbounded Hamilton groups (tree siblings, the months of a year) are the common call, and
// the wide-sum machinery would cost more than the work. When the group's weights lie within 2^70
// of each other, each is an exact integer M_i times one common power of two, so with S = sum(M_i)
// every quota is t * M_i / S: its floor and its remainder come from one 128-bit division, and
// remainders are compared exactly (ties are exact ties, to the lower index). Returns false, having
// written nothing, when the group does not qualify (bad input included): the general engine
// answers then.
inline constexpr size_t kSmallGroup = 32;

// The positive weights as exact integers M_i times one common power of two (M_i = 0 for zero
// weights), reduced by their common factors of two. Returns the bit width of the widest M_i, or
// -1 when the weights do not qualify: any weight negative, -0.0, non-finite or near the double
// limit, all zero, two positive weights more than 2^70 apart, or a sum that could reach 2^126.
inline int exact_integers(const double* w, size_t n, u128* big, u128& sum) {
  int emin = std::numeric_limits<int>::max(), emax = std::numeric_limits<int>::min();
  for (size_t i = 0; i < n; ++i) {
    const uint64_t b = bits_of(w[i]);
    if ((b >> 52) >= 0x7ff - 50) return -1;
    if (b == 0) continue;
    const int e = decompose(w[i]).e;
    emin = std::min(emin, e);
    emax = std::max(emax, e);
  }
  if (emax < emin || emax - emin > 70) return -1;
  u128 bits = 0;
  for (size_t i = 0; i < n; ++i) {
    const Decomposed d = decompose(w[i]);
    big[i] = d.m == 0 ? 0 : static_cast<u128>(d.m) << (d.e - emin);
    bits |= big[i];
  }
  const auto low = static_cast<uint64_t>(bits);  // bits != 0: some weight is positive
  const int tz = low ? __builtin_ctzll(low) : 64 + __builtin_ctzll(static_cast<uint64_t>(bits >> 64));
  sum = 0;
  for (size_t i = 0; i < n; ++i) {
    big[i] >>= tz;
    sum += big[i];
  }
  const int top = 128 - clz128(bits >> tz);
  // S < 2^(top + bits(n)) must fit with room (a wrapped sum above is then never used).
  return top + (64 - __builtin_clzll(static_cast<uint64_t>(n))) <= 126 ? top : -1;
}

// Scratch for hamilton_round: a group's floors, remainders and selection order.
template <class Word>
struct RoundScratch {
  uint64_t* share;
  Word* rem;
  uint32_t* order;  // the next two only for groups above kSmallGroup
  uint64_t* keys;
};

// Gives the units to the k largest remainders (ties to the lower index) through one word per
// recipient: the remainder's top bits above the index (a larger key is a larger remainder, then a
// lower index), so selection needs no indirection. Returns false, having changed nothing, when
// remainders that differ only in the dropped bits sit at the cut-off: the exact selection decides.
template <class Word>
bool select_packed(const Word* rem, u128 sum, size_t n, uint64_t k, RoundScratch<Word> s) {
  const int ib = 64 - __builtin_clzll(static_cast<uint64_t>(n - 1));  // index bits
  const int sb = 128 - clz128(sum);                                     // remainder bits
  const int shift = std::max(0, sb + ib - 64);
  uint64_t* key = s.keys;
  for (size_t i = 0; i < n; ++i) key[i] = (static_cast<uint64_t>(rem[i] >> shift) << ib) | (n - 1 - i);
  std::nth_element(key, key + (k - 1), key + n, std::greater<uint64_t>());
  if (shift > 0) {
    // Exact unless the cut-off's kept bits are shared by remainders that differ below them
    // (remainders that are equal, e.g. of equal weights, are ordered by index: exact).
    const uint64_t cut = key[k - 1] >> ib;
    const Word* same = nullptr;
    for (size_t i = 0; i < n; ++i) {
      if (static_cast<uint64_t>(rem[i] >> shift) != cut) continue;
      if (same && rem[i] != *same) return false;
      same = rem + i;
    }
  }
  const uint64_t mask = (uint64_t{1} << ib) - 1;
  for (size_t j = 0; j < k; ++j) ++s.share[n - 1 - (key[j] & mask)];
  return true;
}

// Hamilton of t over exact integers M_i (sum S): floors and exact remainders of t * M_i / S,
// then the k = t - sum(floors) units to the largest remainders, ties to the lower index.
// sum(rem) = k * S with every rem < S, so more than k remainders are nonzero and zero weights
// (remainder 0) never win. Word is uint64_t when S fits 64 bits (the usual case), else u128.
// Needs t * M_i < 2^128 for every i.
template <class Word>
void hamilton_round(uint64_t t, bool neg, const u128* big, u128 sum, size_t n, int64_t* out, RoundScratch<Word> s) {
  uint64_t floors = 0;
  if constexpr (sizeof(Word) == sizeof(uint64_t)) {
    // For t < 2^50, q ~ M_i * (t / S) in doubles is within 1 of the floor (relative error under
    // 2^-50) and is fixed up exactly from the remainder: several times faster than a 128-bit
    // division, which larger totals take.
    const auto d = static_cast<uint64_t>(sum);
    if (t < (uint64_t{1} << 50)) {
      const double scale = static_cast<double>(t) / static_cast<double>(d);
      for (size_t i = 0; i < n; ++i) {
        const auto m = static_cast<uint64_t>(big[i]);  // M_i <= S < 2^64
        const u128 p = static_cast<u128>(t) * m;
        auto q = static_cast<uint64_t>(static_cast<int64_t>(static_cast<double>(m) * scale));
        auto r = static_cast<i128>(p - static_cast<u128>(q) * d);
        while (r < 0) --q, r += d;
        while (r >= static_cast<i128>(d)) ++q, r -= d;
        s.rem[i] = static_cast<uint64_t>(r);
        s.share[i] = q;
        floors += q;
      }
    } else {
      for (size_t i = 0; i < n; ++i) {
        const u128 p = static_cast<u128>(t) * static_cast<uint64_t>(big[i]);
        const auto q = static_cast<uint64_t>(p / d);
        s.rem[i] = static_cast<uint64_t>(p - static_cast<u128>(q) * d);
        s.share[i] = q;
        floors += q;
      }
    }
  } else {
    for (size_t i = 0; i < n; ++i) {
      const u128 p = static_cast<u128>(t) * big[i];
      const u128 q = p / sum;  // <= t
      s.share[i] = static_cast<uint64_t>(q);
      s.rem[i] = p - q * sum;
      floors += s.share[i];
    }
  }
  const uint64_t k = t - floors;
  if (k >= n) fail(errc::internal, "apportion: ", k, " units left over for ", n, " recipients");
  const Word* rem = s.rem;
  if (n <= kSmallGroup) {
    // Unit i goes up when its rank (larger remainders, then equal ones at lower indexes) is
    // below k. Branch-free O(n^2), cheaper than sorting at this size.
    for (size_t i = 0; i < n; ++i) {
      const Word ri = rem[i];
      size_t rank = 0;
      for (size_t j = 0; j < n; ++j) rank += (rem[j] > ri) | ((rem[j] == ri) & (j < i));
      s.share[i] += rank < k;
    }
  } else if (k > 0 && !select_packed(rem, sum, n, k, s)) {
    for (size_t i = 0; i < n; ++i) s.order[i] = static_cast<uint32_t>(i);
    std::nth_element(s.order, s.order + (k - 1), s.order + n, [rem](uint32_t a, uint32_t b) {
      return rem[a] != rem[b] ? rem[a] > rem[b] : a < b;
    });
    for (size_t j = 0; j < k; ++j) ++s.share[s.order[j]];
  }
  const uint64_t sign = neg ? ~uint64_t{0} : 0;
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<int64_t>((s.share[i] ^ sign) - sign);
}

// t * M_i fits the exact path with room when bits(t) + bits(widest M_i) <= 122.
inline bool fits_exact(uint64_t t, int top) { return (64 - __builtin_clzll(t)) + top <= 122; }

// Small unbounded Hamilton groups (tree siblings, the months of a year) are the common call, and
// the wide-sum machinery would cost more than the work: exact integers and one rounding pass.
// Returns false, having written nothing, when the group does not qualify (bad input included):
// the general engine answers then.
inline bool hamilton_small(int64_t total, gsl::span<const double> weights, gsl::span<int64_t> out) {
  const size_t n = weights.size();
  if (n == 0 || n > kSmallGroup || out.size() != n || total == 0) return false;
  u128 big[kSmallGroup];
  u128 sum = 0;
  const int top = exact_integers(weights.data(), n, big, sum);
  const uint64_t t = magnitude(total);
  if (top < 0 || !fits_exact(t, top)) return false;
  uint64_t share[kSmallGroup];
  if ((sum >> 64) == 0) {
    uint64_t rem[kSmallGroup];
    hamilton_round<uint64_t>(t, total < 0, big, sum, n, out.data(), {share, rem, nullptr, nullptr});
  } else {
    u128 rem[kSmallGroup];
    hamilton_round<u128>(t, total < 0, big, sum, n, out.data(), {share, rem, nullptr, nullptr});
  }
  return true;
}

// Hamilton over one set of weights for many totals (phasing many leaves over the same periods):
// the weights' exact integer form is found once, then each total costs one rounding pass.
class HamiltonRows {
 public:
  explicit HamiltonRows(gsl::span<const double> weights)
      : n_(weights.size()), big_(n_), share_(n_), rem64_(n_), keys_(n_), order_(n_) {
    if (n_ == 0 || n_ > std::numeric_limits<uint32_t>::max()) return;
    top_ = exact_integers(weights.data(), n_, big_.data(), sum_);
    if (top_ >= 0 && (sum_ >> 64) != 0) rem128_.resize(n_);
  }
  // Writes the shares of total into out (n values) and returns true, or returns false (nothing
  // written) when this total or these weights need the general engine.
  bool apply(int64_t total, int64_t* out) {
    if (top_ < 0 || total == 0 || !fits_exact(magnitude(total), top_)) return false;
    if ((sum_ >> 64) == 0)
      hamilton_round<uint64_t>(magnitude(total), total < 0, big_.data(), sum_, n_, out,
                               {share_.data(), rem64_.data(), order_.data(), keys_.data()});
    else
      hamilton_round<u128>(magnitude(total), total < 0, big_.data(), sum_, n_, out,
                           {share_.data(), rem128_.data(), order_.data(), keys_.data()});
    return true;
  }

 private:
  size_t n_;
  int top_ = -1;
  u128 sum_ = 0;
  std::vector<u128> big_;
  std::vector<uint64_t> share_, rem64_, keys_;
  std::vector<u128> rem128_;
  std::vector<uint32_t> order_;
};
}  // namespace detail::apportion_impl

inline void apportion(int64_t total, gsl::span<const double> weights, gsl::span<int64_t> out,
                      ApportionMethod method = ApportionMethod::hamilton, gsl::span<const int64_t> lower = {},
                      gsl::span<const int64_t> upper = {}) {
  namespace ap = detail::apportion_impl;
  const ApportionMethod m = check_apportion_method(static_cast<int32_t>(method));
  if (m == ApportionMethod::hamilton && lower.empty() && upper.empty() && ap::hamilton_small(total, weights, out))
    return;
  size_t positive = 0;
  const ap::WideSum wsum = ap::validate(total, weights, out.size(), lower, upper, positive);
  if (!lower.empty() || !upper.empty()) {
    std::vector<double> scaled;
    if (ap::rescale_tiny(weights, scaled)) weights = scaled;
    ap::apportion_bounded(m, ap::make_bounded(total, weights, lower, upper), out);
    return;
  }
  if (total == 0) {
    std::fill(out.begin(), out.end(), int64_t{0});
    return;
  }
  const uint64_t t = ap::magnitude(total);
  if (m == ApportionMethod::hamilton) ap::hamilton_unbounded(t, total < 0, weights, out, wsum, positive);
  else ap::divisor_unbounded(m, t, total < 0, weights, out, wsum, positive);
}

// As above, returning a new vector:  apportion(11, w) == std::vector<int64_t>{5, 5, 1}.
inline std::vector<int64_t> apportion(int64_t total, gsl::span<const double> weights,
                                      ApportionMethod method = ApportionMethod::hamilton,
                                      gsl::span<const int64_t> lower = {}, gsl::span<const int64_t> upper = {}) {
  std::vector<int64_t> out(weights.size());
  apportion(total, weights, out, method, lower, upper);
  return out;
}

// The real-valued quotas before rounding, for explanations and audit: total*w_i/sum(w) without
// bounds, the water-filled x_i = clip(lambda*w_i, lower_i, upper_i) summing to total with them
// (zero weights as described at the top). Same validation as apportion. Each value is the
// engine's internal quota rounded to double (relative error under 2^-52).
//   std::vector<double> q(3);  apportion_quotas(10, w, q);   // w = {6, 6, 2} -> {4.2857.., 4.2857.., 1.4285..}
inline void apportion_quotas(int64_t total, gsl::span<const double> weights, gsl::span<double> out,
                             gsl::span<const int64_t> lower = {}, gsl::span<const int64_t> upper = {}) {
  namespace ap = detail::apportion_impl;
  size_t positive = 0;
  ap::WideSum wsum = ap::validate(total, weights, out.size(), lower, upper, positive);
  std::vector<double> scaled;
  if (ap::rescale_tiny(weights, scaled)) {
    weights = scaled;
    wsum = ap::validate(total, weights, out.size(), lower, upper, positive);
  }
  if (!lower.empty() || !upper.empty()) {
    ap::quotas_bounded(ap::make_bounded(total, weights, lower, upper), out);
    return;
  }
  if (total == 0) {
    std::fill(out.begin(), out.end(), 0.0);
    return;
  }
  const double s = ap::scale_double(ap::make_scale(ap::magnitude(total), total < 0, wsum));
  const double* w = weights.data();
  double* o = out.data();
  for (size_t i = 0; i < weights.size(); ++i) o[i] = w[i] * s;
}

}  // namespace quotaflow
