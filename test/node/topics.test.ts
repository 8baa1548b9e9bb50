import { describe, expect, it } from 'vitest';
import { compileTopic, matchTopics } from '../../src/articles/topics.js';

const ai = compileTopic({ slug: 'ai', title: 'AI', tags: ['人工智能'], keywords: ['AI', '人工智能'] });
const match = (title: string, body = '', tags: string[] = []) => matchTopics([ai], { title, tags }, body).length === 1;

describe('topic matching', () => {
  it('matches an ASCII keyword as a whole word only', () => {
    expect(match('The minister said yes')).toBe(false);
    expect(match('Open AI releases Sora')).toBe(true);
    expect(match('ai-powered search')).toBe(true);
    expect(match('AIDS research')).toBe(false);
  });

  it('matches next to CJK text, which has no spaces', () => {
    expect(match('生成式AI发展')).toBe(true);
  });

  it('matches a CJK keyword as a substring', () => {
    expect(match('', '中国的人工智能产业')).toBe(true);
  });

  it('matches any spelling of its tags', () => {
    expect(match('no keyword here', '', ['人工智能'])).toBe(true);
  });

  it('does not match words inside URLs', () => {
    expect(match('', 'see [link](https://example.com/AI/said) and https://ai.example.com')).toBe(false);
  });

  it('reads keywords as text, not as patterns, and a cased one beyond ASCII as written', () => {
    const other = compileTopic({ slug: 'x', title: 'X', tags: [], keywords: ['A.I.', 'C++', 'Café', '芯片'] });
    const topics = [ai, other];
    expect(matchTopics(topics, { title: 'A.I. and C++', tags: [] }, '')).toEqual([1]);
    expect(matchTopics(topics, { title: 'AxI, Cxx', tags: [] }, '')).toEqual([]);
    expect(matchTopics(topics, { title: 'Un café', tags: [] }, '')).toEqual([]);
    expect(matchTopics(topics, { title: '', tags: [] }, 'Un Café noir')).toEqual([1]);
    expect(matchTopics(topics, { title: '', tags: [] }, 'CAFÉ')).toEqual([]);
    expect(matchTopics(topics, { title: 'AI 芯片', tags: [] }, '')).toEqual([0, 1]);
    expect(matchTopics([], { title: 'AI', tags: [] }, 'AI')).toEqual([]);
  });
});
