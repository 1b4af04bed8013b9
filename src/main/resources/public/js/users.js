// Users (admin): each user's seat, availability, open chats and chat capacity (R11). The capacity
// is the most open chat-kind conversations automatic routing gives the user; empty means no limit.
// Lowering or raising it takes effect for the next routing decision, and a raise routes waiting
// chats again (R10).

import {all, patch, seg} from './api.js';
import {h, fill, say} from './dom.js';

export function mount(container) {
  const page = new UsersPage(container);
  page.start();
}

class UsersPage {
  constructor(container) {
    this.container = container;
  }

  async start() {
    fill(this.container, h('p', {class: 'muted'}, 'Loading…'));
    let users;
    try {
      users = await all('/users');
    } catch (e) {
      fill(this.container, h('p', {class: 'form-error', role: 'alert'}, `Could not load users: ${e.message}`));
      return;
    }
    fill(this.container, h('section', {class: 'panel users-page'},
      h('h1', {}, 'Users'),
      h('p', {class: 'hint'}, 'Chat capacity: the most open chat, bot and Messenger conversations automatic routing '
        + 'gives a user. Leave it empty for no limit. A user at capacity is skipped, "at capacity (N open chats)".'),
      users.length === 0 ? h('p', {class: 'muted'}, 'No users yet.')
        : h('table', {id: 'user-list', class: 'users'},
          h('thead', {}, h('tr', {}, ['User', 'Seat', 'Available', 'Open chats', 'Chat capacity', ''].map((t) => h('th', {}, t)))),
          h('tbody', {}, users.map((u) => this.row(u))))));
  }

  row(u) {
    const input = h('input', {
      type: 'number', min: '1', step: '1', id: `capacity-${u.id}`, 'data-test': 'chat-capacity',
      'aria-label': `Chat capacity of ${u.name}`, value: u.chatCapacity == null ? '' : String(u.chatCapacity),
      placeholder: 'no limit',
    });
    const status = h('span', {class: 'muted', role: 'status'});
    const error = h('span', {class: 'form-error', role: 'alert', hidden: true});
    const save = h('button', {type: 'button', class: 'secondary', onclick: () => this.save(u, input, status, error)}, 'Save');
    return h('tr', {'data-id': u.id},
      h('td', {}, `${u.name} `, h('span', {class: 'muted'}, `(${u.id})${u.active ? '' : ', deactivated'}`)),
      h('td', {}, u.seat),
      h('td', {}, u.available ? 'yes' : 'no'),
      h('td', {class: 'open-chats'}, String(u.openChats)),
      h('td', {}, input, ' ', error),
      h('td', {}, save, ' ', status));
  }

  async save(u, input, status, error) {
    const raw = input.value.trim();
    const capacity = raw === '' ? null : Number(raw);
    if (capacity !== null && (!Number.isInteger(capacity) || capacity < 1)) {
      say(error, 'a whole number of at least 1, or empty for no limit');
      return;
    }
    say(error, '');
    try {
      const saved = await patch(`/users/${seg(u.id)}`, {chatCapacity: capacity});
      input.value = saved.chatCapacity == null ? '' : String(saved.chatCapacity);
      status.textContent = 'saved';
    } catch (e) {
      say(error, e.message);
      status.textContent = '';
    }
  }
}
