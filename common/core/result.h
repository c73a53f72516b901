#pragma once

// Expected failures are values, not exceptions: bad input, network errors,
// agent exit codes. Broken invariants use TANDEM_ASSERT instead.

#include <string>
#include <utility>

#include <tl/expected.hpp>

namespace tandem {

struct Error {
  std::string message;
};

template <class T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> fail(std::string message) {
  return tl::unexpected<Error>(Error{std::move(message)});
}

}  // namespace tandem
