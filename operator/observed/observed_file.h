#pragma once

// The observed-state file: what a cluster looks like right now (the time,
// quorum, every node's state and attributes, what each node ran and how it
// ended, fail counts) as YAML that people read and edit, for what-if
// simulations with `tandemctl simulate MANIFESTS --observed FILE`.
// docs/cib-import.md describes every field.
//
//   apiVersion: tandem.dev/v1alpha1
//   kind: ObservedState
//   now: 2026-11-24T19:42:00Z
//   quorum: true
//   nodes:
//     - name: node1
//       state: online
//       resources:
//         - name: web
//           operations:
//             - {operation: start, rc: 0, callId: 3}
//       failCounts:
//         - {resource: web, operation: monitor, interval: 10s, count: 1}
//
// An adapter around placement::ObservedState: it reads only that public
// struct, nothing of the engine's internals.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "common/core/result.h"
#include "common/model/diagnostic.h"
#include "common/model/manifests.h"
#include "operator/placement/observed.h"

namespace tandem::observed {

inline constexpr std::string_view kApiVersion = "tandem.dev/v1alpha1";
inline constexpr std::string_view kKind = "ObservedState";

struct DecodeLimits {
  std::size_t max_bytes = std::size_t{16} << 20;
  // Values visited, counting each use of a YAML alias again.
  std::size_t max_values = 4'000'000;
};

// Where an entry was read: for messages about it after decoding.
struct Location {
  int line = 0;
  int column = 0;
  std::string path;  // nodes[1].resources[0]
};

struct Decoded {
  placement::ObservedState state;
  // Parallel to state.nodes, state.history and state.fail_counts.
  std::vector<Location> nodes;
  std::vector<Location> history;
  std::vector<Location> fail_counts;
};

// Reads an observed-state file; `file` names it in messages. Every problem
// goes to `diagnostics` with its line, column and field path; the result is
// complete only when there are none. Fail counts also appear among their
// node's attributes as Pacemaker names them (fail-count-RSC#OP_INTERVAL,
// last-failure-...), so that rules can test them.
Decoded decode_observed(std::string_view text, std::string_view file,
                        model::Diagnostics& diagnostics, const DecodeLimits& limits = {});

// The file that decode_observed reads back to `state`. Fails, naming what is
// wrong, for what the file cannot hold: history or fail counts of a node not
// listed, flags that no node state stands for, values out of range, text
// that is not clean UTF-8.
Result<std::string> encode_observed(const placement::ObservedState& state);

// Nodes in state unseen (never seen since the cluster started) are unclean,
// and fenced before their resources are trusted to be stopped, exactly when
// startup fencing is on, which the HACluster says. Call once both are read.
void apply_startup_fencing(placement::ObservedState& state, bool startup_fencing);

// Checks `decoded` against the manifests it is simulated with: every node is
// configured (as an HANode or a membership node), every resource in the
// history is configured or gives its agent (an orphan: running but no longer
// configured), and fail counts name resources that exist (a warning: they
// would have no effect).
void check_observed(const Decoded& decoded, const model::Manifests& manifests,
                    std::string_view file, model::Diagnostics& diagnostics);

// "observed.yaml:12:5: nodes[1].state: ...": the location as compilers print
// it, which editors and terminals turn into links.
std::string format_diagnostic(const model::Diagnostic& diagnostic);

}  // namespace tandem::observed
