// Fuzzes Amount::parse; whatever parses must format back to a string that parses to the same value.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "quotaflow/core/amount.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace quotaflow;
  if (size < 1) return 0;
  int scale = data[0] % 19;
  std::string text(reinterpret_cast<const char*>(data + 1), size - 1);
  try {
    Amount a = Amount::parse(text, scale);
    if (Amount::parse(a.format(scale), scale) != a) std::abort();
  } catch (const error&) {
  }
  return 0;
}
