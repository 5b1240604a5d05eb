package xcm.serve.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import org.eclipse.jetty.server.Request;

/** A request's body, read whole on the handler's thread up to a limit. */
public final class RequestBody {
  private RequestBody() {}

  /**
   * The body, or empty when it is larger than {@code max} bytes: what is left of it is not read
   * here (the door drops it, {@link GuardedHandler}).
   *
   * @throws IOException when the client fails or stops sending
   */
  public static Optional<byte[]> readAtMost(Request request, long max) throws IOException {
    InputStream in = Request.asInputStream(request);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
      if (total > max) {
        return Optional.empty();
      }
      out.write(buffer, 0, n);
    }
    return Optional.of(out.toByteArray());
  }
}
