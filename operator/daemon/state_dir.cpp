#include "operator/daemon/state_dir.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <unistd.h>

namespace tandem::operator_daemon {
namespace {

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

Result<void> write_atomically(const std::string& path, const std::string& content) {
  const std::string temp = path + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return fail(temp + ": cannot create: " + errno_text());
  std::size_t written = 0;
  // Each write makes progress or fails, so the loop ends.
  while (written < content.size()) {
    const ssize_t n = ::write(fd, content.data() + written, content.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      const std::string why = errno_text();
      ::close(fd);
      return fail(temp + ": cannot write: " + why);
    }
    written += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return fail(temp + ": cannot flush: " + errno_text());
  if (std::rename(temp.c_str(), path.c_str()) != 0)
    return fail(path + ": cannot replace: " + errno_text());
  return {};
}

Result<std::uint64_t> next_incarnation(const std::string& state_dir) {
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec) return fail("--state-dir " + state_dir + ": cannot create: " + ec.message());
  const std::string path = state_dir + "/incarnation";
  std::uint64_t value = 0;
  std::ifstream in(path);
  if (in) {
    std::string text;
    std::getline(in, text);
    auto [ptr, parse_error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (parse_error != std::errc() || ptr != text.data() + text.size())
      return fail(path + ": expected a number, found '" + text.substr(0, 40) + "'");
  }
  ++value;
  if (auto written = write_atomically(path, std::to_string(value) + "\n"); !written)
    return fail(written.error().message);
  return value;
}

}  // namespace tandem::operator_daemon
