package dev.mtls.testkit;

import java.math.BigInteger;
import java.time.Instant;

/** One revoked serial number of a {@link TestCa}, as it goes into the CA's CRLs. */
record Revocation(BigInteger serialNumber, RevocationReason reason, Instant revokedAt) {}
