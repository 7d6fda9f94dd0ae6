/**
 * CRLs: parsing and indexing, file and URL sources, refresh, and the revocation checker the verifier asks. Not an API: not exported by the module.
 */
@NullMarked
package dev.mtls.core.internal.crl;

import org.jspecify.annotations.NullMarked;
