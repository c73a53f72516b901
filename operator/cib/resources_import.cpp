// <resources>: primitives, groups and clones.

#include <algorithm>
#include <cstdlib>
#include <set>
#include <vector>

#include "common/core/text.h"
#include "common/model/names.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {
namespace {

std::optional<model::OperationName> operation_name(const std::string& name) {
  if (name == "migrate_to" || name == "migrate_from")
    return model::parse_enum<model::OperationName>(name);
  return model::parse_enum<model::OperationName>(name);
}

void import_operations(const pugi::xml_node& primitive, model::ResourceSpec& spec,
                       ImportContext& ctx) {
  pugi::xml_node ops = resolve(primitive.child("operations"));
  for (pugi::xml_node op : ops.children("op")) {
    op = resolve(op);
    const std::string where = describe(primitive) + " " + describe(op);
    const std::string name = op.attribute("name").value();
    auto task = operation_name(name);
    const char* interval_text = op.attribute("interval").value();
    const bool one_shot = *interval_text == '\0' || parse_interval_ms(interval_text) == 0;
    if (!task && one_shot) {
      // A one-shot operation the scheduler never asks for (methods,
      // meta-data, an old name such as migrate): nothing to import.
      ctx.note(where + ": operation " + quote(name) + " is never scheduled; left out");
      continue;
    }
    if (!task) {
      ctx.problems.add(where + ": operation " + quote(name) + " is not supported");
      continue;
    }
    if (op.attribute("enabled") && !is_true(op.attribute("enabled").value())) {
      ctx.note(where + " is disabled; left out");
      continue;
    }
    model::Operation& operation = spec.operations.emplace_back();
    operation.name = *task;
    if (const char* interval = op.attribute("interval").value(); *interval) {
      if (auto ms = parse_interval_ms(interval)) {
        operation.interval = Duration(*ms);
      } else {
        ctx.problems.add(where + ": interval " + quote(interval) + " is not a duration");
      }
    }
    // Timeouts and on-fail may come as attributes or as meta attributes.
    std::map<std::string, std::string> meta = nvpairs(op, "meta_attributes", ctx.problems);
    for (const char* attribute : {"timeout", "on-fail", "role"}) {
      if (const char* value = op.attribute(attribute).value(); *value) meta[attribute] = value;
    }
    for (auto& [key, value] : meta) {
      if (key == "timeout") {
        if (auto ms = parse_interval_ms(value); ms && *ms > 0) operation.timeout = Duration(*ms);
      } else if (key == "on-fail") {
        if (auto on_fail = model::parse_enum<model::OnFail>(value)) {
          operation.on_fail = *on_fail;
        } else {
          ctx.problems.add(where + ": on-fail " + quote(value) + " is not supported");
        }
      } else if (key == "role") {
        if (auto role = parse_role(value)) {
          operation.role = *role;
        } else {
          ctx.problems.add(where + ": role " + quote(value) + " is not a role");
        }
      } else if (key != "record-pending" && key != "start-delay" && key != "interval-origin") {
        ctx.problems.add(where + ": " + quote(key) + " is not supported");
      }
    }
    for (const char* unsupported : {"requires", "role_after_failure"}) {
      if (op.attribute(unsupported)) {
        ctx.problems.add(where + ": " + unsupported + " is not supported");
      }
    }
  }
}

// Pacemaker's key for an operation that a primitive's own operation
// replaces in its template: the name and the role, where no role, Started
// and Unpromoted are all the same.
std::string template_op_key(const pugi::xml_node& op) {
  std::string role = op.attribute("role").value();
  if (role.empty() || role == "Started" || role == "Unpromoted" || role == "Slave") role.clear();
  return std::string(op.attribute("name").value()) + "-" + role;
}

// A primitive made from a template, as one element: the template's agent,
// the primitive's own attribute sets before the template's (the first value
// for a name wins, so the primitive's own win), and the primitive's
// operations plus those of the template it does not replace.
pugi::xml_node expand_template(const pugi::xml_node& xml, const pugi::xml_node& tpl,
                               pugi::xml_node scratch) {
  pugi::xml_node out = scratch.append_child("primitive");
  out.append_attribute("id") = xml.attribute("id").value();
  for (const char* attribute : {"class", "provider", "type"}) {
    const char* own = xml.attribute(attribute).value();
    out.append_attribute(attribute) = *own != '\0' ? own : tpl.attribute(attribute).value();
  }
  for (const pugi::xml_node& source : {xml, tpl}) {
    for (pugi::xml_node child : source.children()) {
      if (std::string_view(child.name()) != "operations") out.append_copy(child);
    }
  }
  pugi::xml_node own_ops = resolve(xml.child("operations"));
  pugi::xml_node template_ops = resolve(tpl.child("operations"));
  if (own_ops || template_ops) {
    pugi::xml_node ops = out.append_child("operations");
    std::set<std::string> replaced;
    for (pugi::xml_node op : own_ops.children("op")) {
      replaced.insert(template_op_key(resolve(op)));
      ops.append_copy(op);
    }
    for (pugi::xml_node op : template_ops.children("op")) {
      if (!replaced.contains(template_op_key(resolve(op)))) ops.append_copy(op);
    }
  }
  return out;
}

// Instance attribute sets in Pacemaker's order (higher score first, ties in
// document order), where the first set to give a name its value wins.
// Sets without rules become params; sets with rules become overrides,
// minus the names an unconditional set before them already decides.
void import_parameters(const pugi::xml_node& xml, model::ResourceSpec& spec, ImportContext& ctx) {
  struct Set {
    pugi::xml_node xml;
    Score score;
  };
  std::vector<Set> sets;
  for (pugi::xml_node set : xml.children("instance_attributes")) {
    pugi::xml_node resolved = resolve(set);
    if (!resolved) {
      ctx.problems.add(describe(xml) +
                       ": an <instance_attributes> refers to an id that does not exist");
      continue;
    }
    Score score = Score::of(0);
    if (const char* text = resolved.attribute("score").value(); *text) {
      auto parsed = Score::parse(text);
      if (!parsed) {
        ctx.problems.add(describe(resolved) + ": " + parsed.error().message);
      } else {
        score = *parsed;
      }
    }
    sets.push_back({resolved, score});
  }
  std::stable_sort(sets.begin(), sets.end(),
                   [](const Set& a, const Set& b) { return b.score < a.score; });
  for (const Set& set : sets) {
    std::map<std::string, std::string> values;
    add_set_values(set.xml, values);
    pugi::xml_node rule_xml = resolve(set.xml.child("rule"));
    if (!rule_xml) {
      for (const auto& [name, value] : values) spec.params.try_emplace(name, value);
      continue;
    }
    model::ParamOverride entry;
    import_rule(rule_xml, entry.rule, false, ctx);
    for (const auto& [name, value] : values) {
      if (!spec.params.contains(name)) entry.params.emplace(name, value);
    }
    if (!entry.params.empty()) spec.param_overrides.push_back(std::move(entry));
  }
}

void import_primitive(const pugi::xml_node& given, ImportContext& ctx,
                      const model::ResourceMeta* group_meta_unused) {
  (void)group_meta_unused;
  pugi::xml_node xml = given;
  const std::string id = xml.attribute("id").value();
  // The expanded copy lives in the CIB document (so that id-refs still
  // resolve) only while the primitive is imported.
  pugi::xml_node scratch;
  if (const char* name = given.attribute("template").value(); *name != '\0') {
    pugi::xml_node tpl;
    for (pugi::xml_node candidate :
         ctx.cib.child("configuration").child("resources").children("template")) {
      if (std::string_view(candidate.attribute("id").value()) == name) tpl = candidate;
    }
    if (!tpl) {
      ctx.problems.add(describe(given) + ": template " + quote(name) + " does not exist");
      return;
    }
    ctx.templates[name].push_back(id);
    scratch = ctx.cib.append_child("tandem-template-expansion");
    xml = expand_template(given, tpl, scratch);
  }
  struct RemoveScratch {
    pugi::xml_node cib, scratch;
    ~RemoveScratch() {
      if (scratch) cib.remove_child(scratch);
    }
  } remove_scratch{ctx.cib, scratch};
  const std::string where = describe(xml);
  auto& resource = ctx.add(ctx.out.manifests.resources, id);
  model::ResourceSpec& spec = resource.spec;
  const std::string agent_class = xml.attribute("class").value();
  const std::string provider = xml.attribute("provider").value();
  const std::string type = xml.attribute("type").value();
  ctx.agents[id] = AgentId{agent_class, provider, type};
  if (agent_class == "ocf") {
    spec.agent.ocf = model::OcfAgent{provider, type};
  } else if (agent_class == "stonith") {
    spec.agent.fence = model::FenceAgent{type};
  } else if (agent_class == "systemd") {
    spec.agent.systemd = model::SystemdAgent{type};
  } else if (agent_class == "lsb" || agent_class == "service") {
    // systemd runs an init script as a unit of the same name (its SysV
    // generator), which is how Tandem runs it too.
    // A script named by its path runs under the name of its file, which
    // systemd finds only among the init scripts: the note says so.
    const std::string unit = type.substr(type.rfind('/') + 1);
    spec.agent.systemd = model::SystemdAgent{unit};
    ctx.note(
        where + ": " + agent_class + ":" + type + " runs as systemd unit " + unit + ".service" +
        (unit == type ? std::string()
                      : "; install the script as /etc/init.d/" + unit + " for systemd to find it"));
  } else {
    ctx.problems.add(where + ": resources of class " + quote(agent_class) +
                     " are not supported (ocf, stonith, systemd, lsb and service are)");
    spec.agent.ocf = model::OcfAgent{"unsupported", "unsupported"};
  }
  import_parameters(xml, spec, ctx);
  for (auto& [name, value] : nvpairs(xml, "meta_attributes", ctx.problems)) {
    if (name == "provides") {
      if (value != "unfencing") {
        ctx.problems.add(where + ": provides " + quote(value) + " is not supported (unfencing is)");
      } else if (!spec.agent.fence) {
        ctx.problems.add(where + ": provides=unfencing is for fence devices (class stonith)");
      } else {
        spec.agent.fence->unfencing = true;
      }
      continue;
    }
    if (name == "requires" && value == "unfencing" && spec.agent.fence) {
      // Pacemaker warns and falls back to quorum.
      spec.meta.requires_ = model::Requires::kQuorum;
      ctx.note(where + ": a fence device cannot require unfencing; requires quorum instead");
      continue;
    }
    if (apply_meta(spec.meta, name, value, where, ctx.problems)) continue;
    if (take_restart_type(ctx, id, where, name, value)) continue;
    // Rules with value-source meta read a resource's own meta attributes:
    // Tandem keeps those as labels.
    if (!is_pacemaker_meta(name) && model::check_label_key(name).empty() &&
        model::check_label_value(value).empty()) {
      resource.metadata.labels[name] = value;
      ctx.note(where + ": meta attribute " + quote(name) +
               " means nothing to Pacemaker either (a misspelling?); kept as a label, which "
               "location rules with valueSource meta read");
      continue;
    }
    unknown_meta(ctx, where, name);
  }
  for (auto& [name, value] : nvpairs(xml, "utilization", ctx.problems)) {
    char* end = nullptr;
    long long amount = std::strtoll(value.c_str(), &end, 10);
    if (end == value.c_str() || amount < 0) {
      ctx.problems.add(where + ": utilization " + quote(name) + " is not a count");
      continue;
    }
    spec.meta.utilization[name] = amount;
  }
  import_operations(xml, spec, ctx);
}

void import_group(const pugi::xml_node& xml, ImportContext& ctx) {
  const std::string id = xml.attribute("id").value();
  const std::string where = describe(xml);
  auto& group = ctx.add(ctx.out.manifests.groups, id);
  for (auto& [name, value] : nvpairs(xml, "meta_attributes", ctx.problems)) {
    if ((name == "ordered" || name == "collocated") && is_true(value)) continue;
    if (name == "ordered") {
      group.spec.ordered = false;
      continue;
    }
    if (name == "collocated") {
      group.spec.colocated = false;
      continue;
    }
    if (take_restart_type(ctx, id, where, name, value)) continue;
    if (!apply_meta(group.spec.meta, name, value, where, ctx.problems)) {
      unknown_meta(ctx, where, name);
    }
  }
  // A group's instance attributes reach its members where they lack them.
  const std::map<std::string, std::string> shared =
      nvpairs(xml, "instance_attributes", ctx.problems);
  for (pugi::xml_node child : xml.children()) {
    std::string_view element = child.name();
    if (element == "primitive") {
      group.spec.resources.push_back(child.attribute("id").value());
      import_primitive(child, ctx, &group.spec.meta);
      const std::string member = child.attribute("id").value();
      // Members take the group's restart-type, as its other meta attributes.
      if (ctx.restart_then.contains(id)) ctx.restart_then.insert(member);
      for (auto& resource : ctx.out.manifests.resources) {
        if (resource.metadata.name != member) continue;
        for (const auto& [name, value] : shared) resource.spec.params.try_emplace(name, value);
      }
    } else if (element != "meta_attributes" && element != "instance_attributes" &&
               element != "utilization" && !element.empty()) {
      ctx.problems.add(where + ": <" + std::string(element) + "> in a group is not supported");
    }
  }
}

}  // namespace

