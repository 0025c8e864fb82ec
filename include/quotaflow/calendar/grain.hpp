// Period grains and the Period value a calendar enumerates.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/core/error.hpp"

namespace quotaflow {

// Values are stable: they are the C ABI's qf_grain values.
enum class Grain : int32_t { year = 0, half = 1, quarter = 2, month = 3, week = 4, day = 5 };

inline constexpr std::array<std::string_view, 6> grain_names = {"year", "half", "quarter", "month", "week", "day"};

constexpr std::string_view grain_name(Grain g) noexcept { return grain_names[static_cast<size_t>(g)]; }

// "month" -> Grain::month; an unknown name is errc::invalid_argument listing the valid ones.
inline Grain parse_grain(std::string_view name) {
  for (size_t i = 0; i < grain_names.size(); ++i)
    if (grain_names[i] == name) return static_cast<Grain>(i);
  fail(errc::invalid_argument, "grain \"", std::string(name),
       "\" is unknown; expected one of year, half, quarter, month, week, day");
}

inline Grain check_grain(int32_t value) {
  if (value < 0 || value > 5) fail(errc::invalid_argument, "grain is ", value, "; expected 0 (year) .. 5 (day)");
  return static_cast<Grain>(value);
}

// One period of a range: [start, end) clipped to the range asked for, and its working days.
struct Period {
  Date start;
  Date end;  // exclusive
  int32_t working_days;
  friend constexpr bool operator==(const Period&, const Period&) = default;
};

}  // namespace quotaflow
