#pragma once

// `promtool check metrics` (Debian's prometheus package) on an exposition:
// the parser and linter Prometheus' own tooling uses.

#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace tandem::testing {

struct PromtoolVerdict {
  int exit_status = 0;
  std::string output;  // what it found, one problem a line
};

// nullopt when promtool is not installed.
inline std::optional<PromtoolVerdict> promtool_check(const std::string& text) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) return std::nullopt;
  char path[] = "/tmp/tandem-promtool-XXXXXX";
  const int fd = ::mkstemp(path);
  if (fd < 0) return PromtoolVerdict{-1, "cannot make a temporary file"};
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  PromtoolVerdict verdict;
  if (!written) {
    ::unlink(path);
    return PromtoolVerdict{-1, "cannot write the temporary file"};
  }
  const std::string command = std::string("promtool check metrics < ") + path + " 2>&1";
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) verdict.output.append(buffer, n);
    const int status = ::pclose(pipe);
    verdict.exit_status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  } else {
    verdict = PromtoolVerdict{-1, "cannot run promtool"};
  }
  ::unlink(path);
  return verdict;
}

}  // namespace tandem::testing
