// A deterministic, seeded synthetic archive in the real archive's shape (see
// ../shared/corpus/README.md): `<id>.md` files with the navigation line, a title
// (sometimes with HTML entities), the stamp line in both forms, a Chinese body
// with `[[zh:…]]` tags, doubled images, `![]()`, "see also" lines, relative links;
// CRLF header lines, bodies CRLF or LF as found in the corpus; log-normal sizes
// with a long tail; the archive's README.md index. Same seed, same bytes.
//
//   tsx bench/synth.ts --articles 40000 --seed 1 --out /tmp/synth

import { closeSync, futimesSync, openSync, writeSync } from 'node:fs';
import { mkdir, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export interface SynthOptions {
  articles: number;
  seed: number;
  dir: string;
}

export interface SynthArticle {
  id: number;
  file: string;
  bytes: number;
  /** Epoch ms of the stamp, or undefined when the stamp has no date. */
  date?: number;
  tags: number;
}

export interface SynthResult {
  dir: string;
  articles: number;
  seed: number;
  bytes: number;
  dated: number;
  tagged: number;
  /** Distinct tag spellings used by at least one article. */
  distinctTags: number;
  /** Median and largest file size, bytes. */
  medianBytes: number;
  maxBytes: number;
  ms: number;
  list: SynthArticle[];
}

// ---------------------------------------------------------------- the knobs

/** Share of articles whose stamp carries a UTC date (the rest: author alone). */
const DATED_SHARE = 0.45;
/** Share of all articles carrying tags; every tagged article is dated. */
const TAGGED_SHARE = 0.43;
/** Log-normal file size: median 2.6 KB. */
const SIZE_MEDIAN = 2500;
const SIZE_SIGMA = 0.8;
const SIZE_MIN = 240;
/** The long tail: this share of articles is log-uniform between these sizes. */
const TAIL_SHARE = 0.004;
const TAIL_MIN = 36_000;
const SIZE_MAX = 808_000;
const VOCABULARY = 10_000;
const ZIPF_S = 0.8;
const FIRST_ID = 1_000_000;
/** Dated stamps run from here to DATE_END in id order; undated files get older mtimes. */
const DATE_START = Date.UTC(2020, 5, 1);
const DATE_END = Date.UTC(2024, 3, 2, 16, 0);
const MTIME_START = Date.UTC(2019, 11, 1);
const MTIME_END = Date.UTC(2022, 5, 30);

// ---------------------------------------------------------------- randomness

/** mulberry32: tiny, fast, good enough, and the same everywhere. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit mix of several integers: per-article streams that do not depend on N. */
function mix(...values: number[]): number {
  let h = 0x9e3779b9;
  for (const v of values) {
    h = Math.imul(h ^ (v >>> 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

class Rng {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }
  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
}

// ---------------------------------------------------------------- fixed pools

/** Common Simplified characters: generated words and tags are made of these only. */
const CHARS =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质信完反导东南北京海城市场经济安全民主选举政治社会媒体新闻记者报道表示认为官员发言调查证据法院判决制裁关系合作竞争冲突危机战略科技产业投资银行货币通胀贸易出口进口能源病毒疫情疫苗医院实验室武汉香港台湾日本韩国欧洲英国德国法国俄罗斯乌克兰印度澳大利亚加拿大';

/** Real head words of the archive: the body reads like it and the tag vocabulary starts with them. */
const HEAD_WORDS = [
  '美国', '中共', '国家', '中国', '政府', '公司', '中共国', '经济', '美元', '北京', '政治', '事件', '市场', '组织', '俄罗斯', '战争',
  '日本', '台湾', '路透社', '武器', '关于', '美國', '香港', '历史', '习近平', '金融', '英国', '乌克兰', '欧洲', '拜登', '中國', '共产党',
  '民主国家', '社交媒体', '人权', '新冠病毒', '疫苗', '印太', '南海', '军事', '外交部', '国务院', '全国人大', '两会', '白宫', '国会', '参议院',
  '众议院', '联合国', '世卫组织', '制裁', '关税', '出口管制', '房地产', '恒大', '人民币', '股市', '银行', '债务', '失业', '通胀', '能源', '石油',
  '天然气', '新疆', '西藏', '维吾尔', '法轮功', '言论自由', '审查', '监控', '间谍', '网络安全', '黑客', '台积电', '华为', '抖音', '微信', '阿里巴巴',
  '腾讯', '比亚迪', '特斯拉', '马斯克', '特朗普', '普京', '泽连斯基', '岸田文雄', '尹锡悦', '蔡英文', '赖清德', '李强', '王毅', '秦刚', '布林肯',
  '耶伦', '沙利文', '郭文贵', '新中国联邦', '爆料革命', '喜马拉雅', '灭共', '中共病毒', '超限战', '统战', '孔子学院', '一带一路', '台独',
];

/** Spellings that fold together (Traditional/Simplified, case) or that topics look for, at fixed Zipf ranks. */
const PLACED_TAGS: [number, string][] = [
  [21, '美國'], [30, '中國'], [35, '人工智能'], [40, '芯片'], [55, '臺灣'], [100, 'AI'], [120, '台灣'], [150, '半导体'],
  [200, '習近平'], [300, '晶片'], [400, '人工智慧'], [500, 'ChatGPT'], [600, 'OpenAI'], [700, '集成电路'], [900, '半導體'],
  [1200, 'Sora'], [1500, '機器學習'], [1800, '机器学习'], [2000, 'Ai'], [2500, 'TikTok'], [2600, 'tiktok'], [3000, 'FBI'],
  [3500, 'NATO'], [4000, 'G7'], [4500, '5G'], [5000, 'Nvidia'], [5500, 'ASML'], [6000, 'TSMC'], [7000, '光刻机'], [8000, '光刻機'],
  [9000, 'GTV'], [9500, 'GETTR'],
];

const TAG_JOINERS = ['', '和', '、', '的', '与'];

const ASCII_WORDS = ['said', 'AI', 'Sora', 'TikTok', 'FBI', 'Reuters', 'CNN', 'NFSC', 'GTV', 'G-Translators', 'Breitbart News', 'Tom Cotton', 'COVID-19'];

const AUTHORS = [
  '喜马拉雅农场新西兰站', 'GNEWSTAIWAN', '纽约香草山MOS99', '秘密翻译组-精翻组 G-Translators/Elite Team', '银河歌舞厅', '爱哭鬼', 'NFSC_Deutsch',
  '易淼', '文斌的频道', '喜马拉雅日本银河系农场', '墨尔本雅典娜农场', 'G-时新闻', 'MOSVIDEO', '郭文贵全文字幕&#38;视频', 'Chloe', 'Skagen', '儒为',
  '谈古论今', '秘密翻译组-北美组', '秘密翻譯組G-Translators', 'Brianchow-DC', '韩国正道农场Gnews', '喜马拉雅纽约磐石农场', '加拿大温哥华英里农场',
  '美国政要直译推', 'NFSC News', '喜马拉雅意大利罗马达芬奇农场', '喜马拉雅农场DC2', '新泽西自由农场',
];

const TITLE_ENTITIES = ['&#8211;', '&#8220;', '&#8221;', '&amp;', '&#8212;', '&#8217;', '&nbsp;', '&#8230;', '&#124;'];

const AI_SENTENCES = [
  'OpenAI发布的视频生成模型Sora引发热议，AI业界认为这是大模型的又一次突破。',
  '专家said人工智能的军事用途正在改变战争形态，中共正在加紧研发AI武器。',
  '美国商务部限制向中国出口用于训练AI模型的高端芯片，以防止中共把人工智能用于监控。',
  'ChatGPT在全球走红之后，中共国的科技公司纷纷推出自己的大模型，但都要先通过审查。',
  '机器学习和深度学习的进展让AI生成的假新闻越来越难以分辨。',
];

const CHIP_SENTENCES = [
  '台积电宣布在美国亚利桑那州扩建晶圆厂，全球半导体供应链正在重组。',
  '荷兰ASML的光刻机出口受到新的限制，中共的芯片自给计划再次受挫。',
  '美国对华半导体出口管制扩大到更多设备，Nvidia的高端芯片也在其中。',
  '中芯国际的7纳米芯片引发外界对出口管制效果的质疑，集成电路产业成为中美竞争的焦点。',
  '日本和荷兰同意加入美国的芯片出口管制，限制向中国出口先进的半导体制造设备。',
];

// ---------------------------------------------------------------- the generator

export class Synthesizer {
  /** Tag spellings, most frequent first. */
  readonly vocabulary: string[];
  private readonly cdf: Float64Array;
  private readonly words: string[];
  /** Sentences split in two, so a tag can be put in the middle. */
  private readonly heads: string[] = [];
  private readonly tails: string[] = [];
  private readonly sentenceBytes: number[] = [];
  private averageSentenceBytes = 0;

  constructor(readonly seed: number) {
    const rng = new Rng(mix(seed, 0x5eed));
    const chars = [...new Set(CHARS)];

    // Words: the archive's head words, then generated two- and three-character ones.
    const words = new Set(HEAD_WORDS);
    while (words.size < 4000) {
      const n = rng.chance(0.7) ? 2 : 3;
      let w = '';
      for (let i = 0; i < n; i++) w += rng.pick(chars);
      words.add(w);
    }
    this.words = [...words];

    // Tags: 10,000 distinct spellings, Zipf-like, with pairs that fold together.
    const tags: (string | undefined)[] = new Array(VOCABULARY).fill(undefined);
    const taken = new Set<string>();
    for (const [rank, tag] of PLACED_TAGS) {
      tags[rank - 1] = tag;
      taken.add(tag);
    }
    let h = 0;
    for (let i = 0; i < VOCABULARY; i++) {
      if (tags[i] !== undefined) continue;
      let tag: string | undefined;
      while (h < HEAD_WORDS.length && tag === undefined) {
        const w = HEAD_WORDS[h++]!;
        if (!taken.has(w)) tag = w;
      }
      while (tag === undefined) {
        const n = rng.chance(0.55) ? 2 : rng.chance(0.7) ? 3 : 4;
        let w = '';
        for (let k = 0; k < n; k++) w += rng.pick(chars);
        if (rng.chance(0.01)) w = `${w}${rng.int(2, 99)}`;
        if (!taken.has(w)) tag = w;
      }
      taken.add(tag);
      tags[i] = tag;
    }
    this.vocabulary = tags as string[];
    this.cdf = new Float64Array(VOCABULARY);
    let sum = 0;
    for (let k = 0; k < VOCABULARY; k++) this.cdf[k] = sum += Math.pow(k + 1, -ZIPF_S);
    for (let k = 0; k < VOCABULARY; k++) this.cdf[k] = this.cdf[k]! / sum;

    // Sentences: 8,192 of 4–16 words, some with ASCII words, numbers, quotes.
    for (let s = 0; s < 8192; s++) {
      const n = rng.int(4, 16);
      const parts: string[] = [];
      for (let i = 0; i < n; i++) {
        let w = rng.pick(this.words);
        const r = rng.next();
        if (r < 0.03) w = ` ${rng.pick(ASCII_WORDS)} `;
        else if (r < 0.05) w = `${rng.int(2019, 2024)}年${rng.int(1, 12)}月${rng.int(1, 28)}日`;
        else if (r < 0.06) w = `“${w}${rng.pick(this.words)}”`;
        parts.push(w);
        if (i < n - 1 && rng.chance(0.18)) parts.push(rng.pick(['，', '，', '，', '、', '：']));
      }
      parts.push(rng.pick(['。', '。', '。', '。', '！', '？', '。”']));
      const cut = rng.int(1, parts.length - 1);
      this.addSentence(parts.slice(0, cut).join(''), parts.slice(cut).join(''));
    }
  }

  private addSentence(head: string, tail: string): void {
    this.heads.push(head);
    this.tails.push(tail);
    const bytes = Buffer.byteLength(head) + Buffer.byteLength(tail);
    this.sentenceBytes.push(bytes);
    this.averageSentenceBytes += (bytes - this.averageSentenceBytes) / this.sentenceBytes.length;
  }

  /** A Zipf-distributed vocabulary index. */
  private zipf(rng: Rng): number {
    const u = rng.next();
    let lo = 0;
    let hi = VOCABULARY - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Distinct tags for one article, in drawing order. */
  drawTags(rng: Rng, count: number): string[] {
    const seen = new Set<number>();
    while (seen.size < count) seen.add(this.zipf(rng));
    return [...seen].map((k) => this.vocabulary[k]!);
  }

  title(rng: Rng): string {
    let t = '';
    const n = rng.int(3, 9);
    for (let i = 0; i < n; i++) {
      t += rng.pick(this.words);
      if (i === 1 && rng.chance(0.3)) t += rng.pick(['：', ' ', '，']);
    }
    if (rng.chance(0.1)) t = `【${rng.pick(['中国观察', '新闻简报', '爆料革命', '今日聚焦'])}】${t}`;
    if (rng.chance(0.08)) t = `${t} ${rng.pick(ASCII_WORDS)}`;
    if (rng.chance(0.076)) {
      const e = rng.pick(TITLE_ENTITIES);
      const at = rng.int(1, t.length - 1);
      t = e === '&#8220;' ? `${t.slice(0, at)}&#8220;${t.slice(at)}&#8221;` : `${t.slice(0, at)} ${e} ${t.slice(at)}`;
    }
    return t;
  }

  /**
   * One article's text. `bytes` is the target size; tagged articles carry every
   * tag once or more inline, so they may come out somewhat larger.
   */
  article(opts: { id: number; rng: Rng; bytes: number; date?: number; tags: string[]; crlfBody: boolean }): string {
    const { id, rng, date, tags } = opts;
    const title = this.title(rng);
    const author = rng.pick(AUTHORS);
    let stamp: string;
    let source: string;
    if (date !== undefined) {
      stamp = `${stampDate(date)} ${rng.chance(0.66) ? author : ''}`;
      source = `https://gnews.org/articles/${id}`;
    } else {
      stamp = ` ${author}`;
      source = `https://gnews.org/zh-hans/${id}/`;
    }
    const header = `###  [:house:返回](README.md)\r\n---\r\n\r\n\r\n## ${title}\r\n\`${stamp}\` [轉載自GNews](${source})\n\r\n`;
    const eol = opts.crlfBody ? '\r\n' : '\n';

    // Tag occurrences: each tag 1–3 times, scattered.
    const occurrences: string[] = [];
    for (const tag of tags) {
      const times = rng.chance(0.5) ? 1 : rng.chance(0.6) ? 2 : 3;
      for (let i = 0; i < times; i++) occurrences.push(tag);
    }
    for (let i = occurrences.length - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      [occurrences[i], occurrences[j]] = [occurrences[j]!, occurrences[i]!];
    }

    const out: string[] = [header];
    let size = Buffer.byteLength(header);
    const target = opts.bytes;
    let o = 0;
    let paragraphs = 0;
    let credit = 0;
    const features = {
      images: rng.chance(0.12),
      emptyImage: rng.chance(0.01),
      seeAlso: rng.chance(0.03),
      relative: rng.chance(0.03),
      ai: rng.chance(0.03),
      chip: rng.chance(0.025),
      footer: rng.chance(0.05),
    };
    while (size < target || o < occurrences.length || paragraphs === 0) {
      let para = '';
      let paraBytes = 0;
      const r = rng.next();
      if (paragraphs > 0 && r < 0.06) {
        // A section heading written as a plain line.
        para = `${rng.pick(this.words)}${rng.pick(this.words)}${rng.chance(0.5) ? rng.pick(this.words) : ''}`;
      } else if (paragraphs > 0 && features.images && r < 0.12) {
        const n = id * 100 + paragraphs;
        const alt = this.heads[rng.int(0, this.heads.length - 1)]!;
        const img = `![${alt}](https://example.com/i/${n}.jpg "${alt}")`;
        para = rng.chance(0.85) ? `${img} ${img}` : `![](https://example.com/i/${n}.png)`;
      } else if (paragraphs > 0 && features.emptyImage && r < 0.14) {
        para = '![]()';
        features.emptyImage = false;
      } else if (paragraphs > 0 && features.seeAlso && r < 0.16) {
        const t = o < occurrences.length ? `[[zh:${occurrences[o++]}]]` : '';
        para = `请同时参阅：####${rng.pick(this.words)}${t}${this.title(rng)}`;
        features.seeAlso = false;
      } else if (paragraphs > 0 && features.relative && r < 0.18) {
        para = rng.chance(0.7)
          ? `继上一篇文章 [${this.title(rng)}](/articles/${Math.max(FIRST_ID, id - rng.int(1, 5000))})`
          : `[](ipfs://Qm${base58(rng, 44)}?.png)`;
        features.relative = false;
      } else {
        const n = rng.int(1, 6);
        for (let s = 0; s < n; s++) {
          const k = rng.int(0, this.heads.length - 1);
          let sentence = this.heads[k]!;
          let extra = 0;
          // As in the archive, tags are dense: spread what is left over the sentences the size allows.
          const left = occurrences.length - o;
          if (left > 0) {
            const room = Math.max(1, (target - size) / this.averageSentenceBytes);
            credit += left / room;
            let first = true;
            while ((credit >= 1 || target <= size) && o < occurrences.length) {
              const link = `${first ? '' : rng.pick(TAG_JOINERS)}[[zh:${occurrences[o++]}]]`;
              sentence += link;
              extra += Buffer.byteLength(link);
              credit -= 1;
              first = false;
            }
          }
          sentence += this.tails[k]!;
          let bytes = this.sentenceBytes[k]! + extra;
          if (features.ai && rng.chance(0.2)) {
            const more = rng.pick(AI_SENTENCES);
            sentence += more;
            bytes += Buffer.byteLength(more);
            features.ai = false;
          } else if (features.chip && rng.chance(0.2)) {
            const more = rng.pick(CHIP_SENTENCES);
            sentence += more;
            bytes += Buffer.byteLength(more);
            features.chip = false;
          }
          para += sentence;
          size += bytes;
          paraBytes += bytes;
          if (size >= target && o >= occurrences.length) break;
        }
        size -= paraBytes;
      }
      out.push(para, eol, eol);
      size += (paraBytes || Buffer.byteLength(para)) + 2 * eol.length;
      paragraphs++;
    }
    if (features.footer) {
      const f = `**原文链结**: **[${rng.pick(ASCII_WORDS)} says ${rng.pick(ASCII_WORDS)}\n](https://example.com/news/${id}.html\n)**  ${eol}***  ${eol}素材：${rng.pick(AUTHORS)}｜翻译：${rng.pick(AUTHORS)}｜ 编辑&发布：${rng.pick(this.words)}  ${eol}`;
      out.push(f);
    }
    // The corpus's files end with CRLF even when the body uses LF.
    out.push('\r\n');
    return out.join('');
  }

  /** The text of the archive's README.md index: the newest dated articles, newest first. */
  readme(entries: { id: number; title: string; stamp: string; summary: string }[]): string {
    const lines = [
      '\ufeff###  [:house:首页](/README.md) | [:newspaper:GNews](/content/gnews/README.md) | [:statue_of_liberty:Gettr](/content/gettr/README.md) | [:books:視頻文字](/content/transcript/README.md) | [:pray:關於](/content/about.md)\r\n---\r\n\r\n\r\n',
    ];
    for (const e of entries) lines.push(`#### [${e.title}](/content/gnews/${e.id}.md)\n${e.summary} \`${e.stamp}\`\r\n\r\n`);
    return lines.join('');
  }

  sentence(rng: Rng): string {
    const k = rng.int(0, this.heads.length - 1);
    return this.heads[k]! + this.tails[k]!;
  }
}

function base58(rng: Rng, n: number): string {
  const a = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  let s = '';
  for (let i = 0; i < n; i++) s += a[Math.floor(rng.next() * a.length)];
  return s;
}

/** `M/D/YYYY h:mm AM|PM UTC`, as the archive writes it. */
export function stampDate(ms: number): string {
  const d = new Date(ms);
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  const mm = String(d.getUTCMinutes()).padStart(2, '0');
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${h12}:${mm} ${h < 12 ? 'AM' : 'PM'} UTC`;
}

/** A target file size: log-normal around the median, plus the long tail. */
function drawSize(rng: Rng): number {
  if (rng.chance(TAIL_SHARE)) return Math.round(TAIL_MIN * Math.pow(SIZE_MAX / TAIL_MIN, rng.next()));
  const size = Math.round(SIZE_MEDIAN * Math.exp(SIZE_SIGMA * rng.normal()));
  return Math.min(TAIL_MIN, Math.max(SIZE_MIN, size));
}

/** What the generator decides for article `index` of `total` before writing it. */
export interface ArticlePlan {
  index: number;
  id: number;
  bytes: number;
  date?: number;
  tagCount: number;
  crlfBody: boolean;
  mtime: number;
}

export function planArticles(total: number, seed: number): ArticlePlan[] {
  const rng = new Rng(mix(seed, 0x1d5));
  const plans: ArticlePlan[] = [];
  let id = FIRST_ID;
  const span = DATE_END - DATE_START;
  const mspan = MTIME_END - MTIME_START;
  for (let index = 0; index < total; index++) {
    id += rng.int(1, 60);
    const dated = rng.chance(DATED_SHARE);
    const tagged = dated && rng.chance(TAGGED_SHARE / DATED_SHARE);
    const at = total > 1 ? index / (total - 1) : 1;
    // Dated stamps rise with the id, give or take a day and a half.
    const jitter = Math.round((rng.next() - 0.5) * 3 * 86_400_000);
    const date = dated ? Math.min(DATE_END, Math.max(DATE_START, Math.round(DATE_START + at * span + jitter))) : undefined;
    const roundedDate = date === undefined ? undefined : Math.floor(date / 60_000) * 60_000;
    const tagCount = tagged ? (rng.chance(0.97) ? rng.int(14, 26) : rng.int(30, 120)) : 0;
    plans.push({
      index,
      id,
      bytes: drawSize(rng),
      date: roundedDate,
      tagCount,
      crlfBody: rng.chance(0.55),
      mtime: roundedDate ?? Math.floor((MTIME_START + at * mspan) / 1000) * 1000,
    });
  }
  // The longest article in the corpus is 808 KB: make sure the archive has one.
  if (total >= 100) plans[Math.floor(total / 2)]!.bytes = SIZE_MAX;
  return plans;
}

/** Render one planned article: its text and the tags it carries. */
export function renderArticle(gen: Synthesizer, plan: ArticlePlan): { text: string; tags: string[]; title: string } {
  const rng = new Rng(mix(gen.seed, plan.id));
  const tags = plan.tagCount ? gen.drawTags(rng, plan.tagCount) : [];
  const text = gen.article({ id: plan.id, rng, bytes: plan.bytes, date: plan.date, tags, crlfBody: plan.crlfBody });
  const title = /\n## (.*)\r\n/.exec(text)?.[1] ?? '';
  return { text, tags, title };
}

/** Write a synthetic archive of `articles` files into `dir` (emptied first if it holds an earlier one). */
export async function synthesize(options: SynthOptions): Promise<SynthResult> {
  const started = performance.now();
  const { articles, seed } = options;
  const dir = path.resolve(options.dir);
  await prepare(dir);
  const gen = new Synthesizer(seed);
  const plans = planArticles(articles, seed);
  const list: SynthArticle[] = [];
  const used = new Set<string>();
  const readme: { id: number; title: string; stamp: string; summary: string }[] = [];
  let bytes = 0;
  let tagged = 0;
  for (const plan of plans) {
    const { text, tags, title } = renderArticle(gen, plan);
    const file = `${plan.id}.md`;
    const buf = Buffer.from(text, 'utf8');
    bytes += buf.length;
    if (tags.length) tagged++;
    for (const t of tags) used.add(t);
    list.push({ id: plan.id, file, bytes: buf.length, date: plan.date, tags: tags.length });
    if (plan.date !== undefined && plan.index >= articles - 400) {
      readme.push({ id: plan.id, title, stamp: stampDate(plan.date), summary: gen.sentence(new Rng(mix(seed, plan.id, 7))) });
    }
    writeStamped(path.join(dir, file), buf, new Date(plan.mtime));
  }
  readme.sort((a, b) => b.id - a.id);
  await writeFile(path.join(dir, 'README.md'), gen.readme(readme.slice(0, 50)));
  const sizes = list.map((a) => a.bytes).sort((a, b) => a - b);
  const result: SynthResult = {
    dir,
    articles,
    seed,
    bytes,
    dated: list.filter((a) => a.date !== undefined).length,
    tagged,
    distinctTags: used.size,
    medianBytes: sizes.length ? sizes[Math.floor(sizes.length / 2)]! : 0,
    maxBytes: sizes.length ? sizes[sizes.length - 1]! : 0,
    ms: 0,
    list,
  };
  result.ms = performance.now() - started;
  const { list: _list, dir: _dir, ms: _ms, ...summary } = result;
  await writeFile(path.join(dir, '.synth.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return result;
}

/**
 * Write a file and give it its deterministic modification time, with one open.
 * Synchronous: on this kind of disk 40,000 small files go no faster through the
 * thread pool, and generating them costs about a second of the total.
 */
function writeStamped(file: string, bytes: Buffer, mtime: Date): void {
  const fd = openSync(file, 'w');
  try {
    writeSync(fd, bytes);
    futimesSync(fd, mtime, mtime);
  } finally {
    closeSync(fd);
  }
}

/** Refuse to empty a folder that is not ours: only an empty one or an earlier synthetic archive. */
async function prepare(dir: string): Promise<void> {
  let entries: string[];
  try {
    entries = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await mkdir(dir, { recursive: true });
    return;
  }
  if (entries.length === 0) return;
  if (!entries.includes('.synth.json')) throw new Error(`${dir} is not empty and holds no synthetic archive (.synth.json): refusing to overwrite it.`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}

/** A new article for an incremental rebuild: dated after everything else, tagged like the archive. */
export function extraArticle(seed: number, id: number, date: number): { file: string; text: string } {
  const gen = new Synthesizer(seed);
  const plan: ArticlePlan = { index: -1, id, bytes: SIZE_MEDIAN, date, tagCount: 20, crlfBody: true, mtime: date };
  return { file: `${id}.md`, text: renderArticle(gen, plan).text };
}

/** A new article with no date in the file and no tag, as 55 % of the real archive's are: git or its file time dates it. */
export function extraUndatedArticle(seed: number, id: number): { file: string; text: string } {
  const gen = new Synthesizer(seed);
  const plan: ArticlePlan = { index: -1, id, bytes: SIZE_MEDIAN, tagCount: 0, crlfBody: true, mtime: 0 };
  return { file: `${id}.md`, text: renderArticle(gen, plan).text };
}

// ---------------------------------------------------------------- CLI

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      articles: { type: 'string', default: '40000' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
    },
    strict: true,
  });
  const articles = Number(values.articles);
  const seed = Number(values.seed);
  if (!values.out || !Number.isInteger(articles) || articles < 1 || !Number.isInteger(seed)) {
    console.error('usage: tsx bench/synth.ts --articles N --seed S --out DIR');
    process.exit(2);
  }
  const r = await synthesize({ articles, seed, dir: values.out });
  const mb = (n: number) => (n / 1048576).toFixed(1);
  console.log(
    `Wrote ${r.articles} articles (${mb(r.bytes)} MB; median ${r.medianBytes} B, largest ${r.maxBytes} B; ` +
      `${r.dated} dated, ${r.tagged} tagged, ${r.distinctTags} distinct tags) to ${r.dir} in ${(r.ms / 1000).toFixed(1)} s.`,
  );
  const info = await stat(path.join(r.dir, 'README.md'));
  if (!info.isFile()) throw new Error('README.md missing');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error((error as Error).message);
    process.exit(1);
  });
}
