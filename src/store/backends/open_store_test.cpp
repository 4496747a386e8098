// OpenStore and OpenAccounts: which URLs they take and what they refuse. What a store does once
// open is the conformance suites' business (store/*_conformance_test.cpp).
#include <gtest/gtest.h>

#include "core/error.h"
#include "store/store.h"

namespace assetpub::store {
namespace {

TEST(OpenStore, RejectsUnknownUrls) {
  EXPECT_THROW(OpenStore("mysql://x"), Error);
  EXPECT_THROW(OpenStore("sqlite:"), Error);
  EXPECT_THROW(OpenStore("sqlite:/nonexistent-dir/x/y.db"), Error);
}

}  // namespace
}  // namespace assetpub::store
