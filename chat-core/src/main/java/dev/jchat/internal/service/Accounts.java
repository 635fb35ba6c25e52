package dev.jchat.internal.service;

import dev.jchat.internal.auth.PasswordHasher;
import dev.jchat.internal.auth.Throttle;
import dev.jchat.internal.auth.Tokens;
import dev.jchat.internal.store.SessionStore;
import dev.jchat.internal.store.User;
import dev.jchat.internal.store.UserStore;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Registration, login, logout and token checks. Slow (password hashing, JDBC): worker threads only.
 * Thread-safe.
 */
public final class Accounts {
  private final UserStore users;
  private final SessionStore sessions;
  private final PasswordHasher hasher;
  private final Throttle userThrottle;
  private final Throttle addressThrottle;
  private final RateLimiter signups;
  private final int maxSessionsPerUser;
  private final LimitCounters limits;
  private final Duration tokenTtl;
  private final LongSupplier clock;
  private final Consumer<String> onLogout;

  /** Verified against when the user does not exist, so both cases cost the same time. */
  private final String decoyHash;

  public Accounts(
      UserStore users,
      SessionStore sessions,
      PasswordHasher hasher,
      Throttle userThrottle,
      Throttle addressThrottle,
      RateLimiter signups,
      int maxSessionsPerUser,
      LimitCounters limits,
      Duration tokenTtl,
      LongSupplier clock,
      Consumer<String> onLogout) {
    this.users = users;
    this.sessions = sessions;
    this.hasher = hasher;
    this.userThrottle = userThrottle;
    this.addressThrottle = addressThrottle;
    this.signups = signups;
    this.maxSessionsPerUser = maxSessionsPerUser;
    this.limits = limits;
    this.tokenTtl = tokenTtl;
    this.clock = clock;
    this.onLogout = onLogout;
    this.decoyHash = hasher.hash("decoy-password-never-used");
  }

  /** A signed-in session: the token is shown to the client once and stored only as a hash. */
  public record Session(String token, String userId, long expiresAt) {}

  /** Whose a valid token is, and when it expires (epoch milliseconds). */
  public record SignedIn(String userId, long expiresAt) {}

  /**
   * Creates an account. Sign-ups are limited per client {@code address}, so one host cannot fill
   * the users table or keep the password hashers busy.
   */
  public String register(
      String userId, String password, String name, String email, String address) {
    Validation.requireUserId(userId);
    if (password == null || password.length() < Validation.MIN_PASSWORD) {
      throw ApiError.badRequest(
          "password must be at least " + Validation.MIN_PASSWORD + " characters");
    }
    if (password.length() > Validation.MAX_PASSWORD) {
      throw ApiError.badRequest(
          "password must be at most " + Validation.MAX_PASSWORD + " characters");
    }
    if (name != null && name.length() > Validation.MAX_NAME) {
      throw ApiError.badRequest("name must be at most " + Validation.MAX_NAME + " characters");
    }
    if (email != null && (email.length() > Validation.MAX_EMAIL || email.indexOf('@') < 1)) {
      throw ApiError.badRequest("email must look like name@host");
    }
    Validation.requireWellFormed(name, "name");
    Validation.requireWellFormed(email, "email");
    if (users.exists(userId)) {
      throw ApiError.conflict("user '" + userId + "' already exists");
    }
    long wait = signups.acquire(address);
    if (wait > 0) {
      limits.tripped("signups");
      throw ApiError.rateLimited("too many new accounts from your address; try again later", wait);
    }
    String hash = hasher.hash(password);
    if (!users.create(
        new User(userId, name == null ? userId : name, email, hash, clock.getAsLong()))) {
      throw ApiError.conflict("user '" + userId + "' already exists");
    }
    return userId;
  }

  /**
   * Checks the password and opens a session. Failed attempts are throttled per user id and client
   * address together, so one account cannot be guessed quickly from one place while its owner,
   * elsewhere, still signs in; and per client address alone with a higher limit, so guessing across
   * many accounts is slow too. Attempts count as they begin, so parallel guesses cannot overrun the
   * limit. A hash made with weaker settings than today's is replaced on success.
   */
  public Session login(String userId, String password, String address) {
    if (userId == null || password == null) {
      throw ApiError.badRequest("userId and password are required");
    }
    long now = clock.getAsLong();
    // Only a valid id can name an account; keying on anything else would let a client park
    // megabyte-long keys in the throttle. Invalid ids still count against the address.
    boolean validId = Validation.isUserId(userId);
    String pair = validId ? userId + "|" + address : null;
    long wait = addressThrottle.tryBegin(address, now);
    if (wait == 0 && pair != null) {
      wait = userThrottle.tryBegin(pair, now);
      if (wait > 0) {
        addressThrottle.cancel(address);
      }
    }
    if (wait > 0) {
      limits.tripped("login-failures");
      throw ApiError.rateLimited("too many failed logins; try again later", wait);
    }
    String stored = validId ? users.find(userId).map(u -> u.passwordHash()).orElse(null) : null;
    boolean ok = hasher.verify(password, stored == null ? decoyHash : stored) && stored != null;
    if (!ok) {
      throw ApiError.unauthorized("wrong user id or password"); // the attempts stay counted
    }
    userThrottle.succeeded(pair);
    addressThrottle.cancel(address);
    if (users.isDisabled(userId)) {
      throw ApiError.forbidden("this account is disabled; ask the server's operator");
    }
    if (hasher.needsRehash(stored)) {
      users.updatePasswordHash(userId, hasher.hash(password));
    }
    String token = Tokens.newToken();
    long expiresAt = now + tokenTtl.toMillis();
    sessions.create(Tokens.hash(token), userId, now, expiresAt);
    for (byte[] ended : sessions.keepNewest(userId, maxSessionsPerUser)) {
      onLogout.accept(HexFormat.of().formatHex(ended));
    }
    return new Session(token, userId, expiresAt);
  }

  /** The session a bearer token names; unauthorized when unknown or expired. */
  public SignedIn signedIn(String token) {
    if (token == null || token.isEmpty() || token.length() > 256) {
      throw ApiError.unauthorized("a valid token is required");
    }
    return sessions
        .find(Tokens.hash(token), clock.getAsLong())
        .map(f -> new SignedIn(f.userId(), f.expiresAt()))
        .orElseThrow(() -> ApiError.unauthorized("invalid or expired token"));
  }

  /** Deletes the sessions that have expired; returns how many. */
  public int purgeExpiredSessions() {
    return sessions.purgeExpired(clock.getAsLong());
  }

  /** The user a bearer token belongs to; unauthorized when unknown or expired. */
  public String authenticate(String token) {
    return signedIn(token).userId();
  }

  /** Ends this session only; its open sockets are closed by the logout hook. */
  public void logout(String token) {
    authenticate(token);
    sessions.delete(Tokens.hash(token));
    onLogout.accept(sessionKey(token));
  }

  /** A stable, non-secret key naming a session (the hex of its token hash). */
  public static String sessionKey(String token) {
    return HexFormat.of().formatHex(Tokens.hash(token));
  }
}
