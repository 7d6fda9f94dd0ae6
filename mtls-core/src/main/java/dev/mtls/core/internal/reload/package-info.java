/**
 * Hot reload: the reloader that polls and watches files, one reload unit per material, and file fingerprints. Not an API: not exported by the module.
 */
@NullMarked
package dev.mtls.core.internal.reload;

import org.jspecify.annotations.NullMarked;
