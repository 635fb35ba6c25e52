package dev.jchat.internal.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.UncheckedIOException;

/** The one configured Jackson mapper; thread-safe and shared. */
public final class Json {
  /**
   * Input is bounded before it reaches Jackson (1 MiB bodies, 64 KiB frames); these constraints
   * additionally stop deeply nested or huge-number input from costing more than parsing.
   */
  public static final ObjectMapper MAPPER = newMapper();

  private Json() {}

  /**
   * Wrong JSON types are errors, not guesses: {@code "text":123} or {@code "since":"5"} is a bad
   * request rather than silently converted.
   */
  private static ObjectMapper newMapper() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(32).maxNumberLength(32).build())
            .build();
    JsonMapper mapper =
        JsonMapper.builder(factory)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    for (LogicalType t :
        new LogicalType[] {LogicalType.Textual, LogicalType.Boolean, LogicalType.Integer}) {
      mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
      mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
      mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
      mapper.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
    }
    mapper
        .coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.String, CoercionAction.TryConvert);
    return mapper;
  }

  /** Writes JSON with the streaming generator. */
  @FunctionalInterface
  public interface Writing {
    void write(JsonGenerator out) throws IOException;
  }

  /**
   * What {@code writing} writes, as UTF-8 bytes, with the mapper's own generator settings. For the
   * hot frames and pages, where data binding costs more than the bytes (see {@link MessageJson}).
   */
  public static byte[] bytes(Writing writing) {
    try (ByteArrayBuilder buffer = new ByteArrayBuilder(256)) {
      try (JsonGenerator out = MAPPER.getFactory().createGenerator(buffer)) {
        writing.write(out);
      }
      return buffer.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a byte array does not fail; a bug in writing might
    }
  }

  public static ObjectReader reader(Class<?> type) {
    return MAPPER.readerFor(type);
  }

  public static ObjectWriter writer() {
    return MAPPER.writer();
  }
}
