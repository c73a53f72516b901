#include "common/manifest/encode.h"

#include <type_traits>

#include <yaml-cpp/yaml.h>

#include "common/manifest/describe.h"
#include "common/manifest/scalar.h"
#include "common/manifest/traits.h"

namespace tandem::manifest {
namespace {

void emit_string(YAML::Emitter& out, const std::string& text) {
  if (classify_plain(text) != ScalarType::kString) out << YAML::DoubleQuoted;
  out << text;
}

template <class T>
bool is_empty(const T& value) {
  if constexpr (is_optional<T>) {
    return !value.has_value();
  } else if constexpr (is_vector<T> || is_string_map<T> || std::is_same_v<T, std::string>) {
    return value.empty();
  } else {
    return false;
  }
}

template <class T>
void encode_value(YAML::Emitter& out, const T& value);

class StructEncoder {
 public:
  explicit StructEncoder(YAML::Emitter& out) : out_(out) {}

  template <class T>
  void field(std::string_view key, const T& value, const FieldOpts&) {
    if (is_empty(value)) return;
    out_ << YAML::Key << std::string(key) << YAML::Value;
    encode_value(out_, value);
  }
  void one_of(std::initializer_list<std::string_view>, OneOf) {}

 private:
  YAML::Emitter& out_;
};

template <class T>
void encode_value(YAML::Emitter& out, const T& value) {
  if constexpr (is_optional<T>) {
    encode_value(out, *value);
  } else if constexpr (std::is_same_v<T, std::string>) {
    emit_string(out, value);
  } else if constexpr (std::is_same_v<T, bool>) {
    out << (value ? "true" : "false");
  } else if constexpr (std::is_integral_v<T>) {
    out << static_cast<long long>(value);
  } else if constexpr (std::is_same_v<T, Score>) {
    if (value.is_infinity() || value.is_minus_infinity()) {
      out << value.to_string();
    } else {
      out << static_cast<long long>(value.value());
    }
  } else if constexpr (std::is_same_v<T, Duration>) {
    out << format_duration(value);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    out << value.to_string();
  } else if constexpr (model::NamedEnum<T>) {
    emit_string(out, std::string(model::to_string(value)));
  } else if constexpr (is_vector<T>) {
    out << YAML::BeginSeq;
    for (const auto& item : value) encode_value(out, item);
    out << YAML::EndSeq;
  } else if constexpr (is_string_map<T>) {
    out << YAML::BeginMap;
    for (const auto& [key, item] : value) {
      out << YAML::Key;
      emit_string(out, key);
      out << YAML::Value;
      encode_value(out, item);
    }
    out << YAML::EndMap;
  } else {
    out << YAML::BeginMap;
    StructEncoder encoder(out);
    Describe<T>::fields(encoder, value);
    out << YAML::EndMap;
  }
}

template <class Kind>
void encode_object(std::string& text, const Kind& object) {
  YAML::Emitter out;
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << std::string(model::kApiVersion);
  out << YAML::Key << "kind" << YAML::Value << std::string(Kind::kKind);
  StructEncoder encoder(out);
  Describe<Kind>::fields(encoder, object);
  out << YAML::EndMap;
  if (!text.empty()) text += "---\n";
  text += out.c_str();
  text += '\n';
}

}  // namespace

std::string encode_yaml(const model::Manifests& manifests) {
  std::string text;
  model::for_each_object(manifests, [&](const auto& object) { encode_object(text, object); });
  return text;
}

}  // namespace tandem::manifest
