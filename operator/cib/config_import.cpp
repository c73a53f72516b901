// crm_config, rsc_defaults, op_defaults and nodes.

#include <array>
#include <charconv>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {
namespace {

// Options that do not change where resources run or what the transition
// does; they configure daemons, timing of elections, logging and the like.
constexpr std::array<std::string_view, 30> kNoPlacementEffect{"dc-version",
                                                              "cluster-infrastructure",
                                                              "have-watchdog",
                                                              "last-lrm-refresh",
                                                              "expected-quorum-votes",
                                                              "election-timeout",
                                                              "dc-deadtime",
                                                              "shutdown-escalation",
                                                              "crmd-transition-delay",
                                                              "crmd-integration-timeout",
                                                              "crmd-finalization-timeout",
                                                              "join-integration-timeout",
                                                              "join-finalization-timeout",
                                                              "transition-delay",
                                                              "pe-error-series-max",
                                                              "pe-warn-series-max",
                                                              "pe-input-series-max",
                                                              "batch-limit",
                                                              "cluster-delay",
                                                              "stonith-watchdog-timeout",
                                                              "concurrent-fencing",
                                                              "node-action-limit",
                                                              "load-threshold",
                                                              "fence-reaction",
                                                              "cluster-ipc-limit",
                                                              "priority-fencing-delay",
                                                              "stonith-max-attempts",
                                                              "enable-acl",
                                                              "migration-limit",
                                                              "stop-orphan-actions"};

std::string normalized_name(std::string name) {
  for (char& c : name) {
    if (c == '_') c = '-';
  }
  return name;
}

bool set_duration(std::optional<Duration>& field, const std::string& value, const std::string& what,
                  Problems& problems) {
  auto ms = parse_interval_ms(value);
  if (!ms) {
    problems.add(what + ": " + quote(value) + " is not a duration");
    return false;
  }
  field = Duration(*ms);
  return true;
}

std::optional<Score> parse_score(const std::string& value, const std::string& what,
                                 Problems& problems) {
  // Pacemaker reads scores with strtoll, so "2.0" means 2; accept exactly
  // that much (a fraction of zeros) and nothing looser.
  std::string text = value;
  if (auto dot = text.find('.'); dot != std::string::npos && dot > 0 &&
                                 text.find_first_not_of('0', dot + 1) == std::string::npos) {
    text.erase(dot);
  }
  auto score = Score::parse(text);
  if (!score) {
    problems.add(what + ": " + score.error().message);
    return std::nullopt;
  }
  return *score;
}

}  // namespace

// Meta attributes shared by resources, groups and rsc_defaults. Returns false
// for names it does not know, so callers can report them.
bool apply_meta(model::ResourceMeta& meta, const std::string& raw_name, const std::string& value,
                const std::string& where, Problems& problems) {
  const std::string name = normalized_name(raw_name);
  if (name == "resource-stickiness") {
    if (value != "default") meta.stickiness = parse_score(value, where + " " + name, problems);
  } else if (name == "migration-threshold" || name == "resource-failure-stickiness") {
    if (auto score = parse_score(value, where + " " + name, problems)) {
      // Pacemaker uses 1 for negative thresholds.
      meta.migration_threshold = *score < Score::of(0) ? Score::of(1) : *score;
    }
  } else if (name == "failure-timeout") {
    std::optional<Duration> timeout;
    if (set_duration(timeout, value, where + " " + name, problems)) meta.failure_timeout = timeout;
  } else if (name == "target-role") {
    std::string lowered = value;
    for (char& c : lowered) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lowered == "started")
      meta.target_role = model::Role::kStarted;
    else if (lowered == "stopped")
      meta.target_role = model::Role::kStopped;
    else if (lowered == "promoted" || lowered == "master")
      meta.target_role = model::Role::kPromoted;
    else if (lowered == "unpromoted" || lowered == "slave")
      meta.target_role = model::Role::kUnpromoted;
    else if (lowered != "default" && lowered != "#default")
      problems.add(where + ": target-role " + quote(value) + " is not a role");
  } else if (name == "priority") {
    if (auto score = parse_score(value, where + " priority", problems))
      meta.priority = score->value();
  } else if (name == "is-managed") {
    if (value != "default") meta.is_managed = is_true(value);
  } else if (name == "maintenance") {
    meta.maintenance = is_true(value);
  } else if (name == "allow-migrate") {
    meta.allow_migrate = is_true(value);
  } else if (name == "critical") {
    meta.critical = is_true(value);
  } else if (name == "container") {
    meta.container = value;
  } else if (name == "multiple-active") {
    if (auto v = model::parse_enum<model::MultipleActive>(value))
      meta.multiple_active = *v;
    else
      problems.add(where + ": multiple-active " + quote(value) + " is not supported");
  } else if (name == "requires") {
    if (auto v = model::parse_enum<model::Requires>(value))
      meta.requires_ = *v;
    else
      problems.add(where + ": requires " + quote(value) + " is not supported");
  } else if (name == "description") {
    // documentation only
  } else {
    return false;
  }
  return true;
}

