#include "sidecar/transport/frame.h"

#include <cstring>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

namespace tandem::transport {
namespace {

constexpr std::uint8_t kMagic0 = 'T';
constexpr std::uint8_t kMagic1 = 'F';
constexpr std::uint8_t kVersion = 1;
constexpr std::uint8_t kModeHmac = 1;
constexpr std::uint8_t kModeGcm = 2;

void put32(std::uint8_t* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
void put64(std::uint8_t* out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
std::uint32_t get32(const std::uint8_t* in) {
  std::uint32_t v = 0;
  for (int i = 3; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}
std::uint64_t get64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | in[i];
  return v;
}

// One key per purpose, so the HMAC key never serves as a cipher key: the
// HMAC of a fixed label under the authkey (HKDF's expand step, one block).
bool derive(std::span<const std::uint8_t> authkey, const char* label,
            std::array<std::uint8_t, 32>& out) {
  unsigned int length = 0;
  return HMAC(EVP_sha256(), authkey.data(), static_cast<int>(authkey.size()),
              reinterpret_cast<const unsigned char*>(label), std::strlen(label), out.data(),
              &length) != nullptr &&
         length == out.size();
}

bool hmac(const std::array<std::uint8_t, 32>& key, std::span<const std::uint8_t> data,
          std::uint8_t* out) {
  unsigned int length = 0;
  return HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), data.data(), data.size(), out,
              &length) != nullptr &&
         length == kMacSize;
}

struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

std::array<std::uint8_t, 12> nonce_of(std::span<const std::uint8_t> header) {
  // Sender id and counter: bytes 12 .. 24 of the header.
  std::array<std::uint8_t, 12> nonce{};
  std::memcpy(nonce.data(), header.data() + 12, nonce.size());
  return nonce;
}

// Encrypts `plain` into `out` (same length) and writes the tag after it.
bool gcm_seal(const std::array<std::uint8_t, 32>& key, std::span<const std::uint8_t> header,
              std::span<const std::uint8_t> plain, std::uint8_t* out) {
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return false;
  auto nonce = nonce_of(header);
  int n = 0;
  if (EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1)
    return false;
  if (EVP_EncryptUpdate(ctx.get(), nullptr, &n, header.data(), static_cast<int>(header.size())) !=
      1)
    return false;
  if (!plain.empty() &&
      EVP_EncryptUpdate(ctx.get(), out, &n, plain.data(), static_cast<int>(plain.size())) != 1)
    return false;
  if (EVP_EncryptFinal_ex(ctx.get(), out + plain.size(), &n) != 1) return false;
  return EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagSize),
                             out + plain.size()) == 1;
}

// `sealed` is the ciphertext followed by the tag.
bool gcm_open(const std::array<std::uint8_t, 32>& key, std::span<const std::uint8_t> header,
              std::span<const std::uint8_t> sealed, Bytes& plain) {
  std::size_t length = sealed.size() - kGcmTagSize;
  plain.assign(length, 0);
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  if (!ctx) return false;
  auto nonce = nonce_of(header);
  std::array<std::uint8_t, kGcmTagSize> tag{};
  std::memcpy(tag.data(), sealed.data() + length, tag.size());
  int n = 0;
  if (EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, key.data(), nonce.data()) != 1)
    return false;
  if (EVP_DecryptUpdate(ctx.get(), nullptr, &n, header.data(), static_cast<int>(header.size())) !=
      1)
    return false;
  if (length > 0 &&
      EVP_DecryptUpdate(ctx.get(), plain.data(), &n, sealed.data(), static_cast<int>(length)) != 1)
    return false;
  if (EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(tag.size()),
                          tag.data()) != 1)
    return false;
  return EVP_DecryptFinal_ex(ctx.get(), plain.data() + length, &n) == 1;
}

}  // namespace

const char* to_string(DropReason reason) {
  switch (reason) {
    case DropReason::kMalformed:
      return "malformed";
    case DropReason::kCryptoMismatch:
      return "other crypto settings";
    case DropReason::kWrongCluster:
      return "another cluster";
    case DropReason::kBadMac:
      return "bad MAC";
    case DropReason::kUnknownNode:
      return "unknown node";
    case DropReason::kWrongAddress:
      return "node id from a wrong address";
    case DropReason::kReplayed:
      return "replayed";
  }
  return "?";
}

const char* drop_reason_key(DropReason reason) {
  switch (reason) {
    case DropReason::kMalformed:
      return "malformed";
    case DropReason::kCryptoMismatch:
      return "crypto_mismatch";
    case DropReason::kWrongCluster:
      return "wrong_cluster";
    case DropReason::kBadMac:
      return "bad_mac";
    case DropReason::kUnknownNode:
      return "unknown_node";
    case DropReason::kWrongAddress:
      return "wrong_address";
    case DropReason::kReplayed:
      return "replayed";
  }
  return "?";
}

Result<CryptoSettings> crypto_settings(const model::Crypto& crypto) {
  if (crypto.cipher != model::CryptoCipher::kNone && crypto.hash == model::CryptoHash::kNone)
    return fail(
        "totem.crypto_cipher: encryption needs authentication: set totem.crypto_hash to sha256");
  return CryptoSettings{crypto.cipher, crypto.hash};
}

