package dev.jchat.internal.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * One file of the browser client, ready to send: its media type, its bytes, a gzip copy when that
 * is smaller (text only), and a strong validator for each. Immutable.
 *
 * @param contentType the {@code Content-Type}, with a charset for text
 * @param identity the file as stored
 * @param gzip the gzip-compressed file, or null when it would not be smaller or is not text
 * @param etag the validator of {@code identity}, quoted; the gzip copy's is {@link #gzipEtag()}
 */
record Asset(String contentType, byte[] identity, byte[] gzip, String etag) {

  static Asset of(String fileName, byte[] bytes) {
    String type = contentType(fileName);
    byte[] compressed = compressible(type) ? gzip(bytes) : null;
    if (compressed != null && compressed.length >= bytes.length) {
      compressed = null;
    }
    return new Asset(type, bytes, compressed, "\"" + digest(bytes) + "\"");
  }

  /** The gzip copy's validator: a different representation needs a different strong tag. */
  String gzipEtag() {
    return etag.substring(0, etag.length() - 1) + "-gz\"";
  }

  /** The media type of a file name's extension; binary for an unknown one. */
  static String contentType(String fileName) {
    String name = fileName.toLowerCase(Locale.ROOT);
    String extension = name.substring(name.lastIndexOf('.') + 1);
    return switch (extension) {
      case "html" -> "text/html; charset=utf-8";
      case "css" -> "text/css; charset=utf-8";
      case "js", "mjs" -> "text/javascript; charset=utf-8";
      case "json" -> "application/json";
      case "webmanifest" -> "application/manifest+json";
      case "svg" -> "image/svg+xml";
      case "png" -> "image/png";
      case "ico" -> "image/x-icon";
      case "txt" -> "text/plain; charset=utf-8";
      default -> "application/octet-stream";
    };
  }

  private static boolean compressible(String type) {
    return type.startsWith("text/")
        || type.startsWith("application/") && type.contains("json")
        || type.equals("image/svg+xml");
  }

  private static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length / 3 + 64);
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a memory stream does not fail
    }
    return out.toByteArray();
  }

  private static String digest(byte[] bytes) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(bytes);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 16));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