namespace {
// Pacemaker's resource meta attributes that Tandem does not implement.
constexpr std::string_view kPacemakerOnly[] = {"provides",
                                               "remote-node",
                                               "remote-port",
                                               "remote-addr",
                                               "remote-connect-timeout",
                                               "remote-allow-migrate",
                                               "container-attribute-target",
                                               "ordered",
                                               "collocated",
                                               "allow-unhealthy-nodes",
                                               "isolation"};
// Clone options outside a clone's own meta attributes: the clone reads
// its own, so these change nothing.
constexpr std::string_view kCloneOptions[] = {
    "clone-max",         "clone-node-max", "clone-min",      "globally-unique",
    "interleave",        "notify",         "promotable",     "promoted-max",
    "promoted-node-max", "master-max",     "master-node-max"};
}  // namespace

bool take_restart_type(ImportContext& ctx, const std::string& id, const std::string& where,
                       const std::string& name, const std::string& value) {
  if (name != "restart-type") return false;
  if (value == "restart") {
    ctx.restart_then.insert(id);
  } else if (value != "ignore") {
    ctx.problems.add(where + ": restart-type " + quote(value) + " is not restart or ignore");
  }
  return true;
}

bool is_pacemaker_meta(const std::string& name) {
  for (std::string_view known : kPacemakerOnly) {
    if (name == known) return true;
  }
  for (std::string_view known : kCloneOptions) {
    if (name == known) return true;
  }
  return false;
}

