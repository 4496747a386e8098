#pragma once
// Store is where assets live: an interface with one implementation per backend (sqlite/, the
// embedded default; postgres/, for PostgreSQL and several nodes), all passing one conformance
// suite (store_conformance_test.cpp and its siblings, run on both). Every write appends to a
// `changes` log with a sequence number, which the search index and the response cache follow
// (and, on PostgreSQL, every other node's).
//
// The changes log's rule, which every backend keeps: a change becomes visible to readers only
// after every change with a lower seq is visible (or was rolled back and never will be). So a
// follower that has applied everything up to seq N may read `ChangesSince(N)` and never miss a
// change that commits later with a lower number. (SQLite has one writer; PostgreSQL's writers,
// on every node, take turns on an advisory lock held until their commit is visible.) Seqs
// increase but may skip numbers (a rolled-back write).
//
// Thread-safety: a Store may be used from many threads at once. A Transaction belongs to the
// thread that began it; writes are serialised (one writer at a time), reads never block on them.
// Do not call a writing method (Begin, AddViews, AddMedia) or Accounts' from a thread that holds
// an open Transaction: it may wait for that transaction, until the backend's lock timeout
// (10 s), then fail with Error(kUnavailable).

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
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

// Terms an asset must carry (tags, people, or one vocabulary's categories): at least one of
// `any` (when not empty), every one of `all`, none of `none`. Compared exactly as stored.
struct TermFilter {
  std::vector<std::string> any;
  std::vector<std::string> all;
  std::vector<std::string> none;
  // People only: when set, `any` is every stored name with this slug (Store::NamesBySlug, a
  // person's page), so the list may start from the slug's own rows: one term, where the names
  // in two scripts made every count a DISTINCT over both names' assets. (Defaulted: filters
  // brace-initialised elsewhere leave it out.)
  std::string slug = {};
  bool empty() const { return any.empty() && all.empty() && none.empty(); }
  bool operator==(const TermFilter&) const = default;
};

enum class SortKey {
  kPublished,  // published_at
  kModified,   // modified_at, falling back to published_at when never modified
  kTitle,      // the title in Selection::language, by that language's ICU collation (for a
               // primary subtag, the asset's first translation of it by tag: en-GB before en-US)
  kPriority,   // Asset::priority
  kViews,      // the view count (Store::AddViews)
  kKind,       // the order of content::AllKinds()
};
struct SortOrder {
  SortKey key = SortKey::kPublished;
  bool descending = true;
  bool operator==(const SortOrder&) const = default;
};

