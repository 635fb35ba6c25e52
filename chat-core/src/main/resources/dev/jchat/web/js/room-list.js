// The "Rooms" navigation: one link per room, named by its room id, with a private marker, the
// online count and the unread count beside it. Entries are updated in place, so focus and
// references to them survive updates.

function span(className, text, hiddenText) {
  const s = document.createElement('span');
  s.className = className;
  if (text) {
    const visible = document.createElement('span');
    visible.setAttribute('aria-hidden', 'true');
    visible.textContent = text;
    s.append(visible);
  }
  if (hiddenText) {
    const sr = document.createElement('span');
    sr.className = 'sr-only';
    sr.textContent = hiddenText;
    s.append(sr);
  }
  return s;
}

export class RoomList {
  /**
   * @param {function(string)} onOpen called with a room id when its link is followed
   * @param {AbortSignal} signal removes the listener when aborted
   */
  constructor(onOpen, signal) {
    this.list = document.getElementById('room-list');
    this.entries = new Map(); // room id -> {li, link, badges}
    this.list.addEventListener('click', (e) => {
      const link = e.target.closest('a[data-room]');
      if (!link) return;
      e.preventDefault();
      onOpen(link.dataset.room);
    }, { signal });
  }

  /**
   * @param {Array<{id, name, isPrivate, online, unread, joined}>} rooms in display order
   * @param {string|null} current the open room
   */
  render(rooms, current) {
    const keep = new Set();
    let previous = null;
    for (const r of rooms) {
      keep.add(r.id);
      let entry = this.entries.get(r.id);
      if (!entry) {
        entry = this.create(r.id);
        this.entries.set(r.id, entry);
      }
      this.update(entry, r, current);
      const wanted = previous ? previous.nextSibling : this.list.firstChild;
      if (entry.li !== wanted) this.list.insertBefore(entry.li, wanted);
      previous = entry.li;
    }
    for (const [id, entry] of this.entries) {
      if (!keep.has(id)) {
        entry.li.remove();
        this.entries.delete(id);
      }
    }
  }

  create(id) {
    const li = document.createElement('li');
    const link = document.createElement('a');
    link.href = '#room=' + encodeURIComponent(id);
    link.dataset.room = id;
    link.textContent = id;
    const badges = document.createElement('span');
    badges.className = 'badges';
    li.append(link, badges);
    return { li, link, badges, key: '' };
  }

  update(entry, r, current) {
    entry.li.classList.toggle('current', r.id === current);
    entry.li.classList.toggle('joined', r.joined);
    if (r.id === current) entry.link.setAttribute('aria-current', 'page');
    else entry.link.removeAttribute('aria-current');
    entry.link.title = r.name && r.name !== r.id ? r.name : '';
    const key = [r.isPrivate, r.online, r.unread].join('|');
    if (key === entry.key) return;
    entry.key = key;
    const parts = [];
    if (r.isPrivate) parts.push(span('lock', '\u{1F512}', ' private'));
    if (r.online > 0) parts.push(span('count', '\u25CF ' + r.online, ', ' + r.online + ' online'));
    if (r.unread > 0) parts.push(span('unread', String(r.unread), ', ' + r.unread + ' unread'));
    entry.badges.replaceChildren(...parts);
  }
}
