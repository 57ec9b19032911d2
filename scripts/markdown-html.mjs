// A small GitHub-flavoured Markdown to HTML renderer, enough for our job summaries: headings,
// paragraphs, pipe tables (with `\|` escapes), task lists, fenced code, raw HTML lines such as
// <details>, and inline **bold**, `code` and [links](url). For previews only (no sanitising: the
// input is our own summary). GitHub's styles are approximated so a screenshot looks like the page.
const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

function inline(text) {
  const parts = text.split(/(`[^`]*`)/)
  return parts
    .map((p) =>
      p.startsWith('`') && p.endsWith('`') && p.length > 1
        ? `<code>${esc(p.slice(1, -1))}</code>`
        : // Raw inline HTML (<code>, <br>) is passed through, as GitHub does for these tags.
          p
            .split(/(<\/?(?:code|br|b|strong|em|sub|sup)\s*\/?>)/)
            .map((q, i) =>
              i % 2
                ? q
                : esc(q)
                    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
                    .replace(/\[([^\]]+)\]\(([^)\s]+)\)/g, '<a href="$2">$1</a>'),
            )
            .join(''),
    )
    .join('')
}

function cells(line) {
  const body = line.trim().replace(/^\|/, '').replace(/\|$/, '')
  const out = []
  let cur = ''
  for (let i = 0; i < body.length; i++) {
    if (body[i] === '\\' && body[i + 1] === '|') {
      cur += '|'
      i++
    } else if (body[i] === '|') {
      out.push(cur.trim())
      cur = ''
    } else cur += body[i]
  }
  out.push(cur.trim())
  return out
}

export function renderMarkdown(md) {
  const lines = md.split('\n')
  const html = []
  let para = []
  const flush = () => {
    if (para.length) html.push(`<p>${para.map(inline).join('<br>\n')}</p>`)
    para = []
  }
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    const fence = line.match(/^```(\w*)/)
    if (fence) {
      flush()
      const code = []
      while (++i < lines.length && !lines[i].startsWith('```')) code.push(lines[i])
      html.push(`<pre lang="${fence[1]}"><code>${esc(code.join('\n'))}</code></pre>`)
      continue
    }
    if (/^\s*$/.test(line)) {
      flush()
      continue
    }
    const h = line.match(/^(#{1,6})\s+(.*)$/)
    if (h) {
      flush()
      html.push(`<h${h[1].length}>${inline(h[2])}</h${h[1].length}>`)
      continue
    }
    if (/^\s*<\/?(details|summary|div|table|p)\b/i.test(line)) {
      flush()
      html.push(line)
      continue
    }
    if (line.trim().startsWith('|') && /^\s*\|?\s*:?-{3,}/.test(lines[i + 1] ?? '')) {
      flush()
      const head = cells(line)
      i++
      const rows = []
      while (i + 1 < lines.length && lines[i + 1].trim().startsWith('|')) rows.push(cells(lines[++i]))
      html.push(
        `<table><thead><tr>${head.map((c) => `<th>${inline(c)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((r) => `<tr>${r.map((c) => `<td>${inline(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`,
      )
      continue
    }
    if (/^\s*[-*]\s+/.test(line)) {
      flush()
      const items = []
      i--
      while (i + 1 < lines.length && /^\s*[-*]\s+/.test(lines[i + 1])) {
        const text = lines[++i].replace(/^\s*[-*]\s+/, '')
        const task = text.match(/^\[([ xX])\]\s+(.*)$/)
        items.push(
          task
            ? `<li class="task"><input type="checkbox" disabled${task[1] === ' ' ? '' : ' checked'}> ${inline(task[2])}</li>`
            : `<li>${inline(text)}</li>`,
        )
      }
      html.push(`<ul>${items.join('')}</ul>`)
      continue
    }
    para.push(line)
  }
  flush()
  return html.join('\n')
}

const STYLE = `
body{font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans",Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#1f2328;background:#f6f8fa;margin:0}
.frame{max-width:1180px;margin:16px auto;background:#fff;border:1px solid #d1d9e0;border-radius:6px}
.frame>header{padding:12px 16px;border-bottom:1px solid #d1d9e0;font-weight:600}
.markdown-body{padding:16px 24px}
h2{font-size:1.5em;border-bottom:1px solid #d1d9e0b3;padding-bottom:.3em;margin:.6em 0 16px}
h3{font-size:1.25em;margin:24px 0 16px}
table{border-collapse:collapse;display:block;width:max-content;max-width:100%;overflow:auto;margin:0 0 16px}
th,td{border:1px solid #d1d9e0;padding:6px 13px;vertical-align:top}
th{font-weight:600}tr:nth-child(2n){background:#f6f8fa}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:85%;background:#818b981f;padding:.2em .4em;border-radius:6px}
pre{background:#f6f8fa;padding:16px;border-radius:6px;overflow:auto;font-size:85%}pre code{background:none;padding:0}
details{margin:0 0 16px}summary{cursor:pointer}ul{padding-left:2em}li.task{list-style:none;margin-left:-1.4em}
`

/** A whole page: the summary inside a frame like GitHub's job-summary card. */
export function renderMarkdownPage(md, title) {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title><style>${STYLE}</style></head><body><div class="frame"><header>${esc(title)} summary</header><div class="markdown-body">\n${renderMarkdown(md)}\n</div></div></body></html>\n`
}
