// What the page knows of one room: its list entry, the messages it holds (by seq, so each is
// shown once), the cursor for catching up, presence, and messages still waiting for their ack.

export class Room {
  constructor(id) {
    this.id = id;
    this.info = null; // the server's room object: name, private, members, online, lastSeq
    this.messages = new Map(); // seq -> message
    this.lowest = 0;
    this.highest = 0;
    this.cursor = null; // every seq <= cursor is held or reachable by paging: "since" on rejoin
    this.live = false; // joined on the current socket
    this.joining = false;
    this.joinSince = undefined;
    this.online = new Set();
    this.notices = []; // presence lines: {afterSeq, text}
    this.pending = new Map(); // ref -> {ref, text, state: "pending" | "failed", error, epoch}
    this.loadingOlder = false;
    this.dividerAfter = null; // the "new messages" line goes after this seq
  }

  /** Adds a message; false when that seq was already here. */
  add(m) {
    if (this.messages.has(m.seq)) return false;
    this.messages.set(m.seq, m);
    this.lowest = this.lowest === 0 ? m.seq : Math.min(this.lowest, m.seq);
    this.highest = Math.max(this.highest, m.seq);
    return true;
  }

  clearMessages() {
    this.messages.clear();
    this.lowest = 0;
    this.highest = 0;
    this.notices = [];
  }

  /** Messages ascending by seq. */
  sorted() {
    return [...this.messages.values()].sort((a, b) => a.seq - b.seq);
  }

  /** The newest seq known, from messages, the cursor or the room list. */
  get lastSeq() {
    return Math.max(this.highest, this.cursor ?? 0, this.info ? this.info.lastSeq : 0);
  }

  /** Whether older messages than those held exist (seqs start at 1 and have no gaps). */
  get hasOlder() {
    return this.lowest > 1;
  }

  /** Whether the very first message of the room is shown (or the room is known to be empty). */
  get atStart() {
    return this.lowest === 1 || (this.live && this.messages.size === 0);
  }

  addNotice(text) {
    const notice = { afterSeq: this.highest, text };
    this.notices.push(notice);
    if (this.notices.length > 100) this.notices.shift();
    return notice;
  }
}
