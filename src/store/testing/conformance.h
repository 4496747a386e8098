#pragma once
// What the store's conformance suites share (STYLE.md: one suite run against every backend,
// never a copy per backend): the backends, and a fixture with a fresh store per test. A backend
// joins every suite by adding its factory to kBackends; PostgreSQL will add one that needs a
// server. For tests only; each test runs on one thread unless it says otherwise.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "content/asset.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::store::conformance {

struct Backend {
  std::string name;
  // The URL of a fresh, empty database in `dir` (a private temporary folder for the test), for
  // OpenStore and OpenAccounts alike.
  std::function<std::string(const std::filesystem::path& dir)> url;
};

inline const Backend kBackends[] = {
    {"sqlite",
     [](const std::filesystem::path& dir) { return "sqlite:" + (dir / "assetpub.db").string(); }},
};

// The name of a suite's instance for `info`'s backend:
// INSTANTIATE_TEST_SUITE_P(Backends, Suite, ::testing::ValuesIn(kBackends), BackendName).
inline std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return info.param.name;
}

// A fresh store of the backend under test in `store_`, in the test's own folder `dir_`.
class StoreTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override { store_ = Open(dir_); }
  void TearDown() override { store_.reset(); }

  // Another store of the same backend, in `dir` (which must exist).
  std::unique_ptr<Store> Open(const std::filesystem::path& dir) const {
    return OpenStore(GetParam().url(dir));
  }

  // Puts `asset` in a transaction of its own; returns its id (also written into `asset`).
  int64_t PutOne(content::Asset& asset) {
    auto tx = store_->Begin();
    const int64_t id = tx->Put(asset);
    tx->Commit();
    return id;
  }
  int64_t PutOne(const content::Asset& asset) {
    content::Asset copy = asset;
    return PutOne(copy);
  }

  const assetpub::testing::TempDir temp_{"assetpub-store-"};
  const std::filesystem::path dir_ = temp_.path();
  std::unique_ptr<Store> store_;
};

}  // namespace assetpub::store::conformance
