// Checks of rules, shared by location constraints and parameter overrides.

#include <algorithm>
#include <array>
#include <cstdlib>
#include <optional>

#include "common/core/text.h"
#include "common/model/date_rules.h"
#include "common/model/validate_internal.h"

namespace tandem::model::detail {
namespace {

constexpr std::array<std::string_view, 5> kBuiltinAttributes{"#uname", "#id", "#kind",
                                                             "#cluster-name", "#site-name"};

void check_typed_value(const std::string& value, ExpressionType type, const std::string& path,
                       const ErrorFn& error) {
  auto is_number = [](const std::string& text) {
    if (text.empty()) return false;
    char* end = nullptr;
    std::strtod(text.c_str(), &end);
    return end == text.c_str() + text.size();
  };
  auto is_version = [](const std::string& text) {
    return !text.empty() && text.front() != '.' && text.back() != '.' &&
           std::all_of(text.begin(), text.end(),
                       [](char ch) { return (ch >= '0' && ch <= '9') || ch == '.'; });
  };
  bool ok =
      type == ExpressionType::kString ||
      ((type == ExpressionType::kInteger || type == ExpressionType::kNumber) && is_number(value)) ||
      (type == ExpressionType::kVersion && is_version(value));
  if (!ok) {
    error(path, quote(value) + " is not a valid " + std::string(to_string(type)));
  }
}

void check_expression(const Expression& e, const std::string& path, const ErrorFn& error) {
  bool presence = e.operation == ExpressionOperation::kDefined ||
                  e.operation == ExpressionOperation::kNotDefined;
  if (e.attribute.empty()) error(path + ".attribute", "must not be empty");
  if (e.attribute.starts_with('#') &&
      std::find(kBuiltinAttributes.begin(), kBuiltinAttributes.end(), e.attribute) ==
          kBuiltinAttributes.end()) {
    std::vector<std::string_view> names(kBuiltinAttributes.begin(), kBuiltinAttributes.end());
    std::string message =
        quote(e.attribute) + " is not a built-in node attribute (" + join(names, ", ") + ")";
    if (auto guess = closest_match(e.attribute, names)) {
      message += "; did you mean " + quote(*guess) + "?";
    }
    error(path + ".attribute", std::move(message));
  }
  if (presence && e.value) {
    error(path + ".value", std::string(to_string(e.operation)) + " takes no value");
  }
  if (!presence && !e.value) {
    error(path + ".value", "required with operation " + std::string(to_string(e.operation)));
  }
  if (e.value && e.type && e.value_source == ValueSource::kLiteral) {
    check_typed_value(*e.value, *e.type, path + ".value", error);
  }
}

void check_date(const DateExpression& date, const std::string& path, const ErrorFn& error) {
  const std::string op(to_string(date.operation));
  auto unused = [&](bool present, const char* field) {
    if (present) error(path + "." + field, "is not used by operation " + op);
  };
  switch (date.operation) {
    case DateOperation::kInRange:
      if (!date.start && !date.end) error(path, "in_range needs a start, an end or both");
      if (date.duration && !date.start) error(path + ".duration", "needs a start");
      if (date.duration && date.end) error(path + ".duration", "is not allowed with an end");
      if (date.start && date.end && *date.end < *date.start) {
        error(path + ".end", "is before the start");
      }
      unused(date.spec.has_value(), "spec");
      break;
    case DateOperation::kGt:
      if (!date.start) error(path, "gt needs a start");
      unused(date.end.has_value(), "end");
      unused(date.duration.has_value(), "duration");
      unused(date.spec.has_value(), "spec");
      break;
    case DateOperation::kLt:
      if (!date.end) error(path, "lt needs an end");
      unused(date.start.has_value(), "start");
      unused(date.duration.has_value(), "duration");
      unused(date.spec.has_value(), "spec");
      break;
    case DateOperation::kDateSpec:
      if (!date.spec) error(path, "date_spec needs a spec");
      unused(date.start.has_value(), "start");
      unused(date.end.has_value(), "end");
      unused(date.duration.has_value(), "duration");
      break;
  }
  if (!date.spec) return;
  const std::pair<const char*, const std::optional<std::string>*> fields[] = {
      {"years", &date.spec->years},         {"months", &date.spec->months},
      {"monthdays", &date.spec->monthdays}, {"hours", &date.spec->hours},
      {"minutes", &date.spec->minutes},     {"seconds", &date.spec->seconds},
      {"yeardays", &date.spec->yeardays},   {"weekyears", &date.spec->weekyears},
      {"weeks", &date.spec->weeks},         {"weekdays", &date.spec->weekdays}};
  for (const auto& [name, value] : fields) {
    if (!*value) continue;
    if (auto range = parse_date_range(**value); !range) {
      error(path + ".spec." + name, range.error().message);
    }
  }
}

}  // namespace

void validate_rule(const Rule& rule, const std::string& path, RuleUse use, const ErrorFn& error,
                   const RoleCheck& check_role, int depth) {
  if (depth > kMaxRuleDepth) {
    error(path, "rules nest at most " + std::to_string(kMaxRuleDepth) + " levels deep");
    return;
  }
  const bool scored = rule.score || rule.score_attribute;
  const bool wants_score = use == RuleUse::kLocation && depth == 1;
  if (wants_score && !scored) error(path, "a rule needs a score or a scoreAttribute");
  if (!wants_score && scored) {
    error(path + (rule.score ? ".score" : ".scoreAttribute"),
          use == RuleUse::kLocation ? "only top-level rules carry a score"
                                    : "only location rules carry a score");
  }
  if (rule.score_attribute && rule.score_attribute->empty()) {
    error(path + ".scoreAttribute", "must not be empty");
  }
  if (rule.expressions.empty() && rule.dates.empty() && rule.rules.empty()) {
    error(path, "a rule needs at least one expression, date or nested rule");
  }
  for (std::size_t i = 0; i < rule.dates.size(); ++i) {
    check_date(rule.dates[i], indexed(path + ".dates", i), error);
  }
  if (use == RuleUse::kLocation) {
    check_role(path + ".role", rule.role);
  } else if (rule.role) {
    error(path + ".role", "only location rules select a role");
  }
  for (std::size_t i = 0; i < rule.expressions.size(); ++i) {
    check_expression(rule.expressions[i], indexed(path + ".expressions", i), error);
  }
  for (std::size_t i = 0; i < rule.rules.size(); ++i) {
    validate_rule(rule.rules[i], indexed(path + ".rules", i), use, error, check_role, depth + 1);
  }
}

}  // namespace tandem::model::detail
