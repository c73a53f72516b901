#include "sidecar/executor/agent_metadata.h"

#include <gtest/gtest.h>

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;

const char* kStateful = R"(<?xml version="1.0"?>
<!DOCTYPE resource-agent SYSTEM "ra-api-1.dtd">
<resource-agent name="Stateful" version="1.2">
<version>1.1</version>
<parameters>
<parameter name="state" unique-group="state">
<content type="string" default="/run/Stateful.state" />
</parameter>
<parameter name="envfile" required="1"><content type="string" /></parameter>
</parameters>
<actions>
<action name="start"   timeout="20s" />
<action name="monitor" depth="0" timeout="20s" interval="10s" role="Promoted"/>
<action name="monitor" depth="0" timeout="21s" interval="11s" role="Unpromoted"/>
<action name="promote" timeout="10" />
<action name="notify"  timeout="often" />
</actions>
</resource-agent>
)";

TEST(AgentMetadata, reads_actions_and_their_timeouts) {
  auto metadata = parse_agent_metadata(kStateful);
  ASSERT_TRUE(metadata) << metadata.error().message;
  EXPECT_EQ(metadata->name, "Stateful");
  EXPECT_EQ(metadata->version, "1.2");
  ASSERT_EQ(metadata->actions.size(), 5u);
  EXPECT_TRUE(metadata->implements("promote"));
  EXPECT_FALSE(metadata->implements("migrate_to"));
  EXPECT_EQ(metadata->timeout_of("start"), 20s);
  EXPECT_EQ(metadata->timeout_of("monitor"), 20s) << "the first entry counts";
  EXPECT_EQ(metadata->timeout_of("promote"), 10s) << "a bare number is seconds";
  EXPECT_EQ(metadata->timeout_of("notify"), std::nullopt) << "unreadable advice is ignored";
  EXPECT_EQ(metadata->actions[2].interval, 11s);
  EXPECT_EQ(metadata->actions[2].role, "Unpromoted");
}

TEST(AgentMetadata, reads_parameters) {
  auto metadata = parse_agent_metadata(kStateful);
  ASSERT_TRUE(metadata);
  ASSERT_EQ(metadata->parameters.size(), 2u);
  EXPECT_EQ(metadata->parameters[0].name, "state");
  EXPECT_EQ(metadata->parameters[0].default_value, "/run/Stateful.state");
  EXPECT_TRUE(metadata->parameters[1].required);
}

TEST(AgentMetadata, rejects_what_is_not_meta_data) {
  EXPECT_TRUE(parse_agent_metadata("<resource-agent")
                  .error()
                  .message.starts_with("the meta-data is not XML: "));
  EXPECT_EQ(parse_agent_metadata("<other/>").error().message,
            "the meta-data has no <resource-agent> element");
  EXPECT_FALSE(parse_agent_metadata(""));
}

}  // namespace
}  // namespace tandem::executor
