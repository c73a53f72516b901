// Phase 1: the working set from the manifests and the observed state:
// nodes (sorted and with their attributes), resources (with their resolved
// configuration) and the scores every resource starts with.

#include "operator/placement/setup.h"

#include <algorithm>
#include <cctype>

#include "common/core/assert.h"
#include "operator/placement/actions.h"

namespace tandem::placement::detail {
namespace {

bool is_true(const std::string& value) {
  std::string lower = value;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "true" || lower == "on" || lower == "yes" || lower == "y" || lower == "1";
}

std::int64_t to_ms(Duration d) {
  return d.count();
}

Requirement requirement(model::Requires requires_) {
  switch (requires_) {
    case model::Requires::kNothing:
      return Requirement::kNothing;
    case model::Requires::kQuorum:
      return Requirement::kQuorum;
    case model::Requires::kFencing:
    case model::Requires::kUnfencing:
      return Requirement::kFencing;
  }
  return Requirement::kQuorum;
}

void setup_nodes(WorkingSet& ws, const model::Manifests& manifests, const ObservedState& observed) {
  std::vector<std::string> names;
  for (const model::HANode& node : manifests.nodes) names.push_back(node.metadata.name);
  for (const model::HACluster& cluster : manifests.clusters) {
    for (const model::MemberNode& member : cluster.spec.membership.nodes) {
      if (std::find(names.begin(), names.end(), member.name) == names.end()) {
        names.push_back(member.name);
      }
    }
  }
  std::sort(names.begin(), names.end(), [](const std::string& a, const std::string& b) {
    return numeric_strcasecmp(a, b) < 0;
  });
  names.erase(std::unique(names.begin(), names.end()), names.end());

  const std::string* cluster_name = nullptr;
  if (!manifests.clusters.empty() && manifests.clusters.front().spec.membership.cluster_name) {
    cluster_name = &*manifests.clusters.front().spec.membership.cluster_name;
  }

  for (const std::string& name : names) {
    ws.node_index.emplace(name, static_cast<int>(ws.nodes.size()));
    Node& node = ws.nodes.emplace_back();
    node.name = name;
    const ObservedNode* seen = nullptr;
    for (const ObservedNode& candidate : observed.nodes) {
      if (candidate.name == name) seen = &candidate;
    }
    const model::HANode* configured = nullptr;
    for (const model::HANode& candidate : manifests.nodes) {
      if (candidate.metadata.name == name) configured = &candidate;
    }
    node.id = seen != nullptr && !seen->id.empty() ? seen->id : name;

    node.attributes["#uname"] = node.name;
    node.attributes["#id"] = node.id;
    node.attributes["#kind"] = "cluster";
    node.attributes["#is_dc"] = seen != nullptr && seen->is_dc ? "true" : "false";
    if (cluster_name != nullptr) node.attributes["#cluster-name"] = *cluster_name;
    if (configured != nullptr) {
      node.base_score = configured->spec.score;
      node.weight = node.base_score;
      for (const auto& [key, value] : configured->spec.attributes)
        node.attributes.try_emplace(key, value);
      if (configured->spec.standby) node.attributes.try_emplace("standby", "true");
      if (configured->spec.maintenance) node.attributes.try_emplace("maintenance", "true");
    }

    if (seen == nullptr) {
      // Never reported: presumed unclean until fenced (startup fencing).
      node.online = false;
      node.unseen = true;
      node.unclean = ws.cluster.options.startup_fencing;
      if (node.unclean) node.fence_reason = "node is unclean";
      continue;
    }
    for (const auto& [key, value] : seen->attributes) node.attributes[key] = value;
    node.online = seen->online;
    node.unclean = seen->unclean;
    node.fence_reason = seen->unclean_reason;
    node.pending = seen->pending;
    node.shutdown = seen->shutdown;
    node.unseen = seen->unseen;
    node.is_dc = seen->is_dc;
    if (const std::string* standby = node.attribute("standby"); standby && is_true(*standby)) {
      node.standby = true;
    }
    if (const std::string* maintenance = node.attribute("maintenance");
        maintenance && is_true(*maintenance)) {
      node.maintenance = true;
    }
    if (node.pending) node.standby = true;
  }
  for (Node& node : ws.nodes) {
    if (!node.online || node.shutdown) node.weight = Score::minus_infinity();
  }
  std::vector<int> by_name(ws.nodes.size());
  for (std::size_t n = 0; n < by_name.size(); ++n) by_name[n] = static_cast<int>(n);
  std::sort(by_name.begin(), by_name.end(),
            [&](int a, int b) { return ws.node(a).name < ws.node(b).name; });
  ws.name_rank.assign(ws.nodes.size(), 0);
  for (std::size_t i = 0; i < by_name.size(); ++i) {
    ws.name_rank[static_cast<std::size_t>(by_name[i])] = static_cast<int>(i);
  }
  // Nodes found unclean get their (optional) fencing with the reason now;
  // scheduling makes it required when fencing is possible.
  for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
    const Node& node = ws.nodes[n];
    if (node.unclean && !node.unseen) {
      fence_action(ws, static_cast<int>(n), "", true, node.fence_reason);
    }
  }
  // no-quorum-policy=suicide: a partition without quorum fences itself.
  if (!ws.have_quorum && ws.fencing_enabled() &&
      ws.no_quorum_policy() == model::NoQuorumPolicy::kSuicide) {
    for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
      if (ws.nodes[n].online) fence_node(ws, static_cast<int>(n), "cluster does not have quorum");
    }
  }
  for (Node& node : ws.nodes) {
    if (node.attribute("#site-name") == nullptr) {
      if (const std::string* site = node.attribute("site-name")) {
        node.attributes["#site-name"] = *site;
      } else if (cluster_name != nullptr) {
        node.attributes["#site-name"] = *cluster_name;
      }
    }
  }
}

