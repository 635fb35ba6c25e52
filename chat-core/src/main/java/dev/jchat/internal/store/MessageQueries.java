package dev.jchat.internal.store;

/**
 * The SQL that reads a room's messages, per engine: PostgreSQL keeps every message in {@code
 * messages}; SQLite appends the newest to {@code recent_messages} and folds them into {@code
 * messages} in bulk ({@link SqliteBatches}), so its reads look at both tables in one statement, one
 * snapshot, and a fold that commits meanwhile can neither hide a message nor show it twice.
 *
 * <p>Each statement binds the room, an exclusive lower and upper seq and a limit as parameters 1 to
 * 4, and yields {@code seq, sender, text, ts}. The SQLite statements number them ({@code ?1}), to
 * use each twice; PostgreSQL's driver knows only plain {@code ?}.
 *
 * @param newestBelow the newest messages in the range, newest first
 * @param oldestAbove the oldest messages in the range, oldest first
 * @param maxSeq an expression for the highest stored seq of the room {@code r} (a row of {@code
 *     rooms}), null when it has none
 * @param lastSeq a room's {@code last_seq} and its highest stored seq (binds only the room); no row
 *     for an unknown room. The larger of the two counts, which guards against a {@code last_seq}
 *     that lags the messages, so that a seq is never handed out twice. Two columns rather than
 *     {@code max(a, b)}, which only SQLite spells so.
 */
record MessageQueries(String newestBelow, String oldestAbove, String maxSeq, String lastSeq) {
  /** Not room_id: the caller names the room, and every text column read costs. */
  private static final String COLUMNS = "seq, sender, text, ts";

  /** Every message in {@code messages}. */
  static final MessageQueries ONE_TABLE =
      of(
          "SELECT "
              + COLUMNS
              + " FROM messages WHERE room_id = ? AND seq > ? AND seq < ?"
              + " ORDER BY seq DESC LIMIT ?",
          "SELECT "
              + COLUMNS
              + " FROM messages WHERE room_id = ? AND seq > ? AND seq < ?"
              + " ORDER BY seq ASC LIMIT ?",
          "(SELECT max(m.seq) FROM messages m WHERE m.room_id = r.room_id)",
          "?");

  private static final String RANGE = " WHERE room_id = ?1 AND seq > ?2 AND seq < ?3";

  /** {@code messages} and {@code recent_messages}. */
  static final MessageQueries WITH_RECENT =
      of(
          union("DESC"),
          union("ASC"),
          // every seq in recent_messages is above the room's seqs in messages
          "coalesce((SELECT max(n.seq) FROM recent_messages n WHERE n.room_id = r.room_id),"
              + " (SELECT max(m.seq) FROM messages m WHERE m.room_id = r.room_id))",
          "?1");

  /** With {@code lastSeq} built from {@code maxSeq}; the room is bound as {@code roomParameter}. */
  private static MessageQueries of(
      String newestBelow, String oldestAbove, String maxSeq, String roomParameter) {
    return new MessageQueries(
        newestBelow,
        oldestAbove,
        maxSeq,
        "SELECT r.last_seq, " + maxSeq + " FROM rooms r WHERE r.room_id = " + roomParameter);
  }

  private static String union(String order) {
    // A compound ORDER BY merges the two arms, each read in order through its index, and stops
    // at the limit: a page reads at most the limit from each, never the whole room.
    return "SELECT "
        + COLUMNS
        + " FROM recent_messages"
        + RANGE
        + " UNION ALL SELECT "
        + COLUMNS
        + " FROM messages"
        + RANGE
        + " ORDER BY seq "
        + order
        + " LIMIT ?4";
  }
}
