/** Hand-written function-word lexicons that drive scope handling (not learned). */

export const NEGATORS = new Set([
  'not', "n't", 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'without', 'hardly', 'barely',
  'scarcely', 'cannot', 'cant', "can't", 'dont', 'didnt', 'doesnt', 'isnt', 'wasnt', 'wont', 'wouldnt', 'couldnt',
  'shouldnt', 'arent', 'werent', 'nowhere', 'lack', 'lacks', 'lacking',
]);

/** Words that end a negation scope. */
export const SCOPE_BREAK = new Set(['.', ',', ';', ':', '!', '?', 'but', 'however', 'yet', 'although', 'though', 'whereas', 'except', '(', ')', '-', '--', '—', 'and']);

/** Contrast markers: the clause after them carries more weight. */
export const CONTRAST_AFTER = new Set(['but', 'however', 'yet', 'nevertheless', 'nonetheless', 'still', 'unfortunately', 'sadly', 'except']);
/** Concessive markers: the clause they open carries less weight ("although X, Y"). */
export const CONCESSIVE = new Set(['although', 'though', 'while', 'whereas', 'despite', 'even']);

/**
 * A table of words with nothing behind it: a plain object literal answers `in` and look-ups for "constructor",
 * "toString" or "valueOf" from Object.prototype, and a review holding one of those words scored NaN.
 */
