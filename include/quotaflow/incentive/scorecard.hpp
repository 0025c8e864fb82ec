// KPI scorecards: score people per period on weighted KPIs, with gates, and say why.
//
//   ScorecardDef d;
//   d.kpis.push_back({"attainment", "attainment", 60, Curve::linear(0.8, 1.0, 150), {}});
//   d.kpis.push_back({"margin_rate", "margin_rate", 40, Curve::piecewise({{0.2, 50}, {0.3, 100}}), {}});
//   d.kpis.push_back({"collection_rate", "collection_rate", 0, {}, Gate{0.8, 0, {}}});
//   Scorecard card(d);                                   // validates; throws on a bad card
//   auto r = card.score({{"actual", actual}, {"target", target}, {"margin_rate", margin},
//                        {"collection_rate", collected}});
//   r.total[row]; r.points[r.line(row, 0)]; card.reason(r, row, 2);
//   // "collection rate 72% is below the gate of 80%: bonus withheld"
//
// Measures. A KPI scores one named measure. The built-in ones are rates (shown as percentages in
// reasons) except new_outlets (a count); each can be given directly as a column of its own name
// or, for the rates, computed per row from two columns:
//   attainment          = actual / target
//   margin_rate         = margin / revenue
//   collection_rate     = collected / billed
//   conformance_rate    = conforming_cases / cases
//   activity_compliance = activities_done / activities_required
//   new_outlets         (a column of that name)
// The column named after the measure wins when both are given. A zero denominator is an error
// naming the row (a ratio of nothing is not a score). Any other measure must be declared in the
// card (ScorecardDef::measures: name, label, unit rate or number, optionally a numerator and a
// denominator column) and is read from the column of its name. Columns the card does not use are
// ignored; every given column must have the same length, and row i of the result is row i of the
// columns (person and period stay with the caller: rows are scored independently).
//
// Scoring, per row and KPI k with weight w_k (percent; the card's weights sum to 100):
//   value_k    the measure's value (finite, else an error naming the column and row)
//   points_k   the KPI's curve at value_k (curve.hpp); a KPI of weight 0 may have no curve (a
//              pure gate) and then scores 0 points
//   factor_k   1, times the gate's `scale` for every failed gate that applies to k: a gate on KPI
//              g fails when value_g < gate.below and applies to the KPIs it names, or to all of
//              them when it names none (scale 0 withholds, 0.5 halves)
//   weighted_k = w_k / 100 x points_k x factor_k;   total = the sum of weighted_k in KPI order
// Points are doubles: a score is not money, and nothing is rounded in the numbers. Only the reason
// strings round, for display: rates as percentages with at most one decimal, other values and
// points with at most two, halves away from zero, trailing zeros dropped ("72.5%", "87.5 points").
//
// Reasons (Scorecard::reason, made on demand, not stored):
//   "collection rate 72% is below the gate of 80%: bonus withheld"          (gate on everything, 0)
//   "collection rate 72% is below the gate of 80%: score scaled to 50%"     (gate on everything)
//   "new outlets 1 is below the gate of 2: margin rate withheld"            (gate on named KPIs)
//   "attainment 75% is below the threshold of 80%: 0 points"
//   "attainment 130% scores 150 points (capped)"
//   "margin rate 25% scores 75 points"
//   and, when another KPI's failed gate applies: "...; withheld by the collection rate gate" or
//   "...; scaled to 50% by the collection rate gate".
//
// Output order is deterministic: rows in input order, KPIs in card order, lines row-major.
// Thread rule: a Scorecard is immutable; score() may run concurrently on one card.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"
#include "quotaflow/incentive/curve.hpp"

