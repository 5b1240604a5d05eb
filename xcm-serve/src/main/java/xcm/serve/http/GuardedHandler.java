package xcm.serve.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Tells the {@link ConnectionGuard} where each request is: headers in when it reaches the door's
 * handler, body in when the handler read its last chunk, answered when the handler completed it.
 * Also answers 404 for whatever the door's handler does not take.
 */
final class GuardedHandler extends Handler.Wrapper {
  private final ConnectionGuard guard;

  GuardedHandler(ConnectionGuard guard, Handler door) {
    super(door);
    this.guard = guard;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) throws Exception {
    Connection network = ConnectionGuard.network(request.getConnectionMetaData().getConnection());
    // HTTP/1.1: a request has a body only when it says so, by its length or its transfer coding.
    boolean hasBody =
        request.getLength() > 0 || request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
    guard.headersIn(network, hasBody);
    Request tracked =
        hasBody
            ? new Request.Wrapper(request) {
              @Override
              public Content.Chunk read() {
                Content.Chunk chunk = super.read();
                if (chunk != null && chunk.isLast()) {
                  guard.bodyIn(network);
                }
                return chunk;
              }
            }
            : request;
    Callback answered =
        new Callback.Nested(callback) {
          @Override
          public void succeeded() {
            guard.answered(network);
            super.succeeded();
          }

          @Override
          public void failed(Throwable x) {
            guard.answered(network);
            super.failed(x);
          }
        };
    if (!super.handle(tracked, response, answered)) {
      Response.writeError(request, response, answered, 404);
    }
    return true;
  }
}
