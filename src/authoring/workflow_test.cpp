// The authoring workflow against a real SQLite store and a real audit log: who may do what,
// what readers see at each step (nothing before publication), revisions, concurrent edits, and
// the scheduler's exact second.
#include "authoring/workflow.h"

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "auth/authenticator.h"
#include "authoring/scheduler.h"
#include "content/asset.h"
#include "content/asset_json.h"
#include "core/error.h"
#include "store/accounts.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace assetpub::authoring {
namespace {

using auth::Action;
using auth::Principal;
using auth::Role;
using content::Asset;
using content::Instant;
using content::ParseIso8601;
using content::Status;

Principal Person(Role role) {
  Principal p;
  p.user_id = 1 + static_cast<int>(role);
  p.name = std::string(auth::RoleName(role)) + "-user";
  p.role = role;
  p.via = Principal::Via::kToken;
  return p;
}

Asset Draft(const std::string& title) {
  Asset a;
  a.kind = content::Kind::kStatement;
  a.published_at = ParseIso8601("2024-03-01T10:00:00Z");
  content::Translation en;
  en.title = title;
  en.blocks = {content::Block::Paragraph("Text of " + title)};
  a.translations["en-GB"] = en;
  return a;
}

ErrorCode CodeOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error thrown";
  return ErrorCode::kInternal;
}

// What anonymous readers can get at: the store's public reads.
bool PubliclyVisible(store::Store& store, int64_t id) {
  const auto asset = store.Get(id);
  return asset && asset->status == Status::kPublished;
}
std::vector<std::string> PublicTitles(store::Store& store) {
  store::ListQuery query;
  query.limit = 1000;
  std::vector<std::string> titles;
  for (const Asset& a : store.List(query).assets) {
    titles.push_back(a.translations.begin()->second.title);
  }
  return titles;
}

class WorkflowTest : public ::testing::Test {
 protected:
  WorkflowTest() { Open(Url()); }

  // The test's database; `options` is a store URL's query ("?busy_timeout_ms=…").
  std::string Url(const std::string& options = "") const {
    return "sqlite:" + (temp_.path() / "assetpub.db").string() + options;
  }

  // (Re)opens the store, the accounts and the workflow over them on `url`.
  void Open(const std::string& url) {
    workflow_.reset();
    authenticator_.reset();
    accounts_.reset();
    store_.reset();
    store_ = store::OpenStore(url);
    accounts_ = store::OpenAccounts(url);
    auth::AuthOptions options;
    options.password = auth::PasswordLimits::ForTestsOnly();
    authenticator_ = std::make_unique<auth::Authenticator>(*accounts_, options);
    WorkflowOptions wf;
    wf.clock = [this] { return Instant{now_.load()}; };
    wf.on_commit = [this] { ++commits_; };
    workflow_ = std::make_unique<Workflow>(*store_, authenticator_.get(), wf);
  }

  std::vector<std::string> AuditActions() {
    std::vector<std::string> out;
    for (const auto& e : accounts_->ReadAudit({0, 100}).entries) {
      out.push_back(e.actor + " " + e.action + " " + e.target);
    }
    return out;
  }

  const assetpub::testing::TempDir temp_{"assetpub-authoring-"};
  std::atomic<int64_t> now_{ParseIso8601("2024-06-01T12:00:00Z").seconds};
  std::atomic<int> commits_{0};
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Accounts> accounts_;
  std::unique_ptr<auth::Authenticator> authenticator_;
  std::unique_ptr<Workflow> workflow_;
  const Principal editor_ = Person(Role::kEditor);
  const Principal publisher_ = Person(Role::kPublisher);
  const Principal admin_ = Person(Role::kAdmin);
};

TEST_F(WorkflowTest, ANewItemIsAnInvisibleDraftWithRevisionOne) {
  Asset asset = Draft("Fresh statement");
  asset.status = Status::kPublished;  // ignored: a new item is a draft
  const Item item = workflow_->Create(editor_, asset, "", "10.0.0.1");
  EXPECT_GT(item.working.id, 0);
  EXPECT_EQ(item.status, Status::kDraft);
  EXPECT_EQ(item.head, (store::RevisionHead{1, 1}));
  EXPECT_FALSE(item.pending);
  // Filled in: the slug from the title, the language from the key, the declared languages.
  const content::Translation& en = item.working.translations.at("en-GB");
  EXPECT_EQ(en.slug, "fresh-statement");
  EXPECT_EQ(en.language, "en-GB");
  EXPECT_EQ(item.working.languages, std::vector<std::string>{"en-GB"});
  EXPECT_FALSE(PubliclyVisible(*store_, item.working.id));
  EXPECT_TRUE(PublicTitles(*store_).empty());
  EXPECT_THAT(AuditActions(), ::testing::ElementsAre(fmt::format(
                                  "editor-user asset.create asset:{}", item.working.id)));
}

