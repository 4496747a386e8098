#include "search/index_writer.h"

#include <algorithm>
#include <exception>
#include <filesystem>
#include <optional>
#include <vector>

#include "core/error.h"
#include "search/document.h"
#include "search/shard_builder.h"

// A rebuild writes the next generation beside the live one and switches CURRENT only once it is
// complete (generations.h), so searches never see a half-built index and a crash leaves the old
// one live. Its documents are built as shards on one thread per core (up to four,
// shard_builder.h), then compacted into the new generation: documents keep the store's id order,
// and the shards' spelling counts add up.

namespace assetpub::search::internal {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kChangesPerBatch = 1000;

}  // namespace

int64_t IndexWriter::CatchUp(store::Store& store, const ProgressFn& progress) {
  std::lock_guard guard(writer_mutex_);
  const WriteLock lock(generations_.dir(), /*wait=*/false);
  return CatchUpLocked(store, progress);
}

void IndexWriter::Rebuild(store::Store& store, const ProgressFn& progress) {
  std::lock_guard guard(writer_mutex_);
  const WriteLock lock(generations_.dir(), /*wait=*/false);
  RebuildLocked(store, progress);
}

IndexWriter::Progress IndexWriter::RebuildProgress() const {
  Progress progress;
  progress.total = rebuild_total_.load(std::memory_order_relaxed);
  progress.read = rebuild_read_.load(std::memory_order_relaxed);
  if (progress.total < 0 || progress.read < 0) progress.read = progress.total = -1;
  return progress;
}

// Removes the documents of asset `id` and adds those of `asset` when it is published (CatchUp:
// the asset's old documents are found by its A term), keeping the spelling dictionary as
// word -> number of documents. Returns how the number of assets with documents changed (-1, 0
// or 1). A rebuild does not come here: see ShardBuilder.
int64_t IndexWriter::Apply(Xapian::WritableDatabase& db, int64_t id, const content::Asset* asset,
                           const CommonWords& common, std::set<std::string>& languages) {
  const std::string asset_term = std::string(kAssetTerm) + std::to_string(id);
  std::vector<Xapian::docid> old_docs;
  for (auto it = db.postlist_begin(asset_term); it != db.postlist_end(asset_term); ++it) {
    old_docs.push_back(*it);
  }
  for (const Xapian::docid did : old_docs) {
    const Xapian::Document doc = db.get_document(did);
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
      if (IsSpellingWord(*term)) db.remove_spelling(*term, 1);
    }
    db.delete_document(did);
  }
  const int64_t before = old_docs.empty() ? 0 : 1;
  if (asset == nullptr || asset->status != content::Status::kPublished) return -before;
  std::vector<Xapian::Document> docs = BuildDocuments(*asset);
  for (Xapian::Document& doc : docs) {
    AddCommonGrams(doc, common);
    db.add_document(doc);
    for (auto term = doc.termlist_begin(); term != doc.termlist_end(); ++term) {
      if (IsSpellingWord(*term)) db.add_spelling(*term, 1);
    }
  }
  for (const auto& [tag, translation] : asset->translations) {
    languages.insert(LanguageKey(tag));
  }
  return (docs.empty() ? 0 : 1) - before;
}

