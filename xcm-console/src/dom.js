// Building the page without innerHTML: every text from the cluster goes in as a text node, so a
// host or domain name can never become markup (and the CSP forbids inline script and style).

/**
 * h('button', {type: 'button', 'data-action': 'drain', onclick: f}, 'Drain') -> <button>.
 * Props: class, text, on<event> (listeners), hidden, anything else as an attribute.
 * Children: nodes or strings (strings become text nodes); null/false are skipped.
 */
export function h(tag, props, ...children) {
  const element = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value == null || value === false) continue;
      if (key === 'class') element.className = value;
      else if (key === 'text') element.textContent = value;
      else if (key === 'hidden') element.hidden = true;
      else if (key.startsWith('on') && typeof value === 'function') {
        element.addEventListener(key.slice(2), value);
      } else element.setAttribute(key, value === true ? '' : String(value));
    }
  }
  for (const child of children.flat()) {
    if (child == null || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/** Sets an element's text only when it changed (no layout work for 1,000 unchanged cells). */
export function setText(element, text) {
  const value = String(text);
  if (element.textContent !== value) element.textContent = value;
}

/** A bar of a fraction 0..1 (memory, CPU): <span class="bar"><span class="fill"></span></span>. */
export function bar() {
  return h('span', { class: 'bar', 'aria-hidden': 'true' }, h('span', { class: 'fill' }));
}

/** Sets a bar's fill; the width goes through the CSSOM, which the CSP allows. */
export function setBar(element, fraction) {
  const f = Number.isFinite(fraction) ? Math.min(1, Math.max(0, fraction)) : 0;
  const width = `${(f * 100).toFixed(1)}%`;
  const fill = element.firstChild;
  if (fill.style.width !== width) fill.style.width = width;
  element.classList.toggle('warn', f >= 0.75 && f < 0.9);
  element.classList.toggle('hot', f >= 0.9);
}

/** A bar with its text beside it, e.g. memory "12.0 of 32.0 GiB". */
export function meter() {
  return h('span', { class: 'meter' }, bar(), h('span', { class: 'meter-text' }));
}

export function setMeter(element, fraction, text) {
  setBar(element.firstChild, fraction);
  setText(element.lastChild, text);
}

/** A CSS class for a state name from the cluster: only letters and _ survive. */
export function stateClass(state) {
  return `state state-${String(state).toLowerCase().replace(/[^a-z_]/g, '')}`;
}

/** A state badge whose text is exactly the state (tests read it). */
export function setState(element, state, title) {
  setText(element, state);
  const cls = stateClass(state);
  if (element.className !== cls) element.className = cls;
  if (title) element.title = title;
  else element.removeAttribute('title');
}

/** "#/host/<name>", the name encoded so that any character stays in the fragment. */
export function hostHref(name) {
  return `#/host/${encodeURIComponent(name)}`;
}
