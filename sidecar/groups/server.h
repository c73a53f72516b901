#pragma once

// The process groups' local socket: a unix stream socket served from the
// membership daemon's loop, non-blocking, with many clients. It owns the
// Groups machine: the daemon passes it the membership's events, offers
// its outgoing messages to the ring, and waits on its descriptors.
//
//   auto server = CpgServer::open(path, self, log);
//   server->add_poll_fds(fds);          // before ppoll
//   server->handle(fds_it_added);       // after ppoll
//   server->on_event(event);            // each membership event
//   server->flush(multicast);           // offer queued messages to the ring
//   server->write_clients();            // after all of the above

#include <cstddef>
#include <functional>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <poll.h>
#include <sys/types.h>

#include "common/core/result.h"
#include "sidecar/groups/groups.h"
#include "sidecar/groups/session.h"

namespace tandem::groups {

using Log = std::function<void(std::string_view)>;

// The longest path a unix socket may have (sockaddr_un's sun_path, less
// its terminating zero).
inline constexpr std::size_t kMaxSocketPath = 107;

struct ServerLimits {
  std::size_t max_clients = 64;
  // A request line: the largest message, written with every byte escaped
  // (\u00XX), and room for the rest.
  std::size_t max_line = 6 * kMaxMessageData + 4096;
  // Events and replies not yet read by a client: beyond this the client is
  // dropped (a "too_slow" error line, then the socket is closed).
  std::size_t max_output = std::size_t{1} << 20;
};

class CpgServer {
 public:
  // Listens on `path` with mode 0660. A socket file left by an earlier run
  // is replaced; one another process still serves is an error.
  static Result<std::unique_ptr<CpgServer>> open(const std::string& path, NodeId self, Log log,
                                                 ServerLimits limits = {},
                                                 GroupsLimits groups = {});
  ~CpgServer();
  CpgServer(const CpgServer&) = delete;
  CpgServer& operator=(const CpgServer&) = delete;

  // Appends the descriptors to wait on; handle() takes the same entries
  // back after the wait.
  void add_poll_fds(std::vector<pollfd>& fds);
  void handle(std::span<const pollfd> fds);

  void on_event(const membership::Event& event);
  // Offers queued group messages to `multicast` (true: the ring took it)
  // until it refuses one or `max` went; returns how many went.
  std::size_t flush(const std::function<bool(const Bytes&)>& multicast, std::size_t max);
  // Hands out the events and writes what each client is owed.
  void write_clients();

  const Groups& groups() const { return groups_; }
  const std::string& path() const { return path_; }
  std::size_t clients() const { return clients_.size(); }

 private:
  struct Client {
    int fd = -1;
    std::uint32_t pid = 0;
    LineReader in;
    OutputQueue out;
  };

  CpgServer(int listener, std::string path, NodeId self, Log log, ServerLimits limits,
            GroupsLimits groups);
  void accept_clients();
  // False when the client is gone.
  bool read_client(ClientId id);
  void handle_line(ClientId id, const std::string& line);
  void reply(ClientId id, std::string line);
  bool write_client(ClientId id);
  void deliver();
  // Ends the connection, after one try at writing `last_line` (if any).
  void close_client(ClientId id, std::string_view why, std::string last_line);

  int listener_;
  std::string path_;
  dev_t device_ = 0;
  ino_t inode_ = 0;
  NodeId self_;
  Log log_;
  ServerLimits limits_;
  Groups groups_;
  std::map<ClientId, Client> clients_;
  std::vector<ClientId> polled_;  // the clients add_poll_fds() listed, in order
  ClientId next_client_ = 1;
  std::uint64_t malformed_logged_ = 0;
};

}  // namespace tandem::groups
