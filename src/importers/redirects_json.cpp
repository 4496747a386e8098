#include "importers/redirects_json.h"

#include <fmt/format.h>

#include <optional>
#include <string>

#include "content/language.h"
#include "core/error.h"

namespace assetpub::importers {

nlohmann::ordered_json RedirectsJson(const std::vector<store::Redirect>& redirects) {
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const store::Redirect& r : redirects) {
    nlohmann::ordered_json j;
    j["path"] = r.path;
    j["language"] = r.language;
    list.push_back(std::move(j));
  }
  return list;
}

std::vector<store::Redirect> RedirectsFromJson(const nlohmann::json& asset) {
  std::vector<store::Redirect> redirects;
  const auto member = asset.find("redirects");
  if (member == asset.end() || member->is_null()) return redirects;
  if (!member->is_array()) {
    throw Error(ErrorCode::kInvalidInput,
                "redirects: must be an array of {\"path\": \"/…\", \"language\": \"en-GB\"}");
  }
  for (size_t i = 0; i < member->size(); ++i) {
    const nlohmann::json& entry = (*member)[i];
    const auto text = [&](const char* name) {
      const auto it = entry.is_object() ? entry.find(name) : entry.end();
      if (it == entry.end() || !it->is_string()) {
        throw Error(ErrorCode::kInvalidInput,
                    fmt::format("redirects[{}].{}: must be text", i, name));
      }
      return it->get<std::string>();
    };
    store::Redirect redirect;
    redirect.path = text("path");
    try {
      store::CheckRedirect(redirect);
    } catch (const Error& e) {
      throw Error(e.code(), fmt::format("redirects[{}].path: {}", i, e.what()));
    }
    const std::string language = text("language");
    const std::optional<std::string> tag = content::CanonicalLanguageTag(language);
    if (!tag) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("redirects[{}].language: '{}' is not a language tag such as en-GB", i,
                              language.substr(0, 100)));
    }
    redirect.language = *tag;
    redirects.push_back(std::move(redirect));
  }
  return redirects;
}

std::map<int64_t, std::vector<store::Redirect>> RedirectsByAsset(store::Store& store) {
  std::map<int64_t, std::vector<store::Redirect>> by_asset;
  store::RedirectQuery query;
  query.limit = 1000;
  // Bounded by the total read first: redirects added meanwhile cannot keep it going.
  int64_t total = -1;
  for (int64_t read = 0; total < 0 || read < total; query.offset += query.limit) {
    store::RedirectPage page = store.ListRedirects(query);
    if (total < 0) total = page.total;
    if (page.redirects.empty()) break;
    read += static_cast<int64_t>(page.redirects.size());
    for (store::Redirect& r : page.redirects) by_asset[r.asset_id].push_back(std::move(r));
  }
  return by_asset;
}

}  // namespace assetpub::importers
