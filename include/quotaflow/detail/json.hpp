// A small strict JSON reader and a deterministic writer, for quotaflow's own file formats.
//
// Reader: RFC 8259 exactly (no comments, no trailing commas, no NaN, no single quotes), UTF-8
// text, \uXXXX escapes including surrogate pairs, duplicate object keys rejected, nesting depth
// limited to 256. Every error is errc::parse_error with the line and column and the JSON path of
// the value being read ("line 4, column 17 (at $.stages[2].name): expected '\"'").
// Every value remembers where it started, so a schema reader reports "$.stages[3].max_duration
// (line 12, column 25): expected a number, got a string".
//
// Writer: keys in the order given, two-space indentation, numbers in the shortest form that reads
// back to the same double (std::to_chars), so the same document always gives the same bytes.
//
// Namespace quotaflow::detail: not part of the public API.
#pragma once

#include <charconv>
#include <cstdio>
#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "quotaflow/core/error.hpp"

namespace quotaflow::detail {

class JsonValue {
 public:
  enum class Type : uint8_t { null, boolean, number, string, array, object };
  using Member = std::pair<std::string, JsonValue>;

  JsonValue() = default;

  [[nodiscard]] Type type() const noexcept { return type_; }
  [[nodiscard]] bool is(Type t) const noexcept { return type_ == t; }
  [[nodiscard]] bool boolean() const noexcept { return bool_; }
  [[nodiscard]] double number() const noexcept { return num_; }
  [[nodiscard]] const std::string& string() const noexcept { return str_; }
  [[nodiscard]] const std::vector<JsonValue>& array() const noexcept { return arr_; }
  [[nodiscard]] const std::vector<Member>& object() const noexcept { return obj_; }
  [[nodiscard]] int line() const noexcept { return line_; }
  [[nodiscard]] int column() const noexcept { return col_; }

  // The member named `key` of an object, or nullptr.
  [[nodiscard]] const JsonValue* find(std::string_view key) const noexcept {
    for (const auto& m : obj_)
      if (m.first == key) return &m.second;
    return nullptr;
  }

  static constexpr std::string_view type_name(Type t) noexcept {
    switch (t) {
      case Type::null: return "null";
      case Type::boolean: return "a boolean";
      case Type::number: return "a number";
      case Type::string: return "a string";
      case Type::array: return "an array";
      case Type::object: return "an object";
    }
    return "?";
  }

 private:
  friend class JsonParser;
  Type type_ = Type::null;
  bool bool_ = false;
  double num_ = 0;
  std::string str_;
  std::vector<JsonValue> arr_;
  std::vector<Member> obj_;
  int line_ = 0, col_ = 0;
};

class JsonParser {
 public:
  // Parses a whole document; `source` names it in messages ("model.json").
  static JsonValue parse(std::string_view text, std::string_view source = "JSON") {
    JsonParser p(text, source);
    p.skip_ws();
    JsonValue v = p.value(0);
    p.skip_ws();
    if (p.pos_ != text.size()) p.error("unexpected text after the end of the document");
    return v;
  }

 private:
  static constexpr int max_depth = 256;

  JsonParser(std::string_view text, std::string_view source) : s_(text), source_(source) { path_.reserve(8); }

  std::string_view s_;
  std::string_view source_;
  size_t pos_ = 0;
  int line_ = 1;
  size_t line_start_ = 0;
  std::vector<std::string> path_;  // path pieces: ".key" or "[i]"

  std::string path() const {
    std::string p = "$";
    for (const auto& piece : path_) p += piece;
    return p;
  }

  [[noreturn]] void error(std::string_view what) const {
    fail(errc::parse_error, source_, " line ", line_, ", column ", column(), " (at ", path(), "): ", what);
  }
  int column() const { return static_cast<int>(pos_ - line_start_) + 1; }

  bool at_end() const { return pos_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[pos_]; }

  void skip_ws() {
    while (!at_end()) {
      char c = s_[pos_];
      if (c == '\n') {
        ++pos_;
        ++line_;
        line_start_ = pos_;
      } else if (c == ' ' || c == '\t' || c == '\r') {
        ++pos_;
      } else {
        break;
      }
    }
  }

  void expect(char c, std::string_view what) {
    if (peek() != c) error(at_end() ? std::string("unexpected end of input; expected ").append(what)
                                    : std::string("expected ").append(what).append(", found ").append(describe_here()));
    ++pos_;
  }

