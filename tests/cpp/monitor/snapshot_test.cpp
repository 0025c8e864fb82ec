// Monitor snapshots: framing (CRC-32 check value, header fields), save/restore equality on random
// event streams (seeded), and damage: every truncation and every flipped bit of a small snapshot
// is rejected with an error and leaves the monitor being restored untouched.
#include <random>
#include <string>
#include <vector>

#include "quotaflow/monitor/monitor.hpp"
#include "quotaflow/monitor/snapshot.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::monitor;

namespace {
Date d(const char* s) { return date_from_string(s); }

// root 0 -> regions 1, 2 -> sellers 3..8; the second quarter of 2026 by month.
Hierarchy org() { return Hierarchy::from_parents(std::vector<int32_t>{-1, 0, 0, 1, 1, 1, 2, 2, 2}); }
MonitorConfig quarter(std::mt19937_64& rng) {
  MonitorConfig c;
  c.start = d("2026-04-01");
  c.end = d("2026-07-01");
  c.plan.assign(9 * 3, 0);
  std::vector<int64_t> leaf(9 * 3, 0);
  for (size_t v = 3; v < 9; ++v)
    for (size_t k = 0; k < 3; ++k) leaf[v * 3 + k] = 1000 + static_cast<int64_t>(rng() % 2000);
  c.plan = leaf;
  monitor::detail::rollup_rows(org(), c.plan.data(), 3, "plan");
  c.visit_plan.assign(9 * 3, 0);
  for (size_t v = 3; v < 9; ++v)
    for (size_t k = 0; k < 3; ++k) c.visit_plan[v * 3 + k] = 20;
  c.stage_limit_days = {3, 5, 8};
  return c;
}

bool same(const std::vector<AlertChange>& a, const std::vector<AlertChange>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    const auto &x = a[i], &y = b[i];
    if (x.change != y.change || x.alert.key() != y.alert.key() || x.alert.severity != y.alert.severity ||
        x.alert.observed != y.alert.observed || x.alert.expected != y.alert.expected || x.alert.message != y.alert.message)
      return false;
  }
  return true;
}

// One random step of a stream: a batch of one event kind, an advance, or a snooze/acknowledge.
struct Stream {
  std::mt19937_64 rng;
  Date today = d("2026-04-01");
  int64_t next_invoice = 1;
  explicit Stream(uint64_t seed) : rng(seed) {}
  size_t below(size_t n) { return static_cast<size_t>(rng() % n); }
  // Applies the step to every monitor given (each must end in the same state); returns the
  // changes of an advance (empty otherwise).
  std::vector<std::vector<AlertChange>> step(std::vector<Monitor*> ms) {
    std::vector<std::vector<AlertChange>> out(ms.size());
    const size_t kind = below(9);
    const size_t n = 1 + below(6);
    auto dates = [&] {
      std::vector<Date> v(n);
      for (auto& x : v) x = today - static_cast<Date>(below(5));
      return v;
    };
    if (kind <= 1) {
      std::vector<int32_t> node(n);
      std::vector<int64_t> amt(n);
      for (size_t i = 0; i < n; ++i) node[i] = static_cast<int32_t>(3 + below(6)), amt[i] = static_cast<int64_t>(below(400));
      auto dt = dates();
      for (auto* m : ms) m->push_sales(node, dt, amt);
    } else if (kind == 2) {
      std::vector<int64_t> deal(n);
      std::vector<int32_t> st(n);
      for (size_t i = 0; i < n; ++i) deal[i] = static_cast<int64_t>(below(20)), st[i] = static_cast<int32_t>(below(4)) - 1;
      auto dt = dates();
      for (auto* m : ms) m->push_stage_changes(deal, st, dt);
    } else if (kind == 3) {
      std::vector<int64_t> inv(n), cust(n), amt(n);
      std::vector<Date> due(n);
      for (size_t i = 0; i < n; ++i)
        inv[i] = next_invoice++, cust[i] = static_cast<int64_t>(below(5)), amt[i] = 1 + static_cast<int64_t>(below(900)),
        due[i] = today + static_cast<Date>(below(20));
      for (auto* m : ms) m->push_invoices(inv, cust, amt, due);
    } else if (kind == 4 && next_invoice > 1) {
      std::vector<int64_t> inv(n), amt(n);
      for (size_t i = 0; i < n; ++i) inv[i] = 1 + static_cast<int64_t>(below(static_cast<size_t>(next_invoice - 1))), amt[i] = 1 + static_cast<int64_t>(below(300));
      auto dt = dates();
      for (auto* m : ms) m->push_payments(inv, amt, dt);
    } else if (kind == 5) {
      std::vector<int32_t> seller(n);
      std::vector<int64_t> cnt(n);
      for (size_t i = 0; i < n; ++i) seller[i] = static_cast<int32_t>(3 + below(6)), cnt[i] = static_cast<int64_t>(below(3));
      auto dt = dates();
      for (auto* m : ms) m->push_visits(seller, dt, cnt);
    } else if (kind == 6) {
      std::vector<int64_t> id(n), end(n), planned(n);
      const int64_t now = int64_t{today} * ns_per_day;
      for (size_t i = 0; i < n; ++i)
        id[i] = static_cast<int64_t>(below(30)), planned[i] = now + static_cast<int64_t>(below(200000)) * 1000000000 - 100000 * int64_t{1000000000},
        end[i] = below(3) == 0 ? no_time : now;
      for (auto* m : ms) m->push_cases(id, end, planned);
    } else if (kind == 7) {
      today += static_cast<Date>(below(4));
      if (today >= d("2026-07-10")) today = d("2026-07-10");
      for (size_t j = 0; j < ms.size(); ++j) out[j] = ms[j]->advance(today);
    } else {
      const auto& e = ms[0]->alerts().entries();
      if (e.empty()) return out;
      auto it = e.begin();
      std::advance(it, static_cast<std::ptrdiff_t>(below(e.size())));
      const uint64_t key = it->first;
      const bool snooze = below(2) == 0;
      const Date until = today + static_cast<Date>(below(10));
      const double margin = static_cast<double>(below(5)) / 4;
      for (auto* m : ms) {
        if (snooze)
          m->snooze(key, until, "busy", margin);
        else
          m->acknowledge(key, until, "seen");
      }
    }
    return out;
  }
};

