import { z } from 'zod';
import type { Config } from '../core/types.js';

// Validate the config once, at the edge, and report every problem in one sentence
// (the approach of @astrojs/rss's schema): nothing downstream re-checks it.

const slugPattern = /^[\p{L}\p{N}][\p{L}\p{N}_-]{0,63}$/u;

const topic = z
  .object({
    slug: z.string().regex(slugPattern, 'must be letters, digits, "-" or "_" (at most 64), not starting with punctuation'),
    title: z.string().min(1),
    description: z.string().optional(),
    tags: z.array(z.string().min(1)).default([]),
    keywords: z.array(z.string().min(1)).default([]),
  })
  .strict()
  .refine((t) => t.tags.length + t.keywords.length > 0, { message: 'needs at least one tag or keyword' });

export const configSchema = z
  .object({
    title: z.string().min(1),
    description: z.string().default(''),
    siteUrl: z
      .string()
      .refine((u) => /^https?:\/\/[^\s/]/.test(u) && URL.canParse(u), { message: 'must be an absolute http(s) URL' })
      .transform((u) => u.replace(/\/+$/, '')),
    language: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'must be a language tag such as zh-CN').default('zh-CN'),
    pattern: z.string().min(1).default('**/*.md'),
    items: z.number().int().positive().max(1000).default(50),
    tagItems: z.number().int().positive().max(1000).default(20),
    topicItems: z.number().int().positive().max(1000).default(50),
    minTagArticles: z.number().int().positive().default(1),
    tagFeedContent: z.enum(['full', 'summary']).default('full'),
    wikiLinks: z.enum(['text', 'link']).default('text'),
    articlePages: z.boolean().default(true),
    maxFileBytes: z.number().int().positive().default(8 * 1024 * 1024),
    futureGraceHours: z.number().nonnegative().default(24),
    trustFolderTimes: z.boolean().default(true),
    maxAge: z.number().int().nonnegative().default(300),
    staleWhileRevalidate: z.number().int().nonnegative().default(3600),
    topics: z.array(topic).default([]),
  })
  .strict()
  .superRefine((c, ctx) => {
    const seen = new Set<string>();
    c.topics.forEach((t, i) => {
      const key = t.slug.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['topics', i, 'slug'], message: `repeats "${t.slug}"` });
      seen.add(key);
    });
  });

/** Parse raw JSON into a Config, or throw one sentence naming the file and every problem. */
export function parseConfig(raw: unknown, file: string): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.length ? issue.path.join('.') : 'the config';
    return `${where}: ${issue.message.replace(/^./, (c) => c.toLowerCase())}`;
  });
  throw new ConfigError(`Config ${file} is invalid: ${problems.join('; ')}.`);
}

export class ConfigError extends Error {}