void configure(Resource& rsc, const model::ResourceMeta& meta, const model::ClusterSpec& cluster) {
  rsc.stickiness = meta.stickiness.value_or(Score::of(0));
  rsc.migration_threshold = meta.migration_threshold.value_or(Score::infinity());
  rsc.failure_timeout_s = meta.failure_timeout ? meta.failure_timeout->count() / 1000 : 0;
  rsc.priority = meta.priority.value_or(0);
  rsc.target_role = meta.target_role;
  rsc.recovery = meta.multiple_active.value_or(model::MultipleActive::kStopStart);
  rsc.requires_ = requirement(meta.requires_.value_or(model::Requires::kQuorum));
  rsc.critical = meta.critical.value_or(true);
  rsc.allow_migrate = meta.allow_migrate.value_or(false);
  rsc.maintenance = meta.maintenance.value_or(false) || cluster.options.maintenance_mode;
  rsc.managed = meta.is_managed.value_or(true) && !rsc.maintenance;
  // A target role of Started is the default, and a promoted role makes
  // sense only for promotable clones; neither sets the next role.
  if (rsc.target_role && (*rsc.target_role == Role::kStopped)) {
    rsc.next_role = RoleX::kStopped;
    rsc.next_role_reason = "target-role";
  }
}

// `instance` >= 0 makes it that instance of a clone: "<name>:<instance>".
int add_primitive(WorkingSet& ws, const model::HAResource& config, int parent, int instance = -1) {
  Resource& rsc = ws.resources.emplace_back();
  int index = static_cast<int>(ws.resources.size()) - 1;
  rsc.base_id = config.metadata.name;
  rsc.id = instance < 0 ? rsc.base_id : rsc.base_id + ":" + std::to_string(instance);
  rsc.instance = instance;
  ws.resource_index.emplace(rsc.id, index);
  rsc.parent = parent;
  const model::Agent& agent = config.spec.agent;
  rsc.agent_class = agent.ocf       ? "ocf"
                    : agent.fence   ? "stonith"
                    : agent.systemd ? "systemd"
                                    : "process";
  if (agent.ocf) {
    rsc.agent_provider = agent.ocf->provider;
    rsc.agent_type = agent.ocf->type;
  } else if (agent.fence) {
    rsc.agent_type = agent.fence->type;
  }
  rsc.fence_device = agent.fence.has_value();
  rsc.unfences = agent.fence && agent.fence->unfencing.value_or(false);
  rsc.spec = &config.spec;
  rsc.labels = &config.metadata.labels;
  if (rsc.fence_device) ws.have_fence_device = true;
  configure(rsc, config.spec.meta, ws.cluster);
  // Unfencing needs fencing; without it, quorum is all that is left.
  if (config.spec.meta.requires_ == model::Requires::kUnfencing) {
    ws.unfencing_enabled = true;
    rsc.needs_unfencing = ws.fencing_enabled() && !rsc.fence_device;
    if (!ws.fencing_enabled()) rsc.requires_ = Requirement::kQuorum;
  }
  if (rsc.unfences) ws.unfencing_enabled = true;
  for (const model::Operation& op : config.spec.operations) {
    OpConfig& entry = rsc.ops.emplace_back();
    entry.name = std::string(model::to_string(op.name));
    entry.interval_ms = to_ms(op.interval);
    entry.timeout = op.timeout;
    entry.on_fail = op.on_fail;
    entry.role = op.role;
  }
  return index;
}

