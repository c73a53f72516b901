// How Pacemaker ids become Kubernetes names.

#include "operator/cib/kube_names.h"

#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/core/text.h"

namespace tandem::cib {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Pair;

TEST(KubernetesName, lower_cases_and_turns_underscores_into_dashes) {
  EXPECT_EQ(kubernetes_name("IPaddr_192_168_1_101", "resource"), "ipaddr-192-168-1-101");
  EXPECT_EQ(kubernetes_name("DcIPaddr", "resource"), "dcipaddr");
}

TEST(KubernetesName, turns_every_other_character_into_a_dash) {
  EXPECT_EQ(kubernetes_name("rsc:0", "resource"), "rsc-0");
  EXPECT_EQ(kubernetes_name("a b/c@d", "resource"), "a-b-c-d");
  EXPECT_EQ(kubernetes_name("caf\xc3\xa9", "resource"), "caf");
}

TEST(KubernetesName, keeps_dots_but_trims_every_label_and_drops_empty_ones) {
  EXPECT_EQ(kubernetes_name("pcmk-1.example.com", "node"), "pcmk-1.example.com");
  EXPECT_EQ(kubernetes_name("_a_.-b-..c_", "node"), "a.b.c");
  EXPECT_EQ(kubernetes_name(".web.", "node"), "web");
}

TEST(KubernetesName, uses_the_fallback_when_nothing_is_left) {
  EXPECT_EQ(kubernetes_name("___", "resource"), "resource");
  EXPECT_EQ(kubernetes_name("", "node"), "node");
  EXPECT_EQ(kubernetes_name("..", "constraint"), "constraint");
}

TEST(KubernetesName, cuts_long_ids_and_leaves_room_for_a_suffix) {
  const std::string name = kubernetes_name(std::string(300, 'a') + "_b", "resource");
  EXPECT_EQ(name.size(), 240u);
  EXPECT_TRUE(is_kubernetes_name(name + "-99"));
  // A cut that ends on a dash or a dot moves back to the last letter.
  EXPECT_EQ(kubernetes_name(std::string(239, 'a') + "_b", "resource"), std::string(239, 'a'));
}

TEST(KubernetesName, always_gives_a_name_that_tandem_and_kubernetes_accept) {
  for (std::string id : {"A", "_", "-x-", "a..b", "A.-B", "1_2", "x.Y_z.", "\t\n", "\xff\xfe"}) {
    const std::string name = kubernetes_name(id, "resource");
    EXPECT_TRUE(is_kubernetes_name(name)) << quote(id) << " -> " << quote(name);
    EXPECT_TRUE(is_dns_subdomain(name)) << quote(id) << " -> " << quote(name);
  }
}

TEST(IsKubernetesName, wants_every_label_to_start_and_end_with_a_letter_or_digit) {
  EXPECT_TRUE(is_kubernetes_name("web"));
  EXPECT_TRUE(is_kubernetes_name("db-1.site-a"));
  EXPECT_FALSE(is_kubernetes_name("a.-b"));  // Tandem's looser check accepts this one
  EXPECT_FALSE(is_kubernetes_name("a..b"));
  EXPECT_FALSE(is_kubernetes_name("Web"));
  EXPECT_FALSE(is_kubernetes_name("web_1"));
  EXPECT_FALSE(is_kubernetes_name(""));
  EXPECT_FALSE(is_kubernetes_name(std::string(254, 'a')));
}

TEST(NameTable, keeps_valid_ids_and_renames_the_others) {
  NameTable table({"web", "IPaddr_5", "db.primary"}, "resource");
  EXPECT_EQ(table.name("web"), "web");
  EXPECT_EQ(table.name("IPaddr_5"), "ipaddr-5");
  EXPECT_EQ(table.name("db.primary"), "db.primary");
  EXPECT_TRUE(table.renames_any());
  EXPECT_THAT(table.renamed(), ElementsAre(Pair("IPaddr_5", "ipaddr-5")));
}

TEST(NameTable, a_valid_id_keeps_its_name_even_when_a_clashing_id_comes_first) {
  NameTable table({"Web", "web"}, "resource");
  EXPECT_EQ(table.name("web"), "web");
  EXPECT_EQ(table.name("Web"), "web-2");
}

TEST(NameTable, numbers_clashing_names_in_the_order_the_ids_come) {
  NameTable table({"A_b", "a:B", "A.b", "a_B"}, "resource");
  EXPECT_EQ(table.name("A_b"), "a-b");
  EXPECT_EQ(table.name("a:B"), "a-b-2");
  EXPECT_EQ(table.name("A.b"), "a.b");
  EXPECT_EQ(table.name("a_B"), "a-b-3");
}

TEST(NameTable, a_suffix_skips_names_that_are_already_taken) {
  NameTable table({"X", "x", "x-2"}, "resource");
  EXPECT_EQ(table.name("x"), "x");
  EXPECT_EQ(table.name("x-2"), "x-2");
  EXPECT_EQ(table.name("X"), "x-3");
}

TEST(NameTable, maps_a_repeated_id_once) {
  NameTable table({"Web", "Web", "Web"}, "resource");
  EXPECT_EQ(table.name("Web"), "web");
  EXPECT_THAT(table.entries(), ElementsAre(Pair("Web", "web")));
}

TEST(NameTable, gives_the_same_names_every_time) {
  const std::vector<std::string> ids{"B_1", "b-1", "A", "a", "_", "__"};
  NameTable first(ids, "resource");
  NameTable second(ids, "resource");
  EXPECT_EQ(first.entries(), second.entries());
  EXPECT_EQ(first.name("_"), "resource");
  EXPECT_EQ(first.name("__"), "resource-2");
}

TEST(NameTable, leaves_ids_it_does_not_know_alone) {
  NameTable table({"Web"}, "resource");
  EXPECT_EQ(table.name("Other_1"), "Other_1");
  EXPECT_FALSE(table.contains("Other_1"));
}

TEST(NameTable, renames_nothing_when_every_id_is_valid) {
  NameTable table({"web", "db"}, "resource");
  EXPECT_FALSE(table.renames_any());
  EXPECT_THAT(table.renamed(), IsEmpty());
}

}  // namespace
}  // namespace tandem::cib
