// The console's entry point: sign-in, the top bar, and a hash router over the pages.
// Pages are small modules with mount(container, me) that may return a cleanup function.

import {ApiError, api, get, put, seg, session, whenUnauthorized} from './js/api.js';
import {h, fill, say} from './js/dom.js';
import * as inbox from './js/inbox.js';
import * as routing from './js/routing.js';
import * as rules from './js/rules.js';
import * as decision from './js/decision.js';
import * as notifications from './js/notifications.js';
import * as users from './js/users.js';

const $ = (id) => document.getElementById(id);

/** Pages by the first part of the hash, with the kinds of token each is shown to (the API checks again). */
const PAGES = {
  inbox: {module: inbox, kinds: ['admin', 'user'], needs: 'the admin token or a user token'},
  routing: {module: routing, kinds: ['admin'], needs: 'the admin token'},
  users: {module: users, kinds: ['admin'], needs: 'the admin token'},
  rules: {module: rules, kinds: ['admin', 'analyst'], needs: 'the admin token or an analyst token'},
  notifications: {module: notifications, kinds: ['admin'], needs: 'the admin token'},
  decision: {module: decision, kinds: ['admin', 'user', 'analyst'], needs: 'the admin token, an analyst token or a user token'},
};

/** The page a token starts on: analysts work on the rules. */
const home = () => (me && me.kind === 'analyst' ? 'rules' : 'inbox');

let me = null;
let unmount = null;

async function start() {
  $('sign-in-form').addEventListener('submit', signIn);
  $('sign-out').addEventListener('click', () => signOut(''));
  $('availability').addEventListener('change', changeAvailability);
  window.addEventListener('hashchange', route);
  whenUnauthorized(() => signOut('The token was refused (revoked or renewed). Sign in again.'));

  if (!session.token()) return showSignIn('');
  try {
    me = await get('/me');
    await showConsole();
  } catch (e) {
    signOut(e instanceof ApiError && e.status === 401 ? 'The token was refused. Sign in again.' : e.message);
  }
}

async function signIn(event) {
  event.preventDefault();
  const token = $('token').value.trim();
  say($('sign-in-error'), '');
  if (!token) return say($('sign-in-error'), 'Enter a token.');
  try {
    const who = await api('GET', '/me', undefined, token);
    if (who.kind === 'integration') {
      return say($('sign-in-error'), 'This is an integration token: it may only send conversations. Use the admin token or a user token.');
    }
    session.signIn(token);
    $('token').value = '';
    me = who;
    if (!location.hash) location.hash = `#/${home()}`;
    await showConsole();
  } catch (e) {
    say($('sign-in-error'), e instanceof ApiError && e.status === 401 ? 'Unknown or revoked token.' : `Sign-in failed: ${e.message}`);
  }
}

function signOut(message) {
  session.signOut();
  me = null;
  showSignIn(message);
}

function showSignIn(message) {
  if (unmount) unmount();
  unmount = null;
  fill($('page'));
  $('nav').hidden = true;
  $('account').hidden = true;
  $('sign-in').hidden = false;
  say($('sign-in-error'), message);
  $('token').focus();
}

async function showConsole() {
  $('sign-in').hidden = true;
  $('nav').hidden = false;
  $('account').hidden = false;
  for (const link of document.querySelectorAll('#nav a[data-page]')) link.hidden = !PAGES[link.dataset.page].kinds.includes(me.kind);
  $('whoami').textContent = me.kind === 'admin' ? 'Admin' : me.kind === 'analyst' ? `${me.name} (analyst)` : `${me.name} (${me.userId})`;
  $('availability-control').hidden = me.kind !== 'user';
  if (me.kind === 'user') {
    const user = await get(`/users/${seg(me.userId)}`);
    $('availability').checked = user.available;
  }
  route();
}

async function changeAvailability(event) {
  const box = event.target;
  box.disabled = true;
  try {
    const user = await put(`/users/${seg(me.userId)}/availability`, {available: box.checked});
    box.checked = user.available;
    say($('availability-error'), '');
  } catch (e) {
    box.checked = !box.checked;
    say($('availability-error'), `Availability not changed: ${e.message}`);
  } finally {
    box.disabled = false;
  }
}

function route() {
  if (!me) return;
  const [name, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const page = PAGES[name] ?? PAGES[home()];
  if (unmount) unmount();
  unmount = null;
  for (const link of document.querySelectorAll('#nav a')) {
    if (link.dataset.page === (PAGES[name] ? name : home())) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  const container = fill($('page'));
  if (!page.kinds.includes(me.kind)) {
    container.appendChild(h('p', {class: 'notice', id: 'admin-only'}, `This page needs ${page.needs}.`));
    return;
  }
  unmount = page.module.mount(container, me, rest.map(decodeURIComponent)) ?? null;
}

start();
