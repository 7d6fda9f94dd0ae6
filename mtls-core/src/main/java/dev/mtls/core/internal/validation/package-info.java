/**
 * Chain validation: ordering and validating peer chains to trust anchors, algorithm and name constraints, host names, distinguished names, and the trust snapshot. Not an API: not exported by the module.
 */
@NullMarked
package dev.mtls.core.internal.validation;

import org.jspecify.annotations.NullMarked;
