// The chat socket (/ws) with its handshake, reconnects with backoff and jitter, and a heartbeat.
//
// States, reported through onState(state, detail):
//   "connecting"  opening the socket or waiting for welcome
//   "online"      welcome received; frames flow
//   "offline"     closed; detail.retryAt says when the next attempt starts
//   "stopped"     stop() was called, or the server refused the session (onSessionEnded)

const MAX_DELAY_MS = 15000;
const FIRST_DELAY_MS = 500;
const HEARTBEAT_MS = 25000; // a "rooms" request, which also refreshes the online counts
const SILENCE_MS = 60000; // nothing heard for this long: the connection is dead

export class Connection {
  /**
   * @param {object} o url, token, and callbacks onWelcome(welcome), onFrame(frame),
   *     onState(state, detail), onSessionEnded(message)
   */
  constructor(o) {
    Object.assign(this, o);
    this.socket = null;
    this.attempt = 0;
    this.epoch = 0; // counts sockets that reached welcome; a send remembers its epoch
    this.state = 'stopped';
    this.retryTimer = null;
    this.heartbeatTimer = null;
    this.lastHeard = 0;
    this.onBrowserOnline = () => this.reconnectNow();
  }

  start() {
    window.addEventListener('online', this.onBrowserOnline);
    this.open();
  }

  stop() {
    window.removeEventListener('online', this.onBrowserOnline);
    clearTimeout(this.retryTimer);
    clearInterval(this.heartbeatTimer);
    const s = this.socket;
    this.socket = null;
    if (s) s.close(1000, 'signed out');
    this.setState('stopped');
  }

  /** True when frames can be sent now. */
  get online() {
    return this.state === 'online';
  }

  /** Sends a frame if online; returns whether it was handed to the socket. */
  send(frame) {
    if (!this.online) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  /** Skips the wait before the next attempt. */
  reconnectNow() {
    if (this.state !== 'offline') return;
    clearTimeout(this.retryTimer);
    this.open();
  }

  open() {
    this.setState('connecting');
    let socket;
    try {
      socket = new WebSocket(this.url);
    } catch {
      this.scheduleRetry();
      return;
    }
    this.socket = socket;
    let sessionEnded = null;
    socket.onopen = () => socket.send(JSON.stringify({ type: 'hello', token: this.token }));
    socket.onmessage = (event) => {
      if (socket !== this.socket) return;
      this.lastHeard = Date.now();
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame.type === 'welcome') {
        this.attempt = 0;
        this.epoch++;
        this.setState('online');
        this.startHeartbeat();
        this.onWelcome(frame);
      } else if (frame.type === 'error' && frame.code === 'unauthorized') {
        sessionEnded = frame.message || 'the session ended';
      } else {
        this.onFrame(frame);
      }
    };
    socket.onclose = () => {
      if (socket !== this.socket) return;
      this.socket = null;
      clearInterval(this.heartbeatTimer);
      if (sessionEnded !== null) {
        this.stop();
        this.onSessionEnded(sessionEnded);
        return;
      }
      this.scheduleRetry();
    };
  }

  scheduleRetry() {
    // exponential backoff with jitter: half the delay fixed, half random
    const base = Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** this.attempt);
    const delay = base / 2 + Math.random() * (base / 2);
    this.attempt++;
    const retryAt = Date.now() + delay;
    this.setState('offline', { retryAt });
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  startHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = setInterval(() => {
      if (Date.now() - this.lastHeard > SILENCE_MS) {
        const s = this.socket;
        this.socket = null; // its late close event is ignored
        clearInterval(this.heartbeatTimer);
        if (s) s.close(4000, 'no answer');
        this.scheduleRetry();
        return;
      }
      this.send({ type: 'rooms', limit: 1000 });
    }, HEARTBEAT_MS);
  }

  setState(state, detail = {}) {
    this.state = state;
    this.onState(state, detail);
  }
}
