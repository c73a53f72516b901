#pragma once

// An OCF agent's meta-data XML: the actions it implements with their
// suggested timeouts, and its parameters. Pure: parses text.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/duration.h"
#include "common/core/result.h"

namespace tandem::executor {

struct AgentActionInfo {
  std::string name;
  std::optional<Duration> timeout;
  std::optional<Duration> interval;
  std::string role;
};

struct AgentParameterInfo {
  std::string name;
  bool required = false;
  bool unique = false;
  std::string default_value;
};

struct AgentMetadata {
  std::string name;
  std::string version;
  std::vector<AgentActionInfo> actions;
  std::vector<AgentParameterInfo> parameters;

  bool implements(std::string_view action) const;
  // The suggested timeout of the first entry for the action, if any.
  std::optional<Duration> timeout_of(std::string_view action) const;
};

// Fails with a message naming what is wrong when the text is not XML or has
// no <resource-agent> element. Unreadable timeouts are ignored, as Pacemaker
// ignores them: the meta-data only advises.
Result<AgentMetadata> parse_agent_metadata(std::string_view xml);

}  // namespace tandem::executor
