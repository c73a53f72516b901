#pragma once

// Helpers for reading CIB XML with pugixml: id references, name/value pair
// sets, and Pacemaker's spellings of booleans and roles.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <pugixml.hpp>

#include "common/model/enums.h"

namespace tandem::cib::detail {

// Collects every problem instead of stopping at the first.
class Problems {
 public:
  void add(std::string message) { items_.push_back(std::move(message)); }
  bool empty() const { return items_.empty(); }
  std::string joined() const;

 private:
  std::vector<std::string> items_;
};

// Where in the CIB an element is: "primitive 'web'", for messages.
std::string describe(const pugi::xml_node& node);

// The element itself, or the one its id-ref attribute names.
pugi::xml_node resolve(const pugi::xml_node& node);

// The name/value pairs of one set into `values`, where a name has none yet
// ("#default" leaves it unset, as Pacemaker reads it).
void add_set_values(const pugi::xml_node& set, std::map<std::string, std::string>& values);

// The name/value pairs of every <TAG> set (instance_attributes,
// meta_attributes, utilization) under `parent`, in document order; later
// sets do not override earlier ones, as in Pacemaker. Sets with rules are
// reported as unsupported.
std::map<std::string, std::string> nvpairs(const pugi::xml_node& parent, const char* tag,
                                           Problems& problems);

// Pacemaker's crm_is_true: true, on, yes, y, 1 (any case).
bool is_true(std::string_view value);

// Promoted/Unpromoted and the older Master/Slave spellings.
std::optional<model::Role> parse_role(std::string_view value);

// Pacemaker's interval and timeout syntax ("10s", "1min", "PT1M"...) in
// milliseconds; nullopt when unreadable.
std::optional<std::int64_t> parse_interval_ms(std::string_view value);

}  // namespace tandem::cib::detail
