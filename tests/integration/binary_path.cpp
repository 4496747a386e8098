// The one integration-test source compiled with the binary's path (support/test_paths.h says why).
#include "support/test_paths.h"

namespace assetpub::test_paths {

const char* Binary() { return ASSETPUB_TEST_BINARY; }

}  // namespace assetpub::test_paths
