// Routing settings per channel (admin): the automatic-assignment switch, Assign to (specific users
// and teams, or the contact owner with a fallback user for chat channels), and "only assign to
// available users". One PUT saves everything or nothing; the 422 details of a refusal (R2:
// {field, id, message}) are shown next to the field they name.

import {all, get, put, seg} from './api.js';
import {h, fill, say, when} from './dom.js';

const PAID = new Set(['sales', 'service']);
const CHAT_KINDS = new Set(['chat', 'bot', 'messenger']);
const NO_SEAT = 'no paid seat: automatic routing needs a sales or service seat';

export function mount(container, me, [channelId]) {
  const page = new RoutingPage(container, channelId);
  page.start();
}

class RoutingPage {
  constructor(container, channelId) {
    this.container = container;
    this.channelId = channelId ?? sessionStorage.getItem('convrouter.routing.channel') ?? '';
  }

  async start() {
    fill(this.container, h('p', {class: 'muted'}, 'Loading…'));
    try {
      const [channels, inboxes, users, teams] = await Promise.all([all('/channels'), all('/inboxes'), all('/users'), all('/teams')]);
      this.channels = channels;
      this.inboxNames = new Map(inboxes.map((i) => [i.id, i.name]));
      this.users = users;
      this.teams = teams;
    } catch (e) {
      fill(this.container, h('p', {class: 'form-error', role: 'alert'}, `Could not load: ${e.message}`));
      return;
    }
    if (!this.channels.some((c) => c.id === this.channelId)) this.channelId = this.channels[0]?.id ?? '';
    this.channelSelect = h('select', {id: 'channel-select', onchange: () => this.changeChannel()},
      this.channels.map((c) => h('option', {value: c.id, selected: c.id === this.channelId},
        `${c.name} (${c.kind}) · ${this.inboxNames.get(c.inboxId) ?? c.inboxId}`)));
    this.formHolder = h('div', {id: 'routing-form-holder'});
    fill(this.container, h('section', {class: 'panel routing-page'},
      h('h1', {}, 'Routing settings'),
      this.channels.length === 0
        ? h('p', {class: 'muted'}, 'No channels yet: create one with POST /api/v1/channels.')
        : h('div', {class: 'field'}, h('label', {for: 'channel-select'}, 'Channel'), this.channelSelect),
      this.formHolder));
    if (this.channelId) await this.load();
  }

  async changeChannel() {
    this.channelId = this.channelSelect.value;
    sessionStorage.setItem('convrouter.routing.channel', this.channelId);
    await this.load();
  }

  async load() {
    const channelId = this.channelId;
    fill(this.formHolder, h('p', {class: 'muted'}, 'Loading…'));
    try {
      const settings = await get(`/channels/${seg(channelId)}/routing`);
      if (channelId === this.channelId) this.render(this.channels.find((c) => c.id === channelId), settings);
    } catch (e) {
      fill(this.formHolder, h('p', {class: 'form-error', role: 'alert'}, `Could not load the settings: ${e.message}`));
    }
  }

