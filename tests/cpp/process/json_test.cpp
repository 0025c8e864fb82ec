// The strict JSON reader and writer, and process models as JSON: round trips, byte stability,
// and every kind of bad file reported with its JSON path and line.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "model_fixtures.hpp"
#include "quotaflow/detail/json.hpp"
#include "quotaflow/process/model_json.hpp"
#include "quotaflow/process/validate.hpp"
#include "test_util.hpp"

using namespace quotaflow;
using namespace quotaflow::process;
using quotaflow::detail::JsonParser;
using quotaflow::detail::JsonValue;
using quotaflow::detail::JsonWriter;

TEST(Json, ParsesEveryValueKind) {
  JsonValue v = JsonParser::parse(R"( {"a": [1, -2.5e3, 0, true, false, null], "b": {"c": "x"}, "d": []} )");
  ASSERT_TRUE(v.is(JsonValue::Type::object));
  const auto& a = v.find("a")->array();
  ASSERT_EQ(a.size(), 6u);
  EXPECT_EQ(a[0].number(), 1);
  EXPECT_EQ(a[1].number(), -2500);
  EXPECT_TRUE(a[3].boolean());
  EXPECT_FALSE(a[4].boolean());
  EXPECT_TRUE(a[5].is(JsonValue::Type::null));
  EXPECT_EQ(v.find("b")->find("c")->string(), "x");
  EXPECT_TRUE(v.find("d")->array().empty());
  EXPECT_EQ(v.find("zzz"), nullptr);
  EXPECT_EQ(a[1].line(), 1);
  EXPECT_EQ(a[1].column(), 12);
}

TEST(Json, StringEscapesAndUnicode) {
  JsonValue v = JsonParser::parse(R"("q\" b\\ s\/ \b\f\n\r\t \u00e9 \u4e2d \ud83d\ude00")");
  EXPECT_EQ(v.string(), "q\" b\\ s/ \b\f\n\r\t \xc3\xa9 \xe4\xb8\xad \xf0\x9f\x98\x80");
  EXPECT_EQ(JsonParser::parse("\"\xe4\xb8\xad\"").string(), "\xe4\xb8\xad");  // raw UTF-8 passes through
  EXPECT_QF_ERROR(JsonParser::parse(R"("\ud83d")"), errc::parse_error, "high surrogate");
  EXPECT_QF_ERROR(JsonParser::parse(R"("\ude00")"), errc::parse_error, "low surrogate");
  EXPECT_QF_ERROR(JsonParser::parse(R"("\x")"), errc::parse_error, "invalid escape \\'x'");
  EXPECT_QF_ERROR(JsonParser::parse(R"("\u12g4")"), errc::parse_error, "4 hexadecimal digits");
  EXPECT_QF_ERROR(JsonParser::parse("\"a\nb\""), errc::parse_error, "control character byte 0x0A");
  EXPECT_QF_ERROR(JsonParser::parse("\"\xc3\x28\""), errc::parse_error, "invalid UTF-8");
  EXPECT_QF_ERROR(JsonParser::parse("\"\xed\xa0\x80\""), errc::parse_error, "invalid UTF-8");  // encoded surrogate
  EXPECT_QF_ERROR(JsonParser::parse("\"abc"), errc::parse_error, "unexpected end of input inside a string");
}

TEST(Json, NumbersAreStrict) {
  EXPECT_EQ(JsonParser::parse("0.5").number(), 0.5);
  EXPECT_EQ(JsonParser::parse("-0").number(), 0);
  EXPECT_EQ(JsonParser::parse("1E2").number(), 100);
  EXPECT_EQ(JsonParser::parse("1e-400").number(), 0);  // underflow is zero
  EXPECT_QF_ERROR(JsonParser::parse("01"), errc::parse_error, "leading zero");
  EXPECT_QF_ERROR(JsonParser::parse("1."), errc::parse_error, "digit after the decimal point");
  EXPECT_QF_ERROR(JsonParser::parse("1e+"), errc::parse_error, "digit in the exponent");
  EXPECT_QF_ERROR(JsonParser::parse("-"), errc::parse_error, "expected a digit");
  EXPECT_QF_ERROR(JsonParser::parse("+1"), errc::parse_error, "expected a value, found '+'");
  EXPECT_QF_ERROR(JsonParser::parse("1e999"), errc::parse_error, "out of range");
  EXPECT_QF_ERROR(JsonParser::parse("NaN"), errc::parse_error, "expected a value, found 'N'");
}

