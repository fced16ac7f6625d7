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

export const INTENSIFIERS: Record<string, number> = {
  very: 1.5, really: 1.4, extremely: 1.8, super: 1.5, so: 1.3, too: 1.3, incredibly: 1.8, absolutely: 1.7,
  totally: 1.5, completely: 1.5, highly: 1.5, truly: 1.4, quite: 1.2, most: 1.3, amazingly: 1.6, insanely: 1.7,
  exceptionally: 1.7, remarkably: 1.6, particularly: 1.3, especially: 1.3, utterly: 1.8, seriously: 1.4, ridiculously: 1.6,
};

export const DIMINISHERS: Record<string, number> = {
  slightly: 0.5, somewhat: 0.6, 'kind of': 0.6, 'sort of': 0.6, fairly: 0.7, rather: 0.8, little: 0.6, bit: 0.6,
  mostly: 0.8, almost: 0.7, pretty: 0.9, barely: 0.4, marginally: 0.5, moderately: 0.6, reasonably: 0.8,
};

/** A multi-word expression of known polarity, matched on lower-cased token sequences. */
export interface KnownPhrase { seq: string[]; tag: string; polarity: number }

/** Multi-word hedges whose literal words look positive but are not. */
export const HEDGES: KnownPhrase[] = [
  { seq: ['could', 'be', 'better'], tag: 'HEDGE_COULD_BE_BETTER', polarity: -0.5 },
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
 * Product-review expressions whose polarity no single word carries ("stopped working", "lasts for days",
 * "takes ages"): absent from the restaurant and movie sentences the models learn from, so they act like
 * hedges, shifting the verdict towards their known polarity. `*` matches any one token. Hand-written.
 */
const phrase = (tag: string, polarity: number, ...seqs: string[]): KnownPhrase[] => seqs.map((s) => ({ seq: s.split(' '), tag, polarity }));
export const PRODUCT_PHRASES: KnownPhrase[] = [
  ...phrase('PHRASE_STOPPED_WORKING', -0.7, 'stopped working', 'stops working', 'stop working', 'quit working', 'quits working',
    'no longer works', 'no longer work', 'stopped charging', 'stopped syncing', 'stopped tracking', 'stopped responding', 'dead on arrival'),
  ...phrase('PHRASE_FELL_APART', -0.6, 'fell apart', 'falls apart', 'came apart', 'came loose', 'comes loose', 'keeps falling off', 'fell off', 'falls off'),
  ...phrase('PHRASE_SLOW', -0.5, 'takes ages', 'took ages', 'takes forever', 'took forever', 'taking forever', 'takes * ages', 'takes * forever'),
  ...phrase('PHRASE_KEEPS_FAILING', -0.6, 'keeps disconnecting', 'keeps crashing', 'keeps freezing', 'keeps dropping', 'keeps losing',
    'keeps restarting', 'keeps rebooting', 'loses signal', 'lost signal', 'loses connection', 'lost connection', 'drops connection', 'loses the signal'),
  ...phrase('PHRASE_SHORT_LIFE', -0.5, 'only lasts', 'only lasted', 'barely lasts', 'barely lasted', 'does n\'t last', 'did n\'t last',
    'wo n\'t hold', 'does n\'t hold', 'runs out of battery', 'ran out of battery', 'dies after', 'died after', 'died within'),
  ...phrase('PHRASE_RETURNED', -0.5, 'sent it back', 'sending it back', 'returned it', 'returning it', 'waste of money', 'piece of junk', 'never again'),
  ...phrase('PHRASE_HARD_TO', -0.4, 'hard to read', 'hard to use', 'hard to see', 'difficult to read', 'difficult to use', 'hard to navigate',
    'hard to set up', 'way off', 'all over the place'),
  ...phrase('PHRASE_LASTS', 0.5, 'lasts * days', 'lasts * weeks', 'lasts * week', 'lasts all day', 'lasts a full week', 'lasts forever',
    'holds a charge', 'holds its charge', 'holds charge'),
  ...phrase('PHRASE_WORTH_IT', 0.5, 'worth every penny', 'worth the money', 'worth the price', 'bang for the buck', 'value for money',
    'does the job', 'does what it says', 'as advertised', 'as described', 'well made', 'well built', 'spot on'),
  ...phrase('PHRASE_NO_PROBLEMS', 0.5, 'never had a problem', 'never had any problems', 'never had an issue', 'never had any issues',
    'zero issues', 'zero problems'),
];

export const STOPWORDS = new Set(
  ('a an the and or of to in on at for with from by as is are was were be been being am it its this that these those i me my we our ' +
    'you your he she they them their his her there here do does did have has had will would can could should may might must just ' +
    'so than then too very also about into over after before up down out off again further once all any both each few more most ' +
    'other some such only own same s t don now what which who whom when where why how if because while until get got').split(' '),
);

/**
 * Product-review polarity words that general-purpose lexicons miss or mis-score
 * (hand-written; overrides the learned polarity prior).
 */
export const PRODUCT_POLARITY: Record<string, number> = {
  dies: -0.6, died: -0.6, dying: -0.5, dead: -0.6, crash: -0.6, crashes: -0.6, crashed: -0.6, crashing: -0.6,
  freezes: -0.6, froze: -0.6, freezing: -0.4, lag: -0.5, lags: -0.5, laggy: -0.6, lagging: -0.5, drains: -0.5, drain: -0.4,
  broke: -0.6, broken: -0.6, breaks: -0.5, cracked: -0.6, flimsy: -0.6, glitchy: -0.6, buggy: -0.6, unreliable: -0.7,
  inaccurate: -0.7, useless: -0.8, overpriced: -0.6, stale: -0.5, soggy: -0.6, bland: -0.5, mediocre: -0.5, rude: -0.7,
  fails: -0.6, failed: -0.6, failing: -0.5, stopped: -0.3, disconnects: -0.6, drops: -0.3, slow: -0.4, sluggish: -0.5,
  returned: -0.4, refund: -0.3, itchy: -0.5, uncomfortable: -0.7, bulky: -0.4, dim: -0.4, fiddly: -0.5, clunky: -0.5,
  accurate: 0.6, reliable: 0.6, sturdy: 0.5, durable: 0.5, comfortable: 0.6, intuitive: 0.6, responsive: 0.5, crisp: 0.4,
  snappy: 0.5, seamless: 0.5, seamlessly: 0.5, flawless: 0.8, flawlessly: 0.8, lightweight: 0.4, bright: 0.3, strong: 0.4,
  quickly: 0.2, fast: 0.4, easy: 0.5, tasty: 0.7, delicious: 0.8, friendly: 0.6, attentive: 0.6, fresh: 0.5, cozy: 0.5,
};
