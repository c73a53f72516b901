#include "common/model/names.h"

#include <algorithm>
#include <string>

#include <arpa/inet.h>

#include "common/core/text.h"

namespace tandem::model {
namespace {

bool is_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool is_hostname(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) dot = text.size();
    std::string_view label = text.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || !is_alnum(label.front()) || !is_alnum(label.back())) {
      return false;
    }
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) {
      return false;
    }
    start = dot + 1;
  }
  return true;
}

// The name part of a label key, and a label value: at most 63 characters of
// letters, digits, '-', '_' and '.', starting and ending alphanumeric.
bool is_qualified_name(std::string_view text) {
  return !text.empty() && text.size() <= 63 && is_alnum(text.front()) && is_alnum(text.back()) &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

}  // namespace

bool is_node_name(std::string_view text) {
  return !text.empty() && text.size() <= 253 && is_alnum(text.front()) &&
         std::all_of(text.begin(), text.end(),
                     [](char c) { return is_alnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool is_address(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  std::string copy(text);
  unsigned char buffer[16];
  if (inet_pton(AF_INET, copy.c_str(), buffer) == 1) return true;
  if (inet_pton(AF_INET6, copy.c_str(), buffer) == 1) return true;
  // A string of digits and dots that is not an IPv4 address is a typo, not
  // a host name.
  if (std::all_of(text.begin(), text.end(),
                  [](char c) { return (c >= '0' && c <= '9') || c == '.'; })) {
    return false;
  }
  return is_hostname(text);
}

bool is_env_name(std::string_view text) {
  return !text.empty() && !(text.front() >= '0' && text.front() <= '9') &&
         std::all_of(text.begin(), text.end(), [](char c) { return is_alnum(c) || c == '_'; });
}

bool is_path_component(std::string_view text) {
  return !text.empty() && text.size() <= 255 && text != "." && text != ".." &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return is_alnum(c) || c == '-' || c == '_' || c == '.' || c == '+';
         });
}

bool is_fence_agent_name(std::string_view text) {
  constexpr std::string_view kExternal = "external/";
  if (text.starts_with(kExternal)) text.remove_prefix(kExternal.size());
  return is_path_component(text);
}

bool is_unit_name(std::string_view text) {
  return !text.empty() && text.size() <= 255 && text.front() != '.' &&
         std::all_of(text.begin(), text.end(), [](char c) {
           return is_alnum(c) || c == ':' || c == '-' || c == '_' || c == '.' || c == '\\' ||
                  c == '@';
         });
}

std::string check_label_key(std::string_view key) {
  std::string_view name = key;
  if (auto slash = key.find('/'); slash != std::string_view::npos) {
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (!is_dns_subdomain(prefix)) {
      return "the prefix " + quote(prefix) + " must be a DNS subdomain (e.g. example.com)";
    }
  }
  if (!is_qualified_name(name)) {
    return "the name " + quote(name) +
           " must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a "
           "letter or digit";
  }
  return {};
}

std::string check_label_value(std::string_view value) {
  if (value.empty() || is_qualified_name(value)) return {};
  return quote(value) +
         " must be at most 63 letters, digits, '-', '_' or '.', starting and ending with a "
         "letter or digit";
}

}  // namespace tandem::model