namespace {

// <fencing-level target|target-pattern|target-attribute+target-value index
// devices="a,b">: one level each; validation checks what they name.
void import_fencing_topology(ImportContext& ctx, pugi::xml_node topology,
                             model::HACluster& cluster) {
  for (pugi::xml_node level : topology.children("fencing-level")) {
    const std::string where = "<fencing-level id=" + quote(level.attribute("id").value()) + ">";
    model::FencingLevel out;
    auto optional = [&level](const char* name) -> std::optional<std::string> {
      pugi::xml_attribute attribute = level.attribute(name);
      if (!attribute) return std::nullopt;
      return std::string(attribute.value());
    };
    out.target = optional("target");
    out.target_pattern = optional("target-pattern");
    out.target_attribute = optional("target-attribute");
    out.target_value = optional("target-value");
    const std::string index = level.attribute("index").value();
    auto [ptr, ec] = std::from_chars(index.data(), index.data() + index.size(), out.index);
    if (ec != std::errc() || ptr != index.data() + index.size()) {
      ctx.problems.add(where + ": index " + quote(index) + " is not a number");
      continue;
    }
    std::string devices = level.attribute("devices").value();
    for (char& c : devices) {
      if (c == ',') c = ' ';
    }
    std::istringstream names(devices);
    for (std::string name; names >> name;) out.devices.push_back(name);
    cluster.spec.fencing_topology.push_back(std::move(out));
  }
}

}  // namespace

