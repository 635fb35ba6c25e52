package dev.jchat.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jchat.testing.ChatServerExtension;
import dev.jchat.testing.Ids;
import dev.jchat.testing.RawHttp;
import dev.jchat.testing.Rest;
import dev.jchat.testing.TestJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** HTTP/1.1 at the byte level: malformed and oversized requests, keep-alive, pipelining, chunks. */
class RawHttpTest {
  @RegisterExtension static final ChatServerExtension server = ChatServerExtension.create();

  private static final String HEALTH = "GET /api/health HTTP/1.1\r\nHost: localhost\r\n\r\n";

  private RawHttp connect() throws IOException {
    return RawHttp.connect(server.port());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GARBAGE\r\n\r\n",
        "GET\r\n\r\n",
        "GET /api/health HTTP/1.1 extra\r\n\r\n",
        "GET /api/health HTTP/1.1\r\nno colon in this header\r\n\r\n",
        "\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n"
      })
  void aMalformedRequestGets400AndTheConnectionIsClosed(String request) throws IOException {
    try (RawHttp http = connect()) {
      http.write(request);
      assertEquals(400, http.readResponse().status());
      http.assertClosedByServer();
    }
  }

  @Test
  void aContentLengthThatIsNotANumberGets400() throws IOException {
    try (RawHttp http = connect()) {
      http.write("POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Length: lots\r\n\r\n{}");
      assertEquals(400, http.readResponse().status());
      http.assertClosedByServer();
    }
  }

  @Test
  void aHeaderSectionOver16KiBGets431() throws IOException {
    try (RawHttp http = connect()) {
      String request =
          "GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Filler: "
              + "a".repeat(17 * 1024)
              + "\r\n\r\n";
      http.writeInBackground(request.getBytes(StandardCharsets.ISO_8859_1));
      RawHttp.Response response = http.readResponse();
      assertEquals(431, response.status());
      assertEquals(
          "too_large", response.json().path("error").path("code").asText(), response::text);
    }
  }

  @Test
  void aHeaderSectionJustUnder16KiBIsServed() throws IOException {
    try (RawHttp http = connect()) {
      String start = "GET /api/health HTTP/1.1\r\nHost: localhost\r\nX-Filler: ";
      String end = "\r\n\r\n";
      http.write(start + "a".repeat(16 * 1024 - 64 - start.length() - end.length()) + end);
      assertEquals(200, http.readResponse().status());
    }
  }

  @Test
  void aBodyOver1MiBGets413() throws IOException {
    try (RawHttp http = connect()) {
      int length = 1024 * 1024 + 1;
      String head =
          "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + length
              + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
      byte[] request = new byte[headBytes.length + length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      Arrays.fill(request, headBytes.length, request.length, (byte) ' ');
      http.writeInBackground(request);
      RawHttp.Response response = http.readResponse();
      assertEquals(413, response.status());
      assertEquals(
          "too_large", response.json().path("error").path("code").asText(), response::text);
    }
  }

  @Test
  void aChunkedBodyOver1MiBGets413() throws IOException {
    try (RawHttp http = connect()) {
      StringBuilder request =
          new StringBuilder(
              "POST /api/users HTTP/1.1\r\nHost: x\r\n"
                  + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
      String chunk = " ".repeat(64 * 1024);
      for (int i = 0; i < 17; i++) {
        request
            .append(Integer.toHexString(chunk.length()))
            .append("\r\n")
            .append(chunk)
            .append("\r\n");
      }
      request.append("0\r\n\r\n");
      http.writeInBackground(request.toString().getBytes(StandardCharsets.ISO_8859_1));
      assertEquals(413, http.readResponse().status());
    }
  }

  @Test
  void aBodyOfExactly1MiBIsNotTooLarge() throws IOException {
    try (RawHttp http = connect()) {
      String json =
          TestJson.object("userId", Ids.unique("big"), "password", Rest.PASSWORD, "name", "");
      String padded =
          json.substring(0, json.length() - 1) + " ".repeat(1024 * 1024 - json.length()) + "}";
      assertEquals(1024 * 1024, padded.length());
      http.write(
          "POST /api/users HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              + "Content-Length: "
              + padded.length()
              + "\r\n\r\n"
              + padded);
      assertEquals(201, http.readResponse().status());
    }
  }

  @Test
  void twoRequestsOnOneConnectionAreBothAnswered() throws IOException {
    try (RawHttp http = connect()) {
      http.write(HEALTH);
      RawHttp.Response first = http.readResponse();
      assertEquals(200, first.status());
      assertEquals("ok", first.json().path("status").asText());
      http.write(HEALTH);
      assertEquals(200, http.readResponse().status());
    }
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws IOException {
    try (RawHttp http = connect()) {
      http.write(HEALTH + "GET /api/nope HTTP/1.1\r\nHost: localhost\r\n\r\n" + HEALTH);
      assertEquals(200, http.readResponse().status());
      RawHttp.Response second = http.readResponse();
      assertEquals(404, second.status());
      assertEquals("not_found", second.json().path("error").path("code").asText());
      assertEquals(200, http.readResponse().status());
    }
  }

  @Test
  void connectionCloseIsHonouredAfterTheResponse() throws IOException {
    try (RawHttp http = connect()) {
      http.write("GET /api/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
      assertEquals(200, http.readResponse().status());
      http.assertClosedByServer();
    }
  }

  @Test
  void aChunkedRequestBodyIsAccepted() throws IOException {
    String userId = Ids.unique("chunky");
    String body = TestJson.object("userId", userId, "password", Rest.PASSWORD);
    int cut = body.length() / 3;
    String[] parts = {
      body.substring(0, cut), body.substring(cut, 2 * cut), body.substring(2 * cut)
    };
    StringBuilder request =
        new StringBuilder(
            "POST /api/users HTTP/1.1\r\nHost: x\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
    for (String part : parts) {
      request
          .append(Integer.toHexString(part.length()))
          .append(";ext=1\r\n")
          .append(part)
          .append("\r\n");
    }
    request.append("0\r\n\r\n");
    try (RawHttp http = connect()) {
      http.write(request.toString());
      RawHttp.Response response = http.readResponse();
      assertEquals(201, response.status(), response::text);
      assertEquals(userId, response.json().path("userId").asText());
      http.write(HEALTH);
      assertEquals(
          200, http.readResponse().status(), "the connection stays usable after a chunked body");
    }
    server.rest().login(userId, Rest.PASSWORD).assertStatus(201);
  }

  @Test
  void aRequestSentOneByteAtATimeIsServed() throws IOException {
    try (RawHttp http = connect()) {
      for (byte b : HEALTH.getBytes(StandardCharsets.ISO_8859_1)) {
        http.write(new byte[] {b});
      }
      assertEquals(200, http.readResponse().status());
    }
  }

  @Test
  void responsesCarryAJsonContentType() throws IOException {
    try (RawHttp http = connect()) {
      http.write(HEALTH);
      String type = http.readResponse().headers().getOrDefault("content-type", "");
      assertTrue(type.startsWith("application/json"), () -> "Content-Type: " + type);
    }
  }

  @Test
  void aPlainGetOfTheSocketPathIsNotAnUpgrade() throws IOException {
    try (RawHttp http = connect()) {
      http.write("GET /ws HTTP/1.1\r\nHost: localhost\r\n\r\n");
      int status = http.readResponse().status();
      assertNotEquals(101, status);
      assertTrue(status >= 400 && status < 500, () -> "status " + status);
    }
  }
}
