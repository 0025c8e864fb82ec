// Scorecards as JSON (schema "quotaflow.scorecard/1", documented in docs/incentives.md).
//
//   Scorecard card = load_scorecard("field_sales.json");
//   std::string text = to_json(card.definition());   // deterministic bytes, reads back the same
//   Scorecard again = scorecard_from_json(text);
//
// Reading is strict: malformed JSON, unknown keys, values of the wrong type, and every problem
// check_scorecard() finds (unknown measures, weights not summing to 100, curves that decrease,
// unsorted or overlapping steps...) are errc::parse_error with the source, the JSON path and the
// line and column of the offending value:
//   card.json: $.kpis[2].curve.points[1].points (line 14, column 41): is 90, below points[0].points (100); ...
// A file that cannot be read is errc::io_error.
#pragma once

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>

#include "quotaflow/detail/json.hpp"
#include "quotaflow/incentive/scorecard.hpp"

namespace quotaflow::incentive {

inline constexpr std::string_view scorecard_schema_id = "quotaflow.scorecard/1";

namespace detail {

using quotaflow::detail::JsonValue;
using T = JsonValue::Type;

class ScorecardReader {
 public:
  ScorecardReader(const JsonValue& root, std::string_view source) : root_(root), source_(source) {}

  ScorecardDef read() {
    const JsonValue& root = root_;
    need(root, T::object, "$");
    only(root, "$", {"schema", "name", "measures", "kpis"});
    if (const JsonValue* s = root.find("schema"); s && str(*s, "$.schema") != scorecard_schema_id)
      error(*s, "$.schema", "is \"" + s->string() + "\"; this library reads \"" + std::string(scorecard_schema_id) + "\"");
    ScorecardDef d;
    if (const JsonValue* v = root.find("name")) d.name = str(*v, "$.name");
    if (const JsonValue* ms = root.find("measures")) {
      need(*ms, T::array, "$.measures");
      for (size_t i = 0; i < ms->array().size(); ++i) d.measures.push_back(measure(ms->array()[i], "$.measures[" + std::to_string(i) + "]"));
    }
    const JsonValue* ks = root.find("kpis");
    if (!ks) error(root, "$", "has no \"kpis\" array");
    need(*ks, T::array, "$.kpis");
    for (size_t i = 0; i < ks->array().size(); ++i) d.kpis.push_back(kpi(ks->array()[i], "$.kpis[" + std::to_string(i) + "]"));
    // Meaning: the same checks as the C++ constructor, reported at the JSON value they concern.
    check_scorecard(d, [&](const std::string& path, const std::string& what) {
      const JsonValue& at = locate(path);
      error(at, "$." + path, what);
    });
    return d;
  }

 private:
  const JsonValue& root_;
  std::string_view source_;