  std::string describe_here() const {
    if (at_end()) return "the end of input";
    unsigned char c = static_cast<unsigned char>(s_[pos_]);
    if (c < 0x20 || c >= 0x7f) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "byte 0x%02X", c);
      return buf;
    }
    return std::string("'") + static_cast<char>(c) + "'";
  }

  JsonValue value(int depth) {
    if (depth > max_depth) error("nesting deeper than 256 levels");
    JsonValue v;
    v.line_ = line_;
    v.col_ = column();
    char c = peek();
    if (c == '{') {
      v.type_ = JsonValue::Type::object;
      object(v, depth);
    } else if (c == '[') {
      v.type_ = JsonValue::Type::array;
      array(v, depth);
    } else if (c == '"') {
      v.type_ = JsonValue::Type::string;
      v.str_ = string();
    } else if (c == 't' || c == 'f' || c == 'n') {
      literal(v);
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      v.type_ = JsonValue::Type::number;
      v.num_ = number();
    } else {
      error(at_end() ? std::string("unexpected end of input; expected a value")
                     : "expected a value, found " + describe_here());
    }
    return v;
  }

  void literal(JsonValue& v) {
    auto take = [&](std::string_view word) {
      if (s_.substr(pos_, word.size()) != word) error("expected a value, found " + describe_here());
      pos_ += word.size();
    };
    if (peek() == 't') {
      take("true");
      v.type_ = JsonValue::Type::boolean;
      v.bool_ = true;
    } else if (peek() == 'f') {
      take("false");
      v.type_ = JsonValue::Type::boolean;
    } else {
      take("null");
    }
  }

  void object(JsonValue& v, int depth) {
    ++pos_;  // '{'
    skip_ws();
    if (peek() == '}') {
      ++pos_;
      return;
    }
    for (;;) {
      skip_ws();
      if (peek() != '"') error("expected '\"' to start an object key, found " + describe_here());
      std::string key = string();
      for (const auto& m : v.obj_)
        if (m.first == key) error("duplicate key \"" + key + "\"");
      skip_ws();
      expect(':', "':' after an object key");
      skip_ws();
      path_.push_back("." + key);
      JsonValue member = value(depth + 1);
      path_.pop_back();
      v.obj_.emplace_back(std::move(key), std::move(member));
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect('}', "',' or '}' after an object member");
      return;
    }
  }

  void array(JsonValue& v, int depth) {
    ++pos_;  // '['
    skip_ws();
    if (peek() == ']') {
      ++pos_;
      return;
    }
    for (;;) {
      skip_ws();
      path_.push_back("[" + std::to_string(v.arr_.size()) + "]");
      v.arr_.push_back(value(depth + 1));
      path_.pop_back();
      skip_ws();
      if (peek() == ',') {
        ++pos_;
        continue;
      }
      expect(']', "',' or ']' after an array element");
      return;
    }
  }

  unsigned hex4() {
    if (pos_ + 4 > s_.size()) error("unexpected end of input inside a \\u escape");
    unsigned v = 0;
    for (int i = 0; i < 4; ++i) {
      char c = s_[pos_];
      v <<= 4;
      if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
      else error("expected 4 hexadecimal digits after \\u, found " + describe_here());
      ++pos_;
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  // One UTF-8 sequence starting at pos_, validated (no overlongs, no surrogates, <= U+10FFFF).
  void utf8_sequence(std::string& out) {
    const auto b0 = static_cast<unsigned char>(s_[pos_]);
    int len = b0 >= 0xF0 && b0 <= 0xF4 ? 4 : b0 >= 0xE0 ? 3 : b0 >= 0xC2 && b0 < 0xE0 ? 2 : 0;
    if (len == 0 || pos_ + static_cast<size_t>(len) > s_.size()) error("invalid UTF-8: " + describe_here());
    unsigned cp = b0 & (len == 2 ? 0x1Fu : len == 3 ? 0x0Fu : 0x07u);
    for (int i = 1; i < len; ++i) {
      const auto b = static_cast<unsigned char>(s_[pos_ + static_cast<size_t>(i)]);
      if ((b & 0xC0) != 0x80) error("invalid UTF-8: " + describe_here());
      cp = (cp << 6) | (b & 0x3Fu);
    }
    if ((len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)))
      error("invalid UTF-8: " + describe_here());
    out.append(s_.substr(pos_, static_cast<size_t>(len)));
    pos_ += static_cast<size_t>(len);
  }

  std::string string() {
    ++pos_;  // opening quote
    std::string out;
    for (;;) {
      if (at_end()) error("unexpected end of input inside a string");
      const auto c = static_cast<unsigned char>(s_[pos_]);
      if (c == '"') {
        ++pos_;
        return out;
      }
      if (c < 0x20) error("control character " + describe_here() + " inside a string (escape it)");
      if (c >= 0x80) {
        utf8_sequence(out);
        continue;
      }
      if (c != '\\') {
        out.push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      ++pos_;
      if (at_end()) error("unexpected end of input inside a string");
      const char e = s_[pos_];
      switch (e) {
        case '"': out.push_back('"'); break;
        case '\\': out.push_back('\\'); break;
        case '/': out.push_back('/'); break;
        case 'b': out.push_back('\b'); break;
        case 'f': out.push_back('\f'); break;
        case 'n': out.push_back('\n'); break;
        case 'r': out.push_back('\r'); break;
        case 't': out.push_back('\t'); break;
        case 'u': {
          ++pos_;
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (s_.substr(pos_, 2) != "\\u") error("a high surrogate \\u escape must be followed by a low surrogate");
            pos_ += 2;
            unsigned lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) error("a high surrogate \\u escape must be followed by a low surrogate");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            error("a low surrogate \\u escape without a high surrogate before it");
          }
          append_utf8(out, cp);
          continue;
        }
        default: error("invalid escape \\" + describe_here());
      }
      ++pos_;
    }
  }

  double number() {
    const size_t start = pos_;
    auto digits = [&] {
      size_t n = 0;
      while (!at_end() && s_[pos_] >= '0' && s_[pos_] <= '9') {
        ++pos_;
        ++n;
      }
      return n;
    };
    if (peek() == '-') ++pos_;
    if (peek() == '0') {
      ++pos_;
      if (peek() >= '0' && peek() <= '9') error("a number may not have a leading zero");
    } else if (digits() == 0) {
      error("expected a digit, found " + describe_here());
    }
    if (peek() == '.') {
      ++pos_;
      if (digits() == 0) error("expected a digit after the decimal point, found " + describe_here());
    }
    if (peek() == 'e' || peek() == 'E') {
      ++pos_;
      if (peek() == '+' || peek() == '-') ++pos_;
      if (digits() == 0) error("expected a digit in the exponent, found " + describe_here());
    }
    double v = 0;
    auto r = std::from_chars(s_.data() + start, s_.data() + pos_, v);
    if (r.ec == std::errc::result_out_of_range) {
      // Underflow reads as zero; overflow is an error. A negative exponent underflows; a
      // non-negative one overflows; without an exponent a non-zero integer part overflows.
      const std::string_view text = s_.substr(start, pos_ - start);
      const size_t e = text.find_first_of("eE");
      const bool overflow = e != std::string_view::npos ? text[e + 1] != '-'
                                                          : text.substr(text[0] == '-' ? 1 : 0, 1) != "0";
      if (overflow) error("number " + std::string(text) + " is out of range");
      v = 0;
    } else if (r.ec != std::errc() || r.ptr != s_.data() + pos_) {
      error("malformed number");
    }
    return v;
  }
};

