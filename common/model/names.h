#pragma once

// Syntax of the names and addresses manifests refer to.

#include <string>
#include <string_view>

namespace tandem::model {

// Node names: host names as corosync and Pacemaker use them (letters,
// digits, '-', '_' and '.', starting with a letter or digit, at most 253).
bool is_node_name(std::string_view text);

// An IPv4 or IPv6 literal, or a host name (RFC 1123).
bool is_address(std::string_view text);

// Environment variable names: [A-Za-z_][A-Za-z0-9_]*. OCF parameters become
// OCF_RESKEY_<name>, so they follow the same rule.
bool is_env_name(std::string_view text);

// One path component that cannot climb out of a directory: OCF providers
// and agent types, which name /usr/lib/ocf/resource.d/<provider>/<type>.
bool is_path_component(std::string_view text);

// Fence agents: a path component (fence_ipmilan), or external/<component>
// for Pacemaker's cluster-glue plugins.
bool is_fence_agent_name(std::string_view text);

// systemd unit names: letters, digits and ":-_.\@", at most 255.
bool is_unit_name(std::string_view text);

// Kubernetes label and annotation keys ([prefix/]name) and label values.
// Returns an empty string when valid, else what is wrong.
std::string check_label_key(std::string_view key);
std::string check_label_value(std::string_view value);

}  // namespace tandem::model
