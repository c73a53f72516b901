// tandem-agent-tool: the crm_master, crm_attribute, attrd_updater and
// crm_node that resource agents find first on their PATH (and in
// HA_SBIN_DIR). Which command it is comes from the name it was run as; the
// sidecar puts symbolic links with those names next to it. It stores what
// agents set in the attribute directory the sidecar passed in
// TANDEM_ATTRIBUTE_DIR, where the sidecar reads it back.

#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "sidecar/executor/attribute_command.h"
#include "sidecar/executor/attribute_store.h"

extern char** environ;

namespace {

using namespace tandem::executor;

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    std::string text(*entry);
    std::size_t eq = text.find('=');
    if (eq != std::string::npos) env.emplace(text.substr(0, eq), text.substr(eq + 1));
  }
  return env;
}

std::string env_or(const std::map<std::string, std::string>& env, const char* name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

int run(int argc, char** argv) {
  std::string tool = argc > 0 ? argv[0] : "tandem-agent-tool";
  if (auto slash = tool.rfind('/'); slash != std::string::npos) tool = tool.substr(slash + 1);
  std::vector<std::string> args(argv + std::min(argc, 1), argv + argc);
  if (tool == "tandem-agent-tool" && !args.empty()) {
    // Also usable as "tandem-agent-tool crm_attribute ...".
    tool = args.front();
    args.erase(args.begin());
  }
  const auto env = environment();
  auto command = parse_attribute_command(tool, args, env);
  if (!command) {
    std::cerr << command.error().message << "\n";
    return kToolExitUsage;
  }
  const std::string node = env_or(env, "TANDEM_NODE_NAME");
  if (command->op == AttributeOp::kPrintNodeName) {
    if (node.empty()) {
      std::cerr << tool << ": TANDEM_NODE_NAME is not set; run agents through tandem-sidecar\n";
      return kToolExitError;
    }
    std::cout << node << "\n";
    return kToolExitOk;
  }
  if (command->node && !node.empty() && *command->node != node) {
    std::cerr << tool << ": agents can set attributes of their own node (" << node
              << ") only, not of " << *command->node << "\n";
    return kToolExitError;
  }
  const std::string directory = env_or(env, "TANDEM_ATTRIBUTE_DIR");
  if (directory.empty()) {
    std::cerr << tool << ": TANDEM_ATTRIBUTE_DIR is not set; run agents through tandem-sidecar\n";
    return kToolExitError;
  }
  auto store = AttributeStore::open(directory, false);
  if (!store) {
    std::cerr << tool << ": " << store.error().message << "\n";
    return kToolExitError;
  }
  switch (command->op) {
    case AttributeOp::kSet: {
      auto done = store->set(command->name, command->value);
      if (!done) {
        std::cerr << tool << ": " << done.error().message << "\n";
        return kToolExitError;
      }
      return kToolExitOk;
    }
    case AttributeOp::kDelete: {
      auto done = store->remove(command->name);
      if (!done) {
        std::cerr << tool << ": " << done.error().message << "\n";
        return kToolExitError;
      }
      return kToolExitOk;
    }
    case AttributeOp::kQuery: {
      auto value = store->get(command->name);
      if (!value) {
        std::cerr << tool << ": " << value.error().message << "\n";
        return kToolExitError;
      }
      std::optional<std::string> shown = *value ? *value : command->fallback;
      if (!shown) {
        std::cerr << "Error performing operation: No such device or address\n";
        return kToolExitNoSuch;
      }
      if (command->quiet) {
        std::cout << *shown << "\n";
      } else if (tool == "attrd_updater") {
        std::cout << "name=\"" << command->name << "\" host=\"" << node << "\" value=\"" << *shown
                  << "\"\n";
      } else {
        std::cout << "scope=status  name=" << command->name << " value=" << *shown << "\n";
      }
      return kToolExitOk;
    }
    case AttributeOp::kPrintNodeName:
      break;
  }
  return kToolExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "tandem-agent-tool: " << e.what() << "\n";
    return kToolExitError;
  }
}
