#include "common/io/token_file.h"

#include <fstream>

namespace tandem::io {
namespace {

constexpr std::size_t kMaxTokenBytes = 4096;

}  // namespace

Result<std::string> read_token_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return fail("--token-file " + path + ": cannot open for reading");
  std::string token(kMaxTokenBytes + 1, '\0');
  in.read(token.data(), static_cast<std::streamsize>(token.size()));
  token.resize(static_cast<std::size_t>(in.gcount()));
  if (token.size() > kMaxTokenBytes)
    return fail("--token-file " + path + ": longer than " + std::to_string(kMaxTokenBytes) +
                " bytes");
  while (!token.empty() && (token.back() == '\n' || token.back() == '\r' || token.back() == ' '))
    token.pop_back();
  if (token.empty()) return fail("--token-file " + path + ": the file is empty");
  return token;
}

}  // namespace tandem::io
