// What the page keeps in localStorage: the session (so it survives a reload) and, per user,
// the joined rooms, the open room, the last seq seen per room (unread counts) and unsent messages.

const SESSION = 'jchat.session';

function read(key, fallback) {
  try {
    const raw = localStorage.getItem(key);
    return raw === null ? fallback : JSON.parse(raw);
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    // storage full or disabled: the page still works, it only forgets more on reload
  }
}

/** The saved session {token, userId, expiresAt}, or null when there is none or it expired. */
export function loadSession() {
  const s = read(SESSION, null);
  if (!s || typeof s.token !== 'string' || typeof s.userId !== 'string') return null;
  if (typeof s.expiresAt === 'number' && s.expiresAt <= Date.now()) return null;
  return s;
}

export function saveSession(session) {
  write(SESSION, session);
}

export function clearSession() {
  localStorage.removeItem(SESSION);
}

/** One user's remembered state. */
export class UserStorage {
  constructor(userId) {
    this.prefix = 'jchat.user.' + userId + '.';
    this.seen = read(this.prefix + 'seen', {});
  }

  joinedRooms() {
    return read(this.prefix + 'joined', []);
  }

  saveJoinedRooms(ids) {
    write(this.prefix + 'joined', ids);
  }

  currentRoom() {
    return read(this.prefix + 'current', null);
  }

  saveCurrentRoom(id) {
    write(this.prefix + 'current', id);
  }

  /** The last seq this browser showed of a room, or undefined. */
  lastSeen(roomId) {
    return this.seen[roomId];
  }

  markSeen(roomId, seq) {
    if ((this.seen[roomId] ?? 0) >= seq) return false;
    this.seen[roomId] = seq;
    write(this.prefix + 'seen', this.seen);
    return true;
  }

  /** Messages typed but not acknowledged: [{ref, room, text}]. */
  unsent() {
    return read(this.prefix + 'unsent', []);
  }

  saveUnsent(list) {
    write(this.prefix + 'unsent', list);
  }
}
