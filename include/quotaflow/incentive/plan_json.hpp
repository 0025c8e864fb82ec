// Incentive plans as JSON (schema "quotaflow.incentive_plan/1", documented in docs/incentives.md).
//
// Reading is strict: unknown keys, wrong types and bad values are errors naming the JSON path,
//   plan.json: $.components[1].tiers[2].rate (line 9, column 31): expected a number, got a string
//   $.components[1].tiers[2].rate is -0.5; it must be in [0, 1000]
// Amounts are integers of minor units (JSON numbers without a fraction, |x| <= 2^53). Writing
// gives the same bytes for the same plan, and plan_from_json(plan_to_json(p)) == p.
//   Plan p = plan_from_json(text, "plan.json");   std::string again = plan_to_json(p);
#pragma once

#include <cmath>
#include <initializer_list>
#include <string>
#include <string_view>
#include <tuple>

#include "quotaflow/detail/json.hpp"
#include "quotaflow/incentive/plan.hpp"

namespace quotaflow::incentive {

inline constexpr std::string_view plan_schema_id = "quotaflow.incentive_plan/1";

namespace detail {
using quotaflow::detail::JsonValue;
using JT = JsonValue::Type;

class PlanReader {
 public:
  explicit PlanReader(std::string_view source) : source_(source) {}

  PlanSpec read(const JsonValue& root) const {
    expect(root, JT::object, "$");
    keys(root, "$", {"schema", "name", "effective_from", "effective_until", "cap", "draw", "components"});
    PlanSpec s;
    if (const JsonValue* v = root.find("schema"); v && text(*v, "$.schema") != plan_schema_id)
      error(*v, "$.schema", "is \"" + v->string() + "\"; expected \"" + std::string(plan_schema_id) + "\"");
    const JsonValue* name = root.find("name");
    if (!name) error(root, "$", "has no \"name\"");
    s.name = text(*name, "$.name");
    if (const JsonValue* v = root.find("effective_from")) s.effective_from = date(*v, "$.effective_from");
    if (const JsonValue* v = root.find("effective_until")) s.effective_until = date(*v, "$.effective_until");
    if (const JsonValue* v = root.find("cap")) s.cap = integer(*v, "$.cap");
    if (const JsonValue* v = root.find("draw")) {
      expect(*v, JT::object, "$.draw");
      keys(*v, "$.draw", {"amount", "recoverable"});
      if (const JsonValue* a = v->find("amount")) s.draw.amount = integer(*a, "$.draw.amount");
      if (const JsonValue* r = v->find("recoverable")) s.draw.recoverable = boolean(*r, "$.draw.recoverable");
    }
    const JsonValue* comps = root.find("components");
    if (!comps) error(root, "$", "has no \"components\"");
    expect(*comps, JT::array, "$.components");
    for (size_t i = 0; i < comps->array().size(); ++i)
      s.components.push_back(component(comps->array()[i], "$.components[" + std::to_string(i) + "]"));
    return s;
  }

 private:
  std::string source_;

  [[noreturn]] void error(const JsonValue& v, const std::string& path, const std::string& what) const {
    fail(errc::parse_error, source_, ": ", path, " (line ", v.line(), ", column ", v.column(), "): ", what);
  }
  void expect(const JsonValue& v, JT t, const std::string& path) const {
    if (!v.is(t))
      error(v, path, "expected " + std::string(JsonValue::type_name(t)) + ", got " + std::string(JsonValue::type_name(v.type())));
  }
  void keys(const JsonValue& obj, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    for (const auto& [k, v] : obj.object()) {
      bool ok = false;
      for (auto a : allowed) ok = ok || a == k;
      if (!ok) error(v, path + "." + k, "unknown key");
    }
  }
  std::string text(const JsonValue& v, const std::string& path) const {
    expect(v, JT::string, path);
    return v.string();
  }
  double number(const JsonValue& v, const std::string& path) const {
    expect(v, JT::number, path);
    return v.number();
  }
  bool boolean(const JsonValue& v, const std::string& path) const {
    expect(v, JT::boolean, path);
    return v.boolean();
  }
  int64_t integer(const JsonValue& v, const std::string& path) const {
    const double d = number(v, path);
    if (d != std::floor(d) || std::fabs(d) > 9007199254740992.0)
      error(v, path, "expected an integer amount of minor units (|x| <= 2^53)");
    return static_cast<int64_t>(d);
  }
  Date date(const JsonValue& v, const std::string& path) const {
    const std::string s = text(v, path);
    try {
      return date_from_string(s);
    } catch (const quotaflow::error& e) {
      error(v, path, e.what());
    }
  }
  const JsonValue& member(const JsonValue& obj, std::string_view key, const std::string& path) const {
    const JsonValue* v = obj.find(key);
    if (!v) error(obj, path, "has no \"" + std::string(key) + "\"");
    return *v;
  }
  Multiplier multiplier(const JsonValue& v, const std::string& path, const char* at) const {
    expect(v, JT::object, path);
    keys(v, path, {at, "factor"});
    return {number(member(v, at, path), path + "." + at), number(member(v, "factor", path), path + ".factor")};
  }

