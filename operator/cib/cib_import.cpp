#include "operator/cib/cib_import.h"

#include <pugixml.hpp>

#include "common/core/text.h"
#include "operator/cib/import_context.h"

namespace tandem::cib {

Result<Imported> import_cib(std::string_view xml, std::string_view source) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(xml.data(), xml.size());
  if (!parsed) {
    return fail(std::string(source) + ": not a CIB: XML error at byte " +
                std::to_string(parsed.offset) + ": " + parsed.description());
  }
  detail::ImportContext ctx;
  ctx.cib = doc.child("cib");
  if (!ctx.cib) return fail(std::string(source) + ": not a CIB: no <cib> element");
  if (!ctx.cib.child("configuration")) {
    return fail(std::string(source) + ": not a CIB: no <configuration> element");
  }
  detail::import_cluster_options(ctx);
  detail::import_nodes(ctx);
  detail::import_resources(ctx);
  detail::import_rule_defaults(ctx);
  detail::import_constraints(ctx);
  detail::import_status(ctx);
  if (!ctx.problems.empty()) {
    return fail(std::string(source) + ": cannot import:\n" + ctx.problems.joined());
  }
  return std::move(ctx.out);
}

}  // namespace tandem::cib
