#pragma once
// Fuzz support only: FuzzSite, a whole site built once per process for the fuzz targets that
// go through the App: a real SQLite store with sample-content/ imported, its Xapian index, an
// editor with an API token and a session, a published item with a PDF attached, and the App
// over all of it. Header-only; needs ASSETPUB_SOURCE_DIR (tests/support/test_paths.h).
// Thread-safety: one fuzzing thread (libFuzzer's), as everything here assumes.

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <utility>

#include "auth/authenticator.h"
#include "content/asset_json.h"
#include "core/config.h"
#include "fuzz_util.h"
#include "importers/importer.h"
#include "render/testing/site.h"
#include "search/search_index.h"
#include "store/accounts.h"
#include "store/store.h"
#include "web/app.h"

namespace assetpub::fuzz {

class FuzzSite {
 public:
  // The site, built on the first call (a few seconds); its folder goes when the process exits
  // normally (a crash leaves it in the temp dir, named after the process id).
  static FuzzSite& Get() {
    static FuzzSite* site = [] {
      auto* made = new FuzzSite();  // never destroyed before exit: libFuzzer exits from anywhere
      std::atexit([] { std::filesystem::remove_all(Get().dir_); });
      return made;
    }();
    return *site;
  }

  web::App& app() { return *app_; }
  store::Store& store() { return *store_; }
  search::SearchIndex& index() { return *index_; }
  const Config& config() const { return config_; }
  const std::string& token() const { return token_; }          // an editor's API token
  const std::string& session() const { return session_; }      // the editor's session cookie
  const std::string& csrf() const { return csrf_; }            // its CSRF token
  const std::string& media_url() const { return media_url_; }  // /media/… of a published PDF
  int64_t draft_id() const { return draft_id_; }               // the editor's draft

  // The PDF behind media_url().
  static constexpr std::string_view kPdf =
      "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
      "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

 private:
  FuzzSite()
      : dir_(std::filesystem::temp_directory_path() /
             ("assetpub-fuzz-" + std::to_string(::getpid()))) {
    Quiet();
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    const std::string url = "sqlite:" + (dir_ / "assetpub.db").string();
    config_ = render::testing::SiteConfig();
    config_.media_dir = dir_ / "media";
    config_.media_max_bytes = 64 * 1024;
    store_ = store::OpenStore(url);
    accounts_ = store::OpenAccounts(url);
    importers::Importer importer(*store_, config_);
    importer.ImportPaths({std::filesystem::path(ASSETPUB_SOURCE_DIR) / "sample-content"});

    auth::AuthOptions options;
    options.password = auth::PasswordLimits::ForTestsOnly();
    auth_ = std::make_unique<auth::Authenticator>(*accounts_, options);
    const auth::Principal root = auth::Authenticator::Operator();
    const std::string password = "a long enough pass phrase 42";
    auth_->AddUser(root, "editor1", auth::Role::kEditor, password, "local");
    token_ = auth_->CreateToken(root, "editor1", "fuzz", "local").secret;
    const auth::LoginResult login = auth_->Login("editor1", password, "127.0.0.1");
    session_ = login.session->cookie;
    csrf_ = login.session->csrf_token;

    index_ = std::make_unique<search::SearchIndex>(dir_ / "index");
    app_ = std::make_unique<web::App>(config_, *store_, index_.get(), nullptr, auth_.get());

    // A PDF uploaded by the editor and attached to a published item (/media/ serves only those),
    // and a draft of theirs for the write routes' If-Match.
    const http::Response upload = app_->Handle(
        "POST", "/api/v1/media",
        {{"Authorization", "Bearer " + token_},
         {"Content-Type", "multipart/form-data; boundary=b0undary"}},
        "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\n\r\n" +
            std::string(kPdf) + "\r\n--b0undary--\r\n",
        "127.0.0.1");
    const nlohmann::json file = nlohmann::json::parse(upload.body);
    media_url_ = file.at("url");
    content::Asset item =
        render::testing::OneLanguageItem(0, "en-GB", "With a file", "with-a-file", {1'400'000'000});
    item.media = {content::MediaFileFromJson(file, "media")};
    render::testing::PutAsset(*store_, item);
    const http::Response draft =
        app_->Handle("POST", "/api/v1/assets",
                     {{"Authorization", "Bearer " + token_}, {"Content-Type", "application/json"}},
                     R"({"kind": "statement", "languages": ["en-GB"], "translations": {"en-GB":
            {"title": "A draft", "blocks": [{"type": "paragraph", "text": "Draft text."}]}}})",
                     "127.0.0.1");
    draft_id_ = nlohmann::json::parse(draft.body).at("id");
    index_->CatchUp(*store_);
  }

  std::filesystem::path dir_;
  Config config_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<store::Accounts> accounts_;
  std::unique_ptr<auth::Authenticator> auth_;
  std::unique_ptr<search::SearchIndex> index_;
  std::unique_ptr<web::App> app_;
  std::string token_;
  std::string session_;
  std::string csrf_;
  std::string media_url_;
  int64_t draft_id_ = 0;
};

}  // namespace assetpub::fuzz
