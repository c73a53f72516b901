#pragma once

// Node attributes and promotion scores that agents set through crm_master,
// crm_attribute and attrd_updater: one file per attribute in a directory the
// sidecar owns (by default /run/tandem/attributes, so they vanish with a
// reboot like Pacemaker's transient attributes). Each write goes to a
// temporary file renamed over the old one, so readers never see half a
// value and concurrent writers cannot interleave.

#include <map>
#include <optional>
#include <string>

#include "common/core/result.h"

namespace tandem::executor {

class AttributeStore {
 public:
  // Creates the directory (mode 0700) when `create` is set.
  static Result<AttributeStore> open(const std::string& directory, bool create);

  const std::string& directory() const { return directory_; }

  Result<void> set(const std::string& name, const std::string& value) const;
  Result<void> remove(const std::string& name) const;
  Result<std::optional<std::string>> get(const std::string& name) const;
  // Every attribute; at most 10,000, which no agent set comes near.
  Result<std::map<std::string, std::string>> all() const;

 private:
  explicit AttributeStore(std::string directory) : directory_(std::move(directory)) {}
  std::string directory_;
};

}  // namespace tandem::executor
