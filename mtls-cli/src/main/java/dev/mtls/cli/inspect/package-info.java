/** {@code mtls inspect}. */
@NullMarked
package dev.mtls.cli.inspect;

import org.jspecify.annotations.NullMarked;
