#pragma once
// The media library over HTTP:
//
//   POST /api/v1/media           multipart/form-data with a `file` part (its filename is the
//                                display name) and an optional `caption` field; bearer token of
//                                an editor or above (auth::Action::kUploadMedia). 201 with the
//                                file's JSON (content::ToJson(MediaFile) plus "url" and, for
//                                images, "thumbnail_url") and Location: its URL. 400 for a
//                                malformed body or name, 415 when the body is not multipart or
//                                the bytes are of a type not accepted, 422 when the name's
//                                extension is not what the bytes are (or an image cannot be
//                                decoded), 413 over config.media_max_bytes. All problem+json.
//   GET  /api/v1/media?page=N    the library, newest first, 50 a page (editors and above):
//                                {"files": […], "page", "pages", "total"}.
//   GET  /media/ab/<hash>.<ext>  a file, and /media/ab/<hash>-320.jpg an image's thumbnail:
//                                its stored type, nosniff, immutable caching, ETag "<hash>"
//                                (304 on If-None-Match), a single byte range (206, 416), and
//                                Content-Disposition inline with the display name for
//                                non-images. HEAD too. 404 for any other path.
//
// Attaching: an asset's "media" entries name library files by hash; ResolveMedia (called by the
// write API before saving) completes them from the library and refuses unknown hashes (422 with
// one pointer per entry).
//
// Without config.media_dir, the library is off: these routes answer 503.
// Thread-safety: the handlers are safe to call from many threads at once.

#include <string_view>
#include <vector>

#include "content/asset.h"
#include "content/validate.h"
#include "core/error.h"
#include "http/router.h"
#include "store/store.h"
#include "web/context.h"

namespace assetpub::web {

// GET /media/… answers only a file attached to a published item (PublicMedia), 404 for any other
// as for a file that does not exist; editors see every library file at /admin/media/… (the same
// answer, behind their session: admin_routes.cpp, ServeMediaFile).
//
// Adds the routes above to `router`; `context` must outlive it.
void AddMediaRoutes(Router& router, const Context& context);

// True for the requests whose body is an upload (POST /api/v1/media, POST /admin/media): the
// server reads those up to UploadBodyLimit() instead of its usual limit. `target` as sent.
bool IsUploadTarget(std::string_view method, std::string_view target);
// The largest upload request body for `config`: media_max_bytes plus room for the framing.
size_t UploadBodyLimit(const Config& config);

// Completes `asset.media` from the library: for each entry whose hash is a library file, the
// type, size and pixel size come from the library, and the name too when the entry has none
// (the caption is the entry's own). Throws Error(kInvalidInput) whose fields() name every entry
// whose hash is not in the library ("media[1].hash"). Error(kUnavailable) when the store keeps no
// library.
void ResolveMedia(store::Store& store, content::Asset& asset);

// Stores an upload in config.media_dir and the store's library, as `actor` from `address`
// (audited): the file as media::MediaStore::Put returns it (caption empty). Throws
// media::RejectedFile (an Error of kInvalidInput saying what is wrong), Error(kTooLarge) over
// config.media_max_bytes, Error(kForbidden) when the actor may not upload, Error(kUnavailable)
// without a media folder. For the API and /admin/media alike.
content::MediaFile StoreUpload(const Context& context, const auth::Principal& actor,
                               std::string_view bytes, std::string_view filename,
                               std::string_view address);

// The library file at `relative` ("ab/<hash>.<ext>", "ab/<hash>-320.jpg") whatever item it is
// attached to, as GET /media/ answers it: for /admin/media/, which checks the session first.
// Error(kNotFound) when there is no such file, Error(kUnavailable) without a media folder.
Response ServeMediaFile(const Context& context, const Request& request, std::string_view relative);

// "/media/ab/<hash>.<ext>" and, for an image, "/media/ab/<hash>-320.jpg" ("" otherwise).
std::string MediaUrl(const content::MediaFile& file);
std::string MediaThumbnailUrl(const content::MediaFile& file);

}  // namespace assetpub::web
