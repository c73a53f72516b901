#include "sidecar/agent/process_killer.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <fstream>
#include <memory>

#include <dirent.h>
#include <unistd.h>

#include "sidecar/executor/process_supervisor.h"

namespace tandem::agent {
namespace {

// /proc holds at most pid_max entries; this bounds a scan regardless.
constexpr std::size_t kMaxProcEntries = 1 << 22;
// Environments larger than this are not ours (agents get a few dozen
// variables); reading stops there.
constexpr std::size_t kMaxEnvironment = 1 << 20;

bool environment_has(pid_t pid, const std::vector<std::string>& entries) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/environ", std::ios::binary);
  if (!in) return false;
  std::string text(kMaxEnvironment, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<std::size_t>(in.gcount()));
  std::size_t found = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\0', start);
    if (end == std::string::npos) end = text.size();
    std::string_view entry(text.data() + start, end - start);
    if (std::find(entries.begin(), entries.end(), entry) != entries.end()) ++found;
    start = end + 1;
  }
  return found >= entries.size();
}

}  // namespace

std::vector<pid_t> kill_by_environment(const std::vector<std::string>& entries) {
  std::vector<pid_t> killed;
  if (entries.empty()) return killed;
  std::unique_ptr<DIR, int (*)(DIR*)> dir(::opendir("/proc"), ::closedir);
  if (!dir) return killed;
  const pid_t self = ::getpid();
  std::size_t seen = 0;
  while (const dirent* entry = ::readdir(dir.get())) {
    if (++seen > kMaxProcEntries) break;
    char* end = nullptr;
    long pid = std::strtol(entry->d_name, &end, 10);
    if (end == entry->d_name || *end != '\0' || pid <= 0 || pid == self) continue;
    if (!environment_has(static_cast<pid_t>(pid), entries)) continue;
    if (::kill(static_cast<pid_t>(pid), SIGKILL) == 0) killed.push_back(static_cast<pid_t>(pid));
  }
  return killed;
}

std::string kill_resource(const model::HAResource& resource, const std::string& instance,
                          std::optional<int> clone_instance, const executor::RunnerConfig& runner,
                          const executor::Clock& clock) {
  std::string text;
  if (resource.spec.agent.process) {
    executor::ProcessSupervisor supervisor(runner.state_dir, runner.output_limit, clock);
    if (auto record = supervisor.running(executor::supervised_name(resource, clone_instance))) {
      // The supervised process leads its own group.
      ::kill(-record->pid, SIGKILL);
      text = "killed process group " + std::to_string(record->pid);
    }
  }
  std::vector<std::string> marks{"OCF_RESOURCE_INSTANCE=" + instance};
  // Only this sidecar's agents: several sidecars may share a machine.
  if (!runner.node.attribute_dir.empty())
    marks.push_back("TANDEM_ATTRIBUTE_DIR=" + runner.node.attribute_dir);
  std::vector<pid_t> pids = kill_by_environment(marks);
  if (!pids.empty()) {
    text += text.empty() ? "killed" : ", and";
    text += " " + std::to_string(pids.size()) + " agent process(es):";
    for (pid_t pid : pids) text += " " + std::to_string(pid);
  }
  return text.empty() ? "found no process of it to kill" : text;
}

}  // namespace tandem::agent