// What a list shows (a publisher's page, a tag's or a person's list), chosen and paged by the
// backend: never by loading every asset and filtering in memory.
struct Selection {
  std::optional<content::Status> status = content::Status::kPublished;
  // Only assets with a translation in this language (a full tag such as "ru-RU", or a primary
  // subtag such as "ru" matching any "ru-…" translation; an asset counts once); it is also the
  // language whose title SortKey::kTitle sorts by. Required.
  std::string language;
  // Manual selection: exactly these ids, in this order, each at its first place (the filters
  // below and `order` are ignored; ids that do not exist or do not match status/language are
  // left out); offset and limit page over what is left, and total counts it.
  std::optional<std::vector<int64_t>> ids;
  std::vector<content::Kind> kinds;  // empty: every kind
  TermFilter tags;
  TermFilter people;
  std::map<std::string, TermFilter> categories;  // vocabulary -> filter
  std::optional<content::Instant> from;          // published_at >= from
  std::optional<content::Instant> to;            // published_at < to
  // Keys in order of precedence; ties end by published_at then id, both descending. Empty:
  // newest first. Several keys: the first decides, the next break its ties, and so on.
  std::vector<SortOrder> order;
  int64_t offset = 0;  // not negative
  int64_t limit = 20;  // 1..1000
  // False: the assets come without blocks (bodies), which list pages do not show; everything
  // else (titles, summaries, slugs, people, tags, …) is there.
  bool with_bodies = true;
  // False: ListPage::total is not counted (-1): for simple paging and feeds.
  bool count_total = true;
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

// An asset's public URLs, for sitemaps: its translations' languages and slugs.
struct UrlEntry {
  int64_t id = 0;
  content::Instant published_at;
  std::optional<content::Instant> modified_at;
  std::vector<std::pair<std::string, std::string>> translations;  // (language, slug), by language
};

// The vocabularies a list can be built on by a name's slug (/{lang}/people/{slug}/, tags).
enum class Vocabulary { kPeople, kTags };

struct Change {
  int64_t seq = 0;
  int64_t asset_id = 0;
  std::string op;  // "put" or "delete"
  content::Instant at;
};

// One saved version of an asset (the authoring workflow's history): the whole asset as an editor
// saved it, numbered 1, 2, … per asset. Revisions are not changes: the changes log records what
// readers can see, which only Put alters; saving a revision of a published asset leaves its
// public version alone.
struct Revision {
  int64_t asset_id = 0;
  int64_t number = 0;  // 1, 2, … per asset, in the order saved
  content::Instant at;
  std::string author;  // who saved it (a principal's name)
  std::string note;    // why: "create", "edit", "publish", "schedule", … or the editor's words
  std::optional<content::Asset> asset;  // the content; nullopt where a listing leaves it out
};

// Where an asset's history stands: its newest revision (the working copy) and the one its
// stored row (what readers see, when its status is published) was last written from. Both 0 for
// an asset with no revisions (one imported, never edited here).
struct RevisionHead {
  int64_t latest = 0;
  int64_t live = 0;
  bool operator==(const RevisionHead&) const = default;
};

// One file of the media library (DESIGN.md §2, Asset::media): what was uploaded, by whom and
// when. `file.caption` is empty here (a caption belongs to an attachment, on the asset).
struct MediaRecord {
  content::MediaFile file;
  content::Instant uploaded_at;
  std::string uploaded_by;  // a principal's name
  bool operator==(const MediaRecord&) const = default;
};

struct MediaPage {
  std::vector<MediaRecord> files;  // newest upload first (then the later-added first)
  int64_t total = 0;               // how many files the library has
};

// The bytes of one stored file (a blob): see Store::PutBlob.
struct BlobInfo {
  int64_t size = 0;    // bytes
  std::string sha256;  // the SHA-256 of the bytes in lower-case hex, as the writer declared it
  bool operator==(const BlobInfo&) const = default;
};

// Blobs are kept and moved in chunks of this many bytes (the last one shorter): the most of a
// blob a store holds in memory at once, writing or reading.
inline constexpr size_t kBlobChunkBytes = 256 * 1024;

// Where PutBlob reads a blob's bytes: fills up to `capacity` bytes of `buffer` with the next
// bytes and returns how many (0 at the end; fewer than `capacity` does not mean the end). May
// throw to abandon the write.
using BlobSource = std::function<size_t(char* buffer, size_t capacity)>;
// Where ReadBlob delivers a blob's bytes: one chunk at a time, in order; `chunk` is valid only
// during the call. May throw to abandon the read.
using BlobSink = std::function<void(std::string_view chunk)>;

// An old address of an item, kept when a site moves here (a WordPress permalink's path and query:
// "/2014/03/12/statement/", "/?p=12"): the site answers it with a 301 to the item's page in
// `language`. Deleting the asset deletes its redirects.
struct Redirect {
  std::string path;  // starts with '/'; as the old site wrote it (percent-encoding kept)
  int64_t asset_id = 0;
  std::string language;  // the translation the old address showed
  bool operator==(const Redirect&) const = default;
};

// The longest Redirect::path a store keeps, in bytes.
inline constexpr size_t kMaxRedirectPath = 2000;

// For the backends' PutRedirect: Error(kInvalidInput) unless the path starts with '/' and is at
// most kMaxRedirectPath bytes; and the error for an asset that does not exist.
void CheckRedirect(const Redirect& redirect);
[[noreturn]] void NoSuchRedirectAsset(const Redirect& redirect);

// Which redirects Store::ListRedirects returns: one page of them, by path.
struct RedirectQuery {
  std::optional<int64_t> asset_id;  // only this asset's; nullopt: every asset's
  int64_t offset = 0;               // not negative
  int64_t limit = 100;              // 1..1000
};

struct RedirectPage {
  std::vector<Redirect> redirects;  // ordered by path, compared bytewise
  int64_t total = 0;                // how many match the query in all
};

// For the backends' ListRedirects: Error(kInvalidInput) for a limit outside 1..1000 or a
// negative offset.
void CheckRedirectQuery(const RedirectQuery& query);

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
  // Removes the asset and its translations (and its revisions); appends a "delete" change.
  // kNotFound if absent.
  virtual void Delete(int64_t id) = 0;

