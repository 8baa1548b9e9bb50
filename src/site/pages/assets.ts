// The one stylesheet every page shares, and the one script (progressive: pages work
// without it; it only turns the "copy" buttons on). Both are served from 'self',
// which is all the worker's Content-Security-Policy allows.

export const STYLE_CSS = `:root{color-scheme:light dark;--fg:#1d1d1f;--bg:#fff;--muted:#6e6e73;--line:#d2d2d7;--link:#0a58ca;--chip:#f2f2f5}
@media (prefers-color-scheme:dark){:root{--fg:#e8e8ed;--bg:#161617;--muted:#a1a1a6;--line:#3a3a3c;--link:#6ea8fe;--chip:#2c2c2e}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:17px/1.7 system-ui,-apple-system,"PingFang SC","Hiragino Sans GB","Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei",sans-serif;overflow-wrap:anywhere}
a{color:var(--link)}
header.site,footer.site,main{max-width:46rem;margin:0 auto;padding:0 1rem}
header.site{display:flex;flex-wrap:wrap;gap:.5rem 1rem;justify-content:space-between;align-items:baseline;padding-top:1rem;padding-bottom:.5rem;border-bottom:1px solid var(--line)}
header.site .home{font-weight:700;text-decoration:none;color:var(--fg)}
header.site nav a{margin-left:.75rem}
footer.site{margin-top:3rem;padding-top:1rem;padding-bottom:2rem;border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
h1{font-size:1.6rem;line-height:1.35;margin:1.5rem 0 .5rem}
h2{font-size:1.25rem;margin:2rem 0 .5rem}
.meta{color:var(--muted);font-size:.9rem}
ul.articles{list-style:none;padding:0}
ul.articles li{padding:.6rem 0;border-bottom:1px solid var(--line)}
ul.articles .summary{margin:.2rem 0 0;color:var(--muted);font-size:.95rem}
ul.feeds{list-style:none;padding:0;display:grid;gap:.4rem}
ul.feeds li{display:flex;gap:.5rem;align-items:center;flex-wrap:wrap}
ul.feeds a{min-width:5.5rem}
input.copy{flex:1;min-width:12rem;font:inherit;font-size:.85rem;padding:.2rem .4rem;color:var(--fg);background:var(--chip);border:1px solid var(--line);border-radius:4px}
button.copy-button{font:inherit;font-size:.85rem;padding:.2rem .6rem;border:1px solid var(--line);border-radius:4px;background:var(--chip);color:var(--fg);cursor:pointer}
ul.tags{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:.4rem}
ul.tags li{background:var(--chip);border-radius:999px;padding:.1rem .7rem;font-size:.95rem}
ul.tags .count{color:var(--muted);font-size:.8rem;margin-left:.25rem}
ul.tags .formats{font-size:.8rem;margin-left:.35rem}
ul.tags .formats a{margin-left:.2rem}
article .content img{max-width:100%;height:auto}
article .content{margin-top:1.5rem}
article .content pre{overflow:auto}
article .content table{border-collapse:collapse;display:block;overflow:auto}
article .content td,article .content th{border:1px solid var(--line);padding:.3rem .5rem}
.notice{background:var(--chip);border-radius:6px;padding:.75rem 1rem}
`;

export const COPY_JS = `document.querySelectorAll('button.copy-button').forEach(function (b) {
  if (!navigator.clipboard) return;
  b.hidden = false;
  b.addEventListener('click', function () {
    navigator.clipboard.writeText(b.getAttribute('data-copy')).then(function () { b.textContent = '已复制 Copied'; });
  });
});
`;