TEST_F(WorkflowTest, CreateRejectsAnInvalidAssetAndAGivenId) {
  Asset untitled = Draft("");
  EXPECT_EQ(CodeOf([&] { workflow_->Create(editor_, untitled, "", ""); }),
            ErrorCode::kInvalidInput);
  Asset with_id = Draft("With id");
  with_id.id = 5;
  EXPECT_EQ(CodeOf([&] { workflow_->Create(editor_, with_id, "", ""); }), ErrorCode::kInvalidInput);
  EXPECT_EQ(store_->LastChange(), 0);  // nothing written
}

// Each operation against each role: the expected table is written out here, not derived from
// auth::Allows, so a change to the permissions table must be made on purpose in both places.
TEST_F(WorkflowTest, PermissionMatrix) {
  struct Row {
    std::string name;
    std::map<Role, bool> allowed;
    std::function<void(const Principal&, int64_t id)> run;
  };
  const std::vector<Row> rows = {
      {"create",
       {{Role::kEditor, true}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t) { workflow_->Create(p, Draft("Matrix new"), "", ""); }},
      {"read",
       {{Role::kEditor, true}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) { workflow_->Get(p, id); }},
      {"history",
       {{Role::kEditor, true}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) { workflow_->History(p, id); }},
      {"save",
       {{Role::kEditor, true}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) {
         workflow_->Save(p, id, Draft("Matrix"), store_->Head(id).latest, "", "");
       }},
      {"restore",
       {{Role::kEditor, true}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) {
         workflow_->Restore(p, id, 1, store_->Head(id).latest, "");
       }},
      {"diff",
       {{Role::kEditor, true}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) { workflow_->Diff(p, id, 1, 1); }},
      {"publish",
       {{Role::kEditor, false}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) {
         workflow_->Publish(p, id, std::nullopt, std::nullopt, "");
       }},
      {"schedule",
       {{Role::kEditor, false}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) {
         workflow_->Schedule(p, id, std::nullopt, Instant{now_ + 60}, "");
       }},
      {"archive",
       {{Role::kEditor, false}, {Role::kPublisher, true}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) { workflow_->Archive(p, id, ""); }},
      {"delete",
       {{Role::kEditor, false}, {Role::kPublisher, false}, {Role::kAdmin, true}},
       [&](const Principal& p, int64_t id) { workflow_->Delete(p, id, ""); }},
  };
  for (const Row& row : rows) {
    for (Role role : auth::AllRoles()) {
      // A fresh draft for each cell, so cells do not depend on each other.
      const int64_t id =
          workflow_
              ->Create(admin_, Draft("Cell " + row.name + " " + std::string(auth::RoleName(role))),
                       "", "")
              .working.id;
      const int64_t changes = store_->LastChange();
      const Principal who = Person(role);
      if (row.allowed.at(role)) {
        EXPECT_NO_THROW(row.run(who, id)) << row.name << " as " << auth::RoleName(role);
      } else {
        EXPECT_EQ(CodeOf([&] { row.run(who, id); }), ErrorCode::kForbidden)
            << row.name << " as " << auth::RoleName(role);
        EXPECT_EQ(store_->LastChange(), changes) << "a refused " << row.name << " wrote";
        EXPECT_FALSE(PubliclyVisible(*store_, id));
      }
    }
  }
}

TEST_F(WorkflowTest, EditingAPublishedItemDoesNotLeakBeforePublication) {
  const int64_t id = workflow_->Create(editor_, Draft("Original title"), "", "").working.id;
  EXPECT_FALSE(PubliclyVisible(*store_, id));
  Item published = workflow_->Publish(publisher_, id, 1, std::nullopt, "");
  EXPECT_EQ(published.status, Status::kPublished);
  EXPECT_EQ(published.working.published_at, Instant{now_});  // first publication: now
  EXPECT_THAT(PublicTitles(*store_), ::testing::ElementsAre("Original title"));

  const int64_t changes = store_->LastChange();
  const int commits = commits_;
  Asset edit = Draft("Embargoed new title");
  edit.translations["en-GB"].blocks = {content::Block::Paragraph("Embargoed paragraph")};
  const Item saved = workflow_->Save(editor_, id, edit, published.head.latest, "typo", "");
  EXPECT_TRUE(saved.pending);
  EXPECT_EQ(saved.status, Status::kPublished);
  EXPECT_EQ(saved.working.translations.at("en-GB").title, "Embargoed new title");
  // Readers still get the published version: the store row, the lists, the change log.
  EXPECT_EQ(store_->Get(id)->translations.at("en-GB").title, "Original title");
  EXPECT_THAT(PublicTitles(*store_), ::testing::ElementsAre("Original title"));
  EXPECT_EQ(store_->LastChange(), changes);
  EXPECT_EQ(commits_, commits);  // nothing for caches to catch up with

  now_ += 3600;
  const Item out = workflow_->Publish(publisher_, id, saved.head.latest, std::nullopt, "");
  EXPECT_FALSE(out.pending);
  EXPECT_THAT(PublicTitles(*store_), ::testing::ElementsAre("Embargoed new title"));
  const Asset row = *store_->Get(id);
  EXPECT_EQ(row.published_at, published.working.published_at);  // a republication keeps it
  EXPECT_EQ(row.modified_at, Instant{now_});
  EXPECT_GT(store_->LastChange(), changes);
}

