// Helpers shared by the C++ tests.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>

#include <ostream>

#include "quotaflow/calendar/grain.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {
// Readable gtest output for periods and dates in failures.
inline void PrintTo(const Period& p, std::ostream* os) {
  *os << "{" << describe_date(p.start) << ", " << describe_date(p.end) << ", " << p.working_days << "}";
}
inline void PrintTo(const YearMonthDay& d, std::ostream* os) { *os << d.year << "-" << d.month << "-" << d.day; }
}  // namespace quotaflow

namespace qf_test {

// Runs f and checks that it throws quotaflow::error with `code` and a message containing every
// one of `needles`.
template <class F>
::testing::AssertionResult throws_error(F&& f, quotaflow::errc code, std::initializer_list<std::string_view> needles) {
  try {
    f();
  } catch (const quotaflow::error& e) {
    if (e.code() != code)
      return ::testing::AssertionFailure() << "threw code " << quotaflow::errc_name(e.code()) << ", expected "
                                           << quotaflow::errc_name(code) << "; message: \"" << e.what() << "\"";
    std::string_view what = e.what();
    for (std::string_view n : needles)
      if (what.find(n) == std::string_view::npos)
        return ::testing::AssertionFailure() << "message \"" << what << "\" does not contain \"" << n << "\"";
    return ::testing::AssertionSuccess() << "message: " << what;
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << "threw a non-quotaflow exception: " << e.what();
  } catch (...) {
    return ::testing::AssertionFailure() << "threw something that is not a std::exception";
  }
  return ::testing::AssertionFailure() << "did not throw (expected " << quotaflow::errc_name(code) << ")";
}

}  // namespace qf_test

// EXPECT_QF_ERROR(expr, errc::x, "needle", ...): expr throws quotaflow::error with that code and
// a message containing each needle.
#define EXPECT_QF_ERROR(expr, code, ...) \
  EXPECT_TRUE(::qf_test::throws_error([&] { (void)(expr); }, (code), {__VA_ARGS__}))
