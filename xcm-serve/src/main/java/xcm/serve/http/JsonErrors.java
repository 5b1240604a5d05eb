package xcm.serve.http;

import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.jolokia.json.JSONObject;

/**
 * What Jetty answers itself (a request it cannot parse, headers over the size limit, a path no
 * handler takes) in the doors' own form: {@code {"status":431,"error":"Request Header Fields Too
 * Large"}}, never an HTML page or a stack trace.
 */
final class JsonErrors implements Request.Handler {
  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    int status =
        request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer code
            ? code
            : response.getStatus();
    if (status < 400) {
      status = HttpStatus.INTERNAL_SERVER_ERROR_500;
    }
    String message =
        request.getAttribute(ErrorHandler.ERROR_MESSAGE) instanceof String m && !m.isBlank()
            ? m
            : HttpStatus.getMessage(status);
    JSONObject answer = new JSONObject();
    answer.put("status", status);
    answer.put("error", message);
    response.setStatus(status);
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
    response.write(
        true,
        BufferUtil.toBuffer(answer.toJSONString().getBytes(StandardCharsets.UTF_8)),
        callback);
    return true;
  }
}