TEST_F(WorkflowTest, SavingADraftRewritesItsInvisibleRow) {
  const Item created = workflow_->Create(editor_, Draft("First"), "", "");
  const Item saved = workflow_->Save(editor_, created.working.id, Draft("Second"), 1, "", "");
  EXPECT_EQ(saved.head, (store::RevisionHead{2, 2}));
  EXPECT_FALSE(saved.pending);
  const Asset row = *store_->Get(created.working.id);
  EXPECT_EQ(row.status, Status::kDraft);
  EXPECT_EQ(row.translations.at("en-GB").title, "Second");
  EXPECT_TRUE(PublicTitles(*store_).empty());
}

TEST_F(WorkflowTest, AStaleRevisionIsAConflictAndWritesNothing) {
  const int64_t id = workflow_->Create(editor_, Draft("Shared"), "", "").working.id;
  workflow_->Save(editor_, id, Draft("Alice's"), 1, "", "");
  const int64_t changes = store_->LastChange();
  EXPECT_EQ(CodeOf([&] { workflow_->Save(publisher_, id, Draft("Bob's"), 1, "", ""); }),
            ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { workflow_->Publish(publisher_, id, 1, std::nullopt, ""); }),
            ErrorCode::kConflict);
  EXPECT_EQ(store_->LastChange(), changes);
  EXPECT_EQ(store_->Head(id).latest, 2);
  EXPECT_EQ(workflow_->Get(editor_, id).working.translations.at("en-GB").title, "Alice's");
}

TEST_F(WorkflowTest, HistoryKeepsEveryRevisionReadableBackWhole) {
  const int64_t id = workflow_->Create(editor_, Draft("v1"), "first", "").working.id;
  workflow_->Save(editor_, id, Draft("v2"), 1, "", "");
  workflow_->Publish(publisher_, id, 2, std::nullopt, "");
  const std::vector<store::Revision> history = workflow_->History(editor_, id);
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].note, "publish");
  EXPECT_EQ(history[0].author, "publisher-user");
  EXPECT_EQ(history[1].note, "edit");
  EXPECT_EQ(history[2].note, "first");
  EXPECT_EQ(workflow_->GetRevision(editor_, id, 1).asset->translations.at("en-GB").title, "v1");
  EXPECT_EQ(CodeOf([&] { workflow_->GetRevision(editor_, id, 4); }), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf([&] { workflow_->History(editor_, 999); }), ErrorCode::kNotFound);
}

TEST_F(WorkflowTest, AnImportedItemIsEditedFromItsStoredRow) {
  Asset imported = Draft("Imported");
  imported.translations["en-GB"].slug = "imported";
  imported.translations["en-GB"].language = "en-GB";
  imported.languages = {"en-GB"};
  imported.status = Status::kPublished;
  int64_t id = 0;
  {
    auto tx = store_->Begin();
    id = tx->Put(imported);
    tx->Commit();
  }
  const Item item = workflow_->Get(editor_, id);
  EXPECT_EQ(item.head, (store::RevisionHead{0, 0}));
  EXPECT_FALSE(item.pending);
  EXPECT_EQ(item.working.translations.at("en-GB").title, "Imported");
  const Item saved = workflow_->Save(editor_, id, Draft("Imported, corrected"), 0, "", "");
  EXPECT_TRUE(saved.pending);
  EXPECT_EQ(store_->Get(id)->translations.at("en-GB").title, "Imported");
}

TEST_F(WorkflowTest, EditorsReadWhileAWriterIsBusy) {
  const int64_t id = workflow_->Create(editor_, Draft("Readable"), "", "").working.id;
  auto busy = store_->Begin();  // a long write (an import) holds the writer
  auto read = std::async(std::launch::async, [&] { return workflow_->Get(editor_, id); });
  const bool done = read.wait_for(std::chrono::seconds(5)) == std::future_status::ready;
  busy.reset();  // lets a blocked read finish before the check below can fail
  ASSERT_TRUE(done) << "reading a draft waited for the writer";
  EXPECT_EQ(read.get().working.translations.at("en-GB").title, "Readable");
}

