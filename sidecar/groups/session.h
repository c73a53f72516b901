#pragma once

// The two buffers of a client connection, bounded, with no I/O: what came
// in, cut into lines, and what is to go out.

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>

namespace tandem::groups {

// Cuts a byte stream into lines. A line longer than the limit cannot be
// taken: overflowed() says so and the connection has to end.
class LineReader {
 public:
  explicit LineReader(std::size_t max_line) : max_line_(max_line) {}

  void feed(std::string_view bytes);
  // The next complete line without its newline (and without a CR before
  // it), or nullopt.
  std::optional<std::string> next();
  bool overflowed() const { return overflowed_; }

 private:
  std::size_t max_line_;
  std::string buffer_;
  std::size_t start_ = 0;    // where the next line begins
  std::size_t scanned_ = 0;  // no newline before here
  bool overflowed_ = false;
};

// Lines waiting to be written, at most `limit` bytes of them. A client
// that does not read its events fills it: push() then refuses, and the
// adapter drops the client with close_with(), which keeps only the rest
// of the line being written (so the client never sees half a line
// followed by another) and the final line.
class OutputQueue {
 public:
  explicit OutputQueue(std::size_t limit) : limit_(limit) {}

  // False, queueing nothing, when the line does not fit.
  bool push(std::string line);
  void close_with(std::string line);

  bool empty() const { return lines_.empty(); }
  std::size_t bytes() const { return bytes_; }
  // What to write next: the unwritten part of the first line.
  std::string_view front() const;
  void consume(std::size_t count);

 private:
  std::size_t limit_;
  std::deque<std::string> lines_;
  std::size_t written_ = 0;  // of lines_.front()
  std::size_t bytes_ = 0;    // not yet written
};

}  // namespace tandem::groups
