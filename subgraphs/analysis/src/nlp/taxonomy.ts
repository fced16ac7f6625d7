/**
 * Aspect taxonomies: canonical aspect -> surface terms (lower-case words or
 * phrases, matched on lemmas as well). Tenants extend them per category.
 */
import { wordTable } from './lexicon.js';
export interface Taxonomy { [canonicalAspect: string]: string[] }

const COMMON: Taxonomy = {
  price: ['price', 'cost', 'value', 'money', 'value for money', 'deal', 'expensive', 'cheap', 'pricing', 'pricey', 'bargain'],
  quality: ['quality', 'build quality', 'build', 'construction', 'workmanship'],
  service: ['service', 'customer service', 'support', 'customer support', 'warranty', 'staff', 'help desk', 'tech support', 'returns', 'refund'],
  delivery: ['delivery', 'shipping', 'packaging', 'package', 'arrival', 'courier'],
};

const SPORT_WATCH: Taxonomy = {
  battery: ['battery', 'battery life', 'charge', 'charging', 'charger', 'power', 'battery time', 'runtime', 'recharge', 'cable'],
  gps: ['gps', 'accuracy', 'gps accuracy', 'signal', 'satellite', 'satellites', 'tracking', 'location', 'distance', 'pace', 'route', 'navigation', 'glonass', 'lock', 'gps lock', 'map', 'maps'],
  comfort: ['comfort', 'fit', 'strap', 'band', 'wrist', 'weight', 'size', 'bracelet', 'buckle'],
  'ease of use': ['ease of use', 'use', 'usability', 'setup', 'set up', 'interface', 'menu', 'menus', 'buttons', 'button', 'controls', 'navigation menu', 'learning curve', 'instructions', 'manual', 'easy to use', 'easy to set up', 'user friendly', 'user-friendly', 'hard to use', 'difficult to use'],
  display: ['display', 'screen', 'brightness', 'readability', 'touchscreen', 'touch screen', 'backlight', 'watch face', 'watch faces', 'font'],
  'heart rate': ['heart rate', 'hr', 'heart rate monitor', 'hrm', 'pulse', 'optical sensor', 'sensor', 'chest strap', 'heart rate sensor', 'spo2', 'oxygen'],
  durability: ['durability', 'waterproof', 'water resistance', 'scratch', 'scratches', 'glass', 'case', 'bezel', 'water', 'durable', 'sturdiness'],
  'app/sync': ['app', 'sync', 'syncing', 'synchronization', 'bluetooth', 'connection', 'connectivity', 'software', 'firmware', 'update', 'updates', 'phone', 'notifications', 'smartphone', 'strava', 'pairing', 'platform'],
  design: ['design', 'look', 'looks', 'style', 'color', 'colour', 'appearance', 'aesthetics', 'finish'],
  ...COMMON,
};

const LAPTOP: Taxonomy = {
  battery: ['battery', 'battery life', 'charge', 'charging', 'charger', 'power', 'power supply', 'adapter', 'power cord', 'cord'],
  performance: ['performance', 'speed', 'processor', 'cpu', 'ram', 'memory', 'graphics', 'gpu', 'graphics card', 'boot', 'boot up', 'startup', 'multitasking', 'gaming'],
  display: ['display', 'screen', 'resolution', 'brightness', 'monitor', 'lcd', 'glare', 'touchscreen'],
  keyboard: ['keyboard', 'keys', 'key', 'trackpad', 'touchpad', 'mouse', 'track pad', 'touch pad', 'backlight'],
  software: ['software', 'os', 'operating system', 'windows', 'mac os', 'osx', 'programs', 'applications', 'apps', 'drivers', 'vista', 'windows 7', 'office', 'antivirus'],
  storage: ['storage', 'hard drive', 'hard disk', 'drive', 'ssd', 'disk', 'disk space', 'hdd'],
  design: ['design', 'look', 'looks', 'size', 'weight', 'color', 'colour', 'style', 'case', 'appearance'],
  connectivity: ['ports', 'port', 'usb', 'wifi', 'wireless', 'bluetooth', 'hdmi', 'internet', 'network'],
  audio: ['sound', 'speakers', 'speaker', 'audio', 'volume', 'headphone jack'],
  durability: ['durability', 'hinge', 'build', 'sturdy', 'construction'],
  heat: ['heat', 'fan', 'fans', 'temperature', 'noise', 'overheating', 'cooling'],
  ...COMMON,
};

