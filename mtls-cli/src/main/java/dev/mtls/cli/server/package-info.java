/** The CLI's mTLS HTTPS servers, the same on every engine: what {@code demo} and {@code serve} run. */
@NullMarked
package dev.mtls.cli.server;

import org.jspecify.annotations.NullMarked;
