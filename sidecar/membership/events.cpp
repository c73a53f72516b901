#include "sidecar/membership/events.h"

namespace tandem::membership {

const char* to_string(ConfigurationKind kind) {
  return kind == ConfigurationKind::kTransitional ? "transitional" : "regular";
}

}  // namespace tandem::membership
