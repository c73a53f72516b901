// tandemctl simulate: what the placement engine would do, for a Pacemaker
// CIB (configuration and status), or for Tandem manifests and an
// observed-state file (what-if questions).

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "common/core/timestamp.h"
#include "common/model/normalize.h"
#include "operator/cib/cib_import.h"
#include "operator/placement/engine.h"
#include "operator/tandemctl/cluster_input.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

struct Options {
  std::string cib;
  std::vector<std::string> paths;
  std::string observed;
  std::string output = "text";
  std::string now;
  bool scores = false;
  bool actions = false;
};

// The transition as JSON, written directly: large clusters produce tens of
// thousands of entries, and building a document first costs more than the
// scheduling.
// The JSON text, appended to a string: a large cluster's transition runs to
// megabytes, and stream calls for every piece took a tenth of simulate's
// time.
struct JsonOut {
  std::string text;
  JsonOut& operator<<(std::string_view piece) {
    text.append(piece);
    return *this;
  }
};

class JsonWriter {
 public:
  explicit JsonWriter(JsonOut& out) : out_(out) {}

  void string(std::string_view text) { quote(text); }
  void string_or_null(std::string_view text) {
    if (text.empty()) {
      out_ << "null";
    } else {
      string(text);
    }
  }
  void key(std::string_view name) {
    quote(name);
    out_.text += ": ";
  }

 private:
  void quote(std::string_view text) {
    std::string& out = out_.text;
    out += '"';
    std::size_t plain = 0;  // where the characters that need no escape start
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      const auto byte = static_cast<unsigned char>(c);
      if (c != '"' && c != '\\' && byte >= 0x20) continue;
      out.append(text.substr(plain, i - plain));
      plain = i + 1;
      if (c == '"' || c == '\\') {
        out += '\\';
        out += c;
      } else {
        static constexpr char kHex[] = "0123456789abcdef";
        out += "\\u00";
        out += kHex[byte >> 4];
        out += kHex[byte & 0xf];
      }
    }
    out.append(text.substr(plain));
    out += '"';
  }

  JsonOut& out_;
};

void write_change(JsonWriter& json, JsonOut& out, const placement::Change& change) {
  auto role = [&](const std::optional<model::Role>& r) {
    json.string_or_null(r ? model::to_string(*r) : std::string_view());
  };
  out << "  {";
  json.key("op");
  json.string(placement::to_string(change.kind));
  out << ", ";
  json.key("rsc");
  json.string_or_null(change.resource);
  out << ", ";
  json.key("node");
  json.string_or_null(change.node);
  out << ", ";
  json.key("from_node");
  json.string_or_null(change.from_node);
  out << ", ";
  json.key("to_node");
  json.string_or_null(change.to_node);
  out << ", ";
  json.key("from_role");
  role(change.from_role);
  out << ", ";
  json.key("to_role");
  role(change.to_role);
  out << ", ";
  json.key("fence_action");
  json.string_or_null(change.fence_action);
  out << ", ";
  json.key("blocked");
  out << (change.blocked ? "true" : "false") << ", ";
  json.key("reason");
  json.string_or_null(change.reason);
  out << "}";
}

// The transition's required actions, with what each waits for and, for
// notifications, what the agent is told.
void write_graph(JsonWriter& json, JsonOut& out, const placement::Transition& transition) {
  out << ",\n \"graph\": [";
  // What each action waits for, in the transition's order of orders.
  std::vector<std::vector<std::size_t>> waits_for(transition.actions.size());
  for (const placement::ActionOrder& order : transition.orders) {
    if (order.after < waits_for.size()) waits_for[order.after].push_back(order.before);
  }
  const char* separator = "\n";
  for (std::size_t i = 0; i < transition.actions.size(); ++i) {
    const placement::PlannedAction& action = transition.actions[i];
    out << separator << "  {";
    json.key("key");
    json.string(action.key);
    out << ", ";
    json.key("task");
    json.string(action.task);
    out << ", ";
    json.key("rsc");
    json.string_or_null(action.resource);
    out << ", ";
    json.key("node");
    json.string_or_null(action.node);
    out << ", ";
    json.key("pseudo");
    out << (action.pseudo ? "true" : "false") << ", ";
    json.key("runnable");
    out << (action.runnable ? "true" : "false") << ", ";
    json.key("after");
    out << "[";
    const char* comma = "";
    for (std::size_t before : waits_for[i]) {
      out << comma;
      json.string(transition.actions[before].key);
      comma = ", ";
    }
    out << "], ";
    json.key("meta");
    out << "{";
    comma = "";
    for (const auto& [name, value] : action.meta) {
      out << comma;
      json.key(name);
      json.string(value);
      comma = ", ";
    }
    out << "}}";
    separator = ",\n";
  }
  out << "\n ]";
}

