import { BadUserInputError } from '../../../../lib/errors.js';
import type { ExtendAspectTaxonomyInput } from '../__generated__/resolvers-types.js';

const CATEGORY = /^[a-z0-9][a-z0-9-]{0,63}$/;
const ASPECT = /^[a-z0-9][a-z0-9 /-]{0,39}$/;
const CONTROL = /[\u0000-\u001F\u007F]/;

/** A product category slug, or null; anything else is a user error naming the field. */
export function cleanCategory(category: string | null | undefined): string | null {
  if (category === null || category === undefined || category.trim() === '') return null;
  const value = category.trim();
  if (!CATEGORY.test(value)) throw new BadUserInputError('category is a lowercase slug such as sport-watch', { field: 'category' });
  return value;
}

/** Checks a taxonomy extension request as a whole (an admin action: one clear error beats partial writes). */
export function cleanTaxonomyInput(input: ExtendAspectTaxonomyInput): { category: string | null; aspect: string; terms: string[] } {
  const aspect = input.aspect.trim().toLowerCase();
  if (!ASPECT.test(aspect)) throw new BadUserInputError('aspect: lowercase letters, digits, spaces, / and - (up to 40 characters)', { field: 'aspect' });
  const terms = [...new Set(input.terms.map((t) => t.trim().toLowerCase()).filter((t) => t !== ''))];
  if (terms.length === 0 || terms.length > 50) throw new BadUserInputError('terms: give 1 to 50 non-empty terms', { field: 'terms' });
  const bad = terms.find((t) => t.length > 60 || CONTROL.test(t));
  if (bad !== undefined) throw new BadUserInputError(`terms: "${bad.slice(0, 60)}" is over 60 characters or holds control characters`, { field: 'terms' });
  return { category: cleanCategory(input.category), aspect, terms };
}
