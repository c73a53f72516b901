#pragma once

// TANDEM_ASSERT guards invariants that only a bug can break. It stays on in
// release builds: an HA system that continues on corrupt state is worse than
// one that stops and lets its peers take over.

namespace tandem {
[[noreturn]] void assertion_failed(const char* expression, const char* message, const char* file,
                                   int line);
}  // namespace tandem

#define TANDEM_ASSERT(condition, message) \
  ((condition) ? static_cast<void>(0)     \
               : ::tandem::assertion_failed(#condition, message, __FILE__, __LINE__))
