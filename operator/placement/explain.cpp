#include "operator/placement/explain.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <vector>

#include "common/core/text.h"

namespace tandem::placement {
namespace {

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? " and " : ", ";
    out += items[i];
  }
  return out;
}

std::string signed_score(const ScoreReason& reason) {
  if (reason.absolute) return "= " + reason.change.to_string();
  if (reason.change < Score::of(0)) return reason.change.to_string();
  return "+" + reason.change.to_string();
}

// What the resource does in this transition, in one sentence.
std::string summary(const Assignment& a) {
  const std::string now = a.running_on.empty() ? "" : join(a.running_on);
  if (a.node.empty()) {
    if (now.empty()) return "It is stopped and stays stopped.";
    return "It runs on " + now + " and will be stopped.";
  }
  if (now.empty()) return "It is stopped and will start on " + a.node + ".";
  if (a.running_on.size() == 1 && a.running_on.front() == a.node) {
    return "It runs on " + a.node + " and stays there.";
  }
  return "It runs on " + now + " and will run on " + a.node + ".";
}

// Why the chosen node beat the others with the same score.
std::string tie_break(const std::vector<CandidateNode>& candidates) {
  if (candidates.size() < 2 || !candidates[0].available) return "";
  const CandidateNode& first = candidates[0];
  std::vector<std::string> tied;
  for (std::size_t i = 1; i < candidates.size(); ++i) {
    if (candidates[i].available && candidates[i].score == first.score) {
      tied.push_back(candidates[i].node);
    }
  }
  if (tied.empty()) return "";
  std::string why = first.node + " ties with " + join(tied) + " at " + first.score.to_string() +
                    "; it wins because ";
  const CandidateNode& second =
      *std::find_if(candidates.begin() + 1, candidates.end(),
                    [&](const CandidateNode& c) { return c.available && c.score == first.score; });
  if (first.assigned_resources != second.assigned_resources) {
    why += "fewer resources were placed on it before this one (" +
           std::to_string(first.assigned_resources) + " against " +
           std::to_string(second.assigned_resources) + ")";
  } else if (first.current) {
    why += "the resource already runs there";
  } else {
    why += "its name sorts first";
  }
  return why + ".";
}

}  // namespace

Result<std::string> explain(const Transition& transition, std::string_view resource) {
  const Assignment* assignment = nullptr;
  std::vector<std::string> names;
  for (const Assignment& a : transition.assignments) {
    names.push_back(a.resource);
    if (a.resource == resource) assignment = &a;
  }
  if (transition.assignments.empty()) {
    return fail("the transition was computed without scores; nothing to explain");
  }
  if (assignment == nullptr) {
    std::string message = "no resource named " + quote(resource);
    const std::vector<std::string_view> candidates(names.begin(), names.end());
    if (auto close = closest_match(resource, candidates)) {
      message += "; did you mean " + quote(*close) + "?";
    }
    return fail(message);
  }
  const Assignment& a = *assignment;
  std::ostringstream out;
  out << a.resource << ": " << summary(a) << "\n";
  if (!a.managed) out << "  It is unmanaged: Tandem does not start, stop or move it.\n";
  if (a.failed) out << "  It has failed (see its operation history).\n";

  for (const Change& change : transition.changes) {
    if (change.resource != a.resource) continue;
    std::string kind(to_string(change.kind));
    out << "  Change: " << kind;
    if (!change.from_node.empty() && !change.to_node.empty() &&
        change.from_node != change.to_node) {
      out << " from " << change.from_node << " to " << change.to_node;
    } else if (!change.from_node.empty()) {
      out << " on " << change.from_node;
    } else if (!change.to_node.empty()) {
      out << " on " << change.to_node;
    }
    if (change.blocked) out << ", blocked";
    if (!change.reason.empty()) out << ", due to " << change.reason;
    out << "\n";
  }
  if (!a.reason.empty() && a.node.empty()) out << "  Why nowhere: " << a.reason << ".\n";
  if (!a.reason.empty() && !a.node.empty() && a.candidates.empty()) {
    out << "  Why: " << a.reason << ".\n";
  }
  if (!a.node.empty() && !a.candidates.empty() && a.candidates.front().node == a.node) {
    if (std::string why = tie_break(a.candidates); !why.empty()) out << "  " << why << "\n";
  }

  // Every node: its final score, whether it can run anything, and the
  // steps that made the score.
  std::map<std::string, std::vector<const ScoreReason*>> reasons;
  for (const ScoreReason& reason : transition.score_reasons) {
    if (reason.resource == a.resource) reasons[reason.node].push_back(&reason);
  }
  std::vector<std::string> listed;
  out << "\nScores by node (best first):\n";
  auto print_node = [&](const std::string& node, const std::string& score_text,
                        const std::string& note) {
    out << "  " << node << ": " << score_text;
    if (!note.empty()) out << " (" << note << ")";
    if (node == a.node) out << "  <- chosen";
    out << "\n";
    auto found = reasons.find(node);
    if (found == reasons.end()) {
      out << "      0  no constraint, stickiness or failure applies\n";
      return;
    }
    for (const ScoreReason* reason : found->second) {
      out << "      " << signed_score(*reason) << "  " << reason->reason << "\n";
    }
  };
  for (const CandidateNode& candidate : a.candidates) {
    listed.push_back(candidate.node);
    std::string note;
    if (!candidate.available) {
      auto state = transition.node_states.find(candidate.node);
      note = "cannot run resources: " +
             (state == transition.node_states.end() ? std::string("unavailable") : state->second);
    } else if (candidate.score < Score::of(0)) {
      note = "a negative score keeps it out";
    }
    print_node(candidate.node, candidate.score.to_string(), note);
  }
  for (const auto& [node, state] : transition.node_states) {
    if (std::find(listed.begin(), listed.end(), node) != listed.end()) continue;
    if (a.candidates.empty()) {
      print_node(node, "-", state == "online" ? "" : state);
    } else {
      out << "  " << node << ": not allowed (the cluster is opt-in and no location constraint "
          << "allows " << a.resource << " there)\n";
    }
  }
  return out.str();
}

}  // namespace tandem::placement
