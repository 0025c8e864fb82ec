// Fuzzes the incentive-plan JSON reader (schema quotaflow.incentive_plan/1). Whatever it accepts
// must survive a round trip: plan_to_json, read again, gives an equal plan spec (every component,
// tier, multiplier, step, cap and the draw) and the same bytes when written again (the writer is
// canonical). Then the accepted plan pays a small fixed sales force (three people, a manager
// roll-up, a mid-quarter hire, a quota change, a split sale, a clawback, an adjustment, KPI
// scores for the plan's bonus KPIs) over 2026 Q1 by month: if the run succeeds, each statement's
// lines sum to its payout and its clawback lines to its clawback, and the re-read plan pays the
// same. Malformed input, and a plan the run refuses (e.g. an overflow), must be a quotaflow
// error, never a crash.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "quotaflow/calendar/calendar.hpp"
#include "fuzz_util.hpp"
#include "quotaflow/incentive/payout.hpp"
#include "quotaflow/incentive/plan_json.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::incentive;

using qf_fuzz::check;

template <class T>
bool same_optional(const std::optional<T>& a, const std::optional<T>& b) {
  return a.has_value() == b.has_value() && (!a || *a == *b);
}
bool same_multiplier(const std::optional<Multiplier>& a, const std::optional<Multiplier>& b) {
  return a.has_value() == b.has_value() && (!a || (a->threshold == b->threshold && a->factor == b->factor));
}

void check_equal(const PlanSpec& a, const PlanSpec& b) {
  check(a.name == b.name && a.effective_from == b.effective_from && a.effective_until == b.effective_until,
        "plan name and dates");
  check(same_optional(a.cap, b.cap) && a.draw.amount == b.draw.amount && a.draw.recoverable == b.draw.recoverable,
        "plan cap and draw");
  check(a.components.size() == b.components.size(), "number of components");
  for (size_t i = 0; i < a.components.size(); ++i) {
    const ComponentSpec &x = a.components[i], &y = b.components[i];
    check(x.name == y.name && x.kind == y.kind && x.method == y.method && x.kpi == y.kpi && same_optional(x.cap, y.cap),
          "component fields");
    check(x.tiers.size() == y.tiers.size(), "number of tiers");
    for (size_t t = 0; t < x.tiers.size(); ++t)
      check(x.tiers[t].from == y.tiers[t].from && x.tiers[t].rate == y.tiers[t].rate, "tier");
    check(same_multiplier(x.accelerator, y.accelerator) && same_multiplier(x.decelerator, y.decelerator), "multipliers");
    check(x.steps.size() == y.steps.size(), "number of bonus steps");
    for (size_t s = 0; s < x.steps.size(); ++s)
      check(x.steps[s].score == y.steps[s].score && x.steps[s].amount == y.steps[s].amount, "bonus step");
  }
}

Date D(const char* s) { return date_from_string(s); }