// The normalized result format of the scheduler corpus
// (tandem-scheduler-result, version 1).
void write_json(JsonOut& out, const placement::Transition& transition, bool graph) {
  JsonWriter json(out);
  out << "{\n \"format\": \"tandem-scheduler-result\",\n \"version\": 1,\n \"actions\": [";
  const char* separator = "\n";
  for (const placement::Change& change : transition.changes) {
    out << separator;
    write_change(json, out, change);
    separator = ",\n";
  }
  out << "\n ],\n \"placement\": [";
  separator = "\n";
  for (const placement::Placed& placed : transition.placement) {
    out << separator << "  {";
    json.key("rsc");
    json.string(placed.resource);
    out << ", ";
    json.key("node");
    json.string(placed.node);
    out << ", ";
    json.key("role");
    json.string(model::to_string(placed.role));
    out << ", ";
    json.key("failed");
    out << (placed.failed ? "true" : "false") << "}";
    separator = ",\n";
  }
  out << "\n ],\n \"nodes\": {";
  separator = "\n";
  for (const auto& [node, state] : transition.node_states) {
    out << separator << "  ";
    json.key(node);
    json.string(state);
    separator = ",\n";
  }
  out << "\n }";
  if (graph) write_graph(json, out, transition);
  out << "\n}\n";
}

std::string describe(const placement::Change& change) {
  std::ostringstream text;
  std::string kind(placement::to_string(change.kind));
  kind[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(kind[0])));
  text << "  * " << kind << " ";
  if (change.kind == placement::ChangeKind::kFence) {
    text << "(" << change.fence_action << ") " << change.node;
    if (!change.reason.empty()) text << " '" << change.reason << "'";
    return text.str();
  }
  if (change.kind == placement::ChangeKind::kShutdown) return text.str() + change.node;
  text << change.resource << " ( ";
  if (!change.from_node.empty() && !change.to_node.empty() && change.from_node != change.to_node) {
    text << change.from_node << " -> " << change.to_node;
  } else {
    text << (change.from_node.empty() ? change.to_node : change.from_node);
  }
  text << " )";
  if (!change.reason.empty()) {
    text << "  due to " << change.reason << (change.blocked ? " (blocked)" : "");
  } else if (change.blocked) {
    text << "  blocked";
  }
  return text.str();
}

void print_actions(const placement::Transition& transition) {
  std::cout << "\nActions:\n";
  for (std::size_t i = 0; i < transition.actions.size(); ++i) {
    const placement::PlannedAction& action = transition.actions[i];
    std::cout << "  " << (action.pseudo ? "pseudo " : "") << action.key;
    if (!action.node.empty()) std::cout << " on " << action.node;
    if (!action.runnable) std::cout << " (blocked)";
    if (!action.reason.empty()) std::cout << " due to " << action.reason;
    std::vector<std::string> after;
    for (const placement::ActionOrder& order : transition.orders) {
      if (order.after == i) after.push_back(transition.actions[order.before].key);
    }
    if (!after.empty()) {
      std::cout << " after";
      for (const std::string& key : after) std::cout << " " << key;
    }
    std::cout << "\n";
  }
}

void print_text(const placement::Transition& transition, bool scores) {
  if (scores) {
    std::cout << "Allocation scores:\n";
    for (const placement::NodeScore& score : transition.scores) {
      std::cout << score.stage << ": " << score.resource << " allocation score on " << score.node
                << ": " << score.score.to_string() << "\n";
    }
    std::cout << "\n";
  }
  std::cout << "Transition Summary:\n";
  for (const placement::Change& change : transition.changes) {
    std::cout << describe(change) << "\n";
  }
}

