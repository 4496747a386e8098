#pragma once
// Where a test finds the source tree (testdata, sample-content, templates) and the `assetpub`
// binary: tests write ASSETPUB_SOURCE_DIR and ASSETPUB_BINARY, each a `const char*` that is never
// null. CMake force-includes this header into every test source (-include), and the paths are
// compiled into one small source per build (source_dir.cpp; binary_path.cpp in tests/integration).
// Keeping the clone's absolute path out of the test sources' command lines lets ccache share their
// objects between clones.

namespace assetpub::test_paths {

// The source tree's absolute path, e.g. "/home/me/assetpub".
const char* SourceDir();

// The absolute path of the `assetpub` binary of this build. Only tests/integration link it.
const char* Binary();

}  // namespace assetpub::test_paths

#define ASSETPUB_SOURCE_DIR (::assetpub::test_paths::SourceDir())
#define ASSETPUB_BINARY (::assetpub::test_paths::Binary())