void import_cluster_options(ImportContext& ctx) {
  pugi::xml_node config = ctx.cib.child("configuration");
  auto& cluster = ctx.add(ctx.out.manifests.clusters, "cluster");
  model::ClusterOptions& options = cluster.spec.options;

  for (pugi::xml_node set : config.child("crm_config").children("cluster_property_set")) {
    set = resolve(set);
    if (set.child("rule")) {
      // A conditional set is fine when nothing in it affects placement.
      bool harmless = true;
      for (pugi::xml_node pair : set.children("nvpair")) {
        const std::string name = normalized_name(pair.attribute("name").value());
        if (std::find(kNoPlacementEffect.begin(), kNoPlacementEffect.end(), name) ==
            kNoPlacementEffect.end()) {
          harmless = false;
        }
      }
      if (harmless) {
        ctx.note(describe(set) + " has rules but no option that affects placement; left out");
      } else {
        ctx.problems.add(describe(set) + ": cluster options with rules are not supported");
      }
      continue;
    }
    for (pugi::xml_node pair : set.children("nvpair")) {
      const std::string name = normalized_name(pair.attribute("name").value());
      const std::string value = pair.attribute("value").value();
      const std::string where = "cluster option " + quote(name);
      if (name == "stonith-enabled") {
        options.fencing_enabled = is_true(value);
      } else if (name == "stonith-action") {
        if (value == "reboot")
          options.fencing_action = model::FencingAction::kReboot;
        else if (value == "off" || value == "poweroff")
          options.fencing_action = model::FencingAction::kOff;
        else
          ctx.problems.add(where + ": " + quote(value) + " is not reboot or off");
      } else if (name == "stonith-timeout") {
        if (auto ms = parse_interval_ms(value)) options.fencing_timeout = Duration(*ms);
      } else if (name == "no-quorum-policy") {
        if (auto policy = model::parse_enum<model::NoQuorumPolicy>(value)) {
          options.no_quorum_policy = *policy;
        } else {
          ctx.problems.add(where + ": " + quote(value) + " is not a no-quorum policy");
        }
      } else if (name == "symmetric-cluster") {
        options.symmetric_cluster = is_true(value);
      } else if (name == "placement-strategy") {
        if (auto strategy = model::parse_enum<model::PlacementStrategy>(value)) {
          options.placement_strategy = *strategy;
        } else {
          ctx.problems.add(where + ": " + quote(value) + " is not a placement strategy");
        }
      } else if (name == "maintenance-mode") {
        options.maintenance_mode = is_true(value);
      } else if (name == "stop-all-resources") {
        options.stop_all_resources = is_true(value);
      } else if (name == "start-failure-is-fatal") {
        options.start_failure_is_fatal = is_true(value);
      } else if (name == "cluster-recheck-interval") {
        if (auto ms = parse_interval_ms(value)) options.cluster_recheck_interval = Duration(*ms);
      } else if (name == "cluster-name") {
        cluster.spec.membership.cluster_name = value;
      } else if (name == "default-resource-stickiness") {
        if (!cluster.spec.resource_defaults.stickiness) {
          cluster.spec.resource_defaults.stickiness = parse_score(value, where, ctx.problems);
        }
      } else if (name == "is-managed-default") {
        if (!cluster.spec.resource_defaults.is_managed) {
          cluster.spec.resource_defaults.is_managed = is_true(value);
        }
      } else if (name == "default-action-timeout") {
        if (auto ms = parse_interval_ms(value))
          cluster.spec.operation_defaults.timeout = Duration(*ms);
      } else if (name == "startup-fencing") {
        options.startup_fencing = is_true(value);
      } else if (name == "stop-orphan-resources") {
        options.stop_orphan_resources = is_true(value);
      } else if (name == "enable-startup-probes") {
        options.startup_probes = is_true(value);
      } else if (name == "remove-after-stop") {
        if (is_true(value)) ctx.problems.add(where + " is not supported");
      } else if (name == "shutdown-lock") {
        options.shutdown_lock = is_true(value);
      } else if (name == "shutdown-lock-limit") {
        if (auto ms = parse_interval_ms(value)) options.shutdown_lock_limit = Duration(*ms);
      } else if (name == "node-health-strategy") {
        if (auto strategy = model::parse_enum<model::HealthStrategy>(value)) {
          options.node_health.strategy = *strategy;
        } else {
          ctx.problems.add(where + ": " + quote(value) + " is not a node health strategy");
        }
      } else if (name == "node-health-green" || name == "node-health-yellow" ||
                 name == "node-health-red" || name == "node-health-base") {
        if (auto score = parse_score(value, where, ctx.problems)) {
          model::NodeHealth& health = options.node_health;
          Score& field = name == "node-health-green"    ? health.green
                         : name == "node-health-yellow" ? health.yellow
                         : name == "node-health-red"    ? health.red
                                                        : health.base;
          field = *score;
        }
      } else if (std::find(kNoPlacementEffect.begin(), kNoPlacementEffect.end(), name) ==
                 kNoPlacementEffect.end()) {
        ctx.note(where + " is not a Pacemaker option Tandem knows; left out");
      }
    }
  }

  // rsc_defaults and op_defaults
  for (pugi::xml_node set : config.child("rsc_defaults").children("meta_attributes")) {
    set = resolve(set);
    if (set.child("rule")) continue;  // see import_rule_defaults
    for (pugi::xml_node pair : set.children("nvpair")) {
      std::string name = pair.attribute("name").value();
      if (!apply_meta(cluster.spec.resource_defaults, name, pair.attribute("value").value(),
                      "<rsc_defaults>", ctx.problems)) {
        ctx.problems.add("<rsc_defaults>: " + quote(name) + " is not supported");
      }
    }
  }
  for (pugi::xml_node set : config.child("op_defaults").children("meta_attributes")) {
    set = resolve(set);
    if (set.child("rule")) continue;  // see import_rule_defaults
    for (pugi::xml_node pair : set.children("nvpair")) {
      const std::string name = normalized_name(pair.attribute("name").value());
      const std::string value = pair.attribute("value").value();
      if (name == "timeout") {
        if (auto ms = parse_interval_ms(value))
          cluster.spec.operation_defaults.timeout = Duration(*ms);
      } else if (name == "on-fail") {
        if (auto on_fail = model::parse_enum<model::OnFail>(value)) {
          cluster.spec.operation_defaults.on_fail = *on_fail;
        } else {
          ctx.problems.add("<op_defaults>: on-fail " + quote(value) + " is not supported");
        }
      } else if (name == "record-pending" || name == "interval" || name == "start-delay") {
        // no effect on placement
      } else {
        ctx.problems.add("<op_defaults>: " + quote(name) + " is not supported");
      }
    }
  }
  if (config.child("alerts")) ctx.note("<alerts> have no effect on placement; left out");
  // An empty section configures nothing.
  if (config.child("acls") && config.child("acls").first_child())
    ctx.problems.add("<acls> are not supported");
  import_fencing_topology(ctx, config.child("fencing-topology"), cluster);
}

