#pragma once

// Every enumeration in the manifests, with the spelling users write. The
// spellings are Pacemaker's, so that people moving from a CIB recognise them.

#include <array>
#include <optional>
#include <span>
#include <string_view>

namespace tandem::model {

template <class E>
struct EnumName {
  E value;
  std::string_view name;
};

// Specialised below for every enum; kNames lists the accepted spellings.
template <class E>
struct EnumTraits;

template <class E>
concept NamedEnum = requires {
  EnumTraits<E>::kNames;
};

template <NamedEnum E>
constexpr std::string_view to_string(E value) {
  for (const auto& entry : EnumTraits<E>::kNames) {
    if (entry.value == value) return entry.name;
  }
  return "?";
}

template <NamedEnum E>
constexpr std::optional<E> parse_enum(std::string_view text) {
  for (const auto& entry : EnumTraits<E>::kNames) {
    if (entry.name == text) return entry.value;
  }
  return std::nullopt;
}

#define TANDEM_ENUM_NAMES(Type, ...)                                             \
  template <>                                                                    \
  struct EnumTraits<Type> {                                                      \
    static constexpr auto kNames = std::to_array<EnumName<Type>>({__VA_ARGS__}); \
  }

// The role of a resource instance.
enum class Role { kStopped, kStarted, kUnpromoted, kPromoted };
TANDEM_ENUM_NAMES(Role, {Role::kStopped, "Stopped"}, {Role::kStarted, "Started"},
                  {Role::kUnpromoted, "Unpromoted"}, {Role::kPromoted, "Promoted"});

// What to do when an operation fails (Pacemaker's on-fail).
enum class OnFail {
  kIgnore,
  kBlock,
  kStop,
  kRestart,
  kStandby,
  kFence,
  kDemote,
  kRestartContainer
};
TANDEM_ENUM_NAMES(OnFail, {OnFail::kIgnore, "ignore"}, {OnFail::kBlock, "block"},
                  {OnFail::kStop, "stop"}, {OnFail::kRestart, "restart"},
                  {OnFail::kStandby, "standby"}, {OnFail::kFence, "fence"},
                  {OnFail::kDemote, "demote"}, {OnFail::kRestartContainer, "restart-container"});

enum class NoQuorumPolicy { kStop, kFreeze, kIgnore, kDemote, kSuicide };
TANDEM_ENUM_NAMES(NoQuorumPolicy, {NoQuorumPolicy::kStop, "stop"},
                  {NoQuorumPolicy::kFreeze, "freeze"}, {NoQuorumPolicy::kIgnore, "ignore"},
                  {NoQuorumPolicy::kDemote, "demote"}, {NoQuorumPolicy::kSuicide, "suicide"});

// How node health attributes (#health-*: green, yellow, red or a number)
// turn into location scores (Pacemaker's node-health-strategy).
enum class HealthStrategy { kNone, kMigrateOnRed, kOnlyGreen, kProgressive, kCustom };
TANDEM_ENUM_NAMES(HealthStrategy, {HealthStrategy::kNone, "none"},
                  {HealthStrategy::kMigrateOnRed, "migrate-on-red"},
                  {HealthStrategy::kOnlyGreen, "only-green"},
                  {HealthStrategy::kProgressive, "progressive"},
                  {HealthStrategy::kCustom, "custom"});

enum class PlacementStrategy { kDefault, kUtilization, kMinimal, kBalanced };
TANDEM_ENUM_NAMES(PlacementStrategy, {PlacementStrategy::kDefault, "default"},
                  {PlacementStrategy::kUtilization, "utilization"},
                  {PlacementStrategy::kMinimal, "minimal"},
                  {PlacementStrategy::kBalanced, "balanced"});

enum class FencingAction { kReboot, kOff };
TANDEM_ENUM_NAMES(FencingAction, {FencingAction::kReboot, "reboot"}, {FencingAction::kOff, "off"});

// What to do when a resource is found active on more than one node.
enum class MultipleActive { kStopStart, kStopOnly, kBlock, kStopUnexpected };
TANDEM_ENUM_NAMES(MultipleActive, {MultipleActive::kStopStart, "stop_start"},
                  {MultipleActive::kStopOnly, "stop_only"}, {MultipleActive::kBlock, "block"},
                  {MultipleActive::kStopUnexpected, "stop_unexpected"});

// The condition under which a resource may start (Pacemaker's requires).
enum class Requires { kNothing, kQuorum, kFencing, kUnfencing };
TANDEM_ENUM_NAMES(Requires, {Requires::kNothing, "nothing"}, {Requires::kQuorum, "quorum"},
                  {Requires::kFencing, "fencing"}, {Requires::kUnfencing, "unfencing"});

enum class ResourceDiscovery { kAlways, kNever, kExclusive };
TANDEM_ENUM_NAMES(ResourceDiscovery, {ResourceDiscovery::kAlways, "always"},
                  {ResourceDiscovery::kNever, "never"},
                  {ResourceDiscovery::kExclusive, "exclusive"});

enum class OrderKind { kMandatory, kOptional, kSerialize };
TANDEM_ENUM_NAMES(OrderKind, {OrderKind::kMandatory, "Mandatory"},
                  {OrderKind::kOptional, "Optional"}, {OrderKind::kSerialize, "Serialize"});

// The actions an order constraint can relate.
enum class OrderAction { kStart, kStop, kPromote, kDemote };
TANDEM_ENUM_NAMES(OrderAction, {OrderAction::kStart, "start"}, {OrderAction::kStop, "stop"},
                  {OrderAction::kPromote, "promote"}, {OrderAction::kDemote, "demote"});

// The operations a resource can define (OCF action names).
enum class OperationName {
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
};
TANDEM_ENUM_NAMES(OperationName, {OperationName::kStart, "start"}, {OperationName::kStop, "stop"},
                  {OperationName::kMonitor, "monitor"}, {OperationName::kPromote, "promote"},
                  {OperationName::kDemote, "demote"}, {OperationName::kNotify, "notify"},
                  {OperationName::kReload, "reload"}, {OperationName::kReloadAgent, "reload-agent"},
                  {OperationName::kMigrateTo, "migrate_to"},
                  {OperationName::kMigrateFrom, "migrate_from"});

enum class BooleanOp { kAnd, kOr };
TANDEM_ENUM_NAMES(BooleanOp, {BooleanOp::kAnd, "and"}, {BooleanOp::kOr, "or"});

enum class ExpressionOperation { kLt, kGt, kLte, kGte, kEq, kNe, kDefined, kNotDefined };
TANDEM_ENUM_NAMES(ExpressionOperation, {ExpressionOperation::kLt, "lt"},
                  {ExpressionOperation::kGt, "gt"}, {ExpressionOperation::kLte, "lte"},
                  {ExpressionOperation::kGte, "gte"}, {ExpressionOperation::kEq, "eq"},
                  {ExpressionOperation::kNe, "ne"}, {ExpressionOperation::kDefined, "defined"},
                  {ExpressionOperation::kNotDefined, "not_defined"});

enum class DateOperation { kInRange, kGt, kLt, kDateSpec };
TANDEM_ENUM_NAMES(DateOperation, {DateOperation::kInRange, "in_range"}, {DateOperation::kGt, "gt"},
                  {DateOperation::kLt, "lt"}, {DateOperation::kDateSpec, "date_spec"});

enum class ExpressionType { kString, kInteger, kNumber, kVersion };
TANDEM_ENUM_NAMES(ExpressionType, {ExpressionType::kString, "string"},
                  {ExpressionType::kInteger, "integer"}, {ExpressionType::kNumber, "number"},
                  {ExpressionType::kVersion, "version"});

enum class ValueSource { kLiteral, kParam, kMeta };
TANDEM_ENUM_NAMES(ValueSource, {ValueSource::kLiteral, "literal"}, {ValueSource::kParam, "param"},
                  {ValueSource::kMeta, "meta"});

enum class CryptoCipher { kNone, kAes256 };
TANDEM_ENUM_NAMES(CryptoCipher, {CryptoCipher::kNone, "none"}, {CryptoCipher::kAes256, "aes256"});

enum class CryptoHash { kNone, kSha256 };
TANDEM_ENUM_NAMES(CryptoHash, {CryptoHash::kNone, "none"}, {CryptoHash::kSha256, "sha256"});

// Which partition keeps quorum in an even split (votequorum's
// auto_tie_breaker_node).
enum class TieBreaker { kLowest, kHighest, kList };
TANDEM_ENUM_NAMES(TieBreaker, {TieBreaker::kLowest, "lowest"}, {TieBreaker::kHighest, "highest"},
                  {TieBreaker::kList, "list"});

enum class ConditionStatus { kTrue, kFalse, kUnknown };
TANDEM_ENUM_NAMES(ConditionStatus, {ConditionStatus::kTrue, "True"},
                  {ConditionStatus::kFalse, "False"}, {ConditionStatus::kUnknown, "Unknown"});

// A node's state as crm_mon shows it.
enum class NodeState { kOnline, kOffline, kUnclean, kPending, kShutdown };
TANDEM_ENUM_NAMES(NodeState, {NodeState::kOnline, "online"}, {NodeState::kOffline, "offline"},
                  {NodeState::kUnclean, "unclean"}, {NodeState::kPending, "pending"},
                  {NodeState::kShutdown, "shutdown"});

#undef TANDEM_ENUM_NAMES

}  // namespace tandem::model
