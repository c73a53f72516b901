#pragma once

// State shared by the importer's sections.

#include <map>
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

// The sections, in the order the importer runs them.
void import_cluster_options(ImportContext& ctx);
void import_nodes(ImportContext& ctx);
void import_resources(ImportContext& ctx);
// rsc_defaults and op_defaults whose sets have rules (rsc_expression,
// op_expression): applied to the matching resources and operations.
void import_rule_defaults(ImportContext& ctx);
void import_constraints(ImportContext& ctx);
void import_status(ImportContext& ctx);

}  // namespace tandem::cib::detail
