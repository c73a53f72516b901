#pragma once

// Type tests the codec's visitors dispatch on.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tandem::manifest {

template <class T>
inline constexpr bool is_optional = false;
template <class T>
inline constexpr bool is_optional<std::optional<T>> = true;

template <class T>
inline constexpr bool is_vector = false;
template <class T>
inline constexpr bool is_vector<std::vector<T>> = true;

template <class T>
inline constexpr bool is_string_map = false;
template <class T>
inline constexpr bool is_string_map<std::map<std::string, T>> = true;

}  // namespace tandem::manifest
