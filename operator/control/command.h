#pragma once

// What `tandemctl standby|unstandby|ban|move|clear|cleanup|maintenance|
// unmanage|manage` asks the operator to do, as it travels over HTTP
// (POST /v1/commands, JSON).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace tandem::control {

enum class Verb {
  kStandby,
  kUnstandby,
  kBan,
  kMove,
  kClear,
  kCleanup,
  kMaintenance,
  kUnmanage,
  kManage,
};

std::string_view to_string(Verb verb);

struct ControlCommand {
  Verb verb = Verb::kStandby;
  std::string node;      // standby, unstandby; ban, move, cleanup: optional
  std::string resource;  // ban, move, clear, cleanup, unmanage, manage
  // ban and move: how long the constraint stays; unset means until cleared.
  std::optional<std::int64_t> lifetime_ms;
  // maintenance: of the whole cluster (maintenance-mode) rather than of
  // `node`, and whether it is turned on or off.
  bool cluster = false;
  bool on = false;

  bool operator==(const ControlCommand&) const = default;
};

std::string encode(const ControlCommand& command);
// Errors name the field that is wrong ("lifetimeMs: expected ...").
Result<ControlCommand> decode_command(std::string_view json);

}  // namespace tandem::control
