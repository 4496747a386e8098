#pragma once
// What the store's conformance suites share (STYLE.md: one suite run against every backend,
// never a copy per backend): the backends, and a fixture with a fresh store per test. A backend
// joins every suite by adding its factory to kBackends. PostgreSQL's needs a server: the test
// process's own (support/postgres_server.h), started on first use, with a database per test
// folder. For tests only; each test runs on one thread unless it says otherwise.

#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include "content/asset.h"
#include "store/store.h"
#include "support/postgres_server.h"
#include "support/temp_dir.h"

namespace assetpub::store::conformance {

struct Backend {
  std::string name;
  // The URL of the database of `dir` (a private temporary folder for the test): a fresh, empty
  // one the first time, the same one for the same folder after, for OpenStore and OpenAccounts
  // alike.
  std::function<std::string(const std::filesystem::path& dir)> url;
};

// A database on the test process's PostgreSQL server for each folder: a copy of one the store has
// migrated once, so each test does not pay for creating the schema.
inline std::string PostgresUrlFor(const std::filesystem::path& dir) {
  static std::mutex mutex;
  static std::map<std::filesystem::path, std::string> urls;
  static std::string migrated;  // the template's name
  std::lock_guard lock(mutex);
  auto& server = assetpub::testing::PostgresServer::Shared();
  if (migrated.empty()) {
    const std::string url = server.CreateDatabase();
    OpenStore(url).reset();
    migrated = url.substr(url.rfind('/') + 1);
  }
  auto it = urls.find(dir);
  if (it == urls.end()) it = urls.emplace(dir, server.CreateDatabase(migrated)).first;
  return it->second;
}

inline const Backend kBackends[] = {
    {"sqlite",
     [](const std::filesystem::path& dir) { return "sqlite:" + (dir / "assetpub.db").string(); }},
    {"postgres", PostgresUrlFor},
};

// What gtest prints for a parameter: the backend's name, not its bytes.
inline void PrintTo(const Backend& backend, std::ostream* out) { *out << backend.name; }

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