Monitor small_monitor() {
  std::mt19937_64 rng(1);
  Monitor m(org(), Calendar{}, quarter(rng));
  m.push_sales(std::vector<int32_t>{3, 7}, std::vector<Date>{d("2026-04-02"), d("2026-04-03")}, std::vector<int64_t>{50, 60});
  m.push_stage_changes(std::vector<int64_t>{11}, std::vector<int32_t>{0}, std::vector<Date>{d("2026-04-01")});
  m.push_invoices(std::vector<int64_t>{5}, std::vector<int64_t>{2}, std::vector<int64_t>{70}, std::vector<Date>{d("2026-04-03")});
  m.push_cases(std::vector<int64_t>{9}, std::vector<int64_t>{100}, std::vector<int64_t>{50});
  m.advance(d("2026-04-08"));
  m.snooze(m.alerts().entries().begin()->first, d("2026-04-20"), "why", 0.5);
  return m;
}
}  // namespace

TEST(Snapshot, Crc32CheckValueAndFraming) {
  const std::string s = "123456789";
  EXPECT_EQ(snapshot::crc32({reinterpret_cast<const uint8_t*>(s.data()), s.size()}), 0xCBF43926u);
  const std::vector<uint8_t> payload{1, 2, 3};
  const auto sealed = snapshot::seal(payload);
  ASSERT_EQ(sealed.size(), 20u + 3u + 4u);
  EXPECT_EQ(std::string(sealed.begin(), sealed.begin() + 8), "QFMONSNP");
  EXPECT_EQ(sealed[8], 2);   // version 2, little-endian
  EXPECT_EQ(sealed[12], 3);  // payload length
  const auto back = snapshot::unseal(sealed);
  EXPECT_EQ(std::vector<uint8_t>(back.begin(), back.end()), payload);
}

TEST(Snapshot, SaveLoadRoundTripIsExact) {
  Monitor m = small_monitor();
  const auto bytes = m.save();
  std::mt19937_64 rng(1);
  Monitor back = Monitor::load(bytes, org(), Calendar{}, quarter(rng));
  EXPECT_EQ(back.save(), bytes);
  EXPECT_EQ(back.actuals(), m.actuals());
  EXPECT_EQ(back.last_as_of(), d("2026-04-08"));
  EXPECT_EQ(back.alerts().size(), m.alerts().size());
  EXPECT_TRUE(back.alerts().entries().begin()->second.snooze.on);
  EXPECT_EQ(back.alerts().entries().begin()->second.snooze.reason, "why");
}

// Property: for random streams, a monitor restored from a snapshot taken at a random point
// reports exactly what the original reports for the rest of the stream, and ends in the same state.
TEST(Snapshot, RestoreAtRandomPointContinuesIdentically) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    std::mt19937_64 cfg_rng(seed);
    const MonitorConfig cfg = quarter(cfg_rng);
    Monitor a(org(), Calendar{}, cfg);
    Stream s(seed * 7919);
    const size_t steps = 150, split = static_cast<size_t>(seed * 13 % steps);
    size_t changes = 0;
    for (size_t i = 0; i < split; ++i) s.step({&a});
    const auto saved = a.save();
    Monitor b = Monitor::load(saved, org(), Calendar{}, cfg);
    ASSERT_EQ(b.save(), saved) << "seed " << seed;
    for (size_t i = split; i < steps; ++i) {
      auto out = s.step({&a, &b});
      changes += out[0].size();
      ASSERT_TRUE(same(out[0], out[1])) << "seed " << seed << ", step " << i;
    }
    EXPECT_EQ(a.save(), b.save()) << "seed " << seed;
    EXPECT_EQ(a.actuals(), b.actuals());
    (void)changes;
  }
}

