#pragma once

// What type a YAML scalar has, judged the way kubectl reads YAML (YAML 1.1
// resolution: yes/no/on/off are booleans). Tandem rejects a plain `24` or
// `off` where a string is expected, exactly as the API server would, and the
// encoder quotes such strings.

#include <string_view>

namespace YAML {
class Node;
}

namespace tandem::manifest {

enum class ScalarType { kNull, kBool, kInt, kFloat, kString, kUnsupportedTag };

// The type of an unquoted, untagged scalar.
ScalarType classify_plain(std::string_view text);

// The type of a scalar node, honouring quotes and explicit tags (!!str, ...).
ScalarType classify(const YAML::Node& scalar);

// true for true/True/TRUE and false/False/FALSE (the only spellings Tandem
// accepts for booleans); the YAML 1.1 ones (yes, on, ...) are kBool for
// classify_plain but rejected as values.
bool is_canonical_bool(std::string_view text);

// Plain decimal integer: optional sign, digits only.
bool is_decimal_integer(std::string_view text);

}  // namespace tandem::manifest
