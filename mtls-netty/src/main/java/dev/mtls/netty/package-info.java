/**
 * Netty integration for mutual TLS: {@link dev.mtls.netty.MtlsSslContexts} turns an mtls
 * context into a Netty {@code SslContext} (JDK or OpenSSL provider) that follows its reloads,
 * {@link dev.mtls.netty.PeerVerificationHandler} judges each connection's peer with the core
 * verifier after the handshake, and {@link dev.mtls.netty.MtlsChannelInitializer} sets up both
 * in one call.
 */
@NullMarked
package dev.mtls.netty;

import org.jspecify.annotations.NullMarked;
