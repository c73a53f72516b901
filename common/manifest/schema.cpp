#include "common/manifest/schema.h"

#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <variant>
#include <vector>

#include <yaml-cpp/yaml.h>

#include "common/manifest/describe.h"
#include "common/manifest/scalar.h"
#include "common/manifest/traits.h"

namespace tandem::manifest {
namespace {

struct SchemaNode;

struct Property {
  std::string key;
  std::unique_ptr<SchemaNode> schema;
};

// The schema of one value, built by walking Describe<T> over a default
// constructed T, so defaults come from the structs themselves.
struct SchemaNode {
  enum class Type { kObject, kArray, kMap, kString, kBoolean, kInteger, kIntOrString };
  Type type = Type::kObject;
  std::string type_name;  // for the docs: "duration", "score", ...
  std::string description;
  std::string default_doc;
  std::variant<std::monostate, bool, long long, std::string> default_value;
  std::vector<std::string_view> enum_values;
  std::optional<std::int64_t> minimum;
  std::optional<std::int64_t> maximum;
  std::string format;
  std::vector<Property> properties;
  std::vector<std::string> required;
  std::vector<std::pair<std::vector<std::string_view>, OneOf>> one_ofs;
  std::unique_ptr<SchemaNode> items;  // list items or map values
  std::type_index struct_type = typeid(void);
};

template <class T>
struct Unwrap {
  using type = T;
};
template <class T>
struct Unwrap<std::optional<T>> : Unwrap<T> {};
template <class T>
struct Unwrap<std::vector<T>> : Unwrap<T> {};
template <class T>
struct Unwrap<std::map<std::string, T>> : Unwrap<T> {};

// Only rules nest; the CRD unrolls them to the depth validation allows,
// since OpenAPI schemas in CRDs cannot refer to themselves.
template <class T>
constexpr int kMaxNesting = 1;
template <>
constexpr int kMaxNesting<model::Rule> = model::kMaxRuleDepth;

using Depths = std::map<std::type_index, int>;

template <class T>
SchemaNode build(const T& value, const FieldOpts& opts, Depths& depths);

class SchemaBuilder {
 public:
  SchemaBuilder(SchemaNode& node, Depths& depths) : node_(node), depths_(depths) {}

  template <class T>
  void field(std::string_view key, const T& value, const FieldOpts& opts) {
    using Inner = typename Unwrap<T>::type;
    if constexpr (Described<Inner>) {
      if (depths_[typeid(Inner)] >= kMaxNesting<Inner>) return;
    }
    SchemaNode child = build(value, opts, depths_);
    child.description = std::string(opts.doc);
    child.default_doc = std::string(opts.default_doc);
    if (opts.required) {
      node_.required.emplace_back(key);
      child.default_value = std::monostate{};
    }
    node_.properties.push_back(
        Property{std::string(key), std::make_unique<SchemaNode>(std::move(child))});
  }
  void one_of(std::initializer_list<std::string_view> keys, OneOf rule) {
    node_.one_ofs.emplace_back(std::vector<std::string_view>(keys), rule);
  }

