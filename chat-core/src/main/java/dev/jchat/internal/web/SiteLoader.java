package dev.jchat.internal.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * Reads every file under a classpath folder, from a directory (the IDE, {@code mvn test}) or from a
 * jar (the product). Called once, at server start, on the starting thread.
 */
final class SiteLoader {
  private SiteLoader() {}

  /**
   * The files under {@code folder} (like {@code dev/jchat/web/}), keyed by their path below it with
   * {@code /} separators; {@code marker} is a file that must be there, used to find the folder.
   *
   * @throws IOException when the folder cannot be read or is in neither a directory nor a jar
   */
  static Map<String, byte[]> read(ClassLoader loader, String folder, String marker)
      throws IOException {
    URL url = loader.getResource(folder + marker);
    if (url == null) {
      throw new IOException("no " + folder + marker + " on the classpath");
    }
    return switch (url.getProtocol()) {
      case "file" -> fromDirectory(directoryOf(url, marker));
      case "jar" -> fromJar(url.openConnection(), folder);
      default -> throw new IOException("cannot list " + url);
    };
  }

  private static Path directoryOf(URL markerUrl, String marker) throws IOException {
    try {
      Path file = Path.of(markerUrl.toURI());
      Path dir = file;
      for (int i = 0; i < marker.split("/").length; i++) {
        dir = dir.getParent();
      }
      return dir;
    } catch (URISyntaxException e) {
      throw new IOException("bad resource address " + markerUrl, e);
    }
  }

  private static Map<String, byte[]> fromDirectory(Path dir) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        files.put(dir.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }

  private static Map<String, byte[]> fromJar(URLConnection connection, String folder)
      throws IOException {
    if (!(connection instanceof JarURLConnection jar)) {
      throw new IOException("not a jar connection: " + connection.getURL());
    }
    jar.setUseCaches(false); // our own JarFile, closed here, not the class loader's
    Map<String, byte[]> files = new TreeMap<>();
    try (JarFile file = jar.getJarFile()) {
      Enumeration<JarEntry> entries = file.entries();
      while (entries.hasMoreElements()) {
        JarEntry e = entries.nextElement();
        if (e.isDirectory() || !e.getName().startsWith(folder)) {
          continue;
        }
        try (InputStream in = file.getInputStream(e)) {
          files.put(e.getName().substring(folder.length()), in.readAllBytes());
        }
      }
    }
    return files;
  }
}