TEST(Json, SyntaxErrorsGiveLineColumnAndPath) {
  const char* text = "{\n  \"stages\": [\n    {\"name\": \"a\",}\n  ]\n}";
  EXPECT_QF_ERROR(JsonParser::parse(text, "m.json"), errc::parse_error,
                  "m.json line 3, column 18 (at $.stages[0]): expected '\"' to start an object key, found '}'");
  EXPECT_QF_ERROR(JsonParser::parse("[1, 2,]"), errc::parse_error, "line 1, column 7 (at $[2]): expected a value, found ']'");
  EXPECT_QF_ERROR(JsonParser::parse("[1 2]"), errc::parse_error, "expected ',' or ']' after an array element, found '2'");
  EXPECT_QF_ERROR(JsonParser::parse("{\"a\" 1}"), errc::parse_error, "expected ':' after an object key");
  EXPECT_QF_ERROR(JsonParser::parse("{\"a\": 1, \"a\": 2}"), errc::parse_error, "duplicate key \"a\"");
  EXPECT_QF_ERROR(JsonParser::parse("{} x"), errc::parse_error, "unexpected text after the end");
  EXPECT_QF_ERROR(JsonParser::parse(""), errc::parse_error, "unexpected end of input; expected a value");
  EXPECT_QF_ERROR(JsonParser::parse("{\"a\": [1, "), errc::parse_error, "(at $.a[1]): unexpected end of input");
  EXPECT_QF_ERROR(JsonParser::parse("tru"), errc::parse_error, "expected a value");
  EXPECT_QF_ERROR(JsonParser::parse("// c\n{}"), errc::parse_error, "found '/'");
  EXPECT_QF_ERROR(JsonParser::parse(std::string(300, '[') + std::string(300, ']')), errc::parse_error, "deeper than 256");
  EXPECT_NO_THROW(JsonParser::parse(std::string(200, '[') + std::string(200, ']')));
}

TEST(Json, WriterIsDeterministicAndRoundTrips) {
  JsonWriter w;
  w.begin_object();
  w.key("s");
  w.value("a\"b\\c\n\x01\xe4\xb8\xad");
  w.key("n");
  w.begin_array();
  w.value(0.1);
  w.value(1e21);
  w.value(3.0);
  w.value(-2.5);
  w.end_array();
  w.key("e");
  w.begin_object();
  w.end_object();
  w.key("b");
  w.value(true);
  w.key("z");
  w.null();
  w.end_object();
  const std::string out = w.take();
  EXPECT_EQ(out, "{\n  \"s\": \"a\\\"b\\\\c\\n\\u0001\xe4\xb8\xad\",\n  \"n\": [\n    0.1,\n    1e+21,\n    3,\n    -2.5\n  ],\n"
                 "  \"e\": {},\n  \"b\": true,\n  \"z\": null\n}\n");
  JsonValue v = JsonParser::parse(out);
  EXPECT_EQ(v.find("s")->string(), "a\"b\\c\n\x01\xe4\xb8\xad");
  EXPECT_EQ(v.find("n")->array()[0].number(), 0.1);
  JsonWriter bad;
  EXPECT_QF_ERROR(bad.value(std::nan("")), errc::invalid_argument, "non-finite");
}

