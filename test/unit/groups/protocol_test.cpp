// The local socket's requests and what is written back: malformed input
// gets an error naming what is wrong, never anything worse.

#include "sidecar/groups/protocol.h"

#include <gtest/gtest.h>

namespace tandem::groups {
namespace {

std::string problem(std::string_view line) {
  auto parsed = parse_request(line);
  return parsed ? "parsed" : parsed.error().message;
}

TEST(GroupProtocol, requests_are_read_with_their_id) {
  auto join = parse_request(R"({"op":"join","group":"g","id":7})");
  ASSERT_TRUE(join);
  EXPECT_EQ(join->op, Op::kJoin);
  EXPECT_EQ(join->group, "g");
  EXPECT_EQ(join->id_json, "7");
  auto send = parse_request(R"({"id":"a","op":"mcast","group":"g","data":"x\u00e9\n"})");
  ASSERT_TRUE(send);
  EXPECT_EQ(send->data, "x\xc3\xa9\n");
  EXPECT_EQ(send->id_json, "\"a\"");
  EXPECT_TRUE(parse_request(R"({"op":"members","group":"g"})"));
  EXPECT_TRUE(parse_request(R"({"op":"leave","group":"g"})"));
}

TEST(GroupProtocol, malformed_requests_are_refused_with_what_is_wrong) {
  EXPECT_EQ(problem("join g"),
            "not JSON: parse error at line 1, column 1: syntax error while parsing value - "
            "invalid literal; last read: 'j'");
  EXPECT_EQ(problem("[1]"), "a request is a JSON object, not array");
  EXPECT_EQ(problem("{}"), "\"op\" is missing (join, leave, mcast or members)");
  EXPECT_EQ(problem(R"({"op":1})"), "\"op\" must be a string, not number");
  EXPECT_EQ(problem(R"({"op":"send","group":"g"})"),
            "unknown op \"send\" (join, leave, mcast or members)");
  EXPECT_EQ(problem(R"({"op":"join"})"), "\"group\" is missing");
  EXPECT_EQ(problem(R"({"op":"join","group":["g"]})"), "\"group\" must be a string, not array");
  EXPECT_EQ(problem(R"({"op":"join","group":""})"), "\"group\": a group name must not be empty");
  EXPECT_EQ(problem(R"({"op":"join","group":"g","data":"x"})"),
            "unknown field \"data\" for op join");
  EXPECT_EQ(problem(R"({"op":"mcast","group":"g"})"), "\"data\" is missing");
  EXPECT_EQ(problem(R"({"op":"mcast","group":"g","data":5})"),
            "\"data\" must be a string, not number");
  EXPECT_EQ(problem(R"({"op":"join","group":"g","id":1.5})"),
            "\"id\" must be a string or an integer, not number");
  std::string big =
      R"({"op":"mcast","group":"g","data":")" + std::string(kMaxMessageData + 1, 'x') + "\"}";
  EXPECT_EQ(problem(big), "\"data\" has 32769 bytes, at most 32768 allowed");
  EXPECT_EQ(problem("{\"op\":\"join\",\"group\":\"\xff\"}").substr(0, 8), "not JSON");
}

TEST(GroupProtocol, an_error_reply_echoes_the_op_and_id_it_could_read) {
  auto parsed = parse_request(R"({"op":"join","id":3})");
  ASSERT_FALSE(parsed);
  EXPECT_EQ(
      error_line(parsed.error().op, parsed.error().id_json, "invalid", parsed.error().message),
      "{\"type\":\"error\",\"op\":\"join\",\"id\":3,\"code\":\"invalid\",\"error\":"
      "\"\\\"group\\\" is missing\"}\n");
  EXPECT_EQ(error_line("", "", "too_slow", "x"),
            "{\"type\":\"error\",\"code\":\"too_slow\",\"error\":\"x\"}\n");
}

TEST(GroupProtocol, replies_and_events_are_one_line_each) {
  Request request{Op::kMembers, "g", "", "\"q\""};
  EXPECT_EQ(members_line(request, {1, 0x2c}, true, {Member{{1, 2}, 300}}),
            "{\"type\":\"ok\",\"op\":\"members\",\"group\":\"g\",\"id\":\"q\",\"ring\":\"1.2c\","
            "\"synchronized\":true,\"members\":[{\"node\":1,\"client\":2,\"pid\":300}]}\n");
  EXPECT_EQ(ok_line(Request{Op::kJoin, "g", "", ""}),
            "{\"type\":\"ok\",\"op\":\"join\",\"group\":\"g\"}\n");
  EXPECT_EQ(hello_line(2, 5, 77), "{\"type\":\"hello\",\"node\":2,\"client\":5,\"pid\":77}\n");
  // Data that is not UTF-8 (a peer's bug) is written with replacement
  // characters rather than failing.
  ClientEvent message = MessageEvent{"g", {1, 1}, 3, Member{{1, 1}, 1}, "a\nb\xff"};
  EXPECT_EQ(event_line(message),
            "{\"type\":\"message\",\"group\":\"g\",\"ring\":\"1.1\",\"seq\":3,\"sender\":"
            "{\"node\":1,\"client\":1,\"pid\":1},\"data\":\"a\\nb\xef\xbf\xbd\"}\n");
}

}  // namespace
}  // namespace tandem::groups
