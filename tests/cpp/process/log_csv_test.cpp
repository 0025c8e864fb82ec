// Event logs from CSV and CSV.gz: timestamps, quoting, line numbers in errors, real data.
#include <zlib.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;
namespace fs = std::filesystem;

namespace {
constexpr int64_t NS = 1'000'000'000;

fs::path temp_file(const std::string& name) {
  return fs::temp_directory_path() / ("quotaflow_log_csv_" + std::to_string(::getpid()) + "_" + name);
}
void write_gz(const fs::path& p, const std::string& text) {
  gzFile f = gzopen(p.string().c_str(), "wb");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(gzwrite(f, text.data(), static_cast<unsigned>(text.size())), static_cast<int>(text.size()));
  gzclose(f);
}
LogCsvOptions simple_columns() {
  LogCsvOptions o;
  o.case_column = "case";
  o.activity_column = "activity";
  o.timestamp_column = "time";
  return o;
}
}  // namespace

TEST(Timestamp, Iso8601Forms) {
  // 2011-10-01T00:38:44.546+02:00 is 2011-09-30T22:38:44.546Z = 1317422324.546 s.
  EXPECT_EQ(parse_timestamp_ns("2011-10-01T00:38:44.546+02:00"), 1317422324546 * 1'000'000);
  EXPECT_EQ(parse_timestamp_ns("2011-09-30T22:38:44.546Z"), 1317422324546 * 1'000'000);
  EXPECT_EQ(parse_timestamp_ns("2011-09-30T22:38:44.546"), 1317422324546 * 1'000'000);  // no offset = UTC
  EXPECT_EQ(parse_timestamp_ns("2011-09-30 22:38:44.546+00:00"), 1317422324546 * 1'000'000);
  EXPECT_EQ(parse_timestamp_ns("1970-01-01"), 0);
  EXPECT_EQ(parse_timestamp_ns("1970-01-01T00:00"), 0);
  EXPECT_EQ(parse_timestamp_ns("1970-01-01T01:00:00+0100"), 0);
  EXPECT_EQ(parse_timestamp_ns("1970-01-01T00:00:00-05"), 5 * 3600 * NS);
  EXPECT_EQ(parse_timestamp_ns("1969-12-31T23:59:59.999999999Z"), -1);
  EXPECT_EQ(parse_timestamp_ns("1970-01-01T00:00:00.1234567891Z"), 123456789);  // 10th digit truncated
  EXPECT_EQ(parse_timestamp_ns("2024-02-29T12:00:00Z"), (19782 * 86400 + 12 * 3600) * NS);  // leap day
  EXPECT_EQ(parse_timestamp_ns("2262-04-11T23:47:16.854775807Z"), INT64_MAX);
}

TEST(Timestamp, Malformed) {
  EXPECT_QF_ERROR(parse_timestamp_ns(""), errc::parse_error, "empty");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011/10/01"), errc::parse_error, "\"2011/10/01\"", "YYYY-MM-DD");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011-13-01"), errc::parse_error, "month");
  EXPECT_QF_ERROR(parse_timestamp_ns("2023-02-29"), errc::parse_error, "day does not exist");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011-10-01T24:00:00"), errc::parse_error, "time of day");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011-10-01T10"), errc::parse_error, "hh:mm");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011-10-01T10:00:00."), errc::parse_error, "digits after the decimal point");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011-10-01T10:00:00+2"), errc::parse_error, "UTC offset");
  EXPECT_QF_ERROR(parse_timestamp_ns("2011-10-01T10:00:00 CET"), errc::parse_error, "unexpected text");
  EXPECT_QF_ERROR(parse_timestamp_ns("2300-01-01"), errc::parse_error, "int64 nanoseconds");
  EXPECT_QF_ERROR(parse_timestamp_ns("NaT"), errc::parse_error, "\"NaT\"");
}

TEST(LogCsv, ParsesQuotedFieldsCrLfAndOptionalColumns) {
  const std::string text =
      "\xEF\xBB\xBF" "case,activity,time,who,amount\r\n"
      "d1,Lead,2025-01-01T09:00:00Z,ann,100.50\r\n"
      "\"d,2\",\"Needs \"\"analysis\"\"\",2025-01-01T08:00:00+01:00,,7\r\n"
      "\r\n"
      "d1,\"Pro\nposal\",2025-01-02T09:00:00Z,bob,-3.25\n"
      "d1,Lead,2025-01-01T09:00:00Z,ann,0\n";
  LogCsvOptions o = simple_columns();
  o.resource_column = "who";
  o.amount_column = "amount";
  o.amount_scale = 2;
  EventLog log = parse_log_csv(text, o);
  ASSERT_EQ(log.size(), 4u);
  ASSERT_EQ(log.num_cases(), 2u);
  EXPECT_EQ(log.case_name(0), "d1");
  EXPECT_EQ(log.case_name(1), "d,2");
  EXPECT_EQ(log.activity_names(), (std::vector<std::string>{"Lead", "Needs \"analysis\"", "Pro\nposal"}));
  EXPECT_EQ(log.resource_names(), (std::vector<std::string>{"ann", "bob"}));
  // case d1: Lead (row 0), Lead (row 3, same time, later row), Pro\nposal (row 2)
  EXPECT_EQ(std::vector<int64_t>(log.source_rows().begin(), log.source_rows().end()), (std::vector<int64_t>{0, 3, 2, 1}));
  EXPECT_EQ(std::vector<int32_t>(log.resources().begin(), log.resources().end()), (std::vector<int32_t>{0, 0, 1, -1}));
  EXPECT_EQ(std::vector<int64_t>(log.amounts().begin(), log.amounts().end()), (std::vector<int64_t>{10050, 0, -325, 700}));
  EXPECT_EQ(log.timestamps()[3], parse_timestamp_ns("2025-01-01T07:00:00Z"));
}

