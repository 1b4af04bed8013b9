// A routing decision (R9): the summary, every candidate with eligible and reasons, the rules that
// fired. Shown on its own page (#/decision/<conversation id>) and on the rules page.

import {all, get, seg} from './api.js';
import {h, fill, when} from './dom.js';

const STRATEGIES = {
  no_strategy_rule: 'none: no strategy rule fired',
  unassigned: 'left unassigned (automatic assignment is off, or a rule said so)',
  random: 'random eligible user',
  least_busy: 'least busy eligible user',
  contact_owner: 'contact owner',
  fallback_user: 'fallback user',
  direct: 'named by a rule',
};

/** Loads the decision of a conversation into the element; names maps user ids to names. */
export async function showDecision(el, conversationId) {
  fill(el, h('p', {class: 'muted'}, 'Loading the decision…'));
  try {
    const [decision, users] = await Promise.all([
      get(`/conversations/${seg(conversationId)}/decision`),
      all('/users').catch(() => []),
    ]);
    const names = new Map(users.map((u) => [u.id, u.name]));
    fill(el, render(decision, names));
  } catch (e) {
    fill(el, h('p', {class: 'form-error', role: 'alert', id: 'decision-error'}, e.message));
  }
}

export function render(decision, names) {
  const who = (id) => (names.get(id) ? `${names.get(id)} (${id})` : id);
  return h('div', {class: 'decision', 'data-test': 'decision'},
    h('p', {class: 'summary', id: 'decision-summary-text'}, decision.summary),
    h('dl', {class: 'facts'},
      h('dt', {}, 'Strategy'), h('dd', {id: 'decision-strategy'}, STRATEGIES[decision.strategy] ?? decision.strategy),
      h('dt', {}, 'Assignee'), h('dd', {id: 'decision-assignee'}, decision.assignee ? who(decision.assignee.id) : 'none (unassigned)'),
      h('dt', {}, 'Rule set version'), h('dd', {}, h('code', {}, decision.ruleSetVersion)),
      h('dt', {}, 'Decided'), h('dd', {}, `${when(decision.decidedAt)} in ${decision.tookMicros} µs`)),
    h('h4', {}, `Candidates (${decision.candidates.length})`),
    decision.candidates.length === 0
      ? h('p', {class: 'muted'}, 'No candidates: the settings point at nobody.')
      : h('table', {id: 'decision-candidates', class: 'grid'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'User'), h('th', {scope: 'col'}, 'Role'),
          h('th', {scope: 'col'}, 'Eligible'), h('th', {scope: 'col'}, 'Reasons'))),
        h('tbody', {}, decision.candidates.map((c) =>
          h('tr', {'data-test': 'candidate', 'data-user-id': c.userId, class: c.eligible ? 'eligible' : 'excluded'},
            h('td', {}, who(c.userId)),
            h('td', {}, c.role),
            h('td', {}, h('span', {class: c.eligible ? 'badge ok' : 'badge no'}, c.eligible ? 'eligible' : 'not eligible')),
            h('td', {}, c.reasons.length ? c.reasons.join('; ') : '—'))))),
    h('h4', {}, `Rules that fired (${decision.firedRules.length})`),
    decision.firedRules.length === 0
      ? h('p', {class: 'muted'}, 'No rule fired.')
      : h('ol', {id: 'decision-fired', class: 'fired'}, decision.firedRules.map((r) => h('li', {'data-test': 'fired-rule'}, r))),
    decision.notifications.length === 0 ? null : [
      h('h4', {}, 'Notifications'),
      h('ul', {id: 'decision-notifications'}, decision.notifications.map((n) =>
        h('li', {}, `${n.channel} to ${who(n.userId)} <${n.address}>: ${n.subject}`))),
    ]);
}

/** The page #/decision/<conversation id>. */
export function mount(container, me, [conversationId]) {
  const body = h('div', {id: 'decision-view'});
  container.appendChild(h('section', {class: 'panel page-decision'},
    h('p', {}, h('a', {href: '#/inbox'}, '← Back to the inbox')),
    h('h1', {}, 'Routing decision for conversation ', h('code', {}, conversationId ?? '')),
    body));
  if (conversationId) showDecision(body, conversationId);
  else fill(body, h('p', {class: 'form-error'}, 'No conversation named.'));
}
