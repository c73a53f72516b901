#include "operator/observed/reader.h"

#include <algorithm>
#include <charconv>
#include <chrono>

#include "common/core/duration.h"
#include "common/core/text.h"
#include "common/core/timestamp.h"
#include "common/manifest/path.h"
#include "common/manifest/scalar.h"

namespace tandem::observed::detail {
namespace {

using manifest::ScalarType;

// Adds "(quote it: ...)" where a YAML 1.1 reading turned intended text into
// another type, as the manifest decoder does.
std::string expected_string(const YAML::Node& node) {
  std::string message = "expected a string, got " + describe_node(node);
  if (node.IsScalar()) message += " (quote it: " + quote(node.Scalar()) + ")";
  return message;
}

bool is_scalar_of(const YAML::Node& node, ScalarType type) {
  return node.IsScalar() && manifest::classify(node) == type;
}

}  // namespace

void Reader::error(const YAML::Mark& mark, std::string message) {
  ++errors_;
  diagnostics_.add(
      model::Diagnostic{model::Severity::kError, file_, 1, mark.line < 0 ? 0 : mark.line + 1,
                        mark.column < 0 ? 0 : mark.column + 1, "", path_, std::move(message)});
}

void Reader::error_at(const Location& location, const std::string& path, std::string message) {
  ++errors_;
  diagnostics_.add(model::Diagnostic{model::Severity::kError, file_, 1, location.line,
                                     location.column, "", path, std::move(message)});
}

bool Reader::spend(const YAML::Mark& mark) {
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

bool is_null(const YAML::Node& node) {
  return node.IsNull() || is_scalar_of(node, ScalarType::kNull);
}

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
  switch (manifest::classify(node)) {
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

Fields::Fields(const YAML::Node& map, Reader& reader) : reader_(reader), mark_(map.Mark()) {
  for (auto it = map.begin(); it != map.end(); ++it) {
    if (!reader_.spend(it->first.Mark())) return;
    if (!it->first.IsScalar()) {
      reader_.error(it->first.Mark(), "keys must be strings, got " + describe_node(it->first));
      continue;
    }
    const std::string& key = it->first.Scalar();
    if (find(key) != nullptr) {
      manifest::PathScope scope(reader_.path(), key);
      reader_.error(it->first.Mark(), "duplicate key");
      continue;
    }
    entries_.push_back(Entry{key, it->second, it->first.Mark()});
  }
}

const Fields::Entry* Fields::find(std::string_view key) const {
  for (const Entry& entry : entries_) {
    if (entry.key == key) return &entry;
  }
  return nullptr;
}

bool Fields::has(std::string_view key) const {
  const Entry* entry = find(key);
  return entry != nullptr && !is_null(entry->value);
}

void Fields::field(std::string_view key, bool required,
                   const std::function<void(const YAML::Node&)>& read) {
  known_.push_back(key);
  if (reader_.stopped()) return;
  const Entry* entry = find(key);
  manifest::PathScope scope(reader_.path(), key);
  if (entry == nullptr || is_null(entry->value)) {
    if (required) reader_.error(entry ? entry->mark : mark_, "required field is missing");
    return;
  }
  if (!reader_.spend(entry->value.Mark())) return;
  read(entry->value);
}

void Fields::error_at(std::string_view key, std::string message) {
  const Entry* entry = find(key);
  manifest::PathScope scope(reader_.path(), key);
  reader_.error(entry ? entry->mark : mark_, std::move(message));
}

void Fields::finish() {
  if (reader_.stopped()) return;
  for (const Entry& entry : entries_) {
    if (std::find(known_.begin(), known_.end(), entry.key) != known_.end()) continue;
    manifest::PathScope scope(reader_.path(), entry.key);
    if (entry.key == "<<") {
      reader_.error(entry.mark, "YAML merge keys are not supported");
      continue;
    }
    std::string message = "unknown field";
    if (auto guess = closest_match(entry.key, known_)) {
      message += " (did you mean " + quote(*guess) + "?)";
    }
    reader_.error(entry.mark, std::move(message));
  }
}

bool read_string(const YAML::Node& node, std::string& out, Reader& reader) {
  if (!is_scalar_of(node, ScalarType::kString)) {
    reader.error(node.Mark(), expected_string(node));
    return false;
  }
  if (std::string problem = check_text(node.Scalar()); !problem.empty()) {
    reader.error(node.Mark(), quote(node.Scalar()) + " " + problem);
    return false;
  }
  out = node.Scalar();
  return true;
}

bool read_id(const YAML::Node& node, std::string& out, Reader& reader) {
  if (is_scalar_of(node, ScalarType::kInt) && manifest::is_decimal_integer(node.Scalar())) {
    out = node.Scalar();
    return true;
  }
  if (!is_scalar_of(node, ScalarType::kString)) {
    reader.error(node.Mark(), "expected a string or an integer, got " + describe_node(node));
    return false;
  }
  return read_string(node, out, reader);
}

bool read_bool(const YAML::Node& node, bool& out, Reader& reader) {
  if (is_scalar_of(node, ScalarType::kBool)) {
    const std::string& text = node.Scalar();
    if (manifest::is_canonical_bool(text)) {
      out = text[0] == 't' || text[0] == 'T';
      return true;
    }
    reader.error(node.Mark(), shorten(text) + " is not a boolean: write true or false");
    return false;
  }
  reader.error(node.Mark(), "expected true or false, got " + describe_node(node));
  return false;
}

bool read_integer(const YAML::Node& node, std::int64_t& out, std::int64_t min, std::int64_t max,
                  Reader& reader) {
  if (!is_scalar_of(node, ScalarType::kInt)) {
    reader.error(node.Mark(), "expected an integer, got " + describe_node(node));
    return false;
  }
  const std::string& text = node.Scalar();
  if (!manifest::is_decimal_integer(text)) {
    reader.error(node.Mark(), shorten(text) + " is not a decimal integer");
    return false;
  }
  std::string_view digits = text;
  if (digits.front() == '+') digits.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  (void)end;
  const bool negative = digits.front() == '-';
  if ((ec == std::errc::result_out_of_range && negative) || (ec == std::errc() && value < min)) {
    reader.error(node.Mark(), "must be at least " + std::to_string(min) + ", got " + shorten(text));
    return false;
  }
  if ((ec == std::errc::result_out_of_range && !negative) || (ec == std::errc() && value > max)) {
    reader.error(node.Mark(), "must be at most " + std::to_string(max) + ", got " + shorten(text));
    return false;
  }
  out = value;
  return true;
}

bool read_duration_ms(const YAML::Node& node, std::int64_t& out, Reader& reader) {
  if (!is_scalar_of(node, ScalarType::kString) && !is_scalar_of(node, ScalarType::kInt)) {
    reader.error(node.Mark(), "expected a duration (e.g. 10s), got " + describe_node(node));
    return false;
  }
  auto duration = parse_duration(node.Scalar());
  if (!duration) {
    reader.error(node.Mark(), duration.error().message);
    return false;
  }
  out = duration->count();
  return true;
}

bool read_time(const YAML::Node& node, std::int64_t& out, Reader& reader) {
  if (is_scalar_of(node, ScalarType::kInt)) {
    return read_integer(node, out, 0, kMaxEpochSeconds, reader);
  }
  if (!is_scalar_of(node, ScalarType::kString)) {
    reader.error(node.Mark(), "expected an RFC 3339 timestamp or seconds since the epoch, got " +
                                  describe_node(node));
    return false;
  }
  auto stamp = Timestamp::parse(node.Scalar());
  if (!stamp) {
    reader.error(node.Mark(), stamp.error().message);
    return false;
  }
  const auto millis = stamp->time.time_since_epoch().count();
  if (millis % 1000 != 0) {
    reader.error(node.Mark(), quote(node.Scalar()) +
                                  " has a fraction of a second; write whole "
                                  "seconds");
    return false;
  }
  if (millis < 0) {
    reader.error(node.Mark(), quote(node.Scalar()) + " is before 1970");
    return false;
  }
  out = millis / 1000;
  return true;
}

std::optional<std::size_t> read_choice(const YAML::Node& node,
                                       std::span<const std::string_view> names, Reader& reader) {
  if (!is_scalar_of(node, ScalarType::kString)) {
    reader.error(node.Mark(), expected_string(node));
    return std::nullopt;
  }
  const std::string& text = node.Scalar();
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == text) return i;
  }
  std::string message = quote(text) + " is not one of: " + join(names, ", ");
  if (auto guess = closest_match(text, names)) message += " (did you mean " + quote(*guess) + "?)";
  reader.error(node.Mark(), std::move(message));
  return std::nullopt;
}

void read_list(const YAML::Node& node, Reader& reader,
               const std::function<void(const YAML::Node&)>& read) {
  if (!node.IsSequence()) {
    reader.error(node.Mark(), "expected a list, got " + describe_node(node));
    return;
  }
  std::size_t index = 0;
  for (auto it = node.begin(); it != node.end() && !reader.stopped(); ++it, ++index) {
    manifest::PathScope scope(reader.path(), index);
    const YAML::Node& item = *it;
    if (!reader.spend(item.Mark())) return;
    if (is_null(item)) {
      reader.error(item.Mark(), "list items must not be null");
      continue;
    }
    read(item);
  }
}

}  // namespace tandem::observed::detail
