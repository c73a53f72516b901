#pragma once

// corosync.conf from its file, for the commands that run the membership
// (`membership`, `agent`): read within the parser's size limit, parsed, its
// warnings logged. Errors go to standard error, named after `program`.

#include <optional>
#include <string>
#include <string_view>

#include "sidecar/membership/corosync_conf.h"

namespace tandem::sidecar {

std::optional<membership::CorosyncConf> read_corosync_conf(const std::string& path,
                                                           std::string_view program);

}  // namespace tandem::sidecar
