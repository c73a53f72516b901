#pragma once

// Reading YAML by hand with the manifests' rules: every problem reported
// with its line, column and field path; unknown fields named with a likely
// correction; values typed as kubectl reads them; a budget on the values
// visited, so that aliases cannot make reading take forever.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/yaml.h>

#include "common/model/diagnostic.h"
#include "operator/observed/observed_file.h"

namespace tandem::observed::detail {

class Reader {
 public:
  Reader(std::string_view file, model::Diagnostics& diagnostics, std::size_t budget)
      : file_(file), diagnostics_(diagnostics), budget_(budget) {}

  void error(const YAML::Mark& mark, std::string message);
  // For problems found once a whole entry has been read.
  void error_at(const Location& location, const std::string& path, std::string message);
  std::size_t errors() const { return errors_; }
  // The field path of the value being read: nodes[1].state.
  std::string& path() { return path_; }

  // Counts one value against the budget; false (after one error) once spent.
  bool spend(const YAML::Mark& mark);
  bool stopped() const { return stopped_; }

 private:
  std::string file_;
  model::Diagnostics& diagnostics_;
  std::size_t budget_;
  std::size_t errors_ = 0;
  bool stopped_ = false;
  std::string path_;
};

// One mapping, read key by key. Keys nobody asked for are reported by
// finish() as unknown fields.
class Fields {
 public:
  Fields(const YAML::Node& map, Reader& reader);

  // Calls read(value) with the path extended by `key` when the key is set
  // to something other than null; reports a missing required field.
  void field(std::string_view key, bool required,
             const std::function<void(const YAML::Node&)>& read);
  bool has(std::string_view key) const;
  const YAML::Mark& mark() const { return mark_; }
  // Reports an error about this mapping's field `key` (or the mapping when
  // the key is absent).
  void error_at(std::string_view key, std::string message);
  void finish();

 private:
  struct Entry {
    std::string key;
    YAML::Node value;
    YAML::Mark mark;
  };
  const Entry* find(std::string_view key) const;

  Reader& reader_;
  YAML::Mark mark_;
  std::vector<Entry> entries_;
  std::vector<std::string_view> known_;
};

bool is_null(const YAML::Node& node);
// "a mapping", "the integer 24", "the string \"x\"": for "expected X, got Y".
std::string describe_node(const YAML::Node& node);

// Each reader reports its own errors and leaves `out` alone on error.
bool read_string(const YAML::Node& node, std::string& out, Reader& reader);
// Ids are often numbers: a string, or an integer read as its digits.
bool read_id(const YAML::Node& node, std::string& out, Reader& reader);
bool read_bool(const YAML::Node& node, bool& out, Reader& reader);
bool read_integer(const YAML::Node& node, std::int64_t& out, std::int64_t min, std::int64_t max,
                  Reader& reader);
// A duration ("10s", or a bare integer meaning seconds), in milliseconds.
bool read_duration_ms(const YAML::Node& node, std::int64_t& out, Reader& reader);
// An RFC 3339 timestamp in whole seconds, or an integer of seconds since the
// epoch; between 1970 and the end of 9999.
bool read_time(const YAML::Node& node, std::int64_t& out, Reader& reader);
// One of `names`; returns its index.
std::optional<std::size_t> read_choice(const YAML::Node& node,
                                       std::span<const std::string_view> names, Reader& reader);
// Calls read(item) for every item of a list, with the path extended by
// [index].
void read_list(const YAML::Node& node, Reader& reader,
               const std::function<void(const YAML::Node&)>& read);

// The latest time read_time accepts: 9999-12-31T23:59:59Z.
inline constexpr std::int64_t kMaxEpochSeconds = 253402300799;

}  // namespace tandem::observed::detail
