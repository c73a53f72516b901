#include "sidecar/executor/action.h"

#include <array>
#include <utility>

namespace tandem::executor {
namespace {

constexpr std::array<std::pair<Action, std::string_view>, 12> kNames{{
    {Action::kStart, "start"},
    {Action::kStop, "stop"},
    {Action::kMonitor, "monitor"},
    {Action::kPromote, "promote"},
    {Action::kDemote, "demote"},
    {Action::kNotify, "notify"},
    {Action::kReload, "reload"},
    {Action::kReloadAgent, "reload-agent"},
    {Action::kMigrateTo, "migrate_to"},
    {Action::kMigrateFrom, "migrate_from"},
    {Action::kMetaData, "meta-data"},
    {Action::kValidateAll, "validate-all"},
}};

}  // namespace

std::string_view action_name(Action action) {
  for (const auto& [value, name] : kNames) {
    if (value == action) return name;
  }
  return "?";
}

std::optional<Action> parse_action(std::string_view name) {
  for (const auto& [value, spelling] : kNames) {
    if (spelling == name) return value;
  }
  return std::nullopt;
}

Action action_of(model::OperationName name) {
  using model::OperationName;
  switch (name) {
    case OperationName::kStart:
      return Action::kStart;
    case OperationName::kStop:
      return Action::kStop;
    case OperationName::kMonitor:
      return Action::kMonitor;
    case OperationName::kPromote:
      return Action::kPromote;
    case OperationName::kDemote:
      return Action::kDemote;
    case OperationName::kNotify:
      return Action::kNotify;
    case OperationName::kReload:
      return Action::kReload;
    case OperationName::kReloadAgent:
      return Action::kReloadAgent;
    case OperationName::kMigrateTo:
      return Action::kMigrateTo;
    case OperationName::kMigrateFrom:
      return Action::kMigrateFrom;
  }
  return Action::kMonitor;
}

bool is_basic_action(Action action) {
  return action == Action::kStart || action == Action::kStop || action == Action::kMonitor;
}

}  // namespace tandem::executor