int add_group(WorkingSet& ws, const model::HAGroup& config,
              const std::map<std::string, const model::HAResource*>& by_name, int parent,
              int instance = -1) {
  int index = static_cast<int>(ws.resources.size());
  {
    Resource& rsc = ws.resources.emplace_back();
    rsc.base_id = config.metadata.name;
    rsc.id = instance < 0 ? rsc.base_id : rsc.base_id + ":" + std::to_string(instance);
    rsc.instance = instance;
    rsc.parent = parent;
    ws.resource_index.emplace(rsc.id, index);
    rsc.variant = Variant::kGroup;
    configure(rsc, config.spec.meta, ws.cluster);
    rsc.group_ordered = config.spec.ordered.value_or(true);
    rsc.group_colocated = config.spec.colocated.value_or(true);
  }
  for (const std::string& member : config.spec.resources) {
    auto found = by_name.find(member);
    TANDEM_ASSERT(found != by_name.end(), "validated groups list existing resources");
    int child = add_primitive(ws, *found->second, index, instance);
    ws.rsc(index).children.push_back(child);
  }
  return index;
}

CloneConfig clone_config(const model::CloneSpec& spec, std::size_t nodes) {
  CloneConfig clone;
  clone.max = spec.max.value_or(std::max<int>(1, static_cast<int>(nodes)));
  clone.unique = spec.globally_unique;
  // Anonymous clones run one instance per node whatever is configured.
  clone.node_max = clone.unique ? spec.node_max : 1;
  clone.min = spec.min;
  clone.interleave = spec.interleave;
  clone.ordered = spec.ordered;
  clone.notify = spec.notify;
  if (spec.promotable) {
    clone.promotable = true;
    clone.promoted_max = spec.promotable->promoted_max;
    clone.promoted_node_max = spec.promotable->promoted_node_max;
  }
  return clone;
}

// A clone and its instances, each made by `add_instance(clone, number)`.
template <class AddInstance>
int add_clone(WorkingSet& ws, const std::string& name, const model::CloneSpec& spec,
              const model::ResourceMeta& meta, AddInstance add_instance) {
  int index = static_cast<int>(ws.resources.size());
  {
    Resource& rsc = ws.resources.emplace_back();
    rsc.id = name;
    rsc.base_id = name;
    ws.resource_index.emplace(rsc.id, index);
    rsc.variant = Variant::kClone;
    configure(rsc, meta, ws.cluster);
    rsc.clone = clone_config(spec, ws.nodes.size());
  }
  // One instance even when clone-max is 0, for history to attach to.
  const int instances = std::max(1, ws.rsc(index).clone.max);
  for (int n = 0; n < instances; ++n) {
    int child = add_instance(index, n);
    ws.rsc(index).children.push_back(child);
  }
  return index;
}

// About how many resources the manifests make: clones make an instance per
// node, and growing the list one by one moved every resource made so far,
// again and again.
std::size_t expected_resources(const model::Manifests& manifests, std::size_t nodes) {
  auto instances = [&](const model::CloneSpec& spec) {
    return static_cast<std::size_t>(std::max(1, clone_config(spec, nodes).max));
  };
  std::size_t count = 0;
  for (const model::HAResource& resource : manifests.resources) {
    count += 1 + (resource.spec.clone ? instances(*resource.spec.clone) : 0);
  }
  for (const model::HAGroup& group : manifests.groups) {
    const std::size_t members = group.spec.resources.size();
    count += 1 + (group.spec.clone ? instances(*group.spec.clone) * (1 + members) : 0);
  }
  return count;
}
}  // namespace

