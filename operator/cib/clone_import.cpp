// <clone> and <master>. Tandem has no clone object: the cloned primitive or
// group carries the clone settings, and the clone's id (which constraints
// name) becomes an alias of it. The clone's other meta attributes reach the
// cloned object where it does not set them itself, as Pacemaker's children
// inherit their parent's.

#include <charconv>
#include <set>

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {
namespace {

std::optional<std::int32_t> count_of(const std::string& value) {
  std::int32_t out = 0;
  auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (error != std::errc() || end != value.data() + value.size() || out < 0) return std::nullopt;
  return out;
}

// Applies one clone option; false when `name` is not one.
bool apply_clone_option(model::CloneSpec& clone, bool& promotable,
                        std::optional<std::int32_t>& promoted_max,
                        std::optional<std::int32_t>& promoted_node_max, const std::string& name,
                        const std::string& value, const std::string& where, Problems& problems) {
  auto count = [&](auto assign) {
    if (auto n = count_of(value)) {
      assign(*n);
    } else {
      problems.add(where + ": " + name + " " + quote(value) + " is not a count");
    }
  };
  if (name == "clone-max") {
    count([&](std::int32_t n) { clone.max = n; });
  } else if (name == "clone-node-max") {
    count([&](std::int32_t n) { clone.node_max = n; });
  } else if (name == "clone-min") {
    count([&](std::int32_t n) { clone.min = n; });
  } else if (name == "interleave") {
    clone.interleave = is_true(value);
  } else if (name == "ordered") {
    clone.ordered = is_true(value);
  } else if (name == "globally-unique") {
    clone.globally_unique = is_true(value);
  } else if (name == "notify") {
    clone.notify = is_true(value);
  } else if (name == "promotable") {
    promotable = promotable || is_true(value);
  } else if (name == "promoted-max" || name == "master-max") {
    if (!promoted_max || name == "promoted-max") count([&](std::int32_t n) { promoted_max = n; });
  } else if (name == "promoted-node-max" || name == "master-node-max") {
    if (!promoted_node_max || name == "promoted-node-max") {
      count([&](std::int32_t n) { promoted_node_max = n; });
    }
  } else {
    return false;
  }
  return true;
}

template <class T>
T* find_named(std::vector<T>& list, const std::string& name) {
  for (T& object : list) {
    if (object.metadata.name == name) return &object;
  }
  return nullptr;
}

void rename(std::optional<std::string>& name, const std::map<std::string, std::string>& aliases) {
  if (!name) return;
  if (auto it = aliases.find(*name); it != aliases.end()) name = it->second;
}

}  // namespace

void import_clone(const pugi::xml_node& xml, ImportContext& ctx,
                  void (*import_child)(const pugi::xml_node&, ImportContext&)) {
  const std::string id = xml.attribute("id").value();
  const std::string where = describe(xml);
  pugi::xml_node child;
  for (pugi::xml_node candidate : xml.children()) {
    const std::string_view element = candidate.name();
    if (element == "primitive" || element == "group") {
      if (!child) child = candidate;
    } else if (element != "meta_attributes" && element != "instance_attributes" &&
               element != "utilization" && !element.empty()) {
      ctx.problems.add(where + ": <" + std::string(element) + "> in a clone is not supported");
    }
  }
  if (!child) {
    ctx.problems.add(where + ": has nothing to clone (a clone holds one primitive or group)");
    return;
  }

  model::CloneSpec clone;
  bool promotable = std::string_view(xml.name()) == "master";
  std::optional<std::int32_t> promoted_max, promoted_node_max;
  std::vector<std::pair<std::string, std::string>> inherited;
  for (auto& [name, value] : nvpairs(xml, "meta_attributes", ctx.problems)) {
    if (apply_clone_option(clone, promotable, promoted_max, promoted_node_max, name, value, where,
                           ctx.problems)) {
      continue;
    }
    if (take_restart_type(ctx, xml.attribute("id").value(), where, name, value)) continue;
    model::ResourceMeta probe;
    if (!apply_meta(probe, name, value, where, ctx.problems)) {
      unknown_meta(ctx, where, name);
      continue;
    }
    inherited.emplace_back(name, value);
  }
  if (promotable) {
    clone.promotable =
        model::PromotableSpec{promoted_max.value_or(1), promoted_node_max.value_or(1)};
  }
  if (!clone.globally_unique && clone.node_max > 1) {
    ctx.note(where + ": clone-node-max " + std::to_string(clone.node_max) +
             " ignored: anonymous clones run one instance per node (as Pacemaker does)");
    clone.node_max = 1;
    if (clone.promotable) clone.promotable->promoted_node_max = 1;
  }

  import_child(child, ctx);
  const std::string child_id = child.attribute("id").value();
  std::set<std::string> own;
  for (auto& [name, value] : nvpairs(child, "meta_attributes", ctx.problems)) own.insert(name);
  auto inherit = [&](model::ResourceMeta& meta, const std::string& child_where) {
    for (const auto& [name, value] : inherited) {
      if (!own.contains(name)) apply_meta(meta, name, value, child_where, ctx.problems);
    }
  };
  // The clone's instance attributes reach the primitives where they lack
  // them, as Pacemaker's children inherit their parents' parameters.
  const std::map<std::string, std::string> shared =
      nvpairs(xml, "instance_attributes", ctx.problems);
  auto share = [&](const std::string& name) {
    if (model::HAResource* resource = find_named(ctx.out.manifests.resources, name)) {
      for (const auto& [key, value] : shared) resource->spec.params.try_emplace(key, value);
    }
  };
  if (std::string_view(child.name()) == "group") {
    model::HAGroup* group = find_named(ctx.out.manifests.groups, child_id);
    if (group == nullptr) return;
    group->spec.clone = clone;
    inherit(group->spec.meta, describe(child));
    for (const std::string& member : group->spec.resources) {
      ctx.aliases[member] = child_id;
      share(member);
    }
  } else {
    model::HAResource* resource = find_named(ctx.out.manifests.resources, child_id);
    if (resource == nullptr) return;
    resource->spec.clone = clone;
    inherit(resource->spec.meta, describe(child));
    share(child_id);
  }
  if (id != child_id) {
    ctx.aliases[id] = child_id;
    ctx.note(where + " is " + quote(child_id) + " with clone settings (spec.clone)");
  }
}

void resolve_aliases(ImportContext& ctx) {
  if (ctx.aliases.empty()) return;
  for (model::HAConstraint& constraint : ctx.out.manifests.constraints) {
    model::ConstraintSpec& spec = constraint.spec;
    if (spec.location) rename(spec.location->resource, ctx.aliases);
    if (spec.colocation) {
      rename(spec.colocation->resource, ctx.aliases);
      rename(spec.colocation->with_resource, ctx.aliases);
      for (model::ResourceSet& set : spec.colocation->sets) {
        for (std::string& name : set.resources) {
          if (auto it = ctx.aliases.find(name); it != ctx.aliases.end()) name = it->second;
        }
      }
    }
    if (spec.order) {
      rename(spec.order->first, ctx.aliases);
      rename(spec.order->then, ctx.aliases);
      for (model::ResourceSet& set : spec.order->sets) {
        for (std::string& name : set.resources) {
          if (auto it = ctx.aliases.find(name); it != ctx.aliases.end()) name = it->second;
        }
      }
    }
  }
}

}  // namespace tandem::cib::detail
