// The agent inbox: pick an inbox and a view (Unassigned, Mine, All), open a conversation to read
// its messages, take or reassign it (only to the targets the manual-assignment rules allow),
// reply and close. The list is polled, so new conversations appear without a reload.

import {all, get, post, seg} from './api.js';
import {h, fill, say, when} from './dom.js';

const POLL_MS = 3000;
const CONTACT_MAX_AGE_MS = 60_000;
const STATE_KEY = 'convrouter.inbox';

/** #/inbox/<conversation id> opens that conversation (the link in R7 emails). */
export function mount(container, me, [conversationId] = []) {
  const page = new InboxPage(container, me, conversationId);
  page.start();
  return () => page.stop();
}

class InboxPage {
  constructor(container, me, conversationId) {
    this.container = container;
    this.me = me;
    const saved = JSON.parse(sessionStorage.getItem(STATE_KEY) ?? '{}');
    if (conversationId) saved.selectedId = conversationId;
    this.inboxId = saved.inboxId ?? '';
    this.view = saved.view ?? 'unassigned';
    if (me.kind !== 'user' && this.view === 'mine') this.view = 'unassigned';
    this.selectedId = saved.selectedId ?? null;
    this.contacts = new Map(); // contact id -> {at, contact: Promise of the contact (or null)}
    this.listGeneration = 0;
    this.listSignature = null;
    this.detailSignature = null;
    this.paneFor = null;
  }