  ComponentSpec component(const JsonValue& v, const std::string& path) const {
    expect(v, JT::object, path);
    keys(v, path, {"name", "type", "method", "tiers", "accelerator", "decelerator", "kpi", "steps", "cap"});
    ComponentSpec c;
    c.name = text(member(v, "name", path), path + ".name");
    const JsonValue& type = member(v, "type", path);
    const std::string t = text(type, path + ".type");
    if (t == "bonus") c.kind = ComponentKind::bonus;
    else if (t != "commission") error(type, path + ".type", "is \"" + t + "\"; expected \"commission\" or \"bonus\"");
    if (const JsonValue* cap = v.find("cap")) c.cap = integer(*cap, path + ".cap");
    if (c.kind == ComponentKind::bonus) {
      c.kpi = text(member(v, "kpi", path), path + ".kpi");
      const JsonValue& steps = member(v, "steps", path);
      expect(steps, JT::array, path + ".steps");
      for (size_t i = 0; i < steps.array().size(); ++i) {
        const JsonValue& s = steps.array()[i];
        const std::string sp = path + ".steps[" + std::to_string(i) + "]";
        expect(s, JT::object, sp);
        keys(s, sp, {"score", "amount"});
        c.steps.push_back({number(member(s, "score", sp), sp + ".score"), integer(member(s, "amount", sp), sp + ".amount")});
      }
      return c;
    }
    if (const JsonValue* m = v.find("method")) {
      const std::string ms = text(*m, path + ".method");
      if (ms == "retroactive") c.method = TierMethod::retroactive;
      else if (ms != "marginal") error(*m, path + ".method", "is \"" + ms + "\"; expected \"marginal\" or \"retroactive\"");
    }
    const JsonValue& tiers = member(v, "tiers", path);
    expect(tiers, JT::array, path + ".tiers");
    for (size_t i = 0; i < tiers.array().size(); ++i) {
      const JsonValue& tv = tiers.array()[i];
      const std::string tp = path + ".tiers[" + std::to_string(i) + "]";
      expect(tv, JT::object, tp);
      keys(tv, tp, {"from", "rate"});
      c.tiers.push_back({number(member(tv, "from", tp), tp + ".from"), number(member(tv, "rate", tp), tp + ".rate")});
    }
    if (const JsonValue* a = v.find("accelerator")) c.accelerator = multiplier(*a, path + ".accelerator", "above");
    if (const JsonValue* d = v.find("decelerator")) c.decelerator = multiplier(*d, path + ".decelerator", "below");
    return c;
  }
};
}  // namespace detail

// Reads a plan; `source` names the text in messages ("plan.json").
inline Plan plan_from_json(std::string_view text, std::string_view source = "plan JSON") {
  const auto root = quotaflow::detail::JsonParser::parse(text, source);
  return Plan(detail::PlanReader(source).read(root), "$.");
}

// Writes a plan in the schema's key order; defaults (no cap, no draw, whole range) are left out.
inline std::string plan_to_json(const Plan& plan) {
  const PlanSpec& s = plan.spec();
  quotaflow::detail::JsonWriter w;
  auto integer = [&](int64_t v) { w.value(static_cast<double>(v)); };
  w.begin_object();
  w.key("schema");
  w.value(plan_schema_id);
  w.key("name");
  w.value(s.name);
  if (s.effective_from != min_supported_date) {
    w.key("effective_from");
    w.value(date_to_string(s.effective_from));
  }
  if (s.effective_until != max_supported_date + 1) {
    w.key("effective_until");
    w.value(date_to_string(s.effective_until));
  }
  if (s.cap) {
    w.key("cap");
    integer(*s.cap);
  }
  if (s.draw.amount != 0 || s.draw.recoverable) {
    w.key("draw");
    w.begin_object();
    w.key("amount");
    integer(s.draw.amount);
    w.key("recoverable");
    w.value(s.draw.recoverable);
    w.end_object();
  }
  w.key("components");
  w.begin_array();
  for (const ComponentSpec& c : s.components) {
    w.begin_object();
    w.key("name");
    w.value(c.name);
    w.key("type");
    w.value(c.kind == ComponentKind::bonus ? "bonus" : "commission");
    if (c.kind == ComponentKind::bonus) {
      w.key("kpi");
      w.value(c.kpi);
      w.key("steps");
      w.begin_array();
      for (const BonusStep& st : c.steps) {
        w.begin_object();
        w.key("score");
        w.value(st.score);
        w.key("amount");
        integer(st.amount);
        w.end_object();
      }
      w.end_array();
    } else {
      w.key("method");
      w.value(tier_method_name(c.method));
      w.key("tiers");
      w.begin_array();
      for (const Tier& t : c.tiers) {
        w.begin_object();
        w.key("from");
        w.value(t.from);
        w.key("rate");
        w.value(t.rate);
        w.end_object();
      }
      w.end_array();
      for (auto [key, at, m] : {std::tuple{"accelerator", "above", &c.accelerator}, std::tuple{"decelerator", "below", &c.decelerator}}) {
        if (!*m) continue;
        w.key(key);
        w.begin_object();
        w.key(at);
        w.value((*m)->threshold);
        w.key("factor");
        w.value((*m)->factor);
        w.end_object();
      }
    }
    if (c.cap) {
      w.key("cap");
      integer(*c.cap);
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

}  // namespace quotaflow::incentive
