// The embedded store: resource versions, the generation, and an invalid
// edit keeping the last valid set.

#include "operator/store/store.h"

#include <filesystem>
#include <fstream>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "operator/store/versions.h"
#include "test/unit/reconcile/fake_cluster.h"

namespace tandem::store {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("tandem-store-test-" + std::to_string(::getpid()) + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  void write(const std::string& name, const std::string& text) const {
    std::ofstream(path_ / name) << text;
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(Versions, an_unchanged_object_keeps_its_resource_version_and_a_changed_one_gets_a_new_one) {
  std::uint64_t counter = 0;
  model::Manifests first = testing::normalized(testing::three_nodes() + testing::primitive("a") +
                                               testing::primitive("b"));
  model::Manifests none;
  EXPECT_TRUE(assign_versions(none, first, counter));
  model::Manifests second = testing::normalized(testing::three_nodes() + testing::primitive("a") +
                                                testing::primitive("b", "  params: {x: \"1\"}\n"));
  EXPECT_TRUE(assign_versions(first, second, counter));
  EXPECT_EQ(second.resources[0].metadata.resource_version,
            first.resources[0].metadata.resource_version);
  EXPECT_NE(second.resources[1].metadata.resource_version,
            first.resources[1].metadata.resource_version);
  EXPECT_EQ(second.resources[1].metadata.generation, 2);
  model::Manifests third = second;
  EXPECT_FALSE(assign_versions(second, third, counter));
}

TEST(Store, an_invalid_edit_is_reported_and_the_last_valid_set_stays) {
  TempDir dir;
  dir.write("cluster.yaml", testing::three_nodes() + testing::primitive("web"));
  ManifestStore store(dir.path());
  RefreshResult first = store.refresh();
  ASSERT_TRUE(first.changed) << (first.messages.empty() ? "" : first.messages[0]);
  ASSERT_NE(store.snapshot(), nullptr);
  EXPECT_EQ(store.snapshot()->generation, 1);
  EXPECT_FALSE(store.refresh().changed);  // nothing changed on disk

  dir.write("bad.yaml",
            "apiVersion: tandem.dev/v1alpha1\nkind: HAResource\nmetadata: {name: x}\n"
            "spec: {agent: {}}\n");
  RefreshResult bad = store.refresh();
  EXPECT_TRUE(bad.rejected);
  EXPECT_FALSE(bad.changed);
  EXPECT_FALSE(bad.messages.empty());
  EXPECT_EQ(store.snapshot()->generation, 1);
  EXPECT_EQ(store.snapshot()->manifests.resources.size(), 1u);

  fs::remove(fs::path(dir.path()) / "bad.yaml");
  dir.write("more.yaml", testing::primitive("db"));
  RefreshResult good = store.refresh();
  EXPECT_TRUE(good.changed);
  EXPECT_EQ(store.snapshot()->generation, 2);
  EXPECT_EQ(store.snapshot()->manifests.resources.size(), 2u);
}

TEST(Store, two_clusters_in_one_directory_are_refused_with_both_named) {
  model::Manifests m = testing::normalized(testing::three_nodes());
  m.nodes.back().metadata.namespace_ = "other";
  std::vector<std::string> messages;
  EXPECT_FALSE(check_operator_scope(m, messages));
  EXPECT_THAT(messages, ::testing::ElementsAre("the manifests hold 2 clusters (namespaces default, "
                                               "other); one operator runs one cluster"));
}

}  // namespace
}  // namespace tandem::store
