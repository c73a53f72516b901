// The observed-state file, read field by field (docs/cib-import.md has the
// reference). Every problem is reported; nothing is guessed.

#include <limits>
#include <map>
#include <set>

#include "common/core/score.h"
#include "common/core/text.h"
#include "common/manifest/path.h"
#include "common/manifest/scalar.h"
#include "common/model/names.h"
#include "operator/observed/node_state.h"
#include "operator/observed/observed_file.h"
#include "operator/observed/reader.h"

namespace tandem::observed {
namespace {

using detail::Fields;
using detail::Reader;

constexpr std::int64_t kMaxRc = 255;
constexpr std::int64_t kMaxCallId = std::numeric_limits<std::int32_t>::max();

Location here(const YAML::Node& node, Reader& reader) {
  const YAML::Mark mark = node.Mark();
  return Location{mark.line < 0 ? 0 : mark.line + 1, mark.column < 0 ? 0 : mark.column + 1,
                  reader.path()};
}

bool expect_map(const YAML::Node& node, Reader& reader) {
  if (node.IsMap()) return true;
  reader.error(node.Mark(), "expected a mapping, got " + detail::describe_node(node));
  return false;
}

// A string that must not be empty.
bool read_name(const YAML::Node& node, std::string& out, Reader& reader) {
  std::string text;
  if (!detail::read_string(node, text, reader)) return false;
  if (text.empty()) {
    reader.error(node.Mark(), "must not be empty");
    return false;
  }
  out = std::move(text);
  return true;
}

void read_optional_string(const YAML::Node& node, std::optional<std::string>& out, Reader& reader) {
  std::string text;
  if (detail::read_string(node, text, reader)) out = std::move(text);
}

void read_int(const YAML::Node& node, int& out, std::int64_t min, std::int64_t max,
              Reader& reader) {
  std::int64_t value = 0;
  if (detail::read_integer(node, value, min, max, reader)) out = static_cast<int>(value);
}

void read_optional_time(const YAML::Node& node, std::optional<placement::EpochSeconds>& out,
                        Reader& reader) {
  std::int64_t value = 0;
  if (detail::read_time(node, value, reader)) out = value;
}

// A fail count: an integer or INFINITY, never negative.
void read_count(const YAML::Node& node, int& out, Reader& reader) {
  const auto type = node.IsScalar() ? manifest::classify(node) : manifest::ScalarType::kNull;
  if (type == manifest::ScalarType::kInt) {
    std::int64_t value = 0;
    if (detail::read_integer(node, value, 0, std::numeric_limits<std::int64_t>::max(), reader)) {
      out = Score::of(value).value();  // saturates at INFINITY, as Pacemaker's counts do
    }
    return;
  }
  if (type != manifest::ScalarType::kString) {
    reader.error(node.Mark(),
                 "expected a count (an integer or INFINITY), got " + detail::describe_node(node));
    return;
  }
  auto score = Score::parse(node.Scalar());
  if (!score) {
    reader.error(node.Mark(), score.error().message);
    return;
  }
  if (*score < Score::of(0)) {
    reader.error(node.Mark(), "must be at least 0, got " + shorten(node.Scalar()));
    return;
  }
  out = score->value();
}

// Pacemaker's operation key, which the engine recognises failures by:
// web_monitor_10000.
std::string default_op_id(const std::string& resource, const placement::OpRecord& op) {
  return resource + "_" + op.task + "_" + std::to_string(op.interval_ms);
}

void read_operation(const YAML::Node& node, const std::string& resource, placement::OpRecord& op,
                    Reader& reader) {
  if (!expect_map(node, reader)) return;
  Fields fields(node, reader);
  std::optional<std::string> id;
  fields.field("id", false, [&](const YAML::Node& v) {
    std::string text;
    if (read_name(v, text, reader)) id = std::move(text);
  });
  fields.field("operation", true, [&](const YAML::Node& v) { read_name(v, op.task, reader); });
  fields.field("interval", false,
               [&](const YAML::Node& v) { detail::read_duration_ms(v, op.interval_ms, reader); });
  fields.field("rc", false, [&](const YAML::Node& v) { read_int(v, op.rc, -1, kMaxRc, reader); });
  fields.field("expectedRc", false,
               [&](const YAML::Node& v) { read_int(v, op.expected_rc, -1, kMaxRc, reader); });
  fields.field("status", false, [&](const YAML::Node& v) {
    if (auto index = detail::read_choice(v, kExecStatusNames, reader)) {
      op.status = static_cast<placement::ExecStatus>(*index);
    }
  });
  fields.field("callId", false,
               [&](const YAML::Node& v) { read_int(v, op.call_id, -1, kMaxCallId, reader); });
  fields.field("lastRcChange", false,
               [&](const YAML::Node& v) { read_optional_time(v, op.last_rc_change, reader); });
  fields.field("lastRun", false,
               [&](const YAML::Node& v) { read_optional_time(v, op.last_run, reader); });
  fields.field("exitReason", false,
               [&](const YAML::Node& v) { detail::read_string(v, op.exit_reason, reader); });
  fields.field("migrateSource", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.migrate_source, reader); });
  fields.field("migrateTarget", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.migrate_target, reader); });
  fields.field("digest", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.digest, reader); });
  fields.field("restartDigest", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.restart_digest, reader); });
  fields.field("forceRestart", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.force_restart, reader); });
  fields.field("secureDigest", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.secure_digest, reader); });
  fields.field("secureParams", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.secure_params, reader); });
  fields.field("featureSet", false,
               [&](const YAML::Node& v) { read_optional_string(v, op.feature_set, reader); });
  fields.finish();
  op.id = id.value_or(default_op_id(resource, op));
}

