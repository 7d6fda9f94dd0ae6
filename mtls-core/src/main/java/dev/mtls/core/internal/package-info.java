/**
 * Implementation details of mtls-core: the reloading key and trust managers, chain
 * validation, PEM and PKCS#12 reading (the only code that touches Bouncy Castle's PEM
 * classes), CRL caching. Not an API: not exported by the module, may change in any release.
 */
@NullMarked
package dev.mtls.core.internal;

import org.jspecify.annotations.NullMarked;
