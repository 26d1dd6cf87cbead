// Small DOM helpers: every text goes in as a text node (never as HTML), so no value from the API
// can become markup.

/** Makes an element: h('a', { href: '/' }, 'text', child). `on*` attributes are listeners. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'dataset') Object.assign(el.dataset, value);
    else if (value === true) el.setAttribute(name, '');
    else el.setAttribute(name, String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

/**
 * A table inside a horizontally scrolling, keyboard-focusable region. `hideCaption` keeps the
 * caption for screen readers when a heading just above already shows the same words.
 */
export function table(caption, headers, rows, options = {}) {
  const t = h('table', { class: options.class },
    h('caption', { class: options.hideCaption ? 'visually-hidden' : undefined }, caption),
    h('thead', {}, h('tr', {}, headers.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell, i) => (i === 0 && options.rowHeader ? h('th', { scope: 'row' }, cell) : h('td', {}, cell)))))),
  );
  return h('div', { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': caption }, t);
}

/** A labelled field: the label is tied to the control by its id. */
export function field(id, label, control, hint) {
  control.id = id;
  if (hint) control.setAttribute('aria-describedby', `${id}-hint`);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hint ? h('p', { class: 'hint', id: `${id}-hint` }, hint) : null);
}
