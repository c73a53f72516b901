#pragma once

// The sidecar's state directory: small files written atomically (a
// temporary file, fsync, rename, fsync of the directory), so a crash leaves
// either the old content or the new, never a torn file.
//
//   ring-seq       the highest ring sequence this node has used (Totem must
//                  never reuse one after a restart)
//   send-epoch     the epoch of the send counter (send_counter.h)
//   status.json    what `tandem-sidecar status` shows (status.h)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/core/result.h"

namespace tandem::transport {

class StateDir {
 public:
  // Creates the directory (mode 0700) if it does not exist.
  static Result<StateDir> open(const std::string& path);
  // For reading only: neither creates nor checks the directory.
  static StateDir existing(std::string path) { return StateDir(std::move(path)); }

  const std::string& path() const { return path_; }
  std::string file(std::string_view name) const { return path_ + "/" + std::string(name); }

  // `durable`: fsync the file and the directory (the ring sequence and the
  // epoch must survive a power cut; the status file need not).
  Result<void> write(std::string_view name, std::string_view content, bool durable) const;
  // nullopt when the file does not exist. Files over `max_size` are refused.
  Result<std::optional<std::string>> read(std::string_view name, std::size_t max_size) const;

  // A decimal number on one line.
  Result<std::optional<std::uint64_t>> read_number(std::string_view name) const;
  Result<void> write_number(std::string_view name, std::uint64_t value) const;

 private:
  explicit StateDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

inline constexpr std::string_view kRingSeqFile = "ring-seq";
inline constexpr std::string_view kSendEpochFile = "send-epoch";
inline constexpr std::string_view kStatusFile = "status.json";

}  // namespace tandem::transport
