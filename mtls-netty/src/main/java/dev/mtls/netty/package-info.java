/**
 * Netty integration: an {@code SslHandler} from an mtls context and post-handshake peer verification.
 */
@NullMarked
package dev.mtls.netty;

import org.jspecify.annotations.NullMarked;