int numeric_strcasecmp(std::string_view a, std::string_view b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    unsigned char ca = static_cast<unsigned char>(a[i]);
    unsigned char cb = static_cast<unsigned char>(b[j]);
    if (std::isdigit(ca) && std::isdigit(cb)) {
      std::size_t si = i, sj = j;
      while (i < a.size() && std::isdigit(static_cast<unsigned char>(a[i]))) ++i;
      while (j < b.size() && std::isdigit(static_cast<unsigned char>(b[j]))) ++j;
      std::string_view na = a.substr(si, i - si), nb = b.substr(sj, j - sj);
      while (na.size() > 1 && na.front() == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb.front() == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size() ? -1 : 1;
      if (int c = na.compare(nb); c != 0) return c < 0 ? -1 : 1;
      continue;
    }
    int la = std::tolower(ca), lb = std::tolower(cb);
    if (la != lb) return la < lb ? -1 : 1;
    ++i;
    ++j;
  }
  if (i < a.size()) return 1;
  if (j < b.size()) return -1;
  return 0;
}

void setup(WorkingSet& ws, const model::Manifests& manifests, const ObservedState& observed) {
  ws.manifests = &manifests;
  ws.observed = &observed;
  if (!manifests.clusters.empty()) ws.cluster = manifests.clusters.front().spec;
  ws.now = observed.now.value_or(0);
  ws.have_quorum = observed.have_quorum;
  ws.stop_everything = ws.cluster.options.stop_all_resources;

  setup_nodes(ws, manifests, observed);

  // Resources in configuration order; a group takes the place of its first
  // member.
  std::map<std::string, const model::HAGroup*> group_of;
  for (const model::HAGroup& group : manifests.groups) {
    for (const std::string& member : group.spec.resources) group_of.try_emplace(member, &group);
  }
  std::map<std::string, const model::HAResource*> by_name;
  for (const model::HAResource& resource : manifests.resources) {
    by_name.emplace(resource.metadata.name, &resource);
  }
  ws.resources.reserve(expected_resources(manifests, ws.nodes.size()));
  std::set<const model::HAGroup*> placed;
  for (const model::HAResource& resource : manifests.resources) {
    auto group = group_of.find(resource.metadata.name);
    if (group == group_of.end()) {
      if (resource.spec.clone) {
        ws.top_level.push_back(
            add_clone(ws, resource.metadata.name, *resource.spec.clone, resource.spec.meta,
                      [&](int clone, int n) { return add_primitive(ws, resource, clone, n); }));
      } else {
        ws.top_level.push_back(add_primitive(ws, resource, kNone));
      }
      continue;
    }
    if (!placed.insert(group->second).second) continue;
    const model::HAGroup& config = *group->second;
    if (config.spec.clone) {
      ws.top_level.push_back(
          add_clone(ws, config.metadata.name, *config.spec.clone, config.spec.meta,
                    [&](int clone, int n) { return add_group(ws, config, by_name, clone, n); }));
    } else {
      ws.top_level.push_back(add_group(ws, config, by_name, kNone));
    }
  }

  // Resources inside another (a VM, a container) find it; a clone or group
  // as container is not supported (Pacemaker takes primitives only).
  for (Resource& rsc : ws.resources) {
    if (rsc.spec == nullptr || !rsc.spec->meta.container) continue;
    const int container = ws.find_resource(*rsc.spec->meta.container);
    if (container != kNone && ws.rsc(container).variant == Variant::kPrimitive &&
        &ws.rsc(container) != &rsc) {
      rsc.container = container;
    }
  }

  // Higher priority first; Pacemaker sorts its resource list (stably) before
  // anything else looks at it.
  std::stable_sort(ws.top_level.begin(), ws.top_level.end(),
                   [&](int a, int b) { return ws.rsc(a).priority > ws.rsc(b).priority; });

  // Every resource may run anywhere in a symmetric cluster, starting from
  // the node's own score (decided before the node's state is known).
  if (ws.cluster.options.symmetric_cluster) {
    for (Resource& rsc : ws.resources) {
      rsc.allowed.reserve(ws.nodes.size());
      for (std::size_t n = 0; n < ws.nodes.size(); ++n) {
        rsc.allowed.emplace(static_cast<int>(n),
                            AllowedNode{ws.nodes[n].base_score, Discovery::kAlways});
      }
    }
  }
}

}  // namespace tandem::placement::detail
