// Entry point: signing in and registering, then the chat. The session is kept in localStorage,
// so a reload goes straight back to the chat.

import * as api from './api.js';
import { Chat } from './chat.js';
import { USER_ID } from './format.js';
import { clearSession, loadSession, saveSession } from './storage.js';

const $ = (id) => document.getElementById(id);

let chat = null;
let registering = false;
let busy = false;

function showAuth(message = '') {
  $('chat-view').hidden = true;
  $('auth-view').hidden = false;
  $('auth-error').textContent = message;
  document.title = 'jchat: sign in';
  $('auth-user').focus();
}

function showChat(session) {
  $('auth-view').hidden = true;
  $('chat-view').hidden = false;
  document.title = 'jchat: ' + session.userId;
  chat = new Chat(session, (message) => {
    leaveChat();
    showAuth(message);
  });
  chat.start();
}

function leaveChat() {
  if (chat) chat.stop();
  chat = null;
  clearSession();
}

/** Registration needs the password twice: the "Repeat password" field exists only then. */
function setRegistering(on) {
  registering = on;
  const slot = $('auth-repeat-slot');
  $('sign-in').type = on ? 'button' : 'submit';
  $('register').type = on ? 'submit' : 'button';
  // the submit button is the default: Enter registers while registering, signs in otherwise
  $('auth-password').autocomplete = on ? 'new-password' : 'current-password';
  $('auth-intro').textContent = on
    ? 'Choose a user id and a password of 8 characters or more, then repeat the password.'
    : 'Sign in, or register a new account.';
  if (on && !$('auth-repeat')) {
    const field = document.createElement('div');
    field.className = 'field';
    const label = document.createElement('label');
    label.htmlFor = 'auth-repeat';
    label.textContent = 'Repeat password';
    const input = document.createElement('input');
    input.id = 'auth-repeat';
    input.type = 'password';
    input.autocomplete = 'new-password';
    field.append(label, input);
    slot.append(field);
  } else if (!on) {
    slot.replaceChildren();
  }
}

function fieldError(input, message) {
  $('auth-error').textContent = message;
  if (input) {
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
}

function clearErrors() {
  $('auth-error').textContent = '';
  for (const input of document.querySelectorAll('#auth-form input')) input.removeAttribute('aria-invalid');
}

async function submit(action) {
  if (busy) return;
  clearErrors();
  const userId = $('auth-user').value.trim();
  const password = $('auth-password').value;
  if (!userId) return fieldError($('auth-user'), 'Enter your user id.');
  if (!USER_ID.test(userId)) {
    return fieldError($('auth-user'), 'A user id is 1 to 32 letters, digits, _ . or -.');
  }
  if (!password) return fieldError($('auth-password'), 'Enter your password.');
  if (action === 'register') {
    if (password.length < 8) {
      return fieldError($('auth-password'), 'A password needs at least 8 characters.');
    }
    const repeat = $('auth-repeat');
    if (!repeat.value) return fieldError(repeat, 'Repeat the password.');
    if (repeat.value !== password) return fieldError(repeat, 'The passwords do not match.');
  }
  busy = true;
  $('auth-form').setAttribute('aria-busy', 'true');
  try {
    if (action === 'register') await api.register(userId, password);
    const session = await api.signIn(userId, password);
    saveSession({ token: session.token, userId: session.userId, expiresAt: session.expiresAt });
    $('auth-password').value = '';
    setRegistering(false);
    showChat(session);
  } catch (e) {
    fieldError(null, explain(e, action));
  } finally {
    busy = false;
    $('auth-form').removeAttribute('aria-busy');
  }
}

function explain(e, action) {
  const wait = e.retryAfterSeconds ? ' Try again in ' + e.retryAfterSeconds + ' s.' : ' Try again later.';
  if (e.code === 'network') return e.message;
  if (e.code === 'rate_limited') return 'Too many attempts.' + wait;
  if (action === 'register' && e.status === 409) return 'That user id is taken. Choose another one, or sign in.';
  if (e.status === 401) return 'Wrong user id or password.';
  const text = e.message || 'Something went wrong.';
  return text[0].toUpperCase() + text.slice(1) + (text.endsWith('.') ? '' : '.');
}

function boot() {
  $('auth-form').addEventListener('submit', (e) => {
    e.preventDefault();
    submit(registering ? 'register' : 'signin');
  });
  $('register').addEventListener('click', (e) => {
    if (registering) return; // it is the submit button now
    e.preventDefault();
    clearErrors();
    setRegistering(true);
    const empty = ['auth-user', 'auth-password', 'auth-repeat'].map($).find((i) => !i.value);
    (empty || $('auth-repeat')).focus();
  });
  $('sign-in').addEventListener('click', (e) => {
    if (!registering) return; // it is the submit button
    e.preventDefault();
    setRegistering(false);
    submit('signin');
  });
  $('sign-out').addEventListener('click', async () => {
    const token = chat ? chat.session.token : null;
    leaveChat();
    showAuth('You signed out.');
    if (token) {
      try {
        await api.signOut(token);
      } catch {
        // the session is forgotten here either way; it expires on the server
      }
    }
  });
  const session = loadSession();
  if (session) showChat(session);
  else showAuth();
}

boot();
