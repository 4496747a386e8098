#pragma once
// Test support only: the site the render and http unit tests build, in one place: its
// configuration (this source tree's templates, locales and static files, at
// https://mid.example), the seed's slugs (seed_asset.h), an item in one language, and putting an
// asset into a store. Header-only; needs ASSETPUB_SOURCE_DIR (the tests' compile definition).

#include <cstdint>
#include <string>
#include <utility>

#include "content/asset.h"
#include "content/instant.h"
#include "core/config.h"
#include "store/store.h"

namespace assetpub::render::testing {

// The slugs of SeedAsset()'s translations.
inline constexpr const char* kSeedEnSlug =
    "speech-of-and-answers-to-questions-of-mass-media-by-russian-foreign-minister";
inline constexpr const char* kSeedRuSlug =
    "vystupleniye-i-otvety-na-voprosy-smi-ministra-inostrannykh-del-rossii-s-v-lavrova";

// The site as the tests see it; lists of `page_size` items a page when it is not 0 (else the
// default).
inline Config SiteConfig(int page_size = 0) {
  Config config;
  config.resources_dir = ASSETPUB_SOURCE_DIR;
  config.base_url = "https://mid.example";
  if (page_size != 0) config.page_size = page_size;
  return config;
}

// A published item `id` of `kind` with one translation in `language`: `title`, `slug`, and a
// body of one paragraph `text`, published at `at`.
inline content::Asset OneLanguageItem(int64_t id, const std::string& language, std::string title,
                                      std::string slug, content::Instant at,
                                      content::Kind kind = content::Kind::kStatement,
                                      std::string text = "Text.") {
  content::Asset asset;
  asset.id = id;
  asset.kind = kind;
  asset.published_at = at;
  asset.languages = {language};
  content::Translation translation;
  translation.language = language;
  translation.title = std::move(title);
  translation.slug = std::move(slug);
  translation.blocks = {content::Block::Paragraph(std::move(text))};
  asset.translations[language] = std::move(translation);
  return asset;
}

// Puts `asset` into `store` in a transaction of its own.
inline void PutAsset(store::Store& store, content::Asset asset) {
  auto transaction = store.Begin();
  transaction->Put(asset);
  transaction->Commit();
}

}  // namespace assetpub::render::testing
