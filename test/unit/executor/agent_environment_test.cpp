#include "sidecar/executor/agent_environment.h"

#include <gtest/gtest.h>

#include "test/unit/support.h"

namespace tandem::executor {
namespace {

using namespace std::chrono_literals;

model::HAResource resource_from(const std::string& yaml) {
  model::Manifests manifests = testing::normalized(yaml);
  EXPECT_EQ(manifests.resources.size(), 1u);
  return manifests.resources.empty() ? model::HAResource{} : manifests.resources.front();
}

const char* kVip = R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: vip}
spec:
  agent: {ocf: {provider: heartbeat, type: IPaddr2}}
  params: {ip: 192.0.2.10, cidr_netmask: "24"}
)";

const char* kPromotable = R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: db}
spec:
  agent: {ocf: {provider: pacemaker, type: Stateful}}
  clone: {max: 2, notify: true, promotable: {promotedMax: 1}}
)";

NodeContext node() {
  return NodeContext{"/usr/lib/ocf", "node1", "/opt/tandem/agent-bin", "/run/tandem/attributes"};
}

TEST(AgentEnvironment, has_what_the_ocf_api_and_pacemaker_give_an_agent) {
  AgentInvocation invocation{OperationRequest{Action::kMonitor, 10s, 30s, std::nullopt},
                             std::nullopt, std::nullopt};
  Environment env = ocf_environment(resource_from(kVip), invocation, node());
  EXPECT_EQ(env["OCF_ROOT"], "/usr/lib/ocf");
  EXPECT_EQ(env["OCF_RA_VERSION_MAJOR"], "1");
  EXPECT_EQ(env["OCF_RA_VERSION_MINOR"], "1");
  EXPECT_EQ(env["OCF_RESOURCE_INSTANCE"], "vip");
  EXPECT_EQ(env["OCF_RESOURCE_TYPE"], "IPaddr2");
  EXPECT_EQ(env["OCF_RESOURCE_PROVIDER"], "heartbeat");
  EXPECT_EQ(env["OCF_RESKEY_ip"], "192.0.2.10");
  EXPECT_EQ(env["OCF_RESKEY_cidr_netmask"], "24");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_interval"], "10000");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_timeout"], "30000");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_name"], "monitor");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_on_node"], "node1");
  EXPECT_EQ(env["OCF_EXIT_REASON_PREFIX"], "ocf-exit-reason:");
  EXPECT_FALSE(env.contains("OCF_RESKEY_CRM_meta_clone"));
}

TEST(AgentEnvironment, a_parameter_override_for_this_node_replaces_the_value) {
  const char* yaml = R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: vip}
spec:
  agent: {ocf: {provider: heartbeat, type: IPaddr2}}
  params: {ip: 192.0.2.10, nic: eth0}
  paramOverrides:
    - rule: {expressions: [{attribute: "#uname", operation: eq, value: node1}]}
      params: {nic: eth1}
    - rule: {expressions: [{attribute: rack, operation: eq, value: r2}]}
      params: {nic: eth2}
)";
  AgentInvocation invocation{OperationRequest{Action::kStart, 0s, 30s, std::nullopt}, std::nullopt,
                             std::nullopt};
  const model::HAResource vip = resource_from(yaml);
  EXPECT_EQ(ocf_environment(vip, invocation, node())["OCF_RESKEY_nic"], "eth1");
  NodeContext other = node();
  other.node_name = "node2";
  EXPECT_EQ(ocf_environment(vip, invocation, other)["OCF_RESKEY_nic"], "eth0");
  other.attributes["rack"] = "r2";
  EXPECT_EQ(ocf_environment(vip, invocation, other)["OCF_RESKEY_nic"], "eth2");
  EXPECT_EQ(ocf_environment(vip, invocation, other)["OCF_RESKEY_ip"], "192.0.2.10");
}

TEST(AgentEnvironment, puts_the_attribute_commands_first_on_the_path) {
  AgentInvocation invocation{OperationRequest{Action::kStart, 0s, 20s, std::nullopt}, std::nullopt,
                             std::nullopt};
  Environment env = ocf_environment(resource_from(kVip), invocation, node());
  EXPECT_TRUE(env["PATH"].starts_with("/opt/tandem/agent-bin:/usr/local/sbin:"));
  EXPECT_EQ(env["HA_SBIN_DIR"], "/opt/tandem/agent-bin");
  EXPECT_EQ(env["TANDEM_ATTRIBUTE_DIR"], "/run/tandem/attributes");
  EXPECT_EQ(env["TANDEM_NODE_NAME"], "node1");
}

TEST(AgentEnvironment, gives_clone_instances_their_number_and_the_clone_meta) {
  AgentInvocation invocation{OperationRequest{Action::kPromote, 0s, 10s, std::nullopt}, 1,
                             std::nullopt};
  Environment env = ocf_environment(resource_from(kPromotable), invocation, node());
  // Anonymous: every instance is the clone's name, as in Pacemaker.
  EXPECT_EQ(env["OCF_RESOURCE_INSTANCE"], "db");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_clone"], "1");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_clone_max"], "2");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_clone_node_max"], "1");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_globally_unique"], "false");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_notify"], "true");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_promotable"], "true");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_promoted_max"], "1");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_master_max"], "1");
}