void read_agent(const YAML::Node& node, placement::ResourceHistory& history, Reader& reader) {
  if (!expect_map(node, reader)) return;
  Fields fields(node, reader);
  fields.field("class", true,
               [&](const YAML::Node& v) { read_name(v, history.agent_class, reader); });
  fields.field("provider", false,
               [&](const YAML::Node& v) { detail::read_string(v, history.provider, reader); });
  fields.field("type", false,
               [&](const YAML::Node& v) { detail::read_string(v, history.type, reader); });
  fields.finish();
}

struct NodeEntry {
  placement::ObservedNode node;
  Location location;
  std::vector<std::pair<placement::ResourceHistory, Location>> history;
  std::vector<std::pair<placement::FailCount, Location>> fail_counts;
};

void read_resource(const YAML::Node& node, NodeEntry& entry, std::set<std::string>& seen,
                   Reader& reader) {
  if (!expect_map(node, reader)) return;
  Location location = here(node, reader);
  placement::ResourceHistory history;
  history.node = entry.node.name;
  Fields fields(node, reader);
  fields.field("name", true, [&](const YAML::Node& v) {
    if (!read_name(v, history.resource, reader)) return;
    if (!seen.insert(history.resource).second) {
      reader.error(v.Mark(), "resource " + quote(history.resource) +
                                 " is listed twice on this node; give all its operations in "
                                 "one entry");
    }
  });
  fields.field("agent", false, [&](const YAML::Node& v) { read_agent(v, history, reader); });
  fields.field("shutdownLock", false,
               [&](const YAML::Node& v) { read_optional_time(v, history.shutdown_lock, reader); });
  fields.field("operations", false, [&](const YAML::Node& v) {
    detail::read_list(v, reader, [&](const YAML::Node& item) {
      read_operation(item, history.resource, history.ops.emplace_back(), reader);
    });
  });
  fields.finish();
  entry.history.emplace_back(std::move(history), std::move(location));
}

void read_fail_count(const YAML::Node& node, NodeEntry& entry, Reader& reader) {
  if (!expect_map(node, reader)) return;
  Location location = here(node, reader);
  placement::FailCount count;
  count.node = entry.node.name;
  Fields fields(node, reader);
  fields.field("resource", true,
               [&](const YAML::Node& v) { read_name(v, count.resource, reader); });
  fields.field("operation", false,
               [&](const YAML::Node& v) { detail::read_string(v, count.operation, reader); });
  fields.field("interval", false, [&](const YAML::Node& v) {
    detail::read_duration_ms(v, count.interval_ms, reader);
  });
  fields.field("count", true, [&](const YAML::Node& v) { read_count(v, count.count, reader); });
  fields.field("lastFailure", false,
               [&](const YAML::Node& v) { read_optional_time(v, count.last_failure, reader); });
  fields.finish();
  entry.fail_counts.emplace_back(std::move(count), std::move(location));
}

bool is_fail_count_attribute(std::string_view name) {
  return name.starts_with("fail-count-") || name.starts_with("last-failure-");
}