void unknown_meta(ImportContext& ctx, const std::string& where, const std::string& name) {
  for (std::string_view known : kPacemakerOnly) {
    if (name == known) {
      ctx.problems.add(where + ": meta attribute " + quote(name) + " is not supported");
      return;
    }
  }
  for (std::string_view known : kCloneOptions) {
    if (name == known) {
      ctx.note(where + ": clone option " + quote(name) +
               " outside a clone's meta attributes has no effect; left out");
      return;
    }
  }
  ctx.note(where + ": meta attribute " + quote(name) +
           " means nothing to Pacemaker either (a misspelling?); left out");
}

void import_resources(ImportContext& ctx) {
  pugi::xml_node resources = ctx.cib.child("configuration").child("resources");
  for (pugi::xml_node child : resources.children()) {
    std::string_view element = child.name();
    if (element == "primitive") {
      import_primitive(child, ctx, nullptr);
    } else if (element == "group") {
      import_group(child, ctx);
    } else if (element == "clone" || element == "master") {
      import_clone(child, ctx, [](const pugi::xml_node& xml, ImportContext& c) {
        if (std::string_view(xml.name()) == "group") {
          import_group(xml, c);
        } else {
          import_primitive(xml, c, nullptr);
        }
      });
    } else if (element == "bundle") {
      ctx.problems.add(describe(child) + ": bundles are not supported");
    } else if (element == "template") {
      // Imported through the primitives made from it.
      ctx.templates.try_emplace(child.attribute("id").value());
    } else if (!element.empty()) {
      ctx.problems.add("<" + std::string(element) + "> in <resources> is not supported");
    }
  }
}

}  // namespace tandem::cib::detail
