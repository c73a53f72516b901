#include "common/model/diagnostic.h"

#include <algorithm>
#include <map>

namespace tandem::model {

std::string Diagnostic::to_string() const {
  std::string out;
  auto part = [&](std::string_view text) {
    if (text.empty()) return;
    out += text;
    out += ": ";
  };
  part(file);
  part(object);
  part(path);
  if (severity == Severity::kWarning) out += "warning: ";
  out += message;
  return out;
}

std::string object_label(std::string_view kind, const ObjectMeta& metadata) {
  std::string label(kind);
  label += ' ';
  label += metadata.namespace_;
  label += '/';
  label += metadata.name;
  return label;
}

void Diagnostics::note_file(const std::string& file) {
  files_.push_back(file);
}

void Diagnostics::sort() {
  std::map<std::string, std::size_t> file_rank;
  for (const std::string& file : files_) file_rank.try_emplace(file, file_rank.size());
  for (const Diagnostic& d : items_) file_rank.try_emplace(d.file, file_rank.size());
  std::stable_sort(items_.begin(), items_.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    auto ra = file_rank[a.file], rb = file_rank[b.file];
    if (ra != rb) return ra < rb;
    return a.document < b.document;
  });
}

bool Diagnostics::has_errors() const {
  return error_count() > 0;
}

std::size_t Diagnostics::error_count() const {
  return static_cast<std::size_t>(std::count_if(
      items_.begin(), items_.end(), [](const auto& d) { return d.severity == Severity::kError; }));
}

std::size_t Diagnostics::warning_count() const {
  return items_.size() - error_count();
}

}  // namespace tandem::model
