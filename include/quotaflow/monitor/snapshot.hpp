// Versioned binary snapshots: the framing and the little-endian field codec the streaming
// monitor saves its state with.
//
// Why a hand-written format: a host application must survive restarts without losing events, on
// any platform, with a file it can trust. So the layout is explicit little-endian (never a memory
// dump, which would change with the compiler's padding or the machine's byte order), and every
// snapshot carries its own length and checksum so a corrupt or truncated file is detected before
// a single field is believed.
//
//   offset  size  field
//   0       8     magic "QFMONSNP"
//   8       4     format version (uint32, currently 2; version 1 snapshots are refused, see
//                 docs/streaming.md)
//   12      8     payload length in bytes (uint64)
//   20      n     payload (the fields of the monitor, see monitor.hpp)
//   20+n    4     CRC-32 (IEEE 802.3, the zlib polynomial) of bytes 0 .. 20+n
//
//   std::vector<uint8_t> bytes = snapshot::seal(payload);
//   gsl::span<const uint8_t> p = snapshot::unseal(bytes);   // throws on any damage
//
// Thread rule: plain functions and values.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include <gsl/span>

#include "quotaflow/core/error.hpp"

namespace quotaflow::monitor::snapshot {

inline constexpr std::array<uint8_t, 8> magic = {'Q', 'F', 'M', 'O', 'N', 'S', 'N', 'P'};
inline constexpr uint32_t format_version = 2;  // 2: deals with pipeline fields, sale alerts, collections
inline constexpr size_t header_size = 20;
inline constexpr size_t trailer_size = 4;

// CRC-32 (reflected 0xEDB88320, init and final xor 0xFFFFFFFF): crc32("123456789") == 0xCBF43926.
inline uint32_t crc32(gsl::span<const uint8_t> bytes) noexcept {
  static const auto table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1u) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (uint8_t b : bytes) c = table[(c ^ b) & 0xFFu] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

// Appends fields in little-endian order.
class Writer {
 public:
  void u8(uint8_t v) { buf_.push_back(v); }
  void u16(uint16_t v) { put(v, 2); }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void i32(int32_t v) { put(static_cast<uint32_t>(v), 4); }
  void i64(int64_t v) { put(static_cast<uint64_t>(v), 8); }
  void f64(double v) {
    uint64_t b;
    std::memcpy(&b, &v, 8);
    put(b, 8);
  }
  void str(std::string_view s) {
    u64(s.size());
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  [[nodiscard]] std::vector<uint8_t>& bytes() noexcept { return buf_; }

 private:
  std::vector<uint8_t> buf_;
  void put(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) buf_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
};

// Reads fields back; every read names what it was reading when the bytes run out, so an error
// says where a snapshot is damaged ("snapshot is truncated: deals[3].stage needs 4 bytes at
// offset 120, 2 remain").
class Reader {
 public:
  explicit Reader(gsl::span<const uint8_t> bytes) : p_(bytes) {}
  uint8_t u8(std::string_view what) { return static_cast<uint8_t>(get(1, what)); }
  uint16_t u16(std::string_view what) { return static_cast<uint16_t>(get(2, what)); }
  uint32_t u32(std::string_view what) { return static_cast<uint32_t>(get(4, what)); }
  uint64_t u64(std::string_view what) { return get(8, what); }
  int32_t i32(std::string_view what) { return static_cast<int32_t>(static_cast<uint32_t>(get(4, what))); }
  int64_t i64(std::string_view what) { return static_cast<int64_t>(get(8, what)); }
  double f64(std::string_view what) {
    const uint64_t b = get(8, what);
    double v;
    std::memcpy(&v, &b, 8);
    return v;
  }
  std::string str(std::string_view what) {
    const uint64_t n = u64(what);
    need(n, what);
    std::string s(reinterpret_cast<const char*>(p_.data() + pos_), static_cast<size_t>(n));
    pos_ += static_cast<size_t>(n);
    return s;
  }
  // A count of records of at least `min_record` bytes each: checked against what remains before
  // anything is allocated, so a corrupt count cannot ask for terabytes.
  size_t count(std::string_view what, size_t min_record) {
    const uint64_t n = u64(what);
    const size_t left = p_.size() - pos_;
    if (min_record > 0 && n > left / min_record)
      fail(errc::parse_error, "snapshot is corrupt: ", what, " is ", n, " but only ", left, " bytes remain at offset ", pos_);
    return static_cast<size_t>(n);
  }
  void finish() const {
    if (pos_ != p_.size())
      fail(errc::parse_error, "snapshot is corrupt: ", p_.size() - pos_, " unread bytes after the last field at offset ", pos_);
  }
  [[nodiscard]] size_t offset() const noexcept { return pos_; }

 private:
  gsl::span<const uint8_t> p_;
  size_t pos_ = 0;
  void need(uint64_t n, std::string_view what) const {
    if (n > p_.size() - pos_)
      fail(errc::parse_error, "snapshot is truncated: ", what, " needs ", n, " bytes at offset ", pos_, ", ",
           p_.size() - pos_, " remain");
  }
  uint64_t get(int n, std::string_view what) {
    need(static_cast<uint64_t>(n), what);
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v |= static_cast<uint64_t>(p_[pos_ + static_cast<size_t>(i)]) << (8 * i);
    pos_ += static_cast<size_t>(n);
    return v;
  }
};

// Frames a payload: header, payload, checksum.
inline std::vector<uint8_t> seal(gsl::span<const uint8_t> payload) {
  Writer w;
  auto& b = w.bytes();
  b.reserve(header_size + payload.size() + trailer_size);
  b.insert(b.end(), magic.begin(), magic.end());
  w.u32(format_version);
  w.u64(payload.size());
  b.insert(b.end(), payload.begin(), payload.end());
  w.u32(crc32(b));
  return std::move(b);
}

// The payload of a sealed snapshot, after checking magic, version, length and checksum (in that
// order, so the error names the first thing wrong). Every failure is errc::parse_error.
inline gsl::span<const uint8_t> unseal(gsl::span<const uint8_t> bytes) {
  const size_t n = bytes.size();
  if (n < header_size + trailer_size)
    fail(errc::parse_error, "snapshot is truncated: ", n, " bytes, but the header and checksum alone take ",
         header_size + trailer_size);
  if (std::memcmp(bytes.data(), magic.data(), magic.size()) != 0)
    fail(errc::parse_error, "snapshot has a bad magic number: it does not start with \"QFMONSNP\"");
  Reader r(bytes.subspan(8, 12));
  const uint32_t version = r.u32("version");
  if (version != format_version)
    fail(errc::parse_error, "snapshot format version is ", version, "; this library reads version ", format_version,
         version < format_version ? " (an older format: rebuild the monitor and replay its events)" : "");
  const uint64_t length = r.u64("length");
  if (length != n - header_size - trailer_size)
    fail(errc::parse_error, "snapshot is truncated or padded: the header says ", length, " payload bytes, ",
         n - header_size - trailer_size, " are present");
  Reader t(bytes.subspan(n - trailer_size));
  const uint32_t stored = t.u32("checksum"), actual = crc32(bytes.first(n - trailer_size));
  if (stored != actual)
    fail(errc::parse_error, "snapshot checksum mismatch: stored CRC-32 ", stored, ", computed ", actual,
         " (the snapshot is corrupt)");
  return bytes.subspan(header_size, static_cast<size_t>(length));
}

}  // namespace quotaflow::monitor::snapshot
