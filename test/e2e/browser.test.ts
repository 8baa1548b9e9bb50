import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READY_TIMEOUT_MS, startServer, type LocalServer } from './server.js';

// The pages in a real browser: Debian's Chromium, headless, driven by
// playwright-core (which never downloads a browser of its own), against the
// local worker (`npm run serve` over test/.dist) with its strict CSP. Every
// request that would leave 127.0.0.1 (the fixture's images) is refused, so
// the test needs no network.

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
const SKIPPED = `skipped: ${CHROMIUM} is not installed (apt-get install chromium; CI's .ci/run installs it)`;
if (!HAVE_CHROMIUM) console.warn(`test/e2e/browser.test.ts ${SKIPPED}`);

const ZHONGGUO = '/tags/%E4%B8%AD%E5%9B%BD';
const SEED_TITLE = 'Sora掀起中国“AI焦虑” 分析:专制之下生成式AI难发展';
const TRADITIONAL_TITLE = '中國晶片出口 & 管制 – 最新';

describe.skipIf(!HAVE_CHROMIUM)(HAVE_CHROMIUM ? 'the pages in headless Chromium' : `the pages in headless Chromium (${SKIPPED})`, { timeout: 20_000 }, () => {
  let server: LocalServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext;
  let page: Page;
  /** Console errors and uncaught exceptions of the site itself (not the refused outside requests). */
  let errors: string[] = [];

  const local = (url: string) => !!server && url.startsWith(`${server.base}/`);

  beforeAll(async () => {
    [server, browser] = await Promise.all([startServer(), chromium.launch({ executablePath: CHROMIUM, args: ARGS, timeout: 15_000 })]);
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.route((url) => !local(url.href), (route) => route.abort());
    page = watch(await context.newPage());
  }, READY_TIMEOUT_MS + 20_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 15_000);

  /** Collect the page's console errors and uncaught exceptions into `errors`. */
  function watch(p: Page): Page {
    p.setDefaultTimeout(5_000);
    p.on('console', (message: ConsoleMessage) => {
      if (message.type() !== 'error') return;
      // "Failed to load resource" for an image we refused is the test's doing, not the page's.
      const where = message.location().url;
      if (where && !local(where) && /Failed to load resource/.test(message.text())) return;
      errors.push(`${p.url()}: ${message.text()}${where ? ` (${where})` : ''}`);
    });
    p.on('pageerror', (error) => errors.push(`${p.url()}: uncaught ${error.message}`));
    return p;
  }

  /** Open a path; the page must load from the worker, styled and scripted under its CSP, without errors. */
  async function open(path: string): Promise<void> {
    errors = [];
    const res = await page.goto(server!.base + path, { waitUntil: 'load' });
    expect(res?.status(), path).toBe(200);
    expect(res?.headers()['content-type'], path).toBe('text/html; charset=utf-8');
    expect(res?.headers()['content-security-policy'], path).toContain("script-src 'self'");
  }

  /** Nothing wider than the window: no sideways scrolling on a phone. */
  async function fitsWidth(): Promise<void> {
    const [scroll, inner] = (await page.evaluate('[document.documentElement.scrollWidth, window.innerWidth]')) as [number, number];
    expect(scroll, page.url()).toBeLessThanOrEqual(inner);
  }

  it('the home page loads with no console errors, styled, with its feeds and newest articles', async () => {
    await open('/');
    await expect.poll(() => page.title()).toBe('Fixture Feeds');
    expect(await page.locator('h1').textContent()).toBe('Fixture Feeds');
    // style.css applied (the CSP allows 'self' only): the feed rows are laid out as a grid.
    expect(await page.evaluate('getComputedStyle(document.querySelector("ul.feeds li")).display')).toBe('grid');
    // copy.js ran (external, from 'self') and revealed the copy buttons.
    await expect.poll(() => page.locator('button.copy-button:visible').count()).toBe(5);
    expect(await page.locator('ul.feeds input.copy').first().inputValue()).toBe('https://feeds.example.org/rss.xml');
    expect(await page.locator('link[rel="alternate"]').evaluateAll((links) => links.map((l) => l.getAttribute('href')))).toEqual([
      'https://feeds.example.org/rss.xml',
      'https://feeds.example.org/atom.xml',
      'https://feeds.example.org/feed.json',
    ]);
    const latest = await page.locator('ul.articles h3').allTextContents();
    expect(latest).toHaveLength(6);
    expect(latest).toContain(SEED_TITLE);
    expect(await page.locator('a[href="tags/"]').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('copies a feed URL with one click', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server!.base });
    await open('/');
    const button = page.locator('ul.feeds button.copy-button').first();
    await button.click();
    await expect.poll(() => button.textContent()).toBe('已复制 Copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe('https://feeds.example.org/rss.xml');
    expect(errors).toEqual([]);
  });

  it('a tag page lists its articles, newest first, and links to them on this server', async () => {
    await open(`${ZHONGGUO}/`);
    expect(await page.locator('h1').textContent()).toBe('中国');
    expect(await page.locator('ul.articles h3').allTextContents()).toEqual([TRADITIONAL_TITLE, SEED_TITLE]);
    const times = await page.locator('ul.articles time').evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
    expect(times).toEqual(['2024-04-02T12:25:00.000Z', '2024-03-03T18:29:00.000Z']);
    await page.locator('ul.articles h3 a').first().click();
    await page.waitForURL(`${server!.base}/articles/traditional/`);
    expect(await page.locator('article h1').textContent()).toBe(TRADITIONAL_TITLE);
    expect(errors).toEqual([]);
  });

  it('an article page shows its title, date, content, source and tags', async () => {
    await open('/articles/seed/');
    expect(await page.title()).toBe(`${SEED_TITLE} · Fixture Feeds`);
    expect(await page.locator('article h1').textContent()).toBe(SEED_TITLE);
    expect(await page.locator('article header time').getAttribute('datetime')).toBe('2024-03-03T18:29:00.000Z');
    expect(await page.locator('article header time').textContent()).toBe('2024-03-03 18:29 UTC');
    const first = page.locator('article .content p').first();
    expect(await first.isVisible()).toBe(true);
    expect(await first.textContent()).toMatch(/^美国新创公司Open AI2月中旬发布人工智能 \(AI\)模型Sora，/);
    expect(await page.locator('article .source a').getAttribute('href')).toBe('https://gnews.org/articles/2361431');
    expect(await page.locator('article footer ul.tags a', { hasText: /^中国$/ }).getAttribute('href')).toBe('../../tags/%E4%B8%AD%E5%9B%BD/');
    expect(errors).toEqual([]);
  });

  it('a feed URL opened in the browser shows the readable page, not XML', async () => {
    for (const [path, heading] of [
      [`${ZHONGGUO}/rss.xml`, '中国'],
      ['/topics/ai/atom.xml', 'AI'],
      ['/feed.json', 'Fixture Feeds'],
    ] as const) {
      await open(path);
      expect(await page.evaluate('document.contentType'), path).toBe('text/html');
      expect(page.url(), path).toBe(server!.base + path);
      expect(await page.locator('h1').textContent(), path).toBe(heading);
      expect(await page.locator('ul.feeds').isVisible(), path).toBe(true);
      expect(errors, path).toEqual([]);
    }
  });

  it('fits a phone screen, in dark mode too', async () => {
    const phone = await browser!.newContext({ viewport: { width: 390, height: 844 }, colorScheme: 'dark', isMobile: true, hasTouch: true });
    await phone.route((url) => !local(url.href), (route) => route.abort());
    const previous = page;
    page = watch(await phone.newPage());
    try {
      for (const path of ['/', '/tags/', `${ZHONGGUO}/`, '/articles/seed/']) {
        await open(path);
        await fitsWidth();
      }
      // The dark palette is in force.
      expect(await page.evaluate('getComputedStyle(document.body).backgroundColor')).toBe('rgb(22, 22, 23)');
    } finally {
      await phone.close();
      page = previous;
    }
  });

  it('works without JavaScript: the feed URL is there to copy by hand', async () => {
    const noScript = await browser!.newContext({ javaScriptEnabled: false });
    const previous = page;
    page = watch(await noScript.newPage());
    try {
      await open(`${ZHONGGUO}/`);
      expect(await page.locator('button.copy-button').first().isVisible()).toBe(false);
      const field = page.locator('ul.feeds input.copy').first();
      expect(await field.isVisible()).toBe(true);
      expect(await field.inputValue()).toBe('https://feeds.example.org/tags/%E4%B8%AD%E5%9B%BD/rss.xml');
      expect(await page.locator('ul.articles h3').count()).toBe(2);
    } finally {
      await noScript.close();
      page = previous;
    }
  });
});
