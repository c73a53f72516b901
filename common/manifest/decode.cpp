#include "common/manifest/decode.h"

#include <array>
#include <charconv>
#include <initializer_list>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "common/core/text.h"
#include "common/manifest/describe.h"
#include "common/manifest/path.h"
#include "common/manifest/scalar.h"
#include "common/manifest/traits.h"

namespace tandem::manifest {
namespace {

using model::Diagnostic;
using model::Severity;

// Where the decoder is (file, document, object, field path) and how many
// values it may still visit.
class Context {
 public:
  Context(std::string_view file, model::Diagnostics& diagnostics, std::size_t budget)
      : file_(file), diagnostics_(diagnostics), budget_(budget) {}

  void start_document(int number, int first_line) {
    document_ = number;
    first_line_ = first_line;
    object_ = "document " + std::to_string(number);
    path_.clear();
  }
  void set_object(std::string label) { object_ = std::move(label); }
  std::string& path() { return path_; }
  int document() const { return document_; }
  int file_line(const YAML::Mark& mark) const {
    return mark.line < 0 ? 0 : first_line_ + mark.line;
  }

  void error(const YAML::Mark& mark, std::string message) {
    ++errors_;
    diagnostics_.add(Diagnostic{Severity::kError, file_, document_, file_line(mark),
                                mark.column < 0 ? 0 : mark.column + 1, object_, path_,
                                std::move(message)});
  }
  std::size_t errors() const { return errors_; }

  // Counts one value against the budget; false (after one error) once spent.
  bool spend(const YAML::Mark& mark) {
    if (stopped_) return false;
    if (budget_ > 0) {
      --budget_;
      return true;
    }
    stopped_ = true;
    std::string saved = std::move(path_);
    path_.clear();
    error(mark, "too many values (counting each use of an alias): stopped reading the file");
    path_ = std::move(saved);
    return false;
  }
  bool stopped() const { return stopped_; }

  // Nesting of the value being decoded. The schema itself nests a few
  // levels (rules a few more); the cap keeps recursion, and with it the
  // stack, small whatever the input.
  static constexpr int kMaxDepth = 64;
  int& depth() { return depth_; }