TEST(AgentEnvironment, an_instance_of_a_globally_unique_clone_has_its_number_in_its_name) {
  const model::HAResource unique = resource_from(R"(
apiVersion: tandem.dev/v1alpha1
kind: HAResource
metadata: {name: ip}
spec:
  agent: {ocf: {provider: heartbeat, type: IPaddr2}}
  params: {ip: 192.0.2.10}
  clone: {max: 2, nodeMax: 2, globallyUnique: true}
)");
  AgentInvocation invocation{OperationRequest{Action::kStart, 0s, 10s, std::nullopt}, 1,
                             std::nullopt};
  EXPECT_EQ(ocf_environment(unique, invocation, node())["OCF_RESOURCE_INSTANCE"], "ip:1");
  EXPECT_EQ(resource_instance(unique, 1), "ip:1");
  EXPECT_EQ(resource_instance(resource_from(kPromotable), 1), "db");
}

TEST(AgentEnvironment, passes_every_notification_list_even_when_empty) {
  AgentInvocation invocation{OperationRequest{Action::kNotify, 0s, 5s, std::nullopt}, 0,
                             Notification{"pre", "start", {{"start_uname", "node1 node2"}}}};
  Environment env = ocf_environment(resource_from(kPromotable), invocation, node());
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_notify_type"], "pre");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_notify_operation"], "start");
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_notify_start_uname"], "node1 node2");
  ASSERT_TRUE(env.contains("OCF_RESKEY_CRM_meta_notify_promoted_resource"));
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_notify_promoted_resource"], "");
}

TEST(AgentEnvironment, role_monitors_say_their_role) {
  AgentInvocation invocation{OperationRequest{Action::kMonitor, 10s, 20s, model::Role::kPromoted},
                             0, std::nullopt};
  Environment env = ocf_environment(resource_from(kPromotable), invocation, node());
  EXPECT_EQ(env["OCF_RESKEY_CRM_meta_role"], "Promoted");
}

TEST(AgentEnvironment, inherits_nothing_from_the_sidecar) {
  ::setenv("TANDEM_TEST_SECRET", "leak", 1);
  AgentInvocation invocation{OperationRequest{Action::kStart, 0s, 20s, std::nullopt}, std::nullopt,
                             std::nullopt};
  Environment env = ocf_environment(resource_from(kVip), invocation, node());
  EXPECT_FALSE(env.contains("TANDEM_TEST_SECRET"));
  EXPECT_FALSE(env.contains("HOME"));
  ::unsetenv("TANDEM_TEST_SECRET");
}

TEST(AgentPath, is_built_inside_the_ocf_root) {
  EXPECT_EQ(*ocf_agent_path("/usr/lib/ocf", model::OcfAgent{"heartbeat", "Dummy"}),
            "/usr/lib/ocf/resource.d/heartbeat/Dummy");
  EXPECT_EQ(*ocf_agent_path("/tmp/ocf/", model::OcfAgent{"test", "Hang"}),
            "/tmp/ocf/resource.d/test/Hang");
}

TEST(AgentPath, refuses_names_that_climb_out_of_the_root) {
  for (const auto& agent :
       {model::OcfAgent{"..", "sh"}, model::OcfAgent{"heartbeat", ".."},
        model::OcfAgent{"heartbeat", "../../bin/sh"}, model::OcfAgent{"a/b", "Dummy"},
        model::OcfAgent{"", "Dummy"}, model::OcfAgent{"heartbeat", ""}}) {
    auto path = ocf_agent_path("/usr/lib/ocf", agent);
    EXPECT_FALSE(path) << agent.provider << ":" << agent.type;
  }
  EXPECT_EQ(ocf_agent_path("/usr/lib/ocf", model::OcfAgent{"heartbeat", "../x"}).error().message,
            "OCF agent type \"../x\" is not a single file name; refusing to build an agent path "
            "from it");
  EXPECT_FALSE(ocf_agent_path("relative/ocf", model::OcfAgent{"heartbeat", "Dummy"}));
}

TEST(ProcessEnvironment, is_a_plain_path_and_home_overridden_by_the_manifest) {
  model::ProcessAgent process;
  process.command = {"/bin/true"};
  process.env = {{"HOME", "/srv"}, {"PORT", "8080"}};
  Environment env = process_environment(process);
  EXPECT_EQ(env["HOME"], "/srv");
  EXPECT_EQ(env["PORT"], "8080");
  EXPECT_EQ(env["PATH"], std::string(kSystemPath));
  EXPECT_EQ(environment_strings(env).front(), "HOME=/srv");
}

}  // namespace
}  // namespace tandem::executor
