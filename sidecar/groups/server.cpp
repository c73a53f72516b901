#include "sidecar/groups/server.h"

#include <array>
#include <cerrno>
#include <cstring>

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "sidecar/groups/protocol.h"

namespace tandem::groups {
namespace {

// Reads per client per wake-up, so one busy client cannot starve the
// ring or the others.
constexpr std::size_t kReadChunk = 64 * 1024;
constexpr int kReadsPerWake = 4;
constexpr int kAcceptsPerWake = 16;

std::string errno_text() {
  return std::strerror(errno);
}

Result<sockaddr_un> socket_address(const std::string& path) {
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  if (path.empty() || path.size() >= sizeof address.sun_path)
    return fail(path + ": a unix socket path has 1 to " +
                std::to_string(sizeof address.sun_path - 1) + " bytes, this one " +
                std::to_string(path.size()));
  std::memcpy(address.sun_path, path.data(), path.size());
  return address;
}

// A socket file from an earlier run is removed; one that still answers
// belongs to a running sidecar.
Result<void> clear_stale(const std::string& path, const sockaddr_un& address) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return {};
    return fail(path + ": " + errno_text());
  }
  if (!S_ISSOCK(st.st_mode))
    return fail(path + " exists and is not a socket; remove it or choose another path");
  int probe = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (probe < 0) return fail("cannot make a unix socket: " + errno_text());
  int connected = ::connect(probe, reinterpret_cast<const sockaddr*>(&address), sizeof address);
  ::close(probe);
  if (connected == 0) return fail(path + ": another process is serving this socket");
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    return fail("cannot remove the stale socket " + path + ": " + errno_text());
  return {};
}

}  // namespace

Result<std::unique_ptr<CpgServer>> CpgServer::open(const std::string& path, NodeId self, Log log,
                                                   ServerLimits limits, GroupsLimits groups) {
  auto address = socket_address(path);
  if (!address) return fail(address.error().message);
  if (auto cleared = clear_stale(path, *address); !cleared) return fail(cleared.error().message);
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail("cannot make a unix socket: " + errno_text());
  std::unique_ptr<CpgServer> server(new CpgServer(fd, path, self, std::move(log), limits, groups));
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&*address), sizeof *address) != 0)
    return fail("cannot bind " + path + ": " + errno_text());
  struct stat st {};
  if (::chmod(path.c_str(), 0660) != 0 || ::stat(path.c_str(), &st) != 0)
    return fail("cannot set the mode of " + path + ": " + errno_text());
  server->device_ = st.st_dev;
  server->inode_ = st.st_ino;
  if (::listen(fd, 64) != 0) return fail("cannot listen on " + path + ": " + errno_text());
  return server;
}

CpgServer::CpgServer(int listener, std::string path, NodeId self, Log log, ServerLimits limits,
                     GroupsLimits groups)
    : listener_(listener),
      path_(std::move(path)),
      self_(self),
      log_(std::move(log)),
      limits_(limits),
      groups_(self, groups) {}

CpgServer::~CpgServer() {
  for (auto& [id, client] : clients_) ::close(client.fd);
  ::close(listener_);
  // Only the file this server made: another sidecar may have taken the
  // path over since.
  struct stat st {};
  if (inode_ != 0 && ::lstat(path_.c_str(), &st) == 0 && st.st_dev == device_ &&
      st.st_ino == inode_)
    ::unlink(path_.c_str());
}

void CpgServer::add_poll_fds(std::vector<pollfd>& fds) {
  fds.push_back(pollfd{listener_, POLLIN, 0});
  polled_.clear();
  for (const auto& [id, client] : clients_) {
    short events = POLLIN;
    if (!client.out.empty()) events = static_cast<short>(events | POLLOUT);
    fds.push_back(pollfd{client.fd, events, 0});
    polled_.push_back(id);
  }
}

void CpgServer::handle(std::span<const pollfd> fds) {
  if (fds.empty()) return;
  for (std::size_t i = 1; i < fds.size() && i - 1 < polled_.size(); ++i) {
    ClientId id = polled_[i - 1];
    if (!clients_.contains(id)) continue;
    short revents = fds[i].revents;
    if (revents & (POLLIN | POLLHUP | POLLERR)) {
      if (!read_client(id)) continue;
    }
    if (revents & POLLOUT) write_client(id);
  }
  if (fds[0].revents & POLLIN) accept_clients();
  deliver();
}

void CpgServer::accept_clients() {
  for (int i = 0; i < kAcceptsPerWake; ++i) {
    int fd = ::accept4(listener_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
        log_("cpg: accepting a client on " + path_ + ": " + errno_text());
      return;
    }
    if (clients_.size() >= limits_.max_clients) {
      std::string refusal = error_line("", "", "limit",
                                       "this node serves " + std::to_string(limits_.max_clients) +
                                           " clients, the most it may; try again later");
      [[maybe_unused]] ssize_t n = ::send(fd, refusal.data(), refusal.size(), MSG_NOSIGNAL);
      ::close(fd);
      continue;
    }
    ucred credentials{};
    socklen_t size = sizeof credentials;
    std::uint32_t pid = 0;
    if (::getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &credentials, &size) == 0 && credentials.pid > 0)
      pid = static_cast<std::uint32_t>(credentials.pid);
    ClientId id = next_client_++;
    clients_.emplace(
        id, Client{fd, pid, LineReader(limits_.max_line), OutputQueue(limits_.max_output)});
    groups_.connect(id, pid);
    reply(id, hello_line(self_, id, pid));
  }
}

