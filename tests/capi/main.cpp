// The doctest runner of the tests through the C API (capi.loading, capi.rules_cache).
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
