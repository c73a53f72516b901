#pragma once

// JSON for the operator–sidecar messages. Decoding checks every field's type
// and names the first wrong one ("outcomes[2].rc: expected an integer").
// Unknown fields are ignored, so either side can be upgraded first.

#include <string>
#include <string_view>

#include "common/core/result.h"
#include "common/protocol/messages.h"

namespace tandem::protocol {

std::string encode(const NodeReport& report);
std::string encode(const ActionBatch& batch);

Result<NodeReport> decode_report(std::string_view json);
Result<ActionBatch> decode_actions(std::string_view json);

}  // namespace tandem::protocol
