#include "common/manifest/path.h"

#include <algorithm>

#include "common/core/text.h"

namespace tandem::manifest {
namespace {

bool is_plain_key(std::string_view key) {
  return !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '#' || c == '<';
  });
}

}  // namespace

PathScope::PathScope(std::string& path, std::string_view key) : path_(path), size_(path.size()) {
  if (is_plain_key(key)) {
    if (!path_.empty()) path_ += '.';
    path_ += key;
  } else {
    path_ += '[';
    path_ += quote(key);
    path_ += ']';
  }
}

PathScope::PathScope(std::string& path, std::size_t index) : path_(path), size_(path.size()) {
  path_ += '[';
  path_ += std::to_string(index);
  path_ += ']';
}

}  // namespace tandem::manifest
