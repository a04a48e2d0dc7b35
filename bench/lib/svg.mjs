// Hand-written SVG bar charts (no dependency): a title and a description for screen readers, every bar labelled
// with its value in text, a white background so the chart reads the same on dark pages.

const esc = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

/**
 * A horizontal bar chart. `groups`: `[{ label, bars: [{ value, text, tone }] }]`, `tone` 0 (strong) or 1 (light),
 * 2 and 3 the same in grey (a reference, not one of the things compared); `legend`: `[{ tone, text }]`. Bars of one
 * group share a row block; all share one scale starting at 0.
 */
export function barChart({ id, title, desc, groups, legend = [], markers = [], note = '' }) {
  const width = 720;
  // Wide enough for the longest group label (about 7.5 px a character, bold 13 px).
  const labelW = Math.max(110, ...groups.map((g) => 20 + Math.ceil(g.label.length * 7.5)));
  const valueW = 300;
  const barH = 22;
  const gap = 6;
  const groupGap = 16;
  const top = 48 + (legend.length ? 24 : 0) + markers.length * 13;
  const plotW = width - labelW - valueW - 24;
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map((b) => b.value ?? 0)), ...markers.map((m) => m.value));
  const tones = ['#1f5f99', '#8db7dd', '#5f5f5f', '#bdbdbd'];
  const parts = [];
  let y = top;
  for (const g of groups) {
    const blockH = g.bars.length * barH + (g.bars.length - 1) * gap;
    parts.push(
      `<text x="${labelW - 10}" y="${y + blockH / 2}" text-anchor="end" dominant-baseline="middle" font-weight="600">${esc(g.label)}</text>`,
    );
    for (const b of g.bars) {
      const w = b.value == null ? 0 : Math.max(2, (b.value / max) * plotW);
      if (b.value == null) {
        parts.push(`<text x="${labelW}" y="${y + barH / 2}" dominant-baseline="middle" fill="#555">${esc(b.text)}</text>`);
      } else {
        parts.push(`<rect x="${labelW}" y="${y}" width="${w.toFixed(1)}" height="${barH}" rx="3" fill="${tones[b.tone ?? 0]}"/>`);
        parts.push(`<text x="${(labelW + w + 8).toFixed(1)}" y="${y + barH / 2}" dominant-baseline="middle">${esc(b.text)}</text>`);
      }
      y += barH + gap;
    }
    y += groupGap - gap;
  }
  const legendSvg = legend
    .map((l, i) => {
      const x = labelW + i * 200;
      return `<rect x="${x}" y="40" width="14" height="14" rx="2" fill="${tones[l.tone]}"/><text x="${x + 20}" y="47" dominant-baseline="middle">${esc(l.text)}</text>`;
    })
    .join('\n  ');
  // Reference lines (a budget, a target), dashed, labelled above the plot.
  for (const [i, m] of markers.entries()) {
    const x = (labelW + (m.value / max) * plotW).toFixed(1);
    parts.push(`<line x1="${x}" y1="${top - 6}" x2="${x}" y2="${y - groupGap + gap}" stroke="#b3261e" stroke-width="1.5" stroke-dasharray="4 3"/>`);
    parts.push(`<text x="${x}" y="${top - 10 - i * 13}" text-anchor="middle" font-size="11" fill="#b3261e">${esc(m.text)}</text>`);
  }
  const height = y + (note ? 26 : 8);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13" fill="#111">
  <title id="${id}-title">${esc(title)}</title>
  <desc id="${id}-desc">${esc(desc)}</desc>
  <rect width="100%" height="100%" fill="#fff"/>
  <text x="12" y="24" font-size="15" font-weight="700">${esc(title)}</text>
  ${legendSvg}
  ${parts.join('\n  ')}
  ${note ? `<text x="12" y="${height - 10}" font-size="11" fill="#555">${esc(note)}</text>` : ''}
</svg>
`;
}
