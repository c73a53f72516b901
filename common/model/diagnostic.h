#pragma once

// A problem found in the input, located as precisely as we know it:
//   web.yaml: HAResource default/web: spec.operations[1].interval: "10x" is not a duration

#include <string>
#include <string_view>
#include <vector>

#include "common/model/object.h"

namespace tandem::model {

enum class Severity { kError, kWarning };

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string file;
  int document = 0;    // 1-based; 0 when the problem is about the whole file
  int line = 0;        // 1-based; 0 when unknown
  int column = 0;      // 1-based; 0 when unknown
  std::string object;  // "HAResource default/web", or "document 2" before the name is known
  std::string path;    // "spec.operations[1].interval"; empty for the whole object
  std::string message;

  // "file: object: path: message", leaving out empty parts; warnings carry
  // "warning: " before the message.
  std::string to_string() const;
};

// "HAResource default/web"
std::string object_label(std::string_view kind, const ObjectMeta& metadata);

class Diagnostics {
 public:
  void add(Diagnostic diagnostic) { items_.push_back(std::move(diagnostic)); }

  // A problem with an object already read: located by its origin.
  template <class T>
  void error(const T& object, std::string path, std::string message) {
    add(about(object, Severity::kError, std::move(path), std::move(message)));
  }
  template <class T>
  void warning(const T& object, std::string path, std::string message) {
    add(about(object, Severity::kWarning, std::move(path), std::move(message)));
  }

  // Files in the order they were read, so that sort() reports them in that
  // order even when a later file's problems were found first.
  void note_file(const std::string& file);

  // Orders by file (in the order noted, then first seen), then document;
  // problems within one document keep the order they were found in.
  void sort();

  bool has_errors() const;
  std::size_t error_count() const;
  std::size_t warning_count() const;
  const std::vector<Diagnostic>& items() const { return items_; }

 private:
  template <class T>
  static Diagnostic about(const T& object, Severity severity, std::string path,
                          std::string message) {
    return Diagnostic{severity,
                      object.origin.file,
                      object.origin.document,
                      object.origin.line,
                      0,
                      object_label(T::kKind, object.metadata),
                      std::move(path),
                      std::move(message)};
  }

  std::vector<Diagnostic> items_;
  std::vector<std::string> files_;
};

}  // namespace tandem::model
