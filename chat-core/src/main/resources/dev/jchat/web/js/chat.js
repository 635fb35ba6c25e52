// The signed-in page: the protocol (join with since, send with ref, history, presence,
// membership) over a Connection, the rooms' state, and the views that show it.

import * as api from './api.js';
import { Connection } from './connection.js';
import { ROOM_ID, USER_ID, randomRef } from './format.js';
import { MessageView } from './message-view.js';
import { Room } from './room.js';
import { RoomList } from './room-list.js';
import { UserStorage } from './storage.js';

const $ = (id) => document.getElementById(id);
const MAX_TEXT = 4000;

export class Chat {
  /**
   * @param {object} session {token, userId, expiresAt}
   * @param {function(string)} onSessionEnded the server refused the session (expired, signed out
   *     elsewhere): the page goes back to signing in, with this message
   */
  constructor(session, onSessionEnded) {
    this.session = session;
    this.me = session.userId;
    this.onSessionEnded = onSessionEnded;
    this.store = new UserStorage(this.me);
    this.rooms = new Map();
    this.visible = []; // room ids from the server's list, sorted
    this.roomsLoaded = false;
    this.joined = new Set(this.store.joinedRooms());
    this.current = null;
    this.requests = new Map(); // ref of a join or history -> {kind, room}
    this.nextRequest = 1;
    this.countdown = null;
    this.lifetime = new AbortController(); // aborting it removes every listener of this chat
    const signal = this.lifetime.signal;
    for (const u of this.store.unsent()) {
      this.room(u.room).pending.set(u.ref, { ref: u.ref, text: u.text, state: 'pending', epoch: 0 });
    }
    this.view = new MessageView({
      signal,
      me: this.me,
      onNearTop: () => this.loadOlder(),
      onLoadOlder: () => this.loadOlder(),
      onAtBottom: () => this.markSeen(),
      onRetry: (ref) => this.retry(ref),
      onDiscard: (ref) => this.discard(ref),
    });
    this.roomList = new RoomList((id) => this.openRoom(id, true), signal);
    const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.connection = new Connection({
      url: scheme + '//' + location.host + '/ws',
      token: session.token,
      onWelcome: () => this.onWelcome(),
      onFrame: (f) => this.onFrame(f),
      onState: (state, detail) => this.onState(state, detail),
      onSessionEnded: (message) => this.endSession('Your session has ended (' + message + '). Sign in again.'),
    });
  }

