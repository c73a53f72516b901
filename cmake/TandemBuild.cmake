# Compiler settings shared by every Tandem target.

find_program(TANDEM_CCACHE ccache)
if(TANDEM_CCACHE)
  set(CMAKE_CXX_COMPILER_LAUNCHER "${TANDEM_CCACHE}")
endif()

add_library(tandem_build_flags INTERFACE)
target_compile_options(tandem_build_flags INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion
  -Wnon-virtual-dtor -Woverloaded-virtual -Wimplicit-fallthrough
  # GCC 12 warns about designated initializers that leave fields at their
  # defaults, which is the point of using them.
  -Wno-missing-field-initializers)
# GCC 12 at -O3 (Release) reports std::string concatenations as overlapping
# memcpy calls (GCC bug 105651), a false -Wrestrict that -Werror turns fatal.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(tandem_build_flags INTERFACE -Wno-restrict)
endif()
if(TANDEM_WERROR)
  target_compile_options(tandem_build_flags INTERFACE -Werror)
endif()

# Assertions that guard invariants stay on in every build type: TANDEM_ASSERT
# does not depend on NDEBUG, and we keep NDEBUG unset so that library asserts
# stay on too.
string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_RELEASE "${CMAKE_CXX_FLAGS_RELEASE}")
string(REPLACE "-DNDEBUG" "" CMAKE_CXX_FLAGS_RELWITHDEBINFO "${CMAKE_CXX_FLAGS_RELWITHDEBINFO}")

if(TANDEM_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

if(TANDEM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "TANDEM_FUZZ needs clang (libFuzzer); configure with CXX=clang++-14")
  endif()
  # Coverage for libFuzzer in every library the fuzz targets link.
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()

# tandem_library(NAME SOURCES... DEPS...) keeps every library's settings alike.
function(tandem_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC_DEPS} PRIVATE tandem_build_flags ${ARG_PRIVATE_DEPS})
endfunction()
