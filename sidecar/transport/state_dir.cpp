#include "sidecar/transport/state_dir.h"

#include <cerrno>
#include <charconv>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sidecar/transport/fd.h"

namespace tandem::transport {
namespace {

std::string error_text() {
  return std::strerror(errno);
}

}  // namespace

Result<StateDir> StateDir::open(const std::string& path) {
  if (path.empty()) return fail("the state directory is empty");
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(path + ": cannot create the state directory: " + error_text());
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return fail(path + ": cannot use the state directory: " + error_text());
  if (!S_ISDIR(st.st_mode)) return fail(path + ": the state directory is not a directory");
  if (::access(path.c_str(), W_OK) != 0)
    return fail(path + ": cannot write to the state directory: " + error_text());
  return StateDir(path);
}

Result<void> StateDir::write(std::string_view name, std::string_view content, bool durable) const {
  std::string target = file(name);
  std::string temporary = target + ".tmp";
  {
    Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (fd.get() < 0) return fail(temporary + ": cannot create: " + error_text());
    std::size_t done = 0;
    // Bounded: each write makes progress or fails.
    while (done < content.size()) {
      ssize_t n = ::write(fd.get(), content.data() + done, content.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return fail(temporary + ": cannot write: " + error_text());
      done += static_cast<std::size_t>(n);
    }
    if (durable && ::fsync(fd.get()) != 0)
      return fail(temporary + ": cannot sync: " + error_text());
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0)
    return fail(target + ": cannot replace: " + error_text());
  if (durable) {
    Fd dir(::open(path_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (dir.get() < 0 || ::fsync(dir.get()) != 0)
      return fail(path_ + ": cannot sync the directory: " + error_text());
  }
  return {};
}

Result<std::optional<std::string>> StateDir::read(std::string_view name,
                                                  std::size_t max_size) const {
  std::string target = file(name);
  Fd fd(::open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (fd.get() < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return fail(target + ": cannot open: " + error_text());
  }
  std::string content(max_size + 1, '\0');
  std::size_t have = 0;
  while (have < content.size()) {
    ssize_t n = ::read(fd.get(), content.data() + have, content.size() - have);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(target + ": cannot read: " + error_text());
    if (n == 0) break;
    have += static_cast<std::size_t>(n);
  }
  if (have > max_size)
    return fail(target + ": larger than " + std::to_string(max_size) + " bytes; not a Tandem file");
  content.resize(have);
  return std::optional<std::string>(std::move(content));
}

Result<std::optional<std::uint64_t>> StateDir::read_number(std::string_view name) const {
  auto text = read(name, 64);
  if (!text) return tl::unexpected(text.error());
  if (!*text) return std::optional<std::uint64_t>();
  std::string_view v = **text;
  while (!v.empty() && (v.back() == '\n' || v.back() == ' ')) v.remove_suffix(1);
  std::uint64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (v.empty() || ec != std::errc{} || end != v.data() + v.size())
    return fail(file(name) +
                ": expected a whole number; the file is damaged (it is written by "
                "tandem-sidecar only)");
  return std::optional<std::uint64_t>(out);
}

Result<void> StateDir::write_number(std::string_view name, std::uint64_t value) const {
  return write(name, std::to_string(value) + "\n", true);
}

}  // namespace tandem::transport
