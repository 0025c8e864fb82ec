// Inputs every planning command reads the same way: the org hierarchy from a CSV and the calendar
// from a preset name or a holiday CSV.
#pragma once

#include <string>
#include <vector>

#include "csv_table.hpp"
#include "quotaflow/calendar/calendar.hpp"
#include "quotaflow/calendar/csv.hpp"
#include "quotaflow/hierarchy/hierarchy.hpp"

namespace quotaflow::cli {

// One row per node: its id in `child_col`, its parent's id in `parent_col` (empty for the root).
inline Hierarchy read_hierarchy_csv(const std::string& path, const std::string& child_col = "node_id",
                                    const std::string& parent_col = "parent_id") {
  CsvTable org = read_csv(path);
  const size_t ci = org.column(child_col), pi = org.column(parent_col);
  std::vector<std::string> child, parent;
  child.reserve(org.rows.size());
  parent.reserve(org.rows.size());
  for (const auto& row : org.rows) {
    child.push_back(row[ci]);
    parent.push_back(row[pi]);
  }
  return Hierarchy::from_edges(child, parent);
}

// The calendar CSV when one is given, else the named preset.
inline Calendar read_calendar(const std::string& preset, const std::string& csv_path) {
  return csv_path.empty() ? Calendar::preset(preset) : load_calendar_csv(csv_path);
}

}  // namespace quotaflow::cli
