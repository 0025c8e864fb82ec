// C ABI: KPI scorecards (cards from JSON, scoring over columns, result handles with reasons).
#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "guard.hpp"
#include "quotaflow/incentive/scorecard.hpp"
#include "quotaflow/incentive/scorecard_json.hpp"

using namespace quotaflow;
using namespace quotaflow::capi;

struct qf_scorecard {
  std::shared_ptr<const incentive::Scorecard> card;
};

struct qf_scorecard_result {
  // The card is shared so that reasons can be written after the card's handle is destroyed.
  std::shared_ptr<const incentive::Scorecard> card;
  incentive::ScoreResult r;
};

namespace {

const incentive::Scorecard& card_of(const qf_scorecard* c) {
  require(c, "card");
  return *c->card;
}

const qf_scorecard_result& result_of(const qf_scorecard_result* r) {
  require(r, "result");
  return *r;
}

void publish(qf_scorecard** out, incentive::Scorecard card) {
  *out = new qf_scorecard{std::make_shared<const incentive::Scorecard>(std::move(card))};
}

const incentive::Kpi& kpi_at(const qf_scorecard* card, size_t kpi) {
  const auto& c = card_of(card);
  if (kpi >= c.size()) fail(errc::out_of_range, "kpi is ", kpi, "; the card has ", c.size(), " KPIs");
  return c.kpi(kpi);
}

template <class T, class F>
void fill_lines(T* out, size_t n, F&& value_of) {
  if (out == nullptr) return;
  for (size_t i = 0; i < n; ++i) out[i] = value_of(i);
}

}  // namespace

extern "C" {

QF_API qf_status qf_scorecard_from_json(qf_scorecard** out, const char* text, size_t length) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require_column(text, length, "text");
    publish(out, incentive::scorecard_from_json(std::string_view(text ? text : "", length)));
  });
}

QF_API qf_status qf_scorecard_load(qf_scorecard** out, const char* path) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    require(path, "path");
    publish(out, incentive::load_scorecard(path));
  });
}

QF_API void qf_scorecard_destroy(qf_scorecard* card) { delete card; }

QF_API qf_status qf_scorecard_to_json(const qf_scorecard* card, char* buf, size_t capacity, size_t* needed) {
  return guard([&] { write_string(incentive::to_json(card_of(card).definition()), buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_scorecard_size(const qf_scorecard* card, size_t* n_kpis) {
  return guard([&] {
    const auto& c = card_of(card);
    require(n_kpis, "n_kpis");
    *n_kpis = c.size();
  });
}

QF_API qf_status qf_scorecard_kpi_name(const qf_scorecard* card, size_t kpi, char* buf, size_t capacity, size_t* needed) {
  return guard([&] { write_string(kpi_at(card, kpi).name, buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_scorecard_kpi_measure(const qf_scorecard* card, size_t kpi, char* buf, size_t capacity,
                                          size_t* needed) {
  return guard([&] { write_string(kpi_at(card, kpi).measure, buf, capacity, needed, "buf"); });
}

QF_API qf_status qf_scorecard_score(qf_scorecard_result** out, const qf_scorecard* card, const char* const* names,
                                    const double* const* columns, size_t n_columns, size_t n_rows) {
  return guard([&] {
    require(out, "out");
    *out = nullptr;
    const auto& c = card_of(card);
    require_column(names, n_columns, "names");
    require_column(columns, n_columns, "columns");
    std::vector<incentive::InputColumn> cols(n_columns);
    for (size_t i = 0; i < n_columns; ++i) {
      if (names[i] == nullptr) fail(errc::null_pointer, "names[", i, "] is NULL");
      if (columns[i] == nullptr && n_rows != 0) fail(errc::null_pointer, "columns[", i, "] (", names[i], ") is NULL but n_rows is ", n_rows);
      cols[i] = {names[i], {columns[i], n_rows}};
    }
    auto res = std::make_unique<qf_scorecard_result>();
    res->card = card->card;
    res->r = c.score(cols);
    *out = res.release();
  });
}

QF_API void qf_scorecard_result_destroy(qf_scorecard_result* result) { delete result; }

QF_API qf_status qf_scorecard_result_size(const qf_scorecard_result* result, size_t* n_rows, size_t* n_kpis) {
  return guard([&] {
    const auto& r = result_of(result).r;
    if (n_rows != nullptr) *n_rows = r.rows;
    if (n_kpis != nullptr) *n_kpis = r.kpis;
  });
}

QF_API qf_status qf_scorecard_result_totals(const qf_scorecard_result* result, double* out, size_t n) {
  return guard([&] {
    const auto& r = result_of(result).r;
    require_column(out, n, "out");
    if (n != r.rows) fail(errc::invalid_argument, "n is ", n, "; the result has ", r.rows, " rows");
    std::copy(r.total.begin(), r.total.end(), out);
  });
}

QF_API qf_status qf_scorecard_result_lines(const qf_scorecard_result* result, double* value, double* points,
                                           double* factor, double* weighted, int32_t* gated, size_t n) {
  return guard([&] {
    const auto& r = result_of(result).r;
    const size_t lines = r.rows * r.kpis;
    if (n != lines)
      fail(errc::invalid_argument, "n is ", n, "; the result has ", r.rows, " rows x ", r.kpis, " KPIs = ", lines, " lines");
    fill_lines(value, n, [&](size_t i) { return r.value[i]; });
    fill_lines(points, n, [&](size_t i) { return r.points[i]; });
    fill_lines(factor, n, [&](size_t i) { return r.factor[i]; });
    fill_lines(weighted, n, [&](size_t i) { return r.weighted[i]; });
    fill_lines(gated, n, [&](size_t i) { return static_cast<int32_t>(r.gate_failed[i]); });
  });
}

QF_API qf_status qf_scorecard_result_reason(const qf_scorecard_result* result, size_t row, size_t kpi, char* buf,
                                            size_t capacity, size_t* needed) {
  return guard([&] {
    const auto& res = result_of(result);
    write_string(res.card->reason(res.r, row, kpi), buf, capacity, needed, "buf");
  });
}

}  // extern "C"
