#pragma once
// Form is the fields of an HTML form POST (application/x-www-form-urlencoded), as the admin
// UI's handlers read them. Thread-safety: a plain value.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "http/message.h"

namespace assetpub::web {

class Form {
 public:
  Form() = default;
  explicit Form(std::vector<std::pair<std::string, std::string>> fields)
      : fields_(std::move(fields)) {}

  // The first value of the field `name`; an empty string when absent.
  const std::string& Get(std::string_view name) const;
  // True when the field is present (even empty).
  bool Has(std::string_view name) const;
  // Every value of the field `name`, in order.
  std::vector<std::string> All(std::string_view name) const;
  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// The largest form body ParseForm accepts (a long statement in two languages fits easily).
inline constexpr size_t kMaxFormBytes = size_t{4} << 20;

// The fields of `request`'s body. Throws Error(kInvalidInput) when the Content-Type is not
// application/x-www-form-urlencoded, a %-escape is malformed or a value is not UTF-8 text
// without control characters other than tab, CR and LF; Error(kTooLarge) past kMaxFormBytes.
Form ParseForm(const http::Request& request);

}  // namespace assetpub::web