TEST_F(WorkflowTest, ArchiveTakesAnItemDownAndKeepsItsWorkingCopy) {
  const int64_t id = workflow_->Create(editor_, Draft("To archive"), "", "").working.id;
  workflow_->Publish(publisher_, id, std::nullopt, std::nullopt, "");
  workflow_->Save(editor_, id, Draft("Pending when archived"), 2, "", "");
  const Item archived = workflow_->Archive(publisher_, id, "");
  EXPECT_EQ(archived.status, Status::kArchived);
  EXPECT_FALSE(PubliclyVisible(*store_, id));
  EXPECT_EQ(archived.working.translations.at("en-GB").title, "Pending when archived");
  EXPECT_EQ(store_->Get(id)->translations.at("en-GB").title, "To archive");
  // Archiving twice changes nothing; publishing again brings out the working copy.
  const int64_t changes = store_->LastChange();
  workflow_->Archive(publisher_, id, "");
  EXPECT_EQ(store_->LastChange(), changes);
  workflow_->Publish(publisher_, id, std::nullopt, std::nullopt, "");
  EXPECT_THAT(PublicTitles(*store_), ::testing::ElementsAre("Pending when archived"));
}

TEST_F(WorkflowTest, DeleteRemovesTheItemAndItsHistory) {
  const int64_t id = workflow_->Create(editor_, Draft("Doomed"), "", "").working.id;
  workflow_->Delete(admin_, id, "");
  EXPECT_FALSE(store_->Get(id));
  EXPECT_TRUE(store_->Revisions(id).empty());
  EXPECT_EQ(CodeOf([&] { workflow_->Delete(admin_, id, ""); }), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf([&] { workflow_->Get(editor_, id); }), ErrorCode::kNotFound);
}

TEST_F(WorkflowTest, ScheduleNeedsAFutureTimeAndAnUnpublishedItem) {
  const int64_t id = workflow_->Create(editor_, Draft("Later"), "", "").working.id;
  EXPECT_EQ(CodeOf([&] { workflow_->Schedule(publisher_, id, std::nullopt, Instant{now_}, ""); }),
            ErrorCode::kInvalidInput);
  const int64_t other = workflow_->Create(editor_, Draft("Out already"), "", "").working.id;
  workflow_->Publish(publisher_, other, std::nullopt, std::nullopt, "");
  EXPECT_EQ(
      CodeOf([&] { workflow_->Schedule(publisher_, other, std::nullopt, Instant{now_ + 10}, ""); }),
      ErrorCode::kConflict);
  EXPECT_EQ(CodeOf([&] { workflow_->Unschedule(publisher_, id, ""); }), ErrorCode::kConflict);
}

TEST_F(WorkflowTest, AScheduledItemGoesOutAtItsSecondAndNotBefore) {
  const int64_t id = workflow_->Create(editor_, Draft("Embargoed until noon"), "", "").working.id;
  const Instant at{now_ + 3600};
  const Item scheduled = workflow_->Schedule(publisher_, id, 1, at, "");
  EXPECT_EQ(scheduled.status, Status::kScheduled);
  // Edits while scheduled keep the time and stay invisible.
  Asset edit = Draft("Embargoed until noon, final");
  edit.published_at = Instant{1};
  workflow_->Save(editor_, id, edit, scheduled.head.latest, "", "");
  EXPECT_EQ(store_->Get(id)->published_at, at);
  EXPECT_FALSE(PubliclyVisible(*store_, id));

  EXPECT_TRUE(workflow_->PublishDue(Instant{at.seconds - 1}).empty());
  EXPECT_FALSE(PubliclyVisible(*store_, id));
  EXPECT_THAT(workflow_->PublishDue(at), ::testing::ElementsAre(id));
  const Asset row = *store_->Get(id);
  EXPECT_EQ(row.status, Status::kPublished);
  EXPECT_EQ(row.published_at, at);
  EXPECT_EQ(row.translations.at("en-GB").title, "Embargoed until noon, final");
  EXPECT_EQ(store_->Head(id).live, store_->Head(id).latest);
  EXPECT_TRUE(workflow_->PublishDue(Instant{at.seconds + 1}).empty());  // once only
  EXPECT_THAT(AuditActions().front(), ::testing::StartsWith("scheduler asset.publish"));
}

