#include "operator/cib/kube_names.h"

#include <set>

#include "common/core/assert.h"

namespace tandem::cib {
namespace {

constexpr std::size_t kMaxName = 253;
// Leaves room for "-" and a counter however many objects collide.
constexpr std::size_t kMaxBase = 240;

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Drops trailing characters that cannot end a name after truncation.
void trim_end(std::string& name) {
  while (!name.empty() && !is_lower_alnum(name.back())) name.pop_back();
}

}  // namespace

bool is_kubernetes_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  std::size_t start = 0;
  while (start <= name.size()) {
    std::size_t end = name.find('.', start);
    if (end == std::string_view::npos) end = name.size();
    std::string_view label = name.substr(start, end - start);
    if (label.empty() || !is_lower_alnum(label.front()) || !is_lower_alnum(label.back())) {
      return false;
    }
    for (char c : label) {
      if (!is_lower_alnum(c) && c != '-') return false;
    }
    start = end + 1;
  }
  return true;
}

std::string kubernetes_name(std::string_view id, std::string_view fallback) {
  std::string out;
  std::string label;
  auto flush = [&] {
    std::size_t first = label.find_first_not_of('-');
    if (first != std::string::npos) {
      std::size_t last = label.find_last_not_of('-');
      if (!out.empty()) out += '.';
      out += label.substr(first, last - first + 1);
    }
    label.clear();
  };
  for (char c : id) {
    if (c == '.') {
      flush();
      continue;
    }
    if (c >= 'A' && c <= 'Z') {
      label += static_cast<char>(c - 'A' + 'a');
    } else if (is_lower_alnum(c)) {
      label += c;
    } else {
      label += '-';
    }
  }
  flush();
  if (out.size() > kMaxBase) {
    out.resize(kMaxBase);
    trim_end(out);
  }
  if (out.empty()) out = std::string(fallback);
  TANDEM_ASSERT(is_kubernetes_name(out), "kubernetes_name makes valid names");
  return out;
}

NameTable::NameTable(const std::vector<std::string>& ids, std::string_view fallback) {
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    if (seen.insert(id).second) order_.push_back(id);
  }
  std::set<std::string> taken;
  // Valid ids first, so that a renamed id never takes a name that is in use.
  for (const std::string& id : order_) {
    if (!is_kubernetes_name(id)) continue;
    names_.emplace(id, id);
    taken.insert(id);
  }
  for (const std::string& id : order_) {
    if (names_.contains(id)) continue;
    const std::string base = kubernetes_name(id, fallback);
    std::string candidate = base;
    // At most order_.size() names are taken, so a free one comes within
    // that many steps.
    for (std::size_t n = 2; taken.contains(candidate); ++n) {
      TANDEM_ASSERT(n <= order_.size() + 2, "a free suffix exists among size() + 1");
      candidate = base + "-" + std::to_string(n);
    }
    taken.insert(candidate);
    names_.emplace(id, candidate);
    renames_any_ = true;
  }
}

std::string NameTable::name(const std::string& id) const {
  auto found = names_.find(id);
  return found == names_.end() ? id : found->second;
}

std::vector<std::pair<std::string, std::string>> NameTable::entries() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (const std::string& id : order_) out.emplace_back(id, names_.at(id));
  return out;
}

std::vector<std::pair<std::string, std::string>> NameTable::renamed() const {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto& [id, name] : entries()) {
    if (name != id) out.emplace_back(id, name);
  }
  return out;
}

}  // namespace tandem::cib