namespace quotaflow::incentive {

enum class MeasureUnit : uint8_t { rate = 0, number = 1 };

inline constexpr std::string_view measure_unit_name(MeasureUnit u) noexcept { return u == MeasureUnit::rate ? "rate" : "number"; }

struct Measure {
  std::string name;         // column name and the name KPIs refer to
  std::string label;        // shown in reasons; empty: the name with '_' as spaces
  MeasureUnit unit = MeasureUnit::number;
  std::string numerator;    // optional: value = numerator / denominator columns when the
  std::string denominator;  // measure's own column is absent (both or neither)
};

// The six built-in measures, in this order.
inline const std::vector<Measure>& builtin_measures() {
  static const std::vector<Measure> m = {
      {"attainment", "attainment", MeasureUnit::rate, "actual", "target"},
      {"margin_rate", "margin rate", MeasureUnit::rate, "margin", "revenue"},
      {"collection_rate", "collection rate", MeasureUnit::rate, "collected", "billed"},
      {"new_outlets", "new outlets", MeasureUnit::number, "", ""},
      {"conformance_rate", "conformance rate", MeasureUnit::rate, "conforming_cases", "cases"},
      {"activity_compliance", "activity compliance", MeasureUnit::rate, "activities_done", "activities_required"},
  };
  return m;
}

struct Gate {
  double below = std::numeric_limits<double>::quiet_NaN();  // the gate fails when value < below
  double scale = 0;                                         // factor on what it applies to, in [0, 1)
  std::vector<std::string> applies_to;                      // KPI names; empty: the whole score
};

struct Kpi {
  std::string name;             // unique in the card; empty: the measure's name
  std::string measure;
  double weight = 0;            // percent
  std::optional<Curve> curve;   // required unless weight is 0
  std::optional<Gate> gate;
};

struct ScorecardDef {
  std::string name;
  std::vector<Measure> measures;  // user-declared measures
  std::vector<Kpi> kpis;
};

// One input column: a name and a value per row.
struct InputColumn {
  std::string_view name;
  gsl::span<const double> values;
};

struct ScoreResult {
  size_t rows = 0, kpis = 0;
  std::vector<double> total;                  // per row
  std::vector<double> value, points, factor;  // per line (rows x kpis, row-major)
  std::vector<double> weighted;               // per line: weight / 100 x points x factor
  std::vector<uint8_t> gate_failed;           // per line: 1 when the KPI's own gate failed

