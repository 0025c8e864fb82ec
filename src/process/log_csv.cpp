// Event logs from CSV / CSV.gz: an RFC 4180 record scanner, an ISO 8601 timestamp parser and a
// zlib reader (gzread reads plain files unchanged, so one path serves both).
#include "quotaflow/process/log_csv.hpp"

#include <zlib.h>

#include <climits>
#include <filesystem>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "quotaflow/core/amount.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/core/intern.hpp"

namespace quotaflow::process {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
constexpr int64_t days_from_civil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr int days_in_month(int64_t y, int64_t m) {
  constexpr int table[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
  return table[m - 1];
}

[[noreturn]] void bad_timestamp(std::string_view text, const char* why) {
  fail(errc::parse_error, "\"", std::string(text), "\" is not an ISO 8601 timestamp: ", why);
}

// A record of fields; quoted fields with "" escapes are unescaped into scratch storage.
class CsvScanner {
 public:
  CsvScanner(std::string_view text, char delimiter) : text_(text), delim_(delimiter) {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") text_.remove_prefix(3);  // UTF-8 BOM
  }

  // Reads the next non-blank record into fields; false at the end. line() is its first line.
  bool next(std::vector<std::string_view>& fields, std::string_view source) {
    for (;;) {
      if (pos_ >= text_.size()) return false;
      record_line_ = line_;
      fields.clear();
      used_scratch_ = 0;
      const std::size_t start = pos_;
      bool end_of_record = false;
      while (!end_of_record) {
        std::string_view field;
        if (pos_ < text_.size() && text_[pos_] == '"') {
          field = quoted(source);
        } else {
          const std::size_t b = pos_;
          while (pos_ < text_.size() && text_[pos_] != delim_ && text_[pos_] != '\n' && text_[pos_] != '\r' && text_[pos_] != '"')
            ++pos_;
          if (pos_ < text_.size() && text_[pos_] == '"')
            fail(errc::parse_error, source, " line ", line_, ", field ", fields.size() + 1,
                 ": a double quote inside an unquoted field (quote the whole field and double the quote)");
          field = text_.substr(b, pos_ - b);
        }
        fields.push_back(field);
        if (pos_ >= text_.size()) {
          end_of_record = true;
        } else if (text_[pos_] == delim_) {
          ++pos_;
        } else if (text_[pos_] == '\r' || text_[pos_] == '\n') {
          if (text_[pos_] == '\r' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '\n') ++pos_;
          ++pos_;
          ++line_;
          end_of_record = true;
        } else {
          fail(errc::parse_error, source, " line ", line_, ", field ", fields.size(),
               ": unexpected character after a closing quote");
        }
      }
      if (fields.size() == 1 && fields[0].empty() && text_[start] != '"') continue;  // blank line
      return true;
    }
  }
  [[nodiscard]] std::size_t line() const noexcept { return record_line_; }

 private:
  std::string_view quoted(std::string_view source) {
    const std::size_t open_line = line_;
    ++pos_;  // opening quote
    const std::size_t b = pos_;
    bool escaped = false;
    for (;;) {
      if (pos_ >= text_.size())
        fail(errc::parse_error, source, " line ", open_line, ": a quoted field is not closed before the end of the file");
      const char ch = text_[pos_];
      if (ch == '"') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
          escaped = true;
          pos_ += 2;
          continue;
        }
        break;
      }
      if (ch == '\n') ++line_;
      ++pos_;
    }
    std::string_view raw = text_.substr(b, pos_ - b);
    ++pos_;  // closing quote
    if (!escaped) return raw;
    if (used_scratch_ == scratch_.size()) scratch_.push_back(std::make_unique<std::string>());
    std::string& s = *scratch_[used_scratch_++];
    s.clear();
    for (std::size_t i = 0; i < raw.size(); ++i) {
      s.push_back(raw[i]);
      if (raw[i] == '"') ++i;  // "" -> "
    }
    return s;
  }

  std::string_view text_;
  char delim_;
  std::size_t pos_ = 0, line_ = 1, record_line_ = 1;
  std::vector<std::unique_ptr<std::string>> scratch_;  // stable addresses for unescaped fields
  std::size_t used_scratch_ = 0;
};

