#include "web/site/site_routes.h"

#include <fmt/format.h>

#include "content/language.h"
#include "core/error.h"
#include "http/params.h"
#include "publish/publisher.h"
#include "render/paths.h"
#include "web/site/search_params.h"

namespace assetpub::web {
namespace {

// Page numbers past this are refused as malformed (400) rather than looked up.
constexpr int64_t kMaxPage = 1'000'000;

using http::Handler;

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

// The item page an old address (a moved site's permalink, store::Redirect) leads to, as a 301;
// nullopt when the address is not one, or its item is not public (drafts have no public URL).
// Tried as the address was sent, then by its ?p=/?page_id= id alone, then with or without the
// trailing slash.
std::optional<Response> OldAddress(const Context& context, const Request& request) {
  std::vector<std::string> candidates = {request.target};
  for (const char* key : {"p", "page_id"}) {
    if (const std::optional<std::string> id = request.Query(key)) {
      candidates.push_back(fmt::format("{}?{}={}", request.path, key, *id));
    }
  }
  if (request.target == request.path && request.path.size() > 1) {
    candidates.push_back(request.path.ends_with('/')
                             ? request.path.substr(0, request.path.size() - 1)
                             : request.path + "/");
  }
  for (const std::string& path : candidates) {
    const std::optional<store::Redirect> redirect = context.store.FindRedirect(path);
    if (!redirect) continue;
    std::optional<content::Asset> asset = context.store.Get(redirect->asset_id);
    if (!asset || asset->status != content::Status::kPublished) return std::nullopt;
    const content::Translation* translation = render::TranslationFor(*asset, redirect->language);
    if (translation == nullptr) {
      translation = render::TranslationFor(*asset, context.renderer.default_language());
    }
    if (translation == nullptr && !asset->translations.empty()) {
      translation = &asset->translations.begin()->second;
    }
    if (translation == nullptr) return std::nullopt;
    return Response::Redirect(
        301, render::ItemPath(asset->id, translation->language, translation->slug));
  }
  return std::nullopt;
}

// `handler`, except that a path it does not know (404) may be an old address.
Handler WithOldAddresses(const Context& context, Handler handler) {
  return
      [context, handler = std::move(handler)](const Request& request, const RouteParams& params) {
        try {
          return handler(request, params);
        } catch (const Error& e) {
          if (e.code() != ErrorCode::kNotFound) throw;
          if (std::optional<Response> moved = OldAddress(context, request))
            return std::move(*moved);
          throw;
        }
      };
}

Response Root(const Context& context, const Request& request) {
  if (request.target != request.path) {
    if (std::optional<Response> moved = OldAddress(context, request)) return std::move(*moved);
  }
  return Response::Redirect(302, render::HomePath(context.renderer.default_language()));
}

Response LanguageWithoutSlash(const Context& context, const RouteParams& params) {
  return Response::Redirect(301, render::HomePath(SiteLanguage(context, params.Get("lang"))));
}

// Page ?page=N of `publisher` in `language`. A page past the last, or a list that does not
// exist in the language, is a 404 (RunPublisher).
Response PublisherPage(const Context& context, const Request& request,
                       const publish::Publisher& publisher, const std::string& language) {
  const int64_t page = http::QueryInteger(request, "page", 1, 1, kMaxPage);
  if (!publisher.HasLanguage(language)) {
    throw Error(ErrorCode::kNotFound,
                fmt::format("the list '{}' does not exist in {}", publisher.id, language));
  }
  const publish::PublisherPage result =
      publish::RunPublisher(publisher, context.store, language, page, content::Now());
  return Response::Html(200, context.renderer.PublisherPage(publisher, language, result), language);
}

Response Home(const Context& context, const Request& request, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  return PublisherPage(context, request, context.publishers.Home(), language);
}

// A configured list by its path: /{lang}/{publisher}/.
const publish::Publisher& FindPublisher(const Context& context, const std::string& path) {
  const publish::Publisher* publisher = context.publishers.FindByPath(path);
  if (publisher == nullptr || path.empty()) {
    throw Error(ErrorCode::kNotFound, fmt::format("no list '{}'", path));
  }
  return *publisher;
}

Response Publisher(const Context& context, const Request& request, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  return PublisherPage(context, request, FindPublisher(context, params.Get("publisher")), language);
}

Response PublisherWithoutSlash(const Context& context, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  const publish::Publisher& publisher = FindPublisher(context, params.Get("publisher"));
  return Response::Redirect(301, render::PublisherPath(language, publisher.path));
}

// The implicit list of a person or a tag, by the slug of its name: 404 when no stored name has
// that slug.
Response TermList(const Context& context, const Request& request, const RouteParams& params,
                  store::Vocabulary vocabulary) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  const std::string& slug = params.Get("slug");
  const std::vector<std::string> names = context.store.NamesBySlug(vocabulary, slug);
  if (names.empty()) throw Error(ErrorCode::kNotFound, fmt::format("no list for '{}'", slug));
  const publish::Publisher publisher = vocabulary == store::Vocabulary::kPeople
                                           ? context.publishers.ForPerson(names, slug)
                                           : context.publishers.ForTag(names, slug);
  return PublisherPage(context, request, publisher, language);
}

Response TermListWithoutSlash(const Context& context, const RouteParams& params,
                              store::Vocabulary vocabulary) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  const std::string& slug = params.Get("slug");
  return Response::Redirect(301, vocabulary == store::Vocabulary::kPeople
                                     ? render::PersonPath(language, slug)
                                     : render::TagPath(language, slug));
}