  // --- Revisions (see Revision) ---------------------------------------------------------------
  // Appends revision Head(id).latest + 1 of asset `revision.asset_id`, which must exist
  // (Error(kNotFound)), holding `*revision.asset` (required: a broken rule otherwise); writes its
  // number into `revision` and returns it. Appends no change. Does not move Head().live.
  virtual int64_t AddRevision(Revision& revision) = 0;
  // Revision `number` of asset `id` with its asset; number 0 means the newest. nullopt when
  // there is no such revision.
  virtual std::optional<Revision> GetRevision(int64_t id, int64_t number) = 0;
  // Every revision of asset `id`, newest first, without their assets (Revision::asset nullopt).
  virtual std::vector<Revision> Revisions(int64_t id) = 0;
  // The asset's head ({0, 0} when it has no revisions or does not exist).
  virtual RevisionHead Head(int64_t id) = 0;
  // Records that the asset's stored row now holds revision `number` (which must exist:
  // Error(kNotFound)).
  virtual void SetLiveRevision(int64_t id, int64_t number) = 0;
  // Up to `limit` assets whose status is scheduled, earliest published_at first (then by id):
  // (id, published_at). For the scheduler.
  virtual std::vector<std::pair<int64_t, content::Instant>> Scheduled(int64_t limit) = 0;
  // Makes the writes durable. Throws Error(kUnavailable) if the backend refuses (busy, I/O).
  virtual void Commit() = 0;

  // --- Redirects (see Redirect) ---------------------------------------------------------------
  // Adds `redirect`, or replaces the one with the same path. Returns false when the stored one
  // already says the same (nothing written). Error(kInvalidInput) for a path that does not start
  // with '/' or an asset that does not exist. Appends no change.
  virtual bool PutRedirect(const Redirect& redirect) = 0;
  // Removes the redirect of exactly `path`: true when there was one, false when there was none
  // (nothing written). Appends no change.
  virtual bool DeleteRedirect(std::string_view path) = 0;
};

class Store {
 public:
  virtual ~Store() = default;

