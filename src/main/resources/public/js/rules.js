// The rules page (admin, analyst): the active rule set and its files, the last reload's result with
// file:line errors or the failing scenario, the version history, and a decision view for any
// conversation. The state is polled, so a file saved in the rules folder shows up by itself.

import {ApiError, get, post} from './api.js';
import {h, fill, say, when} from './dom.js';
import {showDecision} from './decision.js';

const POLL_MS = 5000;

export function mount(container) {
  const page = new RulesPage(container);
  page.start();
  return () => page.stop();
}

class RulesPage {
  constructor(container) {
    this.container = container;
    this.signature = null;
  }

  start() {
    this.active = h('div', {id: 'rules-active'}, h('p', {class: 'muted'}, 'Loading…'));
    this.lastReload = h('div', {id: 'rules-last-reload'});
    this.history = h('div', {id: 'rules-history'});
    this.reloadButton = h('button', {type: 'button', id: 'rules-reload', onclick: () => this.reload()}, 'Reload the rules folder now');
    this.reloadStatus = h('p', {id: 'rules-reload-status', role: 'status', class: 'muted', hidden: true});
    this.lookup = h('input', {id: 'decision-conversation', required: true, maxlength: 64, autocomplete: 'off', placeholder: 'e.g. c2'});
    this.decision = h('div', {id: 'decision-view'});
    fill(this.container,
      h('h1', {class: 'page-title'}, 'Rules'),
      h('div', {class: 'rules-page'},
        h('section', {class: 'panel', 'aria-labelledby': 'active-heading'},
          h('h2', {id: 'active-heading'}, 'Active rule set'), this.active),
        h('section', {class: 'panel', 'aria-labelledby': 'reload-heading'},
          h('h2', {id: 'reload-heading'}, 'Last reload'), this.lastReload,
          h('div', {class: 'actions'}, this.reloadButton), this.reloadStatus,
          h('p', {class: 'hint'}, 'Saving a file in the rules folder reloads it within about a second. '
            + 'A rule set that does not compile, or fails a scenario, never goes live: the previous version stays active.')),
        h('section', {class: 'panel', 'aria-labelledby': 'history-heading'},
          h('h2', {id: 'history-heading'}, 'Version history'), this.history),
        h('section', {class: 'panel wide', 'aria-labelledby': 'lookup-heading'},
          h('h2', {id: 'lookup-heading'}, 'Decision for a conversation'),
          h('form', {id: 'decision-form', class: 'field inline', onsubmit: (e) => this.showDecision(e)},
            h('label', {for: 'decision-conversation'}, 'Conversation id'), this.lookup,
            h('button', {type: 'submit', id: 'decision-show'}, 'Show decision')),
          this.decision)));
    this.refresh();
    this.timer = setInterval(() => this.refresh(), POLL_MS);
  }

  stop() {
    clearInterval(this.timer);
  }

  async refresh() {
    try {
      const [state, history] = await Promise.all([get('/rules'), get('/rules/history?limit=20')]);
      const signature = JSON.stringify([state, history]);
      if (signature === this.signature) return;
      this.signature = signature;
      this.render(state, history.items);
    } catch (e) {
      fill(this.active, h('p', {class: 'form-error', role: 'alert'}, `Could not load the rules: ${e.message}`));
    }
  }

  render(state, history) {
    fill(this.active,
      h('dl', {class: 'facts'},
        h('dt', {}, 'Version'), h('dd', {}, h('code', {id: 'rules-version'}, state.version)),
        h('dt', {}, 'Activated'), h('dd', {}, when(state.activatedAt))),
      h('table', {id: 'rules-files', class: 'grid'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'File'), h('th', {scope: 'col'}, 'SHA-256'))),
        h('tbody', {}, state.files.map((f) => h('tr', {'data-test': 'rule-file'},
          h('td', {}, h('code', {}, f.name)), h('td', {}, h('code', {title: f.sha256}, f.sha256.slice(0, 16))))))));

    const last = state.lastReload;
    const ok = last.status === 'ok';
    fill(this.lastReload,
      h('p', {id: 'reload-status', 'data-status': last.status},
        h('span', {class: ok ? 'badge ok' : 'badge no'}, ok ? 'ok' : 'failed'),
        ` ${when(last.at)}${last.triggeredBy ? ` · ${last.triggeredBy}` : ''}`),
      ok ? null : h('p', {}, `Version ${state.version} stays active. Fix these and save again:`),
      last.errors.length === 0 ? null : h('ul', {id: 'reload-errors', class: 'errors'},
        last.errors.map((e) => h('li', {'data-test': 'reload-error'},
          h('code', {class: 'where'}, e.line > 0 ? `${e.file}:${e.line}:${e.column}` : e.file), ' ', e.message))));

    // Newest first; a version can come back (a change undone), and only its latest activation is live.
    const activeRow = history.findIndex((a) => a.version === state.version);
    fill(this.history, history.length === 0 ? h('p', {class: 'muted'}, 'No versions yet.') :
      h('table', {id: 'rules-history-table', class: 'grid'},
        h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'Version'), h('th', {scope: 'col'}, 'Went live'),
          h('th', {scope: 'col'}, 'Triggered by'), h('th', {scope: 'col'}, 'Files'))),
        h('tbody', {}, history.map((a, i) => h('tr', {'data-test': 'rule-version', class: i === activeRow ? 'current' : ''},
          h('td', {}, h('code', {}, a.version), i === activeRow ? ' (active)' : ''),
          h('td', {}, when(a.activatedAt)),
          h('td', {}, a.triggeredBy ?? ''),
          h('td', {}, String(a.files.length)))))));
  }

  async reload() {
    this.reloadButton.disabled = true;
    say(this.reloadStatus, 'Reloading…');
    try {
      const state = await post('/rules/reload');
      say(this.reloadStatus, `Reloaded: version ${state.version} is active.`);
    } catch (e) {
      say(this.reloadStatus, e instanceof ApiError && e.status === 422
        ? `Refused: ${e.details.length} problem${e.details.length === 1 ? '' : 's'}; the previous version stays active.`
        : `Reload failed: ${e.message}`);
    } finally {
      this.reloadButton.disabled = false;
    }
    this.signature = null;
    await this.refresh();
  }

  showDecision(event) {
    event.preventDefault();
    const id = this.lookup.value.trim();
    if (id) showDecision(this.decision, id);
  }
}