TEST_F(WorkflowTest, ABusyStoreLeavesAScheduledItemScheduledForTheNextRound) {
  // A busy timeout of 300 ms instead of the default 10 s, so the test waits it out in a moment.
  const std::string url = Url("?busy_timeout_ms=300");
  Open(url);
  const int64_t id =
      workflow_->Create(editor_, Draft("Due while the store is busy"), "", "").working.id;
  const Instant at{now_ + 60};
  workflow_->Schedule(publisher_, id, std::nullopt, at, "");
  {
    // Another writer (a second connection to the same file) holds the write lock past the
    // store's busy timeout (300 ms) and lets go 150 ms later: the round cannot publish, and
    // must not demote the item in the time it then has (a round that did would wait for the
    // lock, get it within its own busy timeout, and write the draft: what it did before, when a
    // scheduled statement went back to draft because of a long import).
    auto other = store::OpenStore(url);
    auto blocker = other->Begin();
    std::thread release([&] {
      std::this_thread::sleep_for(std::chrono::milliseconds(450));
      blocker.reset();
    });
    EXPECT_TRUE(workflow_->PublishDue(at).empty());
    release.join();
  }
  EXPECT_EQ(store_->Get(id)->status, Status::kScheduled);
  EXPECT_THAT(workflow_->PublishDue(at), ::testing::ElementsAre(id));
  EXPECT_EQ(store_->Get(id)->status, Status::kPublished);
}

TEST_F(WorkflowTest, AnUnscheduledItemIsNotPublished) {
  const int64_t id = workflow_->Create(editor_, Draft("Called off"), "", "").working.id;
  workflow_->Schedule(publisher_, id, std::nullopt, Instant{now_ + 5}, "");
  EXPECT_EQ(workflow_->Unschedule(publisher_, id, "").status, Status::kDraft);
  EXPECT_TRUE(workflow_->PublishDue(Instant{now_ + 10}).empty());
  EXPECT_FALSE(PubliclyVisible(*store_, id));
}

TEST_F(WorkflowTest, TheSchedulerThreadPublishesAtTheExactSecond) {
  // Real time: the scheduler runs on the wall clock.
  WorkflowOptions options;
  std::atomic<int> commits{0};
  options.on_commit = [&] { ++commits; };
  Workflow workflow(*store_, authenticator_.get(), options);
  const Instant start = content::Now();
  const int64_t id = workflow.Create(editor_, Draft("On the second"), "", "").working.id;
  const Instant at{start.seconds + 2};
  workflow.Schedule(publisher_, id, std::nullopt, at, "");
  Scheduler scheduler(workflow);
  const int64_t before = store_->LastChange();
  // Poll until published (at most 5 s); record the wall-clock second it was first seen. The
  // time is read after each look, so a look that finds it public proves it was public by then.
  int64_t seen_at = 0;
  for (int i = 0; i < 500 && seen_at == 0; ++i) {
    const bool visible = PubliclyVisible(*store_, id);
    const int64_t after = content::Now().seconds;
    if (visible) {
      EXPECT_GE(after, at.seconds) << "public before its second";
      seen_at = after;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ASSERT_NE(seen_at, 0) << "not published within 5 s";
  EXPECT_EQ(seen_at, at.seconds);  // within the scheduled second, not the next
  const auto changes = store_->ChangesSince(before, 10);
  ASSERT_FALSE(changes.empty());
  EXPECT_EQ(changes.back().asset_id, id);
  EXPECT_EQ(changes.back().at, at);  // the store wrote it during that second
  EXPECT_EQ(store_->Get(id)->published_at, at);
  EXPECT_GE(commits.load(), 3);  // create, schedule, publish: caches were told
}

// Every write that names a base revision refuses a stale one with StaleRevision, which carries
// the current revision (the write API's 412), and writes nothing.
TEST_F(WorkflowTest, EveryWriteRefusesAStaleBaseWithTheCurrentRevision) {
  const int64_t id = workflow_->Create(editor_, Draft("Versioned"), "", "").working.id;
  workflow_->Save(editor_, id, Draft("Versioned, second"), 1, "", "");
  const Instant later{now_ + 3600};
  const int64_t changes = store_->LastChange();
  const std::vector<std::pair<std::string, std::function<void()>>> writes = {
      {"save", [&] { workflow_->Save(editor_, id, Draft("Stale"), 1, "", ""); }},
      {"publish", [&] { workflow_->Publish(publisher_, id, 1, std::nullopt, ""); }},
      {"schedule", [&] { workflow_->Schedule(publisher_, id, 1, later, ""); }},
      {"archive", [&] { workflow_->Archive(publisher_, id, 1, ""); }},
      {"delete", [&] { workflow_->Delete(admin_, id, 1, ""); }},
  };
  for (const auto& [name, write] : writes) {
    try {
      write();
      ADD_FAILURE() << name << ": no error thrown";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::kConflict) << name;
      EXPECT_EQ(e.current_revision(), 2) << name;
    }
  }
  EXPECT_EQ(store_->LastChange(), changes);
  EXPECT_EQ(store_->Head(id).latest, 2);
  EXPECT_EQ(store_->Get(id)->status, Status::kDraft);

  workflow_->Schedule(publisher_, id, 2, later, "");
  EXPECT_EQ(CodeOf([&] { workflow_->Unschedule(publisher_, id, 2, ""); }), ErrorCode::kConflict);
  EXPECT_EQ(store_->Get(id)->status, Status::kScheduled);
  EXPECT_EQ(workflow_->Unschedule(publisher_, id, 3, "").status, Status::kDraft);
  EXPECT_EQ(workflow_->Archive(publisher_, id, 4, "").status, Status::kArchived);
  workflow_->Delete(admin_, id, 4, "");
  EXPECT_FALSE(store_->Get(id).has_value());
  EXPECT_EQ(CodeOf([&] { workflow_->Delete(admin_, id, 4, ""); }), ErrorCode::kNotFound);
}

TEST_F(WorkflowTest, AnInvalidAssetNamesEachBadField) {
  Asset bad = Draft("");
  bad.translations["en-GB"].slug = "fine";
  bad.tags = {"ok", ""};
  try {
    workflow_->Create(editor_, bad, "", "");
    ADD_FAILURE() << "no error thrown";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::kInvalidInput);
    ASSERT_EQ(e.fields().size(), 2u) << e.what();
    EXPECT_EQ(e.fields()[0].field, "translations.en-GB.title");
    EXPECT_EQ(e.fields()[1].field, "tags[1]");
    // The message still lists them all, as content::Validate's does.
    EXPECT_THAT(e.what(), ::testing::HasSubstr("translations.en-GB.title: must not be empty; "));
  }
  EXPECT_EQ(store_->LastChange(), 0);
}

