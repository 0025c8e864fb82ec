// The alert store: which conditions are active, what the host was last told about each, and
// which ones the host has snoozed or acknowledged.
//
// Detectors are stateless: every run reports every condition that holds. A host wants news, not
// the same list again, so the store turns successive full lists into changes, keyed by the
// stable Alert::key():
//   raised   a key that was not active (or whose snooze just ended, see below);
//   changed  an active key whose severity, observed or expected figure differs from what was
//            last reported;
//   cleared  an active key the detectors no longer report (the alert as last reported).
//
// Snooze (key, until, reason, margin): the alert is silent while as_of < until, unless it
// worsens: its severity rises above the severity at snooze time, or its deviation
// |observed - expected| exceeds the deviation at snooze time by more than `margin` times that
// deviation (margin 0.25: 25 % further away from expected than when it was snoozed; with a
// deviation of 0 at snooze time any deviation breaks it). When the snooze ends either way the
// alert is raised again with its current figures. A snoozed alert that clears is reported as
// cleared.
// Acknowledge (key, until, reason): the host has seen it and works on it. While as_of < until,
// changes of figures are silent; a rise in severity is reported as changed and ends the
// acknowledgement. After `until` the alert behaves as a fresh active alert again (changes are
// reported against the figures last reported).
//   AlertStore s;
//   auto c = s.update(as_of, alerts);     // c[0].change == ChangeKind::raised
//   s.snooze(c[0].alert.key(), as_of + 7, "waiting for the Q3 order", 0.25);
//
// Thread rule: not synchronised; one thread at a time.
#pragma once

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <gsl/span>

#include "quotaflow/calendar/date.hpp"
#include "quotaflow/core/error.hpp"
#include "quotaflow/monitor/alert.hpp"
#include "quotaflow/monitor/snapshot.hpp"

namespace quotaflow::monitor {

// Values are stable: the C ABI's QF_CHANGE_* values.
enum class ChangeKind : uint8_t { raised = 0, changed = 1, cleared = 2 };
inline constexpr std::array<std::string_view, 3> change_kind_names = {"raised", "changed", "cleared"};
constexpr std::string_view change_kind_name(ChangeKind k) noexcept { return change_kind_names[static_cast<size_t>(k)]; }

struct AlertChange {
  ChangeKind change = ChangeKind::raised;
  Alert alert;
};

// A snooze or an acknowledgement in force.
struct Silence {
  bool on = false;
  Date until = 0;            // silent while as_of < until
  std::string reason;
  double margin = 0;         // snooze only: allowed growth of the deviation, as a fraction of deviation0
  double deviation0 = 0;     // |observed - expected| when it was set
  Severity severity0 = Severity::info;
  friend bool operator==(const Silence&, const Silence&) = default;
};

struct AlertEntry {
  Alert reported;  // as last reported to the host
  Alert latest;    // as the detectors found it last
  Silence snooze, ack;
};

namespace detail {
inline double deviation(const Alert& a) noexcept { return std::fabs(a.observed - a.expected); }
inline bool figures_changed(const Alert& now, const Alert& before) noexcept {
  auto differ = [](double x, double y) { return !(x == y || (std::isnan(x) && std::isnan(y))); };
  return now.severity != before.severity || differ(now.observed, before.observed) || differ(now.expected, before.expected);
}
}  // namespace detail

class AlertStore {
 public:
  // Takes every condition that holds as of `as_of` (in any order; a key found twice keeps its
  // most severe alert) and returns the changes since the last update: raised and changed in the
  // order the alerts were given, then cleared in key order.
  std::vector<AlertChange> update(Date as_of, std::vector<Alert> found) {
    std::vector<AlertChange> out;
    // Most severe per key; first one wins ties.
    std::unordered_map<uint64_t, size_t> first;
    first.reserve(found.size());
    std::vector<uint8_t> keep(found.size(), 1);
    for (size_t i = 0; i < found.size(); ++i) {
      auto [it, fresh] = first.emplace(found[i].key(), i);
      if (fresh) continue;
      if (found[i].severity > found[it->second].severity) {
        keep[it->second] = 0;
        it->second = i;
      } else {
        keep[i] = 0;
      }
    }
    for (size_t i = 0; i < found.size(); ++i) {
      if (!keep[i]) continue;
      Alert& a = found[i];
      const uint64_t k = a.key();
      auto it = entries_.find(k);
      if (it == entries_.end()) {
        out.push_back({ChangeKind::raised, a});
        entries_.emplace(k, AlertEntry{a, std::move(a), {}, {}});
        continue;
      }
      AlertEntry& e = it->second;
      e.latest = a;
      if (e.snooze.on) {
        const bool worse = a.severity > e.snooze.severity0 ||
                           detail::deviation(a) > e.snooze.deviation0 * (1.0 + e.snooze.margin);
        if (as_of < e.snooze.until && !worse) continue;
        e.snooze = {};
        e.reported = a;
        out.push_back({ChangeKind::raised, std::move(a)});
        continue;
      }
      if (e.ack.on) {
        if (as_of < e.ack.until) {
          if (a.severity > e.ack.severity0) {
            e.ack = {};
            e.reported = a;
            out.push_back({ChangeKind::changed, std::move(a)});
          }
          continue;
        }
        e.ack = {};
      }
      if (detail::figures_changed(a, e.reported)) {
        e.reported = a;
        out.push_back({ChangeKind::changed, std::move(a)});
      }
    }
    // Cleared: active keys not found this time.
    for (auto it = entries_.begin(); it != entries_.end();) {
      if (first.count(it->first) == 0) {
        out.push_back({ChangeKind::cleared, std::move(it->second.reported)});
        it = entries_.erase(it);
      } else {
        ++it;
      }
    }
    return out;
  }

