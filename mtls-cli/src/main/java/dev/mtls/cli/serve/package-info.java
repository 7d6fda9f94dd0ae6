/** {@code mtls serve}. */
@NullMarked
package dev.mtls.cli.serve;

import org.jspecify.annotations.NullMarked;
