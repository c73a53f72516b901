#pragma once

// Small string helpers for messages and name checks.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tandem {

// The text in double quotes, escaped so that it prints safely on a terminal
// (control and non-ASCII bytes as \xNN), shortened with "..." past 80 bytes.
std::string quote(std::string_view text);

// The same without the quotes: for echoing numbers and other bare values.
std::string shorten(std::string_view text);

// The candidate closest to `word` by edit distance, if it is close enough to
// be a likely typo (at most a third of the word's length, and at most 3).
std::optional<std::string_view> closest_match(std::string_view word,
                                              std::span<const std::string_view> candidates);

// Kubernetes object names: a DNS-1123 subdomain (at most 253 characters of
// lower-case letters, digits, '-' and '.', starting and ending alphanumeric).
bool is_dns_subdomain(std::string_view text);
// Kubernetes namespaces: a DNS-1123 label (at most 63 characters, no dots).
bool is_dns_label(std::string_view text);

std::string join(std::span<const std::string_view> parts, std::string_view separator);

// Appends printf-style formatted text (for the fixed-width layouts of the
// corosync tools), however long it turns out.
[[gnu::format(printf, 2, 3)]] void append_format(std::string& out, const char* format, ...);

// Why `text` is not acceptable text for a manifest, or empty when it is:
// valid UTF-8 (no overlong forms or surrogates), and no control characters
// other than tab and newline. Kubernetes stores JSON, which needs the first;
// the second keeps YAML's line-break folding from changing values.
std::string check_text(std::string_view text);

}  // namespace tandem
