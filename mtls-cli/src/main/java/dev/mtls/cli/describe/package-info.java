/** Certificates, keys and CRLs described for people and tools. */
@NullMarked
package dev.mtls.cli.describe;

import org.jspecify.annotations.NullMarked;
