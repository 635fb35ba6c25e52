package dev.jchat.internal.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes responses: status line, the caller's headers, the framing headers, body. No instances;
 * safe from any thread.
 *
 * <p>The encoder owns framing: it writes {@code Content-Length} itself (except where RFC 9110
 * forbids it: 1xx, 204, 304, which have no body) and {@code Connection: close} when the connection
 * will close. A caller may still send {@code Connection} on a kept-alive connection, e.g. {@code
 * Connection: Upgrade} on a 101, or {@code Connection: keep-alive} to keep an HTTP/1.0 client's
 * connection open, which that client expects to be told.
 */
public final class HttpResponse {
  private HttpResponse() {}

  /**
   * The complete response in one array.
   *
   * @throws IllegalArgumentException for a status outside 100 to 999, a body on a status that has
   *     none, or headers that would contradict the framing ({@code Content-Length}, {@code
   *     Transfer-Encoding}, or {@code Connection} when {@code keepAlive} is false)
   */
  public static byte[] encode(int status, HttpHeaders headers, byte[] body, boolean keepAlive) {
    if (status < 100 || status > 999) {
      throw new IllegalArgumentException("Status out of range: " + status + ".");
    }
    boolean bodyless = status < 200 || status == 204 || status == 304;
    if (bodyless && body.length > 0) {
      throw new IllegalArgumentException("A " + status + " response has no body.");
    }
    StringBuilder head = new StringBuilder(128 + 32 * headers.size());
    head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      checkNotFraming(name, keepAlive);
      head.append(name).append(": ").append(headers.value(i)).append("\r\n");
    }
    if (!bodyless) {
      head.append("Content-Length: ").append(body.length).append("\r\n");
    }
    if (!keepAlive) {
      head.append("Connection: close\r\n");
    }
    head.append("\r\n");
    // HttpHeaders admits only ISO-8859-1, so this encoding loses nothing.
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] response = Arrays.copyOf(headBytes, headBytes.length + body.length);
    System.arraycopy(body, 0, response, headBytes.length, body.length);
    return response;
  }

  /** The reason phrase of RFC 9110 section 15 (and 6585 for 429, 431); empty when unknown. */
  public static String reason(int status) {
    return switch (status) {
      case 100 -> "Continue";
      case 101 -> "Switching Protocols";
      case 200 -> "OK";
      case 201 -> "Created";
      case 202 -> "Accepted";
      case 204 -> "No Content";
      case 301 -> "Moved Permanently";
      case 302 -> "Found";
      case 304 -> "Not Modified";
      case 307 -> "Temporary Redirect";
      case 308 -> "Permanent Redirect";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 408 -> "Request Timeout";
      case 409 -> "Conflict";
      case 411 -> "Length Required";
      case 413 -> "Content Too Large";
      case 414 -> "URI Too Long";
      case 415 -> "Unsupported Media Type";
      case 426 -> "Upgrade Required";
      case 429 -> "Too Many Requests";
      case 431 -> "Request Header Fields Too Large";
      case 500 -> "Internal Server Error";
      case 501 -> "Not Implemented";
      case 503 -> "Service Unavailable";
      case 505 -> "HTTP Version Not Supported";
      default -> "";
    };
  }

  private static void checkNotFraming(String name, boolean keepAlive) {
    if (name.equalsIgnoreCase("Content-Length") || name.equalsIgnoreCase("Transfer-Encoding")) {
      throw new IllegalArgumentException(name + " is written by the encoder.");
    }
    if (!keepAlive && name.equalsIgnoreCase("Connection")) {
      throw new IllegalArgumentException("Connection is written by the encoder when closing.");
    }
  }
}
