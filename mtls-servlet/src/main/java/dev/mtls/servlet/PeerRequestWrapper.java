package dev.mtls.servlet;

import dev.mtls.core.PeerIdentity;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;

/**
 * The request of an accepted peer, as the application sees it: authenticated by client
 * certificate, the principal being the certificate's subject, the remote user its CN.
 */
final class PeerRequestWrapper extends HttpServletRequestWrapper {
  private final PeerIdentity peer;

  PeerRequestWrapper(HttpServletRequest request, PeerIdentity peer) {
    super(request);
    this.peer = peer;
  }

  @Override
  public Principal getUserPrincipal() {
    return peer.subject();
  }

  @Override
  public String getRemoteUser() {
    return peer.commonName().orElse(peer.subject().getName());
  }

  @Override
  public String getAuthType() {
    return HttpServletRequest.CLIENT_CERT_AUTH;
  }

  @Override
  public boolean isUserInRole(String role) {
    // Roles belong to the container's realm, which knows nothing of this peer.
    return false;
  }
}