  start() {
    $('me').textContent = this.me;
    this.on($('composer'), 'submit', (e) => {
      e.preventDefault();
      this.sendFromComposer();
    });
    this.on($('message'), 'keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        this.sendFromComposer();
      }
    });
    this.on($('message'), 'input', () => this.fitComposer());
    this.on($('leave-room'), 'click', () => this.leaveCurrent());
    this.on($('create-room'), 'submit', (e) => {
      e.preventDefault();
      this.createRoom();
    });
    this.on($('reconnect-now'), 'click', () => this.connection.reconnectNow());
    this.on(document, 'visibilitychange', () => this.markSeen());
    this.on(window, 'focus', () => this.markSeen());
    const fromHash = decodeHashRoom();
    const initial = fromHash ?? this.store.currentRoom();
    if (initial) this.openRoom(initial, false);
    this.renderRooms();
    this.connection.start();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.refreshTimer);
    this.lifetime.abort();
    this.connection.stop();
    clearInterval(this.countdown);
    this.view.clear();
    this.roomList.render([], null);
    $('banner').hidden = true;
  }

  on(target, type, fn) {
    target.addEventListener(type, fn, { signal: this.lifetime.signal });
  }

  room(id) {
    let r = this.rooms.get(id);
    if (!r) {
      r = new Room(id);
      this.rooms.set(id, r);
    }
    return r;
  }

  request(kind, room) {
    const ref = kind[0] + this.nextRequest++;
    this.requests.set(ref, { kind, room });
    return ref;
  }

  // ---- the connection ----

  onWelcome() {
    this.connection.send({ type: 'rooms', limit: 1000 });
    for (const id of this.joined) this.join(id);
    this.renderPending();
  }

  onState(state, detail) {
    document.body.dataset.connection = state;
    if (state !== 'online') {
      for (const r of this.rooms.values()) {
        r.live = false;
        r.joining = false;
        r.loadingOlder = false;
      }
      this.requests.clear();
    }
    clearInterval(this.countdown);
    const banner = $('banner');
    const text = $('banner-text');
    const button = $('reconnect-now');
    button.hidden = true;
    banner.hidden = false;
    if (state === 'online' || state === 'stopped') {
      banner.hidden = true;
    } else if (state === 'connecting') {
      text.textContent = this.everOnline ? 'Reconnecting\u2026' : 'Connecting\u2026';
    } else if (state === 'offline') {
      const tick = () => {
        const seconds = Math.max(1, Math.ceil((detail.retryAt - Date.now()) / 1000));
        text.textContent = 'Offline. Reconnecting in ' + seconds + ' s.';
      };
      tick();
      this.countdown = setInterval(tick, 1000);
      button.hidden = false;
    }
    if (state === 'online') this.everOnline = true;
    this.renderPending();
  }

  onFrame(f) {
    if (this.stopped) return undefined;
    switch (f.type) {
      case 'rooms': return this.onRooms(f);
      case 'joined': return this.onJoined(f);
      case 'message': return this.onMessage(f);
      case 'ack': return this.onAck(f);
      case 'history': return this.onHistory(f);
      case 'presence': return this.onPresence(f);
      case 'left': return this.onLeft(f);
      case 'membership': return this.onMembership(f);
      case 'error': return this.onError(f);
      default: return undefined; // newer servers may send more; ignore what we do not know
    }
  }

  onRooms(f) {
    const ids = [];
    for (const info of f.rooms) {
      this.room(info.roomId).info = info;
      ids.push(info.roomId);
    }
    this.visible = ids;
    if (!this.roomsLoaded) {
      this.roomsLoaded = true;
      if (this.current === null && ids.length > 0) {
        this.openRoom(ids.includes('general') ? 'general' : ids[0], false);
      }
    }
    this.renderRooms();
    if (this.current) this.renderHeader();
  }

  /** Asks for the room list again soon (member and online counts changed); at most once a second. */
  refreshRooms() {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = null;
      if (!this.stopped) this.connection.send({ type: 'rooms', limit: 1000 });
    }, 1000);
  }

  join(id) {
    const room = this.room(id);
    if (!this.connection.online || room.joining || room.live) return;
    room.joining = true;
    const frame = { type: 'join', room: id, ref: this.request('join', id) };
    if (room.cursor !== null) frame.since = room.cursor;
    room.joinSince = frame.since;
    this.connection.send(frame);
  }

  onJoined(f) {
    const room = this.room(f.room);
    const firstJoin = room.cursor === null;
    room.joining = false;
    room.live = true;
    room.online = new Set(f.online);
    if (room.joinSince !== undefined && !f.complete) room.clearMessages(); // a gap: start over
    const added = f.history.filter((m) => room.add(m));
    room.cursor = Math.max(room.cursor ?? 0, f.lastSeq);
    if (room.info) room.info.lastSeq = Math.max(room.info.lastSeq, f.lastSeq);
    if (this.current === room.id) {
      if (firstJoin) {
        const seen = this.store.lastSeen(room.id);
        room.dividerAfter = seen !== undefined && seen < f.lastSeq ? seen : null;
        this.view.show(room);
      } else {
        this.view.update(room, added);
      }
      this.renderHeader();
      this.fillPane(room);
      this.markSeen();
    }
    this.flush(room);
    this.renderRooms();
    this.refreshRooms(); // joining a public room makes us a member
  }

  onMessage(m) {
    const room = this.rooms.get(m.room);
    if (!room || !room.live) return;
    if (m.from === this.me) this.adoptPending(room, m);
    room.cursor = Math.max(room.cursor ?? 0, m.seq);
    if (!room.add(m)) return;
    if (this.current === room.id) {
      const away = document.hidden || !this.view.isAtBottom();
      if (away && room.dividerAfter === null && m.from !== this.me) room.dividerAfter = m.seq - 1;
      this.view.update(room, [m]);
      this.markSeen();
    }
    this.renderRooms();
  }

  /** Our own message arrived before its ack: the pending copy with the same text is this one. */
  adoptPending(room, m) {
    for (const p of room.pending.values()) {
      if (p.state === 'pending' && p.text === m.text) {
        room.pending.delete(p.ref);
        this.saveUnsent();
        this.view.renderPending(room);
        return;
      }
    }
  }

  onAck(f) {
    const room = this.rooms.get(f.room);
    const p = room && room.pending.get(f.ref);
    if (!p) return; // already shown through its message
    room.pending.delete(f.ref);
    this.saveUnsent();
    // The ack does not move the cursor: messages before it may still be on their way.
    const m = { type: 'message', room: f.room, seq: f.seq, from: this.me, text: p.text, ts: f.ts };
    const added = room.add(m);
    if (this.current === room.id) {
      if (added) this.view.update(room, [m]);
      this.view.renderPending(room);
      this.view.scrollToBottom();
      this.markSeen();
    }
    this.renderRooms();
  }

  onHistory(f) {
    const room = this.rooms.get(f.room);
    if (!room) return;
    room.loadingOlder = false;
    const added = f.messages.filter((m) => room.add(m));
    if (this.current === room.id) {
      if (added.length > 0) this.view.show(room, true);
      else this.view.renderTop(room);
      this.fillPane(room);
    }
  }

  onPresence(f) {
    const room = this.rooms.get(f.room);
    if (!room || !room.live) return;
    if (f.event === 'join') {
      room.online.add(f.userId);
      this.refreshRooms(); // perhaps a new member
    }
    else if (f.event === 'leave') room.online.delete(f.userId);
    if (f.userId !== this.me && (f.event === 'join' || f.event === 'leave')) {
      const notice = room.addNotice(f.userId + (f.event === 'join' ? ' joined' : ' left'));
      this.view.addNotice(room, notice);
    }
    if (this.current === room.id) this.renderOnline();
    this.renderRooms();
  }

  onLeft(f) {
    const room = this.rooms.get(f.room);
    if (!room) return;
    room.live = false;
    if (f.reason === 'removed') this.forget(room.id, 'You were removed from ' + room.id + '.');
  }

  onMembership(f) {
    this.connection.send({ type: 'rooms', limit: 1000 });
    const by = f.by ? f.by : 'someone';
    if (f.event === 'added') this.alert(by + ' added you to ' + f.room + '.');
    else if (f.event === 'removed') this.forget(f.room, 'You were removed from ' + f.room + ' by ' + by + '.');
  }

  onError(f) {
    const request = f.ref ? this.requests.get(f.ref) : undefined;
    if (request) {
      this.requests.delete(f.ref);
      const room = this.room(request.room);
      if (request.kind === 'join') {
        room.joining = false;
        if (f.code === 'not_found' || f.code === 'forbidden') {
          this.forget(room.id, 'Room ' + room.id + ' is not available: ' + f.message);
        } else {
          this.alert('Could not join ' + room.id + ': ' + f.message);
        }
      } else if (request.kind === 'history') {
        room.loadingOlder = false;
        this.view.renderTop(room);
      }
      return;
    }
    for (const room of this.rooms.values()) {
      const p = f.ref ? room.pending.get(f.ref) : undefined;
      if (p) {
        p.state = 'failed';
        p.error = f.message || f.code;
        this.saveUnsent();
        this.view.renderPending(room);
        return;
      }
    }
    this.alert(f.message || f.code);
  }

  // ---- what the user does ----

  openRoom(id, byUser) {
    if (!id) return;
    this.current = id;
    this.store.saveCurrentRoom(id);
    history.replaceState(null, '', '#room=' + encodeURIComponent(id));
    if (!this.joined.has(id)) {
      this.joined.add(id);
      this.saveJoined();
    }
    const room = this.room(id);
    const seen = this.store.lastSeen(id);
    room.dividerAfter = seen !== undefined && seen < room.lastSeq ? seen : null;
    this.alert('');
    this.view.show(room);
    this.renderHeader();
    this.renderOnline();
    this.renderRooms();
    $('message').disabled = false;
    if (room.live) {
      this.fillPane(room);
      this.markSeen();
    } else {
      this.join(id);
    }
    if (byUser && window.matchMedia('(min-width: 761px)').matches) $('message').focus();
  }

  leaveCurrent() {
    const id = this.current;
    if (!id) return;
    const room = this.room(id);
    if (room.live) this.connection.send({ type: 'leave', room: id, ref: this.request('leave', id) });
    room.live = false;
    this.joined.delete(id);
    this.saveJoined();
    this.current = null;
    const next = [...this.joined][0];
    if (next) {
      this.openRoom(next, false);
    } else {
      this.showNoRoom();
    }
    this.alert('You left ' + id + '.');
  }

  showNoRoom() {
    this.current = null;
    this.store.saveCurrentRoom(null);
    this.view.clear();
    $('room-title').textContent = 'No room open';
    $('room-meta').textContent = 'Pick a room from the list, or create one.';
    $('leave-room').hidden = true;
    $('message').disabled = true;
    this.renderOnline();
    this.renderRooms();
  }

  /** The room is gone for us (removed, deleted): drop it and open another. */
  forget(id, message) {
    const room = this.rooms.get(id);
    if (room) {
      room.live = false;
      room.clearMessages();
      room.cursor = null;
      room.pending.clear();
      this.saveUnsent();
    }
    this.joined.delete(id);
    this.saveJoined();
    this.visible = this.visible.filter((v) => v !== id);
    if (this.current === id) {
      const next = [...this.joined][0] ?? this.visible.find((v) => v === 'general');
      if (next) this.openRoom(next, false);
      else this.showNoRoom();
    }
    this.renderRooms();
    this.alert(message);
    this.connection.send({ type: 'rooms', limit: 1000 });
  }

  sendFromComposer() {
    const box = $('message');
    const text = box.value.trim();
    if (!text || !this.current) return;
    if ([...text].length > MAX_TEXT) {
      this.alert('A message is at most ' + MAX_TEXT + ' characters.');
      return;
    }
    box.value = '';
    this.fitComposer();
    const room = this.room(this.current);
    const ref = randomRef();
    room.pending.set(ref, { ref, text, state: 'pending', epoch: 0 });
    this.saveUnsent();
    this.view.renderPending(room);
    this.view.scrollToBottom();
    this.flush(room);
  }

  retry(ref) {
    for (const room of this.rooms.values()) {
      const p = room.pending.get(ref);
      if (!p) continue;
      p.state = 'pending';
      p.epoch = 0;
      this.saveUnsent();
      this.view.renderPending(room);
      this.flush(room);
    }
  }

  discard(ref) {
    for (const room of this.rooms.values()) {
      if (!room.pending.delete(ref)) continue;
      this.saveUnsent();
      this.view.renderPending(room);
    }
  }

  /** Sends what waits for an ack and has not gone out on this socket (same ref: stored once). */
  flush(room) {
    if (!this.connection.online || !room.live) return;
    for (const p of room.pending.values()) {
      if (p.state !== 'pending' || p.epoch === this.connection.epoch) continue;
      p.epoch = this.connection.epoch;
      this.connection.send({ type: 'send', room: room.id, text: p.text, ref: p.ref });
    }
  }

  loadOlder() {
    const room = this.current && this.rooms.get(this.current);
    if (!room || !room.live || room.loadingOlder || !room.hasOlder) return;
    room.loadingOlder = true;
    this.view.renderTop(room);
    this.connection.send({
      type: 'history', room: room.id, before: room.lowest, limit: 50,
      ref: this.request('history', room.id),
    });
  }

  /** Loads older messages while the pane is too short to scroll. */
  fillPane(room) {
    if (this.view.isUnderfilled()) this.loadOlder(room);
  }

  markSeen() {
    const room = this.current && this.rooms.get(this.current);
    if (!room || document.hidden || !this.view.isAtBottom() || room.highest === 0) return;
    if (this.store.markSeen(room.id, room.highest)) this.renderRooms();
  }

  async createRoom() {
    const idBox = $('new-room-id');
    const membersBox = $('new-room-members');
    const error = $('create-error');
    const roomId = idBox.value.trim();
    const members = membersBox.value.split(/[\s,]+/).filter((s) => s && s !== this.me);
    idBox.removeAttribute('aria-invalid');
    membersBox.removeAttribute('aria-invalid');
    if (!ROOM_ID.test(roomId)) {
      error.textContent = 'A room id is 1 to 64 letters, digits, spaces, _ . or -.';
      idBox.setAttribute('aria-invalid', 'true');
      idBox.focus();
      return;
    }
    const bad = members.find((m) => !USER_ID.test(m));
    if (bad) {
      error.textContent = '"' + bad + '" is not a user id.';
      membersBox.setAttribute('aria-invalid', 'true');
      membersBox.focus();
      return;
    }
    error.textContent = '';
    const button = $('create-room-button');
    button.disabled = true;
    try {
      await api.createRoom(this.session.token, roomId, $('new-room-private').checked, members);
      if (this.stopped) return;
      idBox.value = '';
      membersBox.value = '';
      $('new-room-private').checked = false;
      this.connection.send({ type: 'rooms', limit: 1000 });
      if (!this.visible.includes(roomId)) this.visible = [...this.visible, roomId].sort();
      this.openRoom(roomId, true);
    } catch (e) {
      if (e.status === 401) {
        this.endSession('Your session has ended. Sign in again.');
        return;
      }
      error.textContent = e.status === 409 ? 'A room with that id already exists.'
        : e.code === 'rate_limited' ? 'Too many new rooms. Try again in a minute.'
          : capitalise(e.message) + (e.status === 404 ? ' (check the member ids)' : '');
    } finally {
      button.disabled = false;
    }
  }

  endSession(message) {
    this.onSessionEnded(message);
  }

  // ---- rendering ----

  renderRooms() {
    const ids = [...new Set([...this.visible, ...[...this.joined].filter((id) => this.rooms.get(id)?.live)])];
    ids.sort();
    const rooms = ids.map((id) => {
      const r = this.room(id);
      const seen = this.store.lastSeen(id);
      return {
        id,
        name: r.info ? r.info.name : id,
        isPrivate: r.info ? r.info.private : false,
        online: r.live ? r.online.size : r.info ? r.info.online : 0,
        unread: seen === undefined || id === this.current && this.view.isAtBottom() && !document.hidden
          ? 0 : Math.max(0, r.lastSeq - seen),
        joined: this.joined.has(id),
      };
    });
    this.roomList.render(rooms, this.current);
  }

  renderHeader() {
    const room = this.room(this.current);
    $('room-title').textContent = room.id;
    const parts = [];
    if (room.info && room.info.name !== room.id) parts.push(room.info.name);
    if (room.info && room.info.private) parts.push('private');
    if (room.info) parts.push(room.info.members + (room.info.members === 1 ? ' member' : ' members'));
    $('room-meta').textContent = parts.join(' \u00B7 ');
    $('leave-room').hidden = false;
  }

  renderOnline() {
    const room = this.current && this.rooms.get(this.current);
    const users = room && room.live ? [...room.online].sort() : [];
    $('online-list').replaceChildren(...users.map((u) => {
      const li = document.createElement('li');
      li.className = 'dot';
      li.textContent = u === this.me ? u + ' (you)' : u;
      return li;
    }));
  }

  renderPending() {
    const room = this.current && this.rooms.get(this.current);
    if (room) this.view.renderPending(room, this.connection.online);
  }

  fitComposer() {
    const box = $('message');
    box.style.height = 'auto';
    box.style.height = Math.min(box.scrollHeight + 2, window.innerHeight * 0.4) + 'px';
  }

  alert(text) {
    $('chat-alert').textContent = text;
  }

  saveJoined() {
    this.store.saveJoinedRooms([...this.joined]);
  }

  saveUnsent() {
    const list = [];
    for (const room of this.rooms.values()) {
      for (const p of room.pending.values()) list.push({ ref: p.ref, room: room.id, text: p.text });
    }
    this.store.saveUnsent(list);
  }
}

function decodeHashRoom() {
  const m = /^#room=(.*)$/.exec(location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1]);
  } catch {
    return null;
  }
}

function capitalise(s) {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
