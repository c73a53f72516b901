#pragma once

// The machine's watchdog device (/dev/watchdog: softdog, or a VM's
// i6300esb): armed at start with a timeout and fed while the agent's loop
// turns and hears from the membership. A sidecar that freezes (SIGSTOP, a
// hung system call, a livelock) cannot stop its resources, and without a
// fence device the operator counts its node clean after the self-fence
// time: the device resets the machine before that, as sbd's watchdog-only
// mode does. A clean exit disarms it (the magic close).

#include <chrono>
#include <memory>
#include <string>

#include "common/core/result.h"

namespace tandem::agent {

class Watchdog {
 public:
  // Opens and arms the device with `timeout` (whole seconds, at least 1).
  // A file that is no watchdog device (tests) keeps `timeout` as given.
  static Result<std::unique_ptr<Watchdog>> open(const std::string& path,
                                                std::chrono::seconds timeout);
  ~Watchdog();
  Watchdog(const Watchdog&) = delete;
  Watchdog& operator=(const Watchdog&) = delete;

  Result<void> feed();
  // What the device took (it may round).
  std::chrono::seconds timeout() const { return timeout_; }
  const std::string& path() const { return path_; }

 private:
  Watchdog(int fd, std::string path, std::chrono::seconds timeout)
      : fd_(fd), path_(std::move(path)), timeout_(timeout) {}

  int fd_ = -1;
  std::string path_;
  std::chrono::seconds timeout_;
};

}  // namespace tandem::agent
