#pragma once
// Store is where assets live: an interface with one implementation per backend (sqlite/ now,
// postgres/ next), all passing one conformance suite (store_conformance_test.cpp). Every write
// appends to a `changes` log with a sequence number, which the search index and the response
// cache follow.
//
// Thread-safety: a Store may be used from many threads at once. A Transaction belongs to the
// thread that began it; writes are serialised (one writer at a time), reads never block on them.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "content/asset.h"

namespace assetpub::store {

struct ListQuery {
  // Only assets with this status; nullopt for all.
  std::optional<content::Status> status = content::Status::kPublished;
  // Only assets that have a translation in this language: a full tag ("ru-RU") or a primary
  // subtag ("ru"); empty for all.
  std::string language;
  int64_t offset = 0;
  int64_t limit = 20;  // 1..1000
};

struct ListPage {
  std::vector<content::Asset> assets;  // newest published_at first, then highest id first
  int64_t total = 0;                   // how many match the query in all
};

struct Headline {
  int64_t id = 0;
  std::string language;  // the translation's tag
  std::string title;
  std::string slug;
  content::Status status = content::Status::kPublished;
};

struct Change {
  int64_t seq = 0;
  int64_t asset_id = 0;
  std::string op;  // "put" or "delete"
  content::Instant at;
};

// A unit of work: everything written through it lands together at Commit(), or not at all if it
// is destroyed first (rollback). Reads through it see its own writes.
class Transaction {
 public:
  virtual ~Transaction() = default;

  virtual std::optional<content::Asset> Get(int64_t id) = 0;
  // Every asset whose published_at is exactly `at`, in id order.
  virtual std::vector<content::Asset> FindByPublishedAt(content::Instant at) = 0;
  // The lowest id of an asset one of whose translations has exactly this title, if any.
  virtual std::optional<int64_t> FindIdByTitle(std::string_view title) = 0;
  // Ids of assets with an unmatched "Additional materials" entry of exactly this title.
  virtual std::vector<int64_t> FindUnmatchedRelated(std::string_view title) = 0;
  // Inserts or replaces `asset` whole. id 0 gets a new id (written back into `asset`); a given
  // id is kept (so an export imports back unchanged). Appends a "put" change. The caller has
  // validated the asset; the store enforces only its own constraints (Error kConflict for a
  // slug or id clash, kInvalidInput for a related id that does not exist).
  virtual int64_t Put(content::Asset& asset) = 0;
  // Removes the asset and its translations; appends a "delete" change. kNotFound if absent.
  virtual void Delete(int64_t id) = 0;
  // Makes the writes durable. Throws Error(kUnavailable) if the backend refuses (busy, I/O).
  virtual void Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Starts a write transaction (waits for any other writer to finish).
  virtual std::unique_ptr<Transaction> Begin() = 0;
  virtual std::optional<content::Asset> Get(int64_t id) = 0;
  // Title and slug of each of `ids` that exists, in `language` (a tag or primary subtag),
  // falling back to the asset's first translation; for links. In the order of `ids`.
  virtual std::vector<Headline> Headlines(const std::vector<int64_t>& ids,
                                          std::string_view language) = 0;
  virtual ListPage List(const ListQuery& query) = 0;
  // Calls `visit` for every asset in id order (export, reindex). Streams: memory stays flat.
  virtual void ForEach(const std::function<void(const content::Asset&)>& visit) = 0;
  // The sequence number of the last change (0 for an empty store).
  virtual int64_t LastChange() = 0;
  // Up to `limit` changes with seq > `after`, oldest first.
  virtual std::vector<Change> ChangesSince(int64_t after, int64_t limit) = 0;
};

// Opens the store a URL names: "sqlite:PATH" (created with its schema if missing; migrations
// are applied on open). Throws Error(kInvalidInput) for a URL it cannot handle and
// Error(kUnavailable) when the database cannot be opened.
std::unique_ptr<Store> OpenStore(const std::string& url);

}  // namespace assetpub::store
