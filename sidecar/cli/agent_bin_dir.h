#pragma once

// Where the helpers OCF agents call (crm_attribute, crm_master, ...) are:
// agent-bin/ beside the tandem-sidecar binary in a build tree, else the
// installed /usr/libexec/tandem/agent-bin.

#include <string>

namespace tandem::sidecar {

std::string default_agent_bin_dir();

}  // namespace tandem::sidecar
