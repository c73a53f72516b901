#include "sidecar/membership/corosync_conf.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>
#include <set>

namespace tandem::membership {
namespace {

// corosync's own parser nests no deeper than this in practice; the bound
// keeps hostile input from growing the section stack.
constexpr std::size_t kMaxDepth = 8;
constexpr std::size_t kMaxErrors = 50;
// Milliseconds: corosync keeps its timers in 32-bit values.
constexpr std::uint64_t kMaxMilliseconds = 0x7fffffff;

// Keys corosync accepts that have no effect here (transport details, knet
// tuning, redundant rings): accepted without a warning.
constexpr std::array kIgnoredTotemKeys = {"version",
                                          "transport",
                                          "crypto_model",
                                          "ip_version",
                                          "link_mode",
                                          "rrp_mode",
                                          "threads",
                                          "clear_node_high_bit",
                                          "vsftype",
                                          "nodeid",
                                          "heartbeat_failures_allowed",
                                          "knet_pmtud_interval",
                                          "knet_compression_model",
                                          "knet_compression_threshold",
                                          "knet_compression_level",
                                          "knet_mtu",
                                          "block_unlisted_ips",
                                          "cancel_token_hold_on_retransmit",
                                          "config_version",
                                          "max_network_delay_ms",
                                          "interface"};
constexpr std::array kIgnoredLoggingKeys = {
    "fileline",         "function_name", "syslog_facility",  "syslog_priority",
    "logfile_priority", "blackbox",      "timestamp_format", "logger_subsys"};

template <std::size_t N>
bool listed(const std::array<const char*, N>& keys, std::string_view key) {
  return std::any_of(keys.begin(), keys.end(), [&](const char* k) { return key == k; });
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

// Echoes of the input in messages stay short and printable.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
  if (s.size() > 64) out += "...";
  return out + "\"";
}

class Parser {
 public:
  explicit Parser(std::string_view file) : file_(file) {}

  Result<CorosyncConf> run(std::string_view text);

 private:
  struct Section {
    std::string name;
    std::size_t line = 0;
  };
  struct NodeDraft {
    std::size_t line = 0;
    std::optional<std::uint32_t> id;
    std::optional<std::string> name;
    std::optional<std::string> address;
    std::uint32_t votes = 1;
  };

  void line(std::string_view text);
  void open(std::string_view name);
  void close();
  void value(std::string_view key, std::string_view value);
  void totem(std::string_view key, std::string_view value);
  void node(std::string_view key, std::string_view value);
  void quorum(std::string_view key, std::string_view value);
  void logging(std::string_view key, std::string_view value);
  void finish();

  std::string where() const { return std::string(file_) + ":" + std::to_string(line_); }
  std::string path() const;
  void error(const std::string& text) {
    if (errors_.size() < kMaxErrors) errors_.push_back(where() + ": " + text);
  }
  void warn(const std::string& text) {
    if (conf_.warnings.size() < kMaxErrors) conf_.warnings.push_back(where() + ": " + text);
  }
  void unknown_key(std::string_view key) {
    warn("unknown key " + quoted(key) + " in section " + path() + "; ignored");
  }

  std::optional<std::uint64_t> number(std::string_view key, std::string_view value,
                                      std::uint64_t max);
  std::optional<Duration> milliseconds(std::string_view key, std::string_view value);
  std::optional<std::int32_t> count(std::string_view key, std::string_view value);
  std::optional<bool> boolean(std::string_view key, std::string_view value);

