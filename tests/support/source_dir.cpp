// The one test source compiled with the clone's path (test_paths.h says why).
#include "support/test_paths.h"

namespace assetpub::test_paths {

const char* SourceDir() { return ASSETPUB_TEST_SOURCE_DIR; }

}  // namespace assetpub::test_paths
