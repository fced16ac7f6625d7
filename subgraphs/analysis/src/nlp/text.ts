/**
 * Text cleaning with an offset map back into the original input.
 *
 * Everything the engine analyses is a "clean" string derived from the input:
 * markup removed, entities decoded, control characters and broken surrogates
 * turned into spaces, whitespace runs collapsed. `origin[i]` is the UTF-16
 * offset in the original text of clean character i, so any span found in the
 * clean text can be reported in original-text coordinates.
 */

export interface CleanText {
  text: string;
  /** origin[i] = offset in the original string of clean char i; origin[text.length] = end sentinel */
  origin: number[];
  markupRemoved: boolean;
  truncated: boolean;
}

// no prototype: "&constructor;" is not an entity
const ENTITIES: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, {
  amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', hellip: '…', mdash: '—', ndash: '–',
  rsquo: '\u2019', lsquo: '\u2018', rdquo: '\u201d', ldquo: '\u201c', eacute: 'é', egrave: 'è',
});

const BLOCK_TAGS = /^(script|style|noscript|template)$/i;

function isControl(code: number): boolean {
  return (code < 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) || (code >= 0x7f && code <= 0x9f) ||
    code === 0x200b || code === 0xfeff || code === 0x2028 || code === 0x2029;
}

/** Clean `raw`, keeping at most `maxChars` clean characters. Never throws. */
export function cleanText(raw: string, maxChars = 5000): CleanText {
  const out: string[] = [];
  const origin: number[] = [];
  let markupRemoved = false;
  let truncated = false;
  let lastSpace = true; // suppress leading spaces
  const n = raw.length;
  const push = (ch: string, at: number) => {
    if (ch === ' ') {
      if (lastSpace) return;
      lastSpace = true;
    } else lastSpace = false;
    out.push(ch);
    origin.push(at);
  };
  let i = 0;
  while (i < n) {
    if (out.length >= maxChars) { truncated = true; break; }
    const c = raw.charCodeAt(i);
    // markup tags: <tag ...>, </tag>, <!-- -->
    if (c === 0x3c /* < */) {
      const next = raw.charCodeAt(i + 1);
      const isTag = (next >= 65 && next <= 90) || (next >= 97 && next <= 122) || next === 0x2f || next === 0x21;
      if (isTag) {
        let close: number;
        if (raw.startsWith('<!--', i)) {
          const e = raw.indexOf('-->', i + 4);
          close = e < 0 ? n : e + 3;
        } else {
          const e = raw.indexOf('>', i + 1);
          close = e < 0 || e - i > 2000 ? -1 : e + 1;
        }
        if (close > 0) {
          markupRemoved = true;
          const m = /^<\s*([a-zA-Z0-9]+)/.exec(raw.slice(i, Math.min(close, i + 40)));
          if (m && BLOCK_TAGS.test(m[1])) {
            const endTag = raw.toLowerCase().indexOf('</' + m[1].toLowerCase(), close);
            const e2 = endTag < 0 ? n : raw.indexOf('>', endTag);
            close = e2 < 0 ? n : e2 + 1;
          }
          push(' ', i);
          i = close;
          continue;
        }
      }
    }
    if (c === 0x26 /* & */) {
      const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/.exec(raw.slice(i, i + 12));
      if (m) {
        let rep: string | undefined;
        const body = m[1];
        if (body[0] === '#') {
          const cp = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
          if (cp > 0x1f && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) rep = String.fromCodePoint(cp);
        } else rep = ENTITIES[body.toLowerCase()];
        if (rep !== undefined) {
          markupRemoved = true;
          // a decoded entity maps every produced unit to the entity start
          for (let k = 0; k < rep.length; k++) push(rep[k] === '\u00a0' ? ' ' : rep[k], i);
          i += m[0].length;
          continue;
        }
      }
    }
    // surrogates: keep valid pairs, replace lone halves
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = raw.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        push(raw[i], i); out.push(raw[i + 1]); origin.push(i + 1);
        i += 2;
        continue;
      }
      push(' ', i); i++; continue;
    }
    if (c >= 0xdc00 && c <= 0xdfff) { push(' ', i); i++; continue; }
    if (c === 0x0a || c === 0x0d || c === 0x09 || c === 0x20 || c === 0xa0 || c === 0x3000 || (c >= 0x2000 && c <= 0x200a)) {
      // newlines act as sentence boundaries only if a blank line; otherwise spaces
      push(' ', i); i++; continue;
    }
    if (isControl(c)) { push(' ', i); i++; continue; }
    push(raw[i], i);
    i++;
  }
  // trim trailing space
  while (out.length && out[out.length - 1] === ' ') { out.pop(); origin.pop(); }
  const text = out.join('');
  const endOrig = truncated ? (origin.length ? origin[origin.length - 1] + 1 : 0) : n;
  origin.push(endOrig);
  return { text, origin, markupRemoved, truncated };
}

/** Map a clean-text span [s, e) to an original-text span. */
export function toOriginal(ct: CleanText, s: number, e: number, raw: string): { start: number; end: number } {
  const start = ct.origin[s] ?? raw.length;
  // end = one past the original offset of the last clean char in the span
  let end: number;
  if (e <= s) end = start;
  else {
    const lastOrig = ct.origin[e - 1];
    const code = raw.charCodeAt(lastOrig);
    end = lastOrig + (code >= 0xd800 && code <= 0xdbff ? 2 : 1);
    // a span ending in a decoded entity should cover the whole entity
    if (raw[lastOrig] === '&') {
      const semi = raw.indexOf(';', lastOrig);
      if (semi > 0 && semi - lastOrig < 12) end = semi + 1;
    }
  }
  return { start, end: Math.max(start, Math.min(end, raw.length)) };
}

/** Count letters (any script) in a string. */
export function letterCount(s: string): number {
  const m = s.match(/\p{L}/gu);
  return m ? m.length : 0;
}
