// Charts drawn as inline SVG by the page's own code (no library, no CDN). Each chart is an image
// with a text alternative and comes with its data as a table for screen readers and keyboards.
import { h } from './dom.js';

const NS = 'http://www.w3.org/2000/svg';

function s(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v !== undefined && v !== null) el.setAttribute(k, String(v));
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

function svgRoot(width, height, label) {
  return s('svg', { xmlns: NS, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label, class: 'chart', preserveAspectRatio: 'xMidYMid meet' }, s('title', {}, label));
}

/** Horizontal bars: one per item, its label on the left and its value at the end. */
export function barChart(items, label) {
  const rowHeight = 28;
  const labelWidth = 220;
  const width = 640;
  const height = Math.max(1, items.length) * rowHeight + 10;
  const max = Math.max(1, ...items.map((i) => i.value));
  const svg = svgRoot(width, height, label);
  items.forEach((item, i) => {
    const y = 5 + i * rowHeight;
    const w = Math.max(2, ((width - labelWidth - 60) * item.value) / max);
    svg.append(
      s('text', { x: labelWidth - 8, y: y + 18, 'text-anchor': 'end', class: 'chart-label' }, item.label.length > 28 ? `${item.label.slice(0, 27)}…` : item.label),
      s('rect', { x: labelWidth, y: y + 4, width: w, height: rowHeight - 10, class: 'bar' }),
      s('text', { x: labelWidth + w + 6, y: y + 18, class: 'chart-value' }, String(item.value)),
    );
  });
  return svg;
}

/**
 * Lines over time: one per series, on a common vertical scale, with the first and last dates under
 * the axis and a legend. `points` are {at, values: {series: n}}.
 */
export function lineChart(points, series, label, formatAt) {
  const width = 640;
  const height = 260;
  const pad = { left: 50, right: 16, top: 16, bottom: 60 };
  const svg = svgRoot(width, height, label);
  const max = Math.max(1, ...points.flatMap((p) => series.map((x) => p.values[x.key] ?? 0)));
  const innerW = width - pad.left - pad.right;
  const innerH = height - pad.top - pad.bottom;
  const xOf = (i) => pad.left + (points.length === 1 ? innerW / 2 : (innerW * i) / (points.length - 1));
  const yOf = (v) => pad.top + innerH - (innerH * v) / max;
  svg.append(
    s('line', { x1: pad.left, y1: pad.top + innerH, x2: pad.left + innerW, y2: pad.top + innerH, class: 'axis' }),
    s('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: pad.top + innerH, class: 'axis' }),
    s('text', { x: pad.left - 6, y: pad.top + 10, 'text-anchor': 'end', class: 'chart-value' }, String(max)),
    s('text', { x: pad.left - 6, y: pad.top + innerH, 'text-anchor': 'end', class: 'chart-value' }, '0'),
  );
  if (points.length > 0) {
    svg.append(s('text', { x: pad.left, y: pad.top + innerH + 18, class: 'chart-label' }, formatAt(points[0].at)));
    if (points.length > 1) svg.append(s('text', { x: pad.left + innerW, y: pad.top + innerH + 18, 'text-anchor': 'end', class: 'chart-label' }, formatAt(points[points.length - 1].at)));
  }
  series.forEach((x, si) => {
    const coords = points.map((p, i) => `${xOf(i).toFixed(1)},${yOf(p.values[x.key] ?? 0).toFixed(1)}`);
    svg.append(s('polyline', { points: coords.join(' '), class: `series series-${si}` }));
    points.forEach((p, i) => svg.append(s('circle', { cx: xOf(i), cy: yOf(p.values[x.key] ?? 0), r: 3, class: `dot series-${si}` })));
    const lx = pad.left + (si % 4) * 150;
    const ly = height - 24 + Math.floor(si / 4) * 16;
    svg.append(s('rect', { x: lx, y: ly - 9, width: 12, height: 4, class: `legend series-${si}` }), s('text', { x: lx + 16, y: ly, class: 'chart-label' }, x.label));
  });
  return svg;
}

/** A chart in a figure with its caption. */
export function figure(svg, caption, dataTable) {
  return h('figure', { class: 'chart-figure' }, svg, h('figcaption', {}, caption), dataTable);
}
