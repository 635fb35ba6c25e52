package dev.jchat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The library's module descriptor exports its API package and nothing else. */
class ModuleBoundaryTest {
  @Test
  void onlyTheApiPackageIsExported() throws IOException, URISyntaxException {
    ModuleDescriptor module = descriptor();
    assertEquals("dev.jchat", module.name());
    Set<String> exported =
        module.exports().stream().map(ModuleDescriptor.Exports::source).collect(Collectors.toSet());
    assertEquals(Set.of("dev.jchat"), exported);
    assertTrue(module.exports().stream().noneMatch(ModuleDescriptor.Exports::isQualified));
  }

  @Test
  void internalPackagesAreOpenedToJacksonOnly() throws IOException, URISyntaxException {
    for (ModuleDescriptor.Opens opens : descriptor().opens()) {
      assertTrue(opens.source().startsWith("dev.jchat.internal."), opens.source());
      assertEquals(Set.of("com.fasterxml.jackson.databind"), opens.targets(), opens.source());
    }
  }

  private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
    Path classes =
        Path.of(ChatServer.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path file = Files.isDirectory(classes) ? classes.resolve("module-info.class") : null;
    try (InputStream in =
        file != null
            ? Files.newInputStream(file)
            : ChatServer.class.getResourceAsStream("/module-info.class")) {
      return ModuleDescriptor.read(in);
    }
  }
}