  [[noreturn]] void error(const JsonValue& v, const std::string& path, const std::string& what) const {
    fail(errc::parse_error, source_, ": ", path, " (line ", v.line(), ", column ", v.column(), "): ", what);
  }
  void need(const JsonValue& v, T t, const std::string& path) const {
    if (!v.is(t)) error(v, path, "expected " + std::string(JsonValue::type_name(t)) + ", got " + std::string(JsonValue::type_name(v.type())));
  }
  void only(const JsonValue& obj, const std::string& path, std::initializer_list<std::string_view> keys) const {
    for (const auto& member : obj.object()) {
      bool known = false;
      for (auto k : keys) known = known || k == member.first;
      if (known) continue;
      std::string list;
      for (auto k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
      error(member.second, path + "." + member.first, "unknown key; expected one of " + list);
    }
  }
  std::string str(const JsonValue& v, const std::string& path) const {
    need(v, T::string, path);
    return v.string();
  }
  double number(const JsonValue& v, const std::string& path) const {
    need(v, T::number, path);
    return v.number();
  }
  const JsonValue& required(const JsonValue& obj, std::string_view key, const std::string& path) const {
    const JsonValue* v = obj.find(key);
    if (!v) error(obj, path, "has no \"" + std::string(key) + "\"");
    return *v;
  }
  double required_number(const JsonValue& obj, std::string_view key, const std::string& path) const {
    return number(required(obj, key, path), path + "." + std::string(key));
  }
  double optional_number(const JsonValue& obj, std::string_view key, const std::string& path, double fallback) const {
    const JsonValue* v = obj.find(key);
    return v ? number(*v, path + "." + std::string(key)) : fallback;
  }
  std::string optional_str(const JsonValue& obj, std::string_view key, const std::string& path) const {
    const JsonValue* v = obj.find(key);
    return v ? str(*v, path + "." + std::string(key)) : std::string();
  }

  // Calls f(element, its path) for each object of the array obj[key], after checking types and keys.
  template <class F>
  void objects(const JsonValue& obj, std::string_view key, const std::string& path, std::initializer_list<std::string_view> keys,
               F&& f) const {
    const std::string ap = path + "." + std::string(key);
    const JsonValue& arr = required(obj, key, path);
    need(arr, T::array, ap);
    for (size_t i = 0; i < arr.array().size(); ++i) {
      const std::string ep = ap + "[" + std::to_string(i) + "]";
      need(arr.array()[i], T::object, ep);
      only(arr.array()[i], ep, keys);
      f(arr.array()[i], ep);
    }
  }

  // The value at a check_scorecard path ("kpis[2].curve.points[1].points"), or the deepest
  // existing value on the way (a missing "curve" is reported at its KPI).
  const JsonValue& locate(const std::string& path) const {
    const JsonValue* at = &root_;
    size_t i = 0;
    while (i < path.size()) {
      if (path[i] == '.') ++i;
      if (path[i] == '[') {
        const size_t close = path.find(']', i);
        const size_t idx = std::stoul(path.substr(i + 1, close - i - 1));
        if (!at->is(T::array) || idx >= at->array().size()) return *at;
        at = &at->array()[idx];
        i = close + 1;
      } else {
        const size_t end = path.find_first_of(".[", i);
        const std::string key = path.substr(i, end == std::string::npos ? std::string::npos : end - i);
        const JsonValue* next = at->is(T::object) ? at->find(key) : nullptr;
        if (!next) return *at;
        at = next;
        i = end == std::string::npos ? path.size() : end;
      }
    }
    return *at;
  }

  Measure measure(const JsonValue& v, const std::string& path) const {
    need(v, T::object, path);
    only(v, path, {"name", "label", "unit", "numerator", "denominator"});
    Measure m;
    m.name = str(required(v, "name", path), path + ".name");
    m.label = optional_str(v, "label", path);
    if (const JsonValue* u = v.find("unit")) {
      const std::string unit = str(*u, path + ".unit");
      if (unit == "rate") m.unit = MeasureUnit::rate;
      else if (unit == "number") m.unit = MeasureUnit::number;
      else error(*u, path + ".unit", "is \"" + unit + "\"; expected \"rate\" or \"number\"");
    }
    m.numerator = optional_str(v, "numerator", path);
    m.denominator = optional_str(v, "denominator", path);
    return m;
  }

  Kpi kpi(const JsonValue& v, const std::string& path) const {
    need(v, T::object, path);
    only(v, path, {"name", "measure", "weight", "curve", "gate"});
    Kpi k;
    k.measure = str(required(v, "measure", path), path + ".measure");
    k.name = optional_str(v, "name", path);
    k.weight = required_number(v, "weight", path);
    if (const JsonValue* c = v.find("curve")) k.curve = curve(*c, path + ".curve");
    if (const JsonValue* g = v.find("gate")) k.gate = gate(*g, path + ".gate");
    return k;
  }

  Curve curve(const JsonValue& v, const std::string& path) const {
    need(v, T::object, path);
    const JsonValue& kind = required(v, "kind", path);
    const std::string name = str(kind, path + ".kind");
    if (name == "linear") {
      only(v, path, {"kind", "threshold", "target", "cap", "threshold_points"});
      return Curve::linear(required_number(v, "threshold", path), required_number(v, "target", path),
                           optional_number(v, "cap", path, 100), optional_number(v, "threshold_points", path, 0));
    }
    if (name == "piecewise") {
      only(v, path, {"kind", "points"});
      std::vector<CurvePoint> knots;
      objects(v, "points", path, {"at", "points"}, [&](const JsonValue& p, const std::string& pp) {
        knots.push_back({required_number(p, "at", pp), required_number(p, "points", pp)});
      });
      return Curve::piecewise(std::move(knots));
    }
    if (name == "step") {
      only(v, path, {"kind", "steps"});
      std::vector<CurveStep> table;
      objects(v, "steps", path, {"from", "to", "points"}, [&](const JsonValue& s, const std::string& sp) {
        table.push_back({required_number(s, "from", sp), optional_number(s, "to", sp, std::numeric_limits<double>::infinity()),
                         required_number(s, "points", sp)});
      });
      return Curve::step(std::move(table));
    }
    error(kind, path + ".kind", "is \"" + name + "\"; expected \"linear\", \"piecewise\" or \"step\"");
  }

  Gate gate(const JsonValue& v, const std::string& path) const {
    need(v, T::object, path);
    only(v, path, {"below", "scale", "applies_to"});
    Gate g;
    g.below = required_number(v, "below", path);
    g.scale = optional_number(v, "scale", path, 0);
    if (const JsonValue* a = v.find("applies_to")) {
      const std::string ap = path + ".applies_to";
      if (a->is(T::string)) {
        if (a->string() != "all") error(*a, ap, "is \"" + a->string() + "\"; expected \"all\" or an array of KPI names");
      } else {
        need(*a, T::array, ap);
        if (a->array().empty()) error(*a, ap, "is empty; write \"all\" for the whole score");
        for (size_t i = 0; i < a->array().size(); ++i) g.applies_to.push_back(str(a->array()[i], ap + "[" + std::to_string(i) + "]"));
      }
    }
    return g;
  }
};

}  // namespace detail

// Parses and validates a scorecard definition; `source` names it in messages.
inline ScorecardDef scorecard_def_from_json(std::string_view text, std::string_view source = "scorecard JSON") {
  const quotaflow::detail::JsonValue root = quotaflow::detail::JsonParser::parse(text, source);
  return detail::ScorecardReader(root, source).read();
}

// scorecard_from_json(R"({"kpis": [{"measure": "attainment", "weight": 100, ...}]})")
inline Scorecard scorecard_from_json(std::string_view text, std::string_view source = "scorecard JSON") {
  return Scorecard(scorecard_def_from_json(text, source));
}

// load_scorecard("card.json"): errc::io_error when the file cannot be read.
inline Scorecard load_scorecard(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(errc::io_error, "cannot open scorecard \"", path, "\"");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) fail(errc::io_error, "cannot read scorecard \"", path, "\"");
  return scorecard_from_json(buf.str(), path);
}

// The definition as JSON: fixed key order, defaults written out, a newline at the end.
inline std::string to_json(const ScorecardDef& d) {
  quotaflow::detail::JsonWriter w;
  auto num = [&](std::string_view key, double v) {
    w.key(key);
    w.value(v);
  };
  auto text = [&](std::string_view key, std::string_view v) {
    w.key(key);
    w.value(v);
  };
  w.begin_object();
  text("schema", scorecard_schema_id);
  if (!d.name.empty()) text("name", d.name);
  if (!d.measures.empty()) {
    w.key("measures");
    w.begin_array();
    for (const auto& m : d.measures) {
      w.begin_object();
      text("name", m.name);
      if (!m.label.empty()) text("label", m.label);
      text("unit", measure_unit_name(m.unit));
      if (!m.numerator.empty()) {
        text("numerator", m.numerator);
        text("denominator", m.denominator);
      }
      w.end_object();
    }
    w.end_array();
  }
  w.key("kpis");
  w.begin_array();
  for (const auto& k : d.kpis) {
    w.begin_object();
    text("name", k.name.empty() ? k.measure : k.name);
    text("measure", k.measure);
    num("weight", k.weight);
    if (k.curve) {
      const Curve& c = *k.curve;
      w.key("curve");
      w.begin_object();
      text("kind", curve_kind_name(c.kind));
      if (c.kind == CurveKind::linear) {
        num("threshold", c.threshold);
        num("target", c.target);
        num("cap", c.cap);
        num("threshold_points", c.threshold_points);
      } else if (c.kind == CurveKind::piecewise) {
        w.key("points");
        w.begin_array();
        for (const auto& p : c.points) {
          w.begin_object();
          num("at", p.at);
          num("points", p.points);
          w.end_object();
        }
        w.end_array();
      } else {
        w.key("steps");
        w.begin_array();
        for (const auto& s : c.steps) {
          w.begin_object();
          num("from", s.from);
          if (std::isfinite(s.to)) num("to", s.to);
          num("points", s.points);
          w.end_object();
        }
        w.end_array();
      }
      w.end_object();
    }
    if (k.gate) {
      w.key("gate");
      w.begin_object();
      num("below", k.gate->below);
      num("scale", k.gate->scale);
      w.key("applies_to");
      if (k.gate->applies_to.empty()) {
        w.value("all");
      } else {
        w.begin_array();
        for (const auto& n : k.gate->applies_to) w.value(n);
        w.end_array();
      }
      w.end_object();
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace quotaflow::incentive
