#include "importers/wxr_text.h"

#include <fmt/format.h>

#include <cctype>
#include <charconv>

#include "content/asset.h"
#include "core/text.h"
#include "importers/body_formats.h"

namespace assetpub::importers {
namespace {

constexpr int kMaxShortcodeDepth = 8;
constexpr int kMaxPhpDepth = 8;

bool IsNameStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }
bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

// A shortcode's opening tag: [name attr="v" other=v positional], from '[' to ']'.
struct Tag {
  std::string name;
  std::map<std::string, std::string> attributes;
  bool has_attributes = false;
  bool self_closing = false;  // ended with "/]"
  size_t end = 0;             // just past ']'
};

// Reads the tag starting at text[at] == '['; nullopt when it is not one.
std::optional<Tag> ReadTag(std::string_view text, size_t at) {
  size_t i = at + 1;
  if (i >= text.size() || !IsNameStart(text[i])) return std::nullopt;
  Tag tag;
  while (i < text.size() && IsNameChar(text[i])) tag.name += text[i++];
  if (i >= text.size() || (text[i] != ']' && text[i] != '/' && !std::isspace(text[i]))) {
    return std::nullopt;
  }
  const size_t close = text.find(']', i);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view inside = text.substr(i, close - i);
  if (inside.ends_with('/')) {
    tag.self_closing = true;
    inside.remove_suffix(1);
  }
  // Attributes: name="value", name='value', name=value, or a bare value.
  size_t p = 0;
  int positional = 0;
  while (p < inside.size()) {
    while (p < inside.size() && std::isspace(static_cast<unsigned char>(inside[p]))) ++p;
    if (p >= inside.size()) break;
    std::string name;
    while (p < inside.size() && IsNameChar(inside[p])) name += inside[p++];
    std::string value;
    auto read_value = [&] {
      if (p < inside.size() && (inside[p] == '"' || inside[p] == '\'')) {
        const char quote = inside[p++];
        const size_t end = inside.find(quote, p);
        const size_t stop = end == std::string_view::npos ? inside.size() : end;
        value = std::string(inside.substr(p, stop - p));
        p = stop == inside.size() ? stop : stop + 1;
      } else {
        while (p < inside.size() && !std::isspace(static_cast<unsigned char>(inside[p]))) {
          value += inside[p++];
        }
      }
    };
    if (!name.empty() && p < inside.size() && inside[p] == '=') {
      ++p;
      read_value();
      tag.attributes[AsciiLower(name)] = value;
    } else {
      if (name.empty()) read_value();
      tag.attributes[std::to_string(positional++)] = name.empty() ? value : name;
    }
    tag.has_attributes = true;
  }
  tag.end = close + 1;
  return tag;
}

void CollectImages(std::string_view html, std::vector<std::string>& images) {
  size_t at = 0;
  while ((at = html.find("<img", at)) != std::string_view::npos) {
    const size_t end = html.find('>', at);
    const std::string_view element =
        html.substr(at, end == std::string_view::npos ? std::string_view::npos : end - at);
    if (const size_t src = element.find("src="); src != std::string_view::npos) {
      std::string_view rest = element.substr(src + 4);
      const char quote = rest.empty() ? ' ' : rest.front();
      if (quote == '"' || quote == '\'') {
        rest.remove_prefix(1);
        images.emplace_back(rest.substr(0, rest.find(quote)));
      }
    }
    at += 4;
  }
}

// WordPress's own shortcodes: always shortcodes, with or without attributes.
bool IsKnown(std::string_view name) {
  const std::string lower = AsciiLower(name);
  for (std::string_view known :
       {"caption", "wp_caption", "gallery", "embed", "audio", "video", "playlist"}) {
    if (lower == known) return true;
  }
  return false;
}

std::string Expand(std::string_view text, const AttachmentUrl& attachment_url,
                   ShortcodeFindings& findings, int depth);

std::string Replace(const Tag& tag, std::string_view content, bool enclosing,
                    const AttachmentUrl& attachment_url, ShortcodeFindings& findings, int depth) {
  const std::string name = AsciiLower(tag.name);
  auto attribute = [&](const char* key) {
    const auto it = tag.attributes.find(key);
    return it == tag.attributes.end() ? std::string() : it->second;
  };
  if (depth >= kMaxShortcodeDepth) return {};
  if (name == "caption" || name == "wp_caption") {
    const std::string inner = Expand(content, attachment_url, findings, depth + 1);
    CollectImages(inner, findings.images);
    const std::string caption = attribute("caption");
    // The image element (kept for whoever reads images) and the caption as its own paragraph.
    return "<div>" + inner + "</div>" +
           (caption.empty() ? std::string() : "<p>" + EscapeHtml(caption) + "</p>");
  }
  if (name == "gallery") {
    std::string list;
    const std::string all_ids = attribute("ids");
    std::string_view ids = all_ids;
    while (!ids.empty()) {
      const size_t comma = ids.find(',');
      const std::string_view id = Trim(ids.substr(0, comma));
      ids = comma == std::string_view::npos ? std::string_view() : ids.substr(comma + 1);
      int64_t value = 0;
      if (std::from_chars(id.data(), id.data() + id.size(), value).ec != std::errc()) continue;
      findings.gallery_ids.push_back(value);
      if (const auto url = attachment_url ? attachment_url(value) : std::nullopt) {
        list += "<li>" + EscapeHtml(*url) + "</li>";
      }
    }
    return list.empty() ? std::string() : "<ul>" + list + "</ul>";
  }
  if (name == "embed") {
    const std::string url(Trim(content));
    return url.empty() ? std::string() : "<p>" + EscapeHtml(url) + "</p>";
  }
  if (name == "audio" || name == "video") {
    for (const char* key : {"src", "mp3", "mp4", "m4a", "ogg", "webm", "wav", "m4v", "ogv"}) {
      if (const std::string url = attribute(key); !url.empty()) {
        return "<p>" + EscapeHtml(url) + "</p>";
      }
    }
    return enclosing ? Expand(content, attachment_url, findings, depth + 1) : std::string();
  }
  if (name == "playlist") return {};
  return enclosing ? Expand(content, attachment_url, findings, depth + 1) : std::string();
}

std::string Expand(std::string_view text, const AttachmentUrl& attachment_url,
                   ShortcodeFindings& findings, int depth) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    const size_t open = text.find('[', i);
    if (open == std::string_view::npos) {
      out += text.substr(i);
      break;
    }
    out += text.substr(i, open - i);
    // [[name]] is WordPress's way of writing a shortcode as text.
    if (open + 1 < text.size() && text[open + 1] == '[') {
      if (const auto inner = ReadTag(text, open + 1);
          inner && inner->end < text.size() && text[inner->end] == ']') {
        out += text.substr(open + 1, inner->end - open - 1);
        i = inner->end + 1;
        continue;
      }
    }
    const std::optional<Tag> tag = ReadTag(text, open);
    if (!tag) {
      out += '[';
      i = open + 1;
      continue;
    }
    const std::string closing = "[/" + tag->name + "]";
    const size_t close = tag->self_closing ? std::string_view::npos : text.find(closing, tag->end);
    if (close != std::string_view::npos) {
      out += Replace(*tag, text.substr(tag->end, close - tag->end), true, attachment_url, findings,
                     depth);
      i = close + closing.size();
    } else if (!tag->has_attributes && !tag->self_closing && !IsKnown(tag->name)) {
      out += text.substr(open, tag->end - open);  // "[sic]": text, not a shortcode
      i = tag->end;
    } else {
      out += Replace(*tag, {}, false, attachment_url, findings, depth);
      i = tag->end;
    }
  }
  return out;
}

