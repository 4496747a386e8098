#pragma once
// SQL both backends run on their list tables (sqlite/schema.cpp says what each is for).

namespace assetpub::store::sql {

// The columns of listing_terms, in the order kListingTermsRows gives them.
inline constexpr const char* kListingTermsColumns =
    "listing_terms (vocabulary, term, lang, status, published_at, asset_id)";

// Every listing_terms row the listings and term tables imply: one per term (tag, person, category)
// of each lang_first listing, and one per person's slug ("person-slug": a person's page lists
// the names that share a slug as one term). The same row can come twice (a tag listed twice, two
// names with one slug): insert ignoring duplicates.
inline constexpr const char* kListingTermsRows = R"sql(
  SELECT 'tag', g.tag, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_tags g ON g.asset_id = l.asset_id WHERE l.lang_first = 1
  UNION ALL
  SELECT 'person', p.name, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_people p ON p.asset_id = l.asset_id WHERE l.lang_first = 1
  UNION ALL
  SELECT 'person-slug', p.slug, l.primary_lang, l.status, l.published_at, l.asset_id
    FROM listings l JOIN asset_people p ON p.asset_id = l.asset_id WHERE l.lang_first = 1
  UNION ALL
  SELECT 'category:' || c.vocabulary, c.term, l.primary_lang, l.status, l.published_at,
         l.asset_id
    FROM listings l JOIN asset_categories c ON c.asset_id = l.asset_id WHERE l.lang_first = 1
)sql";

}  // namespace assetpub::store::sql
