// Fuzzes YAML -> model: the decoder, the validator, and the round trip of
// `tandemctl show`. Beyond "no crash, hang or sanitizer report", whatever
// validates must print as YAML that reads back, valid, to the same objects.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/core/assert.h"
#include "common/manifest/decode.h"
#include "common/manifest/encode.h"
#include "common/model/normalize.h"
#include "common/model/validate.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tandem;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  manifest::DecodeLimits limits;
  limits.max_values = 200'000;  // keeps alias bombs quick to reject

  model::Manifests manifests;
  model::Diagnostics diagnostics;
  manifest::decode_file(text, "fuzz.yaml", manifests, diagnostics, limits);
  model::validate(manifests, diagnostics);
  for (const model::Diagnostic& d : diagnostics.items()) {
    TANDEM_ASSERT(!d.message.empty(), "a diagnostic without a message");
    (void)d.to_string();
  }
  if (diagnostics.has_errors()) return 0;

  model::normalize(manifests);
  const std::string shown = manifest::encode_yaml(manifests);
  model::Manifests again;
  model::Diagnostics again_diagnostics;
  manifest::decode_file(shown, "shown.yaml", again, again_diagnostics);
  model::validate(again, again_diagnostics);
  TANDEM_ASSERT(!again_diagnostics.has_errors(), "show printed manifests that do not validate");
  model::normalize(again);
  TANDEM_ASSERT(again == manifests, "show printed manifests that read back differently");
  return 0;
}
