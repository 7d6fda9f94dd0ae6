/**
 * Loading identity and trust material: PEM and PKCS#12 reading (the only code that touches Bouncy Castle's PEM classes), in-memory material, and the checks loaded material must pass. Not an API: not exported by the module.
 */
@NullMarked
package dev.mtls.core.internal.material;

import org.jspecify.annotations.NullMarked;
