#pragma once

// The actions an agent can be asked to perform: the operations a manifest
// can define, plus meta-data and validate-all, which only run on request.

#include <cstddef>
#include <optional>
#include <string_view>

#include "common/model/enums.h"

namespace tandem::executor {

enum class Action {
  kStart,
  kStop,
  kMonitor,
  kPromote,
  kDemote,
  kNotify,
  kReload,
  kReloadAgent,
  kMigrateTo,
  kMigrateFrom,
  kMetaData,
  kValidateAll,
};
// How many actions there are: kValidateAll stays last.
inline constexpr std::size_t kActionCount = static_cast<std::size_t>(Action::kValidateAll) + 1;

// The OCF spelling: "start", "migrate_to", "reload-agent", "meta-data".
std::string_view action_name(Action action);
std::optional<Action> parse_action(std::string_view name);
Action action_of(model::OperationName name);

// Actions that process and systemd resources implement.
bool is_basic_action(Action action);

}  // namespace tandem::executor
