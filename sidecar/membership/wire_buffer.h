#pragma once

// Little-endian writing and bounds-checked reading for wire.cpp. The reader
// never reads past its span: a short read records what was missing and
// returns zero, and the decoder reports the first failure.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tandem::membership::detail {

class WireWriter {
 public:
  void u8(std::uint8_t value) { out_.push_back(value); }
  void u16(std::uint16_t value) { put(value, 2); }
  void u32(std::uint32_t value) { put(value, 4); }
  void u64(std::uint64_t value) { put(value, 8); }
  void bytes(std::span<const std::uint8_t> data) {
    out_.insert(out_.end(), data.begin(), data.end());
  }
  std::vector<std::uint8_t> take() { return std::move(out_); }

 private:
  void put(std::uint64_t value, int width) {
    for (int i = 0; i < width; ++i) out_.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
  }
  std::vector<std::uint8_t> out_;
};

class WireReader {
 public:
  explicit WireReader(std::span<const std::uint8_t> data) : data_(data) {}

  std::uint8_t u8(const char* field) { return static_cast<std::uint8_t>(get(1, field)); }
  std::uint16_t u16(const char* field) { return static_cast<std::uint16_t>(get(2, field)); }
  std::uint32_t u32(const char* field) { return static_cast<std::uint32_t>(get(4, field)); }
  std::uint64_t u64(const char* field) { return get(8, field); }
  std::vector<std::uint8_t> bytes(std::size_t count, const char* field) {
    if (!has(count, field)) return {};
    std::vector<std::uint8_t> out(data_.begin() + static_cast<std::ptrdiff_t>(pos_),
                                  data_.begin() + static_cast<std::ptrdiff_t>(pos_ + count));
    pos_ += count;
    return out;
  }

  // Records a semantic error; the first error wins.
  void fail(std::string message) {
    if (error_.empty()) error_ = std::move(message);
  }
  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }
  std::size_t remaining() const { return data_.size() - pos_; }

 private:
  bool has(std::size_t count, const char* field) {
    if (!ok()) return false;
    if (remaining() < count) {
      fail(std::string("truncated: ") + field + " needs " + std::to_string(count) + " bytes, " +
           std::to_string(remaining()) + " left");
      return false;
    }
    return true;
  }
  std::uint64_t get(std::size_t width, const char* field) {
    if (!has(width, field)) return 0;
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) value |= std::uint64_t{data_[pos_ + i]} << (8 * i);
    pos_ += width;
    return value;
  }

  std::span<const std::uint8_t> data_;
  std::size_t pos_ = 0;
  std::string error_;
};

}  // namespace tandem::membership::detail
