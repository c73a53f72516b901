#include "sidecar/groups/session.h"

#include "common/core/assert.h"

namespace tandem::groups {

void LineReader::feed(std::string_view bytes) {
  if (overflowed_) return;
  // Drop what was taken before growing, so the buffer holds at most one
  // partial line and the bytes just read.
  if (start_ > 0) {
    buffer_.erase(0, start_);
    scanned_ -= start_;
    start_ = 0;
  }
  buffer_.append(bytes);
}

std::optional<std::string> LineReader::next() {
  if (overflowed_) return std::nullopt;
  std::size_t newline = buffer_.find('\n', scanned_);
  if (newline == std::string::npos) {
    scanned_ = buffer_.size();
    if (buffer_.size() - start_ > max_line_) overflowed_ = true;
    return std::nullopt;
  }
  if (newline - start_ > max_line_) {
    overflowed_ = true;
    return std::nullopt;
  }
  std::size_t end = newline;
  if (end > start_ && buffer_[end - 1] == '\r') --end;
  std::string line = buffer_.substr(start_, end - start_);
  start_ = newline + 1;
  scanned_ = start_;
  return line;
}

bool OutputQueue::push(std::string line) {
  if (bytes_ + line.size() > limit_) return false;
  bytes_ += line.size();
  lines_.push_back(std::move(line));
  return true;
}

void OutputQueue::close_with(std::string line) {
  if (written_ > 0) {
    std::string rest = lines_.front().substr(written_);
    lines_.clear();
    lines_.push_back(std::move(rest));
  } else {
    lines_.clear();
  }
  written_ = 0;
  bytes_ = lines_.empty() ? 0 : lines_.front().size();
  bytes_ += line.size();
  lines_.push_back(std::move(line));
}

std::string_view OutputQueue::front() const {
  if (lines_.empty()) return {};
  return std::string_view(lines_.front()).substr(written_);
}

void OutputQueue::consume(std::size_t count) {
  TANDEM_ASSERT(!lines_.empty() && count <= lines_.front().size() - written_,
                "consumed more than the first line holds");
  written_ += count;
  bytes_ -= count;
  if (written_ == lines_.front().size()) {
    lines_.pop_front();
    written_ = 0;
  }
}

}  // namespace tandem::groups
