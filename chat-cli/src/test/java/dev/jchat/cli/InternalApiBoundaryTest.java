package dev.jchat.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * chat-cli's main code uses chat-core only through its public API, {@code dev.jchat}: no class
 * compiled from chat-cli's main sources refers to a {@code dev.jchat.internal} type. chat-core's
 * module descriptor exports only {@code dev.jchat}, but chat-cli runs on the class path where that
 * is not enforced, so this test enforces it.
 *
 * <p>Every reference from a class file to another class (a superclass, a field or method owner, a
 * type in a descriptor or a signature) is a UTF-8 entry of its constant pool, so reading every
 * UTF-8 entry of every class finds them all.
 */
final class InternalApiBoundaryTest {
  private static final String INTERNAL = "dev/jchat/internal/";

  @Test
  void mainClassesReferToNoInternalType() throws IOException, URISyntaxException {
    List<Path> classes = mainClasses();
    assertTrue(classes.size() > 20, "found the main classes: " + classes.size());
    List<String> offences = new ArrayList<>();
    for (Path file : classes) {
      Set<String> internal = internalReferences(Files.readAllBytes(file));
      if (!internal.isEmpty()) {
        offences.add(className(file) + " uses " + internal);
      }
    }
    assertTrue(offences.isEmpty(), String.join("\n", offences));
  }

  @Test
  void theScanFindsAReferenceInAClassFile() throws IOException {
    Path ownClass = Path.of(classFileOf(InternalApiBoundaryTest.class));
    Set<String> found = referencesStartingWith(Files.readAllBytes(ownClass), "dev/jchat/cli/");
    assertTrue(found.contains("dev/jchat/cli/InternalApiBoundaryTest"), found.toString());
  }

  @Test
  void theScanReadsEveryKindOfConstant() throws IOException {
    // A class with long, double, method handle and invokedynamic constants besides strings: a
    // parser that miscounted them would lose its place in the pool and miss later entries.
    Path lambdas = Path.of(classFileOf(ConstantsOfEveryKind.class));
    Set<String> found = referencesStartingWith(Files.readAllBytes(lambdas), "java/util/function/");
    assertEquals(Set.of("java/util/function/LongSupplier"), found);
  }

  /** Every .class file under the directory chat-cli's main classes were compiled to. */
  private static List<Path> mainClasses() throws IOException, URISyntaxException {
    Path root =
        Path.of(ChatCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertTrue(Files.isDirectory(root), "main classes are a directory: " + root);
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(f -> f.toString().endsWith(".class")).sorted().toList();
    }
  }

  private static String className(Path file) {
    String name = file.toString().replace(file.getFileSystem().getSeparator(), "/");
    int at = name.lastIndexOf("/dev/jchat/");
    return name.substring(at + 1, name.length() - ".class".length()).replace('/', '.');
  }

  private static String classFileOf(Class<?> type) {
    try {
      Path root = Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
      return root.resolve(type.getName().replace('.', '/') + ".class").toString();
    } catch (URISyntaxException e) {
      throw new AssertionError(e);
    }
  }

  private static Set<String> internalReferences(byte[] classFile) throws IOException {
    return referencesStartingWith(classFile, INTERNAL);
  }

  /**
   * The internal names starting with the package prefix {@code prefix} in the UTF-8 constants of
   * {@code classFile}: for {@code dev/x/}, a descriptor {@code (Ldev/x/A;)Ldev/x/B;} yields {@code
   * dev/x/A} and {@code dev/x/B}.
   */
  private static Set<String> referencesStartingWith(byte[] classFile, String prefix)
      throws IOException {
    Set<String> names = new TreeSet<>();
    for (String utf8 : utf8Constants(classFile)) {
      for (int at = utf8.indexOf(prefix); at >= 0; at = utf8.indexOf(prefix, at)) {
        int end = at;
        while (end < utf8.length() && isNamePart(utf8.charAt(end))) {
          end++;
        }
        names.add(utf8.substring(at, end));
        at = end;
      }
    }
    return names;
  }

  private static boolean isNamePart(char c) {
    return c == '/' || c == '$' || Character.isJavaIdentifierPart(c);
  }

  /** The CONSTANT_Utf8 entries of a class file's constant pool (JVMS 4.4), in order. */
  private static List<String> utf8Constants(byte[] classFile) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
    assertEquals(0xCAFEBABE, in.readInt(), "class file magic");
    in.readUnsignedShort(); // minor version
    in.readUnsignedShort(); // major version
    int count = in.readUnsignedShort();
    List<String> utf8 = new ArrayList<>();
    for (int i = 1; i < count; i++) {
      int tag = in.readUnsignedByte();
      switch (tag) {
        case 1 -> utf8.add(in.readUTF()); // Utf8: u2 length, modified UTF-8, as readUTF reads it
        case 7, 8, 16, 19, 20 -> in.skipBytes(2); // Class, String, MethodType, Module, Package
        case 15 -> in.skipBytes(3); // MethodHandle
        case 3, 4, 9, 10, 11, 12, 17, 18 -> in.skipBytes(4); // Integer ... InvokeDynamic
        case 5, 6 -> { // Long, Double: 8 bytes, and they take two entries
          in.skipBytes(8);
          i++;
        }
        default -> throw new IOException("unknown constant pool tag " + tag + " at entry " + i);
      }
    }
    return utf8;
  }

  /** Holds constants of the kinds that take other sizes than two bytes. */
  static final class ConstantsOfEveryKind {
    static final long BIG = System.nanoTime() > 0 ? 1L << 40 : 0;
    static final double HALF = BIG > 0 ? 0.5 : 0.25;

    static long value() {
      LongSupplier supplier = () -> BIG + 123_456_789_012L + (long) HALF;
      return supplier.getAsLong();
    }
  }
}