TEST(LogCsv, MalformedRowsNameTheLineAndColumn) {
  const LogCsvOptions o = simple_columns();
  const std::string head = "case,activity,time\n";
  EXPECT_QF_ERROR(parse_log_csv(head + "a,x,2025-01-01\nb,y\n", o, "log.csv"), errc::parse_error, "log.csv line 3",
                  "expected 3 fields", "got 2");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,x,2025-01-01\na,y,2025-02-30\n", o), errc::parse_error, "line 3",
                  "column \"time\"", "\"2025-02-30\"");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,x,yesterday\n", o), errc::parse_error, "line 2", "\"yesterday\"");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,x,\n", o), errc::parse_error, "line 2", "empty");
  EXPECT_QF_ERROR(parse_log_csv(head + ",x,2025-01-01\n", o), errc::parse_error, "line 2", "column \"case\"", "case id is empty");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,,2025-01-01\n", o), errc::parse_error, "line 2", "activity is empty");
  // A quoted field spanning lines: the error after it counts the physical line.
  EXPECT_QF_ERROR(parse_log_csv(head + "a,\"x\ny\",2025-01-01\nb,z,bad\n", o), errc::parse_error, "line 4");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,\"x,2025-01-01\n", o), errc::parse_error, "line 2", "not closed");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,x\"y,2025-01-01\n", o), errc::parse_error, "line 2", "double quote");
  EXPECT_QF_ERROR(parse_log_csv(head + "a,\"x\"y,2025-01-01\n", o), errc::parse_error, "line 2", "after a closing quote");
  EXPECT_QF_ERROR(parse_log_csv(head, o), errc::invalid_argument, "no events");
  EXPECT_QF_ERROR(parse_log_csv("", o), errc::parse_error, "empty");
  EXPECT_QF_ERROR(parse_log_csv("case,act,time\na,x,2025-01-01\n", o), errc::not_found, "\"activity\"", "columns: \"case\", \"act\"");
  LogCsvOptions amt = o;
  amt.amount_column = "amount";
  amt.amount_scale = 2;
  EXPECT_QF_ERROR(parse_log_csv("case,activity,time,amount\na,x,2025-01-01,1.234\n", amt), errc::parse_error, "line 2",
                  "column \"amount\"");
}

TEST(LogCsv, ReadsPlainAndGzipFiles) {
  const std::string text = "case,activity,time\nc1,a,2025-01-01T00:00:00Z\nc1,b,2025-01-01T00:00:30Z\n";
  const fs::path plain = temp_file("plain.csv"), gz = temp_file("log.csv.gz");
  {
    std::ofstream(plain) << text;
  }
  write_gz(gz, text);
  for (const fs::path& p : {plain, gz}) {
    EventLog log = read_log_csv(p.string(), simple_columns());
    EXPECT_EQ(log.size(), 2u) << p;
    EXPECT_EQ(log.timestamps()[1] - log.timestamps()[0], 30 * NS);
  }
  // A truncated gzip file is an I/O error, not a silently short log.
  {
    std::string big = "case,activity,time\n";
    for (int i = 0; i < 20000; ++i) big += "c" + std::to_string(i % 97) + ",a" + std::to_string(i % 13) + ",2025-01-01T00:00:00Z\n";
    write_gz(gz, big);
    const auto size = fs::file_size(gz);
    fs::resize_file(gz, size / 2);
    EXPECT_QF_ERROR(read_log_csv(gz.string(), simple_columns()), errc::io_error, gz.string());
  }
  EXPECT_QF_ERROR(read_log_csv((fs::temp_directory_path() / "quotaflow-no-such-log.csv").string(), simple_columns()),
                  errc::io_error, "cannot open");
  EXPECT_QF_ERROR(read_log_csv(fs::temp_directory_path().string(), simple_columns()), errc::io_error, "is a directory");
  fs::remove(plain);
  fs::remove(gz);
}

TEST(LogCsvRealData, Bpic2012LoanApplication) {
  const fs::path path = fs::path(QUOTAFLOW_SHARED_DATA_DIR) / "eventlogs" / "bpic2012_loan_application.csv.gz";
  if (!fs::exists(path))
    GTEST_SKIP() << "the shared data file " << path.string()
                 << " is absent (it exists in CI, not in a user's clone); skipping the real-data test";
  LogCsvOptions o;  // the XES column names are the defaults
  o.resource_column = "org:resource";
  o.amount_column = "case:AMOUNT_REQ";
  EventLog log = read_log_csv(path.string(), o);
  // Facts from the data's README and an independent pandas read.
  EXPECT_EQ(log.size(), 262200u);
  EXPECT_EQ(log.num_cases(), 13087u);
  EXPECT_EQ(log.num_activities(), 24u);
  EXPECT_EQ(log.num_resources(), 68u);
  EXPECT_EQ(log.case_name(0), "173688");  // the first case of the file
  EXPECT_EQ(log.timestamps()[0], parse_timestamp_ns("2011-09-30T22:38:44.546Z"));
  std::size_t no_resource = 0;
  for (int32_t r : log.resources()) no_resource += r < 0;
  EXPECT_EQ(no_resource, 18010u);
  // Every case starts with the submission of the application.
  auto starts = start_activities(log);
  ASSERT_EQ(starts.size(), 1u);
  EXPECT_EQ(log.activity_names()[static_cast<std::size_t>(starts.activity[0])], "A_SUBMITTED");
  EXPECT_EQ(starts.count[0], 13087);
  auto dfg = directly_follows(log);
  int64_t transitions = 0;
  for (int64_t c : dfg.count) transitions += c;
  EXPECT_EQ(transitions, 262200 - 13087);
}