  std::string_view file_;
  std::size_t line_ = 0;
  std::vector<Section> sections_;
  std::optional<NodeDraft> node_;
  std::vector<NodeDraft> nodes_;
  bool saw_provider_ = false;
  bool saw_quorum_ = false;
  // secauth implies aes256 and sha256 only where crypto_cipher and
  // crypto_hash are not set.
  bool cipher_set_ = false;
  bool hash_set_ = false;
  bool secauth_ = false;
  CorosyncConf conf_;
  std::vector<std::string> errors_;
};

std::string Parser::path() const {
  std::string out;
  for (const Section& s : sections_) out += (out.empty() ? "" : ".") + s.name;
  return out.empty() ? "(top level)" : out;
}

Result<CorosyncConf> Parser::run(std::string_view text) {
  if (text.size() > kMaxCorosyncConfSize)
    return fail(std::string(file_) + ": the file has " + std::to_string(text.size()) +
                " bytes, more than the " + std::to_string(kMaxCorosyncConfSize) +
                " a corosync.conf may have");
  while (!text.empty()) {
    ++line_;
    std::size_t end = text.find('\n');
    line(text.substr(0, end));
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
  }
  finish();
  if (!errors_.empty()) {
    std::string all;
    for (const std::string& e : errors_) all += (all.empty() ? "" : "\n") + e;
    return fail(all);
  }
  return std::move(conf_);
}

void Parser::line(std::string_view raw) {
  if (raw.find('\0') != std::string_view::npos) {
    error("the line contains a NUL byte");
    return;
  }
  std::string_view text = trim(raw);
  if (text.empty() || text.front() == '#') return;
  if (text == "}") {
    close();
    return;
  }
  if (text.back() == '{') {
    open(trim(text.substr(0, text.size() - 1)));
    return;
  }
  std::size_t colon = text.find(':');
  if (colon == std::string_view::npos) {
    error("expected \"key: value\", \"section {\" or \"}\", got " + quoted(text));
    return;
  }
  std::string_view key = trim(text.substr(0, colon));
  if (key.empty()) {
    error("a value without a key: " + quoted(text));
    return;
  }
  value(key, trim(text.substr(colon + 1)));
}

void Parser::open(std::string_view name) {
  if (name.empty() || name.find_first_of(" \t:{}") != std::string_view::npos) {
    error("a section needs a one-word name before \"{\", got " + quoted(name));
    name = "(unnamed)";
  }
  if (sections_.size() >= kMaxDepth) {
    error("sections nest deeper than " + std::to_string(kMaxDepth) + " levels");
    return;
  }
  std::string parent = sections_.empty() ? "" : path();
  sections_.push_back(Section{std::string(name), line_});
  if (parent.empty()) {
    if (name == "quorum") saw_quorum_ = true;
    if (name != "totem" && name != "nodelist" && name != "quorum" && name != "logging" &&
        name != "system" && name != "resources")
      warn("unknown section " + quoted(name) + "; ignored");
  } else if (parent == "nodelist") {
    if (name == "node") {
      node_ = NodeDraft{line_, {}, {}, {}, 1};
    } else {
      warn("unknown section " + quoted(name) + " in nodelist; ignored");
    }
  } else if (parent == "quorum" && name == "device") {
    warn("quorum.device (a quorum device) is not supported; ignored");
  }
}

void Parser::close() {
  if (sections_.empty()) {
    error("\"}\" without a section to close");
    return;
  }
  if (path() == "nodelist.node" && node_) {
    nodes_.push_back(*node_);
    node_.reset();
  }
  sections_.pop_back();
}

void Parser::value(std::string_view key, std::string_view value) {
  if (sections_.empty()) {
    warn("key " + quoted(key) + " outside any section; ignored");
    return;
  }
  const std::string p = path();
  if (p == "totem") {
    totem(key, value);
  } else if (p == "nodelist.node") {
    node(key, value);
  } else if (p == "quorum") {
    quorum(key, value);
  } else if (p == "logging") {
    logging(key, value);
  } else if (p == "nodelist") {
    unknown_key(key);
  } else if (p == "totem.interface" && key == "mcastport") {
    if (auto v = number(key, value, 65535)) {
      if (*v == 0) {
        error("totem.interface.mcastport: 0 is not a port");
      } else {
        conf_.membership.port = static_cast<std::int32_t>(*v);
      }
    }
  }
  // Other sections (totem.interface, logging.logger_subsys, system,
  // resources, quorum.device and unknown ones) were accepted or warned
  // about when they opened.
}

std::optional<std::uint64_t> Parser::number(std::string_view key, std::string_view value,
                                            std::uint64_t max) {
  std::uint64_t out = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), out);
  if (value.empty() || ec != std::errc{} || end != value.data() + value.size()) {
    error(path() + "." + std::string(key) + ": expected a whole number, got " + quoted(value));
    return std::nullopt;
  }
  if (out > max) {
    error(path() + "." + std::string(key) + ": " + std::string(value) + " is larger than " +
          std::to_string(max));
    return std::nullopt;
  }
  return out;
}

std::optional<Duration> Parser::milliseconds(std::string_view key, std::string_view value) {
  std::optional<std::uint64_t> n = number(key, value, kMaxMilliseconds);
  if (!n) return std::nullopt;
  return Duration(static_cast<std::int64_t>(*n));
}

std::optional<std::int32_t> Parser::count(std::string_view key, std::string_view value) {
  std::optional<std::uint64_t> n = number(key, value, 0x7fffffff);
  if (!n) return std::nullopt;
  return static_cast<std::int32_t>(*n);
}

std::optional<bool> Parser::boolean(std::string_view key, std::string_view value) {
  std::string v = lowercase(value);
  if (v == "1" || v == "yes" || v == "on" || v == "true") return true;
  if (v == "0" || v == "no" || v == "off" || v == "false") return false;
  error(path() + "." + std::string(key) + ": expected yes/no, on/off or 1/0, got " + quoted(value));
  return std::nullopt;
}

