#pragma once
// Reading the resources the renderers load once at start-up (templates, stylesheets under
// Config::resources_dir). Stateless; safe from any thread.

#include <filesystem>
#include <string>
#include <string_view>

namespace assetpub::render {

// The whole file at `path`. Throws Error(kInvalidInput) naming the file when it cannot be read.
std::string ReadResourceFile(const std::filesystem::path& path);

// The URL `url` of the static file whose bytes are `bytes`, with a fingerprint of them
// ("/static/css/site.css?v=0123456789abcdef"), so a changed file is never taken from a stale
// cache. The fingerprint is FNV-1a: for caching, not security.
std::string FingerprintedUrl(std::string_view url, std::string_view bytes);

}  // namespace assetpub::render
