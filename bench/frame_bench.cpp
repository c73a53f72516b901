// What one datagram's crypto costs: sealing and opening a frame with
// aes256/sha256 (the ring64 lab's settings) for the sizes the membership
// sends (a token, a 64-node join, a full datagram). Run by hand:
//
//   build/bench/frame_bench

#include <benchmark/benchmark.h>

#include "sidecar/transport/authkey.h"
#include "sidecar/transport/frame.h"

namespace tandem::transport {
namespace {

FrameCodec codec() {
  AuthKey key(std::vector<std::uint8_t>(256, 7));
  auto made = FrameCodec::make(
      CryptoSettings{model::CryptoCipher::kAes256, model::CryptoHash::kSha256}, &key, "bench");
  if (!made) std::abort();
  return std::move(*made);
}

void seal(benchmark::State& state) {
  FrameCodec c = codec();
  std::vector<std::uint8_t> payload(static_cast<std::size_t>(state.range(0)), 1);
  std::uint64_t counter = 1;
  for (auto _ : state) benchmark::DoNotOptimize(c.seal(3, counter++, payload));
}
BENCHMARK(seal)->Arg(100)->Arg(600)->Arg(1200);

void open(benchmark::State& state) {
  FrameCodec c = codec();
  std::vector<std::uint8_t> payload(static_cast<std::size_t>(state.range(0)), 1);
  auto frame = c.seal(3, 1, payload);
  if (!frame) std::abort();
  for (auto _ : state) benchmark::DoNotOptimize(c.open(*frame));
}
BENCHMARK(open)->Arg(100)->Arg(600)->Arg(1200);

}  // namespace
}  // namespace tandem::transport

BENCHMARK_MAIN();
