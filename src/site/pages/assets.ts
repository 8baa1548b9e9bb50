// The one stylesheet every page shares, and the one script (progressive: pages work
// without it; it only reveals the "copy" buttons). Both are served from 'self',
// which is all the worker's Content-Security-Policy allows: no inline style or
// script anywhere, no handler attributes, no web fonts (CJK text uses the
// reader's own fonts, chosen by the `lang` of the page or the article).

const LATIN = '-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans","Liberation Sans"';
const EMOJI = '"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji"';
const CJK = {
  sc: '"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Noto Sans SC","Source Han Sans SC","Microsoft YaHei","WenQuanYi Micro Hei"',
  tc: '"PingFang TC","Hiragino Sans CNS","Noto Sans CJK TC","Noto Sans TC","Source Han Sans TC","Microsoft JhengHei"',
  hk: '"PingFang HK","Noto Sans CJK HK","Noto Sans HK","Source Han Sans HC","Microsoft JhengHei"',
  ja: '"Hiragino Sans","Hiragino Kaku Gothic ProN","Noto Sans CJK JP","Noto Sans JP","Source Han Sans JP","Yu Gothic","Meiryo"',
  ko: '"Apple SD Gothic Neo","Noto Sans CJK KR","Noto Sans KR","Source Han Sans KR","Malgun Gothic"',
};
const stack = (cjk: string) => `${LATIN},${cjk},sans-serif,${EMOJI}`;
const MONO = 'ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono","Noto Sans Mono CJK SC",monospace';

export const STYLE_CSS = `:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#62626a;--line:#dcdce1;--link:#0a58ca;--chip:#f2f2f5;--chip-hover:#e6e6eb}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ed;--bg:#161617;--muted:#a1a1a8;--line:#38383b;--link:#7cb0ff;--chip:#26262a;--chip-hover:#333338}}
*,::before,::after{box-sizing:border-box}
[hidden]{display:none!important}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.7 ${stack(CJK.sc)};overflow-wrap:anywhere}
:lang(zh-TW),:lang(zh-Hant){font-family:${stack(CJK.tc)}}
:lang(zh-HK),:lang(zh-MO){font-family:${stack(CJK.hk)}}
:lang(ja){font-family:${stack(CJK.ja)}}
:lang(ko){font-family:${stack(CJK.ko)}}
a{color:var(--link);text-underline-offset:.18em;text-decoration-thickness:1px}
:focus-visible{outline:2px solid var(--link);outline-offset:2px}
.bar,main{max-width:44rem;margin:0 auto;padding:0 1rem}
header.site{border-bottom:1px solid var(--line)}
header.site .bar{display:flex;flex-wrap:wrap;gap:.25rem 1.25rem;justify-content:space-between;align-items:center;min-height:3.25rem;padding-top:.4rem;padding-bottom:.4rem}
header.site .home{font-weight:700;color:var(--fg);text-decoration:none}
header.site nav{display:flex;gap:1.25rem}
header.site nav a{text-decoration:none}
header.site a:hover{text-decoration:underline}
main{padding-bottom:2.5rem}
footer.site{border-top:1px solid var(--line);color:var(--muted);font-size:.875rem}
footer.site .bar{padding-top:1.25rem;padding-bottom:2.5rem}
h1{font-size:1.75rem;line-height:1.3;margin:2rem 0 .5rem}
h2{font-size:1.15rem;line-height:1.4;margin:2.5rem 0 .75rem}
h1 .count{font-size:1rem;font-weight:400}
.kicker{margin:2rem 0 0;color:var(--muted);font-size:.875rem}
.kicker+h1{margin-top:.2rem}
.lede{margin:.25rem 0 0;color:var(--muted);font-size:1.05rem}
.meta{margin:.35rem 0;color:var(--muted);font-size:.875rem}
.more{margin:1rem 0 0}
.count{color:var(--muted);font-size:.8rem;font-variant-numeric:tabular-nums}
.notice{background:var(--chip);border-radius:8px;padding:.75rem 1rem}
ul.feeds{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
ul.feeds li{display:grid;grid-template-columns:6rem minmax(0,1fr) auto;gap:.5rem;align-items:center}
ul.feeds li>a{font-weight:600}
input.copy{width:100%;min-width:0;margin:0;font:.8rem/1.4 ${MONO};padding:.45rem .6rem;color:var(--fg);background:var(--chip);border:1px solid var(--line);border-radius:6px}
button.copy-button{font:inherit;font-size:.85rem;line-height:1.3;padding:.4rem .75rem;margin:0;border:1px solid var(--line);border-radius:6px;background:var(--bg);color:var(--fg);cursor:pointer;white-space:nowrap}
button.copy-button:hover{border-color:var(--link);color:var(--link)}
button.copy-button.copied{border-color:var(--link);color:var(--link)}
ul.feedlist{list-style:none;margin:0;padding:0;border-top:1px solid var(--line)}
ul.feedlist li{display:flex;flex-wrap:wrap;align-items:baseline;gap:.25rem .6rem;padding:.5rem 0;border-bottom:1px solid var(--line)}
ul.feedlist .name{font-weight:600;text-decoration:none}
ul.feedlist .name:hover{text-decoration:underline}
ul.feedlist .formats{margin-left:auto;display:flex;gap:.75rem;font-size:.85rem}
ul.feedlist button.copy-button{padding:.15rem .55rem;font-size:.8rem}
ul.tags{list-style:none;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:.45rem}
ul.tags li{background:var(--chip);border-radius:999px;font-size:.9rem;line-height:1.5}
ul.tags li>*{display:block;padding:.2rem .7rem}
ul.tags a{text-decoration:none;border-radius:999px}
ul.tags a:hover{background:var(--chip-hover);text-decoration:underline}
ul.tags .count{margin-left:.35rem}
ul.articles{list-style:none;margin:0;padding:0;border-top:1px solid var(--line)}
ul.articles li{padding:.9rem 0;border-bottom:1px solid var(--line)}
ul.articles h3{margin:0;font-size:1.05rem;line-height:1.5;font-weight:600}
ul.articles h3 a{color:var(--fg);text-decoration:none}
ul.articles h3 a:hover{color:var(--link);text-decoration:underline}
ul.articles .meta{margin:.2rem 0 0}
ul.articles .summary{margin:.3rem 0 0;color:var(--muted);font-size:.925rem;line-height:1.65;display:-webkit-box;-webkit-box-orient:vertical;-webkit-line-clamp:3;line-clamp:3;overflow:hidden}
article>header h1{margin-bottom:.75rem}
article>header .meta{margin:.2rem 0}
article .content{margin-top:1.75rem;font-size:1.0625rem;line-height:1.85}
article .content>:first-child{margin-top:0}
article .content p,article .content ul,article .content ol,article .content dl,article .content figure,article .content table,article .content pre,article .content blockquote{margin:0 0 1.15em}
article .content h1,article .content h2,article .content h3,article .content h4,article .content h5,article .content h6{line-height:1.4;margin:1.8em 0 .6em}
article .content h1{font-size:1.4rem}
article .content h2{font-size:1.25rem}
article .content h3{font-size:1.1rem}
article .content h4,article .content h5,article .content h6{font-size:1rem}
article .content ul,article .content ol{padding-left:1.6em}
article .content img{display:block;max-width:100%;height:auto;margin:1.25rem auto;border-radius:4px}
article .content figure{margin-left:0;margin-right:0}
article .content figcaption{color:var(--muted);font-size:.875rem;text-align:center}
article .content blockquote{margin-left:0;margin-right:0;padding:.1rem 0 .1rem 1rem;border-left:3px solid var(--line);color:var(--muted)}
article .content pre{overflow:auto;padding:.75rem 1rem;background:var(--chip);border-radius:6px;font-size:.875rem;line-height:1.55}
article .content code,article .content kbd,article .content samp{font-family:${MONO};font-size:.9em}
article .content :not(pre)>code{background:var(--chip);padding:.1em .3em;border-radius:4px}
article .content table{display:block;max-width:100%;overflow-x:auto;border-collapse:collapse}
article .content td,article .content th{border:1px solid var(--line);padding:.3rem .6rem}
article .content hr{border:0;border-top:1px solid var(--line);margin:2rem 0}
article>footer{margin-top:2.5rem;padding-top:1.25rem;border-top:1px solid var(--line)}
article>footer h2{margin:0 0 .75rem;font-size:.9rem;color:var(--muted);font-weight:600}
@media (max-width:32rem){
body{font-size:16px}
h1{font-size:1.45rem}
ul.feeds{gap:.75rem}
ul.feeds li{grid-template-columns:minmax(0,1fr) auto;row-gap:.3rem}
ul.feeds input.copy{grid-column:1/-1;grid-row:2}
article .content{font-size:1.0625rem}
}
@media (min-width:48rem){ul.feedlist.columns{display:grid;grid-template-columns:1fr 1fr;column-gap:2.5rem}}
@media print{header.site,footer.site,.subscribe,button{display:none}a{color:inherit}}
`;

