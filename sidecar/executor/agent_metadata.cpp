#include "sidecar/executor/agent_metadata.h"

#include <pugixml.hpp>

namespace tandem::executor {

bool AgentMetadata::implements(std::string_view action) const {
  for (const auto& a : actions) {
    if (a.name == action) return true;
  }
  return false;
}

std::optional<Duration> AgentMetadata::timeout_of(std::string_view action) const {
  for (const auto& a : actions) {
    if (a.name == action && a.timeout) return a.timeout;
  }
  return std::nullopt;
}

Result<AgentMetadata> parse_agent_metadata(std::string_view xml) {
  pugi::xml_document document;
  // No DOCTYPE or entity expansion: pugixml does not fetch or expand external
  // entities, so agent output cannot make us read files.
  pugi::xml_parse_result parsed =
      document.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return fail(std::string("the meta-data is not XML: ") + parsed.description() + " at byte " +
                std::to_string(parsed.offset));
  }
  pugi::xml_node agent = document.child("resource-agent");
  if (!agent) return fail("the meta-data has no <resource-agent> element");

  AgentMetadata metadata;
  metadata.name = agent.attribute("name").as_string();
  metadata.version = agent.attribute("version").as_string();
  auto duration = [](const char* text) -> std::optional<Duration> {
    if (text == nullptr || *text == '\0') return std::nullopt;
    auto parsed_duration = parse_duration(text);
    if (!parsed_duration) return std::nullopt;
    return *parsed_duration;
  };
  for (pugi::xml_node action : agent.child("actions").children("action")) {
    metadata.actions.push_back(AgentActionInfo{
        action.attribute("name").as_string(), duration(action.attribute("timeout").as_string()),
        duration(action.attribute("interval").as_string()), action.attribute("role").as_string()});
  }
  for (pugi::xml_node parameter : agent.child("parameters").children("parameter")) {
    AgentParameterInfo info;
    info.name = parameter.attribute("name").as_string();
    info.required = parameter.attribute("required").as_bool();
    info.unique = parameter.attribute("unique").as_bool();
    info.default_value = parameter.child("content").attribute("default").as_string();
    metadata.parameters.push_back(std::move(info));
  }
  return metadata;
}

}  // namespace tandem::executor