  render(channel, settings) {
    const chosenUsers = new Set(settings.assignTo.users);
    const chosenTeams = new Set(settings.assignTo.teams);
    const byOwner = settings.assignTo.type === 'contact_owner';
    // Chat kinds (R4, R6) are chat, bot and Messenger; only live chat itself has a fallback (R8).
    const chatKind = CHAT_KINDS.has(channel.kind);
    const liveChat = channel.kind === 'chat';
    const errorFor = (key) => h('p', {class: 'field-error', role: 'alert', 'data-error-for': key, hidden: true});

    const f = this.f = {
      autoAssign: h('input', {type: 'checkbox', id: 'auto-assign', role: 'switch', checked: settings.autoAssign}),
      typeUsers: h('input', {type: 'radio', name: 'assign-to', id: 'assign-to-users', value: 'users_and_teams', checked: !byOwner}),
      typeOwner: h('input', {type: 'radio', name: 'assign-to', id: 'assign-to-owner', value: 'contact_owner', checked: byOwner}),
      onlyAvailable: h('input', {type: 'checkbox', id: 'only-available', checked: settings.onlyAvailable}),
      fallback: h('select', {id: 'fallback-user', 'aria-describedby': 'fallback-hint'},
        h('option', {value: ''}, 'None: leave it unassigned'),
        this.users.map((u) => {
          const paid = PAID.has(u.seat);
          const chosen = settings.assignTo.fallbackUser === u.id;
          return h('option', {value: u.id, selected: chosen, disabled: !paid && !chosen},
            `${u.name} (${u.id})${paid ? '' : ` — ${NO_SEAT}`}${u.active ? '' : ' — deactivated'}`);
        })),
      save: h('button', {type: 'submit', id: 'routing-save'}, 'Save'),
      status: h('span', {id: 'routing-status', role: 'status', class: 'muted'}),
      error: h('div', {id: 'routing-error', class: 'form-error', role: 'alert', hidden: true}),
    };

    const userRows = this.users.map((u) => {
      const paid = PAID.has(u.seat);
      const chosen = chosenUsers.has(u.id);
      // A seatless user is not selectable; one saved before losing the seat stays ticked so it can be removed.
      return h('li', {'data-test': 'user-option', 'data-user-id': u.id, class: paid ? '' : 'unavailable'},
        h('label', {},
          h('input', {type: 'checkbox', name: 'users', value: u.id, id: `user-${u.id}`, checked: chosen,
            disabled: !paid && !chosen, 'aria-describedby': paid ? null : `user-${u.id}-reason`}),
          ` ${u.name} `, h('span', {class: 'muted'}, `(${u.id}, ${u.seat === 'none' ? 'no' : u.seat} seat${u.available ? ', available' : ''}${u.active ? '' : ', deactivated'})`)),
        paid ? null : h('span', {class: 'reason', id: `user-${u.id}-reason`}, chosen ? `${NO_SEAT} — untick to save` : NO_SEAT),
        errorFor(`user:${u.id}`));
    });
    const teamRows = this.teams.map((t) => h('li', {'data-test': 'team-option', 'data-team-id': t.id},
      h('label', {},
        h('input', {type: 'checkbox', name: 'teams', value: t.id, id: `team-${t.id}`, checked: chosenTeams.has(t.id)}),
        ` ${t.name} `, h('span', {class: 'muted'}, `(primary: ${t.primaryMembers.join(', ') || 'none'})`)),
      errorFor(`team:${t.id}`)));

    const usersAndTeams = h('div', {id: 'users-and-teams', class: 'sub'},
      h('p', {class: 'hint'}, chatKind
        ? 'Chat kinds go to the least busy eligible user (R4).'
        : 'Email kinds go to an eligible user at random (R3).',
      ' Only primary members of a selected team are routed automatically.'),
      h('div', {class: 'pickers'},
        h('fieldset', {id: 'users-field'}, h('legend', {}, 'Users'),
          this.users.length ? h('ul', {class: 'picker'}, userRows) : h('p', {class: 'muted'}, 'No users yet.')),
        h('fieldset', {id: 'teams-field'}, h('legend', {}, 'Teams'),
          this.teams.length ? h('ul', {class: 'picker'}, teamRows) : h('p', {class: 'muted'}, 'No teams yet.'))));
    const contactOwner = h('div', {id: 'contact-owner', class: 'sub'},
      h('p', {class: 'hint'}, 'The contact\'s owner gets it when they have a paid seat and access to the inbox'
        + (chatKind ? ', and the contact is tracked by cookie (R6).' : ' (R6).')),
      liveChat
        ? h('div', {class: 'field'},
          h('label', {for: 'fallback-user'}, 'Fallback user'), f.fallback,
          h('p', {class: 'hint', id: 'fallback-hint'}, 'Gets the chat when the owner cannot (R8). Users without a paid seat cannot be chosen.'),
          errorFor('fallbackUser'))
        : h('p', {class: 'hint'}, `Only live chat channels have a fallback user; on this ${channel.kind} channel a conversation the owner cannot take stays unassigned.`));
    const showType = () => {
      usersAndTeams.hidden = !f.typeUsers.checked;
      contactOwner.hidden = !f.typeOwner.checked;
    };
    f.typeUsers.addEventListener('change', showType);
    f.typeOwner.addEventListener('change', showType);
    showType();

    this.form = h('form', {id: 'routing-form', novalidate: true, onsubmit: (ev) => this.save(ev)},
      h('fieldset', {}, h('legend', {}, 'Automatic assignment'),
        h('label', {class: 'switch'}, f.autoAssign, ' Assign new conversations automatically'),
        h('p', {class: 'hint'}, 'Off: new conversations wait in the inbox\'s Unassigned view (R0).')),
      h('fieldset', {id: 'assign-to-field'}, h('legend', {}, 'Assign to'),
        h('div', {class: 'choices'},
          h('label', {}, f.typeUsers, ' Specific users and teams'),
          h('label', {}, f.typeOwner, ' Contact owner')),
        usersAndTeams, contactOwner),
      h('fieldset', {}, h('legend', {}, 'Availability'),
        h('label', {}, f.onlyAvailable, ' Only assign to available users'),
        h('p', {class: 'hint'}, 'On by default. A contact owner who is away still gets the conversation, with an email (R7).')),
      f.error,
      h('div', {class: 'actions'}, f.save, f.status));
    fill(this.formHolder, this.form);
  }

