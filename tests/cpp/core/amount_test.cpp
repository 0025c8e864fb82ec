// quotaflow::Amount: checked arithmetic, format, parse, round trips.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>

#include "quotaflow/core/amount.hpp"
#include "test_util.hpp"

using quotaflow::Amount;
using quotaflow::errc;

namespace {

// 128-bit integers (a GCC/Clang extension) serve as the exact reference.
__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

// Independent reference formatter working on __int128.
std::string reference_format(int64_t v, int scale) {
  i128 x = v;
  bool neg = x < 0;
  u128 mag = static_cast<u128>(neg ? -x : x);
  u128 pow10 = 1;
  for (int i = 0; i < scale; ++i) pow10 *= 10;
  auto to_str = [](u128 u) {
    std::string s;
    do {
      s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
      u /= 10;
    } while (u != 0);
    return s;
  };
  std::string out = neg ? "-" : "";
  out += to_str(mag / pow10);
  if (scale > 0) {
    std::string frac = to_str(mag % pow10);
    out += "." + std::string(static_cast<size_t>(scale) - frac.size(), '0') + frac;
  }
  return out;
}

// Random int64 spread over all magnitudes (uniform bits, then a random right shift).
int64_t random_value(std::mt19937_64& rng) {
  uint64_t bits = rng();
  int shift = static_cast<int>(rng() % 64);
  int64_t v = static_cast<int64_t>(bits >> shift);
  if (rng() & 1) v = static_cast<int64_t>(uint64_t{0} - static_cast<uint64_t>(v));
  return v;
}

}  // namespace

// ---- construction and comparison ------------------------------------------------------------

TEST(Amount, DefaultIsZeroAndComparisonsFollowMinorUnits) {
  EXPECT_EQ(Amount{}.minor(), 0);
  EXPECT_EQ(Amount{123}.minor(), 123);
  EXPECT_LT(Amount{-1}, Amount{0});
  EXPECT_EQ(Amount{5}, Amount{5});
  EXPECT_GT(Amount{kMax}, Amount{kMin});
  static_assert(Amount{7}.minor() == 7, "constexpr construction");
}

// ---- checked arithmetic ----------------------------------------------------------------------

TEST(Amount, ArithmeticHandWorked) {
  EXPECT_EQ((Amount{150} + Amount{-50}).minor(), 100);
  EXPECT_EQ((Amount{150} - Amount{200}).minor(), -50);
  EXPECT_EQ((Amount{150} * 3).minor(), 450);
  EXPECT_EQ((3 * Amount{150}).minor(), 450);
  EXPECT_EQ((-Amount{150}).minor(), -150);
  Amount a{10};
  a += Amount{5};
  EXPECT_EQ(a.minor(), 15);
  a -= Amount{20};
  EXPECT_EQ(a.minor(), -5);
}