void Parser::totem(std::string_view key, std::string_view value) {
  model::TotemTimings& t = conf_.membership.totem;
  auto set_ms = [&](Duration& field) {
    if (auto v = milliseconds(key, value)) field = *v;
  };
  auto set_optional_ms = [&](std::optional<Duration>& field) {
    if (auto v = milliseconds(key, value)) field = *v;
  };
  auto set_count = [&](std::int32_t& field) {
    if (auto v = count(key, value)) field = *v;
  };
  if (key == "cluster_name") {
    conf_.membership.cluster_name = std::string(value);
  } else if (key == "token") {
    set_ms(t.token);
  } else if (key == "token_coefficient") {
    set_ms(t.token_coefficient);
  } else if (key == "token_retransmits_before_loss_const") {
    set_count(t.token_retransmits_before_loss_const);
  } else if (key == "token_retransmit") {
    set_optional_ms(t.token_retransmit);
  } else if (key == "hold") {
    set_optional_ms(t.hold);
  } else if (key == "join") {
    set_ms(t.join);
  } else if (key == "send_join") {
    set_ms(t.send_join);
  } else if (key == "consensus") {
    set_optional_ms(t.consensus);
  } else if (key == "merge") {
    set_ms(t.merge);
  } else if (key == "downcheck") {
    set_ms(t.downcheck);
  } else if (key == "fail_recv_const") {
    set_count(t.fail_recv_const);
  } else if (key == "seqno_unchanged_const") {
    set_count(t.seqno_unchanged_const);
  } else if (key == "miss_count_const") {
    set_count(t.miss_count_const);
  } else if (key == "window_size") {
    set_count(t.window_size);
  } else if (key == "max_messages") {
    set_count(t.max_messages);
  } else if (key == "max_network_delay") {
    set_ms(t.max_network_delay);
  } else if (key == "token_warning") {
    set_count(t.token_warning);
  } else if (key == "netmtu") {
    set_count(t.netmtu);
  } else if (key == "secauth") {
    if (auto v = boolean(key, value)) secauth_ = *v;
  } else if (key == "crypto_cipher") {
    cipher_set_ = true;
    if (value == "none") {
      conf_.membership.crypto.cipher = model::CryptoCipher::kNone;
    } else if (value == "aes256") {
      conf_.membership.crypto.cipher = model::CryptoCipher::kAes256;
    } else {
      error("totem.crypto_cipher: " + quoted(value) + " is not supported (use none or aes256)");
    }
  } else if (key == "crypto_hash") {
    hash_set_ = true;
    if (value == "none") {
      conf_.membership.crypto.hash = model::CryptoHash::kNone;
    } else if (value == "sha256") {
      conf_.membership.crypto.hash = model::CryptoHash::kSha256;
    } else {
      error("totem.crypto_hash: " + quoted(value) + " is not supported (use none or sha256)");
    }
  } else if (key == "keyfile") {
    conf_.membership.crypto.key_file = std::string(value);
  } else if (!listed(kIgnoredTotemKeys, key)) {
    unknown_key(key);
  }
}

void Parser::node(std::string_view key, std::string_view value) {
  if (!node_) return;
  if (key == "nodeid") {
    if (auto v = number(key, value, 0xffffffff)) {
      if (*v == 0) {
        error("nodelist.node.nodeid: 0 is reserved; node ids start at 1");
      } else {
        node_->id = static_cast<std::uint32_t>(*v);
      }
    }
  } else if (key == "name") {
    node_->name = std::string(value);
  } else if (key == "ring0_addr") {
    node_->address = std::string(value);
  } else if (key == "quorum_votes") {
    if (auto v = number(key, value, 0xffff)) node_->votes = static_cast<std::uint32_t>(*v);
  } else if (key.size() == 10 && key.starts_with("ring") && key.ends_with("_addr")) {
    warn("nodelist.node." + std::string(key) + ": Tandem runs a single ring; ignored");
  } else {
    unknown_key(key);
  }
}

