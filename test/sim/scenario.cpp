// tandem_scenario: runs readable membership scenarios under the simulator.
//
// A scenario file is a list of steps, one per line ('#' starts a comment):
//
//   members 4                     the cluster: nodes 1..4 (the first step)
//   quorum two_node | wait_for_all | last_man_standing | auto_tie_breaker=lowest|highest|3,1
//   token 1000                    the token timeout in ms (before `start`)
//   start                         the nodes start
//   run 5s                        let simulated time pass (ms or s)
//   partition 1 2 | 3 4           cut the network between the groups
//   cut 1 2                       cut the link from node 1 to node 2 only
//   heal                          restore every link
//   crash 3 / restart 3 / pause 3 / resume 3
//   send 2                        node 2 multicasts a message
//   expect 1 ring 1 2 quorate     node 1 is Operational in a ring of exactly
//   expect 3 ring 3 4 not-quorate nodes 1 and 2, and quorate (or not)
//   expect converged              every running node is in one ring of all of them
//
// At the end every invariant the checker knows must hold. A failing step
// prints the file, the line and what each node reported.

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "test/sim/sim_cluster.h"

namespace {

using namespace tandem;
using namespace tandem::sim;

std::vector<std::string> words(const std::string& line) {
  std::istringstream in(line);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool to_number(const std::string& text, std::uint64_t& out) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::stoull(text);
  return true;
}

bool to_duration(const std::string& text, Micros& out) {
  std::uint64_t n = 0;
  if (text.ends_with("ms") && to_number(text.substr(0, text.size() - 2), n)) {
    out = std::chrono::milliseconds(n);
    return true;
  }
  if (text.ends_with("s") && to_number(text.substr(0, text.size() - 1), n)) {
    out = std::chrono::seconds(n);
    return true;
  }
  return false;
}

std::string describe(SimCluster& cluster) {
  std::string out;
  for (NodeId id : cluster.nodes()) {
    NodeView v = cluster.view(id);
    out += "\n    node " + std::to_string(id) + ": ";
    if (!v.alive) {
      out += "crashed";
      continue;
    }
    out += std::string(v.paused ? "paused, " : "") + membership::to_string(v.state) + " ring " +
           membership::to_string(v.ring) + " {" + membership::to_string(v.members) + "} " +
           (v.quorate ? "quorate" : "not quorate");
  }
  return out;
}

class Runner {
 public:
  explicit Runner(std::string file) : file_(std::move(file)) {}

  bool run(std::istream& in) {
    std::string line;
    while (std::getline(in, line)) {
      ++line_;
      if (std::size_t hash = line.find('#'); hash != std::string::npos) line.resize(hash);
      std::vector<std::string> w = words(line);
      if (w.empty()) continue;
      if (!step(w)) return false;
    }
    if (!cluster_) return fail("the scenario never starts the cluster");
    cluster_->finish();
    if (!cluster_->checker().ok()) {
      std::string all;
      for (const std::string& v : cluster_->checker().violations()) all += "\n    " + v;
      return fail("invariants broken:" + all);
    }
    return true;
  }

 private:
  bool fail(const std::string& text) {
    std::fprintf(stderr, "%s:%zu: %s\n", file_.c_str(), line_, text.c_str());
    return false;
  }

  bool node_arg(const std::vector<std::string>& w, std::size_t i, NodeId& id) {
    std::uint64_t n = 0;
    if (i >= w.size() || !to_number(w[i], n) || n < 1 || n > setup_.members)
      return fail("expected a node id from 1 to " + std::to_string(setup_.members));
    id = static_cast<NodeId>(n);
    return true;
  }

