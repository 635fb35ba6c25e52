// The message pane: a role="log" list (day separators, grouped senders, the "new messages" line,
// presence notices), the unacknowledged messages below it, and scroll-back at the top.
// All user text goes in through textContent, never as HTML.

import { colourClass, dayKey, dayLabel, fullTime, timeOfDay } from './format.js';

const GROUP_MS = 5 * 60 * 1000;
const NEAR_TOP_PX = 150;
const AT_BOTTOM_PX = 40;

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

export class MessageView {
  /**
   * @param {object} o signal (an AbortSignal that removes the listeners), me, onNearTop(),
   *     onAtBottom(), onRetry(ref), onDiscard(ref), onLoadOlder()
   */
  constructor(o) {
    Object.assign(this, o);
    this.scroller = document.getElementById('scroller');
    this.list = document.getElementById('messages');
    this.pendingList = document.getElementById('pending');
    this.loadOlder = document.getElementById('load-older');
    this.historyStart = document.getElementById('history-start');
    this.room = null;
    this.last = null; // what was rendered last: {kind, from, ts, day, seq}
    this.lastSeq = 0;
    this.dividerShown = false;
    const options = { signal: o.signal };
    this.scroller.addEventListener('scroll', () => {
      if (this.scroller.scrollTop < NEAR_TOP_PX) this.onNearTop();
      if (this.isAtBottom()) this.onAtBottom();
    }, options);
    this.loadOlder.addEventListener('click', () => this.onLoadOlder(), options);
    this.pendingList.addEventListener('click', (e) => {
      const button = e.target.closest('button[data-ref]');
      if (!button) return;
      if (button.dataset.action === 'discard') this.onDiscard(button.dataset.ref);
      else this.onRetry(button.dataset.ref);
    }, options);
  }

  isAtBottom() {
    const s = this.scroller;
    return s.scrollHeight - s.scrollTop - s.clientHeight < AT_BOTTOM_PX;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
  }

  /** True when the pane does not fill its height, so scrolling up cannot ask for more. */
  isUnderfilled() {
    return this.scroller.scrollHeight <= this.scroller.clientHeight + NEAR_TOP_PX;
  }

  /**
   * Renders a room from scratch. keepAnchor keeps the content under the viewport where it was
   * (older messages were added above); otherwise it scrolls to the "new messages" line or the end.
   */
  show(room, keepAnchor = false) {
    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    this.room = room;
    this.last = null;
    this.lastSeq = 0;
    this.dividerShown = false;
    this.list.setAttribute('aria-busy', 'true');
    const items = document.createDocumentFragment();
    const notices = [...room.notices];
    for (const m of room.sorted()) {
      while (notices.length && notices[0].afterSeq < m.seq) this.emitNotice(items, notices.shift());
      this.emitMessage(items, m);
    }
    for (const n of notices) this.emitNotice(items, n);
    this.list.replaceChildren(items);
    this.list.removeAttribute('aria-busy');
    this.renderPending(room);
    this.renderTop(room);
    if (keepAnchor) {
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    } else {
      const divider = this.list.querySelector('.divider');
      if (divider) divider.scrollIntoView({ block: 'start' });
      else this.scrollToBottom();
    }
  }

  /** Shows messages added to the room on display: appended when they are newer than all shown. */
  update(room, added) {
    if (room !== this.room) return;
    if (added.length === 0) return;
    const sorted = [...added].sort((a, b) => a.seq - b.seq);
    if (sorted[0].seq <= this.lastSeq) {
      this.show(room, true);
      return;
    }
    const wasAtBottom = this.isAtBottom();
    for (const m of sorted) this.emitMessage(this.list, m);
    this.renderTop(room);
    if (wasAtBottom) this.scrollToBottom();
  }

  addNotice(room, notice) {
    if (room !== this.room) return;
    const wasAtBottom = this.isAtBottom();
    this.emitNotice(this.list, notice);
    if (wasAtBottom) this.scrollToBottom();
  }

  emitMessage(parent, m) {
    const day = dayKey(m.ts);
    const r = this.room;
    let grouped = this.last !== null && this.last.kind === 'message' && this.last.from === m.from
      && this.last.day === day && m.ts - this.last.ts < GROUP_MS;
    if (r.dividerAfter !== null && !this.dividerShown && m.seq > r.dividerAfter) {
      const divider = el('li', 'divider');
      divider.append(el('span', '', 'New messages'));
      parent.append(divider);
      this.dividerShown = true;
      grouped = false;
    }
    if (this.last === null || this.last.day !== day) {
      const separator = el('li', 'day');
      const label = el('time', '', dayLabel(m.ts));
      label.dateTime = new Date(m.ts).toISOString().slice(0, 10);
      separator.append(label);
      parent.append(separator);
      grouped = false;
    }
    parent.append(this.messageItem(m, grouped));
    this.last = { kind: 'message', from: m.from, ts: m.ts, day };
    this.lastSeq = Math.max(this.lastSeq, m.seq);
  }

  messageItem(m, grouped) {
    const li = el('li', 'msg ' + colourClass(m.from));
    if (grouped) li.classList.add('grouped');
    if (m.from === this.me) li.classList.add('mine');
    li.dataset.seq = String(m.seq);
    const meta = el('div', 'meta');
    meta.append(el('span', 'from', m.from));
    const time = el('time', '', timeOfDay(m.ts));
    time.dateTime = new Date(m.ts).toISOString();
    time.title = fullTime(m.ts);
    meta.append(time);
    li.append(meta, el('div', 'text', m.text));
    return li;
  }

  emitNotice(parent, notice) {
    parent.append(el('li', 'notice', notice.text));
    this.last = { kind: 'notice' };
  }

  /** The messages of the room still waiting for their ack, or failed. */
  renderPending(room, connected = this.connected) {
    this.connected = connected;
    if (room !== this.room) return;
    const items = [];
    for (const p of room.pending.values()) {
      const li = el('li', 'msg mine pending ' + colourClass(this.me));
      li.dataset.ref = p.ref;
      const meta = el('div', 'meta');
      meta.append(el('span', 'from', this.me));
      let state;
      if (p.state === 'failed') {
        li.classList.add('failed');
        state = 'Not sent: ' + p.error;
      } else {
        state = connected ? 'Sending\u2026' : 'Waiting for the connection\u2026';
      }
      meta.append(el('span', 'state', state));
      if (p.state === 'failed') {
        for (const [label, action] of [['Retry', 'retry'], ['Discard', 'discard']]) {
          const button = el('button', '', label);
          button.type = 'button';
          button.dataset.ref = p.ref;
          button.dataset.action = action;
          meta.append(button);
        }
      }
      li.append(meta, el('div', 'text', p.text));
      items.push(li);
    }
    this.pendingList.replaceChildren(...items);
  }

  renderTop(room) {
    if (room !== this.room) return;
    this.loadOlder.hidden = !room.hasOlder;
    this.loadOlder.disabled = room.loadingOlder;
    this.historyStart.hidden = !room.atStart;
  }

  clear() {
    this.room = null;
    this.list.replaceChildren();
    this.pendingList.replaceChildren();
    this.loadOlder.hidden = true;
    this.historyStart.hidden = true;
  }
}
