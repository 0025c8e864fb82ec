// Allocation failure inside the library: every C ABI call below is run again and again with the
// k-th allocation failing (and every one after it, as when memory is exhausted), for every k up
// to the number the call needs. Each run must return QF_ERR_NO_MEMORY with the static message
// "out of memory" (read without allocating), leak nothing (ASan's leak check in the asan preset),
// and once no allocation fails the call must succeed with the same result as before.
//
// The hook is this program's replacement of the global operator new: libquotaflow_c.so uses the
// shared libstdc++, so its allocations resolve to it. It counts instead of asking ASan to return
// NULL on huge requests (allocator_may_return_null), so it works in every build.
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <limits>
#include <new>
#include <string>
#include <vector>

#include "quotaflow.h"

#if defined(__GNUC__) && !defined(__clang__)
// The replacement operators below pair malloc with free; GCC's heuristic cannot see that.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

namespace {

// Only allocations made inside the library count (between the test's own ones, in L() below).
std::atomic<bool> armed{false};
std::atomic<long> allocations{0};  // operator new calls inside the library so far
std::atomic<long> fail_from{-1};   // those with this number and later fail; -1: none

void* allocate(std::size_t n) noexcept {
  if (armed.load()) {
    const long k = allocations.fetch_add(1);
    const long f = fail_from.load();
    if (f >= 0 && k >= f) return nullptr;
  }
  return std::malloc(n == 0 ? 1 : n);
}

template <class F>
auto in_library(F f) {
  armed = true;
  auto result = f();
  armed = false;
  return result;
}
#define L(call) in_library([&] { return call; })

}  // namespace

void* operator new(std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) {
  if (void* p = allocate(n)) return p;
  throw std::bad_alloc();
}
void* operator new(std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void* operator new[](std::size_t n, const std::nothrow_t&) noexcept { return allocate(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

int failures = 0;
#define EXPECT(cond, ...)                                     \
  do {                                                        \
    if (!(cond)) {                                            \
      std::fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);    \
      std::fprintf(stderr, __VA_ARGS__);                      \
      std::fprintf(stderr, "\n");                             \
      ++failures;                                             \
    }                                                         \
  } while (0)

const int32_t jan_2025 = 20089, apr_2025 = 20179;

struct Case {
  const char* name;
  // Runs the calls; returns the first non-OK status, or QF_OK with a digest of the results.
  std::function<qf_status(std::string& digest)> run;
};

std::string digest_of(const int64_t* v, size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s += std::to_string(v[i]) + ",";
  return s;
}

const char* model_json =
    R"({"name": "m", "start": "lead", "stages": [{"name": "lead", "max_duration": 3, "required": true,
        "activities": [{"name": "call", "required": true}]},
        {"name": "won", "terminal": "won", "required": true}, {"name": "lost", "terminal": "lost"}],
        "transitions": [{"from": "lead", "to": "won"}, {"from": "lead", "to": "lost"}]})";

