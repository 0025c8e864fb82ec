// Helpers shared by the fuzz targets that read a document and write it back.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "quotaflow/core/error.hpp"

namespace qf_fuzz {

// A broken invariant aborts, which libFuzzer and the corpus replay both report.
inline void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "broken invariant: %s\n", what);
    std::abort();
  }
}

// Reads `text`; nullopt when it is rejected with a quotaflow error (fine for any input). What is
// accepted must write out (write) to text that reads back, and writing that again must give the
// same bytes (the writer is canonical). Returns {what was read, what was read back}; the caller
// compares the two field by field.
template <class T>
struct RoundTrip {
  T first, back;
};
template <class T, class Read, class Write>
std::optional<RoundTrip<T>> round_trip(std::string_view text, Read read, Write write) {
  std::optional<T> first;
  try {
    first.emplace(read(text, "fuzz"));
  } catch (const quotaflow::error&) {
    return std::nullopt;
  }
  const std::string saved = write(*first);
  std::optional<T> back;
  try {
    back.emplace(read(saved, "saved"));
  } catch (const quotaflow::error& e) {
    std::fprintf(stderr, "the saved text does not read back: %s\n%s\n", e.what(), saved.c_str());
    std::abort();
  }
  check(write(*back) == saved, "the writer is not canonical");
  return RoundTrip<T>{std::move(*first), std::move(*back)};
}

}  // namespace qf_fuzz
