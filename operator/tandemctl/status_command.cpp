// tandemctl status: the cluster as the operator sees it, like crm_mon -1:
// quorum, nodes, every resource with its node and role, failed operations
// with their times, failovers with their durations. Reads GET /v1/status.

#include <chrono>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "common/core/result.h"
#include "operator/tandemctl/commands.h"
#include "operator/tandemctl/operator_api.h"

namespace tandem::ctl {
namespace {

using nlohmann::json;

constexpr auto kWatchInterval = std::chrono::seconds(2);
// --watch stops after this many refreshes (over 23 days at 2 s).
constexpr int kMaxWatchRounds = 1'000'000;

struct StatusOptions {
  OperatorEndpoint endpoint;
  std::string output = "text";
  bool watch = false;
};

std::string utc(std::int64_t unix_seconds) {
  if (unix_seconds <= 0) return "never";
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm parts{};
  gmtime_r(&t, &parts);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S UTC", &parts);
  return text;
}

std::string utc_ms(const json& value) {
  if (!value.is_number_integer()) return "never";
  return utc(value.get<std::int64_t>() / 1000);
}

std::string seconds(std::int64_t ms) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3f s", static_cast<double>(ms) / 1000.0);
  return text;
}

std::string text_of(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

std::string list(const json& names) {
  std::string out;
  if (!names.is_array()) return out;
  for (const json& name : names) {
    if (!name.is_string()) continue;
    out += (out.empty() ? "" : " ") + name.get<std::string>();
  }
  return out;
}

// The status as crm_mon -1 lays it out.
std::string format(const json& s) {
  std::string out;
  out += "Cluster Summary:\n";
  out += "  * Cluster: " + text_of(s, "cluster") + " (manifests generation " +
         std::to_string(s.value("generation", 0)) + ")\n";
  const json quorum = s.value("quorum", json::object());
  if (quorum.value("quorate", false)) {
    out += "  * Quorum: partition with quorum (ring " + text_of(quorum, "ringId") + ", " +
           std::to_string(quorum.value("members", json::array()).size()) + " members, as " +
           text_of(quorum, "reporter") + " reports)\n";
  } else {
    out += "  * Quorum: NO quorate partition reports to the operator: nothing is started\n";
  }
  out += "  * Last updated: " + utc_ms(s.value("updatedUnixMs", json())) + "\n";
  if (s.value("maintenanceMode", false))
    out +=
        "\n              *** Resource management is DISABLED ***\n"
        "  The cluster will not attempt to start, stop, recover or fence anything\n"
        "  (maintenance mode: tandemctl maintenance --cluster off ends it)\n\n";
  out += "  * Transitions: " + std::to_string(s.value("transitionsTotal", 0)) + "\n";

  out += "\nNode List:\n";
  const char* states[] = {"online", "standby", "maintenance", "unclean", "offline"};
  const char* labels[] = {"Online", "Standby", "Maintenance", "UNCLEAN (presumed running)",
                          "OFFLINE"};
  const json nodes = s.value("nodes", json::array());
  for (std::size_t i = 0; i < std::size(states); ++i) {
    std::string names;
    for (const json& node : nodes) {
      if (text_of(node, "state") == states[i]) names += " " + text_of(node, "name");
    }
    if (!names.empty()) out += std::string("  * ") + labels[i] + ": [" + names + " ]\n";
  }
  for (const json& node : nodes) {
    if (text_of(node, "state") != "unclean") continue;
    out += "    " + text_of(node, "name") + ": " + text_of(node, "reason");
    if (node.value("cleanAtUnixMs", json()).is_number_integer())
      out += "; clean by the self-fence time at " + utc_ms(node["cleanAtUnixMs"]);
    else
      out += "; only fencing clears it";
    if (!text_of(node, "fenceError").empty())
      out += "; last fence failed: " + text_of(node, "fenceError");
    out += "\n";
  }

  out += "\nFull List of Resources:\n";
  const json resources = s.value("resources", json::array());
  if (resources.empty()) out += "  * No resources\n";
  for (const json& r : resources) {
    std::string line = "  * " + text_of(r, "resource") + ":\t";
    const std::string role = text_of(r, "role");
    const std::string on = list(r.value("runningOn", json::array()));
    const std::string presumed = list(r.value("presumedOn", json::array()));
    if (r.value("failed", false)) {
      line += "FAILED " + on;
    } else if (role == "Stopped" && presumed.empty()) {
      line += "Stopped";
      if (!text_of(r, "reason").empty()) line += " (" + text_of(r, "reason") + ")";
    } else {
      line += role + " " + on;
    }
    if (!presumed.empty()) line += (on.empty() ? "" : " ") + presumed + " (UNCLEAN)";
    if (!r.value("managed", true)) line += " (unmanaged)";
    out += line + "\n";
  }

  const json constraints = s.value("cliConstraints", json::array());
  if (!constraints.empty()) {
    out += "\nBans and Moves (tandemctl clear RESOURCE removes them):\n";
    for (const json& c : constraints) {
      const bool ban = text_of(c, "kind") == "ban";
      out += "  * " + text_of(c, "name") + ": " + text_of(c, "resource") +
             (ban ? " kept off " : " prefers ") + text_of(c, "node");
      out += c.value("expiresUnixMs", json()).is_number_integer()
                 ? " until " + utc_ms(c["expiresUnixMs"]) + "\n"
                 : " until cleared\n";
    }
  }

  const json failed = s.value("failedOperations", json::array());
  if (!failed.empty()) {
    out += "\nFailed Resource Actions:\n";
    for (const json& f : failed) {
      out += "  * " + text_of(f, "resource") + " " + text_of(f, "task") + " (interval " +
             std::to_string(f.value("intervalMs", 0)) + "ms) on " + text_of(f, "node") + ": rc " +
             std::to_string(f.value("rc", 0)) + ", " + text_of(f, "status");
      if (!text_of(f, "exitReason").empty()) out += ", '" + text_of(f, "exitReason") + "'";
      out += ", at " + utc(f.value("lastRcChangeUnix", std::int64_t{0})) + "\n";
    }
  }
  const json counts = s.value("failCounts", json::array());
  if (!counts.empty()) {
    out += "\nFail Counts:\n";
    for (const json& f : counts) {
      out += "  * " + text_of(f, "resource") + " on " + text_of(f, "node") + ": " +
             std::to_string(f.value("count", 0)) + " (" + text_of(f, "operation") + ", last at " +
             utc(f.value("lastFailureUnix", std::int64_t{0})) + ")\n";
    }
  }
  const json outages = s.value("outages", json::array());
  if (!outages.empty()) {
    out += "\nRecovering:\n";
    for (const json& o : outages) {
      out += "  * " + text_of(o, "resource") + " down since " +
             utc_ms(o.value("detectedUnixMs", json())) + " (" + text_of(o, "cause") + ")\n";
    }
  }
  const json held = s.value("held", json::array());
  if (!held.empty()) {
    out += "\nWaiting for unclean nodes:\n";
    for (const json& h : held) {
      if (h.is_string()) out += "  * " + h.get<std::string>() + "\n";
    }
  }
  const json failovers = s.value("failovers", json::array());
  if (!failovers.empty()) {
    const json& last = failovers.back();
    out += "\nLast failover: " + text_of(last, "resource") + " " + text_of(last, "from") + " -> " +
           text_of(last, "to") + " in " + seconds(last.value("durationMs", std::int64_t{0})) +
           " (" + text_of(last, "cause") + ", detected " +
           utc_ms(last.value("detectedUnixMs", json())) + ")\n";
  }
  return out;
}

int show_once(const StatusOptions& options, const std::string& token, bool clear) {
  auto body = exchange(options.endpoint, token, "/v1/status");
  if (!body) {
    std::cerr << "tandemctl status: " << body.error().message << "\n";
    return kExitInvalid;
  }
  json parsed = json::parse(*body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    std::cerr << "tandemctl status: " << options.endpoint.url
              << ": the answer is not a status document\n";
    return kExitInvalid;
  }
  if (options.output == "json") {
    std::cout << parsed.dump(2) << "\n" << std::flush;
    return kExitOk;
  }
  std::string text;
  try {
    text = format(parsed);
  } catch (const json::exception& e) {
    std::cerr << "tandemctl status: " << options.endpoint.url
              << ": unexpected status document: " << e.what() << "\n";
    return kExitInvalid;
  }
  if (clear) std::cout << "\033[H\033[2J";
  std::cout << text << std::flush;
  return kExitOk;
}

int run(const StatusOptions& options) {
  auto token = endpoint_token(options.endpoint);
  if (!token) {
    std::cerr << "tandemctl status: " << token.error().message << "\n";
    return kExitUsage;
  }
  if (!options.watch) return show_once(options, *token, false);
  for (int round = 0; round < kMaxWatchRounds; ++round) {
    show_once(options, *token, options.output == "text");
    std::this_thread::sleep_for(kWatchInterval);
  }
  return kExitOk;
}

}  // namespace

Command add_status_command(CLI::App& app) {
  auto options = std::make_shared<StatusOptions>();
  CLI::App* cmd = app.add_subcommand(
      "status", "Show a running cluster as its operator sees it (like crm_mon -1)");
  add_endpoint_options(*cmd, options->endpoint);
  cmd->add_option("--output", options->output, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_flag("--watch", options->watch, "Refresh every 2 seconds until interrupted");
  return [options] { return run(*options); };
}

}  // namespace tandem::ctl
