#include "sidecar/executor/output_tail.h"

#include <algorithm>

#include "sidecar/executor/agent_environment.h"

namespace tandem::executor {

OutputTail::OutputTail(std::size_t limit) : limit_(std::max<std::size_t>(limit, 1)) {}

void OutputTail::append(std::string_view bytes) {
  total_ += bytes.size();
  if (bytes.size() >= limit_) {
    ring_.assign(bytes.substr(bytes.size() - limit_));
    start_ = 0;
    return;
  }
  if (ring_.size() < limit_) {
    std::size_t room = limit_ - ring_.size();
    std::size_t now = std::min(room, bytes.size());
    ring_.append(bytes.substr(0, now));
    bytes.remove_prefix(now);
  }
  // The ring is full: overwrite the oldest bytes.
  for (char c : bytes) {
    ring_[start_] = c;
    start_ = (start_ + 1) % limit_;
  }
}

std::string OutputTail::text() const {
  if (ring_.size() < limit_ || start_ == 0) return ring_;
  return ring_.substr(start_) + ring_.substr(0, start_);
}

std::string exit_reason(std::string_view output) {
  constexpr std::size_t kMaxReason = 512;
  std::string_view found;
  std::size_t line_start = 0;
  while (line_start < output.size()) {
    std::size_t end = output.find('\n', line_start);
    if (end == std::string_view::npos) end = output.size();
    std::string_view line = output.substr(line_start, end - line_start);
    if (line.starts_with(kExitReasonPrefix)) found = line.substr(kExitReasonPrefix.size());
    line_start = end + 1;
  }
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r'; };
  while (!found.empty() && is_space(found.front())) found.remove_prefix(1);
  while (!found.empty() && is_space(found.back())) found.remove_suffix(1);
  return std::string(found.substr(0, kMaxReason));
}

}  // namespace tandem::executor