bool StartsWithBlockElement(std::string_view chunk) {
  static constexpr std::string_view kBlocks[] = {
      "<p",      "<div",    "<h1",     "<h2",   "<h3",      "<h4",         "<h5",
      "<h6",     "<ul",     "<ol",     "<li",   "<table",   "<blockquote", "<pre",
      "<figure", "<hr",     "<dl",     "<!--",  "<section", "<article",    "<address",
      "<form",   "<iframe", "<script", "<style"};
  const std::string lower = AsciiLower(chunk.substr(0, 12));
  for (std::string_view block : kBlocks) {
    if (lower.starts_with(block)) return true;
  }
  return false;
}

// serialize()'s format, read by recursive descent with every length and depth checked.
class PhpReader {
 public:
  explicit PhpReader(std::string_view text) : text_(text) {}

  std::optional<std::map<std::string, std::string>> TopArray() {
    std::map<std::string, std::string> out;
    if (!Array(&out, 0)) return std::nullopt;
    return out;
  }

 private:
  bool Expect(char c) {
    if (at_ >= text_.size() || text_[at_] != c) return false;
    ++at_;
    return true;
  }
  // Digits (with a leading '-') up to `end`.
  std::optional<std::string> Number(char end) {
    const size_t stop = text_.find(end, at_);
    if (stop == std::string_view::npos || stop == at_) return std::nullopt;
    std::string value(text_.substr(at_, stop - at_));
    for (size_t i = 0; i < value.size(); ++i) {
      if (!(std::isdigit(static_cast<unsigned char>(value[i])) || (i == 0 && value[i] == '-') ||
            value[i] == '.')) {
        return std::nullopt;
      }
    }
    at_ = stop + 1;
    return value;
  }
  // One value; `scalar` gets its text (nullopt for an array or null).
  bool Value(std::optional<std::string>* scalar, int depth) {
    if (at_ + 1 >= text_.size()) return false;
    const char type = text_[at_];
    at_ += 1;
    if (type == 'N') {
      *scalar = std::nullopt;
      return Expect(';');
    }
    if (type == 'a') {
      *scalar = std::nullopt;
      --at_;
      return Array(nullptr, depth + 1);
    }
    if (!Expect(':')) return false;
    if (type == 'i' || type == 'b' || type == 'd') {
      *scalar = Number(';');
      return scalar->has_value();
    }
    if (type != 's') return false;
    const auto length = Number(':');
    size_t bytes = 0;
    if (!length ||
        std::from_chars(length->data(), length->data() + length->size(), bytes).ec != std::errc()) {
      return false;
    }
    if (!Expect('"') || at_ + bytes > text_.size()) return false;
    *scalar = std::string(text_.substr(at_, bytes));
    at_ += bytes;
    return Expect('"') && Expect(';');
  }
  bool Array(std::map<std::string, std::string>* out, int depth) {
    if (depth > kMaxPhpDepth || !Expect('a') || !Expect(':')) return false;
    const auto count = Number(':');
    size_t entries = 0;
    if (!count ||
        std::from_chars(count->data(), count->data() + count->size(), entries).ec != std::errc()) {
      return false;
    }
    if (!Expect('{')) return false;
    for (size_t i = 0; i < entries; ++i) {
      std::optional<std::string> key;
      std::optional<std::string> value;
      if (at_ >= text_.size() || (text_[at_] != 's' && text_[at_] != 'i')) return false;
      if (!Value(&key, depth) || !key || !Value(&value, depth)) return false;
      if (out != nullptr && value) (*out)[*key] = *value;
    }
    return Expect('}');
  }