  body() {
    const f = this.f;
    const ticked = (name) => [...this.form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
    const assignTo = f.typeOwner.checked
      ? {type: 'contact_owner', fallbackUser: f.fallback.value || null}
      : {type: 'users_and_teams', users: ticked('users'), teams: ticked('teams')};
    return {autoAssign: f.autoAssign.checked, assignTo, onlyAvailable: f.onlyAvailable.checked};
  }

  async save(event) {
    event.preventDefault();
    const f = this.f;
    this.clearErrors();
    f.save.disabled = true;
    f.status.textContent = 'Saving…';
    const channelId = this.channelId;
    try {
      const saved = await put(`/channels/${seg(channelId)}/routing`, this.body());
      if (channelId !== this.channelId) return;
      this.render(this.channels.find((c) => c.id === channelId), saved);
      this.f.status.textContent = `Saved at ${when(new Date().toISOString())}.`;
    } catch (e) {
      f.status.textContent = '';
      this.showErrors(e);
    } finally {
      f.save.disabled = false;
    }
  }

  clearErrors() {
    for (const el of this.form.querySelectorAll('.field-error')) say(el, '');
    for (const el of this.form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
    say(this.f.error, '');
  }

  /** Puts each refusal next to the user, team or fallback field it names; the rest above Save. */
  showErrors(e) {
    const general = [];
    const details = e.details.filter((d) => d && typeof d === 'object' && d.field);
    for (const d of details) {
      const key = d.field.startsWith('assignTo.users') ? `user:${d.id}`
        : d.field.startsWith('assignTo.teams') ? `team:${d.id}`
          : d.field === 'assignTo.fallbackUser' ? 'fallbackUser' : null;
      const slot = key && this.form.querySelector(`[data-error-for="${CSS.escape(key)}"]`);
      if (slot && !slot.parentElement.closest('[hidden]')) {
        say(slot, d.message);
        const input = key === 'fallbackUser' ? this.f.fallback : this.form.querySelector(`#${CSS.escape(key.replace(':', '-'))}`);
        input?.setAttribute('aria-invalid', 'true');
      } else {
        general.push(`${d.field}: ${d.message}`);
      }
    }
    if (details.length === 0) general.push(e.message);
    fill(this.f.error,
      h('strong', {}, `Nothing was saved${details.length ? ` (${details.length} problem${details.length === 1 ? '' : 's'})` : ''}.`),
      general.length ? h('ul', {}, general.map((g) => h('li', {}, g))) : ' See the marked fields.');
    this.f.error.hidden = false;
  }
}