// Deterministic writer: call begin/end and key/value in document order.
class JsonWriter {
 public:
  void begin_object() { open('{'); }
  void end_object() { close('}'); }
  void begin_array() { open('['); }
  void end_array() { close(']'); }

  void key(std::string_view k) {
    separator();
    quote(k);
    out_ += ": ";
    after_key_ = true;
  }
  void value(std::string_view s) {
    separator();
    quote(s);
  }
  void value(const char* s) { value(std::string_view(s)); }
  void value(bool b) {
    separator();
    out_ += b ? "true" : "false";
  }
  void value(double d) {
    if (!std::isfinite(d)) fail(errc::invalid_argument, "JSON cannot hold the non-finite number ", d);
    separator();
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, d);
    out_.append(buf, r.ptr);
  }
  void null() {
    separator();
    out_ += "null";
  }

  // The document, ending with a newline.
  [[nodiscard]] std::string take() {
    out_.push_back('\n');
    return std::move(out_);
  }

  static void quote_into(std::string& out, std::string_view s) {
    out.push_back('"');
    for (char ch : s) {
      const auto c = static_cast<unsigned char>(ch);
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
          if (c < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else {
            out.push_back(ch);
          }
      }
    }
    out.push_back('"');
  }

 private:
  struct Level {
    char closer;
    bool empty;
  };
  std::string out_;
  std::vector<Level> stack_;
  bool after_key_ = false;

  void quote(std::string_view s) { quote_into(out_, s); }

  void newline_indent() {
    out_.push_back('\n');
    out_.append(2 * stack_.size(), ' ');
  }
  void separator() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (stack_.empty()) return;
    if (!stack_.back().empty) out_.push_back(',');
    stack_.back().empty = false;
    newline_indent();
  }
  void open(char c) {
    separator();
    out_.push_back(c);
    stack_.push_back({c == '{' ? '}' : ']', true});
  }
  void close(char c) {
    const bool was_empty = stack_.back().empty;
    stack_.pop_back();
    if (!was_empty) newline_indent();
    out_.push_back(c);
  }
};

}  // namespace quotaflow::detail
