// Process models as JSON: the schema is documented in docs/process.md ("Process models").
//
//   ProcessModel m = load_model("data/sample_company/process_model.json");
//   std::string text = to_json(m);          // deterministic: the same model gives the same bytes
//   ProcessModel again = model_from_json(text);
//
// Reading is strict: unknown keys, values of the wrong type, references to stages that are not
// defined, duplicate stage or activity names and malformed JSON are all errc::parse_error with the
// source, the JSON path and the line and column:
//   model.json: $.stages[3].max_duration (line 12, column 25): expected a number, got a string
// A file that cannot be read is errc::io_error.
#pragma once

#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <string_view>
#include <unordered_map>

#include "quotaflow/detail/json.hpp"
#include "quotaflow/process/model.hpp"

namespace quotaflow::process {

inline constexpr std::string_view model_schema_id = "quotaflow.process_model/1";

namespace detail {

using quotaflow::detail::JsonValue;

class ModelReader {
 public:
  explicit ModelReader(std::string_view source) : source_(source) {}

  ProcessModel read(const JsonValue& root) {
    expect(root, JsonValue::Type::object, "$");
    keys(root, "$", {"schema", "name", "duration_unit", "start", "stages", "transitions"});
    if (const JsonValue* s = root.find("schema"); s && text(*s, "$.schema") != model_schema_id)
      error(*s, "$.schema", "is \"" + s->string() + "\"; this library reads \"" + std::string(model_schema_id) + "\"");
    ProcessModel m;
    if (const JsonValue* v = root.find("name")) m.set_name(text(*v, "$.name"));
    if (const JsonValue* v = root.find("duration_unit")) m.set_duration_unit(enum_value(*v, "$.duration_unit", parse_duration_unit));

    const JsonValue* stages = root.find("stages");
    if (!stages) error(root, "$", "has no \"stages\" array");
    expect(*stages, JsonValue::Type::array, "$.stages");
    std::unordered_map<std::string, std::string> names;  // name -> path of its first use
    for (size_t i = 0; i < stages->array().size(); ++i) read_stage(m, stages->array()[i], "$.stages[" + std::to_string(i) + "]", names);
    for (size_t i = 0; i < stages->array().size(); ++i) {
      const JsonValue& s = stages->array()[i];
      const JsonValue* acts = s.find("activities");
      if (!acts) continue;
      const std::string path = "$.stages[" + std::to_string(i) + "].activities";
      expect(*acts, JsonValue::Type::array, path);
      for (size_t j = 0; j < acts->array().size(); ++j)
        read_activity(m, static_cast<int32_t>(i), acts->array()[j], path + "[" + std::to_string(j) + "]", names);
    }
    if (const JsonValue* start = root.find("start")) m.set_start(stage_ref(m, *start, "$.start"));
    if (const JsonValue* ts = root.find("transitions")) {
      expect(*ts, JsonValue::Type::array, "$.transitions");
      for (size_t i = 0; i < ts->array().size(); ++i) read_transition(m, ts->array()[i], "$.transitions[" + std::to_string(i) + "]");
    }
    return m;
  }

 private:
  std::string_view source_;

