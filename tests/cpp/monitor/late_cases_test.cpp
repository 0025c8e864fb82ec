// monitor::late_cases: hand-worked lateness (strictly after the plan), unfinished and unplanned
// cases, bad input, and the real-data acceptance test on the WABO receipt log: exactly the 389
// finished cases (of 1,329) that ended after their planned end date.
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "quotaflow/monitor/late_cases.hpp"
#include "quotaflow/process/log_csv.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;
using process::parse_timestamp_ns;

TEST(LateCases, HandWorked) {
  std::vector<int64_t> end{parse_timestamp_ns("2011-12-08T14:00:00Z"), no_time, parse_timestamp_ns("2011-12-01T10:00:00Z"),
                           parse_timestamp_ns("2011-12-07T02:00:00Z"), parse_timestamp_ns("2012-03-01T00:00:00Z"),
                           parse_timestamp_ns("2012-01-01T00:00:00Z")};
  std::vector<int64_t> planned{parse_timestamp_ns("2011-12-07T02:00:00Z"), parse_timestamp_ns("2011-12-07T02:00:00Z"),
                               parse_timestamp_ns("2011-12-07T02:00:00Z"), parse_timestamp_ns("2011-12-07T02:00:00Z"),
                               parse_timestamp_ns("2012-01-01T00:00:00Z"), no_time};
  std::vector<std::string> names{"case-1", "case-2", "case-3", "case-4", "case-5", "case-6"};
  LateCaseOptions o;
  o.case_names = names;
  auto r = late_cases(end, planned, o);
  EXPECT_EQ(r.finished, 5u);  // case-2 has no end
  EXPECT_DOUBLE_EQ(r.days_late[0], 1.5);
  EXPECT_TRUE(std::isnan(r.days_late[1]));
  EXPECT_DOUBLE_EQ(r.days_late[2], -5.666666666666667);
  EXPECT_EQ(r.days_late[3], 0.0);  // exactly on time is not late
  EXPECT_TRUE(std::isnan(r.days_late[5]));  // no plan
  ASSERT_EQ(r.alerts.size(), 2u);
  EXPECT_EQ(r.alerts[0].message, "Case case-1: finished 2011-12-08 14:00, 1.5 days after its planned end 2011-12-07 02:00");
  EXPECT_EQ(r.alerts[0].severity, Severity::warning);
  EXPECT_EQ(r.alerts[0].period, date_from_string("2011-12-08"));
  EXPECT_EQ(r.alerts[0].rule, Rule::case_late);
  EXPECT_EQ(r.alerts[0].entity_kind, EntityKind::case_);
  EXPECT_EQ(r.alerts[1].entity, 4);
  EXPECT_EQ(r.alerts[1].observed, 60);
  EXPECT_EQ(r.alerts[1].severity, Severity::critical);  // >= 30 days
  EXPECT_EQ(r.alerts[1].message, "Case case-5: finished 2012-03-01 00:00, 60 days after its planned end 2012-01-01 00:00");
  // Before the epoch the day of the end is still the calendar day.
  std::vector<int64_t> e1{parse_timestamp_ns("1969-12-31T23:00:00Z")}, p1{parse_timestamp_ns("1969-12-31T22:00:00Z")};
  auto pre = late_cases(e1, p1);
  ASSERT_EQ(pre.alerts.size(), 1u);
  EXPECT_EQ(pre.alerts[0].period, -1);
  EXPECT_EQ(pre.alerts[0].message, "Case #0: finished 1969-12-31 23:00, 0.04 days after its planned end 1969-12-31 22:00");
}

TEST(LateCases, BadInput) {
  std::vector<int64_t> a{1, 2}, b{1};
  EXPECT_QF_ERROR(late_cases(a, b), errc::invalid_argument, "length mismatch: end has 2 elements, planned_end has 1");
  std::vector<int64_t> c{1, 2};
  LateCaseOptions o;
  o.critical_days = -1;
  EXPECT_QF_ERROR(late_cases(a, c, o), errc::invalid_argument, "critical_days is -1; it must be finite and >= 0");
  std::vector<std::string> one{"x"};
  LateCaseOptions n;
  n.case_names = one;
  EXPECT_QF_ERROR(late_cases(a, c, n), errc::invalid_argument, "length mismatch: case_names has 1 elements; expected 0 or one per case (2)");
}

TEST(LateCasesRealData, ReceiptWabo) {
  namespace fs = std::filesystem;
  const fs::path path = fs::path(QUOTAFLOW_SHARED_DATA_DIR) / "eventlogs" / "receipt_wabo.csv.gz";
  if (!fs::exists(path))
    GTEST_SKIP() << "the shared data file " << path.string()
                 << " is absent (it exists in CI, not in a user's clone); skipping the real-data test";
  // The event-log reader keeps no case attributes, so the three needed columns are read here
  // (the file has no quoted fields). Case attributes repeat on every event of the case.
  gzFile f = gzopen(path.string().c_str(), "rb");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[1 << 16];
  for (int got; (got = gzread(f, buf, sizeof buf)) > 0;) text.append(buf, static_cast<size_t>(got));
  gzclose(f);
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::vector<std::string> header;
  {
    std::stringstream ss(line);
    for (std::string h; std::getline(ss, h, ',');) header.push_back(h);
  }
  auto col = [&](const char* name) { return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin()); };
  const size_t c_case = col("case:concept:name"), c_end = col("case:enddate"), c_plan = col("case:enddate_planned");
  ASSERT_LT(c_plan, header.size());
  std::map<std::string, size_t> index;
  std::vector<std::string> names;
  std::vector<int64_t> end, planned;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) cells.push_back(c);
    cells.resize(header.size());
    if (index.count(cells[c_case])) continue;
    index[cells[c_case]] = names.size();
    names.push_back(cells[c_case]);
    end.push_back(cells[c_end].empty() ? no_time : parse_timestamp_ns(cells[c_end]));
    planned.push_back(cells[c_plan].empty() ? no_time : parse_timestamp_ns(cells[c_plan]));
  }
  EXPECT_EQ(names.size(), 1434u);
  LateCaseOptions o;
  o.case_names = names;
  auto r = late_cases(end, planned, o);
  EXPECT_EQ(r.finished, 1329u);
  EXPECT_EQ(r.alerts.size(), 389u);
  // Exactly the finished cases with end > planned, none of the others.
  std::vector<uint8_t> flagged(names.size(), 0);
  for (const auto& a : r.alerts) flagged[static_cast<size_t>(a.entity)] = 1;
  for (size_t i = 0; i < names.size(); ++i) {
    const bool late = end[i] != no_time && planned[i] != no_time && end[i] > planned[i];
    ASSERT_EQ(flagged[i] != 0, late) << names[i];
  }
}
