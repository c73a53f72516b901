#include "sidecar/groups/types.h"

namespace tandem::groups {

const char* to_string(Reason reason) {
  switch (reason) {
    case Reason::kJoin:
      return "join";
    case Reason::kLeave:
      return "leave";
    case Reason::kNodeDown:
      return "node_down";
    case Reason::kNodeUp:
      return "node_up";
    case Reason::kProcDown:
      return "proc_down";
  }
  return "?";
}

std::optional<std::string> check_group_name(std::string_view name) {
  if (name.empty()) return "a group name must not be empty";
  if (name.size() > kMaxGroupName)
    return "a group name has at most " + std::to_string(kMaxGroupName) + " bytes, this one " +
           std::to_string(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7f)
      return "a group name must not contain control characters (byte " + std::to_string(i) +
             " is " + std::to_string(c) + ")";
  }
  return std::nullopt;
}

}  // namespace tandem::groups
