/**
 * Reads the dates of an export into the ISO-8601 the API takes. `auto` passes ISO dates through and
 * reads a 10-digit number as Unix seconds, a 13-digit one as milliseconds; `unix` and `unix-ms` say
 * so for every row; a pattern of YYYY MM DD HH mm ss (others characters literal), e.g. DD/MM/YYYY
 * or MM/DD/YYYY HH:mm, reads that layout as UTC.
 */
export type DateReader = (value: string) => { iso: string } | { error: string };

const TOKENS = ['YYYY', 'MM', 'DD', 'HH', 'mm', 'ss'] as const;
type Token = (typeof TOKENS)[number];

export function dateReader(format: string): DateReader {
  if (format === 'auto' || format === 'iso') {
    return (value) => {
      if (format === 'auto' && /^\d{10}$/.test(value)) return { iso: new Date(Number(value) * 1000).toISOString() };
      if (format === 'auto' && /^\d{13}$/.test(value)) return { iso: new Date(Number(value)).toISOString() };
      return { iso: value };
    };
  }
  if (format === 'unix' || format === 'unix-ms') {
    const scale = format === 'unix' ? 1000 : 1;
    return (value) => (/^\d{1,16}(\.\d+)?$/.test(value) ? { iso: new Date(Number(value) * scale).toISOString() } : { error: `"${value.slice(0, 40)}" is not a ${format} timestamp` });
  }
  return patternReader(format);
}

function patternReader(format: string): DateReader {
  const order: Token[] = [];
  let source = '';
  for (let i = 0; i < format.length;) {
    const token = TOKENS.find((t) => format.startsWith(t, i));
    if (token) {
      order.push(token);
      source += token === 'YYYY' ? '(\\d{4})' : '(\\d{1,2})';
      i += token.length;
    } else {
      source += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      i++;
    }
  }
  if (!order.includes('YYYY') || !order.includes('MM') || !order.includes('DD')) {
    throw new Error(`--date-format "${format}" needs YYYY, MM and DD (e.g. DD/MM/YYYY or YYYY-MM-DD HH:mm:ss), or auto, iso, unix, unix-ms`);
  }
  const pattern = new RegExp(`^${source}$`);
  return (value) => {
    const match = pattern.exec(value);
    if (!match) return { error: `"${value.slice(0, 40)}" does not match the date format ${format}` };
    const part = (token: Token) => {
      const i = order.indexOf(token);
      return i < 0 ? 0 : Number(match[i + 1]);
    };
    const [year, month, day, hour, minute, second] = [part('YYYY'), part('MM'), part('DD'), part('HH'), part('mm'), part('ss')];
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second));
    // Date.UTC rolls 31/02 over into March: a date that does not come back the same is not a date.
    if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
      return { error: `"${value.slice(0, 40)}" is not a real date in the format ${format}` };
    }
    return { iso: date.toISOString() };
  };
}