std::vector<Case> cases() {
  std::vector<Case> c;
  c.push_back({"qf_calendar_preset + qf_calendar_periods", [](std::string& d) {
                 qf_calendar* cal = nullptr;
                 qf_status s = L(qf_calendar_preset(&cal, "CN"));
                 if (s != QF_OK) return s;
                 int32_t wd[3];
                 size_t count = 0;
                 int32_t ps[3], pe[3];
                 s = L(qf_calendar_periods(cal, jan_2025, apr_2025, QF_GRAIN_MONTH, ps, pe, wd, 3, &count));
                 qf_calendar_destroy(cal);
                 d = std::to_string(wd[0]) + "," + std::to_string(wd[2]);
                 return s;
               }});
  c.push_back({"qf_hierarchy_create + qf_allocate_tree", [](std::string& d) {
                 std::vector<int32_t> parents(200);
                 for (size_t i = 0; i < parents.size(); ++i) parents[i] = static_cast<int32_t>(i) / 3 - 1;
                 qf_hierarchy* h = nullptr;
                 qf_status s = L(qf_hierarchy_create(&h, parents.data(), parents.size()));
                 if (s != QF_OK) return s;
                 size_t leaves = 0;
                 L(qf_hierarchy_info(h, nullptr, &leaves, nullptr));
                 std::vector<double> w(leaves, 1.0);
                 std::vector<int64_t> out(parents.size());
                 s = L(qf_allocate_tree(h, 1000003, w.data(), w.size(), nullptr, out.data(), out.size(), nullptr));
                 qf_hierarchy_destroy(h);
                 d = digest_of(out.data(), out.size());
                 return s;
               }});
  c.push_back({"qf_apportion (webster, 300 weights)", [](std::string& d) {
                 std::vector<double> w(300);
                 for (size_t i = 0; i < w.size(); ++i) w[i] = 1.0 + static_cast<double>(i % 7);
                 std::vector<int64_t> out(w.size());
                 qf_status s = L(qf_apportion(99991, w.data(), w.size(), QF_APPORTION_WEBSTER, nullptr, nullptr, out.data()));
                 d = digest_of(out.data(), out.size());
                 return s;
               }});
  c.push_back({"qf_apportion with a NaN weight (the error message itself needs memory)", [](std::string& d) {
                 double w[2] = {1.0, std::numeric_limits<double>::quiet_NaN()};
                 int64_t out[2];
                 qf_status s = L(qf_apportion(10, w, 2, QF_APPORTION_HAMILTON, nullptr, nullptr, out));
                 d = L(qf_last_error_message());
                 return s == QF_ERR_INVALID_ARGUMENT ? QF_OK : s;
               }});
  c.push_back({"qf_process_model_from_json + qf_process_model_to_json", [](std::string& d) {
                 qf_process_model* m = nullptr;
                 qf_status s = L(qf_process_model_from_json(&m, model_json, std::strlen(model_json)));
                 if (s != QF_OK) return s;
                 size_t needed = 0;
                 s = L(qf_process_model_to_json(m, nullptr, 0, &needed));
                 std::vector<char> text(needed + 1);
                 if (s == QF_OK) s = L(qf_process_model_to_json(m, text.data(), text.size(), nullptr));
                 qf_process_model_destroy(m);
                 d = text.data();
                 return s;
               }});
  c.push_back({"qf_log_create + qf_process_check_create", [](std::string& d) {
                 qf_process_model* m = nullptr;
                 qf_status s = L(qf_process_model_from_json(&m, model_json, std::strlen(model_json)));
                 if (s != QF_OK) return s;
                 const int64_t cases[] = {1, 1, 2, 3, 3};
                 const int32_t acts[] = {0, 1, 1, 0, 2};
                 const int64_t day = 86400LL * 1000000000LL;
                 const int64_t ts[] = {0, 5 * day, day, 0, day};
                 const char* names[] = {"lead", "won", "lost"};
                 qf_log* log = nullptr;
                 s = L(qf_log_create(&log, cases, acts, ts, 5, names, 3, nullptr));
                 qf_process_check* check = nullptr;
                 if (s == QF_OK) s = L(qf_process_check_create(&check, m, log, nullptr));
                 size_t n_dev = 0;
                 if (s == QF_OK) s = L(qf_process_check_info(check, nullptr, &n_dev, nullptr, nullptr, nullptr));
                 qf_process_check_destroy(check);
                 qf_log_destroy(log);
                 qf_process_model_destroy(m);
                 d = std::to_string(n_dev);
                 return s;
               }});
  c.push_back({"qf_control_charts", [](std::string& d) {
                 std::vector<double> v(4 * 30);
                 for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<double>((i * 7919) % 13) + (i % 30 == 29 ? 40 : 0);
                 qf_chart_signals* sig = nullptr;
                 qf_status s = L(qf_control_charts(&sig, v.data(), 4, 30, nullptr));
                 size_t n = 0;
                 if (s == QF_OK) s = L(qf_chart_signals_size(sig, &n, nullptr));
                 qf_chart_signals_destroy(sig);
                 d = std::to_string(n);
                 return s;
               }});
  c.push_back({"qf_track_create", [](std::string& d) {
                 qf_calendar* cal = nullptr;
                 qf_status s = L(qf_calendar_preset(&cal, "CN"));
                 if (s != QF_OK) return s;
                 const int32_t parents[] = {-1, 0, 0};
                 qf_hierarchy* h = nullptr;
                 s = L(qf_hierarchy_create(&h, parents, 3));
                 const int64_t plan[9] = {900, 300, 300, 600, 200, 100, 300, 100, 200};
                 const int64_t actual[9] = {400, 0, 0, 250, 0, 0, 150, 0, 0};
                 qf_track* t = nullptr;
                 if (s == QF_OK) s = L(qf_track_create(&t, h, cal, plan, actual, 9, jan_2025, apr_2025, jan_2025 + 40, nullptr));
                 int64_t v[9] = {0};
                 if (s == QF_OK) s = L(qf_track_int64(t, QF_TRACK_PLAN_TO_DATE, v, 9));
                 qf_track_destroy(t);
                 qf_hierarchy_destroy(h);
                 qf_calendar_destroy(cal);
                 d = digest_of(v, 9);
                 return s;
               }});
  return c;
}