export const COPY_JS = `// Copy buttons: hidden in the HTML (a page works without this script: the
// feed URL sits in a read-only field to select and copy by hand), revealed here.
(function () {
  'use strict';
  function field(button) {
    var item = button.closest('li');
    return item && item.querySelector('input.copy');
  }
  function fallback(text, button) {
    // No async clipboard (plain http, older browsers): copy from the field, or
    // from a temporary one, with the selection.
    var input = field(button);
    var temporary = !input;
    if (temporary) {
      input = document.createElement('input');
      input.className = 'copy';
      input.readOnly = true;
      input.value = text;
      button.parentNode.insertBefore(input, button);
    }
    input.focus();
    input.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    if (temporary && ok) input.remove();
    return ok ? Promise.resolve() : Promise.reject(new Error('copy failed'));
  }
  function copy(text, button) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallback(text, button); });
    }
    return fallback(text, button);
  }
  document.querySelectorAll('input.copy').forEach(function (input) {
    input.addEventListener('focus', function () { input.select(); });
  });
  document.querySelectorAll('button.copy-button[data-copy]').forEach(function (button) {
    var label = button.textContent;
    var timer = 0;
    button.setAttribute('aria-live', 'polite');
    button.hidden = false;
    button.addEventListener('click', function () {
      copy(button.getAttribute('data-copy'), button).then(
        function () { button.textContent = '已复制 Copied'; button.classList.add('copied'); },
        function () { button.textContent = '请手动复制 Copy by hand'; }
      ).then(function () {
        clearTimeout(timer);
        timer = setTimeout(function () { button.textContent = label; button.classList.remove('copied'); }, 2500);
      });
    });
  });
})();
`;