// Expiry on the fake clock: public up to the second before expires_at, expired from that second,
// through one committed write that tells the caches and leaves an audit entry.
TEST_F(WorkflowTest, APublishedItemExpiresAtItsSecond) {
  // Far past the wall clock, so that a Scheduler thread (below) cannot act on its own.
  now_ = ParseIso8601("2099-01-01T12:00:00Z").seconds;
  Asset asset = Draft("Short-lived");
  const Instant expires{now_ + 3600};
  asset.expires_at = expires;
  const int64_t id = workflow_->Create(editor_, asset, "", "").working.id;
  const int64_t keep = workflow_->Create(editor_, Draft("Long-lived"), "", "").working.id;
  workflow_->Publish(publisher_, id, 1, std::nullopt, "");
  workflow_->Publish(publisher_, keep, 1, std::nullopt, "");
  // A pending edit does not change when it expires: the row's expires_at decides.
  Asset edit = asset;
  edit.expires_at = Instant{now_ + 7200};
  workflow_->Save(editor_, id, edit, 2, "", "");
  EXPECT_THAT(PublicTitles(*store_), ::testing::Contains("Short-lived"));

  EXPECT_TRUE(workflow_->ExpireDue(Instant{expires.seconds - 1}).empty());
  EXPECT_TRUE(PubliclyVisible(*store_, id));
  const int commits = commits_;
  const int64_t changes = store_->LastChange();
  Scheduler scheduler(*workflow_);
  scheduler.Step(expires);
  EXPECT_FALSE(PubliclyVisible(*store_, id));
  EXPECT_EQ(store_->Get(id)->status, Status::kExpired);
  EXPECT_EQ(workflow_->Get(editor_, id).status, Status::kExpired);
  EXPECT_THAT(PublicTitles(*store_), ::testing::Not(::testing::Contains("Short-lived")));
  EXPECT_TRUE(PubliclyVisible(*store_, keep));
  EXPECT_EQ(commits_, commits + 1);
  const auto written = store_->ChangesSince(changes, 10);
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0].asset_id, id);
  EXPECT_EQ(AuditActions().front(), fmt::format("scheduler asset.expire asset:{}", id));
  // Its working copy and history are kept; once only.
  EXPECT_EQ(workflow_->Get(editor_, id).head.latest, 3);
  EXPECT_TRUE(workflow_->ExpireDue(Instant{expires.seconds + 1}).empty());
  EXPECT_EQ(commits_, commits + 1);
}

