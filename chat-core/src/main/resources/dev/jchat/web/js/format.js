// Small pure helpers: times, days, colours, ids. No DOM state.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dayFormat = new Intl.DateTimeFormat(undefined, {
  weekday: 'long', year: 'numeric', month: 'long', day: 'numeric',
});
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

/** The local time of day of an epoch-millisecond timestamp, like "14:03". */
export function timeOfDay(ts) {
  return timeFormat.format(new Date(ts));
}

/** The full local date and time, for a tooltip. */
export function fullTime(ts) {
  return fullFormat.format(new Date(ts));
}

/** A key that is equal for two timestamps on the same local day. */
export function dayKey(ts) {
  const d = new Date(ts);
  return d.getFullYear() * 10000 + (d.getMonth() + 1) * 100 + d.getDate();
}

/** "Today", "Yesterday" or the local date. */
export function dayLabel(ts, now = Date.now()) {
  if (dayKey(ts) === dayKey(now)) return 'Today';
  const yesterday = new Date(now);
  yesterday.setDate(yesterday.getDate() - 1);
  if (dayKey(ts) === dayKey(yesterday.getTime())) return 'Yesterday';
  return dayFormat.format(new Date(ts));
}

/** One of ten colour classes (c0 to c9), the same for a user id everywhere (FNV-1a). */
export function colourClass(userId) {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) {
    h ^= userId.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return 'c' + (h % 10);
}

/** A random id for a message's ref: 128 bits in hex (also outside secure contexts). */
export function randomRef() {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** The contract's user id rule. */
export const USER_ID = /^[A-Za-z0-9_.-]{1,32}$/;

/** The contract's room id rule: no leading or trailing space. */
export const ROOM_ID = /^[A-Za-z0-9_.-](?:[A-Za-z0-9_. -]{0,62}[A-Za-z0-9_.-])?$/;
