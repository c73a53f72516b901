#pragma once

// The operator's state directory: its incarnation counter (which makes
// action ids unique across restarts) and the status file.

#include <cstdint>
#include <string>

#include "common/core/result.h"

namespace tandem::operator_daemon {

// Creates the directory if needed, then reads, increments and writes back
// STATE_DIR/incarnation; returns the new value.
Result<std::uint64_t> next_incarnation(const std::string& state_dir);

// Writes `content` to `path` atomically: a temporary file in the same
// directory, flushed, then renamed over `path`.
Result<void> write_atomically(const std::string& path, const std::string& content);

}  // namespace tandem::operator_daemon