Result<std::int64_t> parse_now(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("0123456789") == std::string::npos &&
      text.size() < 19) {
    return std::stoll(text);
  }
  auto stamp = Timestamp::parse(text);
  if (!stamp) return fail("--now: " + stamp.error().message);
  return std::chrono::duration_cast<std::chrono::seconds>(stamp->time.time_since_epoch()).count();
}

// --cib and manifests are two ways to say the same thing; exactly one is
// given, and --observed goes with manifests only.
int check_usage(const Options& options) {
  const char* problem = nullptr;
  if (!options.cib.empty() && !options.paths.empty()) {
    problem = "give either --cib FILE or manifests with --observed FILE, not both";
  } else if (options.cib.empty() && options.paths.empty()) {
    problem = "give --cib FILE, or manifests and --observed FILE";
  } else if (!options.cib.empty() && !options.observed.empty()) {
    problem = "--observed goes with manifests; a CIB has its own status section";
  } else if (!options.paths.empty() && options.observed.empty()) {
    problem =
        "manifests need --observed FILE: the time, quorum, the nodes' states and what runs where "
        "(see docs/cib-import.md)";
  }
  if (problem == nullptr) return kExitOk;
  std::cerr << "tandemctl simulate: " << problem << "\n";
  return kExitUsage;
}

int read_cib(const std::string& path, ClusterInput& input) {
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    std::cerr << "tandemctl simulate: cannot read " << path << "\n";
    return kExitUsage;
  }
  std::string content;
  file.seekg(0, std::ios::end);
  if (file.tellg() > 0) content.resize(static_cast<std::size_t>(file.tellg()));
  file.seekg(0);
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  auto imported = cib::import_cib(content, path);
  if (!imported) {
    std::cerr << "tandemctl simulate: " << imported.error().message << "\n";
    return kExitInvalid;
  }
  input.manifests = std::move(imported->manifests);
  input.observed = std::move(imported->observed);
  return kExitOk;
}

int run(const Options& options) {
  if (int status = check_usage(options); status != kExitOk) return status;
  ClusterInput input;
  const int status = options.cib.empty()
                         ? read_manifest_input(options.paths, options.observed, "simulate", input)
                         : read_cib(options.cib, input);
  if (status != kExitOk) return status;
  if (!options.now.empty()) {
    auto now = parse_now(options.now);
    if (!now) {
      std::cerr << "tandemctl simulate: " << now.error().message << "\n";
      return kExitUsage;
    }
    input.observed.now = *now;
  } else if (!input.observed.now) {
    input.observed.now = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::system_clock::now().time_since_epoch())
                             .count();
  }
  model::normalize(input.manifests);
  const placement::Transition transition =
      placement::schedule(input.manifests, input.observed, {.scores = options.scores});
  if (options.output == "json") {
    JsonOut out;
    write_json(out, transition, options.actions);
    std::cout << out.text;
  } else {
    print_text(transition, options.scores);
    if (options.actions) print_actions(transition);
  }
  return kExitOk;
}

}  // namespace

Command add_simulate_command(CLI::App& app) {
  auto options = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "simulate",
      "Show the transition the placement engine computes for a cluster: what starts, stops, "
      "moves or is fenced, and why. The cluster is a Pacemaker CIB (--cib), or Tandem manifests "
      "with an observed-state file (--observed), which you can edit to ask what-if questions.");
  cmd->add_option("manifests", options->paths,
                  "Manifest files or directories, as validate takes them; - reads standard input");
  cmd->add_option("--cib", options->cib,
                  "A Pacemaker CIB with its status section (cibadmin -Q output)");
  cmd->add_option("--observed", options->observed,
                  "With manifests: the observed-state file (import-cib --observed writes one)");
  cmd->add_option("-o,--output", options->output, "text (the default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--now", options->now,
                  "The current time, as epoch seconds or RFC 3339 (default: the CIB's "
                  "execution-date or the observed state's now, else the clock)");
  cmd->add_flag("--scores", options->scores, "Also print the allocation scores");
  cmd->add_flag("--actions", options->actions,
                "Also print every required action, whether it can run, and what it waits for");
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
