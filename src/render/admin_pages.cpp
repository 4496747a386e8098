#include "render/admin_pages.h"

#include <fmt/format.h>

#include <cassert>
#include <kainjow/mustache.hpp>
#include <map>

#include "content/language.h"
#include "core/error.h"
#include "render/resource_file.h"

namespace assetpub::render {
namespace {

namespace mustache = kainjow::mustache;
using Data = mustache::data;

constexpr const char* kStylesheet = "/static/css/admin.css";

// A JSON view model as Mustache data: null is false (an empty section), numbers are their text.
Data ToData(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      Data object(Data::type::object);
      for (const auto& [key, item] : value.items()) object.set(key, ToData(item));
      return object;
    }
    case nlohmann::json::value_t::array: {
      Data list(Data::type::list);
      for (const auto& item : value) list.push_back(ToData(item));
      return list;
    }
    case nlohmann::json::value_t::string:
      return Data(value.get<std::string>());
    case nlohmann::json::value_t::boolean:
      return Data(value.get<bool>());
    case nlohmann::json::value_t::null:
    case nlohmann::json::value_t::discarded:
      return Data(false);
    default:
      return Data(value.dump());
  }
}

// The locale's "admin.…" keys as nested objects under "t" ({{t.admin.login.title}}).
nlohmann::json LocaleView(const LocaleStrings& strings) {
  nlohmann::json tree = nlohmann::json::object();
  for (const auto& [key, value] : strings.entries()) {
    if (!key.starts_with(kAdminPrefix)) continue;
    nlohmann::json* node = &tree;
    size_t start = 0;
    while (true) {
      const size_t dot = key.find('.', start);
      const std::string part = key.substr(start, dot - start);
      if (dot == std::string::npos) {
        (*node)[part] = value;
        break;
      }
      node = &(*node)[part];
      start = dot + 1;
    }
  }
  return nlohmann::json{{"t", tree}};
}

}  // namespace

struct AdminPages::Impl {
  LocaleStrings strings;
  std::string language;
  std::string stylesheet;
  Data locale;
  std::map<std::string, mustache::mustache, std::less<>> templates;

  std::string Render(std::string_view name, const Data& view) const {
    auto it = templates.find(name);
    assert(it != templates.end());
    // kainjow's render() is not const: each request renders its own copy.
    mustache::mustache copy = it->second;
    mustache::context<std::string> context;
    context.push(&locale);
    context.push(&view);
    const std::string rendered = copy.render(context);
    if (!copy.is_valid()) {
      throw Error(ErrorCode::kInternal,
                  fmt::format("template admin/{}: {}", name, copy.error_message()));
    }
    return rendered;
  }
};

AdminPages::AdminPages(const std::filesystem::path& resources_dir, const LocaleStrings& strings,
                       std::string language)
    : impl_(std::make_unique<Impl>(Impl{strings, std::move(language), {}, {}, {}})) {
  if (!strings.HasAnyUnder(kAdminPrefix)) {
    throw Error(ErrorCode::kInvalidInput,
                fmt::format("the locale of {} has no [admin] section", impl_->language));
  }
  impl_->locale = ToData(LocaleView(strings));
  const std::filesystem::path dir = resources_dir / "templates" / "admin";
  std::vector<std::string> names(std::begin(kPages), std::end(kPages));
  names.emplace_back("layout");
  for (const std::string& name : names) {
    const std::filesystem::path file = dir / (name + ".mustache");
    mustache::mustache parsed(ReadResourceFile(file));
    if (!parsed.is_valid()) {
      throw Error(ErrorCode::kInvalidInput,
                  fmt::format("{}: {}", file.string(), parsed.error_message()));
    }
    impl_->templates.emplace(name, std::move(parsed));
  }
  impl_->stylesheet = FingerprintedUrl(
      kStylesheet, ReadResourceFile(resources_dir / "static" / "css" / "admin.css"));
}

AdminPages::~AdminPages() = default;
AdminPages::AdminPages(AdminPages&&) noexcept = default;
AdminPages& AdminPages::operator=(AdminPages&&) noexcept = default;

std::string AdminPages::Page(std::string_view name, const nlohmann::json& view) const {
  Data data = ToData(view);
  // Text of the desk's own language inside a column of another (labels in an Arabic column of
  // an English desk) says lang="{{ui_lang}}" dir="{{ui_dir}}".
  const std::string direction(content::TextDirection(impl_->language));
  data.set("ui_dir", direction);
  const std::string content = impl_->Render(name, data);
  data.set("content", content);  // our own template's output: inserted raw by the layout
  data.set("lang", impl_->language);
  data.set("dir", direction);
  data.set("stylesheet", impl_->stylesheet);
  return impl_->Render("layout", data);
}

const std::string& AdminPages::Text(std::string_view key) const {
  static const std::string kMissing = "?";
  return impl_->strings.Has(key) ? impl_->strings.Text(key) : kMissing;
}

const std::string& AdminPages::language() const { return impl_->language; }

}  // namespace assetpub::render
