// quotaflow version (semantic versioning; the C ABI's SONAME follows the major version).
#pragma once

#define QUOTAFLOW_VERSION_MAJOR 0
#define QUOTAFLOW_VERSION_MINOR 1
#define QUOTAFLOW_VERSION_PATCH 0

namespace quotaflow {
inline constexpr int version_major = QUOTAFLOW_VERSION_MAJOR;
inline constexpr int version_minor = QUOTAFLOW_VERSION_MINOR;
inline constexpr int version_patch = QUOTAFLOW_VERSION_PATCH;
inline constexpr const char* version_string = "0.1.0";
}  // namespace quotaflow
