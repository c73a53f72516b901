#include "operator/reconcile/counters.h"

#include <nlohmann/json.hpp>

namespace tandem::reconcile {
namespace {

using nlohmann::json;

// More tasks or failovers than this is not a file the operator wrote.
constexpr std::size_t kMaxTasks = 256;
constexpr std::size_t kMaxFailovers = 10'000;
constexpr std::size_t kMaxTextBytes = 1024;

json histogram_json(const metrics::Histogram& h) {
  json buckets = json::array();
  for (std::size_t b = 0; b < h.bounds().size(); ++b) buckets.push_back(h.bucket(b));
  return {{"count", h.count()}, {"sum", h.sum()}, {"buckets", buckets}};
}

Result<std::uint64_t> count_at(const json& object, const char* key, const std::string& at) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_unsigned())
    return fail(at + "." + key + ": expected a whole number of at least 0");
  return it->get<std::uint64_t>();
}

Result<metrics::Histogram> histogram_at(const json& object, const char* key,
                                        std::span<const double> bounds, const std::string& where) {
  const std::string at = where + "." + key;
  auto it = object.find(key);
  if (it == object.end() || !it->is_object()) return fail(at + ": expected an object");
  auto count = count_at(*it, "count", at);
  if (!count) return tl::unexpected(count.error());
  auto sum = it->find("sum");
  if (sum == it->end() || !sum->is_number()) return fail(at + ".sum: expected a number");
  auto buckets = it->find("buckets");
  if (buckets == it->end() || !buckets->is_array() ||
      buckets->size() > metrics::Histogram::kMaxBuckets)
    return fail(at + ".buckets: expected a list of counts");
  std::vector<std::uint64_t> values;
  for (const json& value : *buckets) {
    if (!value.is_number_unsigned()) return fail(at + ".buckets: expected whole numbers");
    values.push_back(value.get<std::uint64_t>());
  }
  auto restored = metrics::Histogram::restored(bounds, values, *count, sum->get<double>());
  if (!restored) return fail(at + ": " + restored.error().message);
  return *restored;
}

Result<std::string> text_at(const json& object, const char* key, const std::string& at) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string() || it->get<std::string>().size() > kMaxTextBytes)
    return fail(at + "." + key + ": expected a string");
  return it->get<std::string>();
}

Result<std::int64_t> time_at(const json& object, const char* key, const std::string& at) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_number_integer())
    return fail(at + "." + key + ": expected Unix milliseconds");
  return it->get<std::int64_t>();
}

Result<Outage> outage_at(const json& entry, const std::string& at) {
  if (!entry.is_object()) return fail(at + ": expected an object");
  Outage o;
  for (auto [key, field] : {std::pair{"resource", &o.resource}, std::pair{"from", &o.from},
                            std::pair{"cause", &o.cause}}) {
    auto text = text_at(entry, key, at);
    if (!text) return tl::unexpected(text.error());
    *field = std::move(*text);
  }
  auto detected = time_at(entry, "detectedUnixMs", at);
  if (!detected) return tl::unexpected(detected.error());
  o.detected_ms = *detected;
  return o;
}

// A failover is an outage with where and when it ended.
Result<Failover> failover_at(const json& entry, const std::string& at) {
  auto outage = outage_at(entry, at);
  if (!outage) return tl::unexpected(outage.error());
  auto to = text_at(entry, "to", at);
  if (!to) return tl::unexpected(to.error());
  auto recovered = time_at(entry, "recoveredUnixMs", at);
  if (!recovered) return tl::unexpected(recovered.error());
  return Failover{std::move(outage->resource), std::move(outage->from), std::move(*to),
                  std::move(outage->cause),    outage->detected_ms,     *recovered};
}

json outage_json(const std::string& resource, const std::string& from, const std::string& cause,
                 UnixMs detected_ms) {
  return {
      {"resource", resource}, {"from", from}, {"cause", cause}, {"detectedUnixMs", detected_ms}};
}

// The list under `key`, each entry read by `read` into `out`.
template <class T, class Read>
Result<void> list_at(const json& root, const char* key, const std::string& where, Read read,
                     std::vector<T>& out) {
  auto list = root.find(key);
  if (list == root.end() || !list->is_array() || list->size() > kMaxFailovers)
    return fail(where + "." + key + ": expected a list");
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto entry = read((*list)[i], where + "." + key + "[" + std::to_string(i) + "]");
    if (!entry) return tl::unexpected(entry.error());
    out.push_back(std::move(*entry));
  }
  return {};
}

}  // namespace

std::string encode(const Counters& counters) {
  json actions = json::object();
  for (const auto& [task, stats] : counters.action_stats)
    actions[task] = {{"failed", stats.failed}, {"durations", histogram_json(stats.durations)}};
  json failovers = json::array();
  for (const Failover& f : counters.failovers) {
    json entry = outage_json(f.resource, f.from, f.cause, f.detected_ms);
    entry["to"] = f.to;
    entry["recoveredUnixMs"] = f.recovered_ms;
    failovers.push_back(std::move(entry));
  }
  json outages = json::array();
  for (const Outage& o : counters.outages)
    outages.push_back(outage_json(o.resource, o.from, o.cause, o.detected_ms));
  return json{{"transitionsTotal", counters.transitions_total},
              {"failoverDurations", histogram_json(counters.failover_durations)},
              {"actions", actions},
              {"failovers", failovers},
              {"outages", outages}}
             .dump(2) +
         "\n";
}

Result<Counters> decode_counters(std::string_view text, const std::string& where) {
  json root = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return fail(where + ": not a JSON object");
  Counters counters;
  auto transitions = count_at(root, "transitionsTotal", where);
  if (!transitions) return tl::unexpected(transitions.error());
  counters.transitions_total = *transitions;
  auto failovers = histogram_at(root, "failoverDurations", kFailoverBucketBounds, where);
  if (!failovers) return tl::unexpected(failovers.error());
  counters.failover_durations = *failovers;

  auto actions = root.find("actions");
  if (actions == root.end() || !actions->is_object() || actions->size() > kMaxTasks)
    return fail(where + ".actions: expected an object of tasks");
  for (const auto& [task, entry] : actions->items()) {
    const std::string at = where + ".actions." + task;
    if (task.empty() || task.size() > kMaxTextBytes) return fail(at + ": not a task name");
    if (!entry.is_object()) return fail(at + ": expected an object");
    ActionStats stats;
    auto failed = count_at(entry, "failed", at);
    if (!failed) return tl::unexpected(failed.error());
    stats.failed = *failed;
    auto durations = histogram_at(entry, "durations", kActionBucketBounds, at);
    if (!durations) return tl::unexpected(durations.error());
    stats.durations = *durations;
    counters.action_stats.emplace(task, std::move(stats));
  }

  if (auto read = list_at(root, "failovers", where, failover_at, counters.failovers); !read)
    return tl::unexpected(read.error());
  if (auto read = list_at(root, "outages", where, outage_at, counters.outages); !read)
    return tl::unexpected(read.error());
  return counters;
}

}  // namespace tandem::reconcile
