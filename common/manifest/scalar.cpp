#include "common/manifest/scalar.h"

#include <algorithm>
#include <array>

#include <yaml-cpp/yaml.h>

namespace tandem::manifest {
namespace {

constexpr std::array<std::string_view, 5> kNulls{"", "~", "null", "Null", "NULL"};
constexpr std::array<std::string_view, 22> kBools{
    "y",    "Y",    "yes",   "Yes",   "YES",   "n",  "N",  "no", "No",  "NO",  "true",
    "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF"};

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool all_of(std::string_view text, auto predicate) {
  return !text.empty() && std::all_of(text.begin(), text.end(), predicate);
}

std::string_view without_sign(std::string_view text) {
  if (!text.empty() && (text.front() == '-' || text.front() == '+')) text.remove_prefix(1);
  return text;
}

bool is_yaml11_int(std::string_view text) {
  std::string_view body = without_sign(text);
  if (body.starts_with("0x")) {
    return all_of(body.substr(2), [](char c) {
      return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '_';
    });
  }
  if (body.starts_with("0b")) {
    return all_of(body.substr(2), [](char c) { return c == '0' || c == '1' || c == '_'; });
  }
  if (body.starts_with("0o")) {
    return all_of(body.substr(2), [](char c) { return (c >= '0' && c <= '7') || c == '_'; });
  }
  return is_digit(body.empty() ? 'x' : body.front()) &&
         all_of(body, [](char c) { return is_digit(c) || c == '_'; });
}

bool is_yaml11_float(std::string_view text) {
  std::string_view body = without_sign(text);
  if (body == ".inf" || body == ".Inf" || body == ".INF") return true;
  if (text == ".nan" || text == ".NaN" || text == ".NAN") return true;
  // [0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9]+)?  or  \.[0-9]+([eE]...)?
  std::size_t i = 0;
  bool mantissa_digits = false;
  while (i < body.size() && (is_digit(body[i]) || (i > 0 && body[i] == '_'))) {
    mantissa_digits = true;
    ++i;
  }
  bool dot = false;
  if (i < body.size() && body[i] == '.') {
    dot = true;
    ++i;
    while (i < body.size() && (is_digit(body[i]) || body[i] == '_')) {
      mantissa_digits = true;
      ++i;
    }
  }
  if (!mantissa_digits) return false;
  bool exponent = false;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    std::size_t start = i;
    while (i < body.size() && is_digit(body[i])) ++i;
    if (i == start) return false;
    exponent = true;
  }
  return i == body.size() && (dot || exponent);
}

}  // namespace

ScalarType classify_plain(std::string_view text) {
  if (std::find(kNulls.begin(), kNulls.end(), text) != kNulls.end()) return ScalarType::kNull;
  if (std::find(kBools.begin(), kBools.end(), text) != kBools.end()) return ScalarType::kBool;
  if (is_yaml11_int(text)) return ScalarType::kInt;
  if (is_yaml11_float(text)) return ScalarType::kFloat;
  return ScalarType::kString;
}

ScalarType classify(const YAML::Node& scalar) {
  const std::string& tag = scalar.Tag();
  if (tag == "?" || tag.empty()) return classify_plain(scalar.Scalar());
  if (tag == "!") return ScalarType::kString;  // quoted
  constexpr std::string_view kCore = "tag:yaml.org,2002:";
  std::string_view name = tag;
  if (!name.starts_with(kCore)) return ScalarType::kUnsupportedTag;
  name.remove_prefix(kCore.size());
  if (name == "str") return ScalarType::kString;
  if (name == "int") return ScalarType::kInt;
  if (name == "bool") return ScalarType::kBool;
  if (name == "float") return ScalarType::kFloat;
  if (name == "null") return ScalarType::kNull;
  return ScalarType::kUnsupportedTag;
}

bool is_canonical_bool(std::string_view text) {
  return text == "true" || text == "True" || text == "TRUE" || text == "false" || text == "False" ||
         text == "FALSE";
}

bool is_decimal_integer(std::string_view text) {
  return all_of(without_sign(text), is_digit);
}

}  // namespace tandem::manifest
