// Calendars from CSV: rows of `date,kind` with kind `holiday` or `makeup_workday`.
//
// A header row (first field "date", on the first line that is not a comment) is skipped, further columns are ignored (so published
// holiday tables load as they are), blank lines and lines starting with '#' are skipped.
// A malformed line is errc::parse_error naming the source and the line number.
//   Calendar cal = load_calendar_csv("holidays.csv");
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "quotaflow/calendar/calendar.hpp"

namespace quotaflow {

namespace detail {
inline std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  if (s.size() >= 2 && s.front() == '"' && s.back() == '"') s = s.substr(1, s.size() - 2);
  return s;
}
}  // namespace detail

// Parses CSV text; `source` names it in error messages.
inline Calendar parse_calendar_csv(std::string_view text, const CalendarOptions& options = {},
                                   std::string_view source = "calendar CSV") {
  std::vector<Date> holidays, workdays;
  size_t line_no = 0;
  bool seen_row = false;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    ++line_no;
    if (line_no == 1 && line.size() >= 3 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);  // BOM
    std::string_view t = detail::trim(line);
    if (t.empty() || t.front() == '#') continue;
    size_t c1 = line.find(',');
    if (c1 == std::string_view::npos)
      fail(errc::parse_error, source, " line ", line_no, ": expected \"date,kind\", got \"", std::string(t), "\"");
    size_t c2 = line.find(',', c1 + 1);
    std::string_view date_field = detail::trim(line.substr(0, c1));
    std::string_view kind = detail::trim(line.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1));
    if (date_field == "date" && !seen_row) {  // the header: the first line that is not a comment
      seen_row = true;
      continue;
    }
    seen_row = true;
    Date d;
    try {
      d = date_from_string(date_field);
    } catch (const error& e) {
      fail(e.code() == errc::out_of_range ? errc::out_of_range : errc::parse_error, source, " line ", line_no, ": ", e.what());
    }
    if (kind == "holiday")
      holidays.push_back(d);
    else if (kind == "makeup_workday" || kind == "workday")
      workdays.push_back(d);
    else
      fail(errc::parse_error, source, " line ", line_no, ": kind \"", std::string(kind),
           "\" is unknown; expected holiday or makeup_workday");
  }
  return Calendar(options, holidays, workdays);
}

// Reads a CSV file; a missing or unreadable file is errc::io_error naming the path.
inline Calendar load_calendar_csv(const std::string& path, const CalendarOptions& options = {}) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(errc::io_error, "calendar CSV \"", path, "\" is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(errc::io_error, "cannot open calendar CSV \"", path, "\"");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) fail(errc::io_error, "cannot read calendar CSV \"", path, "\"");
  return parse_calendar_csv(buf.str(), options, path);
}

}  // namespace quotaflow