  [[noreturn]] void error(const JsonValue& v, const std::string& path, const std::string& what) const {
    fail(errc::parse_error, source_, ": ", path, " (line ", v.line(), ", column ", v.column(), "): ", what);
  }
  void expect(const JsonValue& v, JsonValue::Type t, const std::string& path) const {
    if (!v.is(t))
      error(v, path, "expected " + std::string(JsonValue::type_name(t)) + ", got " + std::string(JsonValue::type_name(v.type())));
  }
  void keys(const JsonValue& obj, const std::string& path, std::initializer_list<std::string_view> allowed) const {
    for (const auto& [k, v] : obj.object()) {
      bool ok = false;
      for (auto a : allowed) ok = ok || a == k;
      if (ok) continue;
      std::string list;
      for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
      error(v, path + "." + k, "unknown key; expected one of " + list);
    }
  }
  std::string text(const JsonValue& v, const std::string& path) const {
    expect(v, JsonValue::Type::string, path);
    return v.string();
  }
  double number(const JsonValue& v, const std::string& path) const {
    expect(v, JsonValue::Type::number, path);
    return v.number();
  }
  bool boolean(const JsonValue& v, const std::string& path) const {
    expect(v, JsonValue::Type::boolean, path);
    return v.boolean();
  }
  template <class E>
  E enum_value(const JsonValue& v, const std::string& path, E (*parse)(std::string_view, std::string_view)) const {
    const std::string s = text(v, path);
    try {
      return parse(s, "value");
    } catch (const quotaflow::error& e) {
      error(v, path, e.what());
    }
  }
  // Optional number members: absent or null means unset.
  double optional_number(const JsonValue& obj, std::string_view key, const std::string& path) const {
    const JsonValue* v = obj.find(key);
    if (!v || v->is(JsonValue::Type::null)) return unset;
    return number(*v, path + "." + std::string(key));
  }
  std::string optional_text(const JsonValue& obj, std::string_view key, const std::string& path) const {
    const JsonValue* v = obj.find(key);
    return v ? text(*v, path + "." + std::string(key)) : std::string();
  }
  bool optional_bool(const JsonValue& obj, std::string_view key, const std::string& path) const {
    const JsonValue* v = obj.find(key);
    return v ? boolean(*v, path + "." + std::string(key)) : false;
  }
  std::string required_name(const JsonValue& obj, const std::string& path,
                            std::unordered_map<std::string, std::string>& names) const {
    const JsonValue* v = obj.find("name");
    if (!v) error(obj, path, "has no \"name\"");
    std::string name = text(*v, path + ".name");
    if (name.empty()) error(*v, path + ".name", "is empty");
    auto [it, fresh] = names.emplace(name, path + ".name");
    if (!fresh) error(*v, path + ".name", "\"" + name + "\" is a duplicate of " + it->second);
    return name;
  }
  // Builder errors (a probability above 1, a negative duration) get the JSON path in front.
  template <class F>
  void with_path(const JsonValue& v, const std::string& path, F&& f) const {
    try {
      f();
    } catch (const quotaflow::error& e) {
      error(v, path, e.what());
    }
  }

  void read_stage(ProcessModel& m, const JsonValue& v, const std::string& path,
                  std::unordered_map<std::string, std::string>& names) const {
    expect(v, JsonValue::Type::object, path);
    keys(v, path, {"name", "role", "department", "win_probability", "expected_duration", "max_duration", "required", "terminal",
                   "activities"});
    Stage s;
    s.name = required_name(v, path, names);
    s.role = optional_text(v, "role", path);
    s.department = optional_text(v, "department", path);
    s.win_probability = optional_number(v, "win_probability", path);
    s.expected_duration = optional_number(v, "expected_duration", path);
    s.max_duration = optional_number(v, "max_duration", path);
    s.required = optional_bool(v, "required", path);
    if (const JsonValue* t = v.find("terminal"); t && !t->is(JsonValue::Type::null))
      s.terminal = enum_value(*t, path + ".terminal", parse_terminal_kind);
    with_path(v, path, [&] { return m.add_stage(std::move(s)); });
  }

  void read_activity(ProcessModel& m, int32_t stage, const JsonValue& v, const std::string& path,
                     std::unordered_map<std::string, std::string>& names) const {
    expect(v, JsonValue::Type::object, path);
    keys(v, path, {"name", "role", "required", "due_within"});
    Activity a;
    a.name = required_name(v, path, names);
    a.stage = stage;
    a.role = optional_text(v, "role", path);
    a.required = optional_bool(v, "required", path);
    a.due_within = optional_number(v, "due_within", path);
    with_path(v, path, [&] { return m.add_activity(std::move(a)); });
  }

  int32_t stage_ref(const ProcessModel& m, const JsonValue& v, const std::string& path) const {
    const std::string name = text(v, path);
    if (auto i = m.find_stage(name)) return *i;
    error(v, path, "stage \"" + name + "\" is not defined in $.stages");
  }

