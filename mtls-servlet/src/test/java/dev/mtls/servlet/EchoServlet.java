package dev.mtls.servlet;

import dev.mtls.core.PeerIdentity;
import dev.mtls.core.SpiffeId;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/** The application behind the filter: says which path it served and who it saw, one field a line. */
final class EchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
    Optional<PeerIdentity> peer = MtlsFilter.peer(request);
    String body = "handler " + Paths.of(request) + "\n"
        + "cn=" + peer.flatMap(PeerIdentity::commonName).orElse("-") + "\n"
        + "spiffe=" + peer.flatMap(PeerIdentity::spiffeId).map(SpiffeId::toString).orElse("-") + "\n"
        + "principal=" + (request.getUserPrincipal() == null ? "-" : request.getUserPrincipal().getName()) + "\n"
        + "auth=" + request.getAuthType() + "\n"
        + "user=" + request.getRemoteUser() + "\n"
        + "tls=" + (request.getAttribute(MtlsFilter.SSL_SESSION_ATTRIBUTE) == null ? "session id and chain" : "SSLSession")
        + "\n";
    response.setContentType("text/plain");
    response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
  }
}