void read_attributes(const YAML::Node& node, std::map<std::string, std::string>& out,
                     Reader& reader) {
  if (!node.IsMap()) {
    reader.error(node.Mark(), "expected a mapping, got " + detail::describe_node(node));
    return;
  }
  for (auto it = node.begin(); it != node.end() && !reader.stopped(); ++it) {
    if (!reader.spend(it->first.Mark())) return;
    std::string key;
    if (!read_name(it->first, key, reader)) continue;
    manifest::PathScope scope(reader.path(), key);
    if (is_fail_count_attribute(key)) {
      reader.error(it->first.Mark(),
                   "fail counts go under failCounts, which sets this attribute too");
      continue;
    }
    if (out.contains(key)) {
      reader.error(it->first.Mark(), "duplicate key");
      continue;
    }
    if (detail::is_null(it->second)) {
      reader.error(it->second.Mark(), "values must not be null");
      continue;
    }
    std::string value;
    if (detail::read_string(it->second, value, reader)) out.emplace(key, std::move(value));
  }
}

void read_node(const YAML::Node& node, NodeEntry& entry, Reader& reader) {
  if (!expect_map(node, reader)) return;
  entry.location = here(node, reader);
  placement::ObservedNode& out = entry.node;
  Fields fields(node, reader);
  fields.field("name", true, [&](const YAML::Node& v) {
    std::string name;
    if (!read_name(v, name, reader)) return;
    if (!model::is_node_name(name)) {
      reader.error(v.Mark(), quote(name) +
                                 " is not a node name (letters, digits, '-', '_' and '.', "
                                 "starting with a letter or digit)");
      return;
    }
    out.name = std::move(name);
  });
  fields.field("id", false, [&](const YAML::Node& v) {
    std::string id;
    if (!detail::read_id(v, id, reader)) return;
    if (id.empty()) {
      reader.error(v.Mark(), "must not be empty");
      return;
    }
    out.id = std::move(id);
  });
  std::optional<NodeState> state;
  fields.field("state", true, [&](const YAML::Node& v) {
    if (auto index = detail::read_choice(v, kNodeStateNames, reader)) {
      state = static_cast<NodeState>(*index);
    }
  });
  std::optional<bool> online;
  fields.field("online", false, [&](const YAML::Node& v) {
    bool value = false;
    if (!detail::read_bool(v, value, reader)) return;
    online = value;
    if (state && !takes_online_field(*state)) {
      reader.error(v.Mark(), "only unclean, pending and shutdown nodes take online; an " +
                                 std::string(to_string(*state)) + " node is " +
                                 (default_online(*state) ? "online" : "offline") +
                                 " by definition");
    }
  });
  fields.field("reason", false, [&](const YAML::Node& v) {
    if (!detail::read_string(v, out.unclean_reason, reader)) return;
    if (state && *state != NodeState::kUnclean) {
      reader.error(v.Mark(), "only unclean nodes take a reason (why they must be fenced)");
    }
  });
  fields.field("dc", false, [&](const YAML::Node& v) { detail::read_bool(v, out.is_dc, reader); });
  fields.field("attributes", false,
               [&](const YAML::Node& v) { read_attributes(v, out.attributes, reader); });
  std::set<std::string> resources;
  fields.field("resources", false, [&](const YAML::Node& v) {
    detail::read_list(
        v, reader, [&](const YAML::Node& item) { read_resource(item, entry, resources, reader); });
  });
  fields.field("failCounts", false, [&](const YAML::Node& v) {
    detail::read_list(v, reader,
                      [&](const YAML::Node& item) { read_fail_count(item, entry, reader); });
  });
  fields.finish();
  if (state) apply_state(*state, online.value_or(default_online(*state)), out);
  if (out.id.empty()) out.id = out.name;
}

// Pacemaker keeps fail counts as node attributes, and rules can test them.
void add_fail_count_attributes(const placement::FailCount& count,
                               std::map<std::string, std::string>& attributes) {
  std::string suffix = count.resource;
  if (!count.operation.empty()) {
    suffix += "#" + count.operation + "_" + std::to_string(count.interval_ms);
  }
  attributes["fail-count-" + suffix] = Score::of(count.count).to_string();
  if (count.last_failure) {
    attributes["last-failure-" + suffix] = std::to_string(*count.last_failure);
  }
}

