#include "sidecar/agent/watchdog.h"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <linux/watchdog.h>
#include <sys/ioctl.h>
#include <unistd.h>

namespace tandem::agent {

Result<std::unique_ptr<Watchdog>> Watchdog::open(const std::string& path,
                                                 std::chrono::seconds timeout) {
  if (timeout.count() < 1) return fail("the watchdog timeout must be at least 1 s");
  // Opening a watchdog device arms it.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0)
    return fail("--watchdog " + path + ": cannot open it: " + std::strerror(errno) +
                (errno == ENOENT ? " (load a watchdog driver, e.g. modprobe softdog)" : ""));
  auto watchdog = std::unique_ptr<Watchdog>(new Watchdog(fd, path, timeout));
  int seconds = static_cast<int>(timeout.count());
  if (::ioctl(fd, WDIOC_SETTIMEOUT, &seconds) == 0) {
    int taken = 0;
    if (::ioctl(fd, WDIOC_GETTIMEOUT, &taken) == 0 && taken > 0) seconds = taken;
    if (seconds > timeout.count())
      return fail("--watchdog " + path + ": the device took a timeout of " +
                  std::to_string(seconds) + " s, longer than the " +
                  std::to_string(timeout.count()) + " s asked for");
    watchdog->timeout_ = std::chrono::seconds(seconds);
  } else if (errno != ENOTTY) {
    return fail("--watchdog " + path + ": cannot set its timeout: " + std::strerror(errno));
  }
  if (auto fed = watchdog->feed(); !fed) return tl::unexpected(fed.error());
  return watchdog;
}

Watchdog::~Watchdog() {
  if (fd_ < 0) return;
  // The magic close: the device stops counting instead of resetting.
  [[maybe_unused]] ssize_t n = ::write(fd_, "V", 1);
  ::close(fd_);
}

Result<void> Watchdog::feed() {
  if (::write(fd_, "\0", 1) != 1)
    return fail("--watchdog " + path_ + ": cannot feed it: " + std::strerror(errno));
  return {};
}

}  // namespace tandem::agent