TEST(Snapshot, EveryTruncationIsRejectedAndTheMonitorUntouched) {
  Monitor m = small_monitor();
  const auto bytes = m.save();
  std::mt19937_64 rng(1);
  Monitor target(org(), Calendar{}, quarter(rng));
  target.push_sales(std::vector<int32_t>{4}, std::vector<Date>{d("2026-05-05")}, std::vector<int64_t>{123});
  const auto before = target.save();
  for (size_t len = 0; len < bytes.size(); ++len) {
    const gsl::span<const uint8_t> cut(bytes.data(), len);
    EXPECT_QF_ERROR(target.restore(cut), errc::parse_error, "snapshot") << "length " << len;
    ASSERT_EQ(target.save(), before) << "length " << len;
  }
  EXPECT_QF_ERROR(target.restore(gsl::span<const uint8_t>(bytes.data(), 10)), errc::parse_error,
                  "snapshot is truncated: 10 bytes, but the header and checksum alone take 24");
  EXPECT_QF_ERROR(target.restore(gsl::span<const uint8_t>(bytes.data(), bytes.size() - 1)), errc::parse_error,
                  "the header says ", "payload bytes");
}

TEST(Snapshot, EveryFlippedBitIsRejected) {
  Monitor m = small_monitor();
  const auto bytes = m.save();
  std::mt19937_64 rng(1);
  Monitor target(org(), Calendar{}, quarter(rng));
  const auto before = target.save();
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int bit = 0; bit < 8; bit += 3) {
      auto bad = bytes;
      bad[i] ^= static_cast<uint8_t>(1u << bit);
      EXPECT_QF_ERROR(target.restore(bad), errc::parse_error, "snapshot") << "byte " << i << " bit " << bit;
    }
  }
  EXPECT_EQ(target.save(), before);
  auto bad = bytes;
  bad[0] = 'X';
  EXPECT_QF_ERROR(target.restore(bad), errc::parse_error, "bad magic number");
  bad = bytes;
  bad[8] = 3;
  EXPECT_QF_ERROR(target.restore(bad), errc::parse_error, "format version is 3; this library reads version 2");
  bad = bytes;
  bad[8] = 1;  // the format before the pipeline, sale and collection state: refused with advice
  EXPECT_QF_ERROR(target.restore(bad), errc::parse_error,
                  "format version is 1; this library reads version 2 (an older format: rebuild the monitor and replay its events)");
  bad = bytes;
  bad[30] ^= 1;
  EXPECT_QF_ERROR(target.restore(bad), errc::parse_error, "checksum mismatch");
}

TEST(Snapshot, DamageBehindAValidChecksumIsStillCaught) {
  // Re-seal damaged payloads so the checksum passes: the field checks must catch them.
  Monitor m = small_monitor();
  const auto bytes = m.save();
  const auto payload = snapshot::unseal(bytes);
  std::mt19937_64 rng(1);
  Monitor target(org(), Calendar{}, quarter(rng));
  const auto before = target.save();
  // Trailing junk.
  std::vector<uint8_t> p(payload.begin(), payload.end());
  p.push_back(0);
  EXPECT_QF_ERROR(target.restore(snapshot::seal(p)), errc::parse_error, "1 unread bytes after the last field");
  // A payload cut short at every length, re-sealed.
  for (size_t len = 0; len < payload.size(); ++len) {
    std::vector<uint8_t> q(payload.begin(), payload.begin() + static_cast<std::ptrdiff_t>(len));
    EXPECT_QF_ERROR(target.restore(snapshot::seal(q)), errc::parse_error, "snapshot is") << "payload length " << len;
  }
  // A huge record count does not allocate: the cell count field (offset 8+4+24 = 36).
  p.assign(payload.begin(), payload.end());
  p[36 + 7] = 0x7f;
  EXPECT_QF_ERROR(target.restore(snapshot::seal(p)), errc::parse_error, "it has ");
  EXPECT_EQ(target.save(), before);
  // A snapshot of a monitor with another plan.
  MonitorConfig other = target.config();
  other.plan[0] += 1;
  EXPECT_QF_ERROR(Monitor::load(bytes, org(), Calendar{}, other), errc::invalid_argument,
                  "snapshot was saved by a monitor with a different hierarchy, calendar, periods or plan");
}