const RESTAURANT: Taxonomy = {
  food: ['food', 'dish', 'dishes', 'meal', 'meals', 'menu', 'taste', 'flavor', 'flavour', 'portion', 'portions', 'sushi', 'pizza', 'dessert', 'desserts', 'appetizer', 'appetizers', 'entree', 'entrees', 'fish', 'chicken', 'steak', 'pasta', 'salad', 'bread', 'sauce', 'cuisine', 'specials', 'burger', 'fries', 'soup', 'rice'],
  drinks: ['drinks', 'drink', 'wine', 'wine list', 'beer', 'cocktails', 'coffee', 'tea', 'bar', 'sake', 'martini'],
  service: ['service', 'staff', 'waiter', 'waiters', 'waitress', 'waitstaff', 'wait staff', 'server', 'servers', 'host', 'hostess', 'manager', 'owner', 'bartender', 'chef'],
  ambience: ['ambience', 'ambiance', 'atmosphere', 'decor', 'music', 'place', 'interior', 'setting', 'room', 'seating', 'space', 'view', 'vibe', 'crowd', 'noise', 'table', 'tables'],
  price: ['price', 'prices', 'cost', 'value', 'bill', 'check', 'money', 'deal'],
  wait: ['wait', 'waiting', 'reservation', 'reservations', 'line', 'delivery', 'takeout', 'take-out'],
  location: ['location', 'parking', 'neighborhood', 'area'],
};

const GENERIC: Taxonomy = {
  battery: ['battery', 'battery life', 'charge', 'charging', 'charger'],
  display: ['display', 'screen'],
  'ease of use': ['ease of use', 'setup', 'set up', 'interface', 'instructions', 'usability', 'easy to use', 'easy to set up', 'user friendly', 'user-friendly', 'hard to use', 'difficult to use'],
  design: ['design', 'look', 'looks', 'style', 'color', 'colour', 'appearance'],
  size: ['size', 'fit', 'weight'],
  durability: ['durability', 'material', 'materials'],
  performance: ['performance', 'speed'],
  sound: ['sound', 'audio', 'volume'],
  ...COMMON,
};

const BY_CATEGORY: Record<string, Taxonomy> = {
  'sport-watch': SPORT_WATCH, 'gps-watch': SPORT_WATCH, 'sports-watch': SPORT_WATCH, 'smartwatch': SPORT_WATCH, 'fitness-tracker': SPORT_WATCH, watch: SPORT_WATCH,
  laptop: LAPTOP, laptops: LAPTOP, electronics: LAPTOP, computer: LAPTOP, computers: LAPTOP, notebook: LAPTOP,
  restaurant: RESTAURANT, restaurants: RESTAURANT, food: RESTAURANT, cafe: RESTAURANT,
};

export function normaliseCategory(category?: string | null): string | null {
  if (!category) return null;
  return category.trim().toLowerCase().replace(/[\s_/]+/g, '-');
}

/** The tagger domain whose training data is closest to a product category. */
export function taggerDomain(category?: string | null): 'laptops' | 'restaurants' | 'electronics' | 'general' {
  const c = normaliseCategory(category);
  if (!c) return 'general';
  const t = BY_CATEGORY[c];
  if (t === RESTAURANT) return 'restaurants';
  if (t === LAPTOP) return c === 'electronics' ? 'electronics' : 'laptops';
  return 'general';
}

/** Whether a category has an aspect taxonomy of its own (else it gets the generic one). */
export function hasOwnTaxonomy(category?: string | null): boolean {
  const c = normaliseCategory(category);
  return !!(c && BY_CATEGORY[c]);
}

/** The category whose taxonomy belongs to a tagger domain (general: none, the generic taxonomy). */
export const DOMAIN_CATEGORY: Record<'laptops' | 'restaurants' | 'electronics' | 'general', string | null> = { laptops: 'laptop', restaurants: 'restaurant', electronics: 'electronics', general: null };

