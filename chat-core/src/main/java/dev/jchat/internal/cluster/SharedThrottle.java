package dev.jchat.internal.cluster;

import dev.jchat.internal.auth.LoginThrottle;
import dev.jchat.internal.auth.Throttle;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * The failed-login count of every node together, in Redis: behind a load balancer that spreads one
 * guesser over N nodes, the limit stays what it is on one node, not N times it. One key per
 * throttled key ({@code jchat:throttle:<name>:<key>}), counting attempts, that expires when its
 * window ends; each call is one atomic script. While Redis does not answer, this node counts on its
 * own ({@code local}), as a single node would.
 *
 * <p>Thread-safe: {@link UnifiedJedis} pools its connections. Called on the password threads.
 */
final class SharedThrottle implements Throttle {
  private static final Logger LOG = System.getLogger(SharedThrottle.class.getName());

  /** INCR; the first attempt opens the window; past the limit the attempt is taken back. */
  private static final String BEGIN =
      """
      local n = redis.call('INCR', KEYS[1])
      if n == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
      if n > tonumber(ARGV[1]) then
        redis.call('DECR', KEYS[1])
        local ttl = redis.call('PTTL', KEYS[1])
        if ttl < 1 then ttl = 1 end
        return ttl
      end
      return 0""";

  private static final String CANCEL =
      """
      if redis.call('EXISTS', KEYS[1]) == 1 and redis.call('DECR', KEYS[1]) <= 0 then
        redis.call('DEL', KEYS[1])
      end
      return 0""";

  private final UnifiedJedis redis;
  private final String prefix;
  private final int maxFailures;
  private final long windowMillis;
  private final LoginThrottle local;

  SharedThrottle(
      UnifiedJedis redis, String name, int maxFailures, long windowMillis, LoginThrottle local) {
    this.redis = redis;
    this.prefix = "jchat:throttle:" + name + ":";
    this.maxFailures = maxFailures;
    this.windowMillis = windowMillis;
    this.local = local;
  }

  @Override
  public long tryBegin(String key, long nowMillis) {
    try {
      Object wait =
          redis.eval(
              BEGIN,
              List.of(prefix + key),
              List.of(Integer.toString(maxFailures), Long.toString(windowMillis)));
      return ((Number) wait).longValue();
    } catch (JedisException e) {
      LOG.log(Level.DEBUG, "shared login throttle unavailable, counting here: " + e.getMessage());
      return local.tryBegin(key, nowMillis);
    }
  }

  @Override
  public void cancel(String key) {
    try {
      redis.eval(CANCEL, List.of(prefix + key), List.of());
    } catch (JedisException e) {
      local.cancel(key);
    }
  }

  @Override
  public void succeeded(String key) {
    try {
      redis.del(prefix + key);
    } catch (JedisException e) {
      local.succeeded(key);
    }
    local.succeeded(key); // whatever was counted here while Redis was away
  }
}
