// quotaflow::Amount: money and quantities as a signed 64-bit count of minor units.
//
// Floating point never stores an amount: 1234.56 CNY is Amount{123456} at scale 2. Arithmetic is
// checked; a result that does not fit in int64 throws errc::overflow instead of wrapping.
//   auto a = Amount::parse("1234.56", 2);  // a.minor() == 123456
//   a.format(2) == "1234.56"
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "quotaflow/core/error.hpp"

namespace quotaflow {

// Largest scale accepted by parse/format: 10^18 still fits in int64.
inline constexpr int max_amount_scale = 18;

namespace detail {
inline int64_t checked_add(int64_t a, int64_t b, const char* what = "amount addition") {
  int64_t r;
  if (__builtin_add_overflow(a, b, &r)) fail(errc::overflow, what, " overflows int64: ", a, " + ", b);
  return r;
}
inline int64_t checked_sub(int64_t a, int64_t b, const char* what = "amount subtraction") {
  int64_t r;
  if (__builtin_sub_overflow(a, b, &r)) fail(errc::overflow, what, " overflows int64: ", a, " - ", b);
  return r;
}
inline int64_t checked_mul(int64_t a, int64_t b, const char* what = "amount multiplication") {
  int64_t r;
  if (__builtin_mul_overflow(a, b, &r)) fail(errc::overflow, what, " overflows int64: ", a, " * ", b);
  return r;
}
inline void check_scale(int scale) {
  if (scale < 0 || scale > max_amount_scale)
    fail(errc::invalid_argument, "scale is ", scale, "; it must be in 0..", max_amount_scale);
}
}  // namespace detail

class Amount {
 public:
  constexpr Amount() noexcept = default;
  constexpr explicit Amount(int64_t minor_units) noexcept : v_(minor_units) {}

  [[nodiscard]] constexpr int64_t minor() const noexcept { return v_; }

  friend Amount operator+(Amount a, Amount b) { return Amount{detail::checked_add(a.v_, b.v_)}; }
  friend Amount operator-(Amount a, Amount b) { return Amount{detail::checked_sub(a.v_, b.v_)}; }
  friend Amount operator*(Amount a, int64_t k) { return Amount{detail::checked_mul(a.v_, k)}; }
  friend Amount operator*(int64_t k, Amount a) { return a * k; }
  Amount operator-() const {
    if (v_ == std::numeric_limits<int64_t>::min()) fail(errc::overflow, "negating amount ", v_, " overflows int64");
    return Amount{-v_};
  }
  Amount& operator+=(Amount b) { return *this = *this + b; }
  Amount& operator-=(Amount b) { return *this = *this - b; }
  friend constexpr auto operator<=>(Amount, Amount) noexcept = default;

  // Decimal text with `scale` digits after the point: Amount{-5}.format(2) == "-0.05".
  [[nodiscard]] std::string format(int scale) const {
    detail::check_scale(scale);
    // Work on the unsigned magnitude so INT64_MIN formats correctly.
    uint64_t mag = v_ < 0 ? uint64_t{0} - static_cast<uint64_t>(v_) : static_cast<uint64_t>(v_);
    std::string digits = std::to_string(mag);
    if (scale > 0) {
      if (digits.size() <= static_cast<size_t>(scale)) digits.insert(0, static_cast<size_t>(scale) + 1 - digits.size(), '0');
      digits.insert(digits.size() - static_cast<size_t>(scale), 1, '.');
    }
    if (v_ < 0) digits.insert(0, 1, '-');
    return digits;
  }

  // Parses "[+-]digits[.digits]" without floating point. More fractional digits than `scale`
  // are an error unless they are zeros (no silent rounding of money).
  static Amount parse(std::string_view text, int scale) {
    detail::check_scale(scale);
    auto bad = [&](const char* why, errc code = errc::parse_error) -> Amount {
      fail(code, "amount \"", std::string(text), "\" ", why);
    };
    size_t i = 0;
    bool negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
    uint64_t mag = 0;
    const uint64_t limit = negative ? uint64_t{1} << 63 : (uint64_t{1} << 63) - 1;
    bool any_digit = false;
    int frac_digits = -1;  // -1: no point seen yet
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (c == '.') {
        if (frac_digits >= 0) return bad("has two decimal points");
        frac_digits = 0;
        continue;
      }
      if (c < '0' || c > '9') return bad("is not a decimal number");
      any_digit = true;
      if (frac_digits >= 0) {
        if (frac_digits == scale) {
          if (c != '0') return bad(("has more than " + std::to_string(scale) + " decimals").c_str());
          continue;
        }
        ++frac_digits;
      }
      unsigned d = static_cast<unsigned>(c - '0');
      if (mag > (limit - d) / 10) return bad("overflows int64 minor units", errc::overflow);
      mag = mag * 10 + d;
    }
    if (!any_digit) return bad("has no digits");
    for (int k = frac_digits < 0 ? 0 : frac_digits; k < scale; ++k) {
      if (mag > limit / 10) return bad("overflows int64 minor units", errc::overflow);
      mag *= 10;
    }
    if (negative) return Amount{static_cast<int64_t>(uint64_t{0} - mag)};
    return Amount{static_cast<int64_t>(mag)};
  }

 private:
  int64_t v_ = 0;
};

}  // namespace quotaflow