 private:
  int depth_ = 0;
  std::string file_;
  model::Diagnostics& diagnostics_;
  std::size_t budget_;
  bool stopped_ = false;
  std::size_t errors_ = 0;
  int document_ = 0;
  int first_line_ = 1;
  std::string object_;
  std::string path_;
};

// A plain-language description of what a node holds, for "expected X, got Y".
std::string describe_node(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return "null";
    case YAML::NodeType::Scalar:
      break;
  }
  const std::string& text = node.Scalar();
  switch (classify(node)) {
    case ScalarType::kNull:
      return "null";
    case ScalarType::kBool:
      return "the boolean " + shorten(text);
    case ScalarType::kInt:
      return "the integer " + shorten(text);
    case ScalarType::kFloat:
      return "the number " + shorten(text);
    case ScalarType::kString:
      return "the string " + quote(text);
    case ScalarType::kUnsupportedTag:
      break;
  }
  return "a value tagged " + quote(node.Tag());
}

bool is_null(const YAML::Node& node) {
  return node.IsNull() || (node.IsScalar() && classify(node) == ScalarType::kNull);
}

// Adds "(quote it: ...)" where a YAML 1.1 reading turned intended text into
// another type: the classic `fencingAction: off`.
std::string expected_string(const YAML::Node& node) {
  std::string message = "expected a string, got " + describe_node(node);
  if (node.IsScalar()) message += " (quote it: " + quote(node.Scalar()) + ")";
  return message;
}

// false (after reporting why) when a string or key is not clean text.
bool check_text_of(const YAML::Node& node, Context& ctx) {
  std::string problem = check_text(node.Scalar());
  if (problem.empty()) return true;
  ctx.error(node.Mark(), quote(node.Scalar()) + " " + problem);
  return false;
}

void decode_string(const YAML::Node& node, std::string& out, Context& ctx) {
  if (!node.IsScalar() || classify(node) != ScalarType::kString) {
    ctx.error(node.Mark(), expected_string(node));
    return;
  }
  if (check_text_of(node, ctx)) out = node.Scalar();
}

void decode_bool(const YAML::Node& node, bool& out, Context& ctx) {
  if (node.IsScalar() && classify(node) == ScalarType::kBool) {
    const std::string& text = node.Scalar();
    if (is_canonical_bool(text)) {
      out = text[0] == 't' || text[0] == 'T';
      return;
    }
    ctx.error(node.Mark(), shorten(text) + " is not a boolean: write true or false");
    return;
  }
  ctx.error(node.Mark(), "expected true or false, got " + describe_node(node));
}

template <class Int>
void decode_integer(const YAML::Node& node, Int& out, const FieldOpts& opts, Context& ctx) {
  if (!node.IsScalar() || classify(node) != ScalarType::kInt) {
    ctx.error(node.Mark(), "expected an integer, got " + describe_node(node));
    return;
  }
  const std::string& text = node.Scalar();
  if (!is_decimal_integer(text)) {
    ctx.error(node.Mark(), shorten(text) + " is not a decimal integer");
    return;
  }
  std::int64_t lowest = opts.min.value_or(std::numeric_limits<std::int64_t>::min());
  std::int64_t highest = opts.max.value_or(std::numeric_limits<std::int64_t>::max());
  if constexpr (std::is_unsigned_v<Int>) lowest = std::max<std::int64_t>(lowest, 0);
  if constexpr (sizeof(Int) < sizeof(std::int64_t)) {
    lowest = std::max<std::int64_t>(lowest, std::numeric_limits<Int>::min());
    highest = std::min<std::int64_t>(highest, std::numeric_limits<Int>::max());
  }
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  (void)end;
  bool too_small = ec == std::errc::result_out_of_range ? digits.front() == '-' : value < lowest;
  bool too_large = ec == std::errc::result_out_of_range ? digits.front() != '-' : value > highest;
  if (too_small) {
    ctx.error(node.Mark(), "must be at least " + std::to_string(lowest) + ", got " + shorten(text));
    return;
  }
  if (too_large) {
    ctx.error(node.Mark(), "must be at most " + std::to_string(highest) + ", got " + shorten(text));
    return;
  }
  out = static_cast<Int>(value);
}

// A scalar read by a parser that returns a Result (scores, durations,
// timestamps). Scores and durations also take bare integers, as
// Pacemaker's do.
template <class T, class Parse>
void decode_parsed(const YAML::Node& node, T& out, Context& ctx, bool integers_too,
                   std::string_view expected, Parse parse) {
  ScalarType type = node.IsScalar() ? classify(node) : ScalarType::kUnsupportedTag;
  if (type != ScalarType::kString && !(integers_too && type == ScalarType::kInt)) {
    ctx.error(node.Mark(), "expected " + std::string(expected) + ", got " + describe_node(node));
    return;
  }
  auto parsed = parse(node.Scalar());
  if (!parsed) {
    ctx.error(node.Mark(), parsed.error().message);
    return;
  }
  out = *parsed;
}

template <model::NamedEnum E>
void decode_enum(const YAML::Node& node, E& out, Context& ctx) {
  if (!node.IsScalar() || classify(node) != ScalarType::kString) {
    ctx.error(node.Mark(), expected_string(node));
    return;
  }
  const std::string& text = node.Scalar();
  if (auto value = model::parse_enum<E>(text)) {
    out = *value;
    return;
  }
  std::vector<std::string_view> names;
  for (const auto& entry : model::EnumTraits<E>::kNames) names.push_back(entry.name);
  std::string message = quote(text) + " is not one of: " + join(names, ", ");
  if (auto guess = closest_match(text, names)) message += " (did you mean " + quote(*guess) + "?)";
  ctx.error(node.Mark(), std::move(message));
}

template <class T>
void decode_value(const YAML::Node& node, T& out, const FieldOpts& opts, Context& ctx);

// Decodes one struct from a mapping, field by field, as Describe<T> lists
// them; keys it does not list are reported as unknown.
class StructDecoder {
 public:
  StructDecoder(const YAML::Node& node, Context& ctx,
                std::initializer_list<std::string_view> read_elsewhere = {})
      : ctx_(ctx), mark_(node.Mark()), known_(read_elsewhere) {
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (!ctx_.spend(it->first.Mark())) return;
      if (!it->first.IsScalar()) {
        ctx_.error(it->first.Mark(), "keys must be strings, got " + describe_node(it->first));
        continue;
      }
      const std::string& key = it->first.Scalar();
      if (find(key) != nullptr) {
        PathScope scope(ctx_.path(), key);
        ctx_.error(it->first.Mark(), "duplicate key");
        continue;
      }
      entries_.push_back(Entry{key, it->second, it->first.Mark()});
    }
  }

