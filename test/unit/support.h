#pragma once

// Helpers for tests that feed YAML text through the decoder and validator.

#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "common/manifest/decode.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"

namespace tandem::testing {

struct Checked {
  model::Manifests manifests;
  std::vector<std::string> messages;  // every diagnostic, as users see it
};

// Decodes each (file name, text) pair, then validates them together.
inline Checked check_files(const std::vector<std::pair<std::string, std::string>>& files) {
  Checked out;
  model::Diagnostics diagnostics;
  for (const auto& [name, text] : files)
    manifest::decode_file(text, name, out.manifests, diagnostics);
  model::validate(out.manifests, diagnostics);
  for (const auto& d : diagnostics.items()) out.messages.push_back(d.to_string());
  return out;
}

inline Checked check(const std::string& text, const std::string& file = "web.yaml") {
  return check_files({{file, text}});
}

// Validated and normalized; the test fails on any diagnostic.
inline model::Manifests normalized(const std::string& text) {
  Checked checked = check(text);
  if (!checked.messages.empty()) {
    std::string all;
    for (const auto& m : checked.messages) all += m + "\n";
    ADD_FAILURE() << "unexpected diagnostics:\n" << all;
  }
  model::normalize(checked.manifests);
  return checked.manifests;
}

}  // namespace tandem::testing
