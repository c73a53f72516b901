// A table of bad inputs, one file each under test/data/bad-manifests. Every
// file starts with the exact messages it must produce:
//
//   # expect: web.yaml: HAResource default/web: spec.x: unknown field
//
// and is read as "web.yaml", alone, through the decoder and the validator.
// test/data/good-manifests holds inputs that must produce no message at all.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "test/unit/support.h"

namespace tandem::manifest {
namespace {

namespace fs = std::filesystem;

std::vector<fs::path> cases(const char* folder) {
  std::vector<fs::path> files;
  for (const auto& entry :
       fs::directory_iterator(fs::path(TANDEM_SOURCE_DIR) / "test/data" / folder)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::vector<std::string> expected_messages(const std::string& text) {
  std::vector<std::string> messages;
  std::istringstream lines(text);
  const std::string marker = "# expect: ";
  for (std::string line; std::getline(lines, line);) {
    if (line.starts_with(marker)) messages.push_back(line.substr(marker.size()));
  }
  return messages;
}

std::string test_name(const ::testing::TestParamInfo<fs::path>& info) {
  std::string name = info.param.stem().string();
  std::replace_if(
      name.begin(), name.end(), [](char c) { return !std::isalnum(c); }, '_');
  return name;
}

class BadManifest : public ::testing::TestWithParam<fs::path> {};

TEST_P(BadManifest, produces_exactly_the_expected_messages) {
  const std::string text = read(GetParam());
  const auto expected = expected_messages(text);
  ASSERT_FALSE(expected.empty()) << GetParam() << " has no '# expect: ' lines";
  EXPECT_THAT(testing::check(text).messages, ::testing::ElementsAreArray(expected));
}

INSTANTIATE_TEST_SUITE_P(Table, BadManifest, ::testing::ValuesIn(cases("bad-manifests")),
                         test_name);

class GoodManifest : public ::testing::TestWithParam<fs::path> {};

TEST_P(GoodManifest, produces_no_message) {
  EXPECT_THAT(testing::check(read(GetParam())).messages, ::testing::IsEmpty());
}

INSTANTIATE_TEST_SUITE_P(Table, GoodManifest, ::testing::ValuesIn(cases("good-manifests")),
                         test_name);

}  // namespace
}  // namespace tandem::manifest
