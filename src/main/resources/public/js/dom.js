// Builds DOM nodes. Every string becomes a text node, so customer and user text is always shown
// as text: nothing from the API ever goes through innerHTML.

const PROPERTIES = new Set(['value', 'checked', 'disabled', 'selected', 'hidden', 'open']);

/**
 * h('button', {id: 'take', onclick: fn}, 'Take it') -> <button id="take">Take it</button>.
 * Attributes: 'class', 'dataset' (an object), on* (a listener), value/checked/disabled/selected/
 * hidden/open (set as properties); others are set with setAttribute. null, undefined and false
 * leave an attribute out. Children: nodes, strings, numbers, arrays of those; null is skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2), value);
    else if (PROPERTIES.has(key)) el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
}

/** Replaces the element's children with the given ones. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Sets an element's text (or hides it when the text is empty). */
export function say(el, text) {
  el.textContent = text ?? '';
  el.hidden = !text;
}

/** A short local date and time for an ISO timestamp. */
export function when(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  return d.toLocaleString(undefined, {year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit'});
}