  bool step(const std::vector<std::string>& w) {
    const std::string& verb = w[0];
    if (verb == "members") {
      std::uint64_t n = 0;
      if (w.size() != 2 || !to_number(w[1], n) || n < 1 || n > 64)
        return fail("members takes a count from 1 to 64");
      setup_.members = n;
      return true;
    }
    if (verb == "token") {
      std::uint64_t n = 0;
      if (w.size() != 2 || !to_number(w[1], n)) return fail("token takes milliseconds");
      totem_.token = std::chrono::milliseconds(n);
      return true;
    }
    if (verb == "quorum") return quorum(w);
    if (verb == "start") {
      if (cluster_) return fail("the cluster has already started");
      setup_.membership = make_membership(setup_.members, totem_);
      // Both options can leave two partitions quorate by design (votequorum(5):
      // two_node relies on fencing to settle the race); the disjoint-quorum
      // check applies to every other option.
      setup_.check_quorum = !setup_.quorum.last_man_standing && !setup_.quorum.two_node;
      cluster_ = std::make_unique<SimCluster>(setup_);
      return true;
    }
    if (!cluster_) return fail("\"" + verb + "\" before start");
    SimCluster& c = *cluster_;
    NodeId id = 0;
    if (verb == "run") {
      Micros d{};
      if (w.size() != 2 || !to_duration(w[1], d)) return fail("run takes a duration: 500ms, 5s");
      c.run_for(d);
      return true;
    }
    if (verb == "heal") {
      c.network().heal();
      return true;
    }
    if (verb == "partition") {
      std::vector<std::vector<NodeId>> groups(1);
      for (std::size_t i = 1; i < w.size(); ++i) {
        if (w[i] == "|") {
          groups.emplace_back();
          continue;
        }
        if (!node_arg(w, i, id)) return false;
        groups.back().push_back(id);
      }
      c.network().partition(groups);
      return true;
    }
    if (verb == "cut") {
      NodeId to = 0;
      if (!node_arg(w, 1, id) || !node_arg(w, 2, to)) return false;
      c.network().cut(id, to);
      return true;
    }
    if (verb == "crash" || verb == "restart" || verb == "pause" || verb == "resume" ||
        verb == "send") {
      if (!node_arg(w, 1, id)) return false;
      if (verb == "crash") c.crash(id);
      if (verb == "restart") c.restart(id);
      if (verb == "pause") c.pause(id);
      if (verb == "resume") c.resume(id);
      if (verb == "send" && !c.multicast(id, membership::Guarantee::kAgreed))
        return fail("node " + std::to_string(id) + " could not multicast");
      return true;
    }
    if (verb == "expect") return expect(w);
    return fail("unknown step \"" + verb + "\"");
  }

  bool quorum(const std::vector<std::string>& w) {
    for (std::size_t i = 1; i < w.size(); ++i) {
      const std::string& o = w[i];
      model::QuorumOptions& q = setup_.quorum;
      if (o == "two_node") {
        q.two_node = true;
      } else if (o == "wait_for_all") {
        q.wait_for_all = true;
      } else if (o == "last_man_standing") {
        q.last_man_standing = true;
        q.last_man_standing_window = std::chrono::seconds(3);
      } else if (o.starts_with("auto_tie_breaker=")) {
        q.auto_tie_breaker = true;
        std::string mode = o.substr(17);
        if (mode == "lowest") {
          q.auto_tie_breaker_node = model::TieBreaker::kLowest;
        } else if (mode == "highest") {
          q.auto_tie_breaker_node = model::TieBreaker::kHighest;
        } else {
          q.auto_tie_breaker_node = model::TieBreaker::kList;
          std::istringstream list(mode);
          for (std::string item; std::getline(list, item, ',');) {
            std::uint64_t n = 0;
            if (!to_number(item, n)) return fail("bad auto_tie_breaker list \"" + mode + "\"");
            q.auto_tie_breaker_nodes.push_back(static_cast<std::uint32_t>(n));
          }
        }
      } else {
        return fail("unknown quorum option \"" + o + "\"");
      }
    }
    return true;
  }

  bool expect(const std::vector<std::string>& w) {
    SimCluster& c = *cluster_;
    if (w.size() == 2 && w[1] == "converged") {
      std::vector<NodeId> running = c.running();
      NodeSet all = NodeSet::from(running);
      for (NodeId id : running) {
        NodeView v = c.view(id);
        if (v.state != membership::State::kOperational || v.members != all ||
            v.ring != c.view(running.front()).ring)
          return fail("expected one ring of every running node, got:" + describe(c));
      }
      return true;
    }
    NodeId id = 0;
    if (w.size() < 5 || !node_arg(w, 1, id) || w[2] != "ring")
      return fail("expect takes: N ring IDS... quorate|not-quorate, or: converged");
    std::vector<NodeId> ids;
    for (std::size_t i = 3; i + 1 < w.size(); ++i) {
      NodeId member = 0;
      if (!node_arg(w, i, member)) return false;
      ids.push_back(member);
    }
    const std::string& flag = w.back();
    if (flag != "quorate" && flag != "not-quorate")
      return fail("expect ends with quorate or not-quorate");
    NodeView v = c.view(id);
    if (!v.alive || v.paused || v.state != membership::State::kOperational ||
        v.members != NodeSet::from(ids) || v.quorate != (flag == "quorate"))
      return fail("expected node " + std::to_string(id) + " Operational in ring {" +
                  membership::to_string(NodeSet::from(ids)) + "} " + flag + ", got:" + describe(c));
    return true;
  }

  std::string file_;
  std::size_t line_ = 0;
  SimSetup setup_;
  model::TotemTimings totem_;
  std::unique_ptr<SimCluster> cluster_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: tandem_scenario FILE...\n");
    return 2;
  }
  int failed = 0;
  for (int i = 1; i < argc; ++i) {
    std::ifstream in(argv[i]);
    if (!in) {
      std::fprintf(stderr, "%s: cannot open\n", argv[i]);
      ++failed;
      continue;
    }
    Runner runner(argv[i]);
    if (runner.run(in)) {
      std::printf("%s: ok\n", argv[i]);
    } else {
      ++failed;
    }
  }
  return failed == 0 ? 0 : 1;
}
