// <resources>: primitives and groups.

#include <cstdlib>

#include "common/core/text.h"
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

void import_primitive(const pugi::xml_node& xml, ImportContext& ctx,
                      const model::ResourceMeta* group_meta_unused) {
  (void)group_meta_unused;
  const std::string id = xml.attribute("id").value();
  const std::string where = describe(xml);
  if (xml.attribute("template")) {
    ctx.problems.add(where + ": resource templates are not supported");
    return;
  }
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
    spec.agent.systemd = model::SystemdAgent{type};
    ctx.note(where + ": " + agent_class + ":" + type + " runs as systemd unit " + type +
             ".service");
  } else {
    ctx.problems.add(where + ": resources of class " + quote(agent_class) +
                     " are not supported (ocf, stonith, systemd, lsb and service are)");
    spec.agent.ocf = model::OcfAgent{"unsupported", "unsupported"};
  }
  spec.params = nvpairs(xml, "instance_attributes", ctx.problems);
  for (auto& [name, value] : nvpairs(xml, "meta_attributes", ctx.problems)) {
    if (!apply_meta(spec.meta, name, value, where, ctx.problems)) {
      ctx.problems.add(where + ": meta attribute " + quote(name) + " is not supported");
    }
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
    if (!apply_meta(group.spec.meta, name, value, where, ctx.problems)) {
      ctx.problems.add(where + ": meta attribute " + quote(name) + " is not supported");
    }
  }
  for (pugi::xml_node child : xml.children()) {
    std::string_view element = child.name();
    if (element == "primitive") {
      group.spec.resources.push_back(child.attribute("id").value());
      import_primitive(child, ctx, &group.spec.meta);
    } else if (element != "meta_attributes" && element != "instance_attributes" &&
               element != "utilization" && !element.empty()) {
      ctx.problems.add(where + ": <" + std::string(element) + "> in a group is not supported");
    }
  }
}

}  // namespace

void import_resources(ImportContext& ctx) {
  pugi::xml_node resources = ctx.cib.child("configuration").child("resources");
  for (pugi::xml_node child : resources.children()) {
    std::string_view element = child.name();
    if (element == "primitive") {
      import_primitive(child, ctx, nullptr);
    } else if (element == "group") {
      import_group(child, ctx);
    } else if (element == "clone" || element == "master") {
      ctx.problems.add(describe(child) + ": clones are not supported yet");
    } else if (element == "bundle") {
      ctx.problems.add(describe(child) + ": bundles are not supported");
    } else if (element == "template") {
      ctx.problems.add(describe(child) + ": resource templates are not supported");
    } else if (!element.empty()) {
      ctx.problems.add("<" + std::string(element) + "> in <resources> is not supported");
    }
  }
}

}  // namespace tandem::cib::detail
