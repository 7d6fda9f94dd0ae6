/**
 * The JSSE side: the reloading key manager and its identity snapshots, the trust manager, socket factories and server sockets, provider specifics. Not an API: not exported by the module.
 */
@NullMarked
package dev.mtls.core.internal.tls;

import org.jspecify.annotations.NullMarked;
