#include "operator/cib/xml_util.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <strings.h>

#include "common/core/text.h"

namespace tandem::cib::detail {

std::string Problems::joined() const {
  std::string out;
  for (const std::string& item : items_) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::string describe(const pugi::xml_node& node) {
  std::string out = std::string("<") + node.name() + ">";
  if (const char* id = node.attribute("id").value(); *id != '\0') out += " " + quote(id);
  return out;
}

pugi::xml_node resolve(const pugi::xml_node& node) {
  const char* ref = node.attribute("id-ref").value();
  if (*ref == '\0') return node;
  pugi::xml_node root = node.root();
  std::string query = std::string("//*[@id='") + ref + "']";
  // Ids with a quote cannot occur in valid CIBs; refuse rather than build a
  // broken query.
  if (std::string_view(ref).find('\'') != std::string_view::npos) return {};
  return root.select_node(query.c_str()).node();
}

std::map<std::string, std::string> nvpairs(const pugi::xml_node& parent, const char* tag,
                                           Problems& problems) {
  std::map<std::string, std::string> values;
  for (pugi::xml_node set : parent.children(tag)) {
    set = resolve(set);
    if (!set) {
      problems.add(describe(parent) + ": a <" + tag + "> refers to an id that does not exist");
      continue;
    }
    if (set.child("rule")) {
      problems.add(describe(parent) + ": <" + tag +
                   "> with rules (values that depend on the node or time) are not supported");
      continue;
    }
    add_set_values(set, values);
  }
  return values;
}

void add_set_values(const pugi::xml_node& set, std::map<std::string, std::string>& values) {
  for (pugi::xml_node pair : set.children("nvpair")) {
    pair = resolve(pair);
    if (!pair) continue;
    std::string name = pair.attribute("name").value();
    if (name.empty()) continue;
    const std::string value = pair.attribute("value").value();
    // "#default" means unset, as Pacemaker reads it.
    if (strcasecmp(value.c_str(), "#default") == 0) continue;
    // The first value set for a name wins (Pacemaker's unpack order).
    values.try_emplace(name, value);
  }
}

bool is_true(std::string_view value) {
  std::string lower(value);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true" || lower == "on" || lower == "yes" || lower == "y" || lower == "1";
}

std::optional<model::Role> parse_role(std::string_view value) {
  if (value == "Started") return model::Role::kStarted;
  if (value == "Stopped") return model::Role::kStopped;
  if (value == "Promoted" || value == "Master") return model::Role::kPromoted;
  if (value == "Unpromoted" || value == "Slave") return model::Role::kUnpromoted;
  return std::nullopt;
}

namespace {

// ISO 8601 durations as Pacemaker accepts them for intervals: PnDTnHnMnS.
std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  if (text.empty() || text.front() != 'P') return std::nullopt;
  text.remove_prefix(1);
  std::int64_t total = 0;
  bool time = false;
  while (!text.empty()) {
    if (text.front() == 'T') {
      time = true;
      text.remove_prefix(1);
      continue;
    }
    std::int64_t number = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (ec != std::errc() || end == text.data() || end == text.data() + text.size()) {
      return std::nullopt;
    }
    char unit = *end;
    text.remove_prefix(static_cast<std::size_t>(end - text.data()) + 1);
    switch (unit) {
      case 'D':
        total += number * 86'400'000;
        break;
      case 'H':
        total += number * 3'600'000;
        break;
      case 'M':
        total += number * (time ? 60'000 : 2'592'000'000LL);
        break;
      case 'S':
        total += number * 1000;
        break;
      case 'W':
        total += number * 604'800'000;
        break;
      default:
        return std::nullopt;
    }
  }
  return total;
}

}  // namespace

std::optional<std::int64_t> parse_interval_ms(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty()) return std::nullopt;
  if (text.front() == 'P') return parse_iso8601(text);
  std::int64_t number = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), number);
  if (ec != std::errc() || number < 0) return std::nullopt;
  std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
  while (!unit.empty() && std::isspace(static_cast<unsigned char>(unit.front())))
    unit.remove_prefix(1);
  if (unit.empty() || unit == "s" || unit == "sec") return number * 1000;
  if (unit == "ms" || unit == "msec") return number;
  if (unit == "us" || unit == "usec") return number / 1000;
  if (unit == "m" || unit == "min") return number * 60'000;
  if (unit == "h" || unit == "hr") return number * 3'600'000;
  return std::nullopt;
}

}  // namespace tandem::cib::detail