  void snooze(uint64_t key, Date until, std::string_view reason, double margin) {
    check_date(until, "until");
    if (!std::isfinite(margin) || margin < 0) fail(errc::invalid_argument, "margin is ", margin, "; it must be finite and >= 0");
    AlertEntry& e = entry(key, "snooze");
    e.snooze = Silence{true, until, std::string(reason), margin, detail::deviation(e.latest), e.latest.severity};
  }
  void acknowledge(uint64_t key, Date until, std::string_view reason) {
    check_date(until, "until");
    AlertEntry& e = entry(key, "acknowledge");
    e.ack = Silence{true, until, std::string(reason), 0, detail::deviation(e.latest), e.latest.severity};
  }

  [[nodiscard]] const std::map<uint64_t, AlertEntry>& entries() const noexcept { return entries_; }
  [[nodiscard]] size_t size() const noexcept { return entries_.size(); }

  // --- snapshot fields ---------------------------------------------------------------------------
  void save(snapshot::Writer& w) const {
    w.u64(entries_.size());
    for (const auto& [k, e] : entries_) {
      w.u64(k);
      put_alert(w, e.reported);
      put_alert(w, e.latest);
      put(w, e.snooze);
      put(w, e.ack);
    }
  }
  // Reads what save() wrote; every value is checked (enums in range, keys matching their alerts,
  // keys strictly ascending), so damage that slipped past the checksum is still an error.
  static AlertStore load(snapshot::Reader& r) {
    AlertStore s;
    const size_t n = r.count("alerts.count", 8 + 2 * 48 + 2);  // key, two alerts, two flags
    uint64_t prev = 0;
    for (size_t i = 0; i < n; ++i) {
      const std::string at = "alerts[" + std::to_string(i) + "]";
      const uint64_t k = r.u64(at + ".key");
      if (i > 0 && k <= prev) fail(errc::parse_error, "snapshot is corrupt: ", at, ".key is not above the previous key");
      prev = k;
      AlertEntry e;
      e.reported = get_alert(r, at + ".reported");
      e.latest = get_alert(r, at + ".latest");
      e.snooze = get_silence(r, at + ".snooze");
      e.ack = get_silence(r, at + ".ack");
      if (e.reported.key() != k || e.latest.key() != k)
        fail(errc::parse_error, "snapshot is corrupt: ", at, ".key ", k, " does not match its alert");
      s.entries_.emplace_hint(s.entries_.end(), k, std::move(e));
    }
    return s;
  }

