// The one exception guard every C ABI function runs behind, and the thread's last error.
#pragma once

#include <cstring>
#include <new>
#include <string>

#include "quotaflow.h"
#include "quotaflow/core/error.hpp"

namespace quotaflow::capi {

inline std::string& last_error() {
  thread_local std::string message;
  return message;
}

// When memory has run out, qf_last_error_message() returns one of these string literals instead
// of last_error(): recording and reading them allocates nothing (clear() keeps the capacity).
inline const char*& last_static_error() {
  thread_local const char* message = nullptr;
  return message;
}
inline constexpr const char* out_of_memory_message = "out of memory";

inline qf_status set_static_error(qf_status status, const char* literal) noexcept {
  last_error().clear();
  last_static_error() = literal;
  return status;
}

// Records a failure for qf_last_error_message(). Never throws: if the copy cannot be made
// (no memory for the text), the status becomes QF_ERR_NO_MEMORY with the static message.
inline qf_status set_error(qf_status status, const char* message) noexcept {
  try {
    last_error().assign(message);
    last_static_error() = nullptr;
  } catch (...) {
    return set_static_error(QF_ERR_NO_MEMORY, out_of_memory_message);
  }
  return status;
}

// What qf_last_error_message() returns; never allocates.
inline const char* last_error_message() noexcept {
  const char* literal = last_static_error();
  return literal != nullptr ? literal : last_error().c_str();
}

// Runs f (returning void) and maps every exception onto a status; nothing escapes.
template <class F>
qf_status guard(F&& f) noexcept {
  try {
    f();
    return QF_OK;
  } catch (const error& e) {
    return set_error(static_cast<qf_status>(e.code()), e.what());
  } catch (const std::bad_alloc&) {
    return set_static_error(QF_ERR_NO_MEMORY, out_of_memory_message);
  } catch (const std::exception& e) {
    return set_error(QF_ERR_INTERNAL, e.what());
  } catch (...) {
    return set_error(QF_ERR_INTERNAL, "unknown exception inside quotaflow");
  }
}

// Null checks with a message naming the argument.
inline void require(const void* p, const char* name) {
  if (p == nullptr) fail(errc::null_pointer, name, " is NULL");
}
// A column pointer may be NULL only when its length is 0.
inline void require_column(const void* p, size_t n, const char* name) {
  if (p == nullptr && n != 0) fail(errc::null_pointer, name, " is NULL but its length is ", n);
}

// Copies s into a caller buffer with the size-query convention.
inline void write_string(const std::string& s, char* buf, size_t capacity, size_t* needed, const char* buf_name) {
  if (needed != nullptr) *needed = s.size();
  if (buf == nullptr && capacity == 0) return;
  require(buf, buf_name);
  if (capacity < s.size() + 1)
    fail(errc::buffer_too_small, buf_name, " has capacity ", capacity, " but ", s.size() + 1, " bytes are needed");
  std::memcpy(buf, s.c_str(), s.size() + 1);
}

}  // namespace quotaflow::capi
