#pragma once

// Reads a corosync.conf (corosync.conf(5), votequorum(5)) into the model's
// Membership and QuorumOptions, which make_membership_config() turns into
// what the state machine runs with.
//
// The totem, nodelist, quorum and logging sections are read; keys this
// implementation has no use for but corosync accepts (transport, interface
// subsections, ...) are accepted silently, and every key or section it does
// not know at all is warned about by name, with the file and line. Values
// that are wrong (not a number, out of range, an unknown choice) are errors
// that name the key, the file and the line.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/model/cluster.h"

namespace tandem::membership {

struct LoggingOptions {
  bool to_stderr = false;
  bool to_logfile = false;
  bool to_syslog = true;
  std::string logfile;
  bool debug = false;
  bool timestamp = false;
};

struct CorosyncConf {
  model::Membership membership;
  model::QuorumOptions quorum;
  LoggingOptions logging;
  // "corosync.conf:12: unknown key "tokn" in section totem; ignored"
  std::vector<std::string> warnings;
};

// Larger files are refused: a corosync.conf is a few kilobytes.
inline constexpr std::size_t kMaxCorosyncConfSize = 1 << 20;

// `file` names the file in messages. Fails with every error found, one per
// line.
Result<CorosyncConf> parse_corosync_conf(std::string_view text, std::string_view file);

}  // namespace tandem::membership