TEST(ModelJson, RoundTripIsExactAndByteStable) {
  ProcessModel m = qf_test::sales_model();
  const std::string text = to_json(m);
  ProcessModel back = model_from_json(text);
  EXPECT_EQ(to_json(back), text);
  ASSERT_EQ(back.num_stages(), m.num_stages());
  for (size_t i = 0; i < m.num_stages(); ++i) {
    EXPECT_EQ(back.stages()[i].name, m.stages()[i].name);
    EXPECT_EQ(back.stages()[i].role, m.stages()[i].role);
    EXPECT_EQ(back.stages()[i].department, m.stages()[i].department);
    EXPECT_EQ(back.stages()[i].required, m.stages()[i].required);
    EXPECT_EQ(back.stages()[i].terminal, m.stages()[i].terminal);
    EXPECT_EQ(is_set(back.stages()[i].max_duration), is_set(m.stages()[i].max_duration));
  }
  EXPECT_EQ(back.transitions()[4].max_lead_time, 1.0);
  EXPECT_EQ(back.transitions()[8].kind, TransitionKind::rework);
  EXPECT_EQ(back.activities()[0].due_within, 2.0);
  EXPECT_TRUE(back.activities()[0].required);
  EXPECT_EQ(back.start(), 0);
  EXPECT_NE(text.find("\"schema\": \"quotaflow.process_model/1\""), std::string::npos);
  // Awkward numbers and names survive exactly.
  ProcessModel odd("\xe4\xb8\xad \"quoted\"", DurationUnit::hours);
  Stage s;
  s.name = "a\tb";
  s.win_probability = 0.1 + 0.2;
  s.max_duration = 1e-7;
  odd.add_stage(s);
  ProcessModel odd_back = model_from_json(to_json(odd));
  EXPECT_EQ(odd_back.name(), odd.name());
  EXPECT_EQ(odd_back.stages()[0].name, "a\tb");
  EXPECT_EQ(odd_back.stages()[0].win_probability, 0.1 + 0.2);
  EXPECT_EQ(odd_back.stages()[0].max_duration, 1e-7);
  EXPECT_EQ(odd_back.duration_unit(), DurationUnit::hours);
  EXPECT_EQ(odd_back.start(), -1);
}

