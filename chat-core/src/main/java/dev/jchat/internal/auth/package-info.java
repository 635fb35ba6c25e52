/**
 * Password hashing, login tokens and login throttling. No I/O; hashing is deliberately slow, so it
 * runs on worker threads, never on an event loop. Parameters are non-null.
 */
package dev.jchat.internal.auth;