  void read_transition(ProcessModel& m, const JsonValue& v, const std::string& path) const {
    expect(v, JsonValue::Type::object, path);
    keys(v, path, {"from", "to", "kind", "probability", "max_lead_time"});
    Transition t;
    for (const char* end : {"from", "to"})
      if (!v.find(end)) error(v, path, std::string("has no \"") + end + "\"");
    t.from = stage_ref(m, *v.find("from"), path + ".from");
    t.to = stage_ref(m, *v.find("to"), path + ".to");
    if (const JsonValue* k = v.find("kind")) t.kind = enum_value(*k, path + ".kind", parse_transition_kind);
    t.probability = optional_number(v, "probability", path);
    t.max_lead_time = optional_number(v, "max_lead_time", path);
    with_path(v, path, [&] { return m.add_transition(t); });
  }
};

}  // namespace detail

// A model from JSON text; `source` names the text in error messages.
inline ProcessModel model_from_json(std::string_view text, std::string_view source = "model JSON") {
  const quotaflow::detail::JsonValue root = quotaflow::detail::JsonParser::parse(text, source);
  return detail::ModelReader(source).read(root);
}

inline ProcessModel load_model(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(errc::io_error, "cannot open process model \"", path, "\"");
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) fail(errc::io_error, "cannot read process model \"", path, "\"");
  return model_from_json(buf.str(), path);
}

// The model as JSON: fixed key order, unset values and defaults left out, a newline at the end.
inline std::string to_json(const ProcessModel& m) {
  quotaflow::detail::JsonWriter w;
  const auto& st = m.stages();
  w.begin_object();
  w.key("schema");
  w.value(model_schema_id);
  if (!m.name().empty()) {
    w.key("name");
    w.value(m.name());
  }
  w.key("duration_unit");
  w.value(duration_unit_name(m.duration_unit()));
  if (m.start() >= 0) {
    w.key("start");
    w.value(st[static_cast<size_t>(m.start())].name);
  }
  auto opt_text = [&](std::string_view k, const std::string& v) {
    if (v.empty()) return;
    w.key(k);
    w.value(v);
  };
  auto opt_number = [&](std::string_view k, double v) {
    if (!is_set(v)) return;
    w.key(k);
    w.value(v);
  };
  auto opt_flag = [&](std::string_view k, bool v) {
    if (!v) return;
    w.key(k);
    w.value(true);
  };
  w.key("stages");
  w.begin_array();
  for (size_t i = 0; i < st.size(); ++i) {
    const Stage& s = st[i];
    w.begin_object();
    w.key("name");
    w.value(s.name);
    opt_text("role", s.role);
    opt_text("department", s.department);
    opt_number("win_probability", s.win_probability);
    opt_number("expected_duration", s.expected_duration);
    opt_number("max_duration", s.max_duration);
    opt_flag("required", s.required);
    if (s.terminal != TerminalKind::none) {
      w.key("terminal");
      w.value(terminal_kind_name(s.terminal));
    }
    bool any = false;
    for (const Activity& a : m.activities()) {
      if (a.stage != static_cast<int32_t>(i)) continue;
      if (!any) {
        w.key("activities");
        w.begin_array();
        any = true;
      }
      w.begin_object();
      w.key("name");
      w.value(a.name);
      opt_text("role", a.role);
      opt_flag("required", a.required);
      opt_number("due_within", a.due_within);
      w.end_object();
    }
    if (any) w.end_array();
    w.end_object();
  }
  w.end_array();
  w.key("transitions");
  w.begin_array();
  for (const Transition& t : m.transitions()) {
    w.begin_object();
    w.key("from");
    w.value(st[static_cast<size_t>(t.from)].name);
    w.key("to");
    w.value(st[static_cast<size_t>(t.to)].name);
    w.key("kind");
    w.value(transition_kind_name(t.kind));
    opt_number("probability", t.probability);
    opt_number("max_lead_time", t.max_lead_time);
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take();
}

inline void save_model(const ProcessModel& m, const std::string& path) {
  const std::string text = to_json(m);
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) fail(errc::io_error, "cannot open \"", path, "\" for writing");
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  if (!out) fail(errc::io_error, "cannot write \"", path, "\"");
}

}  // namespace quotaflow::process