// A bilingual draft with a speech and a question-and-answer turn.
Asset Speech(const std::string& title) {
  Asset a = Draft(title);
  a.people = {"Sergey Lavrov"};
  a.tags = {"diplomacy"};
  content::Translation& en = a.translations["en-GB"];
  en.place = "Moscow";
  en.blocks = {
      content::Block::Paragraph("Dear colleagues,"),
      content::Block::Paragraph("Thank you for coming."),
      content::Block::Turn(content::TurnRole::kQuestion, "Question", {"What about the talks?"}),
      content::Block::Turn(content::TurnRole::kAnswer, "Sergey Lavrov",
                           {"They went well.", "We will meet again."})};
  content::Translation ru;
  ru.title = "Речь " + title;
  ru.blocks = {content::Block::Paragraph("Уважаемые коллеги,")};
  a.translations["ru-RU"] = ru;
  return a;
}

std::string AssetJson(const Asset& asset) { return content::ToJson(asset).dump(); }

TEST_F(WorkflowTest, RestoreGivesBackTheExactOldContentAsANewRevision) {
  const Item created = workflow_->Create(editor_, Speech("Talks"), "", "10.0.0.1");
  const int64_t id = created.working.id;
  now_ += 60;
  Asset changed = created.working;
  changed.tags = {"other"};
  changed.translations.erase("ru-RU");
  changed.languages = {"en-GB"};
  changed.translations["en-GB"].blocks.pop_back();
  changed.translations["en-GB"].summary = "A summary";
  workflow_->Save(editor_, id, changed, 1, "cut", "");
  now_ += 60;
  const store::Revision first = workflow_->GetRevision(editor_, id, 1);

  const Item restored = workflow_->Restore(editor_, id, 1, 2, "10.0.0.2");
  EXPECT_EQ(restored.head, (store::RevisionHead{3, 3}));
  const store::Revision third = workflow_->GetRevision(editor_, id, 3);
  EXPECT_EQ(third.note, "restore 1");
  EXPECT_EQ(third.author, "editor-user");
  // Byte for byte the asset of revision 1: only the revision's own metadata differs.
  EXPECT_EQ(AssetJson(*third.asset), AssetJson(*first.asset));
  EXPECT_EQ(AssetJson(restored.working), AssetJson(*first.asset));
  EXPECT_EQ(AssetJson(*store_->Get(id)), AssetJson(*first.asset));  // a draft's row too
  EXPECT_EQ(AuditActions().front(), fmt::format("editor-user asset.restore asset:{}", id));
  // Nothing to restore, a stale base: refused, nothing written.
  const int64_t changes = store_->LastChange();
  EXPECT_EQ(CodeOf([&] { workflow_->Restore(editor_, id, 9, 3, ""); }), ErrorCode::kNotFound);
  EXPECT_EQ(CodeOf([&] { workflow_->Restore(editor_, id, 2, 2, ""); }), ErrorCode::kConflict);
  EXPECT_EQ(store_->LastChange(), changes);
  EXPECT_EQ(workflow_->Get(editor_, id).head.latest, 3);
}

TEST_F(WorkflowTest, RestoringOnAPublishedItemIsPendingUntilPublished) {
  const int64_t id = workflow_->Create(editor_, Draft("First words"), "", "").working.id;
  workflow_->Save(editor_, id, Draft("Second words"), 1, "", "");
  workflow_->Publish(publisher_, id, 2, std::nullopt, "");  // revision 3, live
  const int64_t changes = store_->LastChange();
  const Item restored = workflow_->Restore(editor_, id, 1, 3, "");
  EXPECT_TRUE(restored.pending);
  EXPECT_EQ(restored.status, Status::kPublished);
  EXPECT_EQ(restored.head, (store::RevisionHead{4, 3}));
  EXPECT_EQ(restored.working.translations,
            workflow_->GetRevision(editor_, id, 1).asset->translations);
  // Readers keep the published version.
  EXPECT_THAT(PublicTitles(*store_), ::testing::ElementsAre("Second words"));
  EXPECT_EQ(store_->LastChange(), changes);
  workflow_->Publish(publisher_, id, 4, std::nullopt, "");
  EXPECT_THAT(PublicTitles(*store_), ::testing::ElementsAre("First words"));
}

// The ops of `field`'s lines, one letter each: = equal, + insert, - delete, ~ collapsed.
std::string Ops(const FieldDiff& field) {
  std::string ops;
  for (const DiffLine& line : field.lines) {
    ops += line.collapsed > 0           ? '~'
           : line.op == DiffOp::kEqual  ? '='
           : line.op == DiffOp::kInsert ? '+'
                                        : '-';
  }
  return ops;
}

const FieldDiff& FieldOf(const std::vector<FieldDiff>& fields, const std::string& name) {
  for (const FieldDiff& f : fields) {
    if (f.field == name) return f;
  }
  ADD_FAILURE() << "no field " << name;
  static const FieldDiff kNone;
  return kNone;
}

