// Discovery: directly-follows graph, start/end activities, variants, temporal profile and
// temporal conformance, by hand, against brute force on random logs, and bad input.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "quotaflow/process/discovery.hpp"
#include "quotaflow/process/temporal.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;

namespace {
constexpr int64_t S = 1'000'000'000;  // one second in ns

// Three cases over activities a=0, b=1, c=2 (times in seconds):
//   case 10: a@0  b@10  c@40
//   case 20: a@0  b@20  b@50  c@60      (b->b loop)
//   case 30: a@5  b@15  c@45            (same variant as case 10)
EventLog hand_log() {
  std::vector<int64_t> cases{20, 10, 30, 10, 20, 30, 10, 20, 30, 20};
  std::vector<int32_t> acts{0, 0, 0, 1, 1, 1, 2, 1, 2, 2};
  std::vector<int64_t> ts{0, 0, 5, 10, 20, 15, 40, 50, 45, 60};
  for (auto& t : ts) t *= S;
  return EventLog::from_columns(cases, acts, ts, {"a", "b", "c"});
}

struct Ref {
  std::vector<double> d;
};
}  // namespace

TEST(DirectlyFollows, ByHand) {
  auto g = directly_follows(hand_log());
  // Edges in (source, target) order: a->b (10, 20, 10), b->b (30), b->c (30, 10, 30).
  ASSERT_EQ(g.size(), 3u);
  EXPECT_EQ(g.source, (std::vector<int32_t>{0, 1, 1}));
  EXPECT_EQ(g.target, (std::vector<int32_t>{1, 1, 2}));
  EXPECT_EQ(g.count, (std::vector<int64_t>{3, 1, 3}));
  EXPECT_DOUBLE_EQ(g.mean[0], 40.0 / 3);
  EXPECT_DOUBLE_EQ(g.median[0], 10);
  EXPECT_DOUBLE_EQ(g.min[0], 10);
  EXPECT_DOUBLE_EQ(g.max[0], 20);
  EXPECT_DOUBLE_EQ(g.sum[0], 40);
  // sample variance of {10, 20, 10}: mean 40/3, squared deviations 100/9 + 400/9 + 100/9 = 600/9, / 2
  EXPECT_DOUBLE_EQ(g.stdev[0], std::sqrt(300.0 / 9));
  EXPECT_DOUBLE_EQ(g.mean[1], 30);
  EXPECT_DOUBLE_EQ(g.stdev[1], 0);  // one observation
  EXPECT_DOUBLE_EQ(g.median[1], 30);
  EXPECT_DOUBLE_EQ(g.median[2], 30);
  EXPECT_DOUBLE_EQ(g.sum[2], 70);
}

TEST(DirectlyFollows, EvenMedianAndNegativeFreeDurations) {
  std::vector<int64_t> cases{1, 1, 2, 2, 3, 3, 4, 4};
  std::vector<int32_t> acts{0, 1, 0, 1, 0, 1, 0, 1};
  std::vector<int64_t> ts{0, 4 * S, 0, 1 * S, 0, 3 * S, 0, 2 * S + S / 2};
  auto g = directly_follows(EventLog::from_columns(cases, acts, ts, {"x", "y"}));
  ASSERT_EQ(g.size(), 1u);
  EXPECT_DOUBLE_EQ(g.median[0], 2.75);  // (2.5 + 3) / 2
  EXPECT_DOUBLE_EQ(g.min[0], 1);
  EXPECT_DOUBLE_EQ(g.max[0], 4);
}

