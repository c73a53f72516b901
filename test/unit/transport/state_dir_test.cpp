// The state directory: atomic writes, numbers read back, damaged files
// named.

#include "sidecar/transport/state_dir.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

namespace tandem::transport {
namespace {

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "tandem-state-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

TEST(StateDir, a_missing_directory_is_created) {
  TempDir dir;
  auto state = StateDir::open(dir.path() + "/membership");
  ASSERT_TRUE(state) << state.error().message;
  EXPECT_TRUE(std::filesystem::is_directory(dir.path() + "/membership"));
}

TEST(StateDir, a_file_in_place_of_the_directory_is_refused) {
  TempDir dir;
  std::ofstream(dir.path() + "/file") << "x";
  auto state = StateDir::open(dir.path() + "/file");
  ASSERT_FALSE(state);
  EXPECT_EQ(state.error().message, dir.path() + "/file: the state directory is not a directory");
}

TEST(StateDir, a_number_written_reads_back_and_leaves_no_temporary_file) {
  TempDir dir;
  auto state = StateDir::open(dir.path());
  ASSERT_TRUE(state);
  ASSERT_TRUE(state->write_number(kRingSeqFile, 1234567890123ULL));
  auto back = state->read_number(kRingSeqFile);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, 1234567890123ULL);
  EXPECT_FALSE(std::filesystem::exists(state->file(kRingSeqFile) + ".tmp"));
}

TEST(StateDir, a_missing_number_is_nullopt) {
  TempDir dir;
  auto state = StateDir::open(dir.path());
  ASSERT_TRUE(state);
  auto back = state->read_number(kRingSeqFile);
  ASSERT_TRUE(back);
  EXPECT_FALSE(*back);
}

TEST(StateDir, a_damaged_number_is_refused_naming_the_file) {
  TempDir dir;
  auto state = StateDir::open(dir.path());
  ASSERT_TRUE(state);
  std::ofstream(state->file(kRingSeqFile)) << "12x\n";
  auto back = state->read_number(kRingSeqFile);
  ASSERT_FALSE(back);
  EXPECT_EQ(back.error().message,
            state->file(kRingSeqFile) +
                ": expected a whole number; the file is damaged (it is written by tandem-sidecar "
                "only)");
}

TEST(StateDir, an_oversized_file_is_refused) {
  TempDir dir;
  auto state = StateDir::open(dir.path());
  ASSERT_TRUE(state);
  std::ofstream(state->file(kRingSeqFile)) << std::string(100, '1');
  EXPECT_FALSE(state->read_number(kRingSeqFile));
}

}  // namespace
}  // namespace tandem::transport