// The headlines of `ids` in `language`, or none without a store round trip.
std::vector<store::Headline> Headlines(const Context& context, const std::vector<int64_t>& ids,
                                       const std::string& language) {
  return ids.empty() ? std::vector<store::Headline>() : context.store.Headlines(ids, language);
}

// An item page; ?compare=xx is the side-by-side view with the xx version (404 when the asset
// has none), ?print=1 the print layout.
Response Item(const Context& context, const Request& request, const RouteParams& params) {
  const std::string language = SiteLanguage(context, params.Get("lang"));
  // "{id}-{slug}", or just "{id}" (redirected to the canonical URL).
  const std::string& item = params.Get("item");
  const size_t dash = item.find('-');
  const std::optional<int64_t> id =
      http::ParseInteger(std::string_view(item).substr(0, dash), 1, INT64_MAX);
  if (!id) throw Error(ErrorCode::kNotFound, fmt::format("no asset '{}'", item));
  const content::Asset asset = PublishedAsset(context, *id);
  const content::Translation* translation = render::TranslationFor(asset, language);
  if (translation == nullptr) {
    return Response::Html(404, context.renderer.MissingTranslationPage(asset, language), language);
  }
  const std::string_view slug =
      dash == std::string::npos ? std::string_view() : std::string_view(item).substr(dash + 1);
  const std::optional<std::string> compare = request.Query("compare");
  const int64_t print = http::QueryInteger(request, "print", 0, 0, 1);
  if (slug != translation->slug) {
    // The view asked for survives the redirect; anything else in the query does not.
    std::string location = render::ItemPath(asset.id, language, translation->slug);
    if (compare) {
      location += "?compare=" + render::PercentEncode(*compare);
    } else if (print == 1) {
      location += "?print=1";
    }
    return Response::Redirect(301, location);
  }
  if (compare) {
    const std::optional<std::string> other = context.renderer.FindLanguage(*compare);
    if (!other || render::TranslationFor(asset, *other) == nullptr ||
        content::PrimarySubtag(*other) == content::PrimarySubtag(language)) {
      throw Error(ErrorCode::kNotFound,
                  fmt::format("asset {} has no '{}' version to compare with", asset.id, *compare));
    }
    return Response::Html(200, context.renderer.ComparePage(asset, language, *other), language);
  }
  std::vector<int64_t> related_ids;
  for (const content::Related& related : asset.related) {
    if (related.id != 0) related_ids.push_back(related.id);
  }
  const std::vector<store::Headline> related = Headlines(context, related_ids, language);
  const std::vector<store::Headline> referenced_by =
      Headlines(context, context.store.ReferencedBy(asset.id), language);
  return Response::Html(
      200,
      context.renderer.ItemPage(asset, language, related, referenced_by,
                                print == 1 ? render::ItemView::kPrint : render::ItemView::kScreen),
      language);
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
      context.coverage->Mark(results, context.search_ready->load(std::memory_order_acquire));
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

void AddSiteRoutes(Router& top, const Context& context) {
  // Every site route answers an old address it does not know itself (WithOldAddresses).
  struct OldAddressRouter {
    Router& router;
    const Context& context;
    void Get(std::string_view pattern, Handler handler) {
      router.Get(pattern, WithOldAddresses(context, std::move(handler)));
    }
  } router{top, context};
  router.Get("/", [context](const Request& request, const RouteParams&) {
    return Root(context, request);
  });
  router.Get("/{lang}", [context](const Request&, const RouteParams& params) {
    return LanguageWithoutSlash(context, params);
  });
  router.Get("/{lang}/", [context](const Request& request, const RouteParams& params) {
    return Home(context, request, params);
  });
  router.Get("/{lang}/search", [context](const Request& request, const RouteParams& params) {
    return Search(context, request, params);
  });
  router.Get("/{lang}/assets/{item}", [context](const Request& request, const RouteParams& params) {
    return Item(context, request, params);
  });
  for (const auto& [segment, kind] :
       {std::pair<const char*, store::Vocabulary>{"people", store::Vocabulary::kPeople},
        {"tags", store::Vocabulary::kTags}}) {
    const store::Vocabulary vocabulary =
        kind;  // a named variable: lambdas cannot capture a binding
    router.Get(fmt::format("/{{lang}}/{}/{{slug}}/", segment),
               [context, vocabulary](const Request& request, const RouteParams& params) {
                 return TermList(context, request, params, vocabulary);
               });
    router.Get(fmt::format("/{{lang}}/{}/{{slug}}", segment),
               [context, vocabulary](const Request&, const RouteParams& params) {
                 return TermListWithoutSlash(context, params, vocabulary);
               });
  }
  // Last: any second segment not taken above is a configured list's path.
  router.Get("/{lang}/{publisher}/", [context](const Request& request, const RouteParams& params) {
    return Publisher(context, request, params);
  });
  router.Get("/{lang}/{publisher}", [context](const Request&, const RouteParams& params) {
    return PublisherWithoutSlash(context, params);
  });
  // Deeper paths no route above takes ("/2014/03/12/statement/"): only old addresses.
  router.Get("/{path...}", [](const Request& request, const RouteParams&) -> Response {
    throw Error(ErrorCode::kNotFound, fmt::format("no page at {}", request.path));
  });
}

}  // namespace assetpub::web