TEST(StartEndActivities, ByHand) {
  auto log = hand_log();
  auto s = start_activities(log);
  EXPECT_EQ(s.activity, (std::vector<int32_t>{0}));
  EXPECT_EQ(s.count, (std::vector<int64_t>{3}));
  auto e = end_activities(log);
  EXPECT_EQ(e.activity, (std::vector<int32_t>{2}));
  EXPECT_EQ(e.count, (std::vector<int64_t>{3}));
  // Ties in count: ordered by id.
  std::vector<int64_t> cases{1, 2, 3, 3};
  std::vector<int32_t> acts{2, 1, 1, 0};
  std::vector<int64_t> ts{0, 0, 0, 1};
  auto l2 = EventLog::from_columns(cases, acts, ts, {"p", "q", "r"});
  auto e2 = end_activities(l2);
  EXPECT_EQ(e2.activity, (std::vector<int32_t>{0, 1, 2}));
  auto s2 = start_activities(l2);
  EXPECT_EQ(s2.activity, (std::vector<int32_t>{1, 2}));
  EXPECT_EQ(s2.count, (std::vector<int64_t>{2, 1}));
}

TEST(Variants, ByHandOrderedByCountThenFirstAppearance) {
  auto v = variants(hand_log());
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(std::vector<int32_t>(v.sequence(0).begin(), v.sequence(0).end()), (std::vector<int32_t>{0, 1, 2}));
  EXPECT_EQ(v.count, (std::vector<int64_t>{2, 1}));
  EXPECT_EQ(v.first_case, (std::vector<int64_t>{0, 1}));
  EXPECT_EQ(std::vector<int32_t>(v.sequence(1).begin(), v.sequence(1).end()), (std::vector<int32_t>{0, 1, 1, 2}));
  EXPECT_EQ(v.case_variant, (std::vector<int32_t>{0, 1, 0}));
  EXPECT_QF_ERROR(v.sequence(2), errc::out_of_range, "variant 2");
  // Equal counts: first appearance decides; a prefix is a different variant.
  std::vector<int64_t> cases{1, 2, 2, 3, 4, 4};
  std::vector<int32_t> acts{0, 0, 1, 0, 0, 1};
  std::vector<int64_t> ts{0, 0, 1, 0, 0, 1};
  auto v2 = variants(EventLog::from_columns(cases, acts, ts, {"a", "b"}));
  ASSERT_EQ(v2.size(), 2u);
  EXPECT_EQ(v2.count, (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(v2.sequence(0).size(), 1u);
  EXPECT_EQ(v2.first_case, (std::vector<int64_t>{0, 1}));
}

TEST(TemporalProfile, ByHand) {
  auto p = temporal_profile(hand_log());
  // Pairs i<j per case:
  //   case 10: ab 10, ac 40, bc 30
  //   case 20: ab 20, ab 50, ac 60, bb 30, bc 40, bc 10
  //   case 30: ab 10, ac 40, bc 30
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p.source, (std::vector<int32_t>{0, 0, 1, 1}));
  EXPECT_EQ(p.target, (std::vector<int32_t>{1, 2, 1, 2}));
  EXPECT_EQ(p.count, (std::vector<int64_t>{4, 3, 1, 4}));
  EXPECT_DOUBLE_EQ(p.mean[0], 22.5);  // {10, 20, 50, 10}
  EXPECT_NEAR(p.stdev[0], std::sqrt((12.5 * 12.5 + 2.5 * 2.5 + 27.5 * 27.5 + 12.5 * 12.5) / 3), 1e-12);
  EXPECT_NEAR(p.mean[1], 140.0 / 3, 1e-12);  // {40, 60, 40}
  EXPECT_NEAR(p.stdev[1], std::sqrt((400.0 / 9 * 2 + 1600.0 / 9) / 2), 1e-12);
  EXPECT_DOUBLE_EQ(p.mean[2], 30);
  EXPECT_DOUBLE_EQ(p.stdev[2], 0);
  EXPECT_DOUBLE_EQ(p.mean[3], 27.5);  // {30, 40, 10, 30}
  EXPECT_EQ(p.activity_names, (std::vector<std::string>{"a", "b", "c"}));
}

TEST(TemporalConformance, ByHand) {
  auto log = hand_log();
  auto p = temporal_profile(log);
  // zeta 1 on a->b {10, 20, 50, 10}: mean 22.5, stdev 18.93 -> [3.57, 41.43]: 50 deviates.
  // a->c {40, 60, 40}: mean 46.67, stdev 11.55 -> [35.12, 58.21]: 60 deviates.
  // b->c {30, 40, 10, 30}: mean 27.5, stdev 12.58 -> [14.92, 40.08]: 10 deviates.
  // b->b has stdev 0 (one observation): accepted only at exactly 30, which it is.
  auto d = temporal_conformance(log, p, 1.0);
  std::vector<std::pair<int32_t, int32_t>> pairs;
  for (std::size_t k = 0; k < d.size(); ++k) pairs.emplace_back(d.source[k], d.target[k]);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.case_index, (std::vector<int64_t>{1, 1, 1}));
  EXPECT_EQ(d.source_position, (std::vector<int32_t>{0, 0, 2}));
  EXPECT_EQ(d.target_position, (std::vector<int32_t>{2, 3, 3}));
  EXPECT_EQ(pairs, (std::vector<std::pair<int32_t, int32_t>>{{0, 1}, {0, 2}, {1, 2}}));
  EXPECT_EQ(d.seconds, (std::vector<double>{50, 60, 10}));
  EXPECT_NEAR(d.zeta[0], 27.5 / p.stdev[0], 1e-12);
  EXPECT_NEAR(d.zeta[2], 17.5 / p.stdev[3], 1e-12);
  // zeta 6 (the default): nothing deviates in such a small log.
  EXPECT_EQ(temporal_conformance(log, p).size(), 0u);
  // A profile pair with stdev 0 rejects any other time with zeta = +inf; pairs absent from the
  // profile are not checked; names map onto the log's ids.
  std::vector<int32_t> src{1, 0}, dst{0, 1};
  std::vector<double> mean{10, 1}, sd{0, 5};  // (a->b) must take exactly 10 s; (b->a) never occurs
  auto strict = TemporalProfile::from_columns({"b", "a", "zzz"}, src, dst, mean, sd);
  auto d2 = temporal_conformance(log, strict, 6.0);
  ASSERT_EQ(d2.size(), 2u);  // a->b takes 20 and 50 in case 20 (10 in cases 10 and 30 conforms)
  EXPECT_EQ(d2.seconds, (std::vector<double>{20, 50}));
  EXPECT_TRUE(std::isinf(d2.zeta[0]));
}

