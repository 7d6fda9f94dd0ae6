/**
 * Clients that present a rotating client certificate and check the server's identity.
 */
@NullMarked
package dev.mtls.client;

import org.jspecify.annotations.NullMarked;