  template <class T>
  void field(std::string_view key, T& out, const FieldOpts& opts) {
    known_.push_back(key);
    if (ctx_.stopped()) return;
    const Entry* entry = find(key);
    PathScope scope(ctx_.path(), key);
    if (entry == nullptr || is_null(entry->value)) {
      if (opts.required) ctx_.error(entry ? entry->mark : mark_, "required field is missing");
      return;
    }
    decode_value(entry->value, out, opts, ctx_);
  }

  void one_of(std::initializer_list<std::string_view> keys, OneOf rule) {
    if (ctx_.stopped()) return;
    std::vector<std::string_view> present;
    for (std::string_view key : keys) {
      const Entry* entry = find(key);
      if (entry != nullptr && !is_null(entry->value)) present.push_back(key);
    }
    std::vector<std::string_view> all(keys);
    if (present.empty() && rule == OneOf::kExactlyOne) {
      ctx_.error(mark_, "one of " + join(all, ", ") + " is required");
    } else if (present.size() > 1) {
      std::string both = present.size() == 2 ? " are both set" : " are all set";
      std::string last(present.back());
      present.pop_back();
      ctx_.error(mark_, join(present, ", ") + " and " + last + both + "; set only one of " +
                            join(all, ", "));
    }
  }

  void finish() {
    if (ctx_.stopped()) return;
    for (const Entry& entry : entries_) {
      if (std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
      PathScope scope(ctx_.path(), entry.key);
      if (entry.key == "<<") {
        ctx_.error(entry.mark, "YAML merge keys are not supported");
        continue;
      }
      std::string message = "unknown field";
      if (auto guess = closest_match(entry.key, known_)) {
        message += " (did you mean " + quote(*guess) + "?)";
      }
      ctx_.error(entry.mark, std::move(message));
    }
  }

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    YAML::Mark mark;
  };

  const Entry* find(std::string_view key) const {
    for (const Entry& entry : entries_) {
      if (entry.key == key) return &entry;
    }
    return nullptr;
  }

  Context& ctx_;
  YAML::Mark mark_;
  std::vector<std::string_view> known_;
  std::vector<Entry> entries_;
};

class DepthScope {
 public:
  explicit DepthScope(Context& ctx) : ctx_(ctx) { ++ctx_.depth(); }
  ~DepthScope() { --ctx_.depth(); }
  DepthScope(const DepthScope&) = delete;
  DepthScope& operator=(const DepthScope&) = delete;
  bool too_deep() const { return ctx_.depth() > Context::kMaxDepth; }

 private:
  Context& ctx_;
};

