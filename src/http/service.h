#pragma once
// Service is what the server serves: the application behind the transport. The server reads
// requests, asks the service for answers and writes them; it knows nothing of pages, caches or
// accounts. Thread-safety: every method is called from the server's worker threads, many at
// once; methods that take a `worker` are called only from that worker's own thread, so state
// kept per worker needs no lock.

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace assetpub::http {

// A service's answer. Either a whole Response, or a prepared answer: a status (200 or 304 in
// `response.status`), header lines the service wrote into the server's buffer (see
// Service::Respond) and a body that lies in memory `owner` keeps alive, written without a copy.
struct Answer {
  Response response;
  // Non-null for a prepared answer: keeps `prepared_body` (and what the header lines were made
  // from) alive until the server has written it.
  std::shared_ptr<const void> owner;
  std::string_view prepared_body;

  bool prepared() const { return owner != nullptr; }
  std::string_view body() const { return prepared() ? prepared_body : response.body; }
};

// What the server knows of an answer as it is about to write it (Service::Answered).
struct Outcome {
  int status = 0;
  bool prepared = false;  // a prepared answer (a cache hit)
  // From the request's last byte read to the answer being ready (0 for a refusal): the time the
  // service took, without the network's.
  std::chrono::nanoseconds elapsed{0};
};

// Why the server refused a request before handing it to Respond.
enum class Refusal {
  kBodyTooLarge,     // a declared Content-Length over BodyLimit(); the body is not read
  kMalformed,        // the request could not be parsed (or a header or body outgrew its limit)
  kTooManyRequests,  // 429: the client's address is over its request rate
  kTooManyUploads,   // 503: as many uploads as allowed are being received already
};

class Service {
 public:
  virtual ~Service() = default;

  // The answer to `request`, which the server read into a Request it keeps per connection
  // (method, target, headers, body and remote_address set; path and query are the service's to
  // set from target, reusing their storage). For a prepared answer the service appends its
  // header lines ("Name: value\r\n", not Date, Content-Length or Connection) to `header_lines`,
  // which the server cleared and whose storage it keeps between requests. For HEAD, the GET
  // answer (the server sends no body). Must not throw.
  virtual Answer Respond(Request& request, std::string& header_lines) const = 0;

  // The largest body the server reads for a request with this method and target (as sent).
  virtual size_t BodyLimit(std::string_view method, std::string_view target) const = 0;

  // Called once a request's header is read, before any of its body: an answer here (401, 403,
  // a redirect to a login…) is written instead, the body is never read (the connection closes
  // after the answer, dropping at most a little of what the client sends meanwhile), and
  // Respond is not called. nullopt: the request goes on. `request` has method, target, headers
  // and remote_address set (path and query not yet, the body empty). Called for every request:
  // must be cheap for those it does not look at (a cache hit must not allocate). Must not throw.
  virtual std::optional<Response> Admit(const Request& request) const {
    (void)request;
    return std::nullopt;
  }

  // The answer to a request the server refused (`status`: 413, 431, 400, 429 or 503; the server
  // sets Retry-After on the last two). `method` and
  // `target` are what was read of it (may be empty); `reason` is the parser's word for a
  // malformed request. Must not throw.
  virtual Response Refuse(Refusal refusal, std::string_view method, std::string_view target,
                          int status, std::string_view reason) const = 0;

  // Called on `worker`'s thread for every answer the server is about to write (refusals too),
  // with the request as read (after a refusal, possibly incomplete). Must not throw.
  virtual void Answered(unsigned worker, const Request& request, const Outcome& outcome) = 0;

  // Called on `worker`'s thread about once a second, and once more when the worker stops.
  virtual void Tick(unsigned worker) = 0;
};

}  // namespace assetpub::http
