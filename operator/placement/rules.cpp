#include "operator/placement/rules.h"

#include <cstdlib>
#include <cstring>

#include <strings.h>

#include "common/model/date_rules.h"

namespace tandem::placement::detail {
namespace {

using model::ExpressionOperation;
using model::ExpressionType;

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

bool expression_holds(const model::Expression& e, const Node& node,
                      const std::map<std::string, std::string>& params) {
  const std::string* left = node.attribute(e.attribute);
  switch (e.operation) {
    case ExpressionOperation::kDefined:
      return left != nullptr;
    case ExpressionOperation::kNotDefined:
      return left == nullptr;
    default:
      break;
  }
  const std::string* right = e.value ? &*e.value : nullptr;
  if (right != nullptr && e.value_source == model::ValueSource::kParam) {
    auto it = params.find(*right);
    right = it == params.end() ? nullptr : &it->second;
  } else if (right != nullptr && e.value_source == model::ValueSource::kMeta) {
    right = nullptr;  // resource meta attributes by Pacemaker name are not kept
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

bool rule_holds(const model::Rule& rule, const Node& node,
                const std::map<std::string, std::string>& params, EpochSeconds now) {
  const bool all = rule.boolean_op == model::BooleanOp::kAnd;
  for (const model::Expression& e : rule.expressions) {
    bool holds = expression_holds(e, node, params);
    if (holds && !all) return true;
    if (!holds && all) return false;
  }
  const std::chrono::sys_seconds time{std::chrono::seconds(now)};
  for (const model::DateExpression& date : rule.dates) {
    bool holds = model::date_expression_holds(date, time);
    if (holds && !all) return true;
    if (!holds && all) return false;
  }
  for (const model::Rule& nested : rule.rules) {
    bool holds = rule_holds(nested, node, params, now);
    if (holds && !all) return true;
    if (!holds && all) return false;
  }
  return all;
}

Score rule_score(const model::Rule& rule, const Node& node) {
  if (rule.score) return *rule.score;
  if (rule.score_attribute) {
    const std::string* value = node.attribute(*rule.score_attribute);
    if (value == nullptr) return Score::minus_infinity();
    return Score::parse(*value).value_or(Score::of(0));
  }
  return Score::of(0);
}

}  // namespace tandem::placement::detail
