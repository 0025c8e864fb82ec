// C ABI: incentive plans (JSON in and out) and payout runs over columns.
#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "calendar_handle.hpp"
#include "quotaflow/incentive/payout.hpp"
#include "quotaflow/incentive/plan_json.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;
using namespace quotaflow::incentive;

struct qf_plan {
  Plan plan;
};

struct qf_payout {
  PayoutResult r;
};

namespace {

const qf_payout& payout_of(const qf_payout* p) {
  require(p, "payout");
  return *p;
}

template <class T>
gsl::span<const T> column(const T* p, size_t n, const char* name) {
  require_column(p, n, name);
  return p == nullptr ? gsl::span<const T>{} : gsl::span<const T>{p, n};
}

std::vector<std::string> strings(const char* const* p, size_t n, const char* name) {
  require_column(p, n, name);
  std::vector<std::string> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    if (p[i] == nullptr) fail(errc::null_pointer, name, "[", i, "] is NULL");
    out.emplace_back(p[i]);
  }
  return out;
}

void check_n(size_t n, size_t want, const char* what) {
  if (n != want) fail(errc::invalid_argument, "n is ", n, "; the result has ", want, " ", what);
}

}  // namespace

extern "C" {

QF_API qf_status qf_plan_create_json(qf_plan** out, const char* json, size_t length, const char* source) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(json, length, "json");
    const std::string_view text = json == nullptr ? std::string_view{} : std::string_view{json, length};
    *out = new qf_plan{plan_from_json(text, source == nullptr ? "plan JSON" : source)};
  });
}

QF_API void qf_plan_destroy(qf_plan* plan) { delete plan; }

QF_API qf_status qf_plan_to_json(const qf_plan* plan, char* buf, size_t capacity, size_t* needed) {
  return guard([&] {
    require(plan, "plan");
    write_string(plan_to_json(plan->plan), buf, capacity, needed, "buf");
  });
}

QF_API const char* qf_line_kind_name(int32_t kind) {
  if (kind < 0 || kind > static_cast<int32_t>(LineKind::draw_recovery)) return "unknown";
  return line_kind_names[kind].data();  // the names are string literals, so NUL-terminated
}

QF_API qf_status qf_payout_run(qf_payout** out, const qf_plan* const* plans, size_t n_plans, const qf_calendar* calendar,
                               const qf_payout_input* input, const qf_payout_options* options) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const Calendar& cal = calendar_of(calendar);
    require(input, "input");
    require(options, "options");
    if (input->version != QF_PAYOUT_INPUT_VERSION)
      fail(errc::invalid_argument, "input->version is ", input->version, "; expected ", QF_PAYOUT_INPUT_VERSION);
    if (options->version != QF_PAYOUT_OPTIONS_VERSION)
      fail(errc::invalid_argument, "options->version is ", options->version, "; expected ", QF_PAYOUT_OPTIONS_VERSION);
    require_column(plans, n_plans, "plans");
    std::vector<const Plan*> ps(n_plans);
    for (size_t i = 0; i < n_plans; ++i) {
      if (plans[i] == nullptr) fail(errc::null_pointer, "plans[", i, "] is NULL");
      ps[i] = &plans[i]->plan;
    }
    const qf_payout_input& c = *input;
    const size_t N = c.n_people;
    PayoutInput in;
    in.people = N;
    in.manager = c.manager == nullptr ? gsl::span<const int32_t>{} : gsl::span<const int32_t>{c.manager, N};
    in.rollup = c.rollup != 0;
    in.hired = c.hired == nullptr ? gsl::span<const Date>{} : gsl::span<const Date>{c.hired, N};
    in.left = c.left == nullptr ? gsl::span<const Date>{} : gsl::span<const Date>{c.left, N};
    in.sales.seller = column(c.sale_seller, c.n_sales, "sale_seller");
    in.sales.date = column(c.sale_date, c.n_sales, "sale_date");
    in.sales.amount = column(c.sale_amount, c.n_sales, "sale_amount");
    in.sales.split_sale = column(c.split_sale, c.n_splits, "split_sale");
    in.sales.split_person = column(c.split_person, c.n_splits, "split_person");
    in.sales.split_share = column(c.split_share, c.n_splits, "split_share");
    in.quota_person = column(c.quota_person, c.n_quotas, "quota_person");
    in.quota_from = column(c.quota_from, c.n_quotas, "quota_from");
    in.quota_amount = column(c.quota_amount, c.n_quotas, "quota_amount");
    in.assign_person = column(c.assign_person, c.n_assignments, "assign_person");
    in.assign_from = column(c.assign_from, c.n_assignments, "assign_from");
    in.assign_plan = column(c.assign_plan, c.n_assignments, "assign_plan");
    const std::vector<std::string> kpis = strings(c.kpi_names, c.n_kpis, "kpi_names");
    in.kpi_names = kpis;
    in.score_person = column(c.score_person, c.n_scores, "score_person");
    in.score_date = column(c.score_date, c.n_scores, "score_date");
    in.score_kpi = column(c.score_kpi, c.n_scores, "score_kpi");
    in.score_value = column(c.score_value, c.n_scores, "score_value");
    in.adjust_person = column(c.adjust_person, c.n_adjustments, "adjust_person");
    in.adjust_date = column(c.adjust_date, c.n_adjustments, "adjust_date");
    in.adjust_amount = column(c.adjust_amount, c.n_adjustments, "adjust_amount");
    const std::vector<std::string> reasons = strings(c.adjust_reason, c.n_adjustments, "adjust_reason");
    in.adjust_reason = reasons;
    in.clawback_sale = column(c.clawback_sale, c.n_clawbacks, "clawback_sale");
    in.clawback_date = column(c.clawback_date, c.n_clawbacks, "clawback_date");
    in.clawback_amount = column(c.clawback_amount, c.n_clawbacks, "clawback_amount");
    PayoutOptions opt;
    opt.start = options->start;
    opt.end = options->end;
    opt.grain = check_grain(options->grain);
    opt.lines_from = options->lines_from;
    opt.lines_until = options->lines_until;
    auto result = std::make_unique<qf_payout>();
    result->r = run_payouts(ps, cal, in, opt);
    *out = result.release();
  });
}

