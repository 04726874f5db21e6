import {
  domainKeys,
  KEY_WEIGHT,
  nameKeys,
  organizationKeys,
  typoWordsOf,
  type SearchKey,
} from '../../../shared/search/keys.ts';

/**
 * What a search term's keys are made from (search-index.ts TermSources): a set of names, or an
 * organisation with the email domain its term holds too. Plain data, so a big import's staging worker
 * makes the keys (guests/staging.ts): for a list of all-different names they were most of the door's
 * thread's share of the import.
 */
export type TermRecipe = { names: readonly string[] } | { organization: string; domain: string };

/** The keys of a term: its names', or its organisation's and (weight email) its domain's. */
export function termKeys(recipe: TermRecipe): SearchKey[] {
  if ('names' in recipe) return nameKeys(recipe.names);
  const keys = organizationKeys(recipe.organization);
  const taken = new Set(keys.map((k) => k.key));
  for (const key of domainKeys(recipe.domain)) if (!taken.has(key)) keys.push({ key, weight: KEY_WEIGHT.email });
  return keys;
}

/** The words of a term that typo search corrects to (shared/search/keys.ts typoWordsOf). */
export function termTypoWords(recipe: TermRecipe): string[] {
  return typoWordsOf('names' in recipe ? recipe.names : [recipe.organization]);
}
