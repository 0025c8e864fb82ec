// quotaflow error model: one exception type carrying a stable code.
//
// Every failure the library reports is a quotaflow::error whose message names the offending
// argument and value ("weights[17] is NaN"). The code maps one-to-one onto the C ABI's qf_status
// and onto the Python exception classes, so a message never changes on its way out.
#pragma once

#include <charconv>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

namespace quotaflow {

// Stable numeric codes: identical to the C ABI's QF_ERR_* values. Never renumber or reuse.
enum class errc : int {
  ok = 0,
  invalid_argument = -1,  // a value is not acceptable (NaN, negative, malformed, unknown grain)
  out_of_range = -2,      // a date or index outside what is supported
  overflow = -3,          // integer arithmetic would overflow int64
  not_found = -4,         // an unknown name or id (preset, node, stage)
  io_error = -5,          // a file could not be opened or read
  parse_error = -6,       // malformed input text (CSV, JSON); message gives the line
  no_memory = -7,         // allocation failed
  buffer_too_small = -8,  // a caller buffer cannot hold the result (C ABI only)
  null_pointer = -9,      // a required pointer argument is NULL (C ABI only)
  internal = -10,         // a broken invariant: a bug in quotaflow, please report it
};

// Short stable name of a code ("invalid_argument").
constexpr std::string_view errc_name(errc c) noexcept {
  switch (c) {
    case errc::ok: return "ok";
    case errc::invalid_argument: return "invalid_argument";
    case errc::out_of_range: return "out_of_range";
    case errc::overflow: return "overflow";
    case errc::not_found: return "not_found";
    case errc::io_error: return "io_error";
    case errc::parse_error: return "parse_error";
    case errc::no_memory: return "no_memory";
    case errc::buffer_too_small: return "buffer_too_small";
    case errc::null_pointer: return "null_pointer";
    case errc::internal: return "internal";
  }
  return "unknown";
}

// The one exception type thrown by quotaflow. Catch `quotaflow::error` and read code().
class error : public std::runtime_error {
 public:
  error(errc code, const std::string& message) : std::runtime_error(message), code_(code) {}
  [[nodiscard]] errc code() const noexcept { return code_; }

 private:
  errc code_;
};

namespace detail {
// Builds a message from pieces without iostreams: fail(errc::invalid_argument, "weights[", i, "] is NaN").
inline void append_piece(std::string& s, std::string_view v) { s.append(v); }
inline void append_piece(std::string& s, const char* v) { s.append(v); }
inline void append_piece(std::string& s, const std::string& v) { s.append(v); }
inline void append_piece(std::string& s, char v) { s.push_back(v); }
template <class T>
void append_piece(std::string& s, T v) requires std::is_arithmetic_v<T> {
  if constexpr (std::is_floating_point_v<T>) {
    // Shortest text that reads back as the same double: "0.8", not "0.80000000000000004".
    char buf[32];
    const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<double>(v));
    s.append(buf, r.ptr);
  } else {
    s.append(std::to_string(v));
  }
}
}  // namespace detail

template <class... Parts>
[[noreturn]] void fail(errc code, const Parts&... parts) {
  std::string message;
  (detail::append_piece(message, parts), ...);
  throw error(code, message);
}

}  // namespace quotaflow
