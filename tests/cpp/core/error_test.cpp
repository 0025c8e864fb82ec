// quotaflow::error, errc and fail(): stable codes, names, message building.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <type_traits>

#include "quotaflow.h"  // only to check that the C ABI's codes equal the C++ ones
#include "quotaflow/calendar/grain.hpp"
#include "quotaflow/core/error.hpp"
#include "test_util.hpp"

using quotaflow::errc;

// The numeric values are part of the ABI: they must never change and must equal QF_ERR_*.
static_assert(static_cast<int>(errc::ok) == QF_OK);
static_assert(static_cast<int>(errc::invalid_argument) == QF_ERR_INVALID_ARGUMENT);
static_assert(static_cast<int>(errc::out_of_range) == QF_ERR_OUT_OF_RANGE);
static_assert(static_cast<int>(errc::overflow) == QF_ERR_OVERFLOW);
static_assert(static_cast<int>(errc::not_found) == QF_ERR_NOT_FOUND);
static_assert(static_cast<int>(errc::io_error) == QF_ERR_IO);
static_assert(static_cast<int>(errc::parse_error) == QF_ERR_PARSE);
static_assert(static_cast<int>(errc::no_memory) == QF_ERR_NO_MEMORY);
static_assert(static_cast<int>(errc::buffer_too_small) == QF_ERR_BUFFER_TOO_SMALL);
static_assert(static_cast<int>(errc::null_pointer) == QF_ERR_NULL_POINTER);
static_assert(static_cast<int>(errc::internal) == QF_ERR_INTERNAL);
static_assert(static_cast<int>(quotaflow::Grain::year) == QF_GRAIN_YEAR);
static_assert(static_cast<int>(quotaflow::Grain::half) == QF_GRAIN_HALF);
static_assert(static_cast<int>(quotaflow::Grain::quarter) == QF_GRAIN_QUARTER);
static_assert(static_cast<int>(quotaflow::Grain::month) == QF_GRAIN_MONTH);
static_assert(static_cast<int>(quotaflow::Grain::week) == QF_GRAIN_WEEK);
static_assert(static_cast<int>(quotaflow::Grain::day) == QF_GRAIN_DAY);
static_assert(std::is_base_of_v<std::runtime_error, quotaflow::error>);

TEST(Error, CodesHaveStableValues) {
  EXPECT_EQ(static_cast<int>(errc::ok), 0);
  EXPECT_EQ(static_cast<int>(errc::invalid_argument), -1);
  EXPECT_EQ(static_cast<int>(errc::out_of_range), -2);
  EXPECT_EQ(static_cast<int>(errc::overflow), -3);
  EXPECT_EQ(static_cast<int>(errc::not_found), -4);
  EXPECT_EQ(static_cast<int>(errc::io_error), -5);
  EXPECT_EQ(static_cast<int>(errc::parse_error), -6);
  EXPECT_EQ(static_cast<int>(errc::no_memory), -7);
  EXPECT_EQ(static_cast<int>(errc::buffer_too_small), -8);
  EXPECT_EQ(static_cast<int>(errc::null_pointer), -9);
  EXPECT_EQ(static_cast<int>(errc::internal), -10);
}

TEST(Error, CodeNames) {
  EXPECT_EQ(quotaflow::errc_name(errc::ok), "ok");
  EXPECT_EQ(quotaflow::errc_name(errc::invalid_argument), "invalid_argument");
  EXPECT_EQ(quotaflow::errc_name(errc::out_of_range), "out_of_range");
  EXPECT_EQ(quotaflow::errc_name(errc::overflow), "overflow");
  EXPECT_EQ(quotaflow::errc_name(errc::not_found), "not_found");
  EXPECT_EQ(quotaflow::errc_name(errc::io_error), "io_error");
  EXPECT_EQ(quotaflow::errc_name(errc::parse_error), "parse_error");
  EXPECT_EQ(quotaflow::errc_name(errc::no_memory), "no_memory");
  EXPECT_EQ(quotaflow::errc_name(errc::buffer_too_small), "buffer_too_small");
  EXPECT_EQ(quotaflow::errc_name(errc::null_pointer), "null_pointer");
  EXPECT_EQ(quotaflow::errc_name(errc::internal), "internal");
  EXPECT_EQ(quotaflow::errc_name(static_cast<errc>(-99)), "unknown");
  EXPECT_EQ(quotaflow::errc_name(static_cast<errc>(1)), "unknown");
  static_assert(quotaflow::errc_name(errc::overflow) == "overflow", "usable at compile time");
}

TEST(Error, CarriesCodeAndMessage) {
  quotaflow::error e(errc::not_found, "preset \"XX\" is unknown");
  EXPECT_EQ(e.code(), errc::not_found);
  EXPECT_STREQ(e.what(), "preset \"XX\" is unknown");
  const std::runtime_error& base = e;
  EXPECT_STREQ(base.what(), "preset \"XX\" is unknown");
}

TEST(Error, FailBuildsMessageFromPieces) {
  try {
    quotaflow::fail(errc::invalid_argument, "weights[", 17, "] is ", 0.5, "; flag ", 'x', ", name ",
                    std::string("abc"), ", view ", std::string_view("sv"), ", big ", -9223372036854775807LL - 1,
                    ", unsigned ", 18446744073709551615ULL);
    FAIL() << "fail() returned";
  } catch (const quotaflow::error& e) {
    EXPECT_EQ(e.code(), errc::invalid_argument);
    EXPECT_STREQ(e.what(),
                 "weights[17] is 0.5; flag x, name abc, view sv, big -9223372036854775808, unsigned 18446744073709551615");
  }
}

TEST(Error, FailPrintsDoublesShortestRoundTrip) {
  // The shortest text that reads back as the same double: exact, and no noise digits.
  EXPECT_QF_ERROR(quotaflow::fail(errc::invalid_argument, "x is ", 0.1, ";"), errc::invalid_argument, "x is 0.1;");
  EXPECT_QF_ERROR(quotaflow::fail(errc::invalid_argument, "x is ", 0.1 + 0.2, ";"), errc::invalid_argument, "x is 0.30000000000000004;");
  EXPECT_QF_ERROR(quotaflow::fail(errc::invalid_argument, "x is ", std::nan(""), ";"), errc::invalid_argument, "x is nan;");
  EXPECT_QF_ERROR(quotaflow::fail(errc::invalid_argument, "x is ", 9223372036854775808.0, ";"), errc::invalid_argument,
                  "x is 9223372036854775808;");
  EXPECT_QF_ERROR(quotaflow::fail(errc::overflow, "v=", 1e300), errc::overflow, "v=1", "e+300");
}

TEST(Error, CatchableAsStdException) {
  bool caught = false;
  try {
    quotaflow::fail(errc::io_error, "cannot open \"", "/nope", "\"");
  } catch (const std::exception& e) {
    caught = true;
    EXPECT_STREQ(e.what(), "cannot open \"/nope\"");
  }
  EXPECT_TRUE(caught);
}