export function defaultTaxonomy(category?: string | null): Taxonomy {
  const c = normaliseCategory(category);
  const t = (c && BY_CATEGORY[c]) || GENERIC;
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, [...v]]));
}

/** Merge tenant extensions into a taxonomy (extensions win on conflicting surface terms). */
export function extendTaxonomy(base: Taxonomy, ext?: Taxonomy | null): Taxonomy {
  const out: Taxonomy = Object.fromEntries(Object.entries(base).map(([k, v]) => [k, [...v]]));
  if (!ext || typeof ext !== 'object') return out;
  const extTerms = new Set<string>();
  for (const terms of Object.values(ext)) if (Array.isArray(terms)) for (const t of terms) if (typeof t === 'string') extTerms.add(normTerm(t));
  for (const k of Object.keys(out)) out[k] = out[k].filter((t) => !extTerms.has(normTerm(t)));
  for (const [k, terms] of Object.entries(ext)) {
    if (!Array.isArray(terms)) continue;
    const key = normTerm(k);
    if (!key) continue;
    out[key] = [...new Set([...(out[key] ?? []), ...terms.filter((t): t is string => typeof t === 'string').map(normTerm).filter(Boolean)])];
  }
  return out;
}

export function normTerm(s: string): string {
  return s.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019]/g, "'").replace(/[^\p{L}\p{N}'&+/ -]+/gu, ' ').replace(/\s+/g, ' ').trim();
}

const IRREGULAR = wordTable({ batteries: 'battery', menus: 'menu', knives: 'knife', lives: 'life', children: 'child', people: 'people', glasses: 'glass', buses: 'bus', mice: 'mouse' });

/** Cheap English noun singulariser for normalised lemmas. */
export function singular(w: string): string {
  if (IRREGULAR[w]) return IRREGULAR[w];
  if (w.length <= 3 || /(ss|us|is|ics)$/.test(w)) return w;
  if (/ies$/.test(w)) return w.slice(0, -3) + 'y';
  if (/(ches|shes|xes|zes|sses)$/.test(w)) return w.slice(0, -2);
  if (/s$/.test(w)) return w.slice(0, -1);
  return w;
}

function lemmaOf(term: string): string {
  return normTerm(term).split(' ').filter(Boolean).map(singular).join(' ');
}

const INDEX_CACHE = new WeakMap<Taxonomy, Map<string, string>>();

function indexOf(taxonomy: Taxonomy): Map<string, string> {
  let idx = INDEX_CACHE.get(taxonomy);
  if (idx) return idx;
  idx = new Map();
  for (const [canon, terms] of Object.entries(taxonomy)) {
    if (!Array.isArray(terms)) continue;
    const c = normTerm(canon);
    for (const t of [canon, ...terms]) {
      if (typeof t !== 'string') continue;
      const n = normTerm(t);
      if (!n) continue;
      if (!idx.has(n)) idx.set(n, c);
      const l = lemmaOf(t);
      if (l && !idx.has(l)) idx.set(l, c);
    }
  }
  INDEX_CACHE.set(taxonomy, idx);
  return idx;
}

/**
 * Canonical aspect for a term: exact (normalised) match, then lemma match,
 * then the longest matching sub-phrase / head word (the last word of the term);
 * unknown terms map to their own normalised lemma.
 */
export function canonicalAspect(term: string, taxonomy: Taxonomy): string {
  const n = normTerm(typeof term === 'string' ? term : '');
  if (!n) return '';
  const idx = indexOf(taxonomy ?? {});
  const direct = idx.get(n) ?? idx.get(lemmaOf(n));
  if (direct) return direct;
  const words = lemmaOf(n).split(' ');
  // longest contiguous sub-phrase, preferring ones that end at the head (last word)
  for (let len = words.length - 1; len >= 1; len--) {
    for (let st = words.length - len; st >= 0; st--) {
      const hit = idx.get(words.slice(st, st + len).join(' '));
      if (hit) return hit;
    }
  }
  return lemmaOf(n);
}
