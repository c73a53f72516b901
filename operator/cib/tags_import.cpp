// <tags>: named lists of resources that constraints may refer to. Tandem
// has no tags of its own, so the importer resolves every reference to a tag
// into the resources it lists (see constraints_import.cpp).

#include <set>

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib::detail {

void import_tags(ImportContext& ctx) {
  std::set<std::string> placeables;
  for (const auto& resource : ctx.out.manifests.resources)
    placeables.insert(resource.metadata.name);
  for (const auto& group : ctx.out.manifests.groups) placeables.insert(group.metadata.name);

  pugi::xml_node tags = ctx.cib.child("configuration").child("tags");
  for (pugi::xml_node tag : tags.children()) {
    tag = resolve(tag);
    if (std::string_view(tag.name()) != "tag") {
      if (*tag.name() != '\0') {
        ctx.problems.add("<" + std::string(tag.name()) + "> in <tags> is not supported");
      }
      continue;
    }
    const std::string id = tag.attribute("id").value();
    if (id.empty()) {
      ctx.problems.add("<tag> without an id");
      continue;
    }
    if (placeables.contains(id) || ctx.templates.contains(id) || ctx.tags.contains(id)) {
      ctx.problems.add(describe(tag) + ": the id is already used by a resource, template or tag");
      continue;
    }
    std::vector<std::string>& members = ctx.tags[id];
    for (pugi::xml_node ref : tag.children("obj_ref")) {
      const std::string name = ref.attribute("id").value();
      if (placeables.contains(name)) {
        members.push_back(name);
      } else if (auto tpl = ctx.templates.find(name); tpl != ctx.templates.end()) {
        members.insert(members.end(), tpl->second.begin(), tpl->second.end());
      } else {
        ctx.note(describe(tag) + " names " + quote(name) +
                 ", which is not a resource; left out of the tag");
      }
    }
  }
}

}  // namespace tandem::cib::detail
