// How the events of a log map onto a process model, by activity name:
//   - an event whose activity name equals a stage name is the case entering that stage;
//   - an event whose activity name equals the name of an activity of the model is that activity
//     being done (check() then asks whether it belongs to the stage the case is in);
//   - any other event is an unknown activity.
// Stage and activity names are one namespace (validate() reports a clash), so the map is exact.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "quotaflow/process/event_log.hpp"
#include "quotaflow/process/model.hpp"

namespace quotaflow::process {

// code[a] for every activity id a of the log: s >= 0 enters stage s; -2 - k does model activity
// k; unknown_event (-1) matches nothing in the model.
struct EventMap {
  static constexpr int32_t unknown_event = -1;
  std::vector<int32_t> code;

  static constexpr bool is_stage(int32_t c) noexcept { return c >= 0; }
  static constexpr bool is_activity(int32_t c) noexcept { return c <= -2; }
  static constexpr int32_t activity_of(int32_t c) noexcept { return -2 - c; }
};

inline EventMap map_events(const ProcessModel& m, const std::vector<std::string>& activity_names) {
  std::unordered_map<std::string_view, int32_t> by_name;
  by_name.reserve(m.num_stages() + m.activities().size());
  for (size_t s = 0; s < m.num_stages(); ++s) by_name.emplace(m.stages()[s].name, static_cast<int32_t>(s));
  for (size_t k = 0; k < m.activities().size(); ++k) by_name.emplace(m.activities()[k].name, -2 - static_cast<int32_t>(k));
  EventMap map;
  map.code.resize(activity_names.size(), EventMap::unknown_event);
  for (size_t a = 0; a < activity_names.size(); ++a) {
    auto it = by_name.find(activity_names[a]);
    if (it != by_name.end()) map.code[a] = it->second;
  }
  return map;
}

inline EventMap map_events(const ProcessModel& m, const EventLog& log) { return map_events(m, log.activity_names()); }

}  // namespace quotaflow::process
