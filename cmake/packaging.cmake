# packaging.cmake — the packages: the CPack configuration of the Debian
# package (`cd build && cpack -G DEB`; tests/packaging/deb_test.sh), and the
# targets python_wheel (bindings/python/build_wheel.sh) and npm_package (bindings/node/build.sh),
# and dist (cmake/dist.sh: all of them and a tar.gz into dist/, with
# SHA256SUMS; `./run.sh dist`), not built by default.
#
# The package is named libsqlite3-mod-penalty, after Debian's own SQLite
# extension packages (libsqlite3-mod-spatialite, libsqlite3-mod-ceph, ...):
# a user who knows `apt search libsqlite3-mod` finds it there. It holds what
# `cmake --install` installs, under /usr, stripped: the module
# /usr/lib/<multiarch>/penalty.so (found by name: `.load penalty`), the
# header, the static library, the CMake package, the schema and the presets.
#
# Depends: libsqlite3-0 (>= 3.34.0), the oldest SQLite the module accepts,
# plus what dpkg-shlibdeps reads from the binaries (libc6, libstdc++6,
# libgcc-s1). fmt is used header-only: no libfmt9 (`readelf -d penalty.so`
# lists only libstdc++, libm, libgcc_s and libc). The module never links
# libsqlite3; the package depends on it because a module without an SQLite
# to load it into is of no use, and the static library's users link it.
set(CPACK_PACKAGE_NAME "libsqlite3-mod-penalty")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "penalty")
set(CPACK_PACKAGE_CONTACT "penalty maintainers <penalty@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "SQLite extension computing rule-based marketplace penalty scores")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "DEB")
set(CPACK_SOURCE_GENERATOR "")

set(CPACK_DEBIAN_PACKAGE_NAME "${CPACK_PACKAGE_NAME}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${CPACK_PACKAGE_CONTACT}")
set(CPACK_DEBIAN_PACKAGE_SECTION "libs")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
    "penalty computes cumulative deduction points, repeat offences, active\n\
sanctions and closure eligibility inside SQL, from rules stored in tables.\n\
This package holds the loadable module (.load penalty), the C header, the\n\
static library with its CMake package (find_package(penalty)), the rule\n\
tables' schema and the preset rulesets (/usr/share/penalty).")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libsqlite3-0 (>= 3.34.0)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "sqlite3, libsqlite3-dev")
include(CPack)

# The Python wheel (bindings/python/README.md): build/python/sqlite_penalty-*.whl.
add_custom_target(python_wheel
  COMMAND bash ${PROJECT_SOURCE_DIR}/bindings/python/build_wheel.sh $<TARGET_FILE:penalty> ${PROJECT_VERSION}
               ${PROJECT_BINARY_DIR}/python
  DEPENDS penalty
  COMMENT "Building the Python wheel into ${PROJECT_BINARY_DIR}/python"
  VERBATIM)

# The npm package (bindings/node/README.md): build/npm/sqlite-penalty-<version>.tgz.
add_custom_target(npm_package
  COMMAND bash ${PROJECT_SOURCE_DIR}/bindings/node/build.sh $<TARGET_FILE:penalty> ${PROJECT_VERSION} ${PROJECT_BINARY_DIR}/npm
  DEPENDS penalty
  COMMENT "Packing the npm package into ${PROJECT_BINARY_DIR}/npm"
  VERBATIM)

# Every package of a release into dist/ (cmake/dist.sh): the .deb, the wheel,
# the npm tarball, penalty-<version>-linux-<arch>.tar.gz and SHA256SUMS.
add_custom_target(dist
  COMMAND bash ${PROJECT_SOURCE_DIR}/cmake/dist.sh ${PROJECT_BINARY_DIR} ${PROJECT_SOURCE_DIR}/dist
  DEPENDS penalty penalty_static
  COMMENT "Building every package into ${PROJECT_SOURCE_DIR}/dist"
  VERBATIM)