 private:
  SchemaNode& node_;
  Depths& depths_;
};

template <class T>
SchemaNode build(const T& value, const FieldOpts& opts, Depths& depths) {
  using Type = SchemaNode::Type;
  SchemaNode node;
  if constexpr (is_optional<T>) {
    // Unset means unset: a default-constructed inner value is no default.
    node = build(typename T::value_type{}, opts, depths);
    node.default_value = std::monostate{};
  } else if constexpr (std::is_same_v<T, std::string>) {
    node.type = Type::kString;
    node.type_name = "string";
    if (!value.empty()) node.default_value = value;
  } else if constexpr (std::is_same_v<T, bool>) {
    node.type = Type::kBoolean;
    node.type_name = "boolean";
    node.default_value = value;
  } else if constexpr (std::is_integral_v<T>) {
    node.type = Type::kInteger;
    node.type_name = "integer";
    node.format = sizeof(T) <= 4 && std::is_signed_v<T> ? "int32" : "int64";
    // Signed types are bounded by their format; unsigned ones need the
    // bounds spelled out, since OpenAPI has no unsigned formats.
    std::int64_t type_min = std::numeric_limits<std::int64_t>::min();
    std::int64_t type_max = std::numeric_limits<std::int64_t>::max();
    if constexpr (std::is_unsigned_v<T>) {
      type_min = 0;
      if constexpr (sizeof(T) <= 4) type_max = std::numeric_limits<T>::max();
    }
    std::int64_t low = std::max(opts.min.value_or(type_min), type_min);
    std::int64_t high = std::min(opts.max.value_or(type_max), type_max);
    if (low != std::numeric_limits<std::int64_t>::min()) node.minimum = low;
    if (high != std::numeric_limits<std::int64_t>::max()) node.maximum = high;
    node.default_value = static_cast<long long>(value);
  } else if constexpr (std::is_same_v<T, Score>) {
    node.type = Type::kIntOrString;
    node.type_name = "score";
    if (value.is_infinity() || value.is_minus_infinity()) {
      node.default_value = value.to_string();
    } else {
      node.default_value = static_cast<long long>(value.value());
    }
  } else if constexpr (std::is_same_v<T, Duration>) {
    node.type = Type::kIntOrString;
    node.type_name = "duration";
    node.default_value = format_duration(value);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    node.type = Type::kString;
    node.type_name = "timestamp";
    node.format = "date-time";
  } else if constexpr (model::NamedEnum<T>) {
    node.type = Type::kString;
    node.type_name = "enum";
    for (const auto& entry : model::EnumTraits<T>::kNames) node.enum_values.push_back(entry.name);
    node.default_value = std::string(model::to_string(value));
  } else if constexpr (is_vector<T> || is_string_map<T>) {
    node.type = is_vector<T> ? Type::kArray : Type::kMap;
    using Item = std::conditional_t<is_vector<T>, typename T::value_type, typename Unwrap<T>::type>;
    node.items = std::make_unique<SchemaNode>(build(Item{}, opts, depths));
    // An item's own default (such as 0 for an integer) is not a default for
    // the collection.
    node.items->default_value = std::monostate{};
  } else {
    node.type = Type::kObject;
    node.type_name = "object";
    node.struct_type = typeid(T);
    ++depths[typeid(T)];
    SchemaBuilder builder(node, depths);
    Describe<T>::fields(builder, value);
    --depths[typeid(T)];
  }
  return node;
}

// ---- CRDs -----------------------------------------------------------------

std::string with_default_doc(const SchemaNode& node) {
  std::string text = node.description;
  if (!node.default_doc.empty()) text += " Default: " + node.default_doc + ".";
  return text;
}

void emit_default(YAML::Emitter& out, const SchemaNode& node) {
  if (std::holds_alternative<std::monostate>(node.default_value)) return;
  out << YAML::Key << "default" << YAML::Value;
  if (auto* b = std::get_if<bool>(&node.default_value)) out << (*b ? "true" : "false");
  if (auto* i = std::get_if<long long>(&node.default_value)) out << *i;
  if (auto* s = std::get_if<std::string>(&node.default_value)) {
    if (classify_plain(*s) != ScalarType::kString) out << YAML::DoubleQuoted;
    out << *s;
  }
}

// A CEL rule the API server checks: exactly one (or at most one) of the
// keys is set.
std::string one_of_rule(const std::vector<std::string_view>& keys, OneOf rule) {
  std::string list;
  for (std::string_view key : keys) {
    if (!list.empty()) list += ", ";
    list += "has(self." + std::string(key) + ")";
  }
  return "[" + list + "].filter(x, x).size() " + (rule == OneOf::kExactlyOne ? "== 1" : "<= 1");
}

void emit_schema(YAML::Emitter& out, const SchemaNode& node) {
  using Type = SchemaNode::Type;
  out << YAML::BeginMap;
  if (std::string text = with_default_doc(node); !text.empty()) {
    out << YAML::Key << "description" << YAML::Value << text;
  }
  switch (node.type) {
    case Type::kObject:
      out << YAML::Key << "type" << YAML::Value << "object";
      if (!node.properties.empty()) {
        out << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
        for (const Property& property : node.properties) {
          out << YAML::Key << property.key << YAML::Value;
          emit_schema(out, *property.schema);
        }
        out << YAML::EndMap;
      }
      if (!node.required.empty()) {
        out << YAML::Key << "required" << YAML::Value << YAML::Flow << node.required;
      }
      if (!node.one_ofs.empty()) {
        out << YAML::Key << "x-kubernetes-validations" << YAML::Value << YAML::BeginSeq;
        for (const auto& [keys, rule] : node.one_ofs) {
          std::string names;
          for (std::string_view key : keys) names += (names.empty() ? "" : ", ") + std::string(key);
          out << YAML::BeginMap << YAML::Key << "rule" << YAML::Value << one_of_rule(keys, rule)
              << YAML::Key << "message" << YAML::Value
              << (rule == OneOf::kExactlyOne ? "set exactly one of " : "set at most one of ") +
                     names
              << YAML::EndMap;
        }
        out << YAML::EndSeq;
      }
      break;
    case Type::kArray:
      out << YAML::Key << "type" << YAML::Value << "array";
      out << YAML::Key << "items" << YAML::Value;
      emit_schema(out, *node.items);
      break;
    case Type::kMap:
      out << YAML::Key << "type" << YAML::Value << "object";
      out << YAML::Key << "additionalProperties" << YAML::Value;
      emit_schema(out, *node.items);
      break;
    case Type::kString:
      out << YAML::Key << "type" << YAML::Value << "string";
      if (!node.format.empty()) out << YAML::Key << "format" << YAML::Value << node.format;
      if (!node.enum_values.empty()) {
        out << YAML::Key << "enum" << YAML::Value << YAML::Flow << YAML::BeginSeq;
        for (std::string_view value : node.enum_values) {
          if (classify_plain(value) != ScalarType::kString) out << YAML::DoubleQuoted;
          out << std::string(value);
        }
        out << YAML::EndSeq;
      }
      break;
    case Type::kBoolean:
      out << YAML::Key << "type" << YAML::Value << "boolean";
      break;
    case Type::kInteger:
      out << YAML::Key << "type" << YAML::Value << "integer";
      out << YAML::Key << "format" << YAML::Value << node.format;
      if (node.minimum) out << YAML::Key << "minimum" << YAML::Value << *node.minimum;
      if (node.maximum) out << YAML::Key << "maximum" << YAML::Value << *node.maximum;
      break;
    case Type::kIntOrString:
      out << YAML::Key << "x-kubernetes-int-or-string" << YAML::Value << true;
      break;
  }
  emit_default(out, node);
  out << YAML::EndMap;
}

struct PrinterColumn {
  std::string_view name;
  std::string_view type;
  std::string_view json_path;
};

template <class Kind>
CrdFile crd(std::vector<PrinterColumn> columns) {
  Depths depths;
  SchemaNode root = build(Kind{}, FieldOpts{}, depths);

  std::string kind(Kind::kKind);
  std::string plural(Describe<Kind>::kPlural);
  std::string singular = plural.substr(0, plural.size() - 1);
  std::string group(model::kApiGroup);
  std::string version(model::kApiVersion.substr(model::kApiGroup.size() + 1));

  YAML::Emitter out;
  out << YAML::Comment("Generated by `tandemctl schema crds` from common/manifest/describe.h.");
  out << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << "apiextensions.k8s.io/v1";
  out << YAML::Key << "kind" << YAML::Value << "CustomResourceDefinition";
  out << YAML::Key << "metadata" << YAML::Value << YAML::BeginMap << YAML::Key << "name"
      << YAML::Value << plural + "." + group << YAML::EndMap;
  out << YAML::Key << "spec" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "group" << YAML::Value << group;
  out << YAML::Key << "names" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "kind" << YAML::Value << kind;
  out << YAML::Key << "listKind" << YAML::Value << kind + "List";
  out << YAML::Key << "plural" << YAML::Value << plural;
  out << YAML::Key << "singular" << YAML::Value << singular;
  out << YAML::Key << "shortNames" << YAML::Value << YAML::Flow << YAML::BeginSeq
      << std::string(Describe<Kind>::kShortName) << YAML::EndSeq;
  out << YAML::Key << "categories" << YAML::Value << YAML::Flow << YAML::BeginSeq << "tandem"
      << YAML::EndSeq;
  out << YAML::EndMap;
  out << YAML::Key << "scope" << YAML::Value << "Namespaced";
  out << YAML::Key << "versions" << YAML::Value << YAML::BeginSeq << YAML::BeginMap;
  out << YAML::Key << "name" << YAML::Value << version;
  out << YAML::Key << "served" << YAML::Value << true;
  out << YAML::Key << "storage" << YAML::Value << true;
  out << YAML::Key << "subresources" << YAML::Value << YAML::BeginMap << YAML::Key << "status"
      << YAML::Value << YAML::Flow << YAML::BeginMap << YAML::EndMap << YAML::EndMap;
  out << YAML::Key << "additionalPrinterColumns" << YAML::Value << YAML::BeginSeq;
  columns.push_back({"Age", "date", ".metadata.creationTimestamp"});
  for (const PrinterColumn& column : columns) {
    out << YAML::BeginMap << YAML::Key << "name" << YAML::Value << std::string(column.name)
        << YAML::Key << "type" << YAML::Value << std::string(column.type) << YAML::Key << "jsonPath"
        << YAML::Value << std::string(column.json_path) << YAML::EndMap;
  }
  out << YAML::EndSeq;
  out << YAML::Key << "schema" << YAML::Value << YAML::BeginMap << YAML::Key << "openAPIV3Schema"
      << YAML::Value;

  out << YAML::BeginMap;
  out << YAML::Key << "description" << YAML::Value << std::string(Describe<Kind>::kDoc);
  out << YAML::Key << "type" << YAML::Value << "object";
  out << YAML::Key << "properties" << YAML::Value << YAML::BeginMap;
  out << YAML::Key << "apiVersion" << YAML::Value << YAML::BeginMap << YAML::Key << "type"
      << YAML::Value << "string" << YAML::EndMap;
  out << YAML::Key << "kind" << YAML::Value << YAML::BeginMap << YAML::Key << "type" << YAML::Value
      << "string" << YAML::EndMap;
  for (const Property& property : root.properties) {
    out << YAML::Key << property.key << YAML::Value;
    if (property.key == "metadata") {
      // The API server owns metadata's schema.
      out << YAML::BeginMap << YAML::Key << "type" << YAML::Value << "object" << YAML::EndMap;
    } else {
      emit_schema(out, *property.schema);
    }
  }
  out << YAML::EndMap;
  std::vector<std::string> required;
  for (const std::string& key : root.required) {
    if (key != "metadata") required.push_back(key);
  }
  if (!required.empty()) out << YAML::Key << "required" << YAML::Value << YAML::Flow << required;
  out << YAML::EndMap;

  out << YAML::EndMap;                  // schema
  out << YAML::EndMap << YAML::EndSeq;  // versions
  out << YAML::EndMap;                  // spec
  out << YAML::EndMap;
  return CrdFile{group + "_" + plural + ".yaml", std::string(out.c_str()) + "\n"};
}

// ---- field reference ------------------------------------------------------

std::string type_text(const SchemaNode& node) {
  using Type = SchemaNode::Type;
  switch (node.type) {
    case Type::kArray:
      return "list of " + type_text(*node.items);
    case Type::kMap:
      return "map of string to " + type_text(*node.items);
    case Type::kInteger:
      if (node.minimum && node.maximum) {
        return "integer (" + std::to_string(*node.minimum) + " to " +
               std::to_string(*node.maximum) + ")";
      }
      if (node.minimum) return "integer (at least " + std::to_string(*node.minimum) + ")";
      return "integer";
    default:
      break;
  }
  if (!node.enum_values.empty()) {
    std::string text;
    for (std::string_view value : node.enum_values) {
      text += (text.empty() ? "" : ", ") + std::string(value);
    }
    return text;
  }
  return node.type_name;
}

std::string default_text(const SchemaNode& node, bool required) {
  if (required) return "required";
  if (!node.default_doc.empty()) return node.default_doc;
  if (auto* b = std::get_if<bool>(&node.default_value)) return *b ? "true" : "false";
  if (auto* i = std::get_if<long long>(&node.default_value)) return std::to_string(*i);
  if (auto* s = std::get_if<std::string>(&node.default_value)) return *s;
  return "";
}

std::string escape_cell(std::string text) {
  std::string out;
  for (char c : text) {
    if (c == '|') out += '\\';
    out += c;
  }
  return out;
}

void collect_rows(const SchemaNode& node, const std::string& path,
                  std::map<std::type_index, std::string>& seen, std::vector<std::string>& lines) {
  for (const Property& property : node.properties) {
    const std::string& key = property.key;
    const SchemaNode& child = *property.schema;
    std::string child_path = path.empty() ? key : path + "." + key;
    bool required =
        std::find(node.required.begin(), node.required.end(), key) != node.required.end();
    const SchemaNode* value = &child;
    std::string shown_path = child_path;
    while (value->type == SchemaNode::Type::kArray || value->type == SchemaNode::Type::kMap) {
      shown_path += value->type == SchemaNode::Type::kArray ? "[]" : ".<name>";
      value = value->items.get();
    }
    std::string description = child.description;
    for (const auto& [keys, rule] : value->one_ofs) {
      std::string names;
      for (std::string_view k : keys) names += (names.empty() ? "`" : "`, `") + std::string(k);
      description +=
          (rule == OneOf::kExactlyOne ? " Set exactly one of " : " Set at most one of ") + names +
          "`.";
    }
    auto earlier = seen.find(value->struct_type);
    if (value->type == SchemaNode::Type::kObject && earlier != seen.end()) {
      description += " The same fields as `" + earlier->second + "`, nested at most " +
                     std::to_string(model::kMaxRuleDepth) + " levels deep.";
    }
    lines.push_back("| `" + child_path + "` | " + escape_cell(type_text(child)) + " | " +
                    escape_cell(default_text(child, required)) + " | " + escape_cell(description) +
                    " |");
    if (value->type == SchemaNode::Type::kObject && earlier == seen.end()) {
      seen.emplace(value->struct_type, shown_path);
      collect_rows(*value, shown_path, seen, lines);
      seen.erase(value->struct_type);
    }
  }
}

template <class Kind>
std::string kind_reference() {
  Depths depths;
  SchemaNode root = build(Kind{}, FieldOpts{}, depths);
  std::vector<std::string> lines;
  std::map<std::type_index, std::string> seen;
  collect_rows(root, "", seen, lines);
  std::string out = "### " + std::string(Kind::kKind) + "\n\n" + std::string(Describe<Kind>::kDoc) +
                    "\n\n" + "| Field | Type | Default | Description |\n|---|---|---|---|\n";
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

}  // namespace

std::vector<CrdFile> generate_crds() {
  return {
      crd<model::HACluster>({{"Quorate", "boolean", ".status.quorum.quorate"}}),
      crd<model::HANode>({{"State", "string", ".status.state"},
                          {"Standby", "boolean", ".spec.standby"},
                          {"Maintenance", "boolean", ".spec.maintenance"}}),
      crd<model::HAResource>({{"Node", "string", ".status.instances[0].node"},
                              {"Role", "string", ".status.instances[0].role"}}),
      crd<model::HAGroup>({{"Node", "string", ".status.instances[0].node"}}),
      crd<model::HAConstraint>({}),
  };
}

std::string generate_field_reference() {
  return kind_reference<model::HACluster>() + "\n" + kind_reference<model::HANode>() + "\n" +
         kind_reference<model::HAResource>() + "\n" + kind_reference<model::HAGroup>() + "\n" +
         kind_reference<model::HAConstraint>();
}

}  // namespace tandem::manifest
