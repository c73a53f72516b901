#include "operator/cib/rename.h"

#include <algorithm>
#include <functional>
#include <regex>
#include <set>

#include <strings.h>

#include "common/core/text.h"
#include "operator/cib/kube_names.h"

namespace tandem::cib {
namespace {

using model::ExpressionOperation;

struct Tables {
  NameTable placeables;  // resources, groups, and resources known only from the status
  NameTable nodes;
  NameTable constraints;
  NameTable clusters;
};

Tables build_tables(const Imported& imported) {
  const model::Manifests& m = imported.manifests;
  const placement::ObservedState& o = imported.observed;
  std::vector<std::string> placeables, nodes, constraints, clusters;
  for (const auto& resource : m.resources) placeables.push_back(resource.metadata.name);
  for (const auto& group : m.groups) placeables.push_back(group.metadata.name);
  for (const auto& history : o.history) placeables.push_back(history.resource);
  for (const auto& count : o.fail_counts) placeables.push_back(count.resource);
  for (const auto& node : m.nodes) nodes.push_back(node.metadata.name);
  for (const auto& cluster : m.clusters) {
    clusters.push_back(cluster.metadata.name);
    for (const auto& member : cluster.spec.membership.nodes) nodes.push_back(member.name);
  }
  for (const auto& node : o.nodes) nodes.push_back(node.name);
  for (const auto& constraint : m.constraints) constraints.push_back(constraint.metadata.name);
  return Tables{NameTable(placeables, "resource"), NameTable(nodes, "node"),
                NameTable(constraints, "constraint"), NameTable(clusters, "cluster")};
}

std::string describe_constraint(const model::HAConstraint& constraint) {
  const char* element = constraint.spec.location     ? "rsc_location"
                        : constraint.spec.colocation ? "rsc_colocation"
                                                     : "rsc_order";
  return std::string("<") + element + "> " + quote(constraint.metadata.name);
}

std::string listed(const std::set<std::string>& names) {
  if (names.empty()) return "none";
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// The resources a rsc-pattern can select: those the engine places on their
// own (groups, and resources outside groups), and those known only from the
// status (orphans).
std::vector<std::string> top_level_ids(const Imported& imported) {
  const model::Manifests& m = imported.manifests;
  std::set<std::string> grouped;
  for (const auto& group : m.groups)
    grouped.insert(group.spec.resources.begin(), group.spec.resources.end());
  std::vector<std::string> ids;
  std::set<std::string> configured;
  for (const auto& resource : m.resources) {
    configured.insert(resource.metadata.name);
    if (!grouped.contains(resource.metadata.name)) ids.push_back(resource.metadata.name);
  }
  for (const auto& group : m.groups) {
    configured.insert(group.metadata.name);
    ids.push_back(group.metadata.name);
  }
  for (const auto& history : imported.observed.history) {
    if (configured.insert(history.resource).second) ids.push_back(history.resource);
  }
  return ids;
}

// A rsc-pattern is a regular expression over resource ids; renaming may
// change what it selects, and then it cannot be carried over as it is.
void check_pattern(const model::HAConstraint& constraint, const std::vector<std::string>& ids,
                   const NameTable& names, std::vector<std::string>& problems) {
  const auto& location = constraint.spec.location;
  if (!location || !location->resource_pattern) return;
  std::string pattern = *location->resource_pattern;
  const bool invert = !pattern.empty() && pattern.front() == '!';
  if (invert) pattern.erase(0, 1);
  std::regex re;
  try {
    re = std::regex(pattern, std::regex::extended);
  } catch (const std::regex_error&) {
    return;  // validation reports the pattern itself
  }
  std::set<std::string> before, after, before_ids;
  for (const std::string& id : ids) {
    const std::string name = names.name(id);
    if (std::regex_search(id, re) != invert) {
      before.insert(name);
      before_ids.insert(id);
    }
    if (std::regex_search(name, re) != invert) after.insert(name);
  }
  if (before == after) return;
  problems.push_back(
      describe_constraint(constraint) + ": rsc-pattern " + quote(*location->resource_pattern) +
      " selects other resources once they have Kubernetes names (before: " + listed(before_ids) +
      "; after: " + listed(after) +
      "); change the pattern so that it selects the same resources either way");
}

bool is_ordering(ExpressionOperation operation) {
  return operation == ExpressionOperation::kLt || operation == ExpressionOperation::kGt ||
         operation == ExpressionOperation::kLte || operation == ExpressionOperation::kGte;
}

// Rules compare #uname with node names; Pacemaker compares strings without
// regard to case, and so does the engine.
void rename_in_rule(model::Rule& rule, const model::HAConstraint& constraint,
                    const NameTable& nodes, std::vector<std::string>& problems) {
  for (model::Expression& expression : rule.expressions) {
    if (expression.attribute == "#is_dc") {
      // Tandem's operator decides for the whole cluster from outside it: no
      // node is the DC, so such a rule would select no node at all.
      problems.push_back(describe_constraint(constraint) +
                         ": a rule tests #is_dc, but a Tandem cluster has no designated "
                         "controller (DC); select nodes by name or by a node attribute instead");
      continue;
    }
    if (expression.attribute != "#uname" || !expression.value ||
        expression.value_source != model::ValueSource::kLiteral) {
      continue;
    }
    if (is_ordering(expression.operation)) {
      if (nodes.renames_any()) {
        problems.push_back(describe_constraint(constraint) + ": a rule compares #uname with " +
                           std::string(model::to_string(expression.operation)) + " " +
                           quote(*expression.value) +
                           ", but node names change on import and with them the order; use eq "
                           "or ne with each node instead");
      }
      continue;
    }
    if (expression.operation != ExpressionOperation::kEq &&
        expression.operation != ExpressionOperation::kNe) {
      continue;
    }
    // Which nodes the value selects now, by their new names; renaming must
    // not change that.
    const std::string& value = *expression.value;
    std::set<std::string> before, matched_ids;
    for (const auto& [from, to] : nodes.entries()) {
      if (strcasecmp(from.c_str(), value.c_str()) != 0) continue;
      before.insert(to);
      matched_ids.insert(from);
    }
    if (before.size() == 1) {
      expression.value = *before.begin();
    } else if (before.size() > 1 && nodes.renames_any()) {
      problems.push_back(describe_constraint(constraint) + ": a rule compares #uname with " +
                         quote(value) + ", which matches nodes " + listed(matched_ids) +
                         " (names are compared without regard to case); once renamed it would "
                         "match one at most; use one rule per node instead");
    } else if (before.empty()) {
      for (const auto& [from, to] : nodes.renamed()) {
        if (strcasecmp(to.c_str(), value.c_str()) == 0) {
          problems.push_back(describe_constraint(constraint) + ": a rule compares #uname with " +
                             quote(value) + ", which is the Kubernetes name of node " +
                             quote(from) + "; the rule would select that node once renamed");
        }
      }
    }
  }
  for (model::Rule& nested : rule.rules) rename_in_rule(nested, constraint, nodes, problems);
}

bool is_host_separator(char c) {
  return c == ' ' || c == ',' || c == ';' || c == '\t' || c == '\n';
}

// pcmk_host_list ("node1 node2") and pcmk_host_map ("node1:1;node2:2,3")
// name the nodes a fence device can fence.
std::string rename_hosts(const std::string& value, const NameTable& nodes, bool map) {
  std::string out;
  std::size_t pos = 0;
  while (pos < value.size()) {
    if (is_host_separator(value[pos])) {
      out += value[pos++];
      continue;
    }
    std::size_t end = pos;
    while (end < value.size() && !is_host_separator(value[end]) &&
           !(map && (value[end] == ':' || value[end] == '='))) {
      ++end;
    }
    const std::string token = value.substr(pos, end - pos);
    const bool is_host = !map || (end < value.size() && (value[end] == ':' || value[end] == '='));
    out += is_host && nodes.contains(token) ? nodes.name(token) : token;
    if (map && is_host) {
      // Copy the value up to the next separator.
      std::size_t next = end;
      while (next < value.size() && !is_host_separator(value[next])) ++next;
      out += value.substr(end, next - end);
      end = next;
    }
    pos = end;
  }
  return out;
}

template <class Object>
void rename_object(Object& object, const NameTable& table) {
  const std::string old_name = object.metadata.name;
  object.metadata.name = table.name(old_name);
  if (object.metadata.name != old_name) {
    object.metadata.annotations[std::string(kPacemakerIdAnnotation)] = old_name;
  }
}

void rename_each(std::vector<std::string>& names, const NameTable& table) {
  for (std::string& name : names) name = table.name(name);
}

void rename_optional(std::optional<std::string>& name, const NameTable& table) {
  if (name) name = table.name(*name);
}

void rename_sets(std::vector<model::ResourceSet>& sets, const NameTable& table) {
  for (model::ResourceSet& set : sets) rename_each(set.resources, table);
}

void rename_instances(std::vector<model::ResourceInstance>& instances, const NameTable& nodes) {
  for (model::ResourceInstance& instance : instances) instance.node = nodes.name(instance.node);
}

void rename_manifests(model::Manifests& m, const Tables& t, std::vector<std::string>& problems) {
  for (auto& cluster : m.clusters) {
    rename_object(cluster, t.clusters);
    for (auto& member : cluster.spec.membership.nodes) member.name = t.nodes.name(member.name);
    for (model::FencingLevel& level : cluster.spec.fencing_topology) {
      rename_optional(level.target, t.nodes);
      rename_each(level.devices, t.placeables);
      // A pattern over node names would select other nodes once they are
      // renamed: refused, as for rsc-pattern.
      if (level.target_pattern && t.nodes.renames_any())
        problems.push_back("<fencing-level> target-pattern " + quote(*level.target_pattern) +
                           ": nodes are renamed for Kubernetes, so the pattern would select "
                           "other nodes; use target or target-attribute");
    }
    if (cluster.status) rename_each(cluster.status->members, t.nodes);
  }
  for (auto& node : m.nodes) rename_object(node, t.nodes);
  for (auto& resource : m.resources) {
    rename_object(resource, t.placeables);
    rename_optional(resource.spec.meta.container, t.placeables);
    if (t.nodes.renames_any() && resource.spec.agent.fence) {
      for (auto& [name, value] : resource.spec.params) {
        if (name == "pcmk_host_list") value = rename_hosts(value, t.nodes, false);
        if (name == "pcmk_host_map") value = rename_hosts(value, t.nodes, true);
      }
    }
    if (resource.status) {
      rename_instances(resource.status->instances, t.nodes);
      for (auto& failure : resource.status->failures) failure.node = t.nodes.name(failure.node);
      for (auto& count : resource.status->fail_counts) count.node = t.nodes.name(count.node);
    }
  }
  for (auto& group : m.groups) {
    rename_object(group, t.placeables);
    rename_optional(group.spec.meta.container, t.placeables);
    rename_each(group.spec.resources, t.placeables);
    if (group.status) rename_instances(group.status->instances, t.nodes);
  }
  for (auto& constraint : m.constraints) {
    model::ConstraintSpec& spec = constraint.spec;
    if (spec.location) {
      rename_optional(spec.location->resource, t.placeables);
      rename_optional(spec.location->node, t.nodes);
      for (model::Rule& rule : spec.location->rules) {
        rename_in_rule(rule, constraint, t.nodes, problems);
      }
    }
    if (spec.colocation) {
      rename_optional(spec.colocation->resource, t.placeables);
      rename_optional(spec.colocation->with_resource, t.placeables);
      rename_sets(spec.colocation->sets, t.placeables);
    }
    if (spec.order) {
      rename_optional(spec.order->first, t.placeables);
      rename_optional(spec.order->then, t.placeables);
      rename_sets(spec.order->sets, t.placeables);
    }
    rename_object(constraint, t.constraints);
  }
}

// fail-count-<rsc>#<op>_<interval> and last-failure-<rsc>#<op>_<interval>
// (or without "#<op>_<interval>") name the resource in the attribute name.
std::string rename_attribute(const std::string& name, const NameTable& placeables) {
  for (std::string_view prefix : {"fail-count-", "last-failure-"}) {
    if (!name.starts_with(prefix)) continue;
    std::string rest = name.substr(prefix.size());
    std::size_t hash = rest.rfind('#');
    std::string resource = hash == std::string::npos ? rest : rest.substr(0, hash);
    std::string suffix = hash == std::string::npos ? "" : rest.substr(hash);
    return std::string(prefix) + placeables.name(resource) + suffix;
  }
  return name;
}

void rename_observed(placement::ObservedState& o, const Tables& t) {
  for (placement::ObservedNode& node : o.nodes) {
    node.name = t.nodes.name(node.name);
    std::map<std::string, std::string> attributes;
    for (auto& [name, value] : node.attributes) {
      attributes[rename_attribute(name, t.placeables)] = value;
    }
    node.attributes = std::move(attributes);
  }
  for (placement::ResourceHistory& history : o.history) {
    const std::string old_id = history.resource;
    history.resource = t.placeables.name(old_id);
    history.node = t.nodes.name(history.node);
    for (placement::OpRecord& op : history.ops) {
      // Operation ids start with the resource id (web_monitor_10000,
      // web_last_failure_0), and the engine recognises them by it.
      if (op.id.starts_with(old_id + "_")) op.id = history.resource + op.id.substr(old_id.size());
      rename_optional(op.migrate_source, t.nodes);
      rename_optional(op.migrate_target, t.nodes);
    }
  }
  for (placement::FailCount& count : o.fail_counts) {
    count.resource = t.placeables.name(count.resource);
    count.node = t.nodes.name(count.node);
  }
}

void add_renamings(std::vector<Renaming>& out, const char* what, const NameTable& table,
                   const std::function<bool(const std::string&)>& is_kind) {
  for (const auto& [from, to] : table.renamed()) {
    if (is_kind(from)) out.push_back(Renaming{what, from, to});
  }
}

}  // namespace

Result<std::vector<Renaming>> rename_for_kubernetes(Imported& imported) {
  const Tables tables = build_tables(imported);
  std::vector<std::string> problems;
  const std::vector<std::string> top_level = top_level_ids(imported);
  for (const auto& constraint : imported.manifests.constraints) {
    check_pattern(constraint, top_level, tables.placeables, problems);
  }

  std::set<std::string> groups;
  for (const auto& group : imported.manifests.groups) groups.insert(group.metadata.name);
  std::vector<Renaming> renamings;
  add_renamings(renamings, "cluster", tables.clusters, [](const std::string&) { return true; });
  add_renamings(renamings, "node", tables.nodes, [](const std::string&) { return true; });
  add_renamings(renamings, "resource", tables.placeables,
                [&](const std::string& id) { return !groups.contains(id); });
  add_renamings(renamings, "group", tables.placeables,
                [&](const std::string& id) { return groups.contains(id); });
  add_renamings(renamings, "constraint", tables.constraints,
                [](const std::string&) { return true; });

  rename_manifests(imported.manifests, tables, problems);
  rename_observed(imported.observed, tables);
  if (!problems.empty()) {
    std::string message;
    for (const std::string& problem : problems) message += (message.empty() ? "" : "\n") + problem;
    return fail(std::move(message));
  }
  return renamings;
}

}  // namespace tandem::cib