bool CpgServer::read_client(ClientId id) {
  std::array<char, kReadChunk> buffer;
  for (int i = 0; i < kReadsPerWake; ++i) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return false;
    ssize_t n = ::recv(it->second.fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (n == 0) {
      close_client(id, "", "");
      return false;
    }
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
      // A client that exits with replies unread resets the connection:
      // an ordinary end.
      close_client(id, errno == ECONNRESET ? "" : std::string("reading failed: ") + errno_text(),
                   "");
      return false;
    }
    it->second.in.feed(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
    while (true) {
      auto client = clients_.find(id);
      if (client == clients_.end()) return false;
      std::optional<std::string> line = client->second.in.next();
      if (!line) break;
      handle_line(id, *line);
    }
    auto client = clients_.find(id);
    if (client == clients_.end()) return false;
    if (client->second.in.overflowed()) {
      std::string why = "a request line is longer than " + std::to_string(limits_.max_line) +
                        " bytes; closing the connection";
      close_client(id, why, error_line("", "", "invalid", why));
      return false;
    }
    if (static_cast<std::size_t>(n) < buffer.size()) return true;
  }
  return true;
}

void CpgServer::handle_line(ClientId id, const std::string& line) {
  std::string reply_line = answer(groups_, id, line);
  if (!reply_line.empty()) reply(id, std::move(reply_line));
}

void CpgServer::reply(ClientId id, std::string line) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  if (it->second.out.push(std::move(line))) return;
  std::string why = "it left more than " + std::to_string(limits_.max_output) +
                    " bytes of events unread; dropped (its memberships end with reason "
                    "proc_down)";
  close_client(id, why, error_line("", "", "too_slow", "this client " + why));
}

bool CpgServer::write_client(ClientId id) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return false;
  Client& client = it->second;
  // Bounded by the queue, which only shrinks here.
  while (!client.out.empty()) {
    std::string_view pending = client.out.front();
    ssize_t n = ::send(client.fd, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return true;
      close_client(id,
                   errno == ECONNRESET || errno == EPIPE
                       ? ""
                       : std::string("writing failed: ") + errno_text(),
                   "");
      return false;
    }
    client.out.consume(static_cast<std::size_t>(n));
  }
  return true;
}

void CpgServer::close_client(ClientId id, std::string_view why, std::string last_line) {
  auto it = clients_.find(id);
  if (it == clients_.end()) return;
  if (!last_line.empty()) {
    it->second.out.close_with(std::move(last_line));
    // One try, without waiting: the client may not be reading at all.
    while (!it->second.out.empty()) {
      std::string_view pending = it->second.out.front();
      ssize_t n =
          ::send(it->second.fd, pending.data(), pending.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n <= 0) break;
      it->second.out.consume(static_cast<std::size_t>(n));
    }
  }
  if (!why.empty())
    log_("cpg: client " + std::to_string(id) + " (pid " + std::to_string(it->second.pid) +
         "): " + std::string(why));
  ::close(it->second.fd);
  clients_.erase(it);
  groups_.disconnect(id);
}

void CpgServer::on_event(const membership::Event& event) {
  groups_.on_event(event);
  const GroupsStats& stats = groups_.stats();
  if (stats.malformed != malformed_logged_) {
    // The first, then one in a thousand: a peer's bug must not flood the log.
    if (malformed_logged_ == 0 || stats.malformed / 1000 != malformed_logged_ / 1000)
      log_("cpg: dropped " + std::to_string(stats.malformed) +
           " malformed group messages so far (the last " + stats.last_malformed + ")");
    malformed_logged_ = stats.malformed;
  }
  deliver();
}

std::size_t CpgServer::flush(const std::function<bool(const Bytes&)>& multicast, std::size_t max) {
  std::size_t sent = 0;
  while (sent < max) {
    const Bytes* next = groups_.next_outgoing();
    if (next == nullptr || !multicast(*next)) break;
    groups_.sent();
    ++sent;
  }
  return sent;
}

void CpgServer::deliver() {
  std::vector<Delivery> deliveries = groups_.take_deliveries();
  const ClientEvent* formatted = nullptr;
  std::string text;
  for (const Delivery& delivery : deliveries) {
    // Consecutive deliveries share their event: format it once.
    if (delivery.event.get() != formatted) {
      text = event_line(*delivery.event);
      formatted = delivery.event.get();
    }
    reply(delivery.client, text);
  }
}

void CpgServer::write_clients() {
  deliver();
  std::vector<ClientId> ids;
  for (const auto& [id, client] : clients_)
    if (!client.out.empty()) ids.push_back(id);
  for (ClientId id : ids) write_client(id);
}

}  // namespace tandem::groups
