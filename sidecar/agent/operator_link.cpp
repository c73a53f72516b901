#include "sidecar/agent/operator_link.h"

#include <algorithm>
#include <chrono>

namespace tandem::agent {
namespace {

// Retries start quickly (a restarting operator is back in well under a
// second) and back off to this, so a long outage costs little.
constexpr int kFirstBackoffMs = 50;
constexpr int kMaxBackoffMs = 2000;
// The pause before polling again when a batch held nothing new: new
// actions wait at most this long behind ones still running.
constexpr int kRepeatPauseMs = 20;
constexpr int kStopAttempts = 50;
constexpr int kStopRetryMs = 20;

}  // namespace

Result<std::unique_ptr<OperatorLink>> OperatorLink::start(const OperatorEndpoint& endpoint,
                                                          int wait_ms, BatchHandler on_batch,
                                                          LogLine log) {
  auto poller = OperatorClient::connect(endpoint);
  if (!poller) return fail(poller.error().message);
  auto sender = OperatorClient::connect(endpoint);
  if (!sender) return fail(sender.error().message);
  return std::unique_ptr<OperatorLink>(new OperatorLink(
      std::move(*poller), std::move(*sender), wait_ms, std::move(on_batch), std::move(log)));
}

OperatorLink::OperatorLink(std::unique_ptr<OperatorClient> poller,
                           std::unique_ptr<OperatorClient> sender, int wait_ms,
                           BatchHandler on_batch, LogLine log)
    : poller_(std::move(poller)),
      sender_(std::move(sender)),
      wait_ms_(wait_ms),
      on_batch_(std::move(on_batch)),
      log_(std::move(log)) {
  poll_thread_ = std::thread([this] {
    poll_loop();
    thread_done();
  });
  send_thread_ = std::thread([this] {
    send_loop();
    thread_done();
  });
}

OperatorLink::~OperatorLink() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  // A request may begin just after a stop() (the thread had checked the
  // flag already), so stop again until both threads are out. Bounded: after
  // that, the request's own timeouts end it.
  for (int i = 0; i < kStopAttempts; ++i) {
    poller_->stop();
    sender_->stop();
    std::unique_lock lock(mutex_);
    if (changed_.wait_for(lock, std::chrono::milliseconds(kStopRetryMs),
                          [this] { return threads_done_ == 2; }))
      break;
  }
  poll_thread_.join();
  send_thread_.join();
}

void OperatorLink::thread_done() {
  {
    std::lock_guard lock(mutex_);
    ++threads_done_;
  }
  changed_.notify_all();
}

void OperatorLink::publish(std::string json) {
  {
    std::lock_guard lock(mutex_);
    pending_ = std::move(json);
  }
  changed_.notify_all();
}

bool OperatorLink::pause(int ms) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(ms), [this] { return stopping_; });
  return !stopping_;
}

void OperatorLink::note_reachable(bool reachable, const std::string& error) {
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    // Requests cut short by stopping are no news.
    if (stopping_) return;
    changed = reachable_ != reachable;
    reachable_ = reachable;
  }
  if (!changed) return;
  if (reachable) {
    log_("operator: reachable again; resources kept running meanwhile");
  } else {
    log_("operator: unreachable (" + error + "); retrying, resources keep running");
  }
}

void OperatorLink::poll_loop() {
  int backoff = kFirstBackoffMs;
  std::string since;
  // Bounded per turn by the long poll's timeout; runs until stopped.
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    auto batch = poller_->poll_actions(wait_ms_, since);
    if (batch) {
      backoff = kFirstBackoffMs;
      note_reachable(true, {});
      // The operator repeats an action until a report lists its outcome,
      // and answers a poll at once while it has any: without a pause, an
      // action that runs for a while would have this thread spin.
      bool news = false;
      for (const protocol::ActionRequest& action : batch->actions)
        if (delivered_.first_time(action.id)) news = true;
      // An operator that versions its batches holds the next poll until
      // they change; one that does not would be asked in a tight loop.
      const bool versioned = !batch->version.empty();
      since = batch->version;
      if (!batch->actions.empty()) on_batch_(std::move(*batch));
      if (!news && !versioned && !pause(kRepeatPauseMs)) return;
      continue;
    }
    note_reachable(false, batch.error().message);
    if (!pause(backoff)) return;
    backoff = std::min(backoff * 2, kMaxBackoffMs);
  }
}

void OperatorLink::send_loop() {
  int backoff = kFirstBackoffMs;
  while (true) {
    std::string json;
    {
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [this] { return stopping_ || !pending_.empty(); });
      if (stopping_) return;
      json.swap(pending_);
    }
    auto sent = sender_->post_report(json);
    if (sent) {
      backoff = kFirstBackoffMs;
      note_reachable(true, {});
      continue;
    }
    note_reachable(false, sent.error().message);
    {
      // Retry this report unless a newer one came meanwhile.
      std::lock_guard lock(mutex_);
      if (pending_.empty()) pending_ = std::move(json);
    }
    if (!pause(backoff)) return;
    backoff = std::min(backoff * 2, kMaxBackoffMs);
  }
}

}  // namespace tandem::agent