  [[nodiscard]] size_t line(size_t row, size_t kpi) const noexcept { return row * kpis + kpi; }
};

// Receives one problem in a definition: `path` such as "kpis[2].curve.points[1].points" and a
// clause `what` that follows it. It must not return normally.
using DefinitionProblem = std::function<void(const std::string& path, const std::string& what)>;

namespace detail {

inline constexpr double weight_tolerance = 1e-9;  // |sum of weights - 100| allowed (decimal weights)

// v rounded to `decimals` places, halves away from zero, trailing zeros dropped ("72.5", "3").
inline std::string fixed(double v, int decimals) {
  if (!(std::fabs(v) < 1e15)) return num(v);  // beyond fixed notation's use: shortest form ("1e+300")
  const double scale = std::pow(10.0, decimals);
  double r = std::round(v * scale) / scale;
  if (r == 0) r = 0;  // no "-0"
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, r);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

inline std::string display(double v, MeasureUnit u) { return u == MeasureUnit::rate ? fixed(v * 100, 1) + "%" : fixed(v, 2); }

inline std::string default_label(std::string_view name) {
  std::string s(name);
  for (char& c : s)
    if (c == '_') c = ' ';
  return s;
}

inline const char* nonfinite_word(double v) { return std::isnan(v) ? "NaN" : v > 0 ? "inf" : "-inf"; }

}  // namespace detail

// Reports the first problem of a definition: no KPIs, unknown or duplicate names, weights that
// are negative or do not sum to 100, a curve missing or not valid (check_curve), a gate that is
// not finite, a scale outside [0, 1), gate components that are not KPIs of the card.
inline void check_scorecard(const ScorecardDef& d, const DefinitionProblem& bad) {
  using incentive::detail::num;
  const auto& builtin = builtin_measures();
  auto is_builtin = [&](std::string_view n) {
    for (const auto& m : builtin)
      if (m.name == n) return true;
    return false;
  };
  for (size_t i = 0; i < d.measures.size(); ++i) {
    const Measure& m = d.measures[i];
    const std::string p = "measures[" + std::to_string(i) + "]";
    if (m.name.empty()) bad(p + ".name", "is empty");
    if (is_builtin(m.name)) bad(p + ".name", "is \"" + m.name + "\", a built-in measure; declare only your own measures");
    for (size_t j = 0; j < i; ++j)
      if (d.measures[j].name == m.name) bad(p + ".name", "is \"" + m.name + "\", already declared by measures[" + std::to_string(j) + "]");
    if (m.numerator.empty() != m.denominator.empty())
      bad(p + (m.numerator.empty() ? ".numerator" : ".denominator"), "is missing; give both numerator and denominator, or neither");
  }
  if (d.kpis.empty()) bad("kpis", "is empty; a scorecard needs at least one KPI");
  double sum = 0;
  auto kpi_name = [](const Kpi& k) -> const std::string& { return k.name.empty() ? k.measure : k.name; };
  for (size_t i = 0; i < d.kpis.size(); ++i) {
    const Kpi& k = d.kpis[i];
    const std::string p = "kpis[" + std::to_string(i) + "]";
    bool known = is_builtin(k.measure);
    for (const auto& m : d.measures) known = known || m.name == k.measure;
    if (!known) {
      std::string list;
      for (const auto& m : builtin) list += (list.empty() ? "" : ", ") + m.name;
      for (const auto& m : d.measures) list += ", " + m.name;
      bad(p + ".measure", "is \"" + k.measure + "\", an unknown measure; known measures: " + list +
                              " (declare your own under \"measures\")");
    }
    for (size_t j = 0; j < i; ++j)
      if (kpi_name(d.kpis[j]) == kpi_name(k))
        bad(p + ".name", "is \"" + kpi_name(k) + "\", already the name of kpis[" + std::to_string(j) + "]; KPI names must be unique");
    if (!std::isfinite(k.weight) || k.weight < 0) bad(p + ".weight", "is " + num(k.weight) + "; a weight must be a finite percentage >= 0");
    sum += k.weight;
    if (k.curve) {
      check_curve(*k.curve, [&](const std::string& path, const std::string& what) { bad(p + ".curve." + path, what); });
    } else if (k.weight != 0) {
      bad(p + ".curve", "is missing; a KPI with a weight needs a scoring curve");
    }
    if (k.gate) {
      const Gate& g = *k.gate;
      if (!std::isfinite(g.below)) bad(p + ".gate.below", "is " + num(g.below) + "; it must be a finite number");
      if (!(g.scale >= 0 && g.scale < 1)) bad(p + ".gate.scale", "is " + num(g.scale) + "; it must be within [0, 1)");
      for (size_t a = 0; a < g.applies_to.size(); ++a) {
        const std::string ap = p + ".gate.applies_to[" + std::to_string(a) + "]";
        bool found = false;
        for (const auto& other : d.kpis) found = found || kpi_name(other) == g.applies_to[a];
        if (!found) bad(ap, "is \"" + g.applies_to[a] + "\", not the name of a KPI of this card");
        for (size_t b = 0; b < a; ++b)
          if (g.applies_to[b] == g.applies_to[a]) bad(ap, "is \"" + g.applies_to[a] + "\", listed twice");
      }
    }
  }
  if (std::fabs(sum - 100) > detail::weight_tolerance)
    bad("kpis", "has weights that sum to " + num(sum) + "%; they must sum to 100%");
}

class Scorecard {
 public:
  // Validates the definition: errc::invalid_argument "scorecard kpis[1].weight is -5; ...".
  explicit Scorecard(ScorecardDef def) : def_(std::move(def)) {
    check_scorecard(def_, [](const std::string& path, const std::string& what) {
      fail(errc::invalid_argument, "scorecard ", path, " ", what);
    });
    const size_t K = def_.kpis.size();
    for (auto& k : def_.kpis)
      if (k.name.empty()) k.name = k.measure;
    measure_.resize(K);
    applies_.assign(K * K, 0);
    for (size_t k = 0; k < K; ++k) {
      const Kpi& kpi = def_.kpis[k];
      for (const auto& m : builtin_measures())
        if (m.name == kpi.measure) measure_[k] = m;
      for (const auto& m : def_.measures)
        if (m.name == kpi.measure) measure_[k] = m;
      if (measure_[k].label.empty()) measure_[k].label = detail::default_label(measure_[k].name);
      if (kpi.gate) {
        if (kpi.gate->applies_to.empty()) {
          for (size_t j = 0; j < K; ++j) applies_[k * K + j] = 1;
        } else {
          for (const auto& n : kpi.gate->applies_to) applies_[k * K + index_of(n)] = 1;
        }
        gated_.push_back(k);
      }
    }
  }

  [[nodiscard]] const ScorecardDef& definition() const noexcept { return def_; }
  [[nodiscard]] size_t size() const noexcept { return def_.kpis.size(); }
  [[nodiscard]] const Kpi& kpi(size_t k) const { return def_.kpis.at(k); }
  // The measure KPI k scores (built-in or declared, label filled in).
  [[nodiscard]] const Measure& measure(size_t k) const { return measure_.at(k); }
  // Index of the KPI named `name`; errc::not_found otherwise.
  [[nodiscard]] size_t index_of(std::string_view name) const {
    for (size_t k = 0; k < def_.kpis.size(); ++k)
      if (def_.kpis[k].name == name) return k;
    fail(errc::not_found, "no KPI is named \"", name, "\"");
  }
  // Whether the gate of KPI g (if it fails) applies to KPI k.
  [[nodiscard]] bool gate_applies(size_t g, size_t k) const { return applies_.at(g * size() + k) != 0; }

