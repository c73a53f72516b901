#pragma once

// State shared by the importer's sections.

#include <map>
#include <set>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "operator/cib/cib_import.h"
#include "operator/cib/xml_util.h"

namespace tandem::cib::detail {

// A primitive's agent as the CIB names it (lsb stays lsb here).
struct AgentId {
  std::string agent_class;
  std::string provider;
  std::string type;
};

struct ImportContext {
  pugi::xml_node cib;
  Imported out;
  Problems problems;
  std::map<std::string, std::string> node_ids;  // by node name
  std::map<std::string, AgentId> agents;        // by primitive id
  // Ids constraints may name that are not objects of the model: a clone's
  // id, and the members of a cloned group, stand for the cloned resource or
  // group (as Pacemaker maps them to the clone).
  std::map<std::string, std::string> aliases;
  // What a template or a tag stands for in a constraint: the primitives made
  // from the template, the resources tagged, in the order Pacemaker lists them.
  std::map<std::string, std::vector<std::string>> templates;
  std::map<std::string, std::vector<std::string>> tags;
  // Ids with restart-type=restart (a group's or clone's passes to what it
  // holds): Optional orders with one of them as then restart it.
  std::set<std::string> restart_then;

  template <class T>
  T& add(std::vector<T>& list, const std::string& name) {
    T& object = list.emplace_back();
    object.metadata.name = name;
    object.metadata.namespace_ = std::string(kImportNamespace);
    return object;
  }
  void note(std::string text) { out.notes.push_back(std::move(text)); }
};

// Applies one Pacemaker meta attribute; false when the name is unknown.
bool apply_meta(model::ResourceMeta& meta, const std::string& name, const std::string& value,
                const std::string& where, Problems& problems);

// A meta attribute apply_meta does not take: an error when it is a
// Pacemaker feature Tandem lacks, a note when Pacemaker itself ignores it
// (a misspelling, say), as it then changes nothing.
void unknown_meta(ImportContext& ctx, const std::string& where, const std::string& name);
// restart-type=restart (or ignore) on `id`: recorded for Optional orders.
// False when `name` is some other meta attribute.
bool take_restart_type(ImportContext& ctx, const std::string& id, const std::string& where,
                       const std::string& name, const std::string& value);

// Whether `name` is one of Pacemaker's resource meta attributes (which
// unknown_meta reports), as opposed to one a user made up.
bool is_pacemaker_meta(const std::string& name);

// A <rule> into `out`; `top`: a location's rule, which carries a score.
void import_rule(const pugi::xml_node& xml, model::Rule& out, bool top, ImportContext& ctx);

// The sections, in the order the importer runs them.
void import_cluster_options(ImportContext& ctx);
void import_nodes(ImportContext& ctx);
void import_resources(ImportContext& ctx);
// <clone> and <master>: the cloned primitive or group with its clone spec.
// `import_child` imports the primitive or group inside.
void import_clone(const pugi::xml_node& xml, ImportContext& ctx,
                  void (*import_child)(const pugi::xml_node&, ImportContext&));
// Rewrites constraint references through ctx.aliases.
void resolve_aliases(ImportContext& ctx);
// rsc_defaults and op_defaults whose sets have rules (rsc_expression,
// op_expression): applied to the matching resources and operations.
void import_rule_defaults(ImportContext& ctx);
// <tags>: run after the resources, before the constraints that use them.
void import_tags(ImportContext& ctx);
void import_constraints(ImportContext& ctx);
void import_status(ImportContext& ctx);

}  // namespace tandem::cib::detail
