#pragma once

// Field paths in messages: spec.operations[1].interval, spec.params["a b"].

#include <cstddef>
#include <string>
#include <string_view>

namespace tandem::manifest {

// Appends a key or an index to `path` for the lifetime of the scope.
class PathScope {
 public:
  PathScope(std::string& path, std::string_view key);
  PathScope(std::string& path, std::size_t index);
  ~PathScope() { path_.resize(size_); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  std::string& path_;
  std::size_t size_;
};

}  // namespace tandem::manifest
