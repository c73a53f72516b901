#include "common/io/token_file.h"

#include <cstdio>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <unistd.h>

namespace tandem::io {
namespace {

// A file in the test's temporary directory, removed afterwards.
class TokenFile {
 public:
  explicit TokenFile(const std::string& content)
      : path_(testing::TempDir() + "token-" + std::to_string(::getpid()) + "-" +
              std::to_string(counter_++)) {
    std::ofstream(path_, std::ios::binary) << content;
  }
  ~TokenFile() { std::remove(path_.c_str()); }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

TEST(TokenFile, trailing_line_breaks_and_spaces_are_not_part_of_the_token) {
  TokenFile file("s3cret \r\n");
  auto token = read_token_file(file.path());
  ASSERT_TRUE(token) << token.error().message;
  EXPECT_EQ(*token, "s3cret");
}

TEST(TokenFile, an_empty_file_is_refused_by_name) {
  TokenFile file("\n");
  auto token = read_token_file(file.path());
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "--token-file " + file.path() + ": the file is empty");
}

TEST(TokenFile, a_file_over_4096_bytes_is_refused) {
  TokenFile file(std::string(4097, 'x'));
  auto token = read_token_file(file.path());
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message, "--token-file " + file.path() + ": longer than 4096 bytes");
}

TEST(TokenFile, a_missing_file_is_named) {
  auto token = read_token_file("/nonexistent/tandem-token");
  ASSERT_FALSE(token);
  EXPECT_EQ(token.error().message,
            "--token-file /nonexistent/tandem-token: cannot open for reading");
}

}  // namespace
}  // namespace tandem::io
