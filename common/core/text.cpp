#include "common/core/text.h"

#include <algorithm>
#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace tandem {
namespace {

constexpr std::size_t kMaxQuoted = 80;

bool is_lower_alnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

// Optimal string alignment distance: insertions, deletions, substitutions
// and swaps of neighbours ("wbe" for "web") each count one.
std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

}  // namespace

std::string shorten(std::string_view text) {
  std::string out;
  std::size_t shown = std::min(text.size(), kMaxQuoted);
  for (std::size_t i = 0; i < shown; ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c >= 0x7f) {
      char hex[5];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (shown < text.size()) out += "...";
  return out;
}

std::string quote(std::string_view text) {
  return "\"" + shorten(text) + "\"";
}

std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates) {
  // Long words are never typos of our short field names; skip the work.
  if (word.empty() || word.size() > 64) return std::nullopt;
  std::size_t limit = std::min<std::size_t>(3, std::max<std::size_t>(1, word.size() / 3));
  std::optional<std::string_view> best;
  std::size_t best_distance = limit + 1;
  for (std::string_view candidate : candidates) {
    // Lengths further apart than the limit cannot be within it.
    std::size_t gap = word.size() > candidate.size() ? word.size() - candidate.size()
                                                     : candidate.size() - word.size();
    if (gap > limit) continue;
    std::size_t distance = edit_distance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  return best;
}

bool is_dns_subdomain(std::string_view text) {
  if (text.empty() || text.size() > 253) return false;
  if (!is_lower_alnum(text.front()) || !is_lower_alnum(text.back())) return false;
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return is_lower_alnum(c) || c == '-' || c == '.'; });
}

bool is_dns_label(std::string_view text) {
  return text.size() <= 63 && is_dns_subdomain(text) && text.find('.') == std::string_view::npos;
}

std::string check_text(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f) {
        return "contains a control character (byte " + std::to_string(i) + ")";
      }
      ++i;
      continue;
    }
    // Lead byte: the sequence length and the smallest code point it may
    // encode (anything smaller is an overlong form).
    std::size_t length = 0;
    std::uint32_t code = 0, smallest = 0;
    if ((c & 0xe0) == 0xc0) {
      length = 2, code = c & 0x1fu, smallest = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      length = 3, code = c & 0x0fu, smallest = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      length = 4, code = c & 0x07u, smallest = 0x10000;
    } else {
      return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
    }
    if (i + length > text.size()) return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xc0) != 0x80) return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
      code = (code << 6) | (next & 0x3fu);
    }
    if (code < smallest || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return "is not valid UTF-8 (byte " + std::to_string(i) + ")";
    }
    if (code >= 0x80 && code <= 0x9f) {
      return "contains a control character (byte " + std::to_string(i) + ")";
    }
    i += length;
  }
  return {};
}

std::string join(std::span<const std::string_view> parts, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += separator;
    out += parts[i];
  }
  return out;
}

void append_format(std::string& out, const char* format, ...) {
  std::va_list args;
  va_start(args, format);
  std::va_list again;
  va_copy(again, args);
  const int length = std::vsnprintf(nullptr, 0, format, args);
  va_end(args);
  if (length > 0) {
    const std::size_t at = out.size();
    out.resize(at + static_cast<std::size_t>(length) + 1);
    std::vsnprintf(out.data() + at, static_cast<std::size_t>(length) + 1, format, again);
    out.resize(at + static_cast<std::size_t>(length));
  }
  va_end(again);
}

}  // namespace tandem