  std::string_view text_;
  size_t at_ = 0;
};

}  // namespace

std::string ExpandShortcodes(std::string_view html, const AttachmentUrl& attachment_url,
                             ShortcodeFindings* findings) {
  ShortcodeFindings ignored;
  return Expand(html, attachment_url, findings != nullptr ? *findings : ignored, 0);
}

std::string AutoParagraphs(std::string_view html) {
  if (html.find("<!-- wp:") != std::string_view::npos) return std::string(html);
  std::string text(html);
  std::erase(text, '\r');
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    size_t blank = text.find("\n\n", i);
    const std::string_view chunk =
        Trim(std::string_view(text).substr(i, blank == std::string::npos ? blank : blank - i));
    if (!chunk.empty()) {
      if (StartsWithBlockElement(chunk)) {
        out += chunk;
      } else {
        out += "<p>";
        for (char c : chunk) {
          if (c == '\n') {
            out += "<br>";
          } else {
            out += c;
          }
        }
        out += "</p>";
      }
      out += '\n';
    }
    if (blank == std::string::npos) break;
    i = blank + 2;
  }
  return out;
}

std::string PlainText(std::string_view html) {
  std::string out;
  auto add = [&](std::string_view text) {
    if (text.empty()) return;
    if (!out.empty()) out += ' ';
    out += text;
  };
  for (const content::Block& block : BlocksFromHtml(html)) {
    if (block.type == content::Block::Type::kTurn) {
      // A "Name: text" line was read as a turn; in a title it is just text.
      std::string line = block.speaker;
      if (!block.note.empty()) line += " (" + block.note + ")";
      line += ":";
      for (const std::string& paragraph : block.paragraphs) line += " " + paragraph;
      add(line);
    } else if (block.type == content::Block::Type::kList) {
      for (const std::string& item : block.paragraphs) add(item);
    } else {
      add(block.text);
    }
  }
  return out;
}

std::optional<std::map<std::string, std::string>> ParsePhpArray(std::string_view text) {
  text = Trim(text);
  PhpReader reader(text);
  return reader.TopArray();
}

}  // namespace assetpub::importers