TEST(TemporalConformance, BadInput) {
  auto log = hand_log();
  auto p = temporal_profile(log);
  EXPECT_QF_ERROR(temporal_conformance(log, p, -1), errc::invalid_argument, "zeta is -1");
  EXPECT_QF_ERROR(temporal_conformance(log, p, std::nan("")), errc::invalid_argument, "zeta is nan");
  auto broken = p;
  broken.mean.pop_back();
  EXPECT_QF_ERROR(temporal_conformance(log, broken), errc::invalid_argument, "profile columns differ");
  std::vector<int32_t> src{0, 0}, dst{1, 1}, bad{0, 3};
  std::vector<double> mean{1, 1}, sd{1, 1}, neg{1, -1}, nan{1, std::nan("")};
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "b"}, src, dst, mean, sd), errc::invalid_argument, "row 1 repeats",
                  "(\"a\", \"b\")");
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "b"}, src, bad, mean, sd), errc::out_of_range, "target[1] is 3");
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "b"}, bad, src, mean, neg), errc::out_of_range, "source[1] is 3");
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "b", "c", "d"}, src, bad, mean, neg), errc::invalid_argument,
                  "stdev[1] is -1");
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "b", "c", "d"}, src, bad, nan, sd), errc::invalid_argument,
                  "mean[1] is nan");
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "a"}, src, dst, mean, sd), errc::invalid_argument,
                  "activity_names[1] is \"a\"");
  EXPECT_QF_ERROR(TemporalProfile::from_columns({"a", "b"}, src, gsl::span<const int32_t>(dst).first(1), mean, sd),
                  errc::invalid_argument, "target has 1 entries");
}

