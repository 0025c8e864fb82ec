// Interning: names to dense int32 ids in first-seen order.
//
// Names cross the library once, at the boundary, and are integers afterwards. The interner keeps
// one hash map from name to id and the names in id order.
//   Interner acts;
//   acts.intern("lead") == 0;  acts.intern("won") == 1;  acts.intern("lead") == 0
//   acts.find("won") == 1;  acts.names() == {"lead", "won"}
//
// Thread rule: not synchronised; one thread interns, any number may read a finished interner.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "quotaflow/core/error.hpp"

namespace quotaflow {

namespace detail {
// Transparent hash so a string_view looks up a std::string key without a temporary string.
struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
}  // namespace detail

class Interner {
 public:
  Interner() = default;

  // The id of `name`, adding it with the next id when it is new.
  int32_t intern(std::string_view name) {
    auto it = index_.find(name);
    if (it != index_.end()) return it->second;
    if (names_.size() >= static_cast<std::size_t>(std::numeric_limits<int32_t>::max()))
      fail(errc::out_of_range, "an interner holds at most 2^31-1 names");
    const auto id = static_cast<int32_t>(names_.size());
    names_.emplace_back(name);
    index_.emplace(names_.back(), id);
    return id;
  }

  // The id of `name`, or nullopt when it was never interned.
  [[nodiscard]] std::optional<int32_t> find(std::string_view name) const {
    auto it = index_.find(name);
    if (it == index_.end()) return std::nullopt;
    return it->second;
  }

  [[nodiscard]] std::size_t size() const noexcept { return names_.size(); }
  [[nodiscard]] const std::vector<std::string>& names() const noexcept { return names_; }
  // Moves the names out and leaves the interner empty.
  std::vector<std::string> take_names() {
    index_.clear();
    return std::exchange(names_, {});
  }
  void reserve(std::size_t n) {
    names_.reserve(n);
    index_.reserve(n);
  }

 private:
  std::vector<std::string> names_;
  std::unordered_map<std::string, int32_t, detail::string_hash, std::equal_to<>> index_;
};

}  // namespace quotaflow