TEST(Amount, ArithmeticAtInt64LimitsIsExactUntilItOverflows) {
  EXPECT_EQ((Amount{kMax - 1} + Amount{1}).minor(), kMax);
  EXPECT_EQ((Amount{kMin + 1} - Amount{1}).minor(), kMin);
  EXPECT_EQ((Amount{kMax} + Amount{kMin}).minor(), -1);
  EXPECT_EQ((Amount{kMin} * 1).minor(), kMin);
  EXPECT_EQ((Amount{kMax} * -1).minor(), -kMax);
  EXPECT_EQ((-Amount{kMax}).minor(), -kMax);

  EXPECT_QF_ERROR(Amount{kMax} + Amount{1}, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(Amount{kMin} + Amount{-1}, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(Amount{kMin} - Amount{1}, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(Amount{kMax} - Amount{-1}, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(Amount{kMax} * 2, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(Amount{kMin} * -1, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(-1 * Amount{kMin}, errc::overflow, "overflows int64");
  EXPECT_QF_ERROR(Amount{int64_t{1} << 32} * (int64_t{1} << 31), errc::overflow, "overflows int64");
}

TEST(Amount, NegatingInt64MinOverflows) {
  EXPECT_QF_ERROR(-Amount{kMin}, errc::overflow, "negating amount", "-9223372036854775808");
}

TEST(Amount, CompoundAssignmentLeavesValueUnchangedOnOverflow) {
  Amount a{kMax};
  EXPECT_QF_ERROR(a += Amount{1}, errc::overflow);
  EXPECT_EQ(a.minor(), kMax);
  Amount b{kMin};
  EXPECT_QF_ERROR(b -= Amount{1}, errc::overflow);
  EXPECT_EQ(b.minor(), kMin);
}

TEST(Amount, ArithmeticPropertyAgainstInt128) {
  std::mt19937_64 rng(20250101);
  for (int i = 0; i < 20000; ++i) {
    int64_t a = random_value(rng), b = random_value(rng);
    i128 sum = i128{a} + b, diff = i128{a} - b, prod = i128{a} * b;
    auto fits = [](i128 x) { return x >= kMin && x <= kMax; };
    if (fits(sum)) {
      EXPECT_EQ((Amount{a} + Amount{b}).minor(), static_cast<int64_t>(sum));
    } else {
      EXPECT_QF_ERROR(Amount{a} + Amount{b}, errc::overflow);
    }
    if (fits(diff)) {
      EXPECT_EQ((Amount{a} - Amount{b}).minor(), static_cast<int64_t>(diff));
    } else {
      EXPECT_QF_ERROR(Amount{a} - Amount{b}, errc::overflow);
    }
    if (fits(prod)) {
      EXPECT_EQ((Amount{a} * b).minor(), static_cast<int64_t>(prod));
    } else {
      EXPECT_QF_ERROR(Amount{a} * b, errc::overflow);
    }
    if (::testing::Test::HasFailure()) FAIL() << "a=" << a << " b=" << b;
  }
}

// ---- format ----------------------------------------------------------------------------------

TEST(Amount, FormatScaleZero) {
  EXPECT_EQ(Amount{0}.format(0), "0");
  EXPECT_EQ(Amount{42}.format(0), "42");
  EXPECT_EQ(Amount{-42}.format(0), "-42");
  EXPECT_EQ(Amount{kMax}.format(0), "9223372036854775807");
  EXPECT_EQ(Amount{kMin}.format(0), "-9223372036854775808");
}

TEST(Amount, FormatScaleTwo) {
  EXPECT_EQ(Amount{123456}.format(2), "1234.56");
  EXPECT_EQ(Amount{-5}.format(2), "-0.05");
  EXPECT_EQ(Amount{5}.format(2), "0.05");
  EXPECT_EQ(Amount{0}.format(2), "0.00");
  EXPECT_EQ(Amount{100}.format(2), "1.00");
  EXPECT_EQ(Amount{-100}.format(2), "-1.00");
  EXPECT_EQ(Amount{-12345}.format(2), "-123.45");
  EXPECT_EQ(Amount{kMax}.format(2), "92233720368547758.07");
  EXPECT_EQ(Amount{kMin}.format(2), "-92233720368547758.08");
}

TEST(Amount, FormatScaleEighteen) {
  EXPECT_EQ(Amount{0}.format(18), "0.000000000000000000");
  EXPECT_EQ(Amount{5}.format(18), "0.000000000000000005");
  EXPECT_EQ(Amount{-5}.format(18), "-0.000000000000000005");
  EXPECT_EQ(Amount{1000000000000000000}.format(18), "1.000000000000000000");
  EXPECT_EQ(Amount{kMax}.format(18), "9.223372036854775807");
  EXPECT_EQ(Amount{kMin}.format(18), "-9.223372036854775808");
}

TEST(Amount, FormatMatchesReferenceOnRandomValues) {
  std::mt19937_64 rng(42);
  for (int i = 0; i < 5000; ++i) {
    int64_t v = random_value(rng);
    int scale = static_cast<int>(rng() % 19);
    ASSERT_EQ(Amount{v}.format(scale), reference_format(v, scale)) << "v=" << v << " scale=" << scale;
  }
}

TEST(Amount, FormatRejectsBadScale) {
  EXPECT_QF_ERROR(Amount{1}.format(-1), errc::invalid_argument, "scale", "-1");
  EXPECT_QF_ERROR(Amount{1}.format(19), errc::invalid_argument, "scale", "19");
}

// ---- parse -----------------------------------------------------------------------------------

TEST(Amount, ParseHandWorked) {
  EXPECT_EQ(Amount::parse("1234.56", 2).minor(), 123456);
  EXPECT_EQ(Amount::parse("-0.05", 2).minor(), -5);
  EXPECT_EQ(Amount::parse("+7", 2).minor(), 700);
  EXPECT_EQ(Amount::parse("7", 0).minor(), 7);
  EXPECT_EQ(Amount::parse("12.", 2).minor(), 1200);
  EXPECT_EQ(Amount::parse(".5", 2).minor(), 50);
  EXPECT_EQ(Amount::parse("-.5", 2).minor(), -50);
  EXPECT_EQ(Amount::parse("0", 2).minor(), 0);
  EXPECT_EQ(Amount::parse("-0", 2).minor(), 0);
  EXPECT_EQ(Amount::parse("000123.4", 2).minor(), 12340);
  EXPECT_EQ(Amount::parse("1.5", 1).minor(), 15);
  EXPECT_EQ(Amount::parse("0.000000000000000001", 18).minor(), 1);
}

TEST(Amount, ParseAcceptsTrailingZerosBeyondScale) {
  EXPECT_EQ(Amount::parse("1.2300", 2).minor(), 123);
  EXPECT_EQ(Amount::parse("5.000", 0).minor(), 5);
  EXPECT_EQ(Amount::parse("-0.0500000", 2).minor(), -5);
}

TEST(Amount, ParseRejectsNonZeroDigitsBeyondScale) {
  EXPECT_QF_ERROR(Amount::parse("1.231", 2), errc::parse_error, "1.231", "more than 2 decimals");
  EXPECT_QF_ERROR(Amount::parse("1.5", 0), errc::parse_error, "1.5");
  EXPECT_QF_ERROR(Amount::parse("1.2301", 2), errc::parse_error, "1.2301");
}

TEST(Amount, ParseRejectsGarbage) {
  for (const char* text : {"", "+", "-", ".", "-.", "abc", "1,000", "1e5", " 1", "1 ", "1.2.3", "--1", "+-1", "0x10",
                           "1.2a", "NaN", "inf"}) {
    EXPECT_QF_ERROR(Amount::parse(text, 2), errc::parse_error, "amount", std::string("\"") + text + "\"")
        << "text: \"" << text << "\"";
  }
}

TEST(Amount, ParseExactInt64Boundaries) {
  EXPECT_EQ(Amount::parse("9223372036854775807", 0).minor(), kMax);
  EXPECT_EQ(Amount::parse("-9223372036854775808", 0).minor(), kMin);
  EXPECT_EQ(Amount::parse("92233720368547758.07", 2).minor(), kMax);
  EXPECT_EQ(Amount::parse("-92233720368547758.08", 2).minor(), kMin);
  EXPECT_EQ(Amount::parse("9.223372036854775807", 18).minor(), kMax);
  EXPECT_EQ(Amount::parse("-9.223372036854775808", 18).minor(), kMin);
  EXPECT_EQ(Amount::parse("00000000000000000009223372036854775807", 0).minor(), kMax);
}

TEST(Amount, ParseOverflowIsOverflow) {
  EXPECT_QF_ERROR(Amount::parse("9223372036854775808", 0), errc::overflow, "9223372036854775808", "overflows");
  EXPECT_QF_ERROR(Amount::parse("-9223372036854775809", 0), errc::overflow, "overflows");
  EXPECT_QF_ERROR(Amount::parse("92233720368547758.08", 2), errc::overflow, "overflows");
  EXPECT_QF_ERROR(Amount::parse("-92233720368547758.09", 2), errc::overflow, "overflows");
  // Overflow that only appears when the missing decimals are filled in.
  EXPECT_QF_ERROR(Amount::parse("92233720368547759", 2), errc::overflow, "overflows");
  EXPECT_QF_ERROR(Amount::parse("10", 18), errc::overflow, "overflows");
  EXPECT_QF_ERROR(Amount::parse("99999999999999999999999999", 0), errc::overflow, "overflows");
}

TEST(Amount, ParseRejectsBadScale) {
  EXPECT_QF_ERROR(Amount::parse("1", -1), errc::invalid_argument, "scale", "-1");
  EXPECT_QF_ERROR(Amount::parse("1", 19), errc::invalid_argument, "scale", "19");
}

TEST(Amount, RoundTripProperty) {
  std::mt19937_64 rng(0x9e3779b97f4a7c15ULL);
  for (int i = 0; i < 20000; ++i) {
    int64_t v = random_value(rng);
    int scale = static_cast<int>(rng() % 19);
    std::string text = Amount{v}.format(scale);
    ASSERT_EQ(Amount::parse(text, scale).minor(), v) << "text=" << text << " scale=" << scale;
    // Appending zeros beyond the scale and an explicit sign keep the value.
    std::string padded = (v >= 0 ? "+" : "") + text + (scale > 0 ? "000" : ".000");
    ASSERT_EQ(Amount::parse(padded, scale).minor(), v) << "text=" << padded << " scale=" << scale;
  }
}

TEST(Amount, ParseFormatNormalisesText) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 3000; ++i) {
    int scale = static_cast<int>(rng() % 7);
    // Random digits with up to `scale` decimals, small enough to fit.
    std::string int_part = std::to_string(rng() % 1000000000000ULL);
    std::string frac;
    int nfrac = scale == 0 ? 0 : static_cast<int>(rng() % static_cast<uint64_t>(scale + 1));
    for (int k = 0; k < nfrac; ++k) frac.push_back(static_cast<char>('0' + rng() % 10));
    std::string text = int_part + (nfrac > 0 ? "." + frac : "");
    Amount a = Amount::parse(text, scale);
    // Reformatting and reparsing gives the same amount.
    ASSERT_EQ(Amount::parse(a.format(scale), scale).minor(), a.minor()) << text;
    ASSERT_EQ(Amount::parse("-" + text, scale).minor(), -a.minor()) << text;
  }
}