void read_document(const YAML::Node& doc, Decoded& out, Reader& reader) {
  if (!doc.IsMap()) {
    reader.error(doc.Mark(),
                 "expected an ObservedState (a mapping with apiVersion and kind), got " +
                     detail::describe_node(doc));
    return;
  }
  Fields fields(doc, reader);
  fields.field("apiVersion", true, [&](const YAML::Node& v) {
    std::string version;
    if (detail::read_string(v, version, reader) && version != kApiVersion) {
      reader.error(v.Mark(), quote(version) + " is not supported (expected " +
                                 std::string(kApiVersion) + ")");
    }
  });
  fields.field("kind", true, [&](const YAML::Node& v) {
    std::string kind;
    if (!detail::read_string(v, kind, reader) || kind == kKind) return;
    std::string message = quote(kind) + " is not " + quote(kKind);
    if (kind.starts_with("HA")) message += ": this is a manifest, not an observed-state file";
    reader.error(v.Mark(), std::move(message));
  });
  fields.field("now", false,
               [&](const YAML::Node& v) { read_optional_time(v, out.state.now, reader); });
  fields.field("quorum", false,
               [&](const YAML::Node& v) { detail::read_bool(v, out.state.have_quorum, reader); });
  std::vector<NodeEntry> entries;
  fields.field("nodes", false, [&](const YAML::Node& v) {
    detail::read_list(v, reader, [&](const YAML::Node& item) {
      read_node(item, entries.emplace_back(), reader);
    });
  });
  fields.finish();

  std::map<std::string, int> first_line;
  std::optional<std::string> dc;
  for (NodeEntry& entry : entries) {
    if (entry.node.name.empty()) continue;  // its error is reported
    auto [first, fresh] = first_line.emplace(entry.node.name, entry.location.line);
    if (!fresh) {
      reader.error_at(entry.location, entry.location.path + ".name",
                      "node " + quote(entry.node.name) + " is listed twice (first at line " +
                          std::to_string(first->second) + ")");
    }
    if (entry.node.is_dc) {
      if (dc) {
        reader.error_at(entry.location, entry.location.path + ".dc",
                        "only one node is the DC, and " + quote(*dc) + " already is");
      }
      dc = entry.node.name;
    }
    for (auto& [history, location] : entry.history) {
      out.state.history.push_back(std::move(history));
      out.history.push_back(std::move(location));
    }
    for (auto& [count, location] : entry.fail_counts) {
      add_fail_count_attributes(count, entry.node.attributes);
      out.state.fail_counts.push_back(std::move(count));
      out.fail_counts.push_back(std::move(location));
    }
    out.state.nodes.push_back(std::move(entry.node));
    out.nodes.push_back(std::move(entry.location));
  }
}

}  // namespace

Decoded decode_observed(std::string_view text, std::string_view file,
                        model::Diagnostics& diagnostics, const DecodeLimits& limits) {
  Decoded out;
  diagnostics.note_file(std::string(file));
  auto whole_file = [&](std::string message) {
    diagnostics.add(model::Diagnostic{model::Severity::kError, std::string(file), 0, 0, 0, "", "",
                                      std::move(message)});
  };
  if (text.size() > limits.max_bytes) {
    whole_file("file is larger than " + std::to_string(limits.max_bytes >> 20) + " MiB");
    return out;
  }
  std::vector<YAML::Node> documents;
  try {
    documents = YAML::LoadAll(std::string(text));
  } catch (const YAML::Exception& e) {
    const bool too_deep = dynamic_cast<const YAML::DeepRecursion*>(&e) != nullptr;
    diagnostics.add(model::Diagnostic{
        model::Severity::kError, std::string(file), 1, e.mark.line < 0 ? 0 : e.mark.line + 1,
        e.mark.column < 0 ? 0 : e.mark.column + 1, "", "",
        "invalid YAML: " + (too_deep ? std::string("nested too deeply") : e.msg)});
    return out;
  }
  std::vector<YAML::Node> present;
  for (const YAML::Node& doc : documents) {
    if (!detail::is_null(doc)) present.push_back(doc);
  }
  Reader reader(file, diagnostics, limits.max_values);
  if (present.empty()) {
    whole_file("no ObservedState in the file");
    return out;
  }
  if (present.size() > 1) {
    reader.error(present[1].Mark(), "expected one document (an ObservedState), found " +
                                        std::to_string(present.size()));
    return out;
  }
  read_document(present.front(), out, reader);
  return out;
}

std::string format_diagnostic(const model::Diagnostic& d) {
  std::string out = d.file;
  if (d.line > 0) {
    out += ":" + std::to_string(d.line);
    if (d.column > 0) out += ":" + std::to_string(d.column);
  }
  out += ": ";
  if (!d.path.empty()) out += d.path + ": ";
  if (d.severity == model::Severity::kWarning) out += "warning: ";
  return out + d.message;
}

}  // namespace tandem::observed
