#include "sidecar/executor/attribute_command.h"

#include <algorithm>

#include "common/core/text.h"

namespace tandem::executor {
namespace {

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// One option as written: "-n", "--name", "--name=x" or "-nx".
struct Options {
  const std::vector<std::string>& args;
  std::size_t next = 0;

  struct Option {
    std::string name;                     // "n" or "name"
    std::optional<std::string> attached;  // "x" of "--name=x" or "-nx"
    bool is_long = false;
    bool positional = false;
  };

  bool done() const { return next >= args.size(); }

  Option take() {
    const std::string& arg = args[next++];
    Option option;
    if (arg.size() > 2 && arg.starts_with("--")) {
      option.is_long = true;
      std::size_t eq = arg.find('=');
      option.name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (eq != std::string::npos) option.attached = arg.substr(eq + 1);
    } else if (arg.size() >= 2 && arg[0] == '-' && arg[1] != '-') {
      option.name = arg.substr(1, 1);
      if (arg.size() > 2) option.attached = arg.substr(2);
    } else {
      option.positional = true;
      option.name = arg;
    }
    return option;
  }

  Result<std::string> value_of(const Option& option, std::string_view tool) {
    if (option.attached) return *option.attached;
    if (done()) {
      return fail(std::string(tool) + ": option " + (option.is_long ? "--" : "-") + option.name +
                  " needs a value");
    }
    return args[next++];
  }
};

bool is(const Options::Option& o, std::string_view short_name, std::string_view long_name) {
  return o.name == (o.is_long ? long_name : short_name);
}

std::string env_or(const std::map<std::string, std::string>& env, const std::string& name) {
  auto it = env.find(name);
  return it == env.end() ? std::string() : it->second;
}

Result<AttributeCommand> finish(AttributeCommand command, bool have_op) {
  if (command.op == AttributeOp::kPrintNodeName) return command;
  if (command.name.empty()) return fail(command.tool + ": no attribute name given (use -n NAME)");
  if (!is_attribute_name(command.name)) {
    return fail(command.tool + ": " + quote(command.name) +
                " is not an attribute name Tandem accepts (letters, digits and -_.:#)");
  }
  if (!have_op) command.op = AttributeOp::kQuery;
  if (command.op == AttributeOp::kSet && !is_attribute_value(command.value)) {
    return fail(command.tool + ": the value for " + quote(command.name) +
                " is longer than 4096 bytes or holds a line break");
  }
  return command;
}

Result<AttributeCommand> parse_crm_attribute(std::string_view tool,
                                             const std::vector<std::string>& args,
                                             const std::map<std::string, std::string>& env,
                                             bool crm_master) {
  AttributeCommand command;
  command.tool = std::string(tool);
  bool have_op = false;
  bool promotion = crm_master;
  std::string resource = env_or(env, "OCF_RESOURCE_INSTANCE");
  Options options{args};
  while (!options.done()) {
    Options::Option o = options.take();
    if (o.positional) return fail(command.tool + ": unexpected argument " + quote(o.name));
    if (!crm_master && is(o, "p", "promotion")) {
      promotion = true;
      if (o.attached) resource = *o.attached;
    } else if (crm_master && is(o, "r", "resource")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      resource = *v;
    } else if (!crm_master && is(o, "n", "name")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.name = *v;
    } else if (is(o, "v", "update") || (o.is_long && o.name == "attr-value")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.op = AttributeOp::kSet;
      command.value = *v;
      have_op = true;
    } else if (is(o, "D", "delete")) {
      command.op = AttributeOp::kDelete;
      have_op = true;
    } else if (is(o, "G", "query")) {
      command.op = AttributeOp::kQuery;
      have_op = true;
    } else if (is(o, "q", "quiet")) {
      command.quiet = true;
    } else if (is(o, "N", "node")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.node = *v;
    } else if (is(o, "d", "default")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.fallback = *v;
    } else if (is(o, "l", "lifetime") || is(o, "t", "type") || is(o, "i", "id") ||
               is(o, "s", "set-name")) {
      // Tandem keeps every attribute an agent sets as a node attribute of
      // this node, whatever its lifetime or section.
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      if ((o.name == "t" || o.name == "type") && *v == "crm_config") {
        return fail(command.tool +
                    ": cluster options (-t crm_config) cannot be set by agents in Tandem");
      }
    } else if (is(o, "V", "verbose")) {
      // accepted and ignored
    } else {
      return fail(command.tool + ": option " + (o.is_long ? "--" : "-") + o.name +
                  " is not supported by Tandem's " + command.tool);
    }
  }
  if (promotion) {
    if (resource.empty()) {
      return fail(command.tool +
                  ": no resource for the promotion score (OCF_RESOURCE_INSTANCE is not set)");
    }
    command.name =
        promotion_attribute(resource, env_or(env, "OCF_RESKEY_CRM_meta_globally_unique") == "true");
  }
  return finish(std::move(command), have_op);
}

Result<AttributeCommand> parse_attrd_updater(std::string_view tool,
                                             const std::vector<std::string>& args) {
  AttributeCommand command;
  command.tool = std::string(tool);
  bool have_op = false;
  Options options{args};
  while (!options.done()) {
    Options::Option o = options.take();
    if (o.positional) return fail(command.tool + ": unexpected argument " + quote(o.name));
    if (is(o, "n", "name")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.name = *v;
    } else if (is(o, "U", "update") || is(o, "B", "update-both") || is(o, "v", "value")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.op = AttributeOp::kSet;
      command.value = *v;
      have_op = true;
    } else if (is(o, "D", "delete")) {
      command.op = AttributeOp::kDelete;
      have_op = true;
    } else if (is(o, "Q", "query")) {
      command.op = AttributeOp::kQuery;
      have_op = true;
    } else if (is(o, "q", "quiet")) {
      command.quiet = true;
    } else if (is(o, "N", "node")) {
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
      command.node = *v;
    } else if (is(o, "d", "delay") || is(o, "s", "set")) {
      // Dampening delays writes to the CIB in Pacemaker; Tandem reports the
      // value at once and lets the operator decide.
      auto v = options.value_of(o, tool);
      if (!v) return tl::unexpected(v.error());
    } else if (is(o, "p", "private") || is(o, "V", "verbose")) {
      // accepted: a private attribute is still kept on this node
    } else {
      return fail(command.tool + ": option " + (o.is_long ? "--" : "-") + o.name +
                  " is not supported by Tandem's attrd_updater");
    }
  }
  return finish(std::move(command), have_op);
}

}  // namespace

bool is_attribute_name(std::string_view name) {
  return !name.empty() && name.size() <= 200 && name.front() != '.' &&
         std::all_of(name.begin(), name.end(), [](char c) {
           return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '-' ||
                  c == '_' || c == '.' || c == ':' || c == '#';
         });
}

bool is_attribute_value(std::string_view value) {
  return value.size() <= 4096 &&
         value.find_first_of(std::string_view("\0\n\r", 3)) == std::string_view::npos;
}

std::string promotion_attribute(std::string_view instance, bool globally_unique) {
  std::string_view name = instance;
  if (!globally_unique) {
    std::size_t colon = name.rfind(':');
    if (colon != std::string_view::npos && colon + 1 < name.size() &&
        std::all_of(name.begin() + static_cast<std::ptrdiff_t>(colon) + 1, name.end(), is_digit)) {
      name = name.substr(0, colon);
    }
  }
  return "master-" + std::string(name);
}

Result<AttributeCommand> parse_attribute_command(std::string_view tool,
                                                 const std::vector<std::string>& args,
                                                 const std::map<std::string, std::string>& env) {
  if (tool == "crm_attribute") return parse_crm_attribute(tool, args, env, false);
  if (tool == "crm_master") return parse_crm_attribute(tool, args, env, true);
  if (tool == "attrd_updater") return parse_attrd_updater(tool, args);
  if (tool == "crm_node") {
    if (args.size() == 1 && (args[0] == "-n" || args[0] == "--name")) {
      return AttributeCommand{
          AttributeOp::kPrintNodeName, "", "", std::nullopt, std::nullopt, false, "crm_node"};
    }
    return fail("crm_node: Tandem's crm_node only answers -n (this node's name)");
  }
  return fail(quote(tool) +
              " is not a command this helper provides (crm_attribute, crm_master, attrd_updater, "
              "crm_node)");
}

}  // namespace tandem::executor
