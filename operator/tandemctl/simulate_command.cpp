// tandemctl simulate: what the placement engine would do, for a Pacemaker
// CIB (configuration and status).

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/core/timestamp.h"
#include "common/model/normalize.h"
#include "operator/cib/cib_import.h"
#include "operator/placement/engine.h"
#include "operator/tandemctl/commands.h"

namespace tandem::ctl {
namespace {

struct Options {
  std::string cib;
  std::string output = "text";
  std::string now;
  bool scores = false;
  bool actions = false;
};

nlohmann::json change_json(const placement::Change& change) {
  auto text_or_null = [](const std::string& text) {
    return text.empty() ? nlohmann::json(nullptr) : nlohmann::json(text);
  };
  auto role = [](const std::optional<model::Role>& r) {
    return r ? nlohmann::json(std::string(model::to_string(*r))) : nlohmann::json(nullptr);
  };
  nlohmann::json out;
  out["op"] = std::string(placement::to_string(change.kind));
  out["rsc"] = text_or_null(change.resource);
  out["node"] = text_or_null(change.node);
  out["from_node"] = text_or_null(change.from_node);
  out["to_node"] = text_or_null(change.to_node);
  out["from_role"] = role(change.from_role);
  out["to_role"] = role(change.to_role);
  out["fence_action"] = text_or_null(change.fence_action);
  out["blocked"] = change.blocked;
  out["reason"] = text_or_null(change.reason);
  return out;
}

nlohmann::json transition_json(const placement::Transition& transition) {
  nlohmann::json out;
  out["format"] = "tandem-scheduler-result";
  out["version"] = 1;
  out["actions"] = nlohmann::json::array();
  for (const placement::Change& change : transition.changes) {
    out["actions"].push_back(change_json(change));
  }
  out["placement"] = nlohmann::json::array();
  for (const placement::Placed& placed : transition.placement) {
    out["placement"].push_back({{"rsc", placed.resource},
                                {"node", placed.node},
                                {"role", std::string(model::to_string(placed.role))},
                                {"failed", placed.failed}});
  }
  out["nodes"] = transition.node_states;
  return out;
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

int run(const Options& options) {
  std::ifstream file(options.cib, std::ios::binary);
  if (!file) {
    std::cerr << "tandemctl simulate: cannot read " << options.cib << "\n";
    return kExitUsage;
  }
  std::stringstream content;
  content << file.rdbuf();
  auto imported = cib::import_cib(content.str(), options.cib);
  if (!imported) {
    std::cerr << "tandemctl simulate: " << imported.error().message << "\n";
    return kExitInvalid;
  }
  if (!options.now.empty()) {
    auto now = parse_now(options.now);
    if (!now) {
      std::cerr << "tandemctl simulate: " << now.error().message << "\n";
      return kExitUsage;
    }
    imported->observed.now = *now;
  } else if (!imported->observed.now) {
    imported->observed.now = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
  }
  model::normalize(imported->manifests);
  const placement::Transition transition =
      placement::schedule(imported->manifests, imported->observed, {.scores = options.scores});
  if (options.output == "json") {
    std::cout << transition_json(transition).dump(1) << "\n";
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
      "moves or is fenced, and why.");
  cmd->add_option("--cib", options->cib,
                  "A Pacemaker CIB with its status section (cibadmin -Q output)")
      ->required();
  cmd->add_option("-o,--output", options->output, "text (the default) or json")
      ->check(CLI::IsMember({"text", "json"}));
  cmd->add_option("--now", options->now,
                  "The current time, as epoch seconds or RFC 3339 (default: the CIB's "
                  "execution-date, else the clock)");
  cmd->add_flag("--scores", options->scores, "Also print the allocation scores");
  cmd->add_flag("--actions", options->actions,
                "Also print every required action, whether it can run, and what it waits for");
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