template <class T>
void decode_value(const YAML::Node& node, T& out, const FieldOpts& opts, Context& ctx) {
  if (!ctx.spend(node.Mark())) return;
  DepthScope depth(ctx);
  if (depth.too_deep()) {
    ctx.error(node.Mark(), "nested too deeply");
    return;
  }
  if constexpr (is_optional<T>) {
    decode_value(node, out.emplace(), opts, ctx);
  } else if constexpr (std::is_same_v<T, std::string>) {
    decode_string(node, out, ctx);
  } else if constexpr (std::is_same_v<T, bool>) {
    decode_bool(node, out, ctx);
  } else if constexpr (std::is_integral_v<T>) {
    decode_integer(node, out, opts, ctx);
  } else if constexpr (std::is_same_v<T, Score>) {
    decode_parsed(node, out, ctx, true, "a score (an integer, INFINITY or -INFINITY)",
                  Score::parse);
  } else if constexpr (std::is_same_v<T, Duration>) {
    decode_parsed(node, out, ctx, true, "a duration (e.g. 10s)", parse_duration);
  } else if constexpr (std::is_same_v<T, Timestamp>) {
    decode_parsed(node, out, ctx, false, "an RFC 3339 timestamp", Timestamp::parse);
  } else if constexpr (model::NamedEnum<T>) {
    decode_enum(node, out, ctx);
  } else if constexpr (is_vector<T>) {
    if (!node.IsSequence()) {
      ctx.error(node.Mark(), "expected a list, got " + describe_node(node));
      return;
    }
    out.clear();
    std::size_t index = 0;
    for (auto it = node.begin(); it != node.end() && !ctx.stopped(); ++it, ++index) {
      PathScope scope(ctx.path(), index);
      const YAML::Node& item = *it;
      if (is_null(item)) {
        ctx.error(item.Mark(), "list items must not be null");
        continue;
      }
      decode_value(item, out.emplace_back(), opts, ctx);
    }
  } else if constexpr (is_string_map<T>) {
    if (!node.IsMap()) {
      ctx.error(node.Mark(), "expected a mapping, got " + describe_node(node));
      return;
    }
    out.clear();
    for (auto it = node.begin(); it != node.end() && !ctx.stopped(); ++it) {
      if (!it->first.IsScalar()) {
        ctx.error(it->first.Mark(), "keys must be strings, got " + describe_node(it->first));
        continue;
      }
      const std::string& key = it->first.Scalar();
      PathScope scope(ctx.path(), key);
      if (!check_text_of(it->first, ctx)) continue;
      auto [slot, inserted] = out.try_emplace(key);
      if (!inserted) {
        ctx.error(it->first.Mark(), "duplicate key");
        continue;
      }
      if (is_null(it->second)) {
        ctx.error(it->second.Mark(), "values must not be null");
        continue;
      }
      decode_value(it->second, slot->second, opts, ctx);
    }
  } else {
    static_assert(Described<T>, "every manifest type needs a Describe<T>");
    if (!node.IsMap()) {
      ctx.error(node.Mark(), "expected a mapping, got " + describe_node(node));
      return;
    }
    StructDecoder decoder(node, ctx);
    Describe<T>::fields(decoder, out);
    decoder.finish();
  }
}

constexpr std::array<std::string_view, 5> kKinds{model::HACluster::kKind, model::HANode::kKind,
                                                 model::HAResource::kKind, model::HAGroup::kKind,
                                                 model::HAConstraint::kKind};

// Reads a scalar without throwing: yaml-cpp throws when asked about a key a
// const map does not have.
std::string scalar_at(const YAML::Node& map, std::string_view key) {
  if (!map || !map.IsMap()) return {};
  const YAML::Node value = map[std::string(key)];
  return value && value.IsScalar() ? value.Scalar() : std::string();
}

template <class Kind>
void decode_object(const YAML::Node& doc, Context& ctx, std::string_view file,
                   std::vector<Kind>& out) {
  Kind object;
  std::size_t errors_before = ctx.errors();
  StructDecoder decoder(doc, ctx, {"apiVersion", "kind"});
  Describe<Kind>::fields(decoder, object);
  decoder.finish();
  // Without a name nothing can refer to the object; its error is reported.
  if (object.metadata.name.empty()) return;
  object.origin = model::Origin{std::string(file), ctx.document(), ctx.file_line(doc.Mark()),
                                ctx.errors() == errors_before};
  out.push_back(std::move(object));
}

// Reads a top-level string such as apiVersion or kind; empty after an error.
std::string read_header(const YAML::Node& doc, std::string_view key, Context& ctx) {
  PathScope scope(ctx.path(), key);
  const YAML::Node value = doc[std::string(key)];
  if (!value || is_null(value)) {
    ctx.error(doc.Mark(), "required field is missing");
    return {};
  }
  if (!value.IsScalar() || classify(value) != ScalarType::kString) {
    ctx.error(value.Mark(), expected_string(value));
    return {};
  }
  return value.Scalar();
}