  // Starts a write transaction (waits for any other writer to finish).
  virtual std::unique_ptr<Transaction> Begin() = 0;
  // Says that a long run of writes follows (an import): the backend may hold more memory for
  // them from now until it is closed. Changes nothing that is stored. (The default does
  // nothing; SQLite enlarges its writer's page cache and WAL.)
  virtual void ExpectBulkWrites() {}
  virtual std::optional<content::Asset> Get(int64_t id) = 0;
  // The redirect stored for exactly `path`, or nullopt. (The default, for stores without
  // redirects, finds none; both backends keep them.)
  virtual std::optional<Redirect> FindRedirect(std::string_view path);
  // A page of the redirects `query` selects (every asset's, or one asset's), ordered by path
  // compared bytewise, from one snapshot; `total` counts every match. Error(kInvalidInput) for a
  // limit outside 1..1000 or a negative offset. (The default, as FindRedirect's, has none.)
  virtual RedirectPage ListRedirects(const RedirectQuery& query);
  // Title and slug of each of `ids` that exists, in `language` (a tag or primary subtag),
  // falling back to the asset's first translation; for links. In the order of `ids`.
  virtual std::vector<Headline> Headlines(const std::vector<int64_t>& ids,
                                          std::string_view language) = 0;
  virtual ListPage List(const ListQuery& query) = 0;
  // The page of assets `selection` describes, filtered, ordered and paged by the backend (one
  // query for the page, one for the total). Throws Error(kInvalidInput) for a limit out of
  // range, a negative offset or an empty language.
  virtual ListPage Select(const Selection& selection) = 0;
  // Ids of the assets whose "Additional materials" list `id` (the other direction of
  // Asset::related), in id order, whatever their status.
  virtual std::vector<int64_t> ReferencedBy(int64_t id) = 0;
  // The distinct names (people) or tags whose content::MakeSlug is `slug`, sorted (bytewise),
  // that a published asset carries (a name only drafts carry is not public yet); empty when
  // none. Several names can share
  // a slug ("Sergey Lavrov" and "Сергей Лавров" are both "sergey-lavrov").
  virtual std::vector<std::string> NamesBySlug(Vocabulary vocabulary, std::string_view slug) = 0;
  // Up to `limit` published assets with id > `after_id`, in id order (keyset paging: pass the
  // last id seen); empty when none are left or `limit` < 1.
  virtual std::vector<UrlEntry> PublishedUrls(int64_t after_id, int64_t limit) = 0;
  // How many published assets have a translation in `language` (tag or primary subtag, as in
  // Selection::language); an empty `language` counts every published asset.
  virtual int64_t CountPublished(std::string_view language) = 0;
  // Adds page views: (asset id, count) pairs, in one write; unknown ids and counts below 1 are
  // ignored. Not a change: no entry in the changes log (views reorder "most read" lists, they
  // do not alter content), and Put keeps an asset's views. Counts from several processes (nodes)
  // add up.
  virtual void AddViews(const std::vector<std::pair<int64_t, int64_t>>& views) = 0;
  // Calls `visit` for every asset in id order (export, reindex). Streams: memory stays flat.
  virtual void ForEach(const std::function<void(const content::Asset&)>& visit) = 0;
  // ForEach without the translations' blocks (bodies), as Selection::with_bodies = false: for
  // scans that need only what lists and filters read (the response cache's list summaries, the
  // scheduler). Parsing bodies is most of a full scan's cost. The default calls ForEach.
  virtual void ForEachWithoutBodies(const std::function<void(const content::Asset&)>& visit);
  // The sequence number of the last change (0 for an empty store).
  virtual int64_t LastChange() = 0;
  // Up to `limit` changes with seq > `after`, oldest first.
  virtual std::vector<Change> ChangesSince(int64_t after, int64_t limit) = 0;
  // Waits until LastChange() > `after` (true) or `deadline` passes (false), for followers, which
  // call it instead of sleeping between catch-ups. The default polls LastChange() every 50 ms
  // (SQLite); PostgreSQL is woken by a notification from each commit (LISTEN/NOTIFY), with a poll
  // every second as a safety net. False means LastChange() was read after the call began and was
  // not past `after` (PageCache counts on it to confirm it is current). Throws as LastChange()
  // does (the backend away).
  virtual bool WaitForChange(int64_t after, std::chrono::steady_clock::time_point deadline);

  // Leadership among the processes that share this store (several nodes on one PostgreSQL), for
  // work that must run once per site (the scheduler), asked before each round: true while this
  // Store holds the lease `name`, taking it when it is free. A lease goes with its holder: it is
  // released when the Store is destroyed or its process or connection dies, and another process
  // takes it at its next call. A holder must call again at least every second: on PostgreSQL a
  // holder silent for 1.5 s (a frozen process) loses it. Never throws: a backend it cannot reach
  // means "not leading". The default (SQLite, whose store one server uses) is always true.
  virtual bool Lead(std::string_view name);

  // The store's pooled connections to its database server (not the few it keeps for LISTEN and
  // Lead), for /metrics: those open (idle or in use),
  // those idle, those opened since the start, and the attempts to open one that failed. nullopt
  // for a store without a server (SQLite: a file opened per thread, nothing to watch).
  struct ConnectionStats {
    int64_t open = 0;
    int64_t idle = 0;
    int64_t opened_total = 0;
    int64_t failed_total = 0;
  };
  virtual std::optional<ConnectionStats> Connections() { return std::nullopt; }

  // Reads of the authoring workflow, as the Transaction methods of the same names say. These
  // defaults read through a write transaction (Begin()); a backend overrides them to read
  // without waiting for the writer.
  virtual std::vector<Revision> Revisions(int64_t id);
  virtual std::optional<Revision> GetRevision(int64_t id, int64_t number);
  virtual RevisionHead Head(int64_t id);
  virtual std::vector<std::pair<int64_t, content::Instant>> Scheduled(int64_t limit);
  // Ids of up to `limit` published assets whose expires_at is at or before `now`, earliest
  // first (then by id). For the scheduler. The default visits every asset (ForEach).
  virtual std::vector<int64_t> Expiring(content::Instant now, int64_t limit);

