import { afterEach, describe, expect, it } from 'vitest';
import { parseStamp } from '../../src/archive/stamp.js';

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
