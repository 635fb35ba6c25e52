package dev.jchat.internal.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who is online on the other nodes: per node, the {@code (room, user)} pairs it has subscribed. Fed
 * by presence events and by snapshots of each node's presence hash in Redis; a node whose heartbeat
 * key expired is dropped whole. Every change is returned so that the caller applies it to the rooms
 * exactly once. Owned by the cluster's timer thread.
 *
 * <p>Keys in Redis: {@value #NODES} (a sorted set of node ids scored by their last heartbeat, epoch
 * milliseconds; a node not heard of for {@value #TTL_MILLIS} ms is gone) and {@code
 * jchat:presence:<node>} (a hash with one field per pair, plus {@value #MARKER} so that it exists
 * while empty, expiring {@value #TTL_MILLIS} ms after the node's last heartbeat).
 */
final class PresenceView {
  static final long TTL_MILLIS = 10_000;
  static final long HEARTBEAT_MILLIS = 2_000;
  static final String MARKER = "~";

  /** One pair that went online or offline on some node. */
  record Change(String room, String user, boolean online) {}

  private final Map<String, Set<String>> byNode = new HashMap<>();

  static final String NODES = "jchat:nodes";

  static String hashKey(String node) {
    return "jchat:presence:" + node;
  }

  /** Room and user ids never hold a newline (see Validation), so it separates them. */
  static String field(String room, String user) {
    return room + "\n" + user;
  }

  private static Change change(String field, boolean online) {
    int nl = field.indexOf('\n');
    return new Change(field.substring(0, nl), field.substring(nl + 1), online);
  }

  /** The users {@code node} has online in {@code room}. */
  List<String> users(String node, String room) {
    List<String> users = new ArrayList<>();
    String prefix = room + "\n";
    for (String f : byNode.getOrDefault(node, Set.of())) {
      if (f.startsWith(prefix)) {
        users.add(f.substring(prefix.length()));
      }
    }
    return users;
  }

  Set<String> nodes() {
    return new HashSet<>(byNode.keySet());
  }

  /** An event: the pair went online or offline on {@code node}; null when nothing changed. */
  Change set(String node, String room, String user, boolean online) {
    String field = field(room, user);
    if (online) {
      return byNode.computeIfAbsent(node, n -> new HashSet<>()).add(field)
          ? new Change(room, user, true)
          : null;
    }
    Set<String> fields = byNode.get(node);
    return fields != null && fields.remove(field) ? new Change(room, user, false) : null;
  }

  /** A snapshot of {@code node}'s hash replaces what was known of it. */
  List<Change> replace(String node, Set<String> fields) {
    Set<String> now = new HashSet<>();
    for (String f : fields) {
      if (f.indexOf('\n') > 0) {
        now.add(f);
      }
    }
    Set<String> before = byNode.getOrDefault(node, Set.of());
    List<Change> changes = new ArrayList<>();
    for (String f : before) {
      if (!now.contains(f)) {
        changes.add(change(f, false));
      }
    }
    for (String f : now) {
      if (!before.contains(f)) {
        changes.add(change(f, true));
      }
    }
    byNode.put(node, now);
    return changes;
  }

  /** The node is gone: all its pairs go offline. */
  List<Change> drop(String node) {
    Set<String> fields = byNode.remove(node);
    List<Change> changes = new ArrayList<>();
    if (fields != null) {
      for (String f : fields) {
        changes.add(change(f, false));
      }
    }
    return changes;
  }
}