QF_API void qf_payout_destroy(qf_payout* payout) { delete payout; }

QF_API qf_status qf_payout_size(const qf_payout* payout, size_t* n_people, size_t* n_periods, size_t* n_lines) {
  return guard([&] {
    const PayoutResult& r = payout_of(payout).r;
    if (n_people != nullptr) *n_people = r.people;
    if (n_periods != nullptr) *n_periods = r.periods.size();
    if (n_lines != nullptr) *n_lines = r.lines.size();
  });
}

QF_API qf_status qf_payout_period(const qf_payout* payout, size_t i, int32_t* start, int32_t* end, int32_t* working_days) {
  return guard([&] {
    const PayoutResult& r = payout_of(payout).r;
    if (i >= r.periods.size()) fail(errc::out_of_range, "i is ", i, "; the run has ", r.periods.size(), " periods");
    if (start != nullptr) *start = r.periods[i].start;
    if (end != nullptr) *end = r.periods[i].end;
    if (working_days != nullptr) *working_days = r.periods[i].working_days;
  });
}

QF_API qf_status qf_payout_cells(const qf_payout* payout, int64_t* credit, int64_t* quota, int64_t* earnings,
                                 int64_t* clawback, int64_t* draw_balance, int64_t* payout_amount, double* attainment,
                                 double* ytd_attainment, uint64_t* first_line, uint32_t* line_count, size_t n) {
  return guard([&] {
    const PayoutResult& r = payout_of(payout).r;
    check_n(n, r.cells.size(), "cells");
    for (size_t k = 0; k < n; ++k) {
      const Statement& s = r.cells[k];
      if (credit) credit[k] = s.credit;
      if (quota) quota[k] = s.quota;
      if (earnings) earnings[k] = s.earnings;
      if (clawback) clawback[k] = s.clawback;
      if (draw_balance) draw_balance[k] = s.draw_balance;
      if (payout_amount) payout_amount[k] = s.payout;
      if (attainment) attainment[k] = s.attainment;
      if (ytd_attainment) ytd_attainment[k] = s.ytd_attainment;
      if (first_line) first_line[k] = s.first_line;
      if (line_count) line_count[k] = s.line_count;
    }
  });
}

QF_API qf_status qf_payout_lines(const qf_payout* payout, int32_t* person, int32_t* period, int32_t* kind, int32_t* ref,
                                 int32_t* component, int32_t* tier, int64_t* base, int64_t* rate, int64_t* amount,
                                 size_t n) {
  return guard([&] {
    const PayoutResult& r = payout_of(payout).r;
    check_n(n, r.lines.size(), "lines");
    for (const Statement& s : r.cells)
      for (uint64_t k = s.first_line; k < s.first_line + s.line_count; ++k) {
        const Line& l = r.lines[k];
        if (person) person[k] = s.person;
        if (period) period[k] = s.period;
        if (kind) kind[k] = static_cast<int32_t>(l.kind);
        if (ref) ref[k] = l.ref;
        if (component) component[k] = l.component;
        if (tier) tier[k] = l.tier;
        if (base) base[k] = l.base;
        if (rate) rate[k] = l.rate;
        if (amount) amount[k] = l.amount;
      }
  });
}

}  // extern "C"