int64_t IndexWriter::CatchUpLocked(store::Store& store, const ProgressFn& progress) {
  const std::string current = generations_.Current();
  Xapian::WritableDatabase db = generations_.OpenWriter(current, Xapian::DB_OPEN);
  int64_t last = LastAppliedOf(db);
  const int64_t target = store.LastChange();
  if (const std::string format = db.get_metadata(kFormatKey);
      format != kIndexFormat && format != kIndexFormatWithGrams) {
    // Its documents have other terms than a search now looks for (an older assetpub).
    db.close();
    return RebuildLocked(store, progress);
  }
  if (target < last) {
    // The store went back in time (restored, or another store): nothing in the index can be
    // trusted to match it.
    db.close();
    return RebuildLocked(store, progress);
  }
  if (target - last > std::max<int64_t>(rebuild_backlog_.load(std::memory_order_relaxed),
                                        static_cast<int64_t>(db.get_doccount()))) {
    db.close();
    return RebuildLocked(store, progress);
  }
  const int64_t start = last;
  std::set<std::string> languages;
  for (const std::string& language : SplitLanguages(db.get_metadata(kLanguagesKey))) {
    languages.insert(language);
  }
  // The pairs of the words the generation was built with (none when it was built without).
  const CommonWords common = CommonWords::Decode(db.get_metadata(kCommonWordsKey));
  int64_t touched = 0;
  try {
    int64_t assets = StoredAssets(db).value_or(-1);
    if (assets < 0) assets = CountAssets(db);
    for (;;) {
      const std::vector<store::Change> changes = store.ChangesSince(last, kChangesPerBatch);
      if (changes.empty()) break;
      std::set<int64_t> ids;
      for (const store::Change& change : changes) ids.insert(change.asset_id);
      for (const int64_t id : ids) {
        // The asset as it is now, whatever the change said: applying a later state early is
        // harmless, since its own change re-applies the same state.
        const std::optional<content::Asset> asset = store.Get(id);
        assets += Apply(db, id, asset ? &*asset : nullptr, common, languages);
      }
      touched += static_cast<int64_t>(ids.size());
      last = changes.back().seq;
      db.set_metadata(kLastAppliedKey, std::to_string(last));
      db.set_metadata(kLanguagesKey, JoinLanguages(languages));
      db.set_metadata(kAssetsKey, std::to_string(assets));
      db.commit();  // the documents, the sequence number and the counts land together
      if (progress) progress(last - start, std::max(target, last) - start);
    }
  } catch (const Xapian::Error& e) {
    Unavailable("writing the index failed: " + e.get_msg());
  }
  return touched;
}

int64_t IndexWriter::RebuildLocked(store::Store& store, const ProgressFn& progress) {
  const Generations::Next next = generations_.PrepareNext();
  const fs::path& dir = generations_.dir();

  // Changes after this point are applied by the catch-up below, so none is lost.
  const int64_t applied = store.LastChange();
  store::ListQuery all;
  all.status = std::nullopt;
  all.limit = 1;
  const int64_t total = store.List(all).total;
  int64_t done = 0;
  rebuild_total_.store(total, std::memory_order_relaxed);
  rebuild_read_.store(0, std::memory_order_relaxed);
  struct Ended {  // however the rebuild ends, RebuildProgress() stops reporting it
    IndexWriter& writer;
    ~Ended() {
      writer.rebuild_read_.store(-1, std::memory_order_relaxed);
      writer.rebuild_total_.store(-1, std::memory_order_relaxed);
    }
  } ended{*this};
  try {
    fs::create_directories(dir / next.scratch);
    ShardBuilder builder(dir / next.scratch, rebuild_threads_.load(std::memory_order_relaxed),
                         common_per_language_.load(std::memory_order_relaxed));
    store.ForEach([&](const content::Asset& asset) {
      if (rebuilds_stopped_.load(std::memory_order_relaxed)) {
        throw Error(ErrorCode::kUnavailable, "search index: the rebuild was stopped");
      }
      builder.Add(asset);
      ++done;
      rebuild_read_.store(done, std::memory_order_relaxed);
      if (progress && done % 1000 == 0) progress(done, total);
    });
    const ShardBuilder::Output shards = builder.Finish();
    // One database over every shard, in shard order (so documents keep the store's id
    // order), compacted into the new generation: a streaming merge of sorted posting lists,
    // far cheaper than growing one database. The spelling dictionary comes from the last
    // sources, which hold no documents.
    if (!shards.paths.empty()) CompactInto(shards.paths, dir / next.name);
    fs::remove_all(dir / next.scratch);
    Xapian::WritableDatabase db = generations_.OpenWriter(next.name, Xapian::DB_CREATE_OR_OPEN);
    db.set_metadata(kLastAppliedKey, std::to_string(applied));
    db.set_metadata(kLanguagesKey, JoinLanguages(shards.languages));
    db.set_metadata(kAssetsKey, std::to_string(shards.assets));
    db.set_metadata(kFormatKey,
                    std::string(shards.common.empty() ? kIndexFormat : kIndexFormatWithGrams));
    db.set_metadata(kCommonWordsKey, shards.common.Encode());
    db.commit();
    db.close();
  } catch (...) {
    generations_.Discard(next);
    try {
      throw;
    } catch (const Xapian::Error& e) {
      // Not a std::exception: the CLI and the server catch Error (a disk full, say).
      Unavailable("rebuilding the index failed: " + e.get_msg());
    }
  }
  if (progress) progress(done, total);
  generations_.Switch(next);
  return done + CatchUpLocked(store, {});
}

}  // namespace assetpub::search::internal