// The fixed sales force. Person 0 manages 1 and 2 (roll-up on); 2 is hired on 2026-02-16.
struct Force {
  std::vector<int32_t> manager{-1, 0, 0};
  std::vector<Date> hired{D("2025-01-01"), D("2025-06-01"), D("2026-02-16")};
  std::vector<int32_t> seller{1, 1, 2, 2, 1, 0};
  std::vector<Date> date{D("2026-01-05"), D("2026-01-20"), D("2026-02-20"), D("2026-03-02"), D("2026-03-31"),
                         D("2026-02-10")};
  std::vector<int64_t> amount{1'250'000, 9'999'999'999, 430'000, 77, 8'000'000, 120'000};
  std::vector<int64_t> split_sale{3, 3};  // sale 3 shared by 1 and 2
  std::vector<int32_t> split_person{1, 2};
  std::vector<double> split_share{0.25, 0.75};
  std::vector<int32_t> quota_person{0, 1, 1, 2};
  std::vector<Date> quota_from{D("2026-01-01"), D("2026-01-01"), D("2026-02-15"), D("2026-02-16")};
  std::vector<int64_t> quota_amount{5'000'000, 2'000'000, 3'500'000, 1'000'000};
  std::vector<std::string> kpi_names;
  std::vector<int32_t> score_person, score_kpi;
  std::vector<Date> score_date;
  std::vector<double> score_value;
  std::vector<int32_t> adjust_person{2};
  std::vector<Date> adjust_date{D("2026-03-15")};
  std::vector<int64_t> adjust_amount{-5'000};
  std::vector<std::string> adjust_reason{"late CRM entries"};
  std::vector<int64_t> clawback_sale{0};
  std::vector<Date> clawback_date{D("2026-03-10")};
  std::vector<int64_t> clawback_amount{250'000};

  explicit Force(const PlanSpec& plan) {
    // Scores for every KPI a bonus of the plan reads: low, middle and high across the people.
    for (const ComponentSpec& c : plan.components)
      if (c.kind == ComponentKind::bonus && std::find(kpi_names.begin(), kpi_names.end(), c.kpi) == kpi_names.end())
        kpi_names.push_back(c.kpi);
    const double values[] = {0, 55.5, 100, 1e300};
    for (size_t k = 0; k < kpi_names.size(); ++k)
      for (int32_t p = 0; p < 3; ++p)
        for (const char* month : {"2026-01-15", "2026-02-15", "2026-03-15"}) {
          score_person.push_back(p);
          score_kpi.push_back(static_cast<int32_t>(k));
          score_date.push_back(D(month));
          score_value.push_back(values[(k + static_cast<size_t>(p) + score_date.size()) % 4]);
        }
  }
  PayoutInput input() const {
    PayoutInput in;
    in.people = 3;
    in.manager = manager;
    in.rollup = true;
    in.hired = hired;
    in.sales = {seller, date, amount, split_sale, split_person, split_share};
    in.quota_person = quota_person;
    in.quota_from = quota_from;
    in.quota_amount = quota_amount;
    in.kpi_names = kpi_names;
    in.score_person = score_person;
    in.score_date = score_date;
    in.score_kpi = score_kpi;
    in.score_value = score_value;
    in.adjust_person = adjust_person;
    in.adjust_date = adjust_date;
    in.adjust_amount = adjust_amount;
    in.adjust_reason = adjust_reason;
    in.clawback_sale = clawback_sale;
    in.clawback_date = clawback_date;
    in.clawback_amount = clawback_amount;
    return in;
  }
};

// Runs the plan over Q1; on success checks every statement and returns true.
bool pay(const Plan& plan, const Force& force, PayoutResult& r) {
  static const Calendar calendar;  // Monday to Friday, no holidays
  try {
    r = run_payouts(plan, calendar, force.input(), PayoutOptions{.start = D("2026-01-01"), .end = D("2026-04-01")});
  } catch (const error&) {
    return false;  // refused with a quotaflow error (overflow, no score for a bonus KPI...): fine
  }
  check(r.periods.size() == 3 && r.people == 3 && r.cells.size() == 9, "three people times three months");
  for (const Statement& s : r.cells) {
    check(s.first_line + s.line_count <= r.lines.size(), "statement lines inside the result");
    __int128 sum = 0, clawback = 0;
    for (uint64_t k = s.first_line; k < s.first_line + s.line_count; ++k) {
      sum += r.lines[k].amount;
      if (r.lines[k].kind == LineKind::clawback) clawback += r.lines[k].amount;
    }
    check(sum == s.payout, "statement lines sum to the payout");
    check(clawback == s.clawback, "clawback lines sum to the clawback");
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto read = [](std::string_view t, std::string_view source) { return plan_from_json(t, source); };
  const auto rt = qf_fuzz::round_trip<Plan>(text, read, [](const Plan& p) { return plan_to_json(p); });
  if (!rt) return 0;
  const Plan *plan = &rt->first, *back = &rt->back;
  check_equal(plan->spec(), back->spec());

  const Force force(plan->spec());
  PayoutResult first, again;
  const bool paid = pay(*plan, force, first);
  check(pay(*back, force, again) == paid, "the re-read plan pays or fails alike");
  if (paid) {
    for (size_t i = 0; i < first.cells.size(); ++i)
      check(first.cells[i].payout == again.cells[i].payout, "the re-read plan pays the same");
  }
  return 0;
}