  // --- The media library (MediaRecord) ---------------------------------------------------------
  // Not content: no entry in the changes log.
  // Adds `record` unless the library already has a file of its hash: true when added, false when
  // it was there (the first upload's record is kept: identical bytes are one file).
  virtual bool AddMedia(const MediaRecord& record) = 0;
  // The library's record of `hash`, or nullopt.
  virtual std::optional<MediaRecord> FindMedia(std::string_view hash) = 0;
  // True when a published asset has the file of `hash` attached (Asset::media): the files
  // /media/ may serve to anyone. Whatever the library holds; a draft's, a scheduled or archived
  // item's files are not public.
  virtual bool IsPublicMedia(std::string_view hash) = 0;
  // A page of the library, newest upload first. Error(kInvalidInput) for a limit outside 1..1000
  // or a negative offset.
  virtual MediaPage ListMedia(int64_t offset, int64_t limit) = 0;

  // --- Media bytes (blobs) -------------------------------------------------------------------
  // The bytes of the library's files and their thumbnails, so that every process sharing the
  // store (every node on one PostgreSQL) can serve every upload; media::MediaStore keeps each
  // node's DATA/media as a cache of them. A blob is immutable bytes under a key (MediaStore uses
  // the file's relative path, "ab/<hash>.png", "ab/<hash>-320.jpg"), stored as chunks of
  // kBlobChunkBytes: written and read one chunk at a time, never whole in memory. The store does
  // not hash: it keeps the SHA-256 its writer declares, and readers verify the bytes against it.
  // Not content: no entry in the changes log.

  // Stores the bytes `source` yields under `key` (not empty), with `info`, in one transaction:
  // every chunk or none. Idempotent: when `key` is already stored (by any process) it writes
  // nothing, does not call `source`, and returns false; true when it stored the blob. Keys are
  // content-addressed, so the blob already there is taken to be these bytes. Throws
  // Error(kInvalidInput) when `source` yields more or fewer than `info.size` bytes or `info.size`
  // is negative (nothing stored); whatever `source` throws passes through (nothing stored). Holds
  // the backend's write lock while it reads `source` (SQLite: every writer waits).
  virtual bool PutBlob(std::string_view key, const BlobInfo& info, const BlobSource& source) = 0;
  // The size and declared hash of the blob `key`, or nullopt when there is none.
  virtual std::optional<BlobInfo> FindBlob(std::string_view key) = 0;
  // Calls `sink` with the blob's chunks in order (each at most kBlobChunkBytes; none for an empty
  // blob), from one snapshot, one chunk in memory at a time; returns its info. nullopt, with
  // `sink` never called, when there is no blob `key`. A failure part-way (the database away:
  // Error(kUnavailable); stored chunks that do not add up to the size: Error(kInternal)) throws
  // after `sink` may have seen some chunks: the caller discards what it received. Whatever `sink`
  // throws passes through.
  virtual std::optional<BlobInfo> ReadBlob(std::string_view key, const BlobSink& sink) = 0;
};

// Opens the store a URL names (created with its schema if missing; migrations are applied on
// open):
//   sqlite:PATH                      the SQLite file at PATH
//   sqlite:PATH?busy_timeout_ms=N    … whose connections wait up to N ms (default 10000) for
//                                    another connection's lock before a call fails with
//                                    Error(kUnavailable); 0 fails at once
//   postgresql://USER:PASSWORD@HOST:PORT/DB   a PostgreSQL database (a libpq URI, "postgres://"
//                                    too, with libpq's own ?options); the password may instead
//                                    come from PGPASSWORD or ~/.pgpass. The database must exist;
//                                    its tables are created on first open
// Throws Error(kInvalidInput) for a URL it cannot handle (an unknown scheme or option, a bad
// value) and Error(kUnavailable) when the database cannot be opened. Defined in the target
// assetpub_store_backends (store/backends/), which links every backend: link it where a store is
// opened; code that only uses a Store links assetpub_store alone.
std::unique_ptr<Store> OpenStore(const std::string& url);

// `url` fit for a log or a message: a password in it ("postgresql://user:secret@host/db", or a
// `password=` option) replaced by "***". Never throws.
std::string RedactUrl(std::string_view url);

}  // namespace assetpub::store
