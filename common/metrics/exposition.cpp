#include "common/metrics/exposition.h"

#include <charconv>
#include <cmath>

#include "common/core/assert.h"

namespace tandem::metrics {
namespace {

const char* type_name(MetricType type) {
  switch (type) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

// Backslashes and line feeds are escaped in HELP text and label values,
// double quotes in label values only.
std::string escape(std::string_view text, bool quotes) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '"' && quotes) {
      out += "\\\"";
    } else {
      out += c;
    }
  }
  return out;
}

}  // namespace

std::string escape_label(std::string_view value) {
  return escape(value, true);
}

std::string format_number(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char text[64];
  auto [end, ec] = std::to_chars(text, text + sizeof text, value);
  TANDEM_ASSERT(ec == std::errc(), "64 characters hold any double");
  return std::string(text, end);
}

void Exposition::family(std::string_view name, MetricType type, std::string_view help) {
  TANDEM_ASSERT(type != MetricType::kCounter || name.ends_with("_total"),
                "a counter's name ends in _total");
  name_ = name;
  type_ = type;
  out_ += "# HELP ";
  out_ += name;
  out_ += ' ';
  out_ += escape(help, false);
  out_ += "\n# TYPE ";
  out_ += name;
  out_ += ' ';
  out_ += type_name(type);
  out_ += '\n';
}

void Exposition::series(std::string_view suffix, std::initializer_list<Label> labels,
                        std::string_view le) {
  TANDEM_ASSERT(!name_.empty(), "a sample belongs to a family");
  out_ += name_;
  out_ += suffix;
  if (labels.size() == 0 && le.empty()) {
    out_ += ' ';
    return;
  }
  char separator = '{';
  for (const Label& label : labels) {
    out_ += separator;
    out_ += label.name;
    out_ += "=\"";
    out_ += escape_label(label.value);
    out_ += '"';
    separator = ',';
  }
  if (!le.empty()) {
    out_ += separator;
    out_ += "le=\"";
    out_ += le;
    out_ += '"';
  }
  out_ += "} ";
}

void Exposition::sample(std::initializer_list<Label> labels, double value) {
  TANDEM_ASSERT(type_ != MetricType::kHistogram, "histograms are written with histogram()");
  series("", labels);
  out_ += format_number(value);
  out_ += '\n';
}

void Exposition::sample(std::initializer_list<Label> labels, std::uint64_t value) {
  TANDEM_ASSERT(type_ != MetricType::kHistogram, "histograms are written with histogram()");
  series("", labels);
  out_ += std::to_string(value);
  out_ += '\n';
}

void Exposition::histogram(std::initializer_list<Label> labels, const Histogram& histogram) {
  TANDEM_ASSERT(type_ == MetricType::kHistogram, "histogram() writes a histogram family");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < histogram.bounds().size(); ++b) {
    cumulative += histogram.bucket(b);
    series("_bucket", labels, format_number(histogram.bounds()[b]));
    out_ += std::to_string(cumulative);
    out_ += '\n';
  }
  series("_bucket", labels, "+Inf");
  out_ += std::to_string(histogram.count());
  out_ += '\n';
  series("_sum", labels);
  out_ += format_number(histogram.sum());
  out_ += '\n';
  series("_count", labels);
  out_ += std::to_string(histogram.count());
  out_ += '\n';
}

}  // namespace tandem::metrics