  // Every column name the card can read, in KPI order without repeats: each measure's own column,
  // then its numerator and denominator (callers holding a wide table pass just these).
  [[nodiscard]] std::vector<std::string> input_names() const {
    std::vector<std::string> out;
    auto add = [&](const std::string& n) {
      if (n.empty()) return;
      for (const auto& o : out)
        if (o == n) return;
      out.push_back(n);
    };
    for (const auto& m : measure_) {
      add(m.name);
      add(m.numerator);
      add(m.denominator);
    }
    return out;
  }

  // Scores every row: card.score({{"attainment", att}, {"margin_rate", mr}}).
  [[nodiscard]] ScoreResult score(gsl::span<const InputColumn> columns) const {
    const size_t K = size();
    size_t rows = 0;
    for (size_t c = 0; c < columns.size(); ++c) {
      if (c == 0) rows = columns[0].values.size();
      else if (columns[c].values.size() != rows)
        fail(errc::invalid_argument, "column ", columns[c].name, " has ", columns[c].values.size(), " values; column ",
             columns[0].name, " has ", rows);
      for (size_t b = 0; b < c; ++b)
        if (columns[b].name == columns[c].name) fail(errc::invalid_argument, "column ", columns[c].name, " is given twice");
    }
    auto find = [&](std::string_view n) -> const InputColumn* {
      if (n.empty()) return nullptr;
      for (const auto& c : columns)
        if (c.name == n) return &c;
      return nullptr;
    };
    struct Source {
      const InputColumn* direct = nullptr;
      const InputColumn* num = nullptr;
      const InputColumn* den = nullptr;
    };
    std::vector<Source> src(K);
    for (size_t k = 0; k < K; ++k) {
      const Measure& m = measure_[k];
      src[k].direct = find(m.name);
      if (src[k].direct) continue;
      src[k].num = find(m.numerator);
      src[k].den = find(m.denominator);
      if (src[k].num && src[k].den) continue;
      if (m.numerator.empty())
        fail(errc::not_found, "no column for measure ", m.name, " (KPI ", def_.kpis[k].name, "): give a column named ", m.name);
      fail(errc::not_found, "no column for measure ", m.name, " (KPI ", def_.kpis[k].name, "): give a column named ", m.name,
           ", or both ", m.numerator, " and ", m.denominator);
    }

    ScoreResult r;
    r.rows = rows;
    r.kpis = K;
    r.total.resize(rows);
    r.value.resize(rows * K);
    r.points.resize(rows * K);
    r.factor.resize(rows * K);
    r.weighted.resize(rows * K);
    r.gate_failed.resize(rows * K);
    std::vector<double> w(K);
    for (size_t k = 0; k < K; ++k) w[k] = def_.kpis[k].weight / 100.0;

    // Blocks of rows, so that the row-major lines being written stay in cache while each KPI's
    // column is read in order (one pass over the whole table per KPI was 3x slower).
    constexpr size_t block = 512;
    for (size_t b0 = 0; b0 < rows; b0 += block) {
      const size_t b1 = std::min(rows, b0 + block);
      // Values, then points, KPI by KPI.
      for (size_t k = 0; k < K; ++k) {
        const Source& s = src[k];
        const Kpi& kpi = def_.kpis[k];
        double* out = r.value.data() + k;
        if (s.direct) {
          const double* v = s.direct->values.data();
          for (size_t i = b0; i < b1; ++i) {
            if (!std::isfinite(v[i])) fail(errc::invalid_argument, s.direct->name, "[", i, "] is ", detail::nonfinite_word(v[i]));
            out[i * K] = v[i];
          }
        } else {
          const double* a = s.num->values.data();
          const double* b = s.den->values.data();
          for (size_t i = b0; i < b1; ++i) {
            if (!std::isfinite(a[i])) fail(errc::invalid_argument, s.num->name, "[", i, "] is ", detail::nonfinite_word(a[i]));
            if (!std::isfinite(b[i])) fail(errc::invalid_argument, s.den->name, "[", i, "] is ", detail::nonfinite_word(b[i]));
            if (b[i] == 0)
              fail(errc::invalid_argument, s.den->name, "[", i, "] is 0; ", measure_[k].name, " = ", s.num->name, " / ",
                   s.den->name, " needs a non-zero ", s.den->name);
            out[i * K] = a[i] / b[i];
          }
        }
        double* pts = r.points.data() + k;
        if (kpi.curve) {
          const Curve& c = *kpi.curve;
          for (size_t i = b0; i < b1; ++i) pts[i * K] = c(out[i * K]);
        }  // else: zeros from resize
      }
      // Gates and totals, row by row.
      for (size_t i = b0; i < b1; ++i) {
        double* f = r.factor.data() + i * K;
        std::fill(f, f + K, 1.0);
        const double* v = r.value.data() + i * K;
        for (size_t g : gated_) {
          const Gate& gate = *def_.kpis[g].gate;
          if (!(v[g] < gate.below)) continue;
          r.gate_failed[i * K + g] = 1;
          const uint8_t* ap = applies_.data() + g * K;
          for (size_t k = 0; k < K; ++k)
            if (ap[k]) f[k] *= gate.scale;
        }
        const double* p = r.points.data() + i * K;
        double* wp = r.weighted.data() + i * K;
        double t = 0;
        for (size_t k = 0; k < K; ++k) {
          wp[k] = w[k] * p[k] * f[k];
          t += wp[k];
        }
        r.total[i] = t;
      }
    }
    return r;
  }