  async start() {
    fill(this.container, h('p', {class: 'muted'}, 'Loading…'));
    try {
      const [inboxes, channels, users, teams] = await Promise.all([
        all('/inboxes'), all('/channels'), all('/users'), all('/teams')]);
      this.inboxes = inboxes;
      this.inboxNames = new Map(inboxes.map((i) => [i.id, i.name]));
      this.channels = new Map(channels.map((c) => [c.id, c]));
      this.users = new Map(users.map((u) => [u.id, u]));
      this.teams = new Map(teams.map((t) => [t.id, t]));
    } catch (e) {
      fill(this.container, h('p', {class: 'form-error', role: 'alert'}, `Could not load the inbox: ${e.message}`));
      return;
    }
    if (this.inboxId && !this.inboxNames.has(this.inboxId)) this.inboxId = '';
    this.build();
    await this.refreshList();
    if (this.selectedId) this.select(this.selectedId);
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  stop() {
    clearInterval(this.timer);
    this.stopped = true;
  }

  save() {
    sessionStorage.setItem(STATE_KEY, JSON.stringify({inboxId: this.inboxId, view: this.view, selectedId: this.selectedId}));
  }

  async poll() {
    if (this.stopped || document.hidden) return;
    await this.refreshList();
    if (this.selectedId) await this.loadDetail(false);
  }

  // --- the list ------------------------------------------------------------------------------

  build() {
    const views = [['unassigned', 'Unassigned'], ...(this.me.kind === 'user' ? [['mine', 'Mine']] : []), ['all', 'All']];
    this.inboxSelect = h('select', {id: 'inbox-select', onchange: () => this.changeInbox()},
      h('option', {value: ''}, this.me.kind === 'admin' ? 'All inboxes' : 'All my inboxes'),
      this.inboxes.map((i) => h('option', {value: i.id, selected: i.id === this.inboxId},
        i.teams ? `${i.name} (teams: ${i.teams.map((t) => this.teamName(t)).join(', ')})` : i.name)));
    this.tabs = h('div', {class: 'tabs', role: 'tablist', 'aria-label': 'Views'},
      views.map(([view, label]) => h('button', {
        type: 'button', role: 'tab', id: `view-${view}`, 'data-view': view,
        'aria-selected': String(view === this.view), onclick: () => this.changeView(view),
      }, label)));
    this.listStatus = h('p', {id: 'list-status', class: 'muted', role: 'status'});
    this.list = h('ul', {id: 'conversation-list', class: 'conv-list', 'aria-label': 'Conversations'});
    this.pane = h('article', {id: 'conversation-pane', class: 'pane', 'aria-live': 'polite'},
      h('p', {class: 'empty'}, 'Pick a conversation to read it.'));
    fill(this.container, h('section', {class: 'inbox-page'},
      h('aside', {class: 'list-pane'},
        h('div', {class: 'field'}, h('label', {for: 'inbox-select'}, 'Inbox'), this.inboxSelect),
        this.tabs, this.listStatus, this.list),
      this.pane));
  }

  changeInbox() {
    this.inboxId = this.inboxSelect.value;
    this.save();
    this.refreshList();
  }

  changeView(view) {
    this.view = view;
    for (const tab of this.tabs.children) tab.setAttribute('aria-selected', String(tab.dataset.view === view));
    this.save();
    this.refreshList();
  }

  async refreshList() {
    const generation = ++this.listGeneration;
    const params = new URLSearchParams({view: this.view, limit: '100'});
    if (this.view !== 'all') params.set('status', 'open');
    if (this.inboxId) params.set('inboxId', this.inboxId);
    let page;
    try {
      page = await get(`/conversations?${params}`);
    } catch (e) {
      if (generation === this.listGeneration) say(this.listStatus, `Could not load conversations: ${e.message}`);
      return;
    }
    if (generation !== this.listGeneration || this.stopped) return; // a newer request (another view) won
    const count = page.items.length;
    this.listStatus.textContent = `${count} conversation${count === 1 ? '' : 's'}${page.nextCursor ? ' (newest 100)' : ''} · updated ${new Date().toLocaleTimeString()}`;
    // Waiting times are shown to the minute, so the list is redrawn once a minute while any waits.
    const minute = page.items.some((c) => c.waitingSince) ? Math.floor(Date.now() / 60000) : 0;
    const signature = JSON.stringify([this.view, this.inboxId, minute,
      page.items.map((c) => [c.id, c.status, c.assignee, c.waitingSince ?? null])]);
    if (signature === this.listSignature) return;
    this.listSignature = signature;
    fill(this.list, count === 0
      ? h('li', {class: 'empty', id: 'list-empty'}, this.view === 'unassigned' ? 'Nothing waits here.' : 'No conversations.')
      : page.items.map((c) => this.listItem(c)));
  }

  listItem(c) {
    const contact = h('span', {class: 'conv-contact'}, c.contactId ? '…' : 'No contact');
    if (c.contactId) this.contact(c.contactId).then((k) => { contact.textContent = contactLabel(k, c.contactId); });
    const channel = this.channels.get(c.channelId);
    return h('li', {},
      h('button', {
        type: 'button', class: 'conv-item', 'data-test': 'conversation-item', 'data-id': c.id,
        'aria-current': c.id === this.selectedId ? 'true' : null, onclick: () => this.select(c.id),
      },
      contact,
      h('span', {class: 'conv-meta'}, `${channel ? channel.name : c.channelId} · ${when(c.createdAt)}`),
      h('span', {class: 'conv-assignee'},
        c.status === 'closed' ? h('span', {class: 'badge'}, 'closed') : null,
        c.assignee ? this.assigneeLabel(c.assignee) : h('span', {class: 'badge warn'}, 'unassigned'),
        c.waitingSince ? h('span', {class: 'badge wait', 'data-test': 'waiting', title: `waiting since ${when(c.waitingSince)}`},
          `waiting ${waited(c.waitingSince)}`) : null)));
  }

  /** A contact, fetched again once its copy is a minute old: names and emails are edited elsewhere. */
  contact(id) {
    const cached = this.contacts.get(id);
    if (cached && Date.now() - cached.at < CONTACT_MAX_AGE_MS) return cached.contact;
    const contact = get(`/contacts/${seg(id)}`).catch(() => cached?.contact ?? null);
    this.contacts.set(id, {at: Date.now(), contact});
    return contact;
  }

  // --- the conversation pane -----------------------------------------------------------------

  select(id) {
    this.selectedId = id;
    this.save();
    for (const item of this.list.querySelectorAll('.conv-item')) {
      if (item.dataset.id === id) item.setAttribute('aria-current', 'true');
      else item.removeAttribute('aria-current');
    }
    this.detailSignature = null;
    this.loadDetail(true);
  }

  /** Loads the selected conversation; redraws it when it changed (or when forced). */
  async loadDetail(force) {
    const id = this.selectedId;
    let conversation;
    try {
      conversation = await get(`/conversations/${seg(id)}`);
    } catch (e) {
      if (id !== this.selectedId) return;
      if (force) fill(this.pane, h('p', {class: 'form-error', role: 'alert'}, `Could not open ${id}: ${e.message}`));
      if (e.status === 404 || e.status === 403) { this.selectedId = null; this.save(); }
      return;
    }
    const signature = JSON.stringify([conversation.status, conversation.assignee, conversation.messageCount]);
    if (id !== this.selectedId || (!force && signature === this.detailSignature)) return;
    let targets = [];
    try {
      targets = (await get(`/conversations/${seg(id)}/assignment-targets`)).items
        .sort((a, b) => (a.name ?? a.id).localeCompare(b.name ?? b.id) || a.id.localeCompare(b.id));
    } catch (e) {
      targets = null; // shown as an error in the owner section
    }
    if (id !== this.selectedId || this.stopped) return;
    this.detailSignature = signature;
    // A refusal explains the last attempt; once the conversation itself changes (closed, replied to,
    // taken by someone else) it no longer applies.
    if (this.paneFor === id && signature !== this.shownSignature) say(this.el.ownerError, '');
    this.shownSignature = signature;
    if (this.paneFor !== id) this.buildPane(conversation);
    this.renderDetail(conversation, targets);
  }

  buildPane(c) {
    this.paneFor = c.id;
    const admin = this.me.kind === 'admin';
    this.el = {
      title: h('h2', {id: 'conv-title'}, c.contactId ? '…' : 'No contact'),
      meta: h('p', {id: 'conv-meta', class: 'muted'}),
      assignee: h('p', {id: 'assignee', 'data-test': 'assignee', class: 'assignee'}),
      ownerControls: h('div', {id: 'owner-controls', class: 'owner-controls'}),
      ownerError: h('p', {id: 'owner-error', class: 'form-error', role: 'alert', hidden: true}),
      decision: h('p', {id: 'decision-summary', 'data-test': 'decision-summary'}, 'Loading the routing decision…'),
      messages: h('ol', {id: 'messages', class: 'messages', 'aria-label': 'Messages'}),
      replyText: h('textarea', {id: 'reply-text', rows: 3, maxlength: 20000, required: true}),
      replyAs: admin ? h('select', {id: 'reply-as'}) : null,
      replySend: h('button', {type: 'submit', id: 'reply-send'}, 'Send reply'),
      close: h('button', {type: 'button', id: 'close-conversation', class: 'secondary', onclick: () => this.closeConversation()}, 'Close conversation'),
      replyError: h('p', {id: 'reply-error', class: 'form-error', role: 'alert', hidden: true}),
      replyHint: h('p', {id: 'reply-hint', class: 'hint'}, admin
        ? 'Replying to this unassigned conversation assigns it to the user who replies.'
        : 'Replying to this unassigned conversation assigns it to you.'),
    };
    const e = this.el;
    fill(this.pane,
      h('header', {class: 'pane-head'}, e.title, e.meta),
      h('section', {class: 'owner', 'aria-labelledby': 'owner-heading'},
        h('h3', {id: 'owner-heading'}, 'Owner'), e.assignee, e.ownerControls, e.ownerError),
      h('section', {class: 'decision-summary', 'aria-labelledby': 'decision-heading'},
        h('h3', {id: 'decision-heading'}, 'Routing decision'), e.decision,
        h('a', {href: `#/decision/${encodeURIComponent(c.id)}`, id: 'decision-link'}, 'Every candidate and the rules that fired')),
      h('section', {class: 'thread', 'aria-labelledby': 'messages-heading'},
        h('h3', {id: 'messages-heading'}, 'Messages'), e.messages),
      h('form', {id: 'reply-form', class: 'reply', onsubmit: (ev) => this.reply(ev)},
        h('label', {for: 'reply-text'}, 'Reply'), e.replyText,
        admin ? h('div', {class: 'field inline'}, h('label', {for: 'reply-as'}, 'Reply as'), e.replyAs) : null,
        e.replyHint,
        h('div', {class: 'actions'}, e.replySend, e.close),
        e.replyError));
    if (c.contactId) {
      this.contact(c.contactId).then((k) => {
        if (this.paneFor !== c.id) return;
        e.title.textContent = contactLabel(k, c.contactId);
        if (k?.email && k.email !== e.title.textContent) e.title.appendChild(h('small', {}, ` ${k.email}`));
        this.renderMessages(this.lastConversation, k);
      });
    }
    get(`/conversations/${seg(c.id)}/decision`)
      .then((d) => { if (this.paneFor === c.id) e.decision.textContent = d.summary; })
      .catch((err) => { if (this.paneFor === c.id) e.decision.textContent = `No decision: ${err.message}`; });
  }

  renderDetail(c, targets) {
    const e = this.el;
    this.lastConversation = c;
    const channel = this.channels.get(c.channelId);
    fill(e.meta,
      h('span', {class: c.status === 'open' ? 'badge ok' : 'badge'}, c.status), ' ',
      `${channel ? `${channel.name} (${channel.kind})` : c.channelId} · ${this.inboxNames.get(c.inboxId) ?? c.inboxId} · `,
      h('code', {}, c.id), ` · ${when(c.createdAt)}`);
    fill(e.assignee, c.assignee ? this.assigneeLabel(c.assignee) : h('span', {class: 'badge warn'}, 'Unassigned'));
    this.renderOwnerControls(c, targets);
    if (c.contactId) this.contact(c.contactId).then((k) => { if (this.paneFor === c.id) this.renderMessages(c, k); });
    else this.renderMessages(c, null);
    const open = c.status === 'open';
    e.replyText.disabled = !open;
    e.replySend.disabled = !open;
    e.close.disabled = !open;
    e.close.textContent = open ? 'Close conversation' : 'Closed';
    e.replyHint.hidden = !open || Boolean(c.assignee);
    if (e.replyAs) {
      const chosen = e.replyAs.value;
      const users = (targets ?? []).filter((t) => t.type === 'user' && t.allowed);
      // No user is preselected unless the conversation is theirs: a reply to an unassigned
      // conversation assigns it (M3), so the admin must choose who that is.
      fill(e.replyAs, h('option', {value: ''}, 'Choose who replies…'),
        users.map((t) => h('option', {value: t.id, selected: t.id === chosen || (!chosen && c.assignee?.type === 'user' && c.assignee.id === t.id)}, `${t.name} (${t.id})`)));
    }
  }

  /**
   * The conversation carries only its latest messages; earlier ones are loaded a page at a time
   * (oldest first, numbered from 0) and kept while they join up with the latest.
   */
  shownMessages(c) {
    const first = c.messageCount - c.messages.length;
    const e = this.earlier;
    if (!e || e.id !== c.id || e.from + e.items.length < first) {
      this.earlier = {id: c.id, from: first, items: []};
      return c.messages;
    }
    return e.items.slice(0, first - e.from).concat(c.messages);
  }

  async loadEarlier(c, contact) {
    const e = this.earlier;
    const from = Math.max(0, e.from - 100);
    try {
      const page = await get(`/conversations/${seg(c.id)}/messages?cursor=${from}&limit=${e.from - from}`);
      if (this.earlier !== e) return;
      this.earlier = {id: e.id, from, items: page.items.concat(e.items)};
    } catch (err) {
      say(this.el.replyError, `Could not load earlier messages: ${err.message}`);
    }
    this.renderMessages(c, contact);
  }

  renderMessages(c, contact) {
    if (!c) return;
    const shown = this.shownMessages(c);
    const hidden = c.messageCount - shown.length;
    fill(this.el.messages, hidden > 0 ? h('li', {class: 'earlier'},
      h('button', {type: 'button', id: 'earlier-messages', class: 'secondary', onclick: () => this.loadEarlier(c, contact)},
        `Show earlier messages (${hidden} more)`)) : null,
    shown.map((m) => h('li', {class: `message ${m.authorUserId ? 'from-agent' : 'from-contact'}`, 'data-test': 'message'},
      h('div', {class: 'message-meta'},
        h('span', {class: 'author'}, m.authorUserId ? this.userName(m.authorUserId) : contactLabel(contact, c.contactId ?? 'Contact')),
        ` · ${when(m.at)}`),
      m.subject ? h('div', {class: 'message-subject'}, m.subject) : null,
      h('p', {class: 'message-text', 'data-test': 'message-text'}, m.text))));
  }

  renderOwnerControls(c, targets) {
    // The owner error is not cleared here but by the next action or a change to the conversation
    // (loadDetail): a refused assignment redraws these controls, and its reason must stay on screen.
    const controls = fill(this.el.ownerControls);
    if (c.status !== 'open') {
      controls.appendChild(h('p', {class: 'muted'}, 'Closed conversations are not reassigned.'));
      return;
    }
    if (targets === null) {
      controls.appendChild(h('p', {class: 'form-error'}, 'Could not load who it may be assigned to.'));
      return;
    }
    const current = c.assignee;
    const isCurrent = (t) => current && t.type === current.type && t.id === current.id;
    if (this.me.kind === 'user' && !current) {
      const self = targets.find((t) => t.type === 'user' && t.id === this.me.userId);
      if (self?.allowed) {
        controls.appendChild(h('button', {type: 'button', id: 'take', onclick: () => this.assign({type: 'user', id: this.me.userId})}, 'Take it'));
      } else {
        controls.appendChild(h('p', {class: 'muted'}, `You cannot take it: ${self ? self.reasons.join('; ') : 'not a possible assignee'}.`));
      }
    } else if (this.me.kind === 'admin' || this.mayReassign(current)) {
      const allowed = targets.filter((t) => t.allowed && !isCurrent(t));
      const users = allowed.filter((t) => t.type === 'user');
      const teams = allowed.filter((t) => t.type === 'team');
      const select = h('select', {id: 'owner-select'},
        h('option', {value: ''}, allowed.length ? 'Choose a user or team…' : 'Nobody else is allowed'),
        users.length ? h('optgroup', {label: 'Users'}, users.map((t) => h('option', {value: `user:${t.id}`}, `${t.name ?? t.id} (${t.id})`))) : null,
        teams.length ? h('optgroup', {label: 'Teams'}, teams.map((t) => h('option', {value: `team:${t.id}`}, `${t.name ?? t.id} (team)`))) : null);
      const assign = h('button', {type: 'button', id: 'owner-assign', disabled: true, onclick: () => {
        const [type, ...rest] = select.value.split(':');
        if (type) this.assign({type, id: rest.join(':')});
      }}, current ? 'Reassign' : 'Assign');
      select.addEventListener('change', () => { assign.disabled = !select.value; });
      controls.append(h('div', {class: 'field inline'},
        h('label', {for: 'owner-select'}, current ? 'Reassign to' : 'Assign to'), select, assign));
    } else {
      controls.appendChild(h('p', {class: 'muted'}, 'Only its assignee or an admin can reassign it.'));
    }
    const refused = targets.filter((t) => !t.allowed);
    if (refused.length) {
      controls.appendChild(h('details', {id: 'owner-refused', class: 'refused'},
        h('summary', {}, `Not allowed here by the rules (${refused.length})`),
        h('ul', {}, refused.map((t) => h('li', {'data-test': 'refused-target'},
          `${t.name ?? t.id} (${t.type === 'team' ? 'team' : t.id}): ${t.reasons.join('; ')}`)))));
    }
  }

  /** M4: the assignee, or a member of the team it is assigned to, may reassign. */
  mayReassign(current) {
    if (!current) return false;
    if (current.type === 'user') return current.id === this.me.userId;
    const team = this.teams.get(current.id);
    return Boolean(team && [...team.primaryMembers, ...team.secondaryMembers].includes(this.me.userId));
  }

  async assign(target) {
    say(this.el.ownerError, '');
    for (const b of this.el.ownerControls.querySelectorAll('button')) b.disabled = true;
    try {
      await post(`/conversations/${seg(this.selectedId)}/assignment`, {assignee: target});
    } catch (e) {
      say(this.el.ownerError, e.message);
    }
    await this.afterAction();
  }

  async reply(event) {
    event.preventDefault();
    const e = this.el;
    say(e.replyError, '');
    say(e.ownerError, '');
    const text = e.replyText.value;
    if (!text.trim()) return say(e.replyError, 'Write a reply first.');
    const body = {text};
    if (e.replyAs) {
      if (!e.replyAs.value) return say(e.replyError, 'Choose who replies.');
      body.byUserId = e.replyAs.value;
    }
    e.replySend.disabled = true;
    try {
      await post(`/conversations/${seg(this.selectedId)}/replies`, body);
      e.replyText.value = '';
    } catch (err) {
      say(e.replyError, err.message);
    } finally {
      e.replySend.disabled = false;
    }
    await this.afterAction();
  }

  async closeConversation() {
    say(this.el.replyError, '');
    say(this.el.ownerError, '');
    try {
      await post(`/conversations/${seg(this.selectedId)}/close`);
    } catch (err) {
      say(this.el.replyError, err.message);
    }
    await this.afterAction();
  }

  async afterAction() {
    this.detailSignature = null;
    await Promise.all([this.loadDetail(true), this.refreshList()]);
  }

  // --- names ---------------------------------------------------------------------------------

  userName(id) {
    return this.users.get(id)?.name ?? id;
  }

  teamName(id) {
    return this.teams.get(id)?.name ?? id;
  }

  assigneeLabel(a) {
    return a.type === 'team' ? `Team ${this.teamName(a.id)}` : this.userName(a.id) + (a.id === this.me.userId ? ' (you)' : '');
  }
}

function contactLabel(contact, fallback) {
  return contact?.name || contact?.email || fallback;
}

/** How long a conversation has waited in the queue (R10): "< 1 min", "12 min", "3 h 5 min". */
function waited(since) {
  const minutes = Math.max(0, Math.floor((Date.now() - new Date(since).getTime()) / 60000));
  if (minutes < 1) return '< 1 min';
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}