TEST(ModelJson, SchemaErrorsNameThePathAndLine) {
  auto load = [](const std::string& body) { return model_from_json(body, "m.json"); };
  EXPECT_QF_ERROR(load("[]"), errc::parse_error, "m.json: $ (line 1, column 1): expected an object, got an array");
  EXPECT_QF_ERROR(load("{}"), errc::parse_error, "$ (line 1, column 1): has no \"stages\" array");
  EXPECT_QF_ERROR(load(R"({"stages": [], "colour": 1})"), errc::parse_error, "$.colour (line 1, column 26): unknown key; expected one of schema, name");
  EXPECT_QF_ERROR(load(R"({"schema": "quotaflow.process_model/9", "stages": []})"), errc::parse_error,
                  "$.schema (line 1, column 12): is \"quotaflow.process_model/9\"");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}, {"name": "b"}, {"name": "c"},
  {"name": "d", "max_duration": "3"}]})"),
                  errc::parse_error, "$.stages[3].max_duration (line 2, column 33): expected a number, got a string");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a", "max_duration": -3}]})"), errc::parse_error,
                  "$.stages[0] (line 1, column 13): stages[0] (\"a\").max_duration is -3");
  EXPECT_QF_ERROR(load(R"({"stages": [{"role": "x"}]})"), errc::parse_error, "$.stages[0] (line 1, column 13): has no \"name\"");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": ""}]})"), errc::parse_error, "$.stages[0].name (line 1, column 22): is empty");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a", "terminal": "maybe"}]})"), errc::parse_error,
                  "$.stages[0].terminal", "\"maybe\"; expected won, lost or none");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a", "required": 1}]})"), errc::parse_error,
                  "$.stages[0].required (line 1, column 39): expected a boolean, got a number");
  EXPECT_QF_ERROR(load(R"({"duration_unit": "weeks", "stages": []})"), errc::parse_error, "$.duration_unit", "\"weeks\"");
  // Duplicate names: stages, activities, and an activity named like a stage.
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}, {"name": "a"}]})"), errc::parse_error,
                  "$.stages[1].name (line 1, column 37): \"a\" is a duplicate of $.stages[0].name");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}, {"name": "b", "activities": [{"name": "a"}]}]})"), errc::parse_error,
                  "$.stages[1].activities[0].name", "\"a\" is a duplicate of $.stages[0].name");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a", "activities": [{"name": "x", "due": 3}]}]})"), errc::parse_error,
                  "$.stages[0].activities[0].due", "unknown key; expected one of name, role, required, due_within");
  // Bad references.
  EXPECT_QF_ERROR(load(R"({"start": "nope", "stages": [{"name": "a"}]})"), errc::parse_error,
                  "$.start (line 1, column 11): stage \"nope\" is not defined in $.stages");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}], "transitions": [{"from": "a", "to": "b"}]})"), errc::parse_error,
                  "$.transitions[0].to (line 1, column 65): stage \"b\" is not defined");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}], "transitions": [{"from": "a"}]})"), errc::parse_error,
                  "$.transitions[0] (line 1, column 45): has no \"to\"");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}], "transitions": [{"from": "a", "to": "a", "kind": "back"}]})"),
                  errc::parse_error, "$.transitions[0].kind", "\"back\"");
  EXPECT_QF_ERROR(load(R"({"stages": [{"name": "a"}], "transitions": [{"from": "a", "to": "a", "probability": 2}]})"),
                  errc::parse_error, "$.transitions[0]", "probability is 2");
  // Malformed JSON keeps the source name, line and path.
  EXPECT_QF_ERROR(load("{\n\"stages\": [\n{\"name\": \"a\"\n]}"), errc::parse_error,
                  "m.json line 4, column 1 (at $.stages[0]): expected ',' or '}' after an object member, found ']'");
  // null means unset for optional numbers.
  ProcessModel m = load(R"({"stages": [{"name": "a", "max_duration": null, "terminal": null}]})");
  EXPECT_FALSE(is_set(m.stages()[0].max_duration));
}

TEST(ModelJson, LoadAndSaveFiles) {
  const auto dir = std::filesystem::temp_directory_path();
  const std::string path = (dir / "qf_model_json_test.json").string();
  ProcessModel m = qf_test::sales_model();
  save_model(m, path);
  EXPECT_EQ(to_json(load_model(path)), to_json(m));
  std::filesystem::remove(path);
  EXPECT_QF_ERROR(load_model(path), errc::io_error, "cannot open process model", "qf_model_json_test.json");
  EXPECT_QF_ERROR(save_model(m, (dir / "no_such_dir" / "x.json").string()), errc::io_error, "cannot open");
  {
    std::ofstream bad(path);
    bad << "{\"stages\": [1]}";
  }
  EXPECT_QF_ERROR(load_model(path), errc::parse_error, "qf_model_json_test.json: $.stages[0] (line 1, column 13): expected an object");
  std::filesystem::remove(path);
}

TEST(ModelJson, SampleCompanyModelIsValid) {
  ProcessModel m = load_model(std::string(QUOTAFLOW_PROJECT_DATA_DIR) + "/sample_company/process_model.json");
  EXPECT_TRUE(validate(m).empty());
  EXPECT_EQ(m.num_stages(), 12u);
  EXPECT_EQ(m.transitions().size(), 18u);
  EXPECT_EQ(m.stage_name(m.start()), "lead");
  EXPECT_EQ(m.stage(m.stage_index("payment")).terminal, TerminalKind::won);
  EXPECT_EQ(m.stage(m.stage_index("negotiation")).max_duration, 28);  // stall_factor 2 x 14 days
}