 private:
  std::map<uint64_t, AlertEntry> entries_;

  AlertEntry& entry(uint64_t key, const char* what) {
    auto it = entries_.find(key);
    if (it == entries_.end())
      fail(errc::not_found, "cannot ", what, " alert key ", key, ": no active alert has that key");
    return it->second;
  }

 public:
  // One alert's snapshot fields (the monitor's per-sale alerts use them too).
  static void put_alert(snapshot::Writer& w, const Alert& a) {
    w.u16(static_cast<uint16_t>(a.rule));
    w.u8(static_cast<uint8_t>(a.severity));
    w.u8(static_cast<uint8_t>(a.entity_kind));
    w.i64(a.entity);
    w.i64(a.related);
    w.i32(a.period);
    w.f64(a.observed);
    w.f64(a.expected);
    w.str(a.message);
  }
  static Alert get_alert(snapshot::Reader& r, const std::string& at) {
    Alert a;
    const uint16_t rule = r.u16(at + ".rule");
    const uint8_t sev = r.u8(at + ".severity"), kind = r.u8(at + ".entity_kind");
    if (rule >= rule_count) fail(errc::parse_error, "snapshot is corrupt: ", at, ".rule is ", rule);
    if (sev >= severity_names.size()) fail(errc::parse_error, "snapshot is corrupt: ", at, ".severity is ", sev);
    if (kind >= entity_kind_names.size()) fail(errc::parse_error, "snapshot is corrupt: ", at, ".entity_kind is ", kind);
    a.rule = static_cast<Rule>(rule);
    a.severity = static_cast<Severity>(sev);
    a.entity_kind = static_cast<EntityKind>(kind);
    a.entity = r.i64(at + ".entity");
    a.related = r.i64(at + ".related");
    a.period = r.i32(at + ".period");
    a.observed = r.f64(at + ".observed");
    a.expected = r.f64(at + ".expected");
    a.message = r.str(at + ".message");
    return a;
  }

 private:
  static void put(snapshot::Writer& w, const Silence& s) {
    w.u8(s.on ? 1 : 0);
    if (!s.on) return;
    w.i32(s.until);
    w.str(s.reason);
    w.f64(s.margin);
    w.f64(s.deviation0);
    w.u8(static_cast<uint8_t>(s.severity0));
  }
  static Silence get_silence(snapshot::Reader& r, const std::string& at) {
    Silence s;
    const uint8_t on = r.u8(at + ".on");
    if (on > 1) fail(errc::parse_error, "snapshot is corrupt: ", at, ".on is ", on);
    if (!on) return s;
    s.on = true;
    s.until = r.i32(at + ".until");
    if (s.until < min_supported_date || s.until > max_supported_date)
      fail(errc::parse_error, "snapshot is corrupt: ", at, ".until is ", s.until);
    s.reason = r.str(at + ".reason");
    s.margin = r.f64(at + ".margin");
    s.deviation0 = r.f64(at + ".deviation0");
    if (!(s.margin >= 0) || std::isinf(s.margin)) fail(errc::parse_error, "snapshot is corrupt: ", at, ".margin is ", s.margin);
    const uint8_t sev = r.u8(at + ".severity0");
    if (sev >= severity_names.size()) fail(errc::parse_error, "snapshot is corrupt: ", at, ".severity0 is ", sev);
    s.severity0 = static_cast<Severity>(sev);
    return s;
  }
};

}  // namespace quotaflow::monitor
