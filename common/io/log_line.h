#pragma once

// The programs' log: one line per event on standard error, with a UTC
// timestamp to the millisecond ("2026-01-02T03:04:05.678Z message"), whole
// even when several threads log at once.

#include <cstdint>
#include <string>
#include <string_view>

namespace tandem::io {

std::int64_t now_unix_ms();
std::string format_unix_ms(std::int64_t unix_ms);
void log_line(std::string_view message);

}  // namespace tandem::io