void run_case(const Case& c) {
  std::string expected;
  c.run(expected);  // warm-up: the thread's message buffer gets its capacity once
  const long before = allocations.load();
  qf_status s = c.run(expected);
  const long needed = allocations.load() - before;
  EXPECT(s == QF_OK, "%s: fails without a failing allocator: %d %s", c.name, s, qf_last_error_message());
  EXPECT(needed > 0, "%s: allocates nothing, so the test tests nothing", c.name);
  // Every k for small calls; for big ones the first 200 and then a spread.
  for (long k = 0; k < needed; k += (k < 200 ? 1 : needed / 100 + 1)) {
    std::string ignored;
    fail_from = allocations.load() + k;
    s = c.run(ignored);
    const long at = allocations.load();
    const char* message = L(qf_last_error_message());
    const bool quiet = allocations.load() == at;  // reading the message allocated nothing
    fail_from = -1;
    EXPECT(s == QF_ERR_NO_MEMORY, "%s, allocation %ld fails: status %d (%s), expected QF_ERR_NO_MEMORY", c.name, k, s,
           message);
    EXPECT(std::strcmp(message, "out of memory") == 0, "%s, allocation %ld fails: message \"%s\"", c.name, k, message);
    EXPECT(quiet, "%s: qf_last_error_message() allocated", c.name);
  }
  std::string again;
  s = c.run(again);
  EXPECT(s == QF_OK && again == expected, "%s: after the failures the call gives %d and another result", c.name, s);
  std::printf("%-75s %5ld allocations, each failed once: ok\n", c.name, needed);
}

}  // namespace

int main() {
  for (const Case& c : cases()) run_case(c);
  // An error whose message cannot be stored becomes QF_ERR_NO_MEMORY; the next error that can
  // be stored replaces the static message with its own text.
  int64_t out = 0;
  fail_from = allocations.load();
  EXPECT(L(qf_amount_add(INT64_MAX, 1, &out)) == QF_ERR_NO_MEMORY, "overflow message without memory");
  fail_from = -1;
  EXPECT(qf_amount_add(INT64_MAX, 1, &out) == QF_ERR_OVERFLOW && std::strstr(qf_last_error_message(), "overflow"),
         "the static message is replaced by the next error: %s", qf_last_error_message());
  if (failures) std::fprintf(stderr, "%d failures\n", failures);
  return failures ? 1 : 0;
}
