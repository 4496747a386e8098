#include "http/compression.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/error.h"

namespace assetpub::http {
namespace {

// Text shaped like a rendered page: repetitive markup around varied words.
std::string PageLikeText(size_t size, unsigned seed = 1) {
  std::mt19937 random(seed);
  std::string text = "<!doctype html><html lang=\"en\"><body>";
  while (text.size() < size) {
    text += "<p class=\"para\">";
    for (int word = 0; word < 12; ++word) {
      const size_t length = 2 + random() % 9;
      for (size_t i = 0; i < length; ++i) text.push_back(static_cast<char>('a' + random() % 26));
      text.push_back(' ');
    }
    text += "</p>\n";
  }
  text.resize(size);
  return text;
}

std::string RandomBytes(size_t size) {
  std::mt19937 random(7);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(random());
  return bytes;
}

class RoundTrip : public ::testing::TestWithParam<std::string> {};

TEST_P(RoundTrip, GzipGivesBackTheBytes) {
  const std::string& data = GetParam();
  const std::string compressed = GzipCompress(data, 9);
  ASSERT_GE(compressed.size(), 18u);                           // header and trailer at least
  EXPECT_EQ(static_cast<unsigned char>(compressed[0]), 0x1f);  // a gzip member, not zlib's format
  EXPECT_EQ(static_cast<unsigned char>(compressed[1]), 0x8b);
  EXPECT_EQ(GzipDecompress(compressed), data);
  EXPECT_EQ(GzipDecompress(GzipCompress(data, 1)), data);
}

TEST_P(RoundTrip, BrotliGivesBackTheBytes) {
  const std::string& data = GetParam();
  EXPECT_EQ(BrotliDecompress(BrotliCompress(data, 9)), data);
  EXPECT_EQ(BrotliDecompress(BrotliCompress(data, 1)), data);
}

INSTANTIATE_TEST_SUITE_P(Bodies, RoundTrip,
                         ::testing::Values(std::string(), std::string("a"),
                                           std::string("hello, world\n"), PageLikeText(10'000),
                                           PageLikeText(300'000, 2), RandomBytes(70'000),
                                           std::string(200'000, '\0')));

TEST(Compression, BrotliAtItsSlowestQualityGivesBackTheBytes) {
  const std::string page = PageLikeText(20'000, 3);
  EXPECT_EQ(BrotliDecompress(BrotliCompress(page, 11)), page);
}

TEST(Compression, PageTextShrinksAndBrotliBeatsGzip) {
  const std::string page = PageLikeText(100'000);
  const size_t gzip = GzipCompress(page, 9).size();
  const size_t brotli = BrotliCompress(page, 9).size();
  EXPECT_LT(gzip, page.size() * 3 / 4);
  EXPECT_LT(brotli, gzip);
}

TEST(Compression, DecodersRefuseCorruptAndTruncatedData) {
  const std::string page = PageLikeText(5'000);
  const std::string gzip = GzipCompress(page);
  const std::string brotli = BrotliCompress(page);
  EXPECT_THROW(GzipDecompress("not gzip at all"), Error);
  EXPECT_THROW(GzipDecompress(gzip.substr(0, gzip.size() / 2)), Error);
  EXPECT_THROW(GzipDecompress(gzip + "trailing"), Error);
  EXPECT_THROW(GzipDecompress(""), Error);
  EXPECT_THROW(BrotliDecompress(brotli.substr(0, brotli.size() / 2)), Error);
  EXPECT_THROW(BrotliDecompress(brotli + "trailing"), Error);
  EXPECT_THROW(BrotliDecompress(""), Error);
  std::string flipped = brotli;
  flipped[flipped.size() / 2] = static_cast<char>(flipped[flipped.size() / 2] ^ 0x55);
  try {
    // A flipped bit is either detected or decodes to other bytes; it never gives the page back.
    EXPECT_NE(BrotliDecompress(flipped), page);
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kInvalidInput);
  }
}

TEST(Compression, DecodersStopAtTheSizeLimit) {
  const std::string zeros(1'000'000, '\0');
  try {
    GzipDecompress(GzipCompress(zeros), 1000);
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
  }
  try {
    BrotliDecompress(BrotliCompress(zeros), 1000);
    FAIL() << "no exception";
  } catch (const Error& error) {
    EXPECT_EQ(error.code(), ErrorCode::kTooLarge);
  }
  EXPECT_EQ(GzipDecompress(GzipCompress(zeros), zeros.size()).size(), zeros.size());
}

TEST(Compression, CodingNames) {
  EXPECT_EQ(ContentCodingName(ContentCoding::kIdentity), "identity");
  EXPECT_EQ(ContentCodingName(ContentCoding::kGzip), "gzip");
  EXPECT_EQ(ContentCodingName(ContentCoding::kBrotli), "br");
}

struct NegotiationCase {
  const char* accept_encoding;
  ContentCoding expected;
};

class Negotiation : public ::testing::TestWithParam<NegotiationCase> {};

TEST_P(Negotiation, PicksTheCodingByWeight) {
  EXPECT_EQ(ChooseEncoding(GetParam().accept_encoding), GetParam().expected)
      << "Accept-Encoding: " << GetParam().accept_encoding;
}

constexpr ContentCoding kBr = ContentCoding::kBrotli;
constexpr ContentCoding kGzip = ContentCoding::kGzip;
constexpr ContentCoding kIdentity = ContentCoding::kIdentity;

INSTANTIATE_TEST_SUITE_P(
    Table, Negotiation,
    ::testing::Values(
        // What browsers send.
        NegotiationCase{"gzip, deflate, br", kBr}, NegotiationCase{"gzip, deflate, br, zstd", kBr},
        NegotiationCase{"gzip, deflate", kGzip}, NegotiationCase{"gzip, br", kBr},
        NegotiationCase{"br", kBr}, NegotiationCase{"gzip", kGzip},
        // Weights.
        NegotiationCase{"br;q=0, gzip", kGzip}, NegotiationCase{"gzip;q=0.5, br;q=0.4", kGzip},
        NegotiationCase{"gzip;q=0.5, br;q=0.6", kBr}, NegotiationCase{"br;q=1.000", kBr},
        NegotiationCase{"gzip, br;q=0.999", kGzip}, NegotiationCase{"br, gzip;q=1", kBr},
        NegotiationCase{"gzip;q=0.001, br;q=0", kGzip},
        NegotiationCase{"gzip;q=0, br;q=0", kIdentity},
        NegotiationCase{"gzip, gzip;q=0", kGzip},  // listed twice: the highest weight counts
        // The wildcard covers what is not named.
        NegotiationCase{"*", kBr}, NegotiationCase{"*;q=0.5, br;q=0", kGzip},
        NegotiationCase{"*;q=0", kIdentity}, NegotiationCase{"br;q=0.2, *;q=0.5", kGzip},
        // Identity.
        NegotiationCase{"identity", kIdentity}, NegotiationCase{"", kIdentity},
        NegotiationCase{"identity;q=0, *;q=0", kIdentity},  // no 406: identity anyway
        NegotiationCase{"identity;q=0, gzip", kGzip},
        NegotiationCase{"gzip;q=0.5, identity", kIdentity},  // identity weighs more
        NegotiationCase{"gzip, identity", kGzip},            // a tie goes to the compressed one
        NegotiationCase{"gzip;q=0.5, *;q=0.8", kBr}, NegotiationCase{"deflate", kIdentity},
        NegotiationCase{"compress, zstd", kIdentity},
        // Spelling and spacing.
        NegotiationCase{"GZIP", kGzip}, NegotiationCase{"x-gzip", kGzip},
        NegotiationCase{"Br ; Q=0.9 , gzip;q=0.8", kBr},
        NegotiationCase{"\tgzip\t,\tbr;q=0.1", kGzip},
        NegotiationCase{"gzip;level=1", kGzip},  // parameters other than q are ignored
        // Garbage is tolerated: malformed elements are ignored.
        NegotiationCase{"gzip;q=2", kIdentity}, NegotiationCase{"gzip;q=1.001", kIdentity},
        NegotiationCase{"gzip;q=0.1234", kIdentity}, NegotiationCase{"gzip;q=", kIdentity},
        NegotiationCase{"gzip;q=abc, br;q=0.1", kBr}, NegotiationCase{"gzip;q", kIdentity},
        NegotiationCase{";;;,,,", kIdentity}, NegotiationCase{",,gzip,,", kGzip},
        NegotiationCase{"\"\x01\xff garbage", kIdentity}, NegotiationCase{"br;;q=0.5", kIdentity},
        NegotiationCase{"gzip br", kIdentity}));

TEST(Negotiation, OnlyOffersAvailableCodings) {
  EXPECT_EQ(ChooseEncoding("br, gzip", {.gzip = true, .brotli = false}), kGzip);
  EXPECT_EQ(ChooseEncoding("br", {.gzip = true, .brotli = false}), kIdentity);
  EXPECT_EQ(ChooseEncoding("*", {.gzip = true, .brotli = false}), kGzip);
  EXPECT_EQ(ChooseEncoding("gzip, br;q=0.1", {.gzip = false, .brotli = true}), kBr);
  EXPECT_EQ(ChooseEncoding("gzip, br", {.gzip = false, .brotli = false}), kIdentity);
}

}  // namespace
}  // namespace assetpub::http
