#include "web/api/api_routes.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_set>
#include <vector>

#include "content/language.h"
#include "core/error.h"
#include "http/params.h"
#include "publish/publisher.h"
#include "render/json.h"
#include "web/site/search_params.h"

namespace assetpub::web {
namespace {

constexpr int64_t kMaxPage = 1'000'000;

// Leaves in each asset's `related` only the title-only entries and the published items: the
// public API names no draft, scheduled, archived or deleted item. One store read for all.
void KeepPublicRelated(const Context& context, std::vector<content::Asset>& assets) {
  std::vector<int64_t> ids;
  for (const content::Asset& asset : assets) {
    for (const content::Related& related : asset.related) {
      if (related.id != 0) ids.push_back(related.id);
    }
  }
  if (ids.empty()) return;
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  std::unordered_set<int64_t> published;
  for (const store::Headline& headline :
       context.store.Headlines(ids, context.renderer.default_language())) {
    if (headline.status == content::Status::kPublished) published.insert(headline.id);
  }
  for (content::Asset& asset : assets) {
    std::erase_if(asset.related, [&](const content::Related& related) {
      return related.id != 0 && !published.contains(related.id);
    });
  }
}

Response GetAsset(const Context& context, const RouteParams& params) {
  const std::optional<int64_t> id = http::ParseInteger(params.Get("id"), 1, INT64_MAX);
  if (!id) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("id must be a positive whole number, not '{}'", params.Get("id")));
  }
  std::optional<content::Asset> asset = context.store.Get(*id);
  if (!asset || asset->status != content::Status::kPublished) {
    throw Error(ErrorCode::kNotFound, fmt::format("no published asset with id {}", *id));
  }
  std::vector<content::Asset> one{std::move(*asset)};
  KeepPublicRelated(context, one);
  return Response::Json(200, render::AssetJson(one.front()));
}

Response ListAssets(const Context& context, const Request& request) {
  const int64_t page = http::QueryInteger(request, "page", 1, 1, kMaxPage);
  const int64_t page_size = http::QueryInteger(
      request, "page_size", std::min<int64_t>(context.config.page_size, kMaxApiPageSize), 1,
      kMaxApiPageSize);
  store::ListQuery query;
  query.status = content::Status::kPublished;
  if (std::optional<std::string> lang = request.Query("lang")) {
    std::optional<std::string> tag = content::CanonicalLanguageTag(*lang);
    if (!tag) {
      throw Error(ErrorCode::kInvalidInput,
                  "query parameter 'lang' must be a BCP 47 language tag such as 'en' or 'ru-RU'");
    }
    query.language = *tag;
  }
  query.offset = (page - 1) * page_size;
  query.limit = page_size;
  store::ListPage list = context.store.List(query);
  KeepPublicRelated(context, list.assets);
  return Response::Json(200, render::AssetListJson(list, page, page_size));
}

// The search as JSON (render::SearchResultsJson); the parameters are the search page's, with
// the words stemmed in `lang`'s language, or the site's default language.
Response SearchAssets(const Context& context, const Request& request) {
  if (context.search == nullptr) {
    throw Error(ErrorCode::kUnavailable, "search is not available: no index is open");
  }
  const SearchRequest parsed =
      ReadSearchParams(request.query, context.renderer.languages(), context.config.time_zone,
                       context.renderer.default_language());
  if (parsed.problem) throw Error(ErrorCode::kInvalidInput, parsed.problem->detail);
  search::Results results = context.search->Search(parsed.query);
  context.coverage->Mark(results, context.search_ready->load(std::memory_order_acquire));
  return Response::Json(200, render::SearchResultsJson(results, parsed.page, parsed.per_page,
                                                       context.config.base_url));
}

// A publisher's page as JSON: ?lang= (a site language by tag or primary subtag; default the
// site's default) and ?page=N. 404 for an unknown id, a language the list does not exist in
// or a page past the last; 400 for a malformed page or a language that is not the site's.
Response GetPublisher(const Context& context, const Request& request, const RouteParams& params) {
  const publish::Publisher* publisher = context.publishers.FindById(params.Get("id"));
  if (publisher == nullptr) {
    throw Error(ErrorCode::kNotFound, fmt::format("no publisher '{}'", params.Get("id")));
  }
  const int64_t page = http::QueryInteger(request, "page", 1, 1, kMaxPage);
  std::string language = context.renderer.default_language();
  if (std::optional<std::string> lang = request.Query("lang")) {
    const std::optional<std::string> tag = content::CanonicalLanguageTag(*lang);
    const std::optional<std::string> site =
        tag ? context.renderer.FindLanguage(content::PrimarySubtag(*tag)) : std::nullopt;
    if (!site) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("query parameter 'lang' must be one of the site's languages, not "
                              "'{}'",
                              *lang));
    }
    language = *site;
  }
  if (!publisher->HasLanguage(language)) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("publisher '{}' does not exist in {}", publisher->id, language));
  }
  publish::PublisherPage result =
      publish::RunPublisher(*publisher, context.store, language, page, content::Now());
  KeepPublicRelated(context, result.list.assets);
  return Response::Json(200, render::PublisherJson(*publisher, language,
                                                   context.renderer.default_language(), result));
}

}  // namespace

void AddApiRoutes(Router& router, const Context& context) {
  router.Get("/api/v1/assets", [context](const Request& request, const RouteParams&) {
    return ListAssets(context, request);
  });
  router.Get("/api/v1/search", [context](const Request& request, const RouteParams&) {
    return SearchAssets(context, request);
  });
  router.Get("/api/v1/assets/{id}", [context](const Request&, const RouteParams& params) {
    return GetAsset(context, params);
  });
  router.Get("/api/v1/publishers/{id}",
             [context](const Request& request, const RouteParams& params) {
               return GetPublisher(context, request, params);
             });
}

}  // namespace assetpub::web
