#pragma once

// The last bytes of an agent's output. Agents can write without end; the
// sidecar keeps a bounded tail, counts the rest, and never grows with it.

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::executor {

inline constexpr std::size_t kDefaultOutputLimit = 16 * 1024;

class OutputTail {
 public:
  explicit OutputTail(std::size_t limit = kDefaultOutputLimit);

  void append(std::string_view bytes);

  // The kept bytes, oldest first.
  std::string text() const;
  std::size_t total_bytes() const { return total_; }
  bool truncated() const { return total_ > limit_; }

 private:
  std::size_t limit_;
  std::string ring_;
  std::size_t start_ = 0;  // index of the oldest byte once the ring is full
  std::size_t total_ = 0;
};

// The agent's explanation: the text after the last "ocf-exit-reason:" at the
// start of a line, trimmed and at most 512 bytes; empty when there is none.
std::string exit_reason(std::string_view output);

}  // namespace tandem::executor
