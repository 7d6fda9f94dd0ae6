package dev.mtls.cli.server;

import dev.mtls.servlet.MtlsFilter;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The servlet behind the filter on the servlet engines: every path reaches it, and it answers
 * with the endpoint of the exact path. The filter has judged the peer before.
 */
final class EndpointServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  private final transient Dispatch dispatch;

  EndpointServlet(Dispatch dispatch) {
    this.dispatch = dispatch;
  }

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String servletPath = request.getServletPath();
    String pathInfo = request.getPathInfo();
    String path = (servletPath == null ? "" : servletPath) + (pathInfo == null ? "" : pathInfo);
    Reply reply = dispatch.answer(request.getMethod(), path.isEmpty() ? "/" : path, MtlsFilter.peer(request));
    write(response, reply);
  }

  static void write(HttpServletResponse response, Reply reply) throws IOException {
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    response.setStatus(reply.status());
    response.setContentType(reply.contentType() + "; charset=utf-8");
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }
}
