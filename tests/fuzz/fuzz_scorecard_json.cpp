// Fuzzes the scorecard JSON reader (schema quotaflow.scorecard/1). Whatever it accepts must
// survive a round trip: to_json, read again, gives an equal definition (measures, KPIs, curves,
// gates; a KPI without a name is written under its measure's name) and the same bytes when
// written again (the writer is canonical). Then the card scores a small fixed table (every column
// it reads, values from 1 to far above target, so no denominator is 0): each row's total
// is the sum of its weighted lines in KPI order, each weighted line is weight / 100 x points x
// factor, every factor is in [0, 1], a reason can be made for every line, and the re-read card
// scores the same. Malformed input must be a quotaflow error, never a crash.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_util.hpp"
#include "quotaflow/incentive/scorecard_json.hpp"

namespace {

using namespace quotaflow;
using namespace quotaflow::incentive;

using qf_fuzz::check;

// Equal, or both NaN (a gate's unset `below`).
bool same(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

void check_equal(const Curve& a, const Curve& b) {
  check(a.kind == b.kind, "curve kind");
  if (a.kind == CurveKind::linear)
    check(same(a.threshold, b.threshold) && same(a.target, b.target) && same(a.cap, b.cap) &&
              same(a.threshold_points, b.threshold_points),
          "linear curve");
  check(a.points.size() == b.points.size() && a.steps.size() == b.steps.size(), "curve sizes");
  for (size_t i = 0; i < a.points.size(); ++i)
    check(same(a.points[i].at, b.points[i].at) && same(a.points[i].points, b.points[i].points), "curve point");
  for (size_t i = 0; i < a.steps.size(); ++i)
    check(same(a.steps[i].from, b.steps[i].from) && same(a.steps[i].to, b.steps[i].to) &&
              same(a.steps[i].points, b.steps[i].points),
          "curve step");
}

void check_equal(const ScorecardDef& a, const ScorecardDef& b) {
  check(a.name == b.name, "card name");
  check(a.measures.size() == b.measures.size(), "number of measures");
  for (size_t i = 0; i < a.measures.size(); ++i) {
    const Measure &x = a.measures[i], &y = b.measures[i];
    check(x.name == y.name && x.label == y.label && x.unit == y.unit && x.numerator == y.numerator &&
              x.denominator == y.denominator,
          "measure");
  }
  check(a.kpis.size() == b.kpis.size(), "number of KPIs");
  for (size_t i = 0; i < a.kpis.size(); ++i) {
    const Kpi &x = a.kpis[i], &y = b.kpis[i];
    check((x.name.empty() ? x.measure : x.name) == y.name && x.measure == y.measure && same(x.weight, y.weight),
          "KPI fields");
    check(x.curve.has_value() == y.curve.has_value(), "KPI curve present");
    if (x.curve) check_equal(*x.curve, *y.curve);
    check(x.gate.has_value() == y.gate.has_value(), "KPI gate present");
    if (x.gate)
      check(same(x.gate->below, y.gate->below) && same(x.gate->scale, y.gate->scale) &&
                x.gate->applies_to == y.gate->applies_to,
            "gate");
  }
}

// Every column the card reads, with the same rows: values from 1 to far above any target.
struct Table {
  std::vector<std::string> names;
  std::vector<std::vector<double>> values;
  explicit Table(const Scorecard& card) : names(card.input_names()) {
    static const double rows[] = {0.0, 0.35, 0.8, 1.0, 1.25, 7.0, 1e12};
    for (size_t c = 0; c < names.size(); ++c) {
      std::vector<double> v;
      for (size_t r = 0; r < std::size(rows); ++r) v.push_back(rows[(r + c) % std::size(rows)] + 1.0);
      values.push_back(std::move(v));
    }
  }
  std::vector<InputColumn> columns() const {
    std::vector<InputColumn> out;
    for (size_t c = 0; c < names.size(); ++c) out.push_back({names[c], values[c]});
    return out;
  }
};

// Scores the table; on success checks the arithmetic of every row and returns the result.
std::optional<ScoreResult> score(const Scorecard& card, const Table& t) {
  ScoreResult r;
  try {
    r = card.score(t.columns());
  } catch (const error&) {
    return std::nullopt;  // e.g. a curve value that is not finite for these rows: a quotaflow error
  }
  check(r.kpis == card.size() && r.total.size() == r.rows && r.weighted.size() == r.rows * r.kpis, "result shape");
  for (size_t row = 0; row < r.rows; ++row) {
    double total = 0;
    for (size_t k = 0; k < r.kpis; ++k) {
      const size_t l = r.line(row, k);
      check(r.factor[l] >= 0 && r.factor[l] <= 1, "gate factors are in [0, 1]");
      check(same(r.weighted[l], card.kpi(k).weight / 100 * r.points[l] * r.factor[l]),
            "weighted = weight / 100 x points x factor");
      total += r.weighted[l];
      check(!card.reason(r, row, k).empty(), "every line has a reason");
    }
    check(same(r.total[row], total), "the total is the sum of the weighted lines in KPI order");
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto read = [](std::string_view t, std::string_view source) { return scorecard_from_json(t, source); };
  const auto rt = qf_fuzz::round_trip<Scorecard>(text, read, [](const Scorecard& c) { return to_json(c.definition()); });
  if (!rt) return 0;
  const Scorecard *card = &rt->first, *back = &rt->back;
  check_equal(card->definition(), back->definition());

  const Table table(*card);
  const std::optional<ScoreResult> a = score(*card, table), b = score(*back, table);
  check(a.has_value() == b.has_value(), "the re-read card scores or fails alike");
  if (a) {
    for (size_t row = 0; row < a->rows; ++row) check(same(a->total[row], b->total[row]), "the re-read card scores the same");
  }
  return 0;
}
