// EventLog from columns and the Interner: ordering, CSR layout, names, bad input.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "quotaflow/core/intern.hpp"
#include "quotaflow/process/event_log.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;

namespace {
template <class T>
std::vector<T> vec(gsl::span<const T> s) {
  return {s.begin(), s.end()};
}
}  // namespace

TEST(Interner, FirstSeenOrderAndLookup) {
  Interner in;
  EXPECT_EQ(in.intern("lead"), 0);
  EXPECT_EQ(in.intern("won"), 1);
  EXPECT_EQ(in.intern("lead"), 0);
  EXPECT_EQ(in.intern(""), 2);
  EXPECT_EQ(in.find("won"), 1);
  EXPECT_FALSE(in.find("lost").has_value());
  EXPECT_EQ(in.names(), (std::vector<std::string>{"lead", "won", ""}));
  // Many names: ids stay stable while the storage grows.
  for (int i = 0; i < 5000; ++i) EXPECT_EQ(in.intern("n" + std::to_string(i)), 3 + i);
  for (int i = 0; i < 5000; ++i) ASSERT_EQ(in.find("n" + std::to_string(i)), 3 + i);
  auto names = in.take_names();
  EXPECT_EQ(names.size(), 5003u);
  EXPECT_EQ(in.size(), 0u);
  EXPECT_FALSE(in.find("lead").has_value());
}

TEST(EventLog, StableSortByCaseThenTimestampByHand) {
  // rows:        0   1   2   3   4   5   6
  std::vector<int64_t> cases{7, 3, 7, 3, 7, 3, 7};
  std::vector<int32_t> acts{0, 1, 2, 0, 1, 2, 0};
  std::vector<int64_t> ts{50, 10, 20, 10, 20, 5, 50};
  std::vector<int32_t> res{0, -1, 1, 0, 1, -1, 0};
  std::vector<int64_t> amt{100, 200, 300, 400, 500, 600, 700};
  auto log = EventLog::from_columns(cases, acts, ts, {"a", "b", "c"}, res, {"r0", "r1"}, amt);
  EXPECT_EQ(log.size(), 7u);
  EXPECT_EQ(log.num_cases(), 2u);
  EXPECT_EQ(log.num_activities(), 3u);
  EXPECT_EQ(vec(log.case_keys()), (std::vector<int64_t>{3, 7}));
  EXPECT_EQ(vec(log.case_offsets()), (std::vector<int64_t>{0, 3, 7}));
  // case 3: rows 5 (t5), 1 (t10), 3 (t10; after 1: ties keep input order)
  // case 7: rows 2 (t20), 4 (t20), 0 (t50), 6 (t50)
  EXPECT_EQ(vec(log.source_rows()), (std::vector<int64_t>{5, 1, 3, 2, 4, 0, 6}));
  EXPECT_EQ(vec(log.activities()), (std::vector<int32_t>{2, 1, 0, 2, 1, 0, 0}));
  EXPECT_EQ(vec(log.timestamps()), (std::vector<int64_t>{5, 10, 10, 20, 20, 50, 50}));
  EXPECT_EQ(vec(log.resources()), (std::vector<int32_t>{-1, -1, 0, 1, 1, 0, 0}));
  EXPECT_EQ(vec(log.amounts()), (std::vector<int64_t>{600, 200, 400, 300, 500, 100, 700}));
  EXPECT_EQ(log.case_name(0), "3");
  EXPECT_EQ(log.case_name(1), "7");
  EXPECT_EQ(log.case_size(1), 4u);
  EXPECT_EQ(log.find_activity("c"), 2);
  EXPECT_FALSE(log.find_activity("d").has_value());
  EXPECT_QF_ERROR(log.case_name(2), errc::out_of_range, "case 2");
}

TEST(EventLog, OptionalColumnsAndCaseNames) {
  std::vector<int64_t> cases{1, 0, 1};
  std::vector<int32_t> acts{0, 0, 0};
  std::vector<int64_t> ts{1, 2, 3};
  auto log = EventLog::from_columns(cases, acts, ts, {"x"}, {}, {}, {}, {"deal-A", "deal-B"});
  EXPECT_TRUE(log.resources().empty());
  EXPECT_TRUE(log.amounts().empty());
  EXPECT_EQ(log.case_name(0), "deal-A");
  EXPECT_EQ(log.case_name(1), "deal-B");
}

