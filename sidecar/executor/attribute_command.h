#pragma once

// The command lines of Pacemaker's crm_attribute, crm_master, attrd_updater
// and crm_node, as resource agents use them, read into one request. The
// tool that carries it out (attribute_tool_main.cpp) hands node attributes
// and promotion scores to the sidecar through its attribute store. Pure.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"

namespace tandem::executor {

// Pacemaker's exit codes for these tools (crm_exit_t), which agents test.
inline constexpr int kToolExitOk = 0;
inline constexpr int kToolExitError = 1;
inline constexpr int kToolExitUsage = 64;
inline constexpr int kToolExitNoSuch = 105;

enum class AttributeOp { kSet, kDelete, kQuery, kPrintNodeName };

struct AttributeCommand {
  AttributeOp op = AttributeOp::kQuery;
  std::string name;
  std::string value;                    // for kSet
  std::optional<std::string> node;      // -N: must be this node when given
  std::optional<std::string> fallback;  // crm_attribute -d: printed when a query finds nothing
  bool quiet = false;                   // -q: print the bare value
  std::string tool;                     // which command was run, for messages and output
};

// Attribute names become file names in the store: letters, digits and
// "-_.:#", not starting with '.', at most 200 bytes.
bool is_attribute_name(std::string_view name);
// Values: at most 4096 bytes, no NUL or line break.
bool is_attribute_value(std::string_view value);

// `tool` is the name the helper was run as (the last path component of
// argv[0]); `args` the arguments after it; `env` gives OCF_RESOURCE_INSTANCE
// and OCF_RESKEY_CRM_meta_globally_unique for promotion scores.
Result<AttributeCommand> parse_attribute_command(std::string_view tool,
                                                 const std::vector<std::string>& args,
                                                 const std::map<std::string, std::string>& env);

// The promotion score's attribute: "master-" and the resource instance, with
// an anonymous clone's ":N" removed, as Pacemaker's scheduler looks it up.
std::string promotion_attribute(std::string_view instance, bool globally_unique);

}  // namespace tandem::executor
