#include "http/site_routes.h"

#include <fmt/format.h>

#include "content/language.h"
#include "core/error.h"
#include "http/params.h"
#include "http/search_params.h"
#include "render/paths.h"

namespace assetpub::http {
namespace {

// Page numbers past this are refused as malformed (400) rather than looked up.
constexpr int64_t kMaxPage = 1'000'000;

// The site language for a path's first segment ("en" -> "en-GB"). Throws Error(kNotFound) for a
// prefix that is not one of the site's languages.
std::string SiteLanguage(const Context& context, const std::string& prefix) {
  std::optional<std::string> language = context.renderer.FindLanguage(prefix);
  if (!language) throw Error(ErrorCode::kNotFound, fmt::format("no language '{}' here", prefix));
  return *language;
}

// A published asset, or Error(kNotFound): drafts, scheduled, expired and archived assets do not
// exist as far as the public can tell.
content::Asset PublishedAsset(const Context& context, int64_t id) {
  std::optional<content::Asset> asset = context.store.Get(id);
  if (!asset || asset->status != content::Status::kPublished) {
    throw Error(ErrorCode::kNotFound, fmt::format("no asset {}", id));
  }
  return std::move(*asset);
}

Response Root(const Context& context) {
  return Response::Redirect(302, render::HomePath(context.renderer.default_language()));
}

Response LanguageWithoutSlash(const Context& context, const RouteParams& params) {
  return Response::Redirect(301, render::HomePath(SiteLanguage(context, params.Get("lang"))));
}

Response Home(const Context& context, const Request& request, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  const int64_t page = QueryInteger(request, "page", 1, 1, kMaxPage);
  const int64_t page_size = context.config.page_size;
  store::ListQuery query;
  query.status = content::Status::kPublished;
  query.language = content::PrimarySubtag(language);
  query.offset = (page - 1) * page_size;
  query.limit = page_size;
  const store::ListPage list = context.store.List(query);
  const int64_t pages = render::Renderer::PageCount(list.total, page_size);
  if (page > 1 && page > pages) {
    throw Error(ErrorCode::kNotFound, fmt::format("page {} of {}", page, pages));
  }
  return Response::Html(200, context.renderer.HomePage(language, list, page, page_size), language);
}

Response Item(const Context& context, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  // "{id}-{slug}", or just "{id}" (redirected to the canonical URL).
  const std::string& item = params.Get("item");
  const size_t dash = item.find('-');
  const std::optional<int64_t> id =
      ParseInteger(std::string_view(item).substr(0, dash), 1, INT64_MAX);
  if (!id) throw Error(ErrorCode::kNotFound, fmt::format("no asset '{}'", item));
  const content::Asset asset = PublishedAsset(context, *id);
  const content::Translation* translation = render::TranslationFor(asset, language);
  if (translation == nullptr) {
    return Response::Html(404, context.renderer.MissingTranslationPage(asset, language), language);
  }
  const std::string_view slug =
      dash == std::string::npos ? std::string_view() : std::string_view(item).substr(dash + 1);
  if (slug != translation->slug) {
    return Response::Redirect(301, render::ItemPath(asset.id, language, translation->slug));
  }
  std::vector<int64_t> related_ids;
  for (const content::Related& related : asset.related) {
    if (related.id != 0) related_ids.push_back(related.id);
  }
  const std::vector<store::Headline> headlines =
      related_ids.empty() ? std::vector<store::Headline>()
                          : context.store.Headlines(related_ids, language);
  return Response::Html(200, context.renderer.ItemPage(asset, language, headlines), language);
}

// The search page. A refused query is a 400 page that keeps the form and says what is wrong.
Response Search(const Context& context, const Request& request, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  if (context.search == nullptr) {
    throw Error(ErrorCode::kUnavailable, "search is not available: no index is open");
  }
  SearchRequest parsed = ReadSearchParams(request.query, context.renderer.languages(),
                                          context.config.time_zone, language);
  search::Results results;
  if (!parsed.problem) {
    try {
      results = context.search->Search(parsed.query);
    } catch (const Error& e) {
      if (e.code() != ErrorCode::kInvalidInput) throw;
      parsed.problem = render::SearchProblem{"", "query", e.what()};
    }
  }
  if (parsed.problem) {
    return Response::Html(400,
                          context.renderer.SearchPage(language, parsed.form, nullptr, parsed.page,
                                                      parsed.per_page, &*parsed.problem),
                          language);
  }
  return Response::Html(200,
                        context.renderer.SearchPage(language, parsed.form, &results, parsed.page,
                                                    parsed.per_page, nullptr),
                        language);
}

}  // namespace

void AddSiteRoutes(Router& router, const Context& context) {
  router.Get("/", [context](const Request&, const RouteParams&) { return Root(context); });
  router.Get("/{lang}", [context](const Request&, const RouteParams& params) {
    return LanguageWithoutSlash(context, params);
  });
  router.Get("/{lang}/", [context](const Request& request, const RouteParams& params) {
    return Home(context, request, params);
  });
  router.Get("/{lang}/search", [context](const Request& request, const RouteParams& params) {
    return Search(context, request, params);
  });
  router.Get("/{lang}/assets/{item}", [context](const Request&, const RouteParams& params) {
    return Item(context, params);
  });
}

}  // namespace assetpub::http
