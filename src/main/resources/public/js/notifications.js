// Notifications (admin): the R7 emails with their delivery state (pending, sent, failed, with the
// latest error), newest first, and the registered webhooks. Mail is sent by every instance's
// outbox sender; this page only shows what the database says.

import {all, get, seg} from './api.js';
import {h, fill, when} from './dom.js';

const BADGE = {sent: 'badge ok', failed: 'badge no', pending: 'badge warn'};

export function mount(container) {
  const page = new NotificationsPage(container);
  page.start();
}

class NotificationsPage {
  constructor(container) {
    this.container = container;
    this.rows = h('tbody', {id: 'notification-rows'});
    this.more = h('button', {type: 'button', id: 'notifications-more', class: 'secondary', hidden: true,
      onclick: () => this.load()}, 'Show older');
    this.cursor = null;
  }

  async start() {
    fill(this.container,
      h('h1', {}, 'Notifications'),
      h('p', {class: 'muted'}, 'Emails to away contact owners (R7). Each is retried with backoff until the mail server takes it, '
        + 'and marked failed after the last try.'),
      h('p', {id: 'mail-health', class: 'muted'}),
      h('table', {id: 'notifications', class: 'grid'},
        h('thead', {}, h('tr', {},
          ['Conversation', 'To', 'Subject', 'Status', 'Tries', 'Last error', 'Sent'].map((t) => h('th', {scope: 'col'}, t)))),
        this.rows),
      this.more,
      h('h2', {}, 'Webhooks'),
      h('div', {id: 'webhooks'}, h('p', {class: 'muted'}, 'Loading…')));
    this.showHealth();
    await this.load();
    await this.showWebhooks();
  }

  async showHealth() {
    try {
      const health = await fetch('/health', {cache: 'no-store'}).then((r) => r.json());
      const text = {ok: 'Mail: working.', unconfigured: 'Mail: no mail server is configured (ROUTER_SMTP_URL); emails wait.',
        failing: 'Mail: the latest try to send failed.'}[health.mail] ?? '';
      fill(this.container.querySelector('#mail-health'), text);
    } catch {
      // the list below says enough
    }
  }

  async load() {
    try {
      const page = await get(`/notifications?limit=50${this.cursor ? `&cursor=${seg(this.cursor)}` : ''}`);
      if (!this.cursor && page.items.length === 0) {
        this.rows.appendChild(h('tr', {}, h('td', {colspan: 7, class: 'muted'}, 'No emails yet.')));
      }
      for (const n of page.items) {
        this.rows.appendChild(h('tr', {'data-test': 'notification', 'data-id': n.id},
          h('td', {}, h('a', {href: `#/inbox/${seg(n.conversationId)}`}, n.conversationId)),
          h('td', {}, n.to ?? '—'),
          h('td', {}, n.subject ?? ''),
          h('td', {}, h('span', {class: BADGE[n.status] ?? 'badge', 'data-test': 'status'}, n.status)),
          h('td', {}, n.attempts),
          h('td', {}, n.lastError ?? '—'),
          h('td', {}, n.sentAt ? when(n.sentAt) : '—')));
      }
      this.cursor = page.nextCursor;
      this.more.hidden = !this.cursor;
    } catch (e) {
      this.container.appendChild(h('p', {class: 'form-error', role: 'alert'}, `Could not load the notifications: ${e.message}`));
    }
  }

  async showWebhooks() {
    const holder = this.container.querySelector('#webhooks');
    try {
      const hooks = await all('/webhooks');
      fill(holder, hooks.length === 0
        ? h('p', {class: 'muted'}, 'No webhooks. Register one with POST /api/v1/webhooks.')
        : h('table', {class: 'grid', id: 'webhook-list'},
          h('thead', {}, h('tr', {}, h('th', {scope: 'col'}, 'URL'), h('th', {scope: 'col'}, 'Events'))),
          h('tbody', {}, hooks.map((w) => h('tr', {'data-test': 'webhook'}, h('td', {}, w.url), h('td', {}, w.events.join(', ')))))));
    } catch (e) {
      fill(holder, h('p', {class: 'form-error', role: 'alert'}, `Could not load the webhooks: ${e.message}`));
    }
  }
}