void Parser::quorum(std::string_view key, std::string_view value) {
  model::QuorumOptions& q = conf_.quorum;
  if (key == "provider") {
    saw_provider_ = true;
    if (value != "corosync_votequorum")
      error("quorum.provider: " + quoted(value) + " is not supported (use corosync_votequorum)");
  } else if (key == "expected_votes") {
    if (auto v = number(key, value, 0xffffffff)) {
      if (*v == 0) {
        error("quorum.expected_votes: must be at least 1");
      } else {
        q.expected_votes = static_cast<std::uint32_t>(*v);
      }
    }
  } else if (key == "two_node") {
    if (auto v = boolean(key, value)) q.two_node = *v;
  } else if (key == "wait_for_all") {
    if (auto v = boolean(key, value)) q.wait_for_all = *v;
  } else if (key == "last_man_standing") {
    if (auto v = boolean(key, value)) q.last_man_standing = *v;
  } else if (key == "last_man_standing_window") {
    if (auto v = milliseconds(key, value)) q.last_man_standing_window = *v;
  } else if (key == "auto_tie_breaker") {
    if (auto v = boolean(key, value)) q.auto_tie_breaker = *v;
  } else if (key == "auto_tie_breaker_node") {
    if (value == "lowest") {
      q.auto_tie_breaker_node = model::TieBreaker::kLowest;
    } else if (value == "highest") {
      q.auto_tie_breaker_node = model::TieBreaker::kHighest;
    } else {
      // A list of node ids, separated by spaces, in order of preference.
      std::vector<std::uint32_t> ids;
      std::string_view rest = value;
      bool ok = !rest.empty();
      for (std::size_t i = 0; ok && !rest.empty() && i < 400; ++i) {
        std::size_t end = rest.find_first_of(" \t");
        std::string_view word = rest.substr(0, end);
        auto v = number(key, word, 0xffffffff);
        if (!v || *v == 0) {
          if (v) error("quorum.auto_tie_breaker_node: node id 0 is reserved");
          ok = false;
          break;
        }
        ids.push_back(static_cast<std::uint32_t>(*v));
        rest = end == std::string_view::npos ? std::string_view{} : trim(rest.substr(end));
      }
      if (ok) {
        q.auto_tie_breaker_node = model::TieBreaker::kList;
        q.auto_tie_breaker_nodes = std::move(ids);
      }
    }
  } else if (key == "allow_downscale" || key == "expected_votes_tracking") {
    warn("quorum." + std::string(key) + " is not supported; ignored");
  } else {
    unknown_key(key);
  }
}

void Parser::logging(std::string_view key, std::string_view value) {
  LoggingOptions& l = conf_.logging;
  if (key == "to_stderr") {
    if (auto v = boolean(key, value)) l.to_stderr = *v;
  } else if (key == "to_logfile") {
    if (auto v = boolean(key, value)) l.to_logfile = *v;
  } else if (key == "to_syslog") {
    if (auto v = boolean(key, value)) l.to_syslog = *v;
  } else if (key == "logfile") {
    l.logfile = std::string(value);
  } else if (key == "debug") {
    // corosync also accepts "trace", which is debug and more.
    if (value == "trace") {
      l.debug = true;
    } else if (auto v = boolean(key, value)) {
      l.debug = *v;
    }
  } else if (key == "timestamp") {
    if (value == "hires") {
      l.timestamp = true;
    } else if (auto v = boolean(key, value)) {
      l.timestamp = *v;
    }
  } else if (!listed(kIgnoredLoggingKeys, key)) {
    unknown_key(key);
  }
}

void Parser::finish() {
  // corosync's defaults: no encryption and no authentication unless asked
  // for (the model's default, for manifests, is sha256).
  if (!cipher_set_)
    conf_.membership.crypto.cipher =
        secauth_ ? model::CryptoCipher::kAes256 : model::CryptoCipher::kNone;
  if (!hash_set_)
    conf_.membership.crypto.hash = secauth_ ? model::CryptoHash::kSha256 : model::CryptoHash::kNone;
  for (auto it = sections_.rbegin(); it != sections_.rend(); ++it) {
    line_ = it->line;
    error("section " + quoted(it->name) + " is not closed");
  }
  if (saw_quorum_ && !saw_provider_) {
    line_ = 0;
    conf_.warnings.push_back(std::string(file_) +
                             ": quorum.provider is not set (corosync would run without "
                             "quorum); votequorum is used");
  }
  std::set<std::uint32_t> ids;
  std::set<std::string> names;
  for (const NodeDraft& draft : nodes_) {
    line_ = draft.line;
    if (!draft.id) error("nodelist.node: nodeid is missing");
    if (!draft.address) error("nodelist.node: ring0_addr is missing");
    if (!draft.id || !draft.address) continue;
    if (!ids.insert(*draft.id).second)
      error("nodelist.node: nodeid " + std::to_string(*draft.id) + " appears twice");
    std::string name = draft.name.value_or(*draft.address);
    if (!names.insert(name).second) error("nodelist.node: name " + quoted(name) + " appears twice");
    conf_.membership.nodes.push_back(
        model::MemberNode{name, *draft.id, *draft.address, draft.votes});
  }
  if (nodes_.empty()) {
    line_ = 0;
    errors_.push_back(std::string(file_) + ": the nodelist has no nodes");
  }
}

}  // namespace

Result<CorosyncConf> parse_corosync_conf(std::string_view text, std::string_view file) {
  return Parser(file).run(text);
}

}  // namespace tandem::membership