// Random logs: every result against a brute-force reference built from explicit pairs, and the
// hash-map path (tiny dense limit) against the dense path.
TEST(Discovery, RandomLogsMatchBruteForce) {
  std::mt19937_64 rng(7);
  for (int round = 0; round < 30; ++round) {
    const std::size_t n = 2 + rng() % 600, na = 1 + rng() % 7;
    std::vector<int64_t> cases(n), ts(n);
    std::vector<int32_t> acts(n);
    std::vector<std::string> names;
    for (std::size_t a = 0; a < na; ++a) names.push_back("act" + std::to_string(a));
    for (std::size_t i = 0; i < n; ++i) {
      cases[i] = static_cast<int64_t>(rng() % 40);
      ts[i] = static_cast<int64_t>(rng() % 1000) * (S / 1000) * 3600;  // hours with ms resolution
      acts[i] = static_cast<int32_t>(rng() % na);
    }
    auto log = EventLog::from_columns(cases, acts, ts, names);
    std::map<std::pair<int32_t, int32_t>, std::vector<double>> dfg_ref, tp_ref;
    const auto off = log.case_offsets();
    const auto la = log.activities();
    const auto lt = log.timestamps();
    for (std::size_t c = 0; c < log.num_cases(); ++c)
      for (auto i = static_cast<std::size_t>(off[c]); i < static_cast<std::size_t>(off[c + 1]); ++i) {
        if (i + 1 < static_cast<std::size_t>(off[c + 1]))
          dfg_ref[{la[i], la[i + 1]}].push_back(static_cast<double>(lt[i + 1] - lt[i]) / S);
        for (std::size_t j = i + 1; j < static_cast<std::size_t>(off[c + 1]); ++j) {
          ASSERT_LE(lt[i], lt[j]);
          tp_ref[{la[i], la[j]}].push_back(static_cast<double>(lt[j] - lt[i]) / S);
        }
      }
    auto stats = [](const std::vector<double>& v) {
      double m = 0;
      for (double x : v) m += x;
      m /= static_cast<double>(v.size());
      double ss = 0;
      for (double x : v) ss += (x - m) * (x - m);
      return std::pair{m, v.size() > 1 ? std::sqrt(ss / static_cast<double>(v.size() - 1)) : 0.0};
    };
    for (std::size_t dense_limit : {detail::PairIds::default_dense_limit, std::size_t{0}}) {
      auto g = directly_follows(log, dense_limit);
      ASSERT_EQ(g.size(), dfg_ref.size());
      std::size_t r = 0;
      for (auto& [key, v] : dfg_ref) {
        ASSERT_EQ(std::pair(g.source[r], g.target[r]), key);
        ASSERT_EQ(g.count[r], static_cast<int64_t>(v.size()));
        auto [m, sd] = stats(v);
        ASSERT_NEAR(g.mean[r], m, 1e-9 * (1 + m));
        ASSERT_NEAR(g.stdev[r], sd, 1e-9 * (1 + sd));
        std::sort(v.begin(), v.end());
        const double med = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
        ASSERT_DOUBLE_EQ(g.median[r], med);
        ASSERT_DOUBLE_EQ(g.min[r], v.front());
        ASSERT_DOUBLE_EQ(g.max[r], v.back());
        ++r;
      }
      auto p = temporal_profile(log, dense_limit);
      ASSERT_EQ(p.size(), tp_ref.size());
      r = 0;
      for (auto& [key, v] : tp_ref) {
        ASSERT_EQ(std::pair(p.source[r], p.target[r]), key);
        ASSERT_EQ(p.count[r], static_cast<int64_t>(v.size()));
        auto [m, sd] = stats(v);
        ASSERT_NEAR(p.mean[r], m, 1e-9 * (1 + m));
        ASSERT_NEAR(p.stdev[r], sd, 1e-9 * (1 + sd));
        ++r;
      }
      // Conformance: every pair outside mean +- zeta*stdev, counted by brute force.
      const double zeta = 0.5 + static_cast<double>(rng() % 3);
      std::size_t expected = 0;
      for (std::size_t c = 0; c < log.num_cases(); ++c)
        for (auto i = static_cast<std::size_t>(off[c]); i < static_cast<std::size_t>(off[c + 1]); ++i)
          for (std::size_t j = i + 1; j < static_cast<std::size_t>(off[c + 1]); ++j) {
            std::size_t row = 0;
            while (std::pair(p.source[row], p.target[row]) != std::pair(la[i], la[j])) ++row;
            const double secs = static_cast<double>(lt[j] - lt[i]) / S;
            expected += secs < p.mean[row] - zeta * p.stdev[row] || secs > p.mean[row] + zeta * p.stdev[row];
          }
      ASSERT_EQ(temporal_conformance(log, p, zeta).size(), expected);
    }
    int64_t total_cases = 0;
    for (int64_t c : variants(log).count) total_cases += c;
    ASSERT_EQ(total_cases, static_cast<int64_t>(log.num_cases()));
  }
}