std::size_t find_column(const std::vector<std::string>& header, const std::string& name, const char* option,
                        std::string_view source) {
  for (std::size_t i = 0; i < header.size(); ++i)
    if (header[i] == name) return i;
  std::string columns;
  for (const auto& h : header) columns += (columns.empty() ? "\"" : ", \"") + h + "\"";
  fail(errc::not_found, source, ": ", option, " \"", name, "\" is not a column of the header (columns: ", columns, ")");
}

}  // namespace

int64_t parse_timestamp_ns(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  if (s.empty()) fail(errc::parse_error, "the timestamp is empty");
  std::size_t p = 0;
  auto num = [&](std::size_t n, int64_t& out) {
    if (p + n > s.size()) return false;
    out = 0;
    for (std::size_t i = p; i < p + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    p += n;
    return true;
  };
  int64_t y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, frac_ns = 0;
  if (!num(4, y) || p >= s.size() || s[p++] != '-' || !num(2, mo) || p >= s.size() || s[p++] != '-' || !num(2, d))
    bad_timestamp(text, "expected YYYY-MM-DD at the start");
  if (mo < 1 || mo > 12) bad_timestamp(text, "the month is not in 01..12");
  if (d < 1 || d > days_in_month(y, mo)) bad_timestamp(text, "the day does not exist in that month");
  if (p < s.size() && (s[p] == 'T' || s[p] == 't' || s[p] == ' ')) {
    ++p;
    if (!num(2, h) || p >= s.size() || s[p++] != ':' || !num(2, mi)) bad_timestamp(text, "expected hh:mm after the date");
    if (p < s.size() && s[p] == ':') {
      ++p;
      if (!num(2, sec)) bad_timestamp(text, "expected two digits of seconds");
      if (p < s.size() && (s[p] == '.' || s[p] == ',')) {
        ++p;
        std::size_t digits = 0;
        while (p < s.size() && s[p] >= '0' && s[p] <= '9') {
          if (digits < 9) frac_ns = frac_ns * 10 + (s[p] - '0');
          ++digits;
          ++p;
        }
        if (digits == 0) bad_timestamp(text, "expected digits after the decimal point");
        for (std::size_t k = digits; k < 9; ++k) frac_ns *= 10;
      }
    }
    if (h > 23 || mi > 59 || sec > 59) bad_timestamp(text, "the time of day is not in 00:00:00..23:59:59");
  }
  int64_t offset_s = 0;
  if (p < s.size()) {
    if (s[p] == 'Z' || s[p] == 'z') {
      ++p;
    } else if (s[p] == '+' || s[p] == '-') {
      const int64_t sign = s[p++] == '-' ? -1 : 1;
      int64_t oh = 0, om = 0;
      if (!num(2, oh)) bad_timestamp(text, "expected a UTC offset (+hh:mm)");
      if (p < s.size() && s[p] == ':') {
        ++p;
        if (!num(2, om)) bad_timestamp(text, "expected a UTC offset (+hh:mm)");
      } else if (p < s.size()) {
        if (!num(2, om)) bad_timestamp(text, "expected a UTC offset (+hh:mm)");
      }
      if (oh > 23 || om > 59) bad_timestamp(text, "the UTC offset is out of range");
      offset_s = sign * (oh * 3600 + om * 60);
    }
    if (p != s.size()) bad_timestamp(text, "unexpected text after the timestamp");
  }
  const detail::int128 seconds = static_cast<detail::int128>(days_from_civil(y, mo, d)) * 86400 + h * 3600 + mi * 60 + sec - offset_s;
  const detail::int128 ns = seconds * 1'000'000'000 + frac_ns;
  if (ns <= static_cast<detail::int128>(nat_ns) || ns > static_cast<detail::int128>(std::numeric_limits<int64_t>::max()))
    fail(errc::parse_error, "timestamp \"", std::string(text),
         "\" is outside the range of int64 nanoseconds (1677-09-21 .. 2262-04-11)");
  return static_cast<int64_t>(ns);
}

EventLog parse_log_csv(std::string_view text, const LogCsvOptions& options, std::string_view source) {
  if (!options.amount_column.empty()) quotaflow::detail::check_scale(options.amount_scale);
  CsvScanner scanner(text, options.delimiter);
  std::vector<std::string_view> fields;
  if (!scanner.next(fields, source)) fail(errc::parse_error, source, " is empty: expected a header line");
  const std::vector<std::string> header(fields.begin(), fields.end());
  const std::size_t width = header.size();
  const std::size_t c_case = find_column(header, options.case_column, "the case column", source);
  const std::size_t c_act = find_column(header, options.activity_column, "the activity column", source);
  const std::size_t c_ts = find_column(header, options.timestamp_column, "the timestamp column", source);
  const bool has_res = !options.resource_column.empty(), has_amt = !options.amount_column.empty();
  const std::size_t c_res = has_res ? find_column(header, options.resource_column, "the resource column", source) : 0;
  const std::size_t c_amt = has_amt ? find_column(header, options.amount_column, "the amount column", source) : 0;

  Interner cases, acts, res;
  std::vector<int64_t> case_keys, timestamps, amounts;
  std::vector<int32_t> activities, resources;
  const std::size_t guess = text.size() / 64;
  case_keys.reserve(guess);
  activities.reserve(guess);
  timestamps.reserve(guess);
  std::string_view last_ts_text;  // repeated timestamps are common; parse each text once
  int64_t last_ts = 0;
  while (scanner.next(fields, source)) {
    const std::size_t line = scanner.line();
    if (fields.size() != width)
      fail(errc::parse_error, source, " line ", line, ": expected ", width, " fields as in the header, got ", fields.size());
    auto empty_field = [&](std::size_t col, const char* what) {
      fail(errc::parse_error, source, " line ", line, ", column \"", header[col], "\": the ", what, " is empty");
    };
    if (fields[c_case].empty()) empty_field(c_case, "case id");
    if (fields[c_act].empty()) empty_field(c_act, "activity");
    case_keys.push_back(cases.intern(fields[c_case]));
    activities.push_back(acts.intern(fields[c_act]));
    if (fields[c_ts] != last_ts_text || last_ts_text.empty()) {
      try {
        last_ts = parse_timestamp_ns(fields[c_ts]);
      } catch (const error& e) {
        fail(errc::parse_error, source, " line ", line, ", column \"", header[c_ts], "\": ", e.what());
      }
      last_ts_text = fields[c_ts].data() >= text.data() && fields[c_ts].data() < text.data() + text.size()
                         ? fields[c_ts]
                         : std::string_view{};  // only remember views into the text itself
    }
    timestamps.push_back(last_ts);
    if (has_res) resources.push_back(fields[c_res].empty() ? -1 : res.intern(fields[c_res]));
    if (has_amt) {
      try {
        amounts.push_back(Amount::parse(fields[c_amt], options.amount_scale).minor());
      } catch (const error& e) {
        fail(e.code(), source, " line ", line, ", column \"", header[c_amt], "\": ", e.what());
      }
    }
  }
  if (case_keys.empty()) fail(errc::invalid_argument, source, " has a header but no events");
  std::vector<std::string> case_names = cases.take_names();
  return EventLog::from_columns(case_keys, activities, timestamps, acts.take_names(), resources, res.take_names(),
                                amounts, std::move(case_names));
}

EventLog read_log_csv(const std::string& path, const LogCsvOptions& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail(errc::io_error, "event log \"", path, "\" is a directory");
  gzFile f = gzopen(path.c_str(), "rb");
  if (f == nullptr) fail(errc::io_error, "cannot open event log \"", path, "\"");
  std::unique_ptr<gzFile_s, int (*)(gzFile)> guard(f, gzclose);
  gzbuffer(f, 1u << 17);
  std::string text;
  constexpr unsigned chunk = 1u << 20;
  for (;;) {
    const std::size_t old = text.size();
    text.resize(old + chunk);
    const int got = gzread(f, text.data() + old, chunk);
    if (got < 0) {
      int code = 0;
      const char* msg = gzerror(f, &code);
      fail(errc::io_error, "cannot read event log \"", path, "\": ", msg ? msg : "zlib error");
    }
    text.resize(old + static_cast<std::size_t>(got));
    if (got == 0) break;
  }
  int code = Z_OK;
  const char* msg = gzerror(f, &code);
  if (code != Z_OK && code != Z_STREAM_END)
    fail(errc::io_error, "cannot read event log \"", path, "\": ", msg ? msg : "zlib error",
         code == Z_BUF_ERROR ? " (the compressed file is truncated)" : "");
  return parse_log_csv(text, options, path);
}

}  // namespace quotaflow::process
