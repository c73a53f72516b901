#pragma once

// Prometheus' text exposition format (version 0.0.4), as the operator and
// the sidecar serve it on /metrics. Each family is written whole: its HELP
// and TYPE lines, then its samples; label values are escaped, numbers are
// written in their shortest exact form. Names are the caller's constants and
// follow Prometheus' conventions (checked by `promtool check metrics` in the
// tests): base units in the name, counters end in _total.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "common/metrics/histogram.h"

namespace tandem::metrics {

enum class MetricType { kCounter, kGauge, kHistogram };

struct Label {
  std::string_view name;
  std::string_view value;
};

class Exposition {
 public:
  // Starts a family; the samples written after it belong to it.
  void family(std::string_view name, MetricType type, std::string_view help);

  // One sample of the current counter or gauge family.
  void sample(std::initializer_list<Label> labels, double value);
  void sample(std::initializer_list<Label> labels, std::uint64_t value);

  // The current histogram family's _bucket, _sum and _count samples for
  // one label set; buckets are written cumulative, +Inf last.
  void histogram(std::initializer_list<Label> labels, const Histogram& histogram);

  const std::string& text() const { return out_; }

 private:
  void series(std::string_view suffix, std::initializer_list<Label> labels,
              std::string_view le = {});

  std::string out_;
  std::string name_;
  MetricType type_ = MetricType::kGauge;
};

// A label value with \, " and line feeds escaped.
std::string escape_label(std::string_view value);

// The shortest text that reads back as `value`; NaN, +Inf and -Inf as
// Prometheus spells them.
std::string format_number(double value);

}  // namespace tandem::metrics
