#include "common/model/rule_eval.h"

#include <cctype>
#include <cstdlib>
#include <cstring>

#include <strings.h>

#include "common/model/date_rules.h"

namespace tandem::model {
namespace {

bool scan_integer(const std::string& text, long long& out) {
  char* end = nullptr;
  out = std::strtoll(text.c_str(), &end, 10);
  return end != text.c_str();
}

bool scan_double(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return end != text.c_str();
}

// Dotted versions compare field by field as numbers ("1.10" > "1.9").
int compare_version(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    long x = 0, y = 0;
    while (i < a.size() && a[i] != '.')
      x = x * 10 + (std::isdigit(static_cast<unsigned char>(a[i])) ? a[i] - '0' : 0), ++i;
    while (j < b.size() && b[j] != '.')
      y = y * 10 + (std::isdigit(static_cast<unsigned char>(b[j])) ? b[j] - '0' : 0), ++j;
    if (x != y) return x < y ? -1 : 1;
    if (i < a.size()) ++i;
    if (j < b.size()) ++j;
  }
  return 0;
}

int compare_values(const std::string* left, const std::string* right,
                   std::optional<ExpressionType> type, ExpressionOperation op) {
  if (left == nullptr || right == nullptr) {
    if (left == nullptr && right == nullptr) return 0;
    return right == nullptr ? 1 : -1;
  }
  if (!type) {
    bool ordering = op == ExpressionOperation::kLt || op == ExpressionOperation::kLte ||
                    op == ExpressionOperation::kGt || op == ExpressionOperation::kGte;
    if (ordering) {
      bool dot = left->find('.') != std::string::npos || right->find('.') != std::string::npos;
      type = dot ? ExpressionType::kNumber : ExpressionType::kInteger;
    } else {
      type = ExpressionType::kString;
    }
  }
  switch (*type) {
    case ExpressionType::kString: {
      int cmp = strcasecmp(left->c_str(), right->c_str());
      return cmp < 0 ? -1 : (cmp > 0 ? 1 : 0);
    }
    case ExpressionType::kInteger: {
      long long l = 0, r = 0;
      if (scan_integer(*left, l) && scan_integer(*right, r)) return l < r ? -1 : (l > r ? 1 : 0);
      return compare_values(left, right, ExpressionType::kString, op);
    }
    case ExpressionType::kNumber: {
      double l = 0, r = 0;
      if (scan_double(*left, l) && scan_double(*right, r)) return l < r ? -1 : (l > r ? 1 : 0);
      return compare_values(left, right, ExpressionType::kString, op);
    }
    case ExpressionType::kVersion:
      return compare_version(*left, *right);
  }
  return 0;
}

const std::string* lookup(const std::map<std::string, std::string>* table, const std::string& key) {
  if (table == nullptr) return nullptr;
  auto it = table->find(key);
  return it == table->end() ? nullptr : &it->second;
}

bool expression_holds(const Expression& e, const RuleInputs& in) {
  const std::string* left = lookup(in.node_attributes, e.attribute);
  switch (e.operation) {
    case ExpressionOperation::kDefined:
      return left != nullptr;
    case ExpressionOperation::kNotDefined:
      return left == nullptr;
    default:
      break;
  }
  const std::string* right = e.value ? &*e.value : nullptr;
  if (right != nullptr && e.value_source == ValueSource::kParam) {
    right = lookup(in.params, *right);
  } else if (right != nullptr && e.value_source == ValueSource::kMeta) {
    right = lookup(in.meta, *right);
  }
  int cmp = compare_values(left, right, e.type, e.operation);
  switch (e.operation) {
    case ExpressionOperation::kEq:
      return cmp == 0;
    case ExpressionOperation::kNe:
      return cmp != 0;
    default:
      break;
  }
  if (left == nullptr || right == nullptr) return false;
  switch (e.operation) {
    case ExpressionOperation::kLt:
      return cmp < 0;
    case ExpressionOperation::kLte:
      return cmp <= 0;
    case ExpressionOperation::kGt:
      return cmp > 0;
    case ExpressionOperation::kGte:
      return cmp >= 0;
    default:
      return false;
  }
}

}  // namespace

bool rule_holds(const Rule& rule, const RuleInputs& in) {
  const bool all = rule.boolean_op == BooleanOp::kAnd;
  for (const Expression& e : rule.expressions) {
    bool holds = expression_holds(e, in);
    if (holds && !all) return true;
    if (!holds && all) return false;
  }
  for (const DateExpression& date : rule.dates) {
    bool holds = date_expression_holds(date, in.now);
    if (holds && !all) return true;
    if (!holds && all) return false;
  }
  for (const Rule& nested : rule.rules) {
    bool holds = rule_holds(nested, in);
    if (holds && !all) return true;
    if (!holds && all) return false;
  }
  return all;
}

std::map<std::string, std::string> resolve_params(const ResourceSpec& spec,
                                                  const std::map<std::string, std::string>& node,
                                                  std::chrono::sys_seconds now) {
  std::map<std::string, std::string> params;
  const RuleInputs in{.node_attributes = &node, .now = now};
  for (const ParamOverride& o : spec.param_overrides) {
    if (!rule_holds(o.rule, in)) continue;
    for (const auto& [name, value] : o.params) params.try_emplace(name, value);
  }
  for (const auto& [name, value] : spec.params) params.try_emplace(name, value);
  return params;
}

}  // namespace tandem::model
