/**
 * The JSSE side: the reloading key manager and its identity snapshots, the trust manager,
 * the long-lived forwarding {@code SSLContext} ({@link dev.mtls.core.internal.tls.MtlsSslContext})
 * with its session caches, and the engines, sockets and server sockets that keep the
 * context's {@link dev.mtls.core.internal.tls.TlsRules} whatever a container sets; provider
 * specifics. Not an API: not exported by the module.
 */
@NullMarked
package dev.mtls.core.internal.tls;

import org.jspecify.annotations.NullMarked;
