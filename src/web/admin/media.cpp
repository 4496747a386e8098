#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>

#include "auth/crypto.h"
#include "auth/csrf.h"
#include "authoring/workflow.h"
#include "content/language.h"
#include "content/slug.h"
#include "core/error.h"
#include "http/cookies.h"
#include "http/multipart.h"
#include "http/params.h"
#include "render/admin_pages.h"
#include "render/paths.h"
#include "web/admin/admin_body.h"
#include "web/admin/admin_form.h"
#include "web/admin/desk.h"
#include "web/api/media_routes.h"

namespace assetpub::web::admin {

// --- Media library (media_routes.h) -----------------------------------------------------------

Response MediaPage(const Admin& admin, const Call& call, int status, const std::string& notice,
                   const std::string& error) {
  constexpr int64_t kPerPage = 50;
  const int64_t page = http::QueryInteger(call.request, "page", 1, 1, 1'000'000);
  const store::MediaPage listed = admin.context.store.ListMedia((page - 1) * kPerPage, kPerPage);
  json files = json::array();
  for (const store::MediaRecord& r : listed.files) {
    // The editors' copies: /media/ serves a file only once an item using it is published.
    files.push_back(
        {{"url", "/admin" + MediaUrl(r.file)},
         {"thumbnail", content::IsImageType(r.file.type)
                           ? json("/admin" + MediaThumbnailUrl(r.file))
                           : json(false)},
         {"name", r.file.name},
         {"type", r.file.type},
         {"bytes", std::to_string(r.file.bytes)},
         {"size",
          r.file.width > 0 ? json(fmt::format("{}×{}", r.file.width, r.file.height)) : json(false)},
         {"hash", r.file.hash},
         {"uploaded", admin.Date(r.uploaded_at, admin.context.config.time_zone)},
         {"by", r.uploaded_by}});
  }
  json view{
      {"title", admin.T("admin.media.title")},
      {"has_files", !files.empty()},
      {"files", std::move(files)},
      {"csrf", call.session.csrf},
      {"limit", Fill(admin.T("admin.media.limit"),
                     {{"max", std::to_string(admin.context.config.media_max_bytes)}})},
      {"newer", page > 1 ? json(fmt::format("/admin/media?page={}", page - 1)) : json(false)},
      {"older", page * kPerPage < listed.total ? json(fmt::format("/admin/media?page={}", page + 1))
                                               : json(false)}};
  if (!notice.empty()) view["notice"] = notice;
  if (!error.empty()) view["error"] = error;
  return Page(admin, call.request.target, status, "media", std::move(view), &call.session);
}

Response MediaLibrary(const Admin& admin, const Call& call) {
  std::string notice;
  if (std::optional<std::string> name = call.request.Query("uploaded")) {
    notice = Fill(admin.T("admin.media.uploaded"), {{"name", *name}});
  }
  return MediaPage(admin, call, 200, notice, "");
}

// The upload form's POST: the form's CSRF field was checked (ParseForm reads multipart
// fields); the file part is read here. A refusal shows the library again with the reason.
Response UploadMedia(const Admin& admin, const Call& call) {
  try {
    const std::optional<std::string> boundary =
        http::MultipartBoundary(call.request.Header("Content-Type").value_or(""));
    if (!boundary) throw Error(ErrorCode::kInvalidInput, "the form must be sent as a file upload");
    const std::vector<http::MultipartPart> parts =
        http::ParseMultipart(call.request.Body(), *boundary);
    const http::MultipartPart* file = http::FindPart(parts, "file");
    if (file == nullptr || !file->filename || file->filename->empty()) {
      throw Error(ErrorCode::kInvalidInput, admin.T("admin.media.no_file"));
    }
    const content::MediaFile stored = StoreUpload(admin.context, call.session.principal, file->body,
                                                  *file->filename, call.request.remote_address);
    return Response::Redirect(303, "/admin/media?uploaded=" + render::PercentEncode(stored.name));
  } catch (const Error& e) {
    if (e.code() != ErrorCode::kInvalidInput && e.code() != ErrorCode::kTooLarge) throw;
    return MediaPage(admin, call, HttpStatus(e.code()), "", e.what());
  }
}

}  // namespace assetpub::web::admin