TEST(EventLog, NegativeAndWideKeysSortAscending) {
  std::vector<int64_t> cases{std::numeric_limits<int64_t>::max(), -5, std::numeric_limits<int64_t>::min(), 1LL << 40, -5};
  std::vector<int32_t> acts{0, 0, 0, 0, 0};
  std::vector<int64_t> ts{0, 2, 0, 0, 1};
  auto log = EventLog::from_columns(cases, acts, ts, {"x"});
  EXPECT_EQ(vec(log.case_keys()),
            (std::vector<int64_t>{std::numeric_limits<int64_t>::min(), -5, 1LL << 40, std::numeric_limits<int64_t>::max()}));
  EXPECT_EQ(vec(log.source_rows()), (std::vector<int64_t>{2, 4, 1, 3, 0}));
}

TEST(EventLog, RandomLogsMatchAReferenceStableSort) {
  std::mt19937_64 rng(20240611);
  for (int round = 0; round < 50; ++round) {
    const std::size_t n = 1 + rng() % 400;
    const int64_t key_range = round % 3 == 0 ? 5 : (round % 3 == 1 ? 100000 : int64_t{1} << 50);
    std::vector<int64_t> cases(n), ts(n);
    std::vector<int32_t> acts(n);
    for (std::size_t i = 0; i < n; ++i) {
      cases[i] = static_cast<int64_t>(rng() % static_cast<uint64_t>(key_range)) - key_range / 2;
      ts[i] = static_cast<int64_t>(rng() % 20);  // many ties
      acts[i] = static_cast<int32_t>(rng() % 4);
    }
    auto log = EventLog::from_columns(cases, acts, ts, {"a", "b", "c", "d"});
    std::vector<int64_t> ref(n);
    for (std::size_t i = 0; i < n; ++i) ref[i] = static_cast<int64_t>(i);
    std::stable_sort(ref.begin(), ref.end(), [&](int64_t x, int64_t y) {
      return std::tie(cases[static_cast<std::size_t>(x)], ts[static_cast<std::size_t>(x)]) <
             std::tie(cases[static_cast<std::size_t>(y)], ts[static_cast<std::size_t>(y)]);
    });
    ASSERT_EQ(vec(log.source_rows()), ref) << "round " << round;
    auto off = log.case_offsets();
    ASSERT_EQ(off.back(), static_cast<int64_t>(n));
    for (std::size_t c = 0; c < log.num_cases(); ++c) {
      ASSERT_LT(off[c], off[c + 1]);
      for (int64_t e = off[c]; e < off[c + 1]; ++e) {
        ASSERT_EQ(cases[static_cast<std::size_t>(log.source_rows()[static_cast<std::size_t>(e)])], log.case_keys()[c]);
      }
      if (c > 0) {
        ASSERT_LT(log.case_keys()[c - 1], log.case_keys()[c]);
      }
    }
  }
}

TEST(EventLog, BadInput) {
  std::vector<int64_t> cases{0, 0, 1};
  std::vector<int32_t> acts{0, 1, 0};
  std::vector<int64_t> ts{1, 2, 3};
  const std::vector<std::string> names{"a", "b"};
  EXPECT_QF_ERROR(EventLog::from_columns({}, {}, {}, names), errc::invalid_argument, "empty");
  EXPECT_QF_ERROR(EventLog::from_columns(cases, gsl::span<const int32_t>(acts).first(2), ts, names), errc::invalid_argument,
                  "activities has 2 entries but case_keys has 3");
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, gsl::span<const int64_t>(ts).first(1), names), errc::invalid_argument,
                  "timestamps_ns has 1 entries");
  std::vector<int64_t> nat{1, process::nat_ns, 3};
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, nat, names), errc::invalid_argument, "timestamps_ns[1] is NaT");
  std::vector<int32_t> bad_acts{0, 2, 0};
  EXPECT_QF_ERROR(EventLog::from_columns(cases, bad_acts, ts, names), errc::out_of_range, "activities[1] is 2");
  std::vector<int32_t> neg_acts{0, 0, -1};
  EXPECT_QF_ERROR(EventLog::from_columns(cases, neg_acts, ts, names), errc::out_of_range, "activities[2] is -1");
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, ts, {"a", "b", "a"}), errc::invalid_argument,
                  "activity_names[2] is \"a\", a duplicate of activity_names[0]");
  std::vector<int32_t> res{0, 1, -2};
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, ts, names, res, {"r0", "r1"}), errc::out_of_range, "resources[2] is -2");
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, ts, names, gsl::span<const int32_t>(res).first(2), {"r0", "r1"}),
                  errc::invalid_argument, "resources has 2 entries");
  std::vector<int64_t> amt{1, 2};
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, ts, names, {}, {}, amt), errc::invalid_argument, "amounts has 2 entries");
  EXPECT_QF_ERROR(EventLog::from_columns(cases, acts, ts, names, {}, {}, {}, {"only-one"}), errc::out_of_range,
                  "case_keys[2] is 1");
}
