#include "sidecar/executor/attribute_store.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/core/text.h"
#include "sidecar/executor/attribute_command.h"
#include "sidecar/executor/directories.h"

namespace tandem::executor {
namespace {

constexpr std::size_t kMaxAttributes = 10000;
constexpr std::size_t kMaxValueBytes = 4096;

std::string errno_text() {
  return std::strerror(errno);
}

}  // namespace

Result<AttributeStore> AttributeStore::open(const std::string& directory, bool create) {
  if (create) {
    auto made = make_directories(directory, 0700);
    if (!made) return tl::unexpected(made.error());
  }
  struct stat st {};
  if (::stat(directory.c_str(), &st) < 0 || !S_ISDIR(st.st_mode)) {
    return fail("the attribute directory " + quote(directory) + " does not exist");
  }
  return AttributeStore(directory);
}

Result<void> AttributeStore::set(const std::string& name, const std::string& value) const {
  if (!is_attribute_name(name)) return fail(quote(name) + " is not a valid attribute name");
  if (!is_attribute_value(value)) return fail("the value of " + quote(name) + " is not valid");
  std::string temporary = directory_ + "/.tmp." + std::to_string(::getpid()) + "." + name;
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return fail("cannot write " + quote(temporary) + ": " + errno_text());
  std::size_t written = 0;
  while (written < value.size()) {
    ssize_t n = ::write(fd, value.data() + written, value.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string why = errno_text();
      ::close(fd);
      ::unlink(temporary.c_str());
      return fail("cannot write " + quote(temporary) + ": " + why);
    }
    written += static_cast<std::size_t>(n);
  }
  ::close(fd);
  std::string target = directory_ + "/" + name;
  if (::rename(temporary.c_str(), target.c_str()) < 0) {
    std::string why = errno_text();
    ::unlink(temporary.c_str());
    return fail("cannot store attribute " + quote(name) + ": " + why);
  }
  return {};
}

Result<void> AttributeStore::remove(const std::string& name) const {
  if (!is_attribute_name(name)) return fail(quote(name) + " is not a valid attribute name");
  std::string target = directory_ + "/" + name;
  if (::unlink(target.c_str()) < 0 && errno != ENOENT) {
    return fail("cannot delete attribute " + quote(name) + ": " + errno_text());
  }
  return {};
}

Result<std::optional<std::string>> AttributeStore::get(const std::string& name) const {
  if (!is_attribute_name(name)) return fail(quote(name) + " is not a valid attribute name");
  std::string target = directory_ + "/" + name;
  int fd = ::open(target.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::optional<std::string>();
    return fail("cannot read attribute " + quote(name) + ": " + errno_text());
  }
  std::string value;
  std::array<char, 1024> buffer{};
  while (value.size() <= kMaxValueBytes) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    value.append(buffer.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  if (value.size() > kMaxValueBytes) value.resize(kMaxValueBytes);
  return std::optional<std::string>(std::move(value));
}

Result<std::map<std::string, std::string>> AttributeStore::all() const {
  DIR* dir = ::opendir(directory_.c_str());
  if (dir == nullptr) return fail("cannot list " + quote(directory_) + ": " + errno_text());
  std::map<std::string, std::string> out;
  while (dirent* entry = ::readdir(dir)) {
    std::string name = entry->d_name;
    if (!is_attribute_name(name)) continue;  // ".", "..", temporary files
    if (out.size() >= kMaxAttributes) break;
    auto value = get(name);
    if (value && *value) out.emplace(name, **value);
  }
  ::closedir(dir);
  return out;
}

}  // namespace tandem::executor
