#include "sidecar/executor/health_probe.h"

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/core/text.h"
#include "sidecar/executor/agent_environment.h"
#include "sidecar/executor/child_process.h"

namespace tandem::executor {
namespace {

int remaining_ms(Instant deadline, const Clock& clock) {
  auto left = deadline - clock.now();
  return left <= Duration::zero() ? 0
                                  : static_cast<int>(std::min<Duration::rep>(left.count(), 60000));
}

class Socket {
 public:
  explicit Socket(int fd) : fd_(fd) {}
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  ~Socket() {
    if (fd_ >= 0) ::close(fd_);
  }
  int fd() const { return fd_; }

 private:
  int fd_;
};

// Connects to host:port before the deadline; returns the socket or why not.
std::unique_ptr<Socket> connect_to(const std::string& host, std::int32_t port, Instant deadline,
                                   const Clock& clock, std::string& why) {
  addrinfo hints{};
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* found = nullptr;
  std::string service = std::to_string(port);
  int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found);
  if (rc != 0) {
    why = "cannot resolve " + quote(host) + ": " + ::gai_strerror(rc);
    return nullptr;
  }
  std::unique_ptr<addrinfo, void (*)(addrinfo*)> addresses(found, ::freeaddrinfo);
  why = "no address for " + quote(host);
  for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
    auto socket = std::make_unique<Socket>(
        ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol));
    if (socket->fd() < 0) {
      why = std::string("cannot create a socket: ") + std::strerror(errno);
      continue;
    }
    if (::connect(socket->fd(), a->ai_addr, a->ai_addrlen) == 0) return socket;
    if (errno != EINPROGRESS) {
      why = "connect to " + host + ":" + service + ": " + std::strerror(errno);
      continue;
    }
    pollfd pfd{socket->fd(), POLLOUT, 0};
    int ready = ::poll(&pfd, 1, remaining_ms(deadline, clock));
    if (ready <= 0) {
      why = "connect to " + host + ":" + service + ": no answer before the timeout";
      continue;
    }
    int error = 0;
    socklen_t length = sizeof error;
    ::getsockopt(socket->fd(), SOL_SOCKET, SO_ERROR, &error, &length);
    if (error == 0) return socket;
    why = "connect to " + host + ":" + service + ": " + std::strerror(error);
  }
  return nullptr;
}

}  // namespace

ProbeOutcome probe_exec(const model::ExecProbe& probe, Instant deadline, const Clock& clock) {
  if (probe.command.empty()) return {false, "the exec probe has no command"};
  SpawnSpec spec;
  spec.program = probe.command.front();
  spec.argv = probe.command;
  spec.env = environment_strings(Environment{{"PATH", std::string(kSystemPath)}, {"HOME", "/"}});
  auto child = ChildProcess::spawn(spec);
  if (!child) return {false, child.error().message};
  OutputTail output(512);
  auto status = child->wait_until(deadline, clock, &output);
  if (!status) {
    child->kill_and_reap(std::chrono::seconds(5));
    return {false, "the probe command did not finish before the timeout"};
  }
  std::string tail = output.text();
  if (status->exited && status->code == 0) return {true, "probe command exited 0"};
  return {false,
          (status->exited ? "probe command exited " + std::to_string(status->code)
                          : "probe command killed by signal " + std::to_string(status->code)) +
              (tail.empty() ? std::string() : ": " + shorten(tail))};
}

ProbeOutcome probe_tcp(const model::TcpProbe& probe, Instant deadline, const Clock& clock) {
  std::string why;
  auto socket = connect_to(probe.host, probe.port, deadline, clock, why);
  if (!socket) return {false, why};
  return {true, "connected to " + probe.host + ":" + std::to_string(probe.port)};
}

ProbeOutcome probe_http(const model::HttpProbe& probe, Instant deadline, const Clock& clock) {
  std::string why;
  auto socket = connect_to(probe.host, probe.port, deadline, clock, why);
  if (!socket) return {false, why};
  std::string request = "GET " + probe.path + " HTTP/1.0\r\nHost: " + probe.host +
                        "\r\nUser-Agent: tandem-sidecar\r\nConnection: close\r\n\r\n";
  std::size_t sent = 0;
  while (sent < request.size()) {
    ssize_t n = ::send(socket->fd(), request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
      pollfd pfd{socket->fd(), POLLOUT, 0};
      if (::poll(&pfd, 1, remaining_ms(deadline, clock)) <= 0)
        return {false, "HTTP request timed out"};
      continue;
    }
    return {false, std::string("cannot send the HTTP request: ") + std::strerror(errno)};
  }
  // The status line is all we need; read at most 8 KiB to find it.
  std::string response;
  std::array<char, 1024> buffer{};
  while (response.find("\r\n") == std::string::npos && response.size() < 8192) {
    pollfd pfd{socket->fd(), POLLIN, 0};
    if (::poll(&pfd, 1, remaining_ms(deadline, clock)) <= 0) {
      return {false, "no HTTP answer before the timeout"};
    }
    ssize_t n = ::recv(socket->fd(), buffer.data(), buffer.size(), 0);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) break;
    response.append(buffer.data(), static_cast<std::size_t>(n));
  }
  std::string line = response.substr(0, response.find("\r\n"));
  // "HTTP/1.1 200 OK"
  if (!line.starts_with("HTTP/") || line.size() < 12 || line[8] != ' ') {
    return {false, "not an HTTP answer: " + quote(line)};
  }
  int status = 0;
  for (std::size_t i = 9; i < 12; ++i) {
    if (line[i] < '0' || line[i] > '9') return {false, "not an HTTP answer: " + quote(line)};
    status = status * 10 + (line[i] - '0');
  }
  if (status != probe.expect_status) {
    return {false, "GET " + probe.path + " answered " + std::to_string(status) + ", expected " +
                       std::to_string(probe.expect_status)};
  }
  return {true, "GET " + probe.path + " answered " + std::to_string(status)};
}

ProbeOutcome run_health_probe(const model::HealthProbe& probe, Instant deadline,
                              const Clock& clock) {
  if (probe.exec) return probe_exec(*probe.exec, deadline, clock);
  if (probe.tcp_connect) return probe_tcp(*probe.tcp_connect, deadline, clock);
  if (probe.http_get) return probe_http(*probe.http_get, deadline, clock);
  return {true, "no health check configured"};
}

}  // namespace tandem::executor
