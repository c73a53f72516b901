#include "common/core/assert.h"

#include <cstdio>
#include <cstdlib>

namespace tandem {

void assertion_failed(const char* expression, const char* message, const char* file, int line) {
  std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", file, line, message, expression);
  std::fflush(stderr);
  std::abort();
}

}  // namespace tandem