TEST(TemporalProfile, LargeTimestampsStayAccurate) {
  // Durations of about a year with millisecond jitter: the shifted accumulation keeps the stdev.
  std::vector<int64_t> cases, ts;
  std::vector<int32_t> acts;
  const int64_t base = 1'700'000'000 * S, year = 365LL * 86400 * S;
  std::vector<int64_t> jitters;
  for (int c = 0; c < 1000; ++c) {
    const int64_t jitter = (c % 7) * 1'000'000;  // 0..6 ms
    cases.insert(cases.end(), {c, c});
    acts.insert(acts.end(), {0, 1});
    ts.insert(ts.end(), {base + c * S, base + c * S + year + jitter});
    jitters.push_back(jitter);
  }
  auto p = temporal_profile(EventLog::from_columns(cases, acts, ts, {"x", "y"}));
  ASSERT_EQ(p.size(), 1u);
  // Reference from the jitter alone (small numbers, no cancellation): values 0..5 ms appear 143
  // times, 6 ms 142 times.
  double m = 0, ss = 0;
  for (int64_t j : jitters) m += static_cast<double>(j);
  m /= 1000;
  for (int64_t j : jitters) ss += (static_cast<double>(j) - m) * (static_cast<double>(j) - m);
  const double sd = std::sqrt(ss / 999) / S;
  EXPECT_NEAR(p.stdev[0], sd, 1e-9 * sd);
  EXPECT_NEAR(p.mean[0], (static_cast<double>(year) + m) / S, 1e-15 * static_cast<double>(year) / S);
}

// The median's radix select against a full sort, on large edges with heavy tails and ties.
TEST(DirectlyFollows, MedianOfLargeEdgesMatchesSorting) {
  std::mt19937_64 rng(99);
  for (int round = 0; round < 12; ++round) {
    const std::size_t cases = 500 + rng() % 3000;
    std::vector<int64_t> keys, ts;
    std::vector<int32_t> acts;
    std::vector<int64_t> d;
    for (std::size_t c = 0; c < cases; ++c) {
      int64_t dur;
      switch (round % 4) {
        case 0: dur = static_cast<int64_t>(rng() % 1000) * S; break;                        // many ties
        case 1: dur = static_cast<int64_t>(std::exp(static_cast<double>(rng() % 4000) / 100.0)); break;  // heavy tail
        case 2: dur = 7 * S; break;                                                          // all equal
        default: dur = static_cast<int64_t>(rng() >> 3); break;                              // full int64 range
      }
      keys.insert(keys.end(), {static_cast<int64_t>(c), static_cast<int64_t>(c)});
      acts.insert(acts.end(), {0, 1});
      ts.insert(ts.end(), {0, dur});
      d.push_back(dur);
    }
    auto g = directly_follows(EventLog::from_columns(keys, acts, ts, {"a", "b"}));
    ASSERT_EQ(g.size(), 1u);
    std::sort(d.begin(), d.end());
    const std::size_t n = d.size();
    const double med = n % 2 ? static_cast<double>(d[n / 2]) : (static_cast<double>(d[n / 2 - 1]) + static_cast<double>(d[n / 2])) / 2;
    ASSERT_DOUBLE_EQ(g.median[0], med / S) << "round " << round << ", n " << n;
    ASSERT_DOUBLE_EQ(g.min[0], static_cast<double>(d.front()) / S);
    ASSERT_DOUBLE_EQ(g.max[0], static_cast<double>(d.back()) / S);
  }
}
