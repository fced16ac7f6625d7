import { describe, it, expect } from 'vitest';
import { cleanText, toOriginal } from '../../../subgraphs/analysis/src/nlp/text.js';

describe('cleanText', () => {
  it('strips tags and decodes entities with offsets into the original', () => {
    const raw = '<p>Strong&nbsp;<b>battery</b> &amp; bright screen</p>';
    const ct = cleanText(raw);
    expect(ct.text).toBe('Strong battery & bright screen');
    expect(ct.markupRemoved).toBe(true);
    const i = ct.text.indexOf('battery');
    const o = toOriginal(ct, i, i + 'battery'.length, raw);
    expect(raw.slice(o.start, o.end)).toBe('battery');
    const amp = ct.text.indexOf('&');
    const oa = toOriginal(ct, amp, amp + 1, raw);
    expect(raw.slice(oa.start, oa.end)).toBe('&amp;');
  });

  it('drops script/style bodies and control characters, keeps emoji pairs', () => {
    const ct = cleanText('<style>p{color:red}</style>Nice\u0000 watch 😀 \ud800end');
    expect(ct.text).toBe('Nice watch 😀 end');
  });

  it('truncates long text and says so', () => {
    const ct = cleanText('word '.repeat(3000), 1000);
    expect(ct.truncated).toBe(true);
    expect(ct.text.length).toBeLessThanOrEqual(1000);
  });
});