  // Why line (row, k) of a result of this card scored what it did (see the header comment).
  [[nodiscard]] std::string reason(const ScoreResult& r, size_t row, size_t k) const {
    if (r.kpis != size()) fail(errc::invalid_argument, "the result has ", r.kpis, " KPIs; this card has ", size());
    if (row >= r.rows) fail(errc::out_of_range, "row is ", row, "; the result has ", r.rows, " rows");
    if (k >= size()) fail(errc::out_of_range, "kpi is ", k, "; the card has ", size(), " KPIs");
    const size_t l = r.line(row, k);
    const Kpi& kpi = def_.kpis[k];
    const Measure& m = measure_[k];
    const double v = r.value[l];
    const std::string head = label(k) + " " + detail::display(v, m.unit);
    if (r.gate_failed[l]) return head + " is below the gate of " + detail::display(kpi.gate->below, m.unit) + ": " + effect(k);
    std::string s;
    if (!kpi.curve) {
      s = head + (kpi.gate ? " meets the gate of " + detail::display(kpi.gate->below, m.unit) : std::string(": not scored"));
    } else if (v < kpi.curve->start()) {
      s = head + " is below the threshold of " + detail::display(kpi.curve->start(), m.unit) + ": 0 points";
    } else {
      bool capped = false;
      (void)(*kpi.curve)(v, &capped);
      s = head + " scores " + detail::fixed(r.points[l], 2) + " points" + (capped ? " (capped)" : "");
    }
    for (size_t g : gated_) {
      if (g == k || !r.gate_failed[r.line(row, g)] || !gate_applies(g, k)) continue;
      const double sc = def_.kpis[g].gate->scale;
      s += sc == 0 ? "; withheld by the " + label(g) + " gate"
                   : "; scaled to " + detail::fixed(sc * 100, 1) + "% by the " + label(g) + " gate";
    }
    return s;
  }

 private:
  ScorecardDef def_;
  std::vector<Measure> measure_;  // per KPI
  std::vector<uint8_t> applies_;  // K x K: gate of g applies to k
  std::vector<size_t> gated_;     // KPIs with a gate, in order

  // The KPI's measure label, or its own name when it is not named after the measure.
  std::string label(size_t k) const {
    const Kpi& kpi = def_.kpis[k];
    return kpi.name == kpi.measure ? measure_[k].label : detail::default_label(kpi.name);
  }
  // What the failed gate of KPI g does, as a phrase.
  std::string effect(size_t g) const {
    const Gate& gate = *def_.kpis[g].gate;
    const std::string how = gate.scale == 0 ? "withheld" : "scaled to " + detail::fixed(gate.scale * 100, 1) + "%";
    if (gate.applies_to.empty()) return gate.scale == 0 ? "bonus withheld" : "score " + how;
    std::string names;
    for (size_t i = 0; i < gate.applies_to.size(); ++i)
      names += (i == 0 ? "" : ", ") + label(index_of(gate.applies_to[i]));
    return names + " " + how;
  }
};

}  // namespace quotaflow::incentive