TEST_F(WorkflowTest, DiffShowsAChangedParagraphPerTranslation) {
  const Item created = workflow_->Create(editor_, Speech("Talks"), "", "");
  const int64_t id = created.working.id;
  Asset changed = created.working;
  changed.translations["en-GB"].blocks[3].paragraphs[0] = "They went very well.";
  changed.tags = {"diplomacy", "talks"};
  workflow_->Save(editor_, id, changed, 1, "", "");

  const AssetDiff diff = workflow_->Diff(editor_, id, 1, 2);
  EXPECT_TRUE(diff.changed());
  EXPECT_EQ(Ops(FieldOf(diff.metadata, "tags")), "=+");
  EXPECT_FALSE(FieldOf(diff.metadata, "kind").changed);
  ASSERT_EQ(diff.translations.size(), 2u);
  const TranslationDiff& en = diff.translations[0];
  EXPECT_EQ(en.language, "en-GB");
  EXPECT_EQ(en.state, "changed");
  const FieldDiff& body = FieldOf(en.fields, "body");
  EXPECT_TRUE(body.changed);
  // Lines: 2 paragraphs, [question], 1, [answer], 2 paragraphs; the 6th changed. The first two
  // are more than 3 lines from it: collapsed.
  EXPECT_EQ(Ops(body), "~===-+=");
  EXPECT_EQ(body.lines[0].collapsed, 2u);
  EXPECT_EQ(body.lines[1].text, "[question: Question]");
  EXPECT_EQ(body.lines[4].text, "They went well.");
  EXPECT_EQ(body.lines[5].text, "They went very well.");
  EXPECT_FALSE(FieldOf(en.fields, "title").changed);
  // The Russian version did not change: no line is an insert or a delete.
  const TranslationDiff& ru = diff.translations[1];
  EXPECT_EQ(ru.state, "unchanged");
  for (const FieldDiff& f : ru.fields) EXPECT_FALSE(f.changed) << f.field;
  // The same revision on both sides: nothing changed at all.
  EXPECT_FALSE(workflow_->Diff(editor_, id, 2, 2).changed());
  EXPECT_EQ(CodeOf([&] { workflow_->Diff(editor_, id, 1, 7); }), ErrorCode::kNotFound);
}

TEST_F(WorkflowTest, DiffOfARemovedTranslationIsAllDeletes) {
  const Item created = workflow_->Create(editor_, Speech("Talks"), "", "");
  const int64_t id = created.working.id;
  Asset changed = created.working;
  changed.translations.erase("ru-RU");
  changed.languages = {"en-GB"};
  workflow_->Save(editor_, id, changed, 1, "", "");
  const AssetDiff diff = workflow_->Diff(editor_, id, 1, 2);
  ASSERT_EQ(diff.translations.size(), 2u);
  const TranslationDiff& ru = diff.translations[1];
  EXPECT_EQ(ru.language, "ru-RU");
  EXPECT_EQ(ru.state, "removed");
  EXPECT_EQ(Ops(FieldOf(ru.fields, "title")), "-");
  EXPECT_EQ(FieldOf(ru.fields, "title").lines[0].text, "Речь Talks");
  EXPECT_EQ(Ops(FieldOf(ru.fields, "body")), "-");
  EXPECT_EQ(Ops(FieldOf(diff.metadata, "languages")), "=-");
  // The other way round, it is all inserts.
  const AssetDiff back = workflow_->Diff(editor_, id, 2, 1);
  EXPECT_EQ(back.translations[1].state, "added");
  EXPECT_EQ(Ops(FieldOf(back.translations[1].fields, "body")), "+");
}

TEST(RevisionDiff, EqualLinesFarFromAChangeAreCollapsed) {
  std::vector<std::string> from;
  for (int i = 0; i < 20; ++i) from.push_back(fmt::format("line {}", i));
  std::vector<std::string> to = from;
  to[10] = "changed";
  const std::vector<DiffLine> lines = DiffLines(from, to, 2);
  // 8 hidden, 2 context, -+, 2 context, 9 hidden.
  ASSERT_EQ(lines.size(), 8u);
  EXPECT_EQ(lines[0].collapsed, 8u);
  EXPECT_EQ(lines[1].text, "line 8");
  EXPECT_EQ(lines[3].op, DiffOp::kDelete);
  EXPECT_EQ(lines[4].op, DiffOp::kInsert);
  EXPECT_EQ(lines[6].text, "line 12");
  EXPECT_EQ(lines[7].collapsed, 7u);
  // Nothing changed: all of it one collapsed entry.
  const std::vector<DiffLine> same = DiffLines(from, from, 2);
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].collapsed, 20u);
}

}  // namespace
}  // namespace assetpub::authoring
