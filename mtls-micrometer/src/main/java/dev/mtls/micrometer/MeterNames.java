package dev.mtls.micrometer;

import dev.mtls.core.Material;
import dev.mtls.core.MtlsListener;
import dev.mtls.core.RejectionReason;
import java.util.Locale;

/** The names of the meters and the values of their tags: one place, as the README's table lists them. */
final class MeterNames {
  /** The longest tag value taken from a certificate or CRL; longer ones are cut, marked with "...". */
  static final int MAX_TAG_LENGTH = 128;

  static final String VERDICTS = "mtls.peer.verdicts";
  static final String CERTIFICATE_EXPIRY = "mtls.certificate.expiry";
  static final String CRL_NEXT_UPDATE = "mtls.crl.next.update";
  static final String RELOADS = "mtls.reloads";
  static final String RELOAD_FAILING = "mtls.reload.failing";
  static final String RELOAD_LAST_SUCCESS = "mtls.reload.last.success";
  static final String CRL_REFRESHES = "mtls.crl.refreshes";
  static final String SESSIONS_RENEWED = "mtls.sessions.renewed";
  static final String HEALTH = "mtls.health";

  static final String CONTEXT = "context";
  static final String STAGE = "stage";
  static final String OUTCOME = "outcome";
  static final String REASON = "reason";
  static final String MATERIAL = "material";
  static final String RESULT = "result";
  static final String SUBJECT = "subject";
  static final String SERIAL = "serial";
  static final String ISSUER = "issuer";

  static final String ACCEPTED = "accepted";
  static final String REFUSED = "refused";
  static final String NO_REASON = "none";
  static final String SUCCESS = "success";
  static final String FAILURE = "failure";

  private MeterNames() {}

  /** {@code handshake}, {@code verifier} or {@code remembered}. */
  static String tag(MtlsListener.Stage stage) {
    return stage.name().toLowerCase(Locale.ROOT);
  }

  /** The reason code in lower case, such as {@code untrusted_issuer}. */
  static String tag(RejectionReason reason) {
    return reason.name().toLowerCase(Locale.ROOT);
  }

  /** {@code identity}, {@code trust_anchors} or {@code crl}. */
  static String tag(Material material) {
    return material.name().toLowerCase(Locale.ROOT);
  }

  /**
   * A tag value from a certificate or CRL (already escaped by mtls-core), cut to {@value
   * #MAX_TAG_LENGTH} characters.
   */
  static String bounded(String text) {
    return text.length() <= MAX_TAG_LENGTH ? text : text.substring(0, MAX_TAG_LENGTH - 3) + "...";
  }
}