export function wordTable<T>(entries: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

export const INTENSIFIERS: Record<string, number> = wordTable({
  very: 1.5, really: 1.4, extremely: 1.8, super: 1.5, so: 1.3, too: 1.3, incredibly: 1.8, absolutely: 1.7,
  totally: 1.5, completely: 1.5, highly: 1.5, truly: 1.4, quite: 1.2, most: 1.3, amazingly: 1.6, insanely: 1.7,
  exceptionally: 1.7, remarkably: 1.6, particularly: 1.3, especially: 1.3, utterly: 1.8, seriously: 1.4, ridiculously: 1.6,
});

export const DIMINISHERS: Record<string, number> = wordTable({
  slightly: 0.5, somewhat: 0.6, 'kind of': 0.6, 'sort of': 0.6, fairly: 0.7, rather: 0.8, little: 0.6, bit: 0.6,
  mostly: 0.8, almost: 0.7, pretty: 0.9, barely: 0.4, marginally: 0.5, moderately: 0.6, reasonably: 0.8,
});

/** A multi-word expression of known polarity, matched on lower-cased token sequences. */
export interface KnownPhrase { seq: string[]; tag: string; polarity: number }

/** Multi-word hedges whose literal words look positive but are not. */
export const HEDGES: KnownPhrase[] = [
  { seq: ['could', 'have', 'been', 'better'], tag: 'HEDGE_COULD_BE_BETTER', polarity: -0.6 },
  { seq: ['could', 'be', 'improved'], tag: 'HEDGE_COULD_BE_BETTER', polarity: -0.5 },
  { seq: ['should', 'be', 'better'], tag: 'HEDGE_COULD_BE_BETTER', polarity: -0.5 },
  { seq: ['would', 'be', 'nice', 'if'], tag: 'HEDGE_WISH', polarity: -0.4 },
  { seq: ['would', 'have', 'been', 'nice'], tag: 'HEDGE_WISH', polarity: -0.4 },
  { seq: ['i', 'wish'], tag: 'HEDGE_WISH', polarity: -0.4 },
  { seq: ['if', 'only'], tag: 'HEDGE_WISH', polarity: -0.3 },
  { seq: ['needs', 'improvement'], tag: 'HEDGE_COULD_BE_BETTER', polarity: -0.5 },
  { seq: ['room', 'for', 'improvement'], tag: 'HEDGE_COULD_BE_BETTER', polarity: -0.5 },
  { seq: ['not', 'bad'], tag: 'HEDGE_NOT_BAD', polarity: 0.35 },
  { seq: ['not', 'too', 'bad'], tag: 'HEDGE_NOT_BAD', polarity: 0.35 },
  { seq: ['not', 'that', 'bad'], tag: 'HEDGE_NOT_BAD', polarity: 0.3 },
  { seq: ['not', 'terrible'], tag: 'HEDGE_NOT_BAD', polarity: 0.25 },
  { seq: ['not', 'the', 'best'], tag: 'HEDGE_NOT_BEST', polarity: -0.35 },
  { seq: ['not', 'great'], tag: 'HEDGE_NOT_GREAT', polarity: -0.4 },
  { seq: ['not', 'good'], tag: 'HEDGE_NOT_GOOD', polarity: -0.6 },
  { seq: ['no', 'complaints'], tag: 'HEDGE_NO_COMPLAINTS', polarity: 0.5 },
  { seq: ['can', "'t", 'complain'], tag: 'HEDGE_NO_COMPLAINTS', polarity: 0.5 },
  { seq: ['ca', "n't", 'complain'], tag: 'HEDGE_NO_COMPLAINTS', polarity: 0.5 },
  { seq: ['can', 'not', 'complain'], tag: 'HEDGE_NO_COMPLAINTS', polarity: 0.5 },
  { seq: ['no', 'problems'], tag: 'HEDGE_NO_COMPLAINTS', polarity: 0.4 },
  { seq: ['no', 'issues'], tag: 'HEDGE_NO_COMPLAINTS', polarity: 0.4 },
];

/**
 * Product-review expressions whose polarity no single word carries: each shifts the verdict towards
 * its known polarity like a hedge (`*` matches any one token; inside a negation scope it turns round).
 * Hand-written for product language in general (any gadget, any shop); none is taken from an
 * evaluation file or from the demo catalogue (test/unit/nlp/lists.test.ts checks the catalogue).
 */
const phrase = (tag: string, polarity: number, ...seqs: string[]): KnownPhrase[] => seqs.map((s) => ({ seq: s.split(' '), tag, polarity }));
export const PRODUCT_PHRASES: KnownPhrase[] = [
  // a device that no longer does its one job: the commonest complaint about any gadget, told without an opinion word
  ...phrase('PHRASE_STOPPED_WORKING', -0.7, 'stopped working', 'stops working', 'stop working', 'quit working', 'quits working',
    'no longer works', 'no longer work', 'stopped charging', 'stopped responding', 'dead on arrival', 'then died', 'then stopped',
    'it died', 'just died', 'wo n\'t turn on', 'wo n\'t charge', 'does n\'t turn on', 'would n\'t turn on'),
  // physical failure of the product ("broke after a month"): an event, not an opinion word
  ...phrase('PHRASE_BROKE', -0.6, 'broke after', 'broke within', 'broke in', 'fell apart', 'falls apart', 'came apart', 'came loose',
    'snapped off', 'cracked after'),
  // intermittent failure: "keeps crashing" is negative though "crashing" alone may be a word of the topic
  ...phrase('PHRASE_KEEPS_FAILING', -0.6, 'keeps disconnecting', 'keeps crashing', 'keeps freezing', 'keeps dropping',
    'keeps restarting', 'keeps rebooting', 'loses connection', 'drops connection'),
  // one side of a stereo device failing ("only plays in one ear"): a defect said with neutral words
  ...phrase('PHRASE_ONE_SIDE', -0.6, 'in one ear', 'one side only', 'only one side', 'one earbud', 'only one earbud'),
  // a short life said with a neutral verb and a duration ("only lasted a week")
  ...phrase('PHRASE_SHORT_LIFE', -0.5, 'only lasts', 'only lasted', 'barely lasts', 'barely lasted', 'does n\'t last', 'did n\'t last',
    'does n\'t hold', 'died after', 'died within'),
  // the buyer undoing the purchase: negative whatever words surround it
  ...phrase('PHRASE_RETURNED', -0.6, 'sent it back', 'sending it back', 'returned it', 'returning it', 'return it', 'money back',
    'a refund', 'waste of money', 'piece of junk'),
  // a tool that works against its user
  ...phrase('PHRASE_HARD_TO', -0.4, 'hard to use', 'difficult to use', 'hard to set up', 'hard to navigate', 'hard to pair'),
  // a battery or charge that lasts: positive though "lasts" and "charge" are neutral words
  ...phrase('PHRASE_LASTS', 0.5, 'lasts all day', 'lasts forever', 'holds a charge', 'holds its charge', 'holds charge'),
  // value and fulfilment of the promise, said without an adjective
  ...phrase('PHRASE_WORTH_IT', 0.5, 'worth the money', 'bang for the buck', 'value for money', 'does what it says',
    'as advertised', 'as described', 'well made', 'well built', 'works as expected', 'works perfectly', 'works great', 'works fine', 'works well'),
  // "like it": "like" is too ambiguous for a lexicon ("looks like", "like a"), but "I like it" is an opinion
  ...phrase('PHRASE_LIKE_IT', 0.5, 'like it', 'like this', 'liked it', 'like them'),
  // a clean record: a negated negative noun that product reviewers use as praise
  ...phrase('PHRASE_NO_PROBLEMS', 0.5, 'never had a problem', 'never had any problems', 'never had an issue', 'never had any issues',
    'zero issues', 'zero problems', 'not a single problem', 'not one problem'),
  // "could not be simpler / happier": a negated comparative of a positive word is praise
  ...phrase('PHRASE_COULD_NOT_BE_BETTER', 0.6, 'could n\'t be better', 'could n\'t be easier', 'could n\'t be simpler', 'could n\'t be happier',
    'could not be better', 'could not be easier', 'could not be simpler', 'could not be happier', 'ca n\'t beat'),
  ...phrase('PHRASE_COULD_NOT_BE_WORSE', -0.6, 'could n\'t be worse', 'could not be worse'),
];

export const STOPWORDS = new Set(
  ('a an the and or of to in on at for with from by as is are was were be been being am it its this that these those i me my we our ' +
    'you your he she they them their his her there here do does did have has had will would can could should may might must just ' +
    'so than then too very also about into over after before up down out off again further once all any both each few more most ' +
    'other some such only own same s t don now what which who whom when where why how if because while until get got').split(' '),
);

/**
 * Product-review polarity words that general-purpose lexicons miss or mis-score (hand-written;
 * overrides the learned polarity prior). Only the language of devices and their use: how they fail,
 * how they perform, how they feel to use.
 */
export const PRODUCT_POLARITY: Record<string, number> = wordTable({
  // failure of a device: neutral or even positive in general text ("dead", "crash" in news, "drops" of water)
  dies: -0.6, died: -0.6, dying: -0.5, dead: -0.6, crash: -0.6, crashes: -0.6, crashed: -0.6, crashing: -0.6,
  freezes: -0.6, froze: -0.6, freezing: -0.4, fails: -0.6, failed: -0.6, failing: -0.5, disconnects: -0.6, drops: -0.3,
  broke: -0.6, broken: -0.6, breaks: -0.5, cracked: -0.6, stopped: -0.3, defective: -0.7, faulty: -0.7,
  // a slow or wasteful device
  lag: -0.5, lags: -0.5, laggy: -0.6, lagging: -0.5, drains: -0.5, drain: -0.4, slow: -0.4, sluggish: -0.5,
  // build and software quality words that general lexicons leave at zero
  flimsy: -0.6, glitchy: -0.6, buggy: -0.6, unreliable: -0.7, inaccurate: -0.7, useless: -0.8, overpriced: -0.6,
  itchy: -0.5, uncomfortable: -0.7, bulky: -0.4, dim: -0.4, fiddly: -0.5, clunky: -0.5, tinny: -0.5, muffled: -0.5,
  // the buyer undoing the purchase
  returned: -0.4, refund: -0.3,
  // praise of a device's performance and build
  accurate: 0.6, reliable: 0.6, sturdy: 0.5, durable: 0.5, comfortable: 0.6, intuitive: 0.6, responsive: 0.5, crisp: 0.4,
  snappy: 0.5, seamless: 0.5, seamlessly: 0.5, flawless: 0.8, flawlessly: 0.8, lightweight: 0.4, bright: 0.3, strong: 0.4,
  quickly: 0.2, fast: 0.4, easy: 0.5,
});
