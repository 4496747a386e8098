#include "web/api/media_routes.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "auth/roles.h"
#include "content/asset_json.h"
#include "http/multipart.h"
#include "http/params.h"
#include "media/media_store.h"
#include "render/json.h"
#include "web/api/bearer.h"
#include "web/error_response.h"
#include "web/public_media.h"

namespace assetpub::web {
namespace {

using nlohmann::ordered_json;

constexpr int64_t kPageSize = 50;
constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";

ordered_json FileJson(const content::MediaFile& file) {
  ordered_json j = content::ToJson(file);
  j["url"] = MediaUrl(file);
  if (content::IsImageType(file.type)) j["thumbnail_url"] = MediaThumbnailUrl(file);
  return j;
}

// The caption field: optional text like every other title-sized field.
std::string Caption(const std::vector<http::MultipartPart>& parts) {
  const http::MultipartPart* part = http::FindPart(parts, "caption");
  if (part == nullptr) return {};
  const std::string caption(part->body);
  if (caption.size() > 1000 || !content::IsValidUtf8(caption) ||
      std::any_of(caption.begin(), caption.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\n' && c != '\t') || u == 0x7f;
      })) {
    throw Error(ErrorCode::kInvalidInput,
                "caption: at most 1000 bytes of UTF-8 text without control characters");
  }
  return caption;
}

content::MediaFile StoreUpload(const Context& context, const media::MediaStore& files,
                               const auth::Principal& actor, std::string_view bytes,
                               std::string_view filename, std::string_view address) {
  if (!actor.May(auth::Action::kUploadMedia)) {
    throw Error(ErrorCode::kForbidden, "your role may not upload media");
  }
  if (bytes.size() > context.config.media_max_bytes) {
    throw Error(ErrorCode::kTooLarge, fmt::format("the file is {} bytes; at most {} are accepted",
                                                  bytes.size(), context.config.media_max_bytes));
  }
  content::MediaFile stored = files.Put(bytes, filename);
  store::MediaRecord record;
  record.file = stored;
  record.uploaded_at = content::Now();
  record.uploaded_by = actor.name;
  const bool added = context.store.AddMedia(record);
  if (context.auth != nullptr) {
    context.auth->AppendAudit(actor.name, "media.upload", "media:" + stored.hash, address,
                              fmt::format("{} ({}, {} bytes){}", stored.name, stored.type,
                                          stored.bytes, added ? "" : ", already in the library"));
  }
  return stored;
}

Response Upload(const Context& context, const media::MediaStore& files,
                const auth::Principal& actor, const Request& request) {
  if (!actor.May(auth::Action::kUploadMedia)) {
    throw Error(ErrorCode::kForbidden, "your role may not upload media");
  }
  const std::optional<std::string> boundary =
      http::MultipartBoundary(request.Header("Content-Type").value_or(""));
  if (!boundary) {
    throw Error(ErrorCode::kUnsupportedMediaType,
                "send the file as multipart/form-data with a part named 'file'");
  }
  const std::vector<http::MultipartPart> parts = http::ParseMultipart(request.Body(), *boundary);
  const http::MultipartPart* file = http::FindPart(parts, "file");
  if (file == nullptr || !file->filename) {
    throw Error(ErrorCode::kInvalidInput,
                "the form has no 'file' part with a filename: send the file as field 'file'");
  }
  if (file->body.size() > context.config.media_max_bytes) {
    throw Error(ErrorCode::kTooLarge,
                fmt::format("the file is {} bytes; at most {} are accepted", file->body.size(),
                            context.config.media_max_bytes));
  }
  const std::string caption = Caption(parts);
  content::MediaFile stored;
  try {
    stored =
        StoreUpload(context, files, actor, file->body, *file->filename, request.remote_address);
  } catch (const media::RejectedFile& e) {
    switch (e.reason()) {
      case media::Rejection::kTypeNotAllowed:
        throw Error(ErrorCode::kUnsupportedMediaType, e.what());
      case media::Rejection::kExtensionMismatch:
      case media::Rejection::kUndecodable:
        throw Error(ErrorCode::kUnprocessable, e.what());
      case media::Rejection::kEmpty:
      case media::Rejection::kBadName:
        throw;
    }
    throw;
  }
  stored.caption = caption;
  Response response = Response::Json(201, render::SafeJsonText(FileJson(stored)));
  response.SetHeader("Location", MediaUrl(stored));
  return response;
}

Response List(const Context& context, const auth::Principal& actor, const Request& request) {
  if (!actor.May(auth::Action::kUploadMedia)) {
    throw Error(ErrorCode::kForbidden, "your role may not see the media library");
  }
  int64_t page = 1;
  if (const std::optional<std::string> text = request.Query("page")) {
    const std::optional<int64_t> parsed = http::ParseInteger(*text, 1, 1'000'000);
    if (!parsed) throw Error(ErrorCode::kInvalidInput, "page: must be a whole number from 1");
    page = *parsed;
  }
  const store::MediaPage listed = context.store.ListMedia((page - 1) * kPageSize, kPageSize);
  ordered_json files = ordered_json::array();
  for (const store::MediaRecord& r : listed.files) {
    ordered_json j = FileJson(r.file);
    j["uploaded_at"] = content::ToIso8601Utc(r.uploaded_at);
    j["uploaded_by"] = r.uploaded_by;
    files.push_back(std::move(j));
  }
  ordered_json j;
  j["files"] = std::move(files);
  j["page"] = page;
  j["pages"] = (listed.total + kPageSize - 1) / kPageSize;
  j["total"] = listed.total;
  return Response::Json(200, render::SafeJsonText(j));
}

// RFC 8187 value of a filename* parameter: UTF-8, percent-encoded but for attr-chars.
std::string ExtValue(std::string_view text) {
  std::string out = "UTF-8''";
  for (unsigned char c : text) {
    if (std::isalnum(c) ||
        std::string_view("!#$&+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

// The single range of a `Range: bytes=…` header over `size` bytes: [first, last]. nullopt
// means "serve it whole" (no header, a form this server does not do: several ranges, other
// units, bad syntax, as RFC 9110 allows); `unsatisfiable` is set for a range past the end.
std::optional<std::pair<uint64_t, uint64_t>> ParseRange(std::string_view header, uint64_t size,
                                                        bool& unsatisfiable) {
  unsatisfiable = false;
  constexpr std::string_view kUnit = "bytes=";
  if (!header.starts_with(kUnit)) return std::nullopt;
  const std::string_view spec = header.substr(kUnit.size());
  if (spec.find(',') != std::string_view::npos) return std::nullopt;
  const size_t dash = spec.find('-');
  if (dash == std::string_view::npos) return std::nullopt;
  const std::string_view first_text = spec.substr(0, dash);
  const std::string_view last_text = spec.substr(dash + 1);
  const auto number = [](std::string_view text) -> std::optional<uint64_t> {
    if (text.empty() || text.size() > 18 ||
        text.find_first_not_of("0123456789") != std::string_view::npos) {
      return std::nullopt;
    }
    return std::stoull(std::string(text));
  };
  if (first_text.empty()) {  // the last N bytes
    const std::optional<uint64_t> suffix = number(last_text);
    if (!suffix) return std::nullopt;
    if (*suffix == 0 || size == 0) {
      unsatisfiable = true;
      return std::nullopt;
    }
    return std::make_pair(size - std::min(*suffix, size), size - 1);
  }
  const std::optional<uint64_t> first = number(first_text);
  if (!first) return std::nullopt;
  std::optional<uint64_t> last = size == 0 ? 0 : size - 1;
  if (!last_text.empty()) {
    last = number(last_text);
    if (!last || *last < *first) return std::nullopt;
  }
  if (*first >= size) {
    unsatisfiable = true;
    return std::nullopt;
  }
  return std::make_pair(*first, std::min(*last, size - 1));
}

Response Serve(const Context& context, const media::MediaStore& files, const Request& request,
               std::string_view relative) {
  const std::optional<media::OpenedFile> opened = files.Open(relative);
  if (!opened) throw Error(ErrorCode::kNotFound, "no such media file");
  const bool thumbnail = relative.find('-') != std::string_view::npos;
  const std::string etag = fmt::format(
      "\"{}{}\"", opened->hash, thumbnail ? "-" + std::to_string(media::kThumbnailWidth) : "");
  Response response;
  response.SetHeader("Cache-Control", std::string(kImmutable));
  response.SetHeader("ETag", etag);
  response.SetHeader("Accept-Ranges", "bytes");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  if (const std::optional<std::string> match = request.Header("If-None-Match")) {
    if (*match == etag || *match == "*" || match->find(etag) != std::string::npos) {
      response.status = 304;
      return response;
    }
  }
  response.SetHeader("Content-Type", opened->type);
  if (!content::IsImageType(opened->type)) {
    std::string name = fmt::format("{}{}", opened->hash, relative.substr(relative.rfind('.')));
    try {
      if (const std::optional<store::MediaRecord> record = context.store.FindMedia(opened->hash)) {
        name = record->file.name;
      }
    } catch (const Error& e) {
      spdlog::debug("media: no display name for {}: {}", opened->hash, e.what());
    }
    response.SetHeader("Content-Disposition", "inline; filename*=" + ExtValue(name));
  }
  std::optional<std::pair<uint64_t, uint64_t>> range;
  bool unsatisfiable = false;
  if (const std::optional<std::string> header = request.Header("Range")) {
    const std::optional<std::string> if_range = request.Header("If-Range");
    if (!if_range || *if_range == etag) range = ParseRange(*header, opened->size, unsatisfiable);
  }
  if (unsatisfiable) {
    Response refused = ErrorResponse(
        context.renderer, request,
        Error(ErrorCode::kRangeNotSatisfiable, fmt::format("the file has {} bytes", opened->size)));
    refused.SetHeader("Content-Range", fmt::format("bytes */{}", opened->size));
    return refused;
  }
  if (range) {
    response.status = 206;
    response.SetHeader("Content-Range",
                       fmt::format("bytes {}-{}/{}", range->first, range->second, opened->size));
    response.file =
        http::FileBody::Open(opened->path, range->first, range->second - range->first + 1);
    return response;
  }
  // Sent from disk by the server in pieces: a large file costs no memory of its size.
  response.file = http::FileBody::Open(opened->path, 0, opened->size);
  return response;
}

// The hash a /media/ path names ("ab/<64 hex digits>.ext" or "ab/<hash>-320.jpg"), or "" when
// it names none (MediaStore::Open checks the rest).
std::string_view HashOf(std::string_view relative) {
  if (relative.size() < 3 + 64 || relative[2] != '/') return {};
  const std::string_view hash = relative.substr(3, 64);
  if (hash.find_first_not_of("0123456789abcdef") != std::string_view::npos) return {};
  return hash;
}

// The answer of an API handler, its failures as problem+json; every answer is not to be stored.
Response Answer(const Context& context, const Request& request,
                const std::function<Response()>& handler) {
  Response response;
  try {
    response = handler();
  } catch (const Error& e) {
    response = ErrorResponse(context.renderer, request, e);
  }
  response.SetHeader("Cache-Control", "no-store");
  return response;
}

}  // namespace

void ResolveMedia(store::Store& store, content::Asset& asset) {
  std::vector<content::Problem> problems;
  for (size_t i = 0; i < asset.media.size(); ++i) {
    content::MediaFile& m = asset.media[i];
    std::optional<store::MediaRecord> record;
    if (m.hash.size() == 64) record = store.FindMedia(m.hash);
    if (!record) {
      problems.push_back({fmt::format("media[{}].hash", i),
                          "no file with this hash in the media library: upload it first (POST "
                          "/api/v1/media)"});
      continue;
    }
    m.type = record->file.type;
    m.bytes = record->file.bytes;
    m.width = record->file.width;
    m.height = record->file.height;
    if (m.name.empty()) m.name = record->file.name;
  }
  if (!problems.empty()) throw FieldErrors(ErrorCode::kInvalidInput, std::move(problems));
}

std::string MediaUrl(const content::MediaFile& file) {
  return "/media/" + media::RelativePath(file.hash, file.type);
}

std::string MediaThumbnailUrl(const content::MediaFile& file) {
  if (!content::IsImageType(file.type)) return "";
  return "/media/" + media::ThumbnailPath(file.hash);
}

bool IsUploadTarget(std::string_view method, std::string_view target) {
  if (method != "POST") return false;
  const std::string_view path = target.substr(0, target.find('?'));
  return path == "/api/v1/media" || path == "/admin/media";
}

size_t UploadBodyLimit(const Config& config) { return config.media_max_bytes + 64 * 1024; }

content::MediaFile StoreUpload(const Context& context, const auth::Principal& actor,
                               std::string_view bytes, std::string_view filename,
                               std::string_view address) {
  if (context.config.media_dir.empty()) {
    throw Error(ErrorCode::kUnavailable, "the media library is not configured");
  }
  const media::MediaStore files(context.config.media_dir, context.store);
  return StoreUpload(context, files, actor, bytes, filename, address);
}

Response ServeMediaFile(const Context& context, const Request& request, std::string_view relative) {
  if (context.media == nullptr) {
    throw Error(ErrorCode::kUnavailable, "the media library is not configured");
  }
  return Serve(context, *context.media, request, relative);
}

void AddMediaRoutes(Router& router, const Context& context) {
  const media::MediaStore* files = context.media;
  const auto need_files = [files] {
    if (files == nullptr)
      throw Error(ErrorCode::kUnavailable, "the media library is not configured");
  };
  router.Add("/api/v1/media", {"POST"},
             [context, files, need_files](const Request& request, const RouteParams&) {
               return Answer(context, request, [&] {
                 need_files();
                 return Upload(context, *files, RequireBearer(context, request), request);
               });
             });
  router.Get("/api/v1/media", [context, need_files](const Request& request, const RouteParams&) {
    return Answer(context, request, [&] {
      need_files();
      return List(context, RequireBearer(context, request), request);
    });
  });
  router.Get("/media/{path...}", [context, files, need_files](const Request& request,
                                                              const RouteParams& params) {
    need_files();
    const std::string& relative = params.Get("path");
    // Only the files of published items, and no hint that another file exists: an
    // embargoed statement's attachment is 404 to anyone holding its hash.
    const std::string_view hash = HashOf(relative);
    if (hash.empty() || context.public_media == nullptr || !context.public_media->IsPublic(hash)) {
      throw Error(ErrorCode::kNotFound, "no such media file");
    }
    return Serve(context, *files, request, relative);
  });
}

}  // namespace assetpub::web
