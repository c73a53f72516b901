#pragma once

// Where the programs tandem-sidecar relies on are: the helpers OCF agents
// call (crm_attribute, crm_master, ...) in agent-bin/, and tandem-membership;
// beside the tandem-sidecar binary in a build tree, else installed under
// /usr/libexec/tandem.

#include <optional>
#include <string>

namespace tandem::sidecar {

std::string default_agent_bin_dir();

// The directory of the running program (empty if /proc cannot tell).
std::string directory_of_executable();

// tandem-membership (membership_main.cpp): beside this program in a build
// tree, else the installed /usr/libexec/tandem/tandem-membership; nullopt
// if neither is there.
std::optional<std::string> membership_program();

}  // namespace tandem::sidecar
