// The authkey: corosync-keygen's format (raw bytes, 128 to 4096 of them)
// and the messages for keys that cannot be used.

#include "sidecar/transport/authkey.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

namespace tandem::transport {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tandem-authkey-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string file(const std::string& name, std::size_t size, mode_t mode = 0400) const {
    std::string path = path_ + "/" + name;
    std::ofstream out(path, std::ios::binary);
    for (std::size_t i = 0; i < size; ++i) out.put(static_cast<char>(i * 7));
    out.close();
    ::chmod(path.c_str(), mode);
    return path;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(AuthKey, a_corosync_keygen_sized_key_loads_with_its_bytes) {
  TempDir dir;
  auto loaded = load_authkey(dir.file("authkey", 256));
  ASSERT_TRUE(loaded) << loaded.error().message;
  ASSERT_EQ(loaded->key.bytes().size(), 256U);
  EXPECT_EQ(loaded->key.bytes()[3], 21);
  EXPECT_FALSE(loaded->warning);
}

TEST(AuthKey, the_smallest_and_largest_keygen_sizes_load) {
  TempDir dir;
  EXPECT_TRUE(load_authkey(dir.file("small", 128)));
  EXPECT_TRUE(load_authkey(dir.file("large", 4096)));
}

TEST(AuthKey, a_key_too_short_is_refused_with_its_size_and_the_fix) {
  TempDir dir;
  std::string path = dir.file("short", 127);
  auto loaded = load_authkey(path);
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message,
            path +
                ": an authkey has 128 to 4096 bytes, this one has 127 (make one with "
                "corosync-keygen -k " +
                path + ")");
}

TEST(AuthKey, a_key_too_long_is_refused) {
  TempDir dir;
  auto loaded = load_authkey(dir.file("long", 4097));
  ASSERT_FALSE(loaded);
  EXPECT_NE(loaded.error().message.find("this one has 4097"), std::string::npos);
}

TEST(AuthKey, a_missing_file_names_the_path_and_the_reason) {
  TempDir dir;
  auto loaded = load_authkey(dir.path() + "/absent");
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message.rfind(dir.path() + "/absent: cannot open the authkey: ", 0), 0U);
}

TEST(AuthKey, a_directory_is_not_a_key) {
  TempDir dir;
  auto loaded = load_authkey(dir.path());
  ASSERT_FALSE(loaded);
  EXPECT_EQ(loaded.error().message, dir.path() + ": the authkey is not a regular file");
}

TEST(AuthKey, a_key_others_may_read_loads_with_a_warning) {
  TempDir dir;
  std::string path = dir.file("open", 256, 0644);
  auto loaded = load_authkey(path);
  ASSERT_TRUE(loaded);
  ASSERT_TRUE(loaded->warning);
  EXPECT_EQ(*loaded->warning, path +
                                  ": the authkey may be read by others than its owner (mode "
                                  "644); corosync-keygen makes it 0400");
}

TEST(AuthKey, a_real_corosync_keygen_key_loads) {
  if (::access("/usr/sbin/corosync-keygen", X_OK) != 0)
    GTEST_SKIP() << "corosync-keygen is not installed";
  TempDir dir;
  std::string path = dir.path() + "/authkey";
  std::string command = "/usr/sbin/corosync-keygen -k " + path + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(command.c_str()), 0);
  auto loaded = load_authkey(path);
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->key.bytes().size(), 256U);
  EXPECT_FALSE(loaded->warning);
}

}  // namespace
}  // namespace tandem::transport