void decode_document(const YAML::Node& doc, Context& ctx, std::string_view file,
                     model::Manifests& out) {
  if (!doc.IsMap()) {
    ctx.error(doc.Mark(), "expected a Tandem object (a mapping with apiVersion and kind), got " +
                              describe_node(doc));
    return;
  }
  // Name the object in every message, even those about apiVersion and kind.
  const std::string raw_kind = scalar_at(doc, "kind");
  const bool known_kind = std::find(kKinds.begin(), kKinds.end(), raw_kind) != kKinds.end();
  if (known_kind) {
    const YAML::Node metadata = doc["metadata"];
    model::ObjectMeta meta;
    meta.name = scalar_at(metadata, "name");
    if (std::string ns = scalar_at(metadata, "namespace"); !ns.empty()) meta.namespace_ = ns;
    ctx.set_object(meta.name.empty()
                       ? raw_kind + " (document " + std::to_string(ctx.document()) + ")"
                       : model::object_label(raw_kind, meta));
  }

  std::string api_version = read_header(doc, "apiVersion", ctx);
  if (!api_version.empty() && api_version != model::kApiVersion) {
    PathScope scope(ctx.path(), "apiVersion");
    ctx.error(doc["apiVersion"].Mark(), quote(api_version) + " is not supported (expected " +
                                            std::string(model::kApiVersion) + ")");
  }
  std::string kind = read_header(doc, "kind", ctx);
  if (kind.empty()) return;
  if (!known_kind) {
    PathScope scope(ctx.path(), "kind");
    std::string message = quote(kind) + " is not a Tandem kind (" + join(kKinds, ", ") + ")";
    if (auto guess = closest_match(kind, kKinds))
      message += "; did you mean " + quote(*guess) + "?";
    ctx.error(doc["kind"].Mark(), std::move(message));
    return;
  }
  if (kind == model::HACluster::kKind) decode_object(doc, ctx, file, out.clusters);
  if (kind == model::HANode::kKind) decode_object(doc, ctx, file, out.nodes);
  if (kind == model::HAResource::kKind) decode_object(doc, ctx, file, out.resources);
  if (kind == model::HAGroup::kKind) decode_object(doc, ctx, file, out.groups);
  if (kind == model::HAConstraint::kKind) decode_object(doc, ctx, file, out.constraints);
}

struct Chunk {
  std::string_view text;
  int first_line;
};

bool is_marker(std::string_view line, std::string_view marker) {
  return line.starts_with(marker) &&
         (line.size() == 3 || line[3] == ' ' || line[3] == '\t' || line[3] == '\r');
}

// YAML documents end at a line starting with "---" or "...", in any context
// (YAML 1.2, c-forbidden). Splitting there first lets one broken document
// not hide the errors of the others, and numbers documents as users see them.
std::vector<Chunk> split_documents(std::string_view text) {
  std::vector<Chunk> chunks;
  std::size_t start = 0;
  int chunk_line = 1;
  int line = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t eol = text.find('\n', pos);
    if (eol == std::string_view::npos) eol = text.size();
    std::string_view current = text.substr(pos, eol - pos);
    if (is_marker(current, "---")) {
      if (pos > start) chunks.push_back({text.substr(start, pos - start), chunk_line});
      start = pos;
      chunk_line = line;
    } else if (is_marker(current, "...")) {
      chunks.push_back({text.substr(start, pos - start), chunk_line});
      start = std::min(eol + 1, text.size());
      chunk_line = line + 1;
    }
    pos = eol + 1;
    ++line;
  }
  if (start < text.size()) chunks.push_back({text.substr(start), chunk_line});
  return chunks;
}

}  // namespace

void decode_file(std::string_view text, std::string_view file, model::Manifests& out,
                 model::Diagnostics& diagnostics, const DecodeLimits& limits) {
  diagnostics.note_file(std::string(file));
  if (text.size() > limits.max_bytes) {
    diagnostics.add(
        Diagnostic{Severity::kError, std::string(file), 0, 0, 0, "", "",
                   "file is larger than " + std::to_string(limits.max_bytes >> 20) + " MiB"});
    return;
  }
  Context ctx(file, diagnostics, limits.max_values);
  int number = 0;
  for (const Chunk& chunk : split_documents(text)) {
    if (ctx.stopped()) return;
    YAML::Node doc;
    try {
      doc = YAML::Load(std::string(chunk.text));
    } catch (const YAML::Exception& e) {
      ctx.start_document(++number, chunk.first_line);
      int line = ctx.file_line(e.mark);
      std::string where = line > 0 ? "line " + std::to_string(line) + ", column " +
                                         std::to_string(e.mark.column + 1) + ": "
                                   : std::string();
      bool too_deep = dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr;
      diagnostics.add(Diagnostic{
          Severity::kError, std::string(file), number, line,
          e.mark.column < 0 ? 0 : e.mark.column + 1, "", "",
          where + "invalid YAML: " + (too_deep ? std::string("nested too deeply") : e.msg)});
      continue;
    }
    if (is_null(doc)) continue;  // empty document, e.g. a trailing "---"
    ctx.start_document(++number, chunk.first_line);
    decode_document(doc, ctx, file, out);
  }
}

}  // namespace tandem::manifest
