// Fuzzes the process-model JSON reader. Whatever it accepts must survive a round trip: the
// model written by to_json reads back to an equal model (every stage, activity and transition
// field; unset numbers stay unset), and writing that again gives the same bytes (the writer is
// canonical). Malformed input must be a quotaflow error, never a crash.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "quotaflow/process/model_json.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::process;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "broken invariant: %s\n", what);
    std::abort();
  }
}

// Equal, or both unset (NaN).
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void check_equal(const ProcessModel& a, const ProcessModel& b) {
  check(a.name() == b.name() && a.duration_unit() == b.duration_unit() && a.start() == b.start(), "model fields");
  check(a.stages().size() == b.stages().size(), "number of stages");
  for (size_t i = 0; i < a.stages().size(); ++i) {
    const Stage &x = a.stages()[i], &y = b.stages()[i];
    check(x.name == y.name && x.role == y.role && x.department == y.department, "stage text");
    check(same(x.win_probability, y.win_probability) && same(x.expected_duration, y.expected_duration) &&
              same(x.max_duration, y.max_duration),
          "stage numbers");
    check(x.required == y.required && x.terminal == y.terminal, "stage flags");
  }
  check(a.activities().size() == b.activities().size(), "number of activities");
  for (size_t i = 0; i < a.activities().size(); ++i) {
    const Activity &x = a.activities()[i], &y = b.activities()[i];
    check(x.name == y.name && x.stage == y.stage && x.role == y.role && x.required == y.required &&
              same(x.due_within, y.due_within),
          "activity");
  }
  check(a.transitions().size() == b.transitions().size(), "number of transitions");
  for (size_t i = 0; i < a.transitions().size(); ++i) {
    const Transition &x = a.transitions()[i], &y = b.transitions()[i];
    check(x.from == y.from && x.to == y.to && x.kind == y.kind && same(x.probability, y.probability) &&
              same(x.max_lead_time, y.max_lead_time),
          "transition");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ProcessModel m;
  try {
    m = model_from_json(text, "fuzz");
  } catch (const error&) {
    return 0;  // rejected with a quotaflow error: fine
  }
  const std::string saved = to_json(m);
  ProcessModel back;
  try {
    back = model_from_json(saved, "saved");
  } catch (const error& e) {
    std::fprintf(stderr, "the saved model does not read back: %s\n%s\n", e.what(), saved.c_str());
    std::abort();
  }
  check_equal(m, back);
  check(to_json(back) == saved, "to_json is not canonical");
  return 0;
}