void import_nodes(ImportContext& ctx) {
  pugi::xml_node nodes = ctx.cib.child("configuration").child("nodes");
  for (pugi::xml_node node : nodes.children("node")) {
    const std::string uname = node.attribute("uname").value();
    const std::string id = node.attribute("id").value();
    const std::string type = node.attribute("type").value();
    if (uname.empty()) {
      ctx.problems.add(describe(node) + ": a node without a uname is not supported");
      continue;
    }
    if (!type.empty() && type != "member" && type != "normal") {
      ctx.problems.add(describe(node) + ": nodes of type " + quote(type) + " are not supported");
      continue;
    }
    auto& ha_node = ctx.add(ctx.out.manifests.nodes, uname);
    if (const char* score = node.attribute("score").value(); *score != '\0') {
      auto parsed = Score::parse(score);
      if (!parsed) {
        ctx.problems.add(describe(node) + ": score " + quote(score) + " is not a score");
      } else {
        ha_node.spec.score = *parsed;
      }
    }
    ctx.node_ids[uname] = id.empty() ? uname : id;
    for (auto& [name, value] : nvpairs(node, "instance_attributes", ctx.problems)) {
      if (name == "standby") {
        ha_node.spec.standby = is_true(value);
      } else if (name == "maintenance") {
        ha_node.spec.maintenance = is_true(value);
      } else {
        ha_node.spec.attributes[name] = value;
      }
    }
    for (auto& [name, value] : nvpairs(node, "utilization", ctx.problems)) {
      char* end = nullptr;
      long long amount = std::strtoll(value.c_str(), &end, 10);
      if (end == value.c_str() || amount < 0) {
        ctx.problems.add(describe(node) + ": utilization " + quote(name) + " is not a count");
        continue;
      }
      ha_node.spec.utilization[name] = amount;
    }
  }
}

}  // namespace tandem::cib::detail
