/**
 * An adapter outside mtls-core, as the servlet, Netty and client modules and third parties
 * build theirs: it reads only {@code dev.mtls.core}, the one package core exports, and runs
 * a TLS stack of its own from the context's managers, policy and client-auth mode.
 */
module dev.mtls.it.adapter {
  requires transitive dev.mtls.core;

  exports dev.mtls.it.adapter;
}
