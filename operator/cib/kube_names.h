#pragma once

// Pacemaker ids as Kubernetes object names. Pacemaker accepts ids such as
// "IPaddr_5", "Web" or "rsc:0"; Kubernetes wants DNS-1123 subdomains
// (lower-case letters, digits, '-' and '.'). The mapping is deterministic, so
// importing the same CIB twice gives the same names, and ids that are
// already valid keep their names whatever comes before them.

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace tandem::cib {

// Where an object whose name had to change keeps its Pacemaker id.
inline constexpr std::string_view kPacemakerIdAnnotation = "tandem.dev/pacemaker-id";

// Kubernetes' own form of a DNS-1123 subdomain: every dot-separated label
// starts and ends with a letter or digit, at most 253 characters in all.
// (Tandem's validation is looser about labels; kubectl is not.)
bool is_kubernetes_name(std::string_view name);

// The name `id` maps to before collisions are resolved: lower case, every
// character other than a-z, 0-9 and '.' turned into '-', each label trimmed
// of leading and trailing '-', empty labels dropped, at most 240 characters
// (room for a suffix). `fallback` when nothing is left.
std::string kubernetes_name(std::string_view id, std::string_view fallback);

// The names of one name space (resources and groups share one; nodes and
// constraints have one each). Valid ids keep their names; the others get
// kubernetes_name(), then "-2", "-3", ... until the name is free.
class NameTable {
 public:
  // `ids` in the order the objects appear; duplicates are mapped once.
  NameTable(const std::vector<std::string>& ids, std::string_view fallback);

  // The name for `id`; `id` itself when it is not in the table.
  std::string name(const std::string& id) const;
  bool contains(const std::string& id) const { return names_.contains(id); }
  bool renames_any() const { return renames_any_; }
  // Every id with its name, in the order given.
  std::vector<std::pair<std::string, std::string>> entries() const;
  // Only the ids that were renamed.
  std::vector<std::pair<std::string, std::string>> renamed() const;

 private:
  std::map<std::string, std::string> names_;
  std::vector<std::string> order_;
  bool renames_any_ = false;
};

}  // namespace tandem::cib