Result<FrameCodec> FrameCodec::make(CryptoSettings settings, const AuthKey* key,
                                    const std::string& cluster_name) {
  FrameCodec codec;
  codec.settings_ = settings;
  if (settings.cipher != model::CryptoCipher::kNone && settings.hash == model::CryptoHash::kNone)
    return fail(
        "totem.crypto_cipher: encryption needs authentication: set totem.crypto_hash to sha256");
  if (settings.hash == model::CryptoHash::kSha256) codec.mode_ |= kModeHmac;
  if (settings.cipher == model::CryptoCipher::kAes256) codec.mode_ |= kModeGcm;
  if (codec.mode_ != 0) {
    if (key == nullptr || key->bytes().empty())
      return fail("totem.crypto_hash: authentication needs the authkey, and none was given");
    if (!derive(key->bytes(), "tandem transport v1: HMAC-SHA-256", codec.mac_key_) ||
        !derive(key->bytes(), "tandem transport v1: AES-256-GCM", codec.cipher_key_))
      return fail("OpenSSL could not derive the keys from the authkey");
  }
  std::array<std::uint8_t, SHA256_DIGEST_LENGTH> digest{};
  SHA256(reinterpret_cast<const unsigned char*>(cluster_name.data()), cluster_name.size(),
         digest.data());
  std::memcpy(codec.cluster_id_.data(), digest.data(), codec.cluster_id_.size());
  return codec;
}

FrameCodec::FrameCodec(FrameCodec&& other) noexcept
    : settings_(other.settings_),
      mode_(other.mode_),
      cluster_id_(other.cluster_id_),
      mac_key_(other.mac_key_),
      cipher_key_(other.cipher_key_) {
  other.wipe();
}

FrameCodec& FrameCodec::operator=(FrameCodec&& other) noexcept {
  if (this != &other) {
    settings_ = other.settings_;
    mode_ = other.mode_;
    cluster_id_ = other.cluster_id_;
    mac_key_ = other.mac_key_;
    cipher_key_ = other.cipher_key_;
    other.wipe();
  }
  return *this;
}

FrameCodec::~FrameCodec() {
  wipe();
}

void FrameCodec::wipe() {
  OPENSSL_cleanse(mac_key_.data(), mac_key_.size());
  OPENSSL_cleanse(cipher_key_.data(), cipher_key_.size());
}

std::size_t FrameCodec::overhead() const {
  return kFrameHeaderSize + ((mode_ & kModeGcm) ? kGcmTagSize : 0) +
         ((mode_ & kModeHmac) ? kMacSize : 0);
}

Result<Bytes> FrameCodec::seal(std::uint32_t sender, std::uint64_t counter,
                               std::span<const std::uint8_t> payload) const {
  if (payload.size() > kMaxFrameSize - overhead())
    return fail("a datagram of " + std::to_string(payload.size()) +
                " bytes is too large to send (at most " +
                std::to_string(kMaxFrameSize - overhead()) + ")");
  Bytes frame(overhead() + payload.size());
  std::uint8_t* h = frame.data();
  h[0] = kMagic0;
  h[1] = kMagic1;
  h[2] = kVersion;
  h[3] = mode_;
  std::memcpy(h + 4, cluster_id_.data(), cluster_id_.size());
  put32(h + 12, sender);
  put64(h + 16, counter);
  std::span<const std::uint8_t> header(h, kFrameHeaderSize);
  std::size_t body = payload.size();
  if (mode_ & kModeGcm) {
    if (!gcm_seal(cipher_key_, header, payload, h + kFrameHeaderSize))
      return fail("OpenSSL failed to encrypt a datagram");
    body += kGcmTagSize;
  } else if (!payload.empty()) {
    std::memcpy(h + kFrameHeaderSize, payload.data(), payload.size());
  }
  if (mode_ & kModeHmac) {
    if (!hmac(mac_key_, std::span<const std::uint8_t>(h, kFrameHeaderSize + body),
              h + kFrameHeaderSize + body))
      return fail("OpenSSL failed to authenticate a datagram");
  }
  return frame;
}

tl::expected<OpenedFrame, DropReason> FrameCodec::open(std::span<const std::uint8_t> frame) const {
  using Drop = tl::unexpected<DropReason>;
  if (frame.size() < kFrameHeaderSize || frame.size() > kMaxFrameSize || frame[0] != kMagic0 ||
      frame[1] != kMagic1 || frame[2] != kVersion)
    return Drop(DropReason::kMalformed);
  if (frame[3] != mode_) return Drop(DropReason::kCryptoMismatch);
  if (frame.size() < overhead()) return Drop(DropReason::kMalformed);
  if (std::memcmp(frame.data() + 4, cluster_id_.data(), cluster_id_.size()) != 0)
    return Drop(DropReason::kWrongCluster);
  OpenedFrame out;
  out.sender = get32(frame.data() + 12);
  out.counter = get64(frame.data() + 16);
  std::span<const std::uint8_t> header = frame.first(kFrameHeaderSize);
  std::span<const std::uint8_t> body = frame.subspan(
      kFrameHeaderSize, frame.size() - kFrameHeaderSize - ((mode_ & kModeHmac) ? kMacSize : 0));
  if (mode_ & kModeHmac) {
    std::array<std::uint8_t, kMacSize> expected{};
    if (!hmac(mac_key_, frame.first(kFrameHeaderSize + body.size()), expected.data()))
      return Drop(DropReason::kBadMac);
    if (CRYPTO_memcmp(expected.data(), frame.data() + kFrameHeaderSize + body.size(), kMacSize) !=
        0)
      return Drop(DropReason::kBadMac);
  }
  // Only authenticated frames (or every frame, without crypto_hash) get here.
  if (out.counter == 0) return Drop(DropReason::kMalformed);
  if (mode_ & kModeGcm) {
    if (!gcm_open(cipher_key_, header, body, out.payload)) return Drop(DropReason::kBadMac);
  } else {
    out.payload.assign(body.begin(), body.end());
  }
  return out;
}

}  // namespace tandem::transport
