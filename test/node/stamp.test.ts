import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isValid } from 'date-fns/isValid';
import { parse } from 'date-fns/parse';
import { MAX_YEAR, MIN_YEAR, parseStamp, parseUtc } from '../../src/archive/stamp.js';

const originalTz = process.env.TZ;
afterEach(() => {
  process.env.TZ = originalTz;
});

describe('parseStamp', () => {
  it.each(['Asia/Shanghai', 'America/Los_Angeles', 'UTC'])('reads 3/3/2024 6:29 PM UTC as 18:29Z under TZ=%s', (tz) => {
    process.env.TZ = tz;
    const stamp = parseStamp('3/3/2024 6:29 PM UTC ');
    expect(new Date(stamp.date!).toISOString()).toBe('2024-03-03T18:29:00.000Z');
    expect(stamp.author).toBeUndefined();
  });

  it('reads a date followed by an author or team', () => {
    expect(parseStamp('4/2/2024 12:25 PM UTC 喜马拉雅农场新西兰站')).toEqual({
      date: Date.UTC(2024, 3, 2, 12, 25),
      author: '喜马拉雅农场新西兰站',
    });
  });

  it('reads 12 AM as midnight and 12 PM as noon', () => {
    expect(parseStamp('12/31/2023 12:05 AM UTC').date).toBe(Date.UTC(2023, 11, 31, 0, 5));
    expect(parseStamp('1/1/2024 12:00 PM UTC').date).toBe(Date.UTC(2024, 0, 1, 12, 0));
  });

  it('reads an author alone, digits and all, as no date', () => {
    expect(parseStamp(' 纽约香草山MOS99')).toEqual({ author: '纽约香草山MOS99' });
    expect(parseStamp(' 秘密翻译组-精翻组 G-Translators/Elite Team')).toEqual({ author: '秘密翻译组-精翻组 G-Translators/Elite Team' });
  });

  it('decodes entities in the author', () => {
    expect(parseStamp(' 郭文贵全文字幕&#38;视频').author).toBe('郭文贵全文字幕&视频');
  });

  it('reports an impossible date instead of inventing one', () => {
    expect(parseStamp('13/45/2024 25:99 PM UTC 某作者')).toEqual({ author: '某作者', invalidDate: '13/45/2024 25:99 PM UTC' });
    expect(parseStamp('2/30/2024 1:00 PM UTC').invalidDate).toBe('2/30/2024 1:00 PM UTC');
    expect(parseStamp('1/1/9999 1:00 PM UTC').invalidDate).toBe('1/1/9999 1:00 PM UTC');
  });

  it('gives nothing for an empty stamp', () => {
    expect(parseStamp('  ')).toEqual({});
  });
});

describe('parseUtc against date-fns', () => {
  // The reference: what parseUtc was before it was written out, date-fns's parse()
  // with the format and an explicit UTC offset, in range. date-fns builds the date in
  // local time first, so it is the reference only under TZ=UTC (see the last test).
  beforeEach(() => {
    process.env.TZ = 'UTC';
  });
  const reference = (text: string): number | undefined => {
    const parsed = parse(`${text} +00:00`, 'M/d/yyyy h:mm a xxx', new Date(0));
    if (!isValid(parsed)) return undefined;
    const year = parsed.getUTCFullYear();
    return year < MIN_YEAR || year > MAX_YEAR ? undefined : parsed.getTime();
  };
  const months = ['0', '00', '1', '01', '2', '02', '9', '09', '10', '11', '12', '13', '012', '1a'];
  const days = ['0', '00', '1', '01', '05', '09', '10', '19', '20', '28', '29', '30', '31', '32', '3', '39', '031'];
  const years = ['1989', '1990', '2000', '2023', '2024', '2100', '2101', '999', '20240', '24', '0', '02024', '1900'];
  const hours = ['0', '00', '1', '01', '9', '09', '10', '11', '12', '13', '012'];
  const minutes = ['0', '00', '5', '05', '09', '10', '59', '60', '99', '005', '5a'];
  const gaps = [' ', '', '  ', '\t'];

  it('agrees on every month, day and year (1:00 PM)', () => {
    let dates = 0;
    for (const m of months)
      for (const d of days)
        for (const y of years) {
          const text = `${m}/${d}/${y} 1:00 PM`;
          expect(parseUtc(text), text).toBe(reference(text));
          if (reference(text) !== undefined) dates++;
        }
    // Real dates among them, so that the comparison is not only of undefineds: in each of the
    // five years in range, 12 day strings in the four 31-day month strings, 11 in the three of
    // 30 days, 9 in the two of February (10 in 2000 and 2024): 3 × 99 + 2 × 101.
    expect(dates).toBe(499);
  });

  it('agrees on every hour, minute, meridiem and gap between them (2/29/2024)', () => {
    for (const h of hours)
      for (const mm of minutes)
        for (const a of ['AM', 'PM'])
          for (const g1 of gaps)
            for (const g2 of gaps) {
              const text = `2/29/2024${g1}${h}:${mm}${g2}${a}`;
              expect(parseUtc(text), text).toBe(reference(text));
            }
    expect(parseUtc('2/29/2024 12:59 AM')).toBe(Date.UTC(2024, 1, 29, 0, 59));
    expect(parseUtc('2/29/2024 12:00 PM')).toBe(Date.UTC(2024, 1, 29, 12, 0));
    expect(parseUtc('2/29/2024 11:05 PM')).toBe(Date.UTC(2024, 1, 29, 23, 5));
  });

  it("reads a local clock's missing hour as the UTC instant it names, under any TZ", () => {
    // 2:30 AM did not exist in New York on 3/10/2024: date-fns, through local time, gave 3:30Z.
    for (const tz of ['America/New_York', 'UTC', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      expect(parseUtc('3/10/2024 2:30 AM'), tz).toBe(Date.UTC(2024, 2, 10, 2, 30));
    }
    process.env.TZ = 'America/New_York';
    expect(reference('3/10/2024 2:30 AM')).toBe(Date.UTC(2024, 2, 10, 3, 30));
  });
});
