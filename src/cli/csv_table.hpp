// A small CSV table reader for the CLI: a header row, then rows of fields (double quotes allowed).
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "quotaflow/core/error.hpp"

namespace quotaflow::cli {

struct CsvTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;

  // Index of a named column; errc::not_found lists the columns there are.
  size_t column(const std::string& name) const {
    for (size_t i = 0; i < header.size(); ++i)
      if (header[i] == name) return i;
    std::string all;
    for (const auto& h : header) all += (all.empty() ? "" : ", ") + h;
    fail(errc::not_found, "\"", path, "\" has no column \"", name, "\" (columns: ", all, ")");
  }
};

inline std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') out.back() += '"', ++i;
      else if (c == '"') quoted = false;
      else out.back() += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else if (c != '\r') {
      out.back() += c;
    }
  }
  return out;
}

inline CsvTable read_csv(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(errc::io_error, "cannot open \"", path, "\"");
  CsvTable t{path, {}, {}};
  std::string line;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line == "\r") continue;
    auto fields = split_csv_line(line);
    if (t.header.empty()) {
      t.header = std::move(fields);
      continue;
    }
    if (fields.size() != t.header.size())
      fail(errc::parse_error, "\"", path, "\" line ", line_no, ": ", fields.size(), " fields, the header has ", t.header.size());
    t.rows.push_back(std::move(fields));
  }
  if (t.header.empty()) fail(errc::parse_error, "\"", path, "\" is empty");
  return t;
}

}  // namespace quotaflow::cli
