#pragma once

// The bearer token the operator and the sidecars share, from the file that
// --token-file names: at most 4096 bytes, trailing line breaks and spaces
// dropped (an editor's newline must not change the token), never empty.

#include <string>

#include "common/core/result.h"

namespace tandem::io {

Result<std::string> read_token_file(const std::string& path);

}  // namespace tandem::io
